"""Checks at the service boundary on the numbers a user types: a budget, a year, a threshold.

What the drafting and tagging code below receives is then plausible: a budget is a finite
positive amount (1e308 would print a 300-digit target; NaN or a negative amount would be
dropped silently and change the inferred kind), a year is a year, a threshold a probability.
Every refusal names the field, what arrived and what to write.
"""
from __future__ import annotations

import math
import re
from typing import Any

from ..errors import InputError

#: The largest budget accepted, in 元 (one trillion: far above any single project).
MAX_BUDGET = 1e12
YEARS = (1990, 2100)
_YEAR = re.compile(r"(?<![\d.\-+eE])(\d{4})(?![\d.eE])")


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if not isinstance(value, int) or abs(value) < 10**20 else math.inf
    try:
        return float(str(value).replace(",", "").replace("，", "").replace("元", "").strip())
    except (ValueError, OverflowError):
        return None


def budget(value: Any, where: str = "") -> float | None:
    """A budget in 元: empty or 0 → None (no budget given); otherwise a finite number in (0, 1e12]."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    x = _number(value)
    if x == 0:
        return None
    if x is None or not math.isfinite(x) or x < 0 or x > MAX_BUDGET:
        raise InputError(f"{where}预算 {value!r} 无效：应为大于 0、不超过 {MAX_BUDGET:,.0f} 的金额（单位：元）。",
                         f"{where}budget {value!r} is invalid: give an amount in yuan above 0 and at most "
                         f"{MAX_BUDGET:,.0f}.")
    return x


def year(value: Any, where: str = "") -> int | None:
    """A year between 1990 and 2100 (2025, 2025.0, "2025", "2025年度", "2025-2026" → 2025); empty → None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    x: float | None
    if isinstance(value, str):
        m = _YEAR.search(value)
        x = float(m.group(1)) if m else None
    else:
        x = _number(value)
    if x is None or not math.isfinite(x) or x != int(x) or not YEARS[0] <= x <= YEARS[1]:
        raise InputError(f"{where}年度 {value!r} 无效：应为 {YEARS[0]}–{YEARS[1]} 之间的年份，如 2025。",
                         f"{where}year {value!r} is invalid: give a year between {YEARS[0]} and {YEARS[1]}, "
                         "such as 2025.")
    return int(x)


def unit_interval(value: Any, what: str, what_en: str) -> float | None:
    """A probability-like setting (threshold, similarity) in [0, 1]; None stays None."""
    if value is None:
        return None
    x = _number(value)
    if x is None or not 0.0 <= x <= 1.0:  # also refuses nan
        raise InputError(f"{what} {value!r} 无效：应为 0 到 1 之间的数。",
                         f"{what_en} {value!r} is invalid: give a number between 0 and 1.")
    return x


def positive_int(value: Any, what: str, what_en: str, most: int = 1_000_000) -> int | None:
    if value is None:
        return None
    x = _number(value)
    if x is None or not math.isfinite(x) or x != int(x) or not 1 <= x <= most:
        raise InputError(f"{what} {value!r} 无效：应为 1 到 {most} 之间的整数。",
                         f"{what_en} {value!r} is invalid: give a whole number from 1 to {most}.")
    return int(x)


def project_fields(obj: Any, where: str = "") -> Any:
    """A declaration or new project as a dict: its budget and year checked (others pass through)."""
    if isinstance(obj, dict):
        budget(obj.get("budget"), where)
        year(obj.get("year"), where)
    return obj
