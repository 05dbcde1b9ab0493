"""Turn a file of any supported format into text lines, before any parsing.

Tables become tab-separated lines (the shape of the 2023 seed), so one parser serves a .txt,
.docx, .xlsx or .pdf copy of the same form. Every failure names the file and what to do.
Everything is bounded (:class:`~pbm_nlp.config.ReadLimits`, :mod:`.guard`): a file is read up to
its size limit (``pbm ingest /dev/zero`` stops there), packages and PDF streams are checked
after inflation before a parser sees them, and a document yields a bounded amount of text.
"""
from __future__ import annotations

import codecs
import hashlib
import io
import logging
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..config import LIMIT_ENV, ReadLimits
from ..errors import PbmError, UnreadableFile, UnsupportedFormat, empty_input, over_limit, too_large
from .guard import TimeBudget, check_pdf, check_zip

SUPPORTED = (".txt", ".docx", ".xlsx", ".pdf", ".jsonl")
log = logging.getLogger("pbm_nlp.ingest")
#: C0/C1 control characters other than tab, newline, carriage return and form feed.
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass
class RawText:
    name: str
    text: str
    encoding: str
    #: what was changed on the way in (control characters removed …), for the user to see
    notes: list[str] = field(default_factory=list)

    @property
    def hash(self) -> str:
        """Content hash of the decoded text: a GBK and a UTF-8 copy are the same document."""
        canonical = "\n".join(ln.strip() for ln in self.text.splitlines() if ln.strip())
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def read_path(path: str | Path, limits: ReadLimits | None = None) -> RawText:
    """A file's text; at most ``limits.file_bytes`` are read, whatever the file claims to be."""
    limits = limits or ReadLimits.from_env()
    path = Path(path)
    if not path.exists():
        raise UnreadableFile(f"文件不存在：{path}", f"file not found: {path}")
    if path.is_dir():
        raise UnreadableFile(f"{path} 是文件夹，请给出文件", f"{path} is a folder: give a file")
    try:
        if path.is_file() and path.stat().st_size > limits.file_bytes:
            raise too_large(path.name, path.stat().st_size, limits.file_bytes)
        with path.open("rb") as fh:  # a device or pipe has no size: read one byte past the limit
            data = fh.read(limits.file_bytes + 1)
    except OSError as exc:
        raise UnreadableFile(f"无法读取 {path}（{exc.strerror or exc}）：请检查路径和权限。",
                             f"cannot read {path} ({exc.strerror or exc}): check the path and permissions.") from exc
    if len(data) > limits.file_bytes:
        raise too_large(path.name, len(data), limits.file_bytes, at_least=True)
    return read_bytes(data, path.name, limits)


def read_bytes(data: bytes, name: str, limits: ReadLimits | None = None) -> RawText:
    """Text of a file's bytes by its suffix, within ``limits`` (sizes, pages, time)."""
    limits = limits or ReadLimits.from_env()
    suffix = Path(name).suffix.lower()
    if not data:
        raise empty_input(f"文件 {name} ")
    if len(data) > limits.file_bytes:
        raise too_large(name, len(data), limits.file_bytes)
    if suffix in (".txt", ".text", ".md", ".jsonl", ".ndjson", ".json", ""):
        return decode_text(data, name)
    readers = {".docx": (_docx_text, "docx"), ".xlsx": (_xlsx_text, "xlsx"), ".pdf": (_pdf_text, "pdf")}
    if suffix not in readers:
        raise UnsupportedFormat(
            f"不支持的文件类型 {suffix or '(无扩展名)'}：{name}。支持 {', '.join(SUPPORTED)}。",
            f"unsupported file type {suffix or '(none)'}: {name}. Expected one of {', '.join(SUPPORTED)}.",
        )
    read, kind = readers[suffix]
    with TimeBudget(limits.seconds, name):
        return RawText(name, read(data, name, limits), kind)


def decode_text(data: bytes, name: str = "输入") -> RawText:
    """UTF-8 first, then GBK/GB18030 (common for files saved by Chinese Office), UTF-16/32 when a
    byte-order mark says so; control characters are removed (with a note); binary is refused."""
    text, enc = _decode(data, name)
    notes = []
    text, n = CONTROLS.subn("", text.replace("\x0b", "\n"))  # Word's manual line break is a line break
    if n:
        notes.append(f"{name}：已删除 {n} 个控制字符 / removed {n} control characters")
        log.warning("%s", notes[-1])
    return RawText(name, text, enc, notes)


