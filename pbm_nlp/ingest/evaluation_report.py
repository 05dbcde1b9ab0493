"""绩效评价报告 (seed 004): score, grade, scoring table, problems and suggestions.

A report states its problems and suggestions twice (summary and body); they are read once.
The scoring table comes as wrapped cells; rows are found by their indicator codes
(A, A1, A1.1, B1.1.1 …) and checked against the totals the report states.
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher

from ..schema import Evaluation, Item, ScoreRow
from ..text.normalize import clean_line, reflow, strip_quotes
from ..text.segment import split_items
from .common import first_year

_SCORE = re.compile(r"(?:总体|综合|总)?得分(?:为|：|:)?\s*(\d{1,3}(?:\.\d+)?)\s*分")
_GRADE = re.compile(r"(?:评价)?等级(?:为|：|:)+\s*[：:]?\s*[“\"]?(优秀|良好|合格|中|差|不合格|优|良)")
_PROBLEM_HEADS = ("主要问题", "存在问题", "（一）存在问题", "(一)存在问题")
_SUGGEST_HEADS = ("改进建议", "整改建议", "建议及改进措施", "（二）建议及改进措施", "改进措施建议")
_CODE = re.compile(r"(?<![A-Za-z0-9.])([A-C](?:\d+(?:\.\d+){0,2})?)\.?(?=[\u4e00-\u9fff])")


def matches(text: str) -> bool:
    flat = text.replace(" ", "")
    return ("评价报告" in flat or "得分情况表" in flat or "总体得分" in flat) and (
        "存在问题" in flat or "主要问题" in flat
    )


def parse(text: str, source: str = "") -> list[Evaluation]:
    lines = text.split("\n")
    paragraphs = reflow(lines, is_break=_is_heading)
    flat = "".join(clean_line(ln) for ln in lines)
    score = float(m.group(1)) if (m := _SCORE.search(flat)) else None
    grade = m.group(1) if (m := _GRADE.search(flat)) else None
    project = _project(flat)
    year = first_year(project) or first_year(flat)
    amount = None
    if m := re.search(r"实际(?:支出|使用财政资金)\s*(?:资金)?\s*(\d+(?:\.\d+)?)\s*万元", flat):
        amount = float(m.group(1))
    unit = None
    if m := re.search(r"受(.{2,30}?)(?:（以下简称|\(以下简称|委托)", flat):
        unit = m.group(1)
    problems = _best_copy(paragraphs, _PROBLEM_HEADS, _SUGGEST_HEADS)
    suggestions = _best_copy(paragraphs, _SUGGEST_HEADS, ("前言", "附件", "前  言"))
    return [
        Evaluation(
            project=project or "",
            score=score,
            grade=grade,
            amount=amount,
            amount_unit="万元" if amount is not None else None,
            year=year,
            unit=unit,
            achievements=_achievements(paragraphs),
            problems=problems,
            suggestions=suggestions,
            scoring=scoring_table(lines),
            stated_totals=stated_totals(flat),
            doc_type="evaluation_report",
            source=source,
        )
    ]


def _is_heading(text: str) -> bool:
    t = text.rstrip("：: ")
    return any(t.endswith(h) for h in _PROBLEM_HEADS + _SUGGEST_HEADS) and len(t) <= 16


def _project(flat: str) -> str | None:
    m = re.search(r"针对[“\"](.{4,60}?)[”\"]", flat) or re.search(r"[“\"](.{4,60}?项目)[”\"]", flat)
    return strip_quotes(m.group(1)) if m else None


def _sections(paragraphs: list[str], heads: tuple[str, ...], stops: tuple[str, ...]) -> list[list[str]]:
    """Every run of paragraphs that starts at a heading in ``heads`` and ends at a stop or heading."""
    out: list[list[str]] = []
    current: list[str] | None = None
    for p in paragraphs:
        t = p.rstrip("：: ")
        if _is_heading(p) and any(t.endswith(h) for h in heads):
            current = []
            out.append(current)
            continue
        if current is not None:
            if _is_heading(p) or any(s in p for s in stops) or re.match(r"^[一二三四五六七八九十]+、", p):
                current = None
                continue
            current.append(p)
    return [s for s in out if s]


def _best_copy(paragraphs: list[str], heads: tuple[str, ...], stops: tuple[str, ...]) -> list[Item]:
    """Items of the fullest copy; other copies that repeat the same items are dropped."""
    copies = [split_items(s) for s in _sections(paragraphs, heads, stops)]
    if not copies:
        return []
    best = max(copies, key=lambda items: (len(items), sum(len(i.text) for i in items)))
    extra = [
        item
        for items in copies
        if items is not best
        for item in items
        if all(SequenceMatcher(None, item.heading, b.heading).ratio() < 0.8 for b in best)
    ]
    return best + extra


def _achievements(paragraphs: list[str]) -> str:
    out: list[str] = []
    grab = False
    for p in paragraphs:
        if re.search(r"(项目)?主要绩效(如下|及分析)?[：:]?$", p):
            grab = True
            out = []
            continue
        if grab:
            if re.match(r"^(\d、具体分析|[一二三四五六七八九十]+、|2、具体)", p):
                break
            out.append(p)
    return "\n".join(out)


def scoring_table(lines: list[str]) -> list[ScoreRow]:
    """Rows of the 绩效评价得分情况表 (the table with four indicator levels)."""
    start = next(
        (i for i, ln in enumerate(lines) if "得分情况表" in clean_line(ln) and "表" in clean_line(ln)[:4]),
        None,
    )
    if start is None:
        return []
    body: list[str] = []
    for ln in lines[start + 1:]:
        c = clean_line(ln)
        if not c:
            continue
        if c.startswith("合计"):
            break
        if "一级指标" in c and "满分值" in c:
            continue
        body.append(c)
    flat = " ".join(body)
    rows: list[ScoreRow] = []
    matches_ = list(_CODE.finditer(flat))
    for k, m in enumerate(matches_):
        end = matches_[k + 1].start() if k + 1 < len(matches_) else len(flat)
        code = m.group(1)
        segment = flat[m.end():end].strip()
        name_m = re.match(r"([^\d/%]+?)\s*(?:(\d+(?:\.\d+)?)%)?\s*(/)?\s*([\d.\s]*)$", segment)
        if not name_m:
            continue
        name = name_m.group(1).replace(" ", "")
        weight = float(name_m.group(2)) if name_m.group(2) else None
        nums = [float(x) for x in name_m.group(4).split()] if name_m.group(4).strip() else []
        full, got = (nums[0], nums[1]) if len(nums) >= 2 else (None, None)
        level = 1 if len(code) == 1 else code.count(".") + 2
        rows.append(ScoreRow(code=code, name=name, level=level, weight=weight, full=full, score=got))
    return rows


def scoring_totals(rows: list[ScoreRow]) -> dict[str, tuple[float, float]]:
    """(满分, 得分) summed over leaf rows, per level-1 code and overall ('')."""
    totals: dict[str, tuple[float, float]] = {}
    for r in rows:
        if r.full is None or r.score is None:
            continue
        for key in ("", r.code[0]):
            f, s = totals.get(key, (0.0, 0.0))
            totals[key] = (round(f + r.full, 4), round(s + r.score, 4))
    return totals


def stated_totals(flat: str) -> dict[str, tuple[float, float]]:
    """The totals a report states: its summary table (A项目决策 10 9.00 90%) and 合计 lines."""
    out: dict[str, tuple[float, float]] = {}
    for m in re.finditer(r"([A-C])项目[\u4e00-\u9fff]{2}\s*(\d+(?:\.\d+)?)\s+(\d+(?:\.\d+)?)\s+\d", flat):
        out.setdefault(m.group(1), (float(m.group(2)), float(m.group(3))))
    if m := re.search(r"合计\s*(100(?:\.0+)?)\s+(\d{1,3}(?:\.\d+)?)", flat):
        out[""] = (float(m.group(1)), float(m.group(2)))
    return out
