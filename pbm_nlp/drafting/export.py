"""Suggest and lint results as a 绩效目标申报表 in .xlsx and .docx, findings or risks as a second part.

Every cell goes through ``neutralise``: a value starting with = + - @ (or a tab or carriage
return) would be read by a spreadsheet as a formula, so it is prefixed with an apostrophe
(the OWASP CSV-injection advice) and stored as text. That includes targets such as "=100%".
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..sheets import append_row as put
from ..sheets import neutralise
from .rules import SEVERITY_ZH

#: 指标值依据 is the basis (计划标准, 预算支出标准, 行业标准, 历史标准 or 待填); 依据来源 what a reader can check.
TABLE_HEADER = ("一级指标", "二级指标", "三级指标", "指标值", "指标值依据", "设置理由", "依据来源")
FINDING_HEADER = ("项目名称", "规则", "严重程度", "指标", "问题说明", "修改建议", "对应评价主题")
RISK_HEADER = ("问题主题", "预计概率", "相似项目及其问题", "预防指标", "管理措施")


# ---- the rows both formats share ----------------------------------------------------------------

def _info_rows(result: dict[str, Any]) -> list[tuple[str, str]]:
    rows = [("项目名称", result.get("project", ""))]
    if result.get("kind"):
        conf = result.get("kind_confidence")
        rows.append(("项目类别", f"{result['kind']}" + (f"（置信度 {conf:.0%}）" if conf is not None else "")))
    if result.get("year"):
        rows.append(("年度", str(result["year"])))
    return rows


def _indicator_rows(result: dict[str, Any]) -> list[list[str]]:
    return [[i.get("level1", ""), i.get("level2", ""), i.get("name", ""), i.get("target", ""), i.get("basis", ""),
             i.get("reason", ""), "；".join(i.get("sources") or [])] for i in result.get("indicators", [])]


def _finding_rows(reports: Sequence[dict[str, Any]]) -> list[list[str]]:
    return [[r["project"], f["rule"], SEVERITY_ZH.get(f["severity"], f["severity"]), f.get("indicator") or "",
             f["message"], f["fix"], f.get("theme", "")] for r in reports for f in r["findings"]]


def _risk_rows(result: dict[str, Any]) -> list[list[str]]:
    out = []
    for r in result.get("risks", []):
        ev = "；".join(f"{e['project']}：{e['problem'][:60]}" for e in r["evidence"])
        inds = "；".join(f"{i['name']} {i['target']}" for i in r["preempt_indicators"])
        out.append([f"{r['name']}（{r['theme']}）", f"{r['probability']:.0%}", ev, inds, "；".join(r["preempt_measures"])])
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
    """Sheet 1 绩效目标申报表 (info rows, then the indicator table); sheet 2 检查结果 or 风险提示."""
    from openpyxl import Workbook
    reports, kind = _as_reports(result)
    wb = Workbook()
    ws = wb.active
    ws.title = "绩效目标申报表"

    for n, rep in enumerate(reports):
        if n:
            ws.append([])
        put(ws, ["项目支出绩效目标申报表"], header=True)
        for k, v in _info_rows(rep):
            put(ws, [k, v])
        put(ws, TABLE_HEADER, header=True)
        for row in _indicator_rows(rep):
            put(ws, row)
    for col, width in zip("ABCDEFG", (12, 16, 30, 18, 12, 50, 50)):
        ws.column_dimensions[col].width = width

    second = wb.create_sheet("检查结果" if kind == "lint" else "风险提示")
    put(second, FINDING_HEADER if kind == "lint" else RISK_HEADER, header=True)
    for row in (_finding_rows(reports) if kind == "lint" else _risk_rows(reports[0])):
        put(second, row)
    path = Path(path)
    wb.save(path)
    return path


# ---- docx -------------------------------------------------------------------------------------------

def write_docx(result: dict[str, Any] | Sequence[dict[str, Any]], path: str | Path) -> Path:
    """A 申报表 per project (info table, indicator table), then a 检查结果 or 风险提示 section."""
    from docx import Document

    reports, kind = _as_reports(result)
    doc = Document()

    def table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        t = doc.add_table(rows=1, cols=len(header))
        t.style = "Table Grid"
        for cell, h in zip(t.rows[0].cells, header):
            cell.text = neutralise(h)
        for row in rows:
            cells = t.add_row().cells
            for cell, v in zip(cells, row):
                cell.text = neutralise("" if v is None else str(v))

    doc.add_heading("项目支出绩效目标申报表", level=1)
    for rep in reports:
        doc.add_heading(neutralise(rep.get("project", "")), level=2)
        table(("项目", "内容"), _info_rows(rep))
        doc.add_paragraph("")
        table(TABLE_HEADER, _indicator_rows(rep))
    doc.add_heading("检查结果" if kind == "lint" else "风险提示", level=1)
    if kind == "lint":
        table(FINDING_HEADER, _finding_rows(reports))
    else:
        table(RISK_HEADER, _risk_rows(reports[0]))
    path = Path(path)
    doc.save(path)
    return path


def write(result: dict[str, Any] | Sequence[dict[str, Any]], path: str | Path) -> Path:
    """Write by suffix: .xlsx or .docx."""
    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        return write_xlsx(result, path)
    if suffix == ".docx":
        return write_docx(result, path)
    raise InputError(f"不支持导出为“{suffix or '无后缀'}”：请使用 .xlsx 或 .docx。",
                     f"cannot export to {suffix or 'a file without suffix'!r}: use .xlsx or .docx.")
