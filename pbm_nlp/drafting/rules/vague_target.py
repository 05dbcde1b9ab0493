"""vague_target: a target that is a placeholder, or a word where a number belongs.

Output rows (数量、质量、时效、成本) must be numbers or deadlines. Benefit and satisfaction rows
may be qualitative only when the indicator is inherently so (制度健全性: 健全, 长效管理机制: 健全);
a degree word (显著, 明显, 有所提升, 进一步提高) or a measurable name (…率, …人次) asks for a number.
"""
from __future__ import annotations

import re

from .. import frame
from ..draft import Draft, Row
from ..measure import measure_type
from ..vocab import lexicon
from .base import Finding, Rule, RuleEnv
from .rewrite import quantified


def _benefit_fix(row: Row) -> str:
    stem = re.sub(r"(?:情况|程度|水平|性|度)$", "", row.name) or row.name
    return (f"“{row.name}”改为可衡量的目标值并写明口径，如“{stem}提升率 ≥__%”或相应的人次、户数、金额，"
            f"数值按实施方案、测算或近年实际值填写")


def _could_be_number(row: Row) -> bool:
    lex = lexicon("lint")
    if lex.pattern("inherently_qualitative").search(row.name):
        return False
    return bool(lex.pattern("could_be_number").search(row.target)) or measure_type(row.name) is not None


def check(draft: Draft, env: RuleEnv) -> list[Finding]:
    lex = lexicon("lint")
    out = []
    for row in draft.rows:
        p, output = row.parsed, row.frame_l1 == frame.OUTPUT
        where = "产出指标" if output else "指标"
        if p.placeholder:
            out.append(RULE.finding(row.name, f"{where}“{row.name}”的指标值“{row.target or '（空）'}”未填写具体数值。",
                                    quantified(row, draft) if output else _benefit_fix(row), severity="error"))
        elif not p.qualitative or lex.pattern("deadline_target").search(row.target):
            continue
        elif output and not lex.pattern("inherently_qualitative").search(row.name):
            out.append(RULE.finding(row.name, f"产出指标“{row.name}”的指标值“{row.target}”是定性表述，评价时无法衡量完成程度，应量化。",
                                    quantified(row, draft)))
        elif not output and row.frame_l1 != frame.LEGACY and _could_be_number(row):
            out.append(RULE.finding(row.name, f"“{row.name}”的指标值“{row.target}”只说了方向或程度，评价时无法判断是否达成，应量化。",
                                    _benefit_fix(row)))
    return out


RULE = Rule("vague_target", "warn", "indicator_unclear", frozenset({"rows", "overview", "goals"}), 60,
            "目标值未量化：待定、≥N、“完成”“达标”，或效益指标只写“显著”“明显”“有所提升”（制度健全性等本质定性指标除外）",
            check=check)
