"""duplicate_indicator: the same indicator twice in one form (equal names up to 的, 工作, 情况 …)."""
from __future__ import annotations

import re

from ..draft import Draft, Row
from ..names import key
from .base import Finding, Rule, RuleEnv


def dup_key(name: str) -> str:
    return re.sub(r"工作|项目|情况|程度|水平|性$|的", "", key(name))


def check(draft: Draft, env: RuleEnv) -> list[Finding]:
    seen: dict[str, Row] = {}
    out = []
    for row in draft.rows:
        k = dup_key(row.name)
        if not k:
            continue
        first = seen.get(k)
        if first is None:
            seen[k] = row
            continue
        same = "同一指标" if first.name == row.name else f"与“{first.name}”实为同一指标"
        out.append(RULE.finding(row.name, f"“{row.name}”{same}，在本表中出现两次（{first.target} / {row.target}）。",
                                f"删除重复的“{row.name}”，保留一条并统一指标值"))
    return out


RULE = Rule("duplicate_indicator", "warn", "indicator_unclear", frozenset({"rows"}), 70,
            "同一指标在表中出现两次", check=check)
