"""Check a suggested table against what the request states: which rows put a project quantity in the
drafter's mouth that the request neither states nor lets one derive?

Independent of how the suggester chose its numbers: it reads only the rows and the request's own
quantities (``quantities_stated`` phrases, or the overview itself) and budget. A number is grounded
when it equals a stated number (also after a 万 conversion), the budget (元 or 万元), or the ratio of
two of those (a unit cost: 331万元 ÷ 230人 ≈ 1.44万元/人). Rates, scores, zeros, dates, 待填 rows and
values a cited rule sets (basis 行业标准 whose source names 《…》, GB, 〔年〕号 or 令第N号) are not
project quantities.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import combinations, permutations
from typing import Any

from .measure import read_target, unit_family

_NUM = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(万|亿)?")
_RULE = re.compile(r"《[^》]+》|GB[/ T]*\d|〔\d{4}〕|令第\d+号")
_HAN = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_RATE_FAMILIES = ("percent", "score")


def stated_numbers(phrases: Iterable[str], budget_wan: float | None = None) -> set[float]:
    """Every number the phrases state, with its 万/亿 scaling and without, plus the budget in 元 and 万元."""
    out: set[float] = set()
    for p in phrases:
        for m in _NUM.finditer(p.replace("，", "")):
            v = float(m.group(1).replace(",", ""))
            out |= {v, v * 10_000, v / 10_000}
            if m.group(2) == "亿":
                out |= {v * 10_000, v * 100_000_000}
        for ch, v in _HAN.items():
            if re.search(ch + r"[个座所台套项条处名人家次场期]", p):
                out.add(float(v))
    if budget_wan:
        out |= {budget_wan, budget_wan * 10_000}
    return out


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= max(0.011, abs(b) * 0.006)


def grounded(value: float, numbers: set[float]) -> bool:
    """``value`` is stated, or a ratio of two stated numbers or of a number and a sum of two or three
    (980万元 ÷ (2+3)台), rounded as a drafter would."""
    if any(_close(value, n) for n in numbers):
        return True
    base = [n for n in numbers if n > 0]
    small = sorted(n for n in base if n < 100_000)
    sums = [a + b for a, b in combinations(small, 2)] + [a + b + c for a, b, c in combinations(small[:30], 3)]
    ratios = (a / b for a, b in permutations(base, 2))
    ratios_of_sums = (a / d for a in base for d in sums)
    return any(_close(value, r) or _close(value, r * 10_000) or _close(value, r / 10_000)
               for r in (*ratios, *ratios_of_sums))


def is_project_quantity(row: dict[str, Any]) -> bool:
    target = str(row.get("target") or "")
    if target.startswith("待填"):
        return False
    t = read_target(target)
    if t.value is None or t.value == 0 or unit_family(t.unit) in _RATE_FAMILIES:
        return False
    # a value a cited rule sets (会议费 ≤550元/人天) needs no facts of the project
    return not (row.get("basis") == "行业标准" and any(_RULE.search(s) for s in row.get("sources") or []))


def invented_rows(rows: Sequence[dict[str, Any]], project: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows whose project quantity the request neither states nor lets one derive.

    ``project`` holds ``quantities_stated`` (else the overview is read) and ``budget_wan``, as the real
    project records in corpora/drafting/real_projects.jsonl do.
    """
    phrases = list(project.get("quantities_stated") or []) or [str(project.get("overview") or "")]
    phrases.append(str(project.get("project") or ""))
    numbers = stated_numbers(phrases, project.get("budget_wan"))
    return [r for r in rows if is_project_quantity(r) and not grounded(read_target(r["target"]).value, numbers)]
