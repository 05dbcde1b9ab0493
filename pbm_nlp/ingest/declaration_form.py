"""上海市财政支出项目绩效目标申报表, 2018 frame (seed 001) and 2019 three-level frame (seed 002).

Both print the form as label/value lines; the indicator table (分解目标) comes as a stream of
cells that the PDF wrapped and sometimes ran together. The table reader classifies each cell
as a level-1 header, a level-2 header, a target or a piece of an indicator name.
"""
from __future__ import annotations

import re

from ..schema import Declaration, Indicator
from ..text.normalize import clean_line, parse_number, strip_quotes
from ..text.targets import looks_like_target, parse_target, split_glued_target
from .common import first_year, labelled_fields

MARKER = "绩效目标申报表"

LABELS = {
    "申报单位名称": "unit",
    "项目名称": "project",
    "项目类型": "project_type",
    "资金用途": "fund_use",
    "开始时间": "dates",
    "项目概况": "overview",
    "立项依据": "basis",
    "项目设立的必要性": "necessity",
    "保证项目实施的制度、措施": "measures",
    "项目总预算（元）": "budget",
    "同名项目上年预算额（元）": "last_budget",
    "子项目名称": "subprojects",
    "项目当年投入资金构成": "funding",
    "项目实施计划": "plan",
    "项目总目标": "total_goal",
    "年度绩效目标": "annual_goal",
    "分解目标": "indicators",
    "备注": "remarks",
}

#: Level-1 headers of the old frames; the PDF wraps "投入和管理目标" as "投入和管理目 / 标".
LEVEL1 = ("投入和管理目标", "产出目标", "效果目标", "影响力目标", "满意度目标")
LEVEL2 = (
    "财务管理", "资金投入管理", "项目实施管理", "投入管理", "项目管理", "实施管理",
    "数量目标", "质量目标", "时效目标", "成本目标", "社会效益目标", "经济效益目标", "生态效益目标",
    "可持续目标", "可持续影响目标", "满意度目标", "服务对象满意度目标",
)
_TABLE_HEADERS = ("分解目标内容绩效指标指标目标值", "一级指标二级指标三级指标指标目标值")
_NOISE = re.compile(r"^\[pe_target\.[a-z_]+\].*$|^\(限\d+字以内\)$")


def matches(text: str) -> bool:
    return MARKER in text and "分解目标" in text


def parse(text: str, source: str = "") -> list[Declaration]:
    lines = text.split("\n")
    chunks: list[list[str]] = [[]]
    for ln in lines:
        if MARKER in clean_line(ln) and len(clean_line(ln)) <= 20:
            chunks.append([])
        chunks[-1].append(ln)
    decls = []
    for chunk in chunks:
        joined = "\n".join(chunk)
        if "分解目标" not in joined:
            continue
        decls.append(_parse_form(chunk, source))
    # A form that lost its header (seed 002) takes its year and unit from the document.
    doc_year = next((d.year for d in decls if d.year), None)
    doc_unit = next((d.unit for d in decls if d.unit), None)
    for d in decls:
        d.year = d.year or doc_year
        d.unit = d.unit or doc_unit
    return decls


def _parse_form(chunk: list[str], source: str) -> Declaration:
    labels = {**LABELS}
    # Labels the PDF wraps over two lines: join them before reading fields.
    chunk = _join_wrapped_labels(chunk)
    f = labelled_fields(chunk, labels)
    header = "\n".join(clean_line(ln) for ln in chunk[:6])
    year = None
    if m := re.search(r"\(\s*(\d{4})\s*年\s*\)", header):
        year = int(m.group(1))
    subprojects = _subprojects(f.get("funding", []) + f.get("subprojects", []))
    project = strip_quotes("".join(f.get("project", [])))
    if not project and subprojects:
        project = subprojects[0][0]  # the form lost its header: 子项目名称 names it
    start, end = _dates("".join(f.get("dates", [])))
    budget = None
    if budget_text := "".join(f.get("budget", [])):
        budget = parse_number(budget_text)
    if budget is None and subprojects:
        budget = sum(v for _, v in subprojects if v) or None
    table = f.get("indicators", [])
    return Declaration(
        project=project,
        year=year or (int(start[:4]) if start else None) or first_year("".join(f.get("plan", []))),
        frame="2019" if any("一级指标" in t for t in table[:3]) else "2018",
        unit=("".join(f.get("unit", [])).strip() or None),
        project_type=_checked("".join(f.get("project_type", []))),
        fund_use=_checked("".join(f.get("fund_use", []))),
        start_date=start,
        end_date=end,
        budget=budget,
        overview="\n".join(f.get("overview", [])),
        total_goal="\n".join(f.get("total_goal", [])),
        annual_goal="\n".join(f.get("annual_goal", [])),
        subprojects=subprojects,
        indicators=read_indicator_cells(_table_cells(chunk)),
        doc_type="declaration",
        source=source,
    )


