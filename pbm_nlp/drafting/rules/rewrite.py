"""Concrete rewrites the rules propose: a quantified version of a vague row, a capped negative one."""
from __future__ import annotations

import re

from .. import frame
from ..draft import Draft, Row
from ..measure import format_target, measure_type, polarity, unit_family
from ..names import similar
from ..vocab import lexicon


def planned(row: Row, draft: Draft) -> str | None:
    """The overview's own number for a quantity row (保洁养护河道长度 ← 总长63.5公里), if it has one."""
    from ..plan import read_plan

    typ = measure_type(row.name) or "count"
    fits = [q for q in read_plan(draft.overview, draft.goals).quantities if (unit_family(q.unit) or "count") == typ]
    if not fits:
        return None
    best = max(fits, key=lambda q: similar(q.obj + q.verb, row.name))
    return f"{row.name} {format_target('≥', best.number, best.unit)}"


def negative_fix(row: Row) -> str:
    """A negative indicator with the right direction: zero for accidents and counts, a small cap otherwise."""
    unit = row.parsed.unit or ("%" if measure_type(row.name) == "rate" else "次")
    if lexicon("polarity").pattern("zero_tolerance").search(row.name) or measure_type(row.name) == "count":
        return f"{row.name} =0{'' if unit == '%' else unit}" if unit != "%" else f"{row.name} =0%"
    if measure_type(row.name) == "time":
        return f"{row.name} ≤{format_target('', row.parsed.value or 2, '')}{unit}"
    v = row.parsed.value
    return f"{row.name} ≤{v:g}%" if v is not None and 0 < v < 50 else f"{row.name} ≤2%"


def quantified(row: Row, draft: Draft | None = None) -> str:
    """A numeric version of a qualitatively targeted indicator."""
    plan = planned(row, draft) if draft is not None and row.frame_l2 == frame.QUANTITY else None
    if plan:
        return plan
    if polarity(row.name) == -1:
        return negative_fix(row)
    stem = re.sub(r"(?:情况|程度|水平|性|度)$", "", row.name)
    if stem.endswith("规范"):
        return f"{stem[:-2]}合规率 =100%"
    if row.frame_l2 == frame.TIMELINESS:
        name = stem if stem.endswith(("及时率", "率")) else re.sub(r"及时$", "", stem) + "及时率"
        return f"{name} =100%"
    if measure_type(row.name) == "rate":
        return f"{row.name} {'=100%' if re.search(r'完成|合格|通过|验收|到位|达标', row.name) else '≥95%'}"
    if row.frame_l2 == frame.QUALITY:
        if stem.endswith(("合格", "达标", "通过")):
            return f"{stem}率 =100%"
        return f"{stem}{'验收合格率' if not re.search(r'质量|验收', stem) else '合格率'} =100%"
    if row.frame_l2 == frame.COST:
        return f"{stem}控制数 ≤预算批复金额（万元）"
    return f"{stem}完成率 =100%" if not stem.endswith("完成") else f"{stem}率 =100%"
