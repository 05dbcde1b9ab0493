"""kind_mismatch: an indicator from a family the project's kind does not use (施工安全 in a software
project), about nothing the project's name, overview, goals or other rows mention."""
from __future__ import annotations

from ...text.normalize import to_halfwidth
from ..draft import Draft
from ..families import families
from .base import Finding, Rule, RuleEnv


def check(draft: Draft, env: RuleEnv) -> list[Finding]:
    """``env.plausible``: other kinds an uncertain inference could not rule out; they excuse the row too."""
    if not env.kind:
        return []
    own = to_halfwidth(draft.context_text())
    kinds = {env.kind, *env.plausible}
    out = []
    for row in draft.rows:
        for fam in families():
            if kinds & fam.kinds or not fam.matches(row.name, row.frame_l2) or fam.about(own):
                continue
            # Other rows about the same topic (not from the same family) show it is part of the project.
            others = "；".join(r.name for r in draft.rows if r is not row and not fam.matches(r.name, r.frame_l2))
            if fam.about(others):
                continue
            fit = sorted(fam.kinds)
            out.append(RULE.finding(row.name,
                                    f"“{row.name}”属于{fam.label}类指标，适用于{'、'.join(fit)}等项目，与本项目（{env.kind}类）不符；"
                                    f"项目概况和目标中也没有相关内容。",
                                    f"删除该指标，改用反映{env.kind}项目产出或效益的指标"))
            break
    return out


RULE = Rule("kind_mismatch", "error", "indicator_unclear", frozenset({"rows", "overview", "goals", "kind"}), 20,
            "指标与项目类别不符（软件项目的施工安全、生态效益，会议的森林覆盖率……）", check=check)
