"""Bounds on what one document may cost, checked before the expensive work.

A .docx/.xlsx is a zip of XML parts and a .pdf a set of compressed streams, so a file of a few
kilobytes can inflate to gigabytes (a decompression bomb), and a small but pathological file can
keep a parser busy for an hour. The checks here read only sizes and inflate by streaming, with a
cap, before python-docx, openpyxl or pdfminer see the file:

- :func:`check_zip`: number of parts, inflated sizes (in total and per part) and compression
  ratio from the zip's directory, then every part inflated in small chunks (one that lies about
  its size is refused there, in bounded memory);
- :func:`check_pdf`: every compressed non-image stream is inflated with a cap (page drawing
  instructions have a tighter one: extracting text costs time and memory in proportion), the
  total is bounded, pages are counted;
- :class:`TimeBudget`: one document's read and parse stop after ``limits.seconds``.
"""
from __future__ import annotations

import ctypes
import re
import struct
import threading
import zipfile
import zlib
from collections.abc import Iterator
from typing import Self

from ..config import LIMIT_ENV, ReadLimits
from ..errors import LimitExceeded, over_limit, size_text

CHUNK = 1 << 16
#: Parts this small may compress very well without being a bomb; the ratio is checked above it.
RATIO_FLOOR = 1_000_000


def _over(name: str, limit: str, what_zh: str, what_en: str, found: str, value: float) -> LimitExceeded:
    shown = size_text(value) if "bytes" in limit else f"{value:g}"
    return over_limit(name, what_zh, what_en, found, shown, LIMIT_ENV[limit])


# ---- zip packages (.docx, .xlsx) ----------------------------------------------------------------

def check_zip(archive: zipfile.ZipFile, data: bytes, name: str, limits: ReadLimits) -> None:
    """Refuse a package with too many parts, parts that declare too much once inflated or an
    implausible compression ratio, or a part that inflates beyond what it declares."""
    infos = archive.infolist()
    if len(infos) > limits.parts:
        raise _over(name, "parts", "部件过多", "too many parts", f"{len(infos)} 个 parts", limits.parts)
    declared = sum(i.file_size for i in infos)
    if declared > limits.inflated_bytes:
        raise _over(name, "inflated_bytes", "解压后过大", "too large once inflated", size_text(declared),
                    limits.inflated_bytes)
    for info in infos:
        if info.file_size > limits.part_bytes:
            raise _over(name, "part_bytes", f"部件 {info.filename} 解压后过大",
                        f"part {info.filename} is too large once inflated", size_text(info.file_size),
                        limits.part_bytes)
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > limits.ratio:
            raise _over(name, "ratio", f"部件 {info.filename} 压缩比异常",
                        f"part {info.filename} has an implausible compression ratio", f"{ratio:.0f}:1", limits.ratio)
    for info in infos:
        _check_true_size(data, info, name)


def _check_true_size(data: bytes, info: zipfile.ZipInfo, name: str) -> None:
    """Inflate one part's raw data in small chunks, keeping nothing, and refuse it the moment it
    outgrows its declared size. (zipfile trusts the declared size only after the fact: its
    ``read()`` inflates up to 2 GB in one call before cutting the data to size.)"""
    if info.compress_type == zipfile.ZIP_STORED:
        return
    if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x1:
        raise ValueError(f"part {info.filename}: compression method {info.compress_type} or encryption not used "
                         "by Office")
    head = info.header_offset
    if data[head:head + 4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"part {info.filename}: no local header")
    name_len, extra_len = struct.unpack("<HH", data[head + 26:head + 30])
    start = head + 30 + name_len + extra_len
    pending: bytes | memoryview = memoryview(data)[start:start + info.compress_size]
    inflate, total = zlib.decompressobj(-zlib.MAX_WBITS), 0
    while pending and not inflate.eof:
        total += len(inflate.decompress(pending, CHUNK))
        pending = inflate.unconsumed_tail
        if total > info.file_size:
            raise LimitExceeded(
                f"{name} 已拒绝读取：部件 {info.filename} 解压后超过其声明的大小（{size_text(info.file_size)}），"
                "文件已损坏或被篡改。请用 Office/WPS 重新另存后再试。",
                f"{name} was not read: part {info.filename} inflates beyond the size it declares "
                f"({size_text(info.file_size)}); the file is corrupt or forged. Re-save it from Office/WPS.")


