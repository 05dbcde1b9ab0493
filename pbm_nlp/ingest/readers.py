"""Turn a file of any supported format into text lines, before any parsing.

Tables become tab-separated lines (the shape of the 2023 seed), so one parser serves a .txt,
.docx, .xlsx or .pdf copy of the same form. Every failure names the file and what to do.
"""
from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .. import config
from ..errors import UnreadableFile, UnsupportedFormat, empty_input, too_large

SUPPORTED = (".txt", ".docx", ".xlsx", ".pdf", ".jsonl")


@dataclass
class RawText:
    name: str
    text: str
    encoding: str

    @property
    def hash(self) -> str:
        """Content hash of the decoded text: a GBK and a UTF-8 copy are the same document."""
        canonical = "\n".join(ln.strip() for ln in self.text.splitlines() if ln.strip())
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def read_path(path: str | Path) -> RawText:
    path = Path(path)
    if not path.exists():
        raise UnreadableFile(f"文件不存在：{path}", f"file not found: {path}")
    if path.is_dir():
        raise UnreadableFile(f"{path} 是文件夹，请给出文件", f"{path} is a folder: give a file")
    size = path.stat().st_size
    if size > config.MAX_FILE_BYTES:
        raise too_large(path.name, size, config.MAX_FILE_BYTES)
    return read_bytes(path.read_bytes(), path.name)


def read_bytes(data: bytes, name: str) -> RawText:
    suffix = Path(name).suffix.lower()
    if not data:
        raise empty_input(f"文件 {name} ")
    if len(data) > config.MAX_FILE_BYTES:
        raise too_large(name, len(data), config.MAX_FILE_BYTES)
    if suffix in (".txt", ".text", ".md", ".jsonl", ".ndjson", ".json", ""):
        return decode_text(data, name)
    if suffix == ".docx":
        return RawText(name, _docx_text(data, name), "docx")
    if suffix == ".xlsx":
        return RawText(name, _xlsx_text(data, name), "xlsx")
    if suffix == ".pdf":
        return RawText(name, _pdf_text(data, name), "pdf")
    raise UnsupportedFormat(
        f"不支持的文件类型 {suffix or '(无扩展名)'}：{name}。支持 {', '.join(SUPPORTED)}。",
        f"unsupported file type {suffix or '(none)'}: {name}. Expected one of {', '.join(SUPPORTED)}.",
    )


def decode_text(data: bytes, name: str = "输入") -> RawText:
    """UTF-8 first, then GBK/GB18030 (common for files saved by Chinese Office); refuse binary."""
    if b"\x00" in data[:8192]:
        raise UnreadableFile(
            f"{name} 看起来是二进制文件，不是文本（含 NUL 字节）。请提供 .txt/.docx/.xlsx/.pdf。",
            f"{name} looks binary, not text (contains NUL bytes). Provide .txt/.docx/.xlsx/.pdf.",
        )
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _mostly_printable(text):
            return RawText(name, text, "utf-8" if enc == "utf-8-sig" else "gbk")
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and _mostly_printable(str(best)):
        return RawText(name, str(best), best.encoding)
    raise UnreadableFile(
        f"无法识别 {name} 的文本编码（试过 UTF-8、GBK）。请另存为 UTF-8 文本。",
        f"cannot decode {name} (tried UTF-8 and GBK): save it as UTF-8 text.",
    )


def _mostly_printable(text: str) -> bool:
    if not text:
        return False
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r\f") or 0xE000 <= ord(ch) <= 0xF8FF)
    return bad / len(text) < 0.01


def _malformed(name: str, kind: str, exc: Exception) -> UnreadableFile:
    return UnreadableFile(
        f"{name} 不是有效的 {kind} 文件，无法打开。请用 Office/WPS 重新另存后再试。",
        f"{name} is not a valid {kind} file and cannot be opened ({type(exc).__name__}: {exc}). "
        f"Re-save it from Office/WPS and try again.",
    )


def _docx_text(data: bytes, name: str) -> str:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _malformed(name, "Word (.docx)", exc) from exc
    except Exception as exc:  # python-docx raises assorted lxml/opc errors on broken parts
        raise _malformed(name, "Word (.docx)", exc) from exc
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.extend(Paragraph(child, document).text.split("\n"))
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells = _dedupe_merged([c.text.replace("\n", "") for c in row.cells])
                lines.append("\t".join(cells))
    return "\n".join(lines)


def _dedupe_merged(cells: list[str]) -> list[str]:
    """Merged Word cells repeat their text in every grid column: keep one copy."""
    out: list[str] = []
    for i, c in enumerate(cells):
        out.append("" if i and c and c == cells[i - 1] else c)
    return out


def _xlsx_text(data: bytes, name: str) -> str:
    """Rows as tab-separated lines. A target typed as ``=100(%)`` is stored by Excel as a formula
    with no value; such cells fall back to their formula text rather than vanish."""
    try:
        import openpyxl

        values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises InvalidFileException, BadZipFile, KeyError …
        raise _malformed(name, "Excel (.xlsx)", exc) from exc
    lines: list[str] = []
    try:
        for ws_v, ws_f in zip(values.worksheets, formulas.worksheets):
            for row_v, row_f in zip(ws_v.iter_rows(values_only=True), ws_f.iter_rows(values_only=True)):
                cells = [
                    _cell_text(v) if v is not None else (str(f) if isinstance(f, str) else "")
                    for v, f in zip(row_v, row_f)
                ]
                while cells and not cells[-1]:
                    cells.pop()
                lines.append("\t".join(cells))
    finally:
        values.close()
        formulas.close()
    return "\n".join(lines)


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r\n", "\n")


def _pdf_text(data: bytes, name: str) -> str:
    try:
        import pdfplumber

        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
    except Exception as exc:  # pdfminer raises PDFSyntaxError, PSEOF, …
        raise _malformed(name, "PDF", exc) from exc
    text = "\n".join(pages)
    if not text.strip():
        raise UnreadableFile(
            f"{name} 中没有可提取的文字（可能是扫描件），请提供文字版 PDF 或 Word 文件。",
            f"{name} has no extractable text (a scan?): provide a text PDF or a Word file.",
        )
    return text
