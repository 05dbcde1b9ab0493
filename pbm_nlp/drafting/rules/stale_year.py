"""stale_year: a year in the goals or an indicator that is not the form's year (a form copied from an
old one), unless the year is a reference (较2023年, 2019年以来, 《2019年…办法》, a plan period)."""
from __future__ import annotations

import re

from ...text.normalize import to_halfwidth
from ..draft import Draft
from ..vocab import lexicon
from .base import Finding, Rule, RuleEnv

_YEAR_RX = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s*(?:年度|年|届)")
_RANGE_RX = re.compile(r"((?:19|20)\d{2})\s*(?:年)?\s*(?:-|—|–|~|～|至|到)\s*((?:19|20)\d{2})")


def stale_years(text: str, year: int) -> list[tuple[int, str]]:
    """(year, context) of every year in ``text`` that is neither the form's, the next, nor a reference."""
    lex = lexicon("lint")
    found = []
    ranges = [(int(a), int(b), m.span()) for m in _RANGE_RX.finditer(text) for a, b in [m.groups()]]
    for m in _YEAR_RX.finditer(text):
        y = int(m.group(1))
        if y in (year, year + 1):
            continue
        if any(a <= year <= b and s[0] <= m.start() <= s[1] for a, b, s in ranges):
            continue
        before = text[max(0, m.start() - 6):m.start()]
        if (lex.pattern("year_reference_before").search(before)
                or lex.pattern("year_reference_after").search(text[m.end():m.end() + 6])):
            continue
        if text[:m.start()].count("《") > text[:m.start()].count("》"):
            continue  # inside a document title: 《2019年…办法》
        found.append((y, text[max(0, m.start() - 8):m.end() + 10]))
    return found


def check(draft: Draft, env: RuleEnv) -> list[Finding]:
    if not draft.year:
        return []
    out = []
    places = [("年度目标", None, draft.annual_goal), ("总体目标", None, draft.total_goal)]
    places += [("指标", r.name, f"{r.name} {r.target}") for r in draft.rows]
    for where, ind, text in places:
        for y, ctx in stale_years(to_halfwidth(text or ""), draft.year):
            if y > draft.year and where == "总体目标":
                continue  # a multi-year total goal may look ahead
            fixed = ctx.replace(str(y), str(draft.year))
            out.append(RULE.finding(ind, f"{where}中的“{ctx.strip()}”写的是{y}年，而本表是{draft.year}年度申报表，疑似沿用旧表。",
                                    f"改为本年度：“{fixed.strip()}”", severity="error" if y < draft.year else "warn"))
    return out


RULE = Rule("stale_year", "error", "indicator_unclear", frozenset({"rows", "goals", "year"}), 30,
            "目标或指标中的年份不是申报年度（沿用旧表）", check=check)