def _join_wrapped_labels(chunk: list[str]) -> list[str]:
    out: list[str] = []
    wrapped = {("项目设立的必", "要性"), ("保证项目实施", "的制度、措施"), ("项目当年投入", "资金构成"),
               ("投入和管理目", "标")}
    i = 0
    cleaned = [clean_line(ln) for ln in chunk]
    while i < len(chunk):
        c = cleaned[i]
        nxt = next((j for j in range(i + 1, min(i + 3, len(chunk))) if cleaned[j]), None)
        if nxt is not None and (c, cleaned[nxt]) in wrapped:
            out.append(c + cleaned[nxt])
            i = nxt + 1
            continue
        out.append(chunk[i])
        i += 1
    return out


def _checked(text: str) -> list[str]:
    """Options marked √ in a checkbox row: '结转项目□ 其他一次性项目√' → ['其他一次性项目']."""
    text = clean_line(text)
    return [m.group(1) for m in re.finditer(r"([^□√■☑☐\s]+?)\s*[√☑■✓]", text)]


def _dates(text: str) -> tuple[str | None, str | None]:
    found = re.findall(r"\d{4}-\d{1,2}-\d{1,2}", text)
    return (found[0] if found else None, found[1] if len(found) > 1 else None)


def _subprojects(paras: list[str]) -> list[tuple[str, float | None]]:
    out = []
    for p in paras:
        m = re.match(r"^(.*?\D)\s*(\d[\d,]*(?:\.\d+)?)$", p.strip())
        if m and not m.group(1).startswith("预算金额"):
            out.append((m.group(1).strip(), parse_number(m.group(2))))
    return out


def _table_cells(chunk: list[str]) -> list[str]:
    """The cells of the 分解目标 table, one per whitespace-separated token, noise removed."""
    cells: list[str] = []
    inside = False
    for ln in chunk:
        c = clean_line(ln)
        if not inside:
            if c.replace(" ", "") in _TABLE_HEADERS:
                inside = True
            continue
        if c.startswith("备注"):
            break
        if not c or _NOISE.match(c) or c.replace(" ", "") in _TABLE_HEADERS:
            continue
        cells.extend(tok for tok in ln.split() if tok.strip())
    return [clean_line(t) for t in cells]


def read_indicator_cells(cells: list[str]) -> list[Indicator]:
    """Rebuild indicator rows from a stream of cells.

    Headers set the current level 1 and 2; other cells accumulate into a name until a target
    arrives. A header repeated after a page break just sets the same level again.
    """
    rows: list[Indicator] = []
    level1: str = ""
    level2: str | None = None
    name = ""
    for cell in cells:
        if cell in LEVEL1 and not name:
            if cell == "满意度目标" and level1 == "满意度目标":
                continue
            level1, level2 = cell, None
            continue
        if cell in LEVEL2 and not name and cell != level1:
            level2 = cell
            continue
        if name and looks_like_target(cell):
            rows.append(_row(level1, level2, name, cell))
            name = ""
            continue
        glued = split_glued_target(cell) if not name or len(name + cell) > 4 else None
        if glued and not looks_like_target(cell):
            rows.append(_row(level1, level2, name + glued[0], glued[1]))
            name = ""
            continue
        name += cell
    return rows


def _row(level1: str, level2: str | None, name: str, target: str) -> Indicator:
    return Indicator(level1=level1, level2=level2, name=name, target=target, parsed=parse_target(target))
