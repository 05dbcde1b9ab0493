"""Exports: 申报表 layout in .xlsx and .docx (A4), findings/risks second, real formula starts made inert
without a visible apostrophe, and the files read back to the same record."""
from __future__ import annotations

import pytest
from docx import Document
from openpyxl import load_workbook

from pbm_nlp.drafting.export import TABLE_HEADER, write, write_docx, write_xlsx
from pbm_nlp.drafting.lint import lint
from pbm_nlp.drafting.suggest import suggest
from pbm_nlp.errors import InputError
from pbm_nlp.ingest.registry import parse_file
from pbm_nlp.sheets import is_formula

from .test_lint import CLEAN_DRAFTS, ctx, ind  # noqa: F401

HOSTILE = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)"]


@pytest.fixture(scope="module")
def suggestion(ctx):  # noqa: F811
    return suggest({"project": "长者食堂补贴", "overview": "全年补贴长者食堂8家，每餐补贴3元，服务老年人1200名。"}, ctx)


@pytest.fixture(scope="module")
def reports(ctx):  # noqa: F811
    bad = dict(CLEAN_DRAFTS[1], project=HOSTILE[0])
    bad["indicators"] = bad["indicators"] + [ind("产出指标", "质量指标", h, "达标") for h in HOSTILE[1:]]
    return lint([bad, CLEAN_DRAFTS[2]], ctx)


def test_only_real_formula_starts_count_as_formulas():
    assert all(is_formula(v) for v in HOSTILE + ["\tx", "=A1", "=1+1"])
    assert not any(is_formula(v) for v in ("=100%", "=100(%)", "-5%", "+3天", "=0.00", "≥90%", "健全", 3.5, None))


def test_suggest_xlsx_is_a_declaration_form_with_risks(tmp_path, suggestion):
    wb = load_workbook(write_xlsx(suggestion, tmp_path / "s.xlsx"))
    assert wb.sheetnames == ["绩效目标申报表", "风险提示"]
    rows = list(wb["绩效目标申报表"].iter_rows(values_only=True))
    head = rows.index(TABLE_HEADER)
    table = rows[head + 1:]
    assert len(table) == len(suggestion["indicators"])
    assert [r[2] for r in table] == [i["name"] for i in suggestion["indicators"]]
    targets = [r[3] for r in table]
    assert "=100%" in targets and not any(t.startswith("'") for t in targets)  # text, shown as written
    # every number carries its basis and what a reader can check
    assert [r[4] for r in table] == [i["basis"] for i in suggestion["indicators"]]
    assert all(r[6] for r in table) and any("项目概况：" in r[6] for r in table)
    assert wb["风险提示"].max_row == len(suggestion["risks"]) + 2  # title, header, risks


def test_lint_exports_neutralise_every_hostile_cell(tmp_path, reports):
    wb = load_workbook(write(reports, tmp_path / "l.xlsx"))
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in cells)  # text cells: nothing is run as a formula
    hostile = [c for c in cells if c.value in HOSTILE]
    assert hostile and all(c.quotePrefix for c in hostile)  # Excel's hidden apostrophe, nothing visible
    assert all(c.value.startswith(tuple(HOSTILE)) for c in cells if c.quotePrefix)
    findings = list(wb["检查结果"].iter_rows(values_only=True))
    assert len(findings) == 2 + sum(len(r["findings"]) for r in reports)  # title, header, findings
    assert set(HOSTILE[1:]) <= {row[3] for row in findings}

    doc = Document(write_docx(reports, tmp_path / "l.docx"))
    texts = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert HOSTILE[0] in texts and not any(t.startswith("'") for t in texts)  # Word runs no formulas
    # Per project: an info table and an indicator table; then one findings table.
    assert len(doc.tables) == 2 * len(reports) + 1
    assert len(doc.tables[1].rows) == 1 + len(reports[0]["indicators"])
    assert len(doc.tables[-1].rows) == 1 + sum(len(r["findings"]) for r in reports)


def test_docx_suggestion_has_risk_section(tmp_path, suggestion):
    doc = Document(write(suggestion, tmp_path / "s.docx"))
    assert "风险提示" in [p.text for p in doc.paragraphs]
    assert len(doc.tables[1].rows) == 1 + len(suggestion["indicators"])
    header = [c.text for c in doc.tables[1].rows[0].cells]
    assert header == list(TABLE_HEADER) and "指标值依据" in header and "依据来源" in header
    assert [r.cells[4].text for r in doc.tables[1].rows[1:]] == [i["basis"] for i in suggestion["indicators"]]


def test_word_pages_are_a4(tmp_path):
    doc = Document(write(DRAFT, tmp_path / "d.docx"))
    assert all((round(s.page_width.mm), round(s.page_height.mm)) == (210, 297) for s in doc.sections)


DRAFT = {"project": "长者食堂补贴项目", "kind": "补助补贴", "year": 2025, "budget": 3_200_000.0,
         "overview": "为全区45家长者食堂提供运营补贴，全年服务老年人约60万人次。", "annual_goal": "长者助餐服务覆盖全区。",
         "indicators": [
             {"level1": "产出指标", "level2": "数量指标", "name": "补贴长者食堂数量", "target": "≥45家",
              "basis": "计划标准：概况“45家长者食堂”", "reason": "概况写明的数量"},
             {"level1": "产出指标", "level2": "质量指标", "name": "补贴资金发放准确率", "target": "=100%",
              "basis": "行业标准", "reason": ""},
             {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "老年人满意度", "target": "≥90%",
              "basis": "", "reason": "服务对象的评价"}],
         "risks": []}


@pytest.mark.parametrize("suffix", ["xlsx", "docx"])
def test_export_reads_back_to_the_same_record(tmp_path, suffix):
    doc = parse_file(write(DRAFT, tmp_path / f"草稿.{suffix}"))
    assert doc.doc_type == "declaration_export"
    (d,) = doc.declarations
    assert (d.project, d.kind, d.year, d.budget, d.overview, d.annual_goal) == tuple(
        DRAFT[k] for k in ("project", "kind", "year", "budget", "overview", "annual_goal"))
    assert [(i.level1, i.level2, i.name, i.target, i.basis, i.reason) for i in d.indicators] == [
        tuple(i[k] for k in ("level1", "level2", "name", "target", "basis", "reason")) for i in DRAFT["indicators"]]
    assert d.indicators[1].parsed.value == 100.0


def test_several_forms_and_their_findings_read_back_as_forms_only(tmp_path):
    other = dict(DRAFT, project="社区食堂补贴", year=None, budget=None, overview="", annual_goal="")
    reports = [dict(DRAFT, findings=[]), dict(other, findings=[{"rule": "vague_target", "severity": "warn",
                                                                  "indicator": "老年人满意度", "message": "m",
                                                                  "fix": "f", "theme": "indicator_unclear"}])]
    for suffix in ("xlsx", "docx"):
        decls = parse_file(write(reports, tmp_path / f"多份.{suffix}")).declarations
        assert [(d.project, d.year, d.budget, len(d.indicators)) for d in decls] == [
            ("长者食堂补贴项目", 2025, 3_200_000.0, 3), ("社区食堂补贴", None, None, 3)]


def test_unknown_suffix_is_refused(tmp_path, suggestion):
    with pytest.raises(InputError, match=".xlsx"):
        write(suggestion, tmp_path / "s.csv")
