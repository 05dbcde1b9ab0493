"""Exports: 申报表 layout in .xlsx and .docx, findings/risks second, formula injection neutralised."""
from __future__ import annotations

import pytest
from docx import Document
from openpyxl import load_workbook

from pbm_nlp.drafting.export import TABLE_HEADER, neutralise, write, write_docx, write_xlsx
from pbm_nlp.drafting.lint import lint
from pbm_nlp.drafting.suggest import suggest
from pbm_nlp.errors import InputError

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


def test_neutralise_only_formula_starts():
    assert [neutralise(v) for v in HOSTILE] == ["'" + v for v in HOSTILE]
    assert neutralise("≥90%") == "≥90%" and neutralise(3.5) == 3.5 and neutralise(None) is None


def test_suggest_xlsx_is_a_declaration_form_with_risks(tmp_path, suggestion):
    wb = load_workbook(write_xlsx(suggestion, tmp_path / "s.xlsx"))
    assert wb.sheetnames == ["绩效目标申报表", "风险提示"]
    rows = list(wb["绩效目标申报表"].iter_rows(values_only=True))
    head = rows.index(TABLE_HEADER)
    table = rows[head + 1:]
    assert len(table) == len(suggestion["indicators"])
    assert [r[2] for r in table] == [i["name"] for i in suggestion["indicators"]]
    targets = [r[3] for r in table]
    assert "'=100%" in targets and not any(t.startswith(("=", "+", "-", "@")) for t in targets)
    # every number carries its basis and what a reader can check
    assert [r[4] for r in table] == [i["basis"] for i in suggestion["indicators"]]
    assert all(r[6] for r in table) and any("项目概况：" in r[6] for r in table)
    assert wb["风险提示"].max_row == len(suggestion["risks"]) + 1


def test_lint_exports_neutralise_every_hostile_cell(tmp_path, reports):
    wb = load_workbook(write(reports, tmp_path / "l.xlsx"))
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" and not c.value.startswith(("=", "+", "-", "@")) for c in cells)
    findings = list(wb["检查结果"].iter_rows(values_only=True))
    assert len(findings) == 1 + sum(len(r["findings"]) for r in reports)
    assert {"'" + h for h in HOSTILE[1:]} <= {row[3] for row in findings}

    doc = Document(write_docx(reports, tmp_path / "l.docx"))
    texts = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert not any(t.startswith(("=", "+", "-", "@")) for t in texts)
    assert "'" + HOSTILE[0] in [p.text for p in doc.paragraphs]
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


def test_unknown_suffix_is_refused(tmp_path, suggestion):
    with pytest.raises(InputError, match=".xlsx"):
        write(suggestion, tmp_path / "s.csv")
