"""The same form as GBK text, Word, Excel and PDF parses to the same records; bad input is refused
with a message that names the file and the problem, and a bad file does not stop a batch."""
from __future__ import annotations

import zipfile
from dataclasses import asdict
from pathlib import Path

import pytest

from pbm_nlp.config import ReadLimits
from pbm_nlp.errors import InputError, UnreadableFile, UnrecognisedDocument, UnsupportedFormat
from pbm_nlp.ingest.readers import read_bytes
from pbm_nlp.ingest.registry import parse_file, parse_text
from pbm_nlp.store import Store

from .conftest import SEED_000, SEED_001, SEED_003, SEED_004, ingest, seed_text


def _records(doc) -> list[dict]:
    out = []
    for r in doc.declarations + doc.evaluations:
        d = asdict(r)
        d.pop("source")
        out.append(d)
    return out


def _write_docx(text: str, path: Path) -> Path:
    """Lines with tabs become Word tables (as a 2023 form is laid out); other lines paragraphs."""
    import docx

    document = docx.Document()
    block: list[list[str]] = []

    def flush():
        if not block:
            return
        width = max(len(r) for r in block)
        table = document.add_table(rows=len(block), cols=width)
        for i, row in enumerate(block):
            for j, cell in enumerate(row):
                table.cell(i, j).text = cell
        block.clear()

    for line in text.split("\n"):
        if "\t" in line:
            block.append(line.split("\t"))
        else:
            flush()
            document.add_paragraph(line)
    flush()
    document.save(path)
    return path


def _write_xlsx(text: str, path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for i, line in enumerate(text.split("\n"), start=1):
        for j, cell in enumerate(line.split("\t"), start=1):
            if cell:
                ws.cell(row=i, column=j, value=cell)
    wb.save(path)
    return path


def _write_pdf(text: str, path: Path) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 10)
    y = 800
    for line in text.split("\n"):
        c.drawString(30, y, line)
        y -= 13
        if y < 40:
            c.showPage()
            c.setFont("STSong-Light", 10)
            y = 800
    c.save()
    return path


def test_gbk_text_parses_like_utf8(tmp_path):
    gbk = tmp_path / "results_gbk.txt"
    gbk.write_bytes(seed_text(SEED_000).encode("gbk"))
    raw = read_bytes(gbk.read_bytes(), gbk.name)
    assert raw.encoding == "gbk"
    assert _records(parse_file(gbk)) == _records(parse_file(SEED_000))


def test_docx_of_a_2018_form_parses_like_the_text(tmp_path):
    path = _write_docx(seed_text(SEED_001), tmp_path / "form.docx")
    assert _records(parse_file(path)) == _records(parse_file(SEED_001))


def test_docx_with_tables_of_the_2023_forms(tmp_path):
    path = _write_docx(seed_text(SEED_003), tmp_path / "forms2023.docx")
    assert _records(parse_file(path)) == _records(parse_file(SEED_003))


def test_xlsx_of_the_2023_forms(tmp_path):
    path = _write_xlsx(seed_text(SEED_003), tmp_path / "forms2023.xlsx")
    assert _records(parse_file(path)) == _records(parse_file(SEED_003))


def test_xlsx_of_evaluation_results(tmp_path):
    path = _write_xlsx(seed_text(SEED_000), tmp_path / "results.xlsx")
    assert _records(parse_file(path)) == _records(parse_file(SEED_000))


def test_pdf_of_evaluation_results(tmp_path):
    path = _write_pdf(seed_text(SEED_000), tmp_path / "results.pdf")
    doc = parse_file(path)
    assert _records(doc) == _records(parse_file(SEED_000))


def test_pdf_of_the_report_keeps_scores_and_problems(tmp_path):
    path = _write_pdf(seed_text(SEED_004), tmp_path / "report.pdf")
    (ev,) = parse_file(path).evaluations
    assert ev.score == 87.12 and len(ev.problems) == 2


@pytest.mark.parametrize(
    "name, data, error, fragment",
    [
        ("broken.docx", b"PK\x03\x04 not really a zip", UnreadableFile, "Word"),
        ("broken.xlsx", b"\x00\x01garbage", UnreadableFile, "Excel"),
        ("broken.pdf", b"%PDF-1.4\n%broken", UnreadableFile, "PDF"),
        ("image.png", b"\x89PNG\r\n\x1a\n", UnsupportedFormat, ".png"),
        ("blob.txt", b"\x00\x01\x02\x03binary", UnreadableFile, "NUL"),
        ("empty.txt", b"", InputError, "empty"),
    ],
)
def test_bad_files_get_clear_messages(name, data, error, fragment):
    with pytest.raises(error) as info:
        read_bytes(data, name)
    assert name in str(info.value) or fragment in str(info.value)
    assert fragment in info.value.en or fragment in info.value.zh
    assert info.value.zh and info.value.en


def test_zip_that_is_not_a_docx(tmp_path):
    path = tmp_path / "fake.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(UnreadableFile, match="fake.docx"):
        parse_file(path)


def test_huge_file_is_refused(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("绩效" * 2000, encoding="utf-8")
    with pytest.raises(InputError, match="too large"):
        parse_file(path, ReadLimits(file_bytes=1000))


def test_text_of_no_known_type_is_refused_with_what_was_found():
    with pytest.raises(UnrecognisedDocument) as info:
        parse_text("今天天气很好，我们去公园散步。", name="diary.txt")
    assert "diary.txt" in info.value.en and "今天天气很好" in info.value.zh
    assert "绩效评价结果信息表" in info.value.zh


def test_empty_text_is_refused():
    with pytest.raises(InputError, match="empty"):
        parse_text("  \n ", name="blank.txt")


def test_one_bad_file_does_not_stop_the_batch(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a docx")
    odd = tmp_path / "notes.txt"
    odd.write_text("会议纪要：讨论下周安排。", encoding="utf-8")
    with Store(tmp_path / "b.db") as store:
        report = ingest(store.path, bad, SEED_000, odd, SEED_004)
        assert report.added == 2
        assert {Path(e.file).name for e in report.errors} == {"bad.docx", "notes.txt"}
        assert store.counts()["evaluations"] == 6
