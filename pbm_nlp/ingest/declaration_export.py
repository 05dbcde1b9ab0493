"""The 申报表 that 起草助手 and `pbm suggest --xlsx/--docx` write, read back to the same record.

The readers turn the .xlsx rows or the Word tables into tab-separated lines; the layout is the one
:mod:`pbm_nlp.drafting.export` writes: a title line per project, info lines (label, value), then
the indicator table whose header names its columns (so a sheet with a column added or moved by
hand still reads), and after the forms a 检查结果 / 风险提示 part that is not part of the record.
"""
from __future__ import annotations

import re

from ..schema import Declaration, Indicator
from ..text.normalize import parse_number
from ..text.targets import parse_target

FORM_TITLE = "项目支出绩效目标申报表"
INFO = {"项目名称": "project", "项目类别": "kind", "年度": "year", "预算（元）": "budget", "项目概况": "overview",
        "年度目标": "annual_goal"}
#: The indicator table's header starts so (the basis column is what only this layout has).
HEADER = ("一级指标", "二级指标", "三级指标", "指标值", "指标值依据")
COLUMNS = {"一级指标": "level1", "二级指标": "level2", "三级指标": "name", "指标值": "target", "指标值依据": "basis",
           "设置理由": "reason"}
#: Parts after the forms.
AFTER = ("检查结果", "风险提示")
#: Fields a spreadsheet cell may hold over several lines.
_MULTILINE = ("overview", "annual_goal")


def matches(text: str) -> bool:
    head = "\t".join(HEADER)
    return FORM_TITLE in text and any(ln.strip().startswith(head) for ln in text.split("\n"))


def parse(text: str, source: str = "") -> list[Declaration]:
    forms: list[dict] = []
    form: dict | None = None
    field: str | None = None
    for line in text.split("\n"):
        cells = [c.strip() for c in line.split("\t")]
        first = cells[0]
        if first in AFTER and not any(cells[1:]):
            break
        if first == FORM_TITLE and not any(cells[1:]):
            form, field = {"info": {}, "columns": None, "rows": []}, None
            forms.append(form)
        elif form is None:
            continue
        elif form["columns"] is None and tuple(cells[:len(HEADER)]) == HEADER:
            form["columns"] = {COLUMNS[c]: i for i, c in enumerate(cells) if c in COLUMNS}
        elif form["columns"] is None and first in INFO:
            field = INFO[first]
            form["info"][field] = next((c for c in cells[1:] if c), "")
        elif form["columns"] is None and field in _MULTILINE and len(cells) == 1:
            form["info"][field] += "\n" + first  # a cell's text over several lines
        elif form["columns"] is not None and any(cells):
            form["rows"].append({key: cells[i] if i < len(cells) else "" for key, i in form["columns"].items()})
    return [d for f in forms if (d := _declaration(f, source)) is not None]


def _declaration(form: dict, source: str) -> Declaration | None:
    info = form["info"]
    project = info.get("project", "").strip()
    if not project:
        return None
    year = info.get("year", "")
    budget = parse_number(info.get("budget", "")) if info.get("budget") else None
    kind = re.split(r"[（(]", info.get("kind", ""), maxsplit=1)[0].strip() or None
    indicators = [Indicator(r.get("level1", ""), r.get("level2") or None, r["name"], r.get("target", ""),
                            parse_target(r.get("target", "")), r.get("basis", ""), r.get("reason", ""))
                  for r in form["rows"] if r.get("name")]
    return Declaration(project=project, year=int(year) if year.isdigit() else None, frame="2023", category=kind,
                       budget=budget, overview=info.get("overview", "").strip(),
                       annual_goal=info.get("annual_goal", "").strip(), indicators=indicators,
                       doc_type="declaration", source=source)
