"""vague_target: an output indicator whose target is a placeholder or a word where a number belongs."""
from __future__ import annotations

from .. import frame
from ..draft import Draft
from ..vocab import lexicon
from .base import Finding, Rule, RuleEnv
from .rewrite import quantified


def check(draft: Draft, env: RuleEnv) -> list[Finding]:
    lex = lexicon("lint")
    out = []
    for row in draft.rows:
        if row.frame_l1 != frame.OUTPUT:
            continue
        p = row.parsed
        if p.placeholder:
            out.append(RULE.finding(row.name, f"产出指标“{row.name}”的指标值“{row.target or '（空）'}”未填写具体数值。",
                                    quantified(row, draft), severity="error"))
        elif (p.qualitative and not lex.pattern("inherently_qualitative").search(row.name)
              and not lex.pattern("deadline_target").search(row.target)):
            out.append(RULE.finding(row.name, f"产出指标“{row.name}”的指标值“{row.target}”是定性表述，评价时无法衡量完成程度，应量化。",
                                    quantified(row, draft)))
    return out


RULE = Rule("vague_target", "warn", "indicator_unclear", frozenset({"rows", "overview", "goals"}), 60,
            "产出指标的目标值未量化（待定、≥N、“完成”“达标”等定性表述）", check=check)
