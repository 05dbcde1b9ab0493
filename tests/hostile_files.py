"""Builders of hostile documents that are small on disk: decompression bombs (.docx, .xlsx, .pdf),
parts that lie about their size, page and cell floods, entity expansion. Used by
tests/test_hostile.py and benchmarks/bombs.py.

A bomb's payload is a raw deflate stream made of one compressed block repeated: a block compressed
from 1 MB of repetitive XML or drawing instructions ends on a byte boundary after a full flush, so
repeating its bytes N times inflates to N MB while the file grows by ~1 KB per MB.
"""
from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

MB = 1_000_000

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
DOCX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'wordprocessingml.document.main+xml"/></Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="word/document.xml"/></Relationships>'),
}
XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/></Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
}
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


@dataclass
class Deflated:
    """A raw deflate stream with the size and CRC it inflates to."""

    data: bytes
    size: int
    crc: int


def _raw(data: bytes, final: bool) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)


def repeated(head: bytes, unit: bytes, times: int, tail: bytes, exact_crc: bool = False) -> Deflated:
    """head + unit × times + tail, deflated by repeating one block; the CRC is computed only when
    asked (it takes a few seconds for gigabytes), else left 0 (refused before anyone checks it)."""
    data = _raw(head, False) + _raw(unit, False) * times + _raw(tail, True)
    crc = 0
    if exact_crc:
        crc = zlib.crc32(head)
        for _ in range(times):
            crc = zlib.crc32(unit, crc)
        crc = zlib.crc32(tail, crc)
    return Deflated(data, len(head) + len(unit) * times + len(tail), crc)


def write_zip(path: Path, parts: dict[str, str | bytes | Deflated]) -> Path:
    """A zip of deflated parts (a Deflated part says its own size and CRC, true or not)."""
    local, central = bytearray(), bytearray()
    for name, content in parts.items():
        if not isinstance(content, Deflated):
            raw = content.encode("utf-8") if isinstance(content, str) else content
            content = Deflated(_raw(raw, True), len(raw), zlib.crc32(raw))
        size = content.size
        fname = name.encode()
        offset = len(local)
        head = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, content.crc, len(content.data), size,
                           len(fname), 0)
        local += head + fname + content.data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, content.crc,
                               len(content.data), size, len(fname), 0, 0, 0, 0, 0, offset) + fname
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(central), len(local), 0)
    path.write_bytes(bytes(local + central + end))
    return path


def _liar(stream: Deflated, start: bytes, claims: int) -> Deflated:
    """The part claims ``claims`` bytes, with the CRC of its first ``claims`` bytes: zipfile's own
    check passes, and ``ZipFile.read`` inflates up to 2 GB before cutting the data to size."""
    return Deflated(stream.data, claims, zlib.crc32(start[:claims]))


