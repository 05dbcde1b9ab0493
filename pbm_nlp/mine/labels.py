"""Short Chinese cluster labels that name the problem: 资金闲置, 验收把关不严, 未按合同约定.

Evaluators write problems as short phrases — a subject and a shortfall. Candidates come from the
members' masked problem clauses (pbm_nlp.text.realtext): leading quantifiers and scope words are
stripped (部分项目…, 个别单位…), "存在…的问题" is reduced to what is inside, and a phrase qualifies
only if it states a shortfall about a subject (资金闲置, not 存在违规), carries no figure, masked
name, place or organisation, none of the members' own project or unit names and no register or
meta phrase (审计发现, 同一审计…). The label is

1. the short phrase (a shortfall word and up to three words before it) that at least a fifth of
   the members share, weighted by the cluster keywords it covers; else
2. the dominant theme's name — a broad cluster gets the canonical name of its problem type; else
3. the whole clause that covers the keywords best (mining without themes); else the keywords.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from ..lexicon import load_lexicon
from ..text.tokenize import words
from .keywords import blocked, is_masked, is_place_or_org, is_quantity

_SENTENCE = re.compile(r"[。；;！？!?]")
_CLAUSE = re.compile(r"[，,：:、（）()“”\"《》]")
_NUMBERING = re.compile(r"^(?:\d+[、.．]|[（(]\d+[）)]|[①-⑳]|[一二三四五六七八九十]+、)")
_WRAPPED = re.compile(r"^存在(.{2,}?)(?:等|的)?(?:问题|情况|现象)$")
_TAIL = re.compile(r"(?:等|的)?(?:问题|情况|现象)$")


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


@lru_cache(maxsize=1 << 16)
def _plain_problem(phrase: str) -> tuple[str, ...] | None:
    """The words of a phrase that states a shortfall and names no place, organisation, figure or
    masked name and is no register or meta phrase; None otherwise."""
    _, meta, deficiency, no_problem = _lexicon()
    if not deficiency.search(phrase) or no_problem.search(phrase) or is_masked(phrase):
        return None
    if any(m in phrase for m in meta):
        return None
    ws = tuple(words(phrase))
    if any(is_quantity(w) or is_place_or_org(w) for w in ws):
        return None
    # a subject as well as a shortfall: 资金闲置, not 存在违规
    return ws if any(len(w) >= 2 and not deficiency.search(w) and not blocked(w) for w in ws) else None


def acceptable(phrase: str, names: set[str] | frozenset[str] = frozenset()) -> bool:
    """A phrase that states a shortfall and names no place, organisation, figure, masked name,
    project or unit of the members, and is not a register or meta phrase."""
    ws = _plain_problem(phrase)
    return ws is not None and not any(w in names for w in ws)


def clauses(masked: str) -> list[str]:
    """The cleaned clauses of a statement's masked problem clause (its first two sentences)."""
    return [clean_clause(part) for sentence in _SENTENCE.split(masked)[:2] for part in _CLAUSE.split(sentence)]


def candidates(masked: str, max_len: int, names: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Whole clauses that could be a label."""
    return [c for c in clauses(masked) if 4 <= len(c) <= max_len and acceptable(c, names)]


def phrases(masked: str, names: set[str] | frozenset[str] = frozenset(), max_len: int = 12) -> set[str]:
    """Short problem phrases inside the clauses: up to three words before a shortfall word, and the
    word after it when the shortfall is a negation (未 | 按规定 | 招标 → 未按规定招标)."""
    deficiency = _lexicon()[2]
    out: set[str] = set()
    for clause in clauses(masked):
        ws = words(clause)
        for j, w in enumerate(ws):
            if not deficiency.search(w):
                continue
            ends = [j + 1] + (list(range(j + 2, j + 6)) if len(w) <= 2 and j + 1 < len(ws) else [])
            for i in range(max(0, j - 3), j + 1):
                for e in ends:
                    phrase = "".join(ws[i:min(e, len(ws))])
                    if 4 <= len(phrase) <= max_len and acceptable(phrase, names):
                        out.add(_strip_lead(phrase))
    return {p for p in out if 4 <= len(p) <= max_len}


def _best(counts: Counter[str], weight: dict[str, float], min_support: int) -> str:
    best, best_score = "", 0.0
    for phrase, n in counts.items():
        if n < min_support:
            continue
        cover = sum(w for k, w in weight.items() if k in phrase)
        if not cover:  # a label names what the cluster is about: one of its keywords at least
            continue
        score = cover * n / (1 + 0.05 * len(phrase))
        if score > best_score or (score == best_score and best and len(phrase) < len(best)):
            best, best_score = phrase, score
    return best


def label_for(masked_texts: Sequence[str], keywords: Sequence[tuple[str, float]], fallback: str = "",
              names: set[str] | frozenset[str] = frozenset(), max_len: int = 16) -> str:
    """A problem phrase that several members share (by support and keyword coverage); else
    ``fallback`` (the dominant theme's name: a broad cluster gets a broad label); else the clause
    that covers the keywords best; else the top keywords."""
    weight = dict(keywords)
    shared: Counter[str] = Counter()
    whole: Counter[str] = Counter()
    for t in masked_texts:
        shared.update(phrases(t, names))
        whole.update(set(candidates(t, max_len, names)))
    support = max(2, math.ceil(0.2 * len(masked_texts)))
    return (_best(shared, weight, support) or fallback or _best(whole, weight, 1)
            or "、".join(k for k, _ in keywords[:3]) or "（无标签）")