def _decode(data: bytes, name: str) -> tuple[str, str]:
    for bom, enc in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc.removesuffix("-sig")
            except UnicodeDecodeError:
                break
    head = data[:8192]
    if head.count(0) > len(head) // 100:  # a stray NUL is a control character; many mean binary or UTF-16
        return _utf16_without_bom(data, name)
    for enc in ("utf-8", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _mostly_printable(text):
            return text, "utf-8" if enc == "utf-8" else "gbk"
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and _mostly_printable(str(best)):
        return str(best), best.encoding
    raise UnreadableFile(
        f"无法识别 {name} 的文本编码（试过 UTF-8、GBK、UTF-16）。请另存为 UTF-8 文本。",
        f"cannot decode {name} (tried UTF-8, GBK and UTF-16): save it as UTF-8 text.",
    )


def _utf16_without_bom(data: bytes, name: str) -> tuple[str, str]:
    """NUL bytes all on odd (or all on even) positions are the ASCII of UTF-16 text saved without a
    byte-order mark; anything else with many NULs is binary."""
    head = data[:8192]
    odd = sum(1 for i in range(1, len(head), 2) if head[i] == 0)
    even = head.count(0) - odd
    enc = "utf-16-le" if odd > 9 * even else "utf-16-be" if even > 9 * odd else None
    if enc:
        try:
            text = data[:len(data) // 2 * 2].decode(enc)
            if _mostly_printable(text):
                return text, enc
        except UnicodeDecodeError:
            pass
    raise UnreadableFile(
        f"{name} 看起来是二进制文件，不是文本（含 NUL 字节）。请提供 .txt/.docx/.xlsx/.pdf。",
        f"{name} looks binary, not text (contains NUL bytes). Provide .txt/.docx/.xlsx/.pdf.",
    )


def _mostly_printable(text: str) -> bool:
    """Decoded with the right encoding: few private-use characters (the mark of GBK read as
    something else) and not mostly control characters (binary). A few controls are removed later."""
    if not text:
        return False
    private = sum(1 for ch in text if 0xE000 <= ord(ch) <= 0xF8FF)
    controls = len(CONTROLS.findall(text))
    return private / len(text) < 0.01 and controls / len(text) < 0.1


def _malformed(name: str, kind: str, exc: Exception) -> UnreadableFile:
    return UnreadableFile(
        f"{name} 不是有效的 {kind} 文件，无法打开。请用 Office/WPS 重新另存后再试。",
        f"{name} is not a valid {kind} file and cannot be opened ({type(exc).__name__}: {exc}). "
        f"Re-save it from Office/WPS and try again.",
    )


class _Lines(list):
    """Text lines with a running total, refused past ``limits.text_chars``."""

    def __init__(self, name: str, limits: ReadLimits):
        super().__init__()
        self.name, self.limit, self.chars = name, limits.text_chars, 0

    def add(self, line: str) -> None:
        self.chars += len(line) + 1
        if self.chars > self.limit:
            raise over_limit(self.name, "文字过多", "too much text", f"> {self.limit:,} 字 chars",
                             f"{self.limit:,} 字 chars", LIMIT_ENV["text_chars"])
        self.append(line)


def _package(data: bytes, name: str, kind: str, limits: ReadLimits) -> None:
    """A .docx/.xlsx must be a zip whose parts stay within the limits once inflated."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _malformed(name, kind, exc) from exc
    with archive:
        try:
            check_zip(archive, data, name, limits)
        except (zipfile.BadZipFile, zlib.error, ValueError, struct.error) as exc:
            raise _malformed(name, kind, exc) from exc


def _docx_text(data: bytes, name: str, limits: ReadLimits) -> str:
    _package(data, name, "Word (.docx)", limits)
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises assorted zip/lxml/opc errors on broken parts
        raise _malformed(name, "Word (.docx)", exc) from exc
    lines = _Lines(name, limits)
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            for line in Paragraph(child, document).text.split("\n"):
                lines.add(line)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                lines.add("\t".join(_dedupe_merged([c.text.replace("\n", "") for c in row.cells])))
    return "\n".join(lines)


def _dedupe_merged(cells: list[str]) -> list[str]:
    """Merged Word cells repeat their text in every grid column: keep one copy."""
    out: list[str] = []
    for i, c in enumerate(cells):
        out.append("" if i and c and c == cells[i - 1] else c)
    return out


def _xlsx_text(data: bytes, name: str, limits: ReadLimits) -> str:
    """Rows as tab-separated lines. A target typed as ``=100(%)`` is stored by Excel as a formula
    with no value; such cells fall back to their formula text rather than vanish. The sheets'
    declared dimensions are ignored (a sheet claiming A1:XFD1048576 is not padded to 17 billion
    cells): rows hold the cells that exist."""
    _package(data, name, "Excel (.xlsx)", limits)
    try:
        import openpyxl

        values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises InvalidFileException, BadZipFile, KeyError …
        raise _malformed(name, "Excel (.xlsx)", exc) from exc
    lines = _Lines(name, limits)
    try:
        for ws_v, ws_f in zip(values.worksheets, formulas.worksheets):
            _sheet_lines(ws_v, ws_f, lines)
    except PbmError:
        raise
    except Exception as exc:  # a broken sheet shows only while its rows are read
        raise _malformed(name, "Excel (.xlsx)", exc) from exc
    finally:
        values.close()
        formulas.close()
    return "\n".join(lines)


def _sheet_lines(ws_v, ws_f, lines: _Lines) -> None:
    for ws in (ws_v, ws_f):
        if hasattr(ws, "reset_dimensions"):  # charts have none
            ws.reset_dimensions()
    for row_v, row_f in zip(ws_v.iter_rows(values_only=True), ws_f.iter_rows(values_only=True)):
        cells = [_cell_text(v) if v is not None else (str(f) if isinstance(f, str) else "")
                 for v, f in zip(row_v, row_f)]
        while cells and not cells[-1]:
            cells.pop()
        lines.add("\t".join(cells))


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r\n", "\n")


def _pdf_text(data: bytes, name: str, limits: ReadLimits) -> str:
    check_pdf(data, name, limits)
    lines = _Lines(name, limits)
    try:
        import pdfplumber

        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > limits.pages:
                raise over_limit(name, "页数过多", "too many pages", f"{len(pdf.pages)} 页 pages", str(limits.pages),
                                 LIMIT_ENV["pages"])
            for page in pdf.pages:
                lines.add(page.extract_text() or "")
                page.close()  # drop the page's characters and layout: memory stays one page deep
    except PbmError:
        raise
    except Exception as exc:  # pdfminer raises PDFSyntaxError, PSEOF, …
        raise _malformed(name, "PDF", exc) from exc
    text = "\n".join(lines)
    if not text.strip():
        raise UnreadableFile(
            f"{name} 中没有可提取的文字（可能是扫描件），请提供文字版 PDF 或 Word 文件。",
            f"{name} has no extractable text (a scan?): provide a text PDF or a Word file.",
        )
    return text