# ---- PDF ------------------------------------------------------------------------------------------

_STREAM = re.compile(rb"stream(?:\r\n|\n|\r)")
_OBJ = re.compile(rb"(\d+)\s+(\d+)\s+obj\b")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")
_FILTERS = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
_FONT = re.compile(rb"/Length[123]\b|/Subtype\s*/(?:Type1C|CIDFontType0C|OpenType)")
_ICC = re.compile(rb"/N\s+\d")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
FLATE = {b"FlateDecode", b"Fl"}


def check_pdf(data: bytes, name: str, limits: ReadLimits) -> None:
    """Inflate every compressed stream of the file with a cap, before pdfminer decodes any.

    Page and form drawing instructions are capped by ``page_content_bytes``, fonts and other
    streams by ``part_bytes``, all of them together by ``inflated_bytes``; images are left alone
    (text extraction never decodes them). Pages are counted in the file and in object streams.
    """
    decipher = _decipher(data) if b"/Encrypt" in data else None
    total, pages = 0, len(_PAGE.findall(data))
    for objid, genno, head, raw in _streams(data):
        if _IMAGE.search(head):
            continue
        if decipher is not None and b"/XRef" not in head:
            raw = decipher(objid, genno, raw)
        content = _is_content(head)
        cap_name = "page_content_bytes" if content else "part_bytes"
        cap = min(getattr(limits, cap_name), limits.inflated_bytes - total)
        out = _decode(raw, _filters(head), cap + 1)
        if len(out) > cap:
            limit = cap_name if cap == getattr(limits, cap_name) else "inflated_bytes"
            what = ("一页的绘制指令过多", "one page's drawing instructions are too long") if content else \
                   ("一个数据流解压后过大", "one stream is too large once inflated")
            raise _over(name, limit, *what, f"> {size_text(cap)}", getattr(limits, limit))
        total += len(out)
        if b"/ObjStm" in head:
            pages += len(_PAGE.findall(out))
    if pages > limits.pages:
        raise _over(name, "pages", "页数过多", "too many pages", f"{pages} 页 pages", limits.pages)


def _is_content(head: bytes) -> bool:
    """Page contents and forms (drawing instructions), as opposed to fonts, colour profiles,
    metadata, embedded files, object and cross-reference streams."""
    if _FONT.search(head) or _ICC.search(head):
        return False
    return b"/Type" not in head or b"/Form" in head


def _streams(data: bytes) -> Iterator[tuple[int, int, bytes, bytes]]:
    """(object number, generation, dictionary, raw bytes) of each stream, in file order."""
    pos = 0
    while m := _STREAM.search(data, pos):
        start = m.end()
        objs = list(_OBJ.finditer(data, max(0, m.start() - 4096), m.start()))
        head = data[objs[-1].end():m.start()] if objs else b""
        length = _LENGTH.search(head)
        end = start + int(length.group(1)) if length else -1
        if not length or data[end:end + 40].lstrip()[:9] != b"endstream":
            end = data.find(b"endstream", start)
            end = len(data) if end < 0 else end
        if head.rstrip().endswith(b">>"):
            objid, genno = (int(objs[-1].group(1)), int(objs[-1].group(2))) if objs else (0, 0)
            yield objid, genno, head, data[start:end]
        pos = max(end, start)


def _filters(head: bytes) -> list[bytes]:
    m = _FILTERS.search(head)
    return re.findall(rb"/([A-Za-z0-9]+)", m.group(1)) if m else []


