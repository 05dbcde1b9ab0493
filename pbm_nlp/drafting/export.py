"""Suggest and lint results as a 绩效目标申报表 in .xlsx and .docx, findings or risks as a second part.

The layout is one the app and `pbm lint` read back to the same record
(:mod:`pbm_nlp.ingest.declaration_export`): per project a title row, the info rows (项目名称, 项目类别,
年度, 预算（元）, 项目概况, 年度目标), then the indicator table with its basis; the second part starts
with its own title row. Word pages are A4. Texts are stored as text: "=100%" stays "=100%", and
only in spreadsheets does a real formula start get Excel's hidden quote prefix (:mod:`pbm_nlp.sheets`).
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..sheets import a4
from ..sheets import append_row as put
from .rules import SEVERITY_ZH

#: The title row that starts each project's form (the reader splits forms on it).
FORM_TITLE = "项目支出绩效目标申报表"
INFO_LABELS = ("项目名称", "项目类别", "年度", "预算（元）", "项目概况", "年度目标")
#: 指标值依据 is the basis (计划标准, 预算支出标准, 行业标准, 历史标准 or 待填); 依据来源 what a reader can check.
TABLE_HEADER = ("一级指标", "二级指标", "三级指标", "指标值", "指标值依据", "设置理由", "依据来源")
FINDING_HEADER = ("项目名称", "规则", "严重程度", "指标", "问题说明", "修改建议", "对应评价主题")
RISK_HEADER = ("问题主题", "预计概率", "相似项目及其问题", "预防指标", "管理措施")


# ---- the rows both formats share ----------------------------------------------------------------

def _info_rows(result: dict[str, Any]) -> list[tuple[str, Any]]:
    """Every info row, empty ones included, so the form reads back to the same record."""
    budget = result.get("budget")
    values = (result.get("project", ""), result.get("kind") or "", result.get("year") or "",
              budget if isinstance(budget, (int, float)) and budget else "", result.get("overview") or "",
              result.get("annual_goal") or "")
    return list(zip(INFO_LABELS, values))


def _theme_name(theme: str | None) -> str:
    from ..themes.taxonomy import theme_names

    return theme_names().get(theme or "", theme or "")


def _indicator_rows(result: dict[str, Any]) -> list[list[str]]:
    return [[i.get("level1", ""), i.get("level2", ""), i.get("name", ""), i.get("target", ""), i.get("basis", ""),
             i.get("reason", ""), "；".join(i.get("sources") or [])] for i in result.get("indicators", [])]


def _finding_rows(reports: Sequence[dict[str, Any]]) -> list[list[str]]:
    return [[r["project"], f["rule"], SEVERITY_ZH.get(f["severity"], f["severity"]), f.get("indicator") or "",
             f["message"], f["fix"], _theme_name(f.get("theme"))] for r in reports for f in r["findings"]]


def _risk_rows(result: dict[str, Any]) -> list[list[str]]:
    out = []
    for r in result.get("risks", []):
        ev = "；".join(f"{e['project']}：{e['problem'][:60]}" for e in r["evidence"])
        inds = "；".join(f"{i['name']} {i['target']}" for i in r["preempt_indicators"])
        out.append([r.get("name") or _theme_name(r["theme"]), f"{r['probability']:.0%}", ev, inds,
                    "；".join(r["preempt_measures"])])
    return out


def _as_reports(result: dict[str, Any] | Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], str]:
    """A suggest result (one dict with "indicators" and "risks") or lint reports (dicts with "findings")."""
    reports = [result] if isinstance(result, dict) else list(result)
    if not reports:
        raise InputError("没有可导出的结果。", "nothing to export.")
    kind = "lint" if "findings" in reports[0] else "suggest"
    return reports, kind


# ---- xlsx -------------------------------------------------------------------------------------------

def write_xlsx(result: dict[str, Any] | Sequence[dict[str, Any]], path: str | Path) -> Path:
    """Sheet 1 绩效目标申报表 (per project: title, info rows, the indicator table); sheet 2 检查结果 or 风险提示."""
    from openpyxl import Workbook
    reports, kind = _as_reports(result)
    wb = Workbook()
    ws = wb.active
    ws.title = "绩效目标申报表"

    for n, rep in enumerate(reports):
        if n:
            ws.append([])
        put(ws, [FORM_TITLE], header=True)
        for k, v in _info_rows(rep):
            put(ws, [k, v])
        put(ws, TABLE_HEADER, header=True)
        for row in _indicator_rows(rep):
            put(ws, row)
    for col, width in zip("ABCDEFG", (12, 16, 30, 18, 12, 50, 50)):
        ws.column_dimensions[col].width = width
    a4(ws, landscape=True)

    title = "检查结果" if kind == "lint" else "风险提示"
    second = wb.create_sheet(title)
    put(second, [title], header=True)
    put(second, FINDING_HEADER if kind == "lint" else RISK_HEADER, header=True)
    for row in (_finding_rows(reports) if kind == "lint" else _risk_rows(reports[0])):
        put(second, row)
    for col, width in zip("ABCDEFG", (20, 14, 10, 24, 50, 50, 18)):
        second.column_dimensions[col].width = width
    a4(second, landscape=True)
    path = Path(path)
    wb.save(path)
    return path


# ---- docx -------------------------------------------------------------------------------------------

def write_docx(result: dict[str, Any] | Sequence[dict[str, Any]], path: str | Path) -> Path:
    """A 申报表 per project on A4 (title, info table, indicator table), then a 检查结果 or 风险提示 section."""
    from docx import Document

    reports, kind = _as_reports(result)
    doc = Document()
    _a4_pages(doc)
    for n, rep in enumerate(reports):
        if n:
            doc.add_page_break()
        doc.add_heading(FORM_TITLE, level=1)
        _docx_table(doc, None, _info_rows(rep), widths=(3.0, 14.4))
        doc.add_paragraph("")
        _docx_table(doc, TABLE_HEADER, _indicator_rows(rep))
    doc.add_heading("检查结果" if kind == "lint" else "风险提示", level=1)
    if kind == "lint":
        _docx_table(doc, FINDING_HEADER, _finding_rows(reports))
    else:
        _docx_table(doc, RISK_HEADER, _risk_rows(reports[0]))
    path = Path(path)
    doc.save(path)
    return path


def _a4_pages(doc) -> None:
    """A4 portrait with 18 mm side margins; body text in 宋体 五号 (10.5 pt)."""
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(18)
        section.top_margin = section.bottom_margin = Mm(20)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")


def _docx_table(doc, header: Sequence[str] | None, rows: Sequence[Sequence[Any]],
                widths: Sequence[float] = ()) -> None:
    """A grid table (header row bold); texts as they are: Word runs no formulas."""
    from docx.shared import Cm

    table = doc.add_table(rows=0, cols=len(header) if header else len(rows[0]))
    table.style = "Table Grid"
    for i, row in enumerate(([header] if header else []) + [list(r) for r in rows]):
        cells = table.add_row().cells
        for cell, v in zip(cells, row):
            cell.text = "" if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
            if header and i == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    for col, width in zip(table.columns, widths):
        for cell in col.cells:
            cell.width = Cm(width)


def write(result: dict[str, Any] | Sequence[dict[str, Any]], path: str | Path) -> Path:
    """Write by suffix: .xlsx or .docx."""
    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        return write_xlsx(result, path)
    if suffix == ".docx":
        return write_docx(result, path)
    raise InputError(f"不支持导出为“{suffix or '无后缀'}”：请使用 .xlsx 或 .docx。",
                     f"cannot export to {suffix or 'a file without suffix'!r}: use .xlsx or .docx.")
