"""unit_mismatch: a target whose unit cannot measure what the name measures (a 速度 in kb, 人次 in 万元).
A relative change in % (群众平均等候时间缩短 ≥20%) is valid for any quantity."""
from __future__ import annotations

from ..draft import Draft, Row
from ..measure import allowed_units, default_unit, measure_type, mentioned_types
from ..vocab import lexicon
from .base import Finding, Rule, RuleEnv


def _message(row: Row, typ: str) -> str | None:
    p, fam = row.parsed, row.parsed.family
    units = lexicon("units")
    type_zh, family_zh = units.table("type_zh"), units.table("family_zh")
    if fam is None and p.unit is None:
        if typ == "rate" and p.value != 0:
            return f"“{row.name}”是比率，指标值“{row.target}”没有写 %，无法判断口径。"
        if typ in ("speed", "length", "area", "weight"):
            return f"“{row.name}”衡量{type_zh[typ]}，指标值“{row.target}”没有写单位。"
        return None
    if fam is None:
        return f"“{row.name}”衡量{type_zh[typ]}，单位“{p.unit}”不能衡量它。"
    return f"“{row.name}”衡量{type_zh[typ]}，“{p.unit}”是{family_zh.get(fam, fam)}，不能衡量{type_zh[typ]}。"


def _exempt(row: Row) -> bool:
    """A relative change in % (等候时间缩短 ≥20%) and a calendar date (2024年底前) are valid as written."""
    lex = lexicon("lint")
    if row.parsed.family == "percent" and lex.pattern("relative_change").search(row.name):
        return True
    return bool(lex.pattern("date_target").search(row.target))


def check(draft: Draft, env: RuleEnv) -> list[Finding]:
    out = []
    for row in draft.rows:
        p, typ = row.parsed, measure_type(row.name)
        if p.value is None or typ is None or _exempt(row):
            continue
        fam = p.family
        allowed = set(allowed_units(typ))
        if typ == "rate" and any(w in row.name for w in ("满意度", "评分", "得分")):
            allowed.add("score")
        if fam in allowed or (fam is not None and any(fam in allowed_units(t) for t in mentioned_types(row.name))):
            continue  # the unit fits the head, or another quantity the name names (单位面积物业服务费 in 元)
        msg = _message(row, typ)
        if msg is None:
            continue
        v = p.value if not (typ == "speed" and fam == "data") else 100
        out.append(RULE.finding(row.name, msg, f"{row.name} {p.operator or '='}{v:g}{default_unit(typ)}"))
    return out


RULE = Rule("unit_mismatch", "error", "indicator_unclear", frozenset({"rows"}), 50,
            "计量单位与指标含义不符（速度用 kb、人次用万元、比率不写 %）", check=check)