def docx_bomb(path: Path, inflated: int, lie: int = 0, exact_crc: bool = False) -> Path:
    """A .docx whose word/document.xml inflates to ``inflated`` bytes of paragraphs; with ``lie``
    the part claims to be that many bytes (and carries a matching CRC)."""
    para = "<w:p><w:r><w:t>项目资金使用不规范。</w:t></w:r></w:p>".encode()
    unit = para * (MB // len(para))
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>'.encode()
    doc = repeated(head, unit, max(1, inflated // len(unit)), b"</w:body></w:document>", exact_crc and not lie)
    return write_zip(path, DOCX_PARTS | {"word/document.xml": _liar(doc, head + unit, lie) if lie else doc})


def xlsx_bomb(path: Path, inflated: int, lie: int = 0, exact_crc: bool = False) -> Path:
    """An .xlsx whose sheet inflates to ``inflated`` bytes of rows of inline strings."""
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    unit = row * (MB // len(row))
    head = SHEET_HEAD.encode() + b"<sheetData>"
    sheet = repeated(head, unit, max(1, inflated // len(unit)), b"</sheetData></worksheet>", exact_crc and not lie)
    return write_zip(path, XLSX_PARTS | {"xl/worksheets/sheet1.xml": _liar(sheet, head + unit, lie) if lie else sheet})


def xlsx_far_cell(path: Path) -> Path:
    """A sheet that declares A1:XFD1048576 and has a cell in its first and its last corner: a
    reader that pads to the declared dimension walks 17 billion cells."""
    sheet = (SHEET_HEAD + '<dimension ref="A1:XFD1048576"/><sheetData>'
             '<row r="1"><c r="A1" t="inlineStr"><is><t>绩效目标申报表</t></is></c></row>'
             '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>末尾</t></is></c></row>'
             '</sheetData></worksheet>')
    return write_zip(path, XLSX_PARTS | {"xl/worksheets/sheet1.xml": sheet})


def many_parts(path: Path, n: int) -> Path:
    return write_zip(path, DOCX_PARTS | {f"word/media/p{i}.xml": "<a/>" for i in range(n)})


def entity_expansion(path: Path) -> Path:
    """'Billion laughs' in the document part: a parser that expands entities blows up."""
    lol = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    doc = (f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY l0 "lol">{lol}]>'
           f'<w:document {W}><w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body></w:document>')
    return write_zip(path, DOCX_PARTS | {"word/document.xml": doc})


def external_entity(path: Path, target: Path) -> Path:
    """An external entity naming a local file: a parser that resolves it leaks the file's text."""
    doc = (f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file://{target}">]>'
           f'<w:document {W}><w:body><w:p><w:r><w:t>绩效&x;</w:t></w:r></w:p></w:body></w:document>')
    return write_zip(path, DOCX_PARTS | {"word/document.xml": doc})


# ---- PDF --------------------------------------------------------------------------------------------

TEXT_OP = b"BT /F1 12 Tf 72 712 Td (Hello) Tj ET\n"


def zlib_stream(raw_deflate: Deflated, adler: int = 1) -> bytes:
    """A raw deflate stream in zlib framing (what PDF's FlateDecode expects)."""
    return b"\x78\xda" + raw_deflate.data + struct.pack(">I", adler)


def pdf(path: Path, content: bytes, filters: str = "/FlateDecode", pages: int = 1) -> Path:
    """A minimal PDF whose ``pages`` pages share one content stream (``content`` already encoded
    through ``filters``; "" for none)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + b" ".join(f"{4 + i} 0 R".encode() for i in range(pages)) +
            f"] /Count {pages} >>".encode(),
            f"<< {f'/Filter {filters} ' if filters else ''}/Length {len(content)} >>\nstream\n".encode() + content
            + b"\nendstream"]
    font = 4 + pages
    objs += [f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R /Resources << /Font << /F1 "
             f"{font} 0 R >> >> >>".encode()] * pages
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


def pdf_bomb(path: Path, inflated: int, exact: bool = False, layers: int = 2) -> Path:
    """A page whose drawing instructions inflate to ``inflated`` bytes through two Flate layers
    (the file stays a few kilobytes), or one (about 1 MB on disk per GB). ``exact``: correct
    checksums, as a real attacker would make."""
    unit = TEXT_OP * (MB // len(TEXT_OP))
    times = max(1, inflated // len(unit))
    inner = repeated(b"", unit, times, b"", exact_crc=False)
    adler = 1
    if exact:
        for _ in range(times):
            adler = zlib.adler32(unit, adler)
    stream = zlib_stream(inner, adler)
    if layers == 1:
        return pdf(path, stream, "/FlateDecode")
    return pdf(path, zlib.compress(stream, 9), "[/FlateDecode /FlateDecode]")


def pdf_pages(path: Path, pages: int) -> Path:
    return pdf(path, zlib.compress(TEXT_OP), pages=pages)


def pdf_dense_page(path: Path, content_bytes: int) -> Path:
    """One page with ``content_bytes`` of text-drawing instructions: small once compressed, but a
    minute of text extraction per few hundred kilobytes."""
    return pdf(path, zlib.compress(TEXT_OP * (content_bytes // len(TEXT_OP)), 9))
