"""财政项目支出绩效目标申报表 as a tab-separated table (seed 003, the 2023 forms).

Cells drift between columns from row to row, so cells are classified by content (a level-1
name, a level-2 name, a name, a target), not by position. The same reader serves the rows of
an .xlsx sheet or a Word table, which the readers turn into the same tab-separated lines.
"""
from __future__ import annotations

import re

from ..schema import Declaration, Indicator
from ..text.normalize import clean_line, parse_number, strip_quotes
from ..text.targets import parse_target

MARKER = "财政项目支出绩效目标申报表"

LEVEL1 = ("产出指标", "效益指标", "满意度指标", "成本指标")
LEVEL2 = (
    "数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标", "生态效益指标",
    "可持续影响指标", "服务对象满意度指标", "经济成本指标", "社会成本指标", "生态环境成本指标",
)
_ROW_LABELS = ("绩效指标", "项目绩效目标")


def matches(text: str) -> bool:
    return MARKER in text and "\t" in text and "一级指标" in text


def parse(text: str, source: str = "") -> list[Declaration]:
    forms: list[list[list[str]]] = []
    for ln in text.split("\n"):
        cells = [clean_line(c) for c in ln.split("\t")]
        joined = "".join(cells).replace(" ", "")
        if joined.startswith(MARKER):
            forms.append([])
            continue
        if forms and any(cells):
            forms[-1].append(cells)
    return [d for rows in forms if (d := _parse_form(rows, source)) is not None]


def _value_after(rows: list[list[str]], label: str, numeric: bool = False) -> str | None:
    """The first non-empty cell after the cell that holds ``label``."""
    for cells in rows:
        for i, c in enumerate(cells):
            if c.replace(" ", "") == label:
                for v in cells[i + 1:]:
                    if v and (not numeric or parse_number(v) is not None):
                        return v
                    if v and not numeric:
                        return v
                    if v and numeric:
                        break
                return None
    return None


def _parse_form(rows: list[list[str]], source: str) -> Declaration | None:
    project = _value_after(rows, "项目名称")
    if not project:
        return None
    year = None
    for cells in rows[:3]:
        if m := re.search(r"(\d{4})年度", "".join(cells)):
            year = int(m.group(1))
    start = _value_after(rows, "计划开始日期")
    budget_text = _value_after(rows, "年度资金申请总额", numeric=True) or _value_after(
        rows, "项目资金总额", numeric=True
    )
    total_goal, annual_goal = _goals(rows)
    return Declaration(
        project=strip_quotes(project),
        year=year or (int(start[:4]) if start and start[:4].isdigit() else None),
        frame="2023",
        unit=_value_after(rows, "实施单位") or _value_after(rows, "主管部门"),
        project_type=[v] if (v := _value_after(rows, "项目性质")) else [],
        category=_value_after(rows, "项目类别"),
        start_date=start,
        end_date=_value_after(rows, "计划完成日期"),
        budget=parse_number(budget_text) if budget_text else None,
        total_goal=total_goal,
        annual_goal=annual_goal,
        indicators=_indicators(rows),
        doc_type="declaration",
        source=source,
    )


def _goals(rows: list[list[str]]) -> tuple[str, str]:
    """The row after the 项目总目标/年度总体目标 header: text left of the 年度 column is the total goal."""
    for i, cells in enumerate(rows):
        flat = [c.replace(" ", "") for c in cells]
        if "年度总体目标" in flat and i + 1 < len(rows):
            annual_col = flat.index("年度总体目标")
            nxt = rows[i + 1]
            total = "".join(c for j, c in enumerate(nxt) if c and j < annual_col and c not in _ROW_LABELS)
            annual = "".join(c for j, c in enumerate(nxt) if c and j >= annual_col)
            return total, annual
    return "", ""


def _indicators(rows: list[list[str]]) -> list[Indicator]:
    out: list[Indicator] = []
    inside = False
    level1, level2 = "", None
    for cells in rows:
        flat = [c.replace(" ", "") for c in cells if c]
        if "一级指标" in flat:
            inside = True
            continue
        if not inside or not flat or set("".join(flat)) <= set("-"):
            continue
        rest: list[str] = []
        for c in flat:
            if c in _ROW_LABELS:
                continue
            if c in LEVEL1 and not (c == "成本指标" and level1 == "产出指标"):
                level1, level2 = c, None
            elif c in LEVEL2:
                level2 = c
            else:
                rest.append(c)
        if len(rest) >= 2:
            name, target = "".join(rest[:-1]), rest[-1]
            out.append(Indicator(level1, level2, name, target, parse_target(target)))
        elif len(rest) == 1:
            # A name whose target cell is blank: keep it visible rather than drop it.
            out.append(Indicator(level1, level2, rest[0], "", parse_target("")))
    return out
