"""wrong_direction: a negative indicator (故障率, 投诉次数) whose target asks for more, or a plainly
positive rate (完成率, 满意度) capped from above or set to zero."""
from __future__ import annotations

from ..draft import Draft, Row
from ..measure import measure_type, polarity, positive_rate
from ..vocab import lexicon
from .base import Finding, Rule, RuleEnv
from .rewrite import negative_fix


def _negative(row: Row) -> Finding | None:
    p = row.parsed
    bad, sev = False, "error"
    if p.value is not None and p.operator in ("≥", ">") and p.value > 0:
        bad = True
    elif p.value is not None and p.operator == "=" and p.value > 0:
        bad, sev = True, ("error" if (p.unit == "%" and p.value >= 50) or p.value >= 100 else "warn")
    elif p.qualitative and lexicon("polarity").pattern("rise").search(row.target):
        bad = True
    if not bad:
        return None
    what = "越低越好" if measure_type(row.name) != "time" else "越短越好"
    return RULE.finding(row.name, f"“{row.name}”是反向指标（{what}），指标值“{row.target}”却鼓励其更多发生，方向写反了。",
                        negative_fix(row), severity=sev)


def _positive(row: Row) -> Finding | None:
    p = row.parsed
    if p.operator in ("≤", "<"):
        return RULE.finding(row.name, f"“{row.name}”是正向指标（越高越好），指标值“{row.target}”却设了上限。",
                            f"{row.name} ≥{p.value:g}{p.unit or ''}", severity="warn")
    if p.value == 0 and p.operator in ("=", "≥", None):
        return RULE.finding(row.name, f"“{row.name}”是正向指标，指标值“{row.target}”等于零，达成与否没有区别。",
                            f"{row.name} =100%")
    return None


def check(draft: Draft, env: RuleEnv) -> list[Finding]:
    out = []
    for row in draft.rows:
        pol = polarity(row.name)
        if pol == -1:
            f = _negative(row)
        elif pol == 1 and row.parsed.value is not None and positive_rate(row.name):
            f = _positive(row)
        else:
            f = None
        if f:
            out.append(f)
    return out


RULE = Rule("wrong_direction", "error", "indicator_unclear", frozenset({"rows"}), 40,
            "指标方向写反（故障率、投诉率要求“≥”，完成率、满意度设上限或为零）", check=check)
