"""Short Chinese cluster labels that name the problem: 验收资料不完整, 预算执行率偏低.

Evaluators write problems as short phrases — a subject and a shortfall. A label is picked from
the clauses of the members' masked problem clauses (pbm_nlp.text.realtext): leading quantifiers
and scope words are stripped (部分项目…, 个别单位…), "存在…的问题" is reduced to what is inside, and
a clause qualifies only if it states a shortfall, carries no figure, no masked name, no place or
organisation, none of the members' own project or unit names and no register or meta phrase
(审计发现, 同一审计…). Among those, the clause that covers the cluster's keywords best wins, shorter
and more frequent ones first. With no qualifying clause the label falls back to the cluster's
dominant theme name (a canonical problem phrase), or its top keywords when mining without themes.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from ..lexicon import load_lexicon
from ..text.tokenize import words
from .keywords import is_place_or_org, is_quantity

_SENTENCE = re.compile(r"[。；;！？!?]")
_CLAUSE = re.compile(r"[，,：:、（）()“”\"《》]")
_NUMBERING = re.compile(r"^(?:\d+[、.．]|[（(]\d+[）)]|[①-⑳]|[一二三四五六七八九十]+、)")
_WRAPPED = re.compile(r"^存在(.{2,}?)(?:等|的)?(?:问题|情况|现象)$")
_TAIL = re.compile(r"(?:等|的)?(?:问题|情况|现象)$")
_MASK = re.compile(r"某|若干|\[|［|<|＜|_|＊|\*|X|×")


@lru_cache(maxsize=1)
def _lexicon() -> tuple[tuple[str, ...], tuple[str, ...], re.Pattern[str], re.Pattern[str]]:
    lex = load_lexicon("mining")
    lead = tuple(sorted(lex.words("label_lead"), key=len, reverse=True))
    return lead, lex.words("meta_phrases"), lex.pattern("deficiency"), lex.pattern("no_problem")


def _strip_lead(part: str) -> str:
    lead = _lexicon()[0]
    part = _NUMBERING.sub("", part.strip())
    changed = True
    while changed and part:
        changed = False
        for w in lead:
            if part.startswith(w) and len(part) > len(w) + 3:
                part, changed = part[len(w):], True
                break
    return part


def clean_clause(part: str) -> str:
    """A clause as a label candidate: no numbering, no leading quantifier, "存在X的问题" → X."""
    part = _strip_lead(part)
    m = _WRAPPED.match(part)
    if m:
        part = _strip_lead(m.group(1))
    return _TAIL.sub("", part) if len(_TAIL.sub("", part)) >= 4 else part


def acceptable(phrase: str, names: set[str] | frozenset[str] = frozenset()) -> bool:
    """A phrase that states a shortfall and names no place, organisation, figure, masked name,
    project or unit of the members, and is not a register or meta phrase."""
    _, meta, deficiency, no_problem = _lexicon()
    if not deficiency.search(phrase) or no_problem.search(phrase) or _MASK.search(phrase):
        return False
    if any(m in phrase for m in meta):
        return False
    return not any(is_quantity(w) or is_place_or_org(w) or w in names for w in words(phrase))


def candidates(masked: str, max_len: int, names: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Label candidates from a statement's masked problem clause (its first two sentences)."""
    out = []
    for sentence in _SENTENCE.split(masked)[:2]:
        for part in _CLAUSE.split(sentence):
            c = clean_clause(part)
            if 4 <= len(c) <= max_len and acceptable(c, names):
                out.append(c)
    return out


def label_for(masked_texts: Sequence[str], keywords: Sequence[tuple[str, float]], fallback: str = "",
              names: set[str] | frozenset[str] = frozenset(), max_len: int = 16) -> str:
    """The candidate clause that covers the cluster's keywords best (more members saying it and a
    shorter phrase break ties); else ``fallback``; else the top keywords."""
    weight = dict(keywords)
    freq: Counter[str] = Counter()
    for t in masked_texts:
        freq.update(set(candidates(t, max_len, names)))
    best, best_score = "", 0.0
    for clause, n in freq.items():
        cover = sum(w for k, w in weight.items() if k in clause)
        score = cover * (1 + 0.1 * min(n - 1, 5)) / (1 + 0.03 * len(clause))
        if score > best_score or (score == best_score and best and len(clause) < len(best)):
            best, best_score = clause, score
    if best:
        return best
    return fallback or "、".join(k for k, _ in keywords[:3]) or "（无标签）"