def _decode(raw: bytes, filters: list[bytes], limit: int) -> bytes:
    """The stream through its leading Flate/ASCII filters, stopping at ``limit`` bytes; a filter we
    cannot bound (run-length, LZW) is estimated by its largest possible expansion."""
    import base64
    import binascii

    out = raw
    for f in filters:
        if f in FLATE:
            out = _inflate(out, limit)
        elif f in (b"ASCIIHexDecode", b"AHx"):
            digits = re.sub(rb"[^0-9A-Fa-f]", b"", out.split(b">")[0])
            out = binascii.a2b_hex(digits + b"0" * (len(digits) % 2))
        elif f in (b"ASCII85Decode", b"A85"):
            try:
                out = base64.a85decode(out.strip().removesuffix(b"~>"), adobe=False)
            except ValueError:
                return out[:0]
        elif f in (b"LZWDecode", b"LZW"):
            out = _lzw(out, limit)
        elif f in (b"RunLengthDecode", b"RL"):
            return bytes(_run_length_size(out, limit))  # drawing instructions are never run-length coded twice
        else:
            break
        if len(out) >= limit:
            break
    return out


def _inflate(raw: bytes, limit: int) -> bytes:
    d = zlib.decompressobj()
    try:
        return d.decompress(raw, limit)
    except zlib.error:
        return raw[:0]  # undecodable: pdfminer skips it too


def _run_length_size(raw: bytes, limit: int) -> int:
    """The decoded size of a run-length stream, counted up to ``limit``."""
    i = n = 0
    while i < len(raw) and n < limit:
        b = raw[i]
        if b < 128:
            n, i = n + b + 1, i + b + 2
        elif b > 128:
            n, i = n + 257 - b, i + 2
        else:
            break
    return min(n, limit)


def _lzw(raw: bytes, limit: int) -> bytes:
    import io

    from pdfminer.lzw import LZWDecoder

    out = bytearray()
    try:
        for piece in LZWDecoder(io.BytesIO(raw)).run():
            out += piece
            if len(out) >= limit:
                break
    except Exception:  # noqa: BLE001 - a broken LZW stream: what was decoded so far is what counts
        return bytes(out)
    return bytes(out)


def _decipher(data: bytes):
    """The encrypted file's stream decryption (empty user password), or a pass-through."""
    import io

    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    try:
        doc = PDFDocument(PDFParser(io.BytesIO(data)))
    except Exception:  # noqa: BLE001 - pdfplumber reports an unreadable or protected file itself
        return None
    if doc.decipher is None:
        return None
    handler = doc.decipher
    return lambda objid, genno, raw: handler(objid, genno, raw)


# ---- time -----------------------------------------------------------------------------------------

class _Expired(BaseException):
    """Raised inside the reading thread when its budget is spent. A BaseException, so that no
    library's ``except Exception`` swallows it; turned into LimitExceeded by :class:`TimeBudget`."""


class TimeBudget:
    """Stop reading and parsing one document after ``seconds``: a watchdog timer raises an exception
    inside the reading thread (Python code is interrupted between two bytecodes; a C call
    finishes first, which the size limits keep short). ``seconds`` 0 means no limit."""

    _running = threading.local()  # a budget inside another (parse_file around read_bytes) is the outer one's

    def __init__(self, seconds: float, name: str):
        self.seconds, self.name = seconds, name
        self._lock = threading.Lock()
        self._active = False
        self._timer: threading.Timer | None = None

    def __enter__(self) -> Self:
        if self.seconds > 0 and not getattr(self._running, "on", False):
            self._running.on = True
            self._thread = threading.get_ident()
            self._active = True
            self._timer = threading.Timer(self.seconds, self._expire)
            self._timer.daemon = True
            self._timer.start()
        return self

    def _expire(self) -> None:
        with self._lock:
            if self._active:
                _raise_in(self._thread, _Expired)

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        try:
            with self._lock:
                self._active = False
            if self._timer is not None:
                self._timer.cancel()
                self._running.on = False
        except _Expired:  # delivered on the way out
            self._running.on = False
            exc = _Expired()
        if isinstance(exc, _Expired):
            raise over_limit(self.name, "读取与解析耗时过长", "reading and parsing take too long",
                             f"> {self.seconds:g} 秒 s", f"{self.seconds:g} 秒 s", LIMIT_ENV["seconds"]) from None


def _raise_in(thread_id: int, exc_type: type[BaseException]) -> None:
    n = ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exc_type))
    if n > 1:  # cannot happen for one thread id; undo rather than hit others
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), None)
