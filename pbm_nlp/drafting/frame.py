"""The indicator frame: every year's 一级/二级 labels mapped onto the current national frame.

Forms from 2018 say 投入和管理目标/产出目标/效果目标/影响力目标 with no 二级; 2019 forms add
二级 such as 数量目标 or 社会效益目标; 2023 forms use the national 产出指标/效益指标/满意度指标.
The Ministry of Finance's 2021 guidance also allows 成本指标 as its own 一级 (经济/社会/生态环境
成本). One mapping lets the library pool indicators across years and lets the checker ask
"is there a 时效 indicator?" of any form.
"""
from __future__ import annotations

from .vocab import lexicon

OUTPUT, BENEFIT, SATISFACTION, COST1, LEGACY = "产出指标", "效益指标", "满意度指标", "成本指标", "投入和管理指标"
QUANTITY, QUALITY, TIMELINESS, COST = "数量指标", "质量指标", "时效指标", "成本指标"
ECONOMIC, SOCIAL, ECOLOGICAL, SUSTAINABLE = "经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"
CLIENT = "服务对象满意度指标"
ECON_COST, SOCIAL_COST, ECO_COST = "经济成本指标", "社会成本指标", "生态环境成本指标"

#: The dimensions a form must cover, as the checker names them.
REQUIRED = ("数量", "质量", "时效", "成本", "效益", "满意度")

def _frame():
    return lexicon("frame")


def _level1(raw: str) -> str | None:
    for label, cues in _frame().table("level1_words").items():
        if any(c in raw for c in cues):
            return label
    return None


def _level2(raw: str) -> str | None:
    for label, cues in _frame().table("level2_words").items():
        if any(c in raw for c in cues):
            return label
    return None


def _output_level2(name: str) -> str:
    """An output indicator with no 二级 (2018 forms): guess from the name."""
    lex = _frame()
    for key, label in (("output_timeliness", TIMELINESS), ("output_cost", COST), ("output_quality", QUALITY)):
        if lex.pattern(key).search(name):
            return label
    return QUANTITY


def _benefit_level2(name: str, old_frame: str) -> str:
    lex = _frame()
    if lex.pattern("benefit_economic").search(name):
        return ECONOMIC
    if lex.pattern("benefit_ecological").search(name):
        return ECOLOGICAL
    if "影响力" in old_frame or lex.pattern("benefit_sustainable").search(name):
        return SUSTAINABLE
    return SOCIAL


def classify(level1: str | None, level2: str | None, name: str) -> tuple[str, str]:
    """Map a row onto the national frame: ('效果目标', '社会效益目标', x) → ('效益指标', '社会效益指标')."""
    l1raw, l2raw = (level1 or "").strip(), (level2 or "").strip()
    if "满意" in name and "满意" not in l2raw and _level1(l1raw) != OUTPUT:
        return SATISFACTION, CLIENT
    if not l2raw and _frame().pattern("economic_name").search(name):
        return BENEFIT, ECONOMIC
    l1 = _level1(l1raw) or _level1(l2raw)
    l2 = _level2(l2raw) if l2raw else None
    if l1 == SATISFACTION:
        return SATISFACTION, CLIENT
    if l1 == COST1 or (l1 is None and l2 in (ECON_COST, SOCIAL_COST, ECO_COST)):
        if l2 in (ECON_COST, SOCIAL_COST, ECO_COST):
            return COST1, l2
        return COST1, ECON_COST
    if l1 == OUTPUT or (l1 is None and l2 in (QUANTITY, QUALITY, TIMELINESS, COST)):
        if l2 in (QUANTITY, QUALITY, TIMELINESS, COST):
            return OUTPUT, l2
        if l2 in (ECON_COST, SOCIAL_COST, ECO_COST):
            return OUTPUT, COST
        return OUTPUT, _output_level2(name)
    if l1 == BENEFIT or (l1 is None and l2 in (ECONOMIC, SOCIAL, ECOLOGICAL, SUSTAINABLE)):
        if l2 in (ECONOMIC, SOCIAL, ECOLOGICAL, SUSTAINABLE):
            return BENEFIT, l2
        return BENEFIT, _benefit_level2(name, l1raw)
    if l1 == LEGACY:
        return LEGACY, l2raw or "投入和管理"
    # Unknown 一级: fall back on the name.
    if _frame().pattern("benefit_name").search(name):
        return BENEFIT, _benefit_level2(name, "")
    return OUTPUT, _output_level2(name)


def dimension(level1: str, level2: str) -> str | None:
    """The required dimension a classified row covers (数量 … 满意度), or None (legacy rows)."""
    if level1 == SATISFACTION:
        return "满意度"
    if level1 == COST1 or level2 == COST:
        return "成本"
    if level1 == BENEFIT:
        return "效益"
    if level1 == OUTPUT:
        return {QUANTITY: "数量", QUALITY: "质量", TIMELINESS: "时效"}.get(level2)
    return None


#: The 二级 of each required dimension, for a suggested fix.
DIMENSION_SLOT = {"数量": (OUTPUT, QUANTITY), "质量": (OUTPUT, QUALITY), "时效": (OUTPUT, TIMELINESS),
                  "成本": (OUTPUT, COST), "效益": (BENEFIT, SOCIAL), "满意度": (SATISFACTION, CLIENT)}
