"""missing_dimension: no indicator at all for one of 数量、质量、时效、成本、效益、满意度."""
from __future__ import annotations

from .. import frame
from ..draft import Draft
from ..vocab import lexicon
from .base import Finding, Rule, RuleEnv


def check(draft: Draft, env: RuleEnv) -> list[Finding]:
    have = {r.dim for r in draft.rows}
    themes = lexicon("lint").table("dimension_theme")
    out = []
    for dim in frame.REQUIRED:
        if dim in have:
            continue
        l1, l2 = frame.DIMENSION_SLOT[dim]
        where = f"{l1}/{l2}" if dim != "效益" else "效益指标（经济/社会/生态效益或可持续影响）"
        extra = "（可作为产出指标下的成本指标，或按财政部2021年指引单列成本指标一级）" if dim == "成本" else ""
        fix = env.fixer(draft, dim) if env.fixer else f"在{where}下增加可量化指标"
        out.append(RULE.finding(None, f"缺少{dim}指标：{where}下没有任何指标{extra}。", fix,
                                theme=themes.get(dim, RULE.theme)))
    return out


RULE = Rule("missing_dimension", "warn", "indicator_unclear", frozenset({"rows", "fixer"}), 80,
            "缺少数量、质量、时效、成本、效益或满意度某一维度的指标", check=check)
