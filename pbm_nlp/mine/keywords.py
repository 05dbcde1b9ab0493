"""Cluster keywords: class-based TF-IDF over the words of the statements' masked problem clauses.

c-TF-IDF (as in BERTopic) treats each cluster as one document: a word ranks high when it is
frequent in the cluster and rare across clusters. A keyword names the problem, never where it
was found or how much: stop words, report boilerplate and hedges (corpora/lexicon/mining.yaml),
numbers and units (the unit tables of pbm_nlp.drafting.measure), place names and organisation
names (corpora/lexicon/places.yaml: listed names, and words ending in a division or organisation
suffix) are blocked, and so are the rare words of the statements' own project, unit, region and
finder names — "杞麓" from 杞麓湖治理专项债券项目 — which no general list can hold.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np

from ..drafting.measure import unit_family
from ..lexicon import load_lexicon
from ..text.tokenize import stopwords, words
from .records import Statement

_HAS_CJK = re.compile(r"[\u4e00-\u9fff]")
_NUMBER = re.compile(r"[0-9０-９%‰.．]|^[一二三四五六七八九十百千万亿两几数]+[个名家所项条笔批次年月日天份户人元台套座处]?$")
_NAME_FIELDS = ("project", "unit", "region", "finder", "title")


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[frozenset[str], re.Pattern[str], re.Pattern[str], frozenset[str], frozenset[str]]:
    """(boilerplate, hedge pattern, place/organisation pattern, place names, organisation and scope
    words) from the lexicons."""
    mining, places = load_lexicon("mining"), load_lexicon("places")
    names = frozenset(places.words("provinces") + places.words("province_short") + places.words("cities"))
    generic = frozenset(places.words("scope_words") + places.words("org_suffixes"))
    suffixes = places.words("division_suffixes") + places.words("org_suffixes")
    named = re.compile("^..+" + places.alternation("division_suffixes")[:-1] + "|"
                       + "|".join(re.escape(s) for s in sorted(suffixes, key=len, reverse=True)) + ")$")
    return frozenset(mining.words("boilerplate")), mining.pattern("hedge"), named, names, generic


@lru_cache(maxsize=1 << 17)
def is_place_or_org(word: str) -> bool:
    """A listed province, city or scope word (开封, 开封市, 全省), an organisation word on its own
    (中心, 公司), or a word made of a name and a division or organisation suffix (东川区, 审计局,
    服务中心); two-character words like 社区 or 城区 are not names."""
    _, _, named, names, generic = _vocabulary()
    return word in names or word in generic or any(word.startswith(n) and len(n) >= 2 for n in names if n[0] == word[0]) \
        or bool(named.match(word))


@lru_cache(maxsize=1)
def _extra_units() -> frozenset[str]:
    return frozenset(load_lexicon("mining").words("extra_units"))


def is_quantity(word: str) -> bool:
    """Numbers (2018年, 三个, 12.5%) and units (万元, 公里, 人次, 兆瓦)."""
    return bool(_NUMBER.search(word)) or unit_family(word) is not None or word in _extra_units()


@lru_cache(maxsize=1)
def _placeholder() -> re.Pattern[str]:
    """The words realtext's masking puts in place of names and figures (某县, 若干, 某年 …)."""
    words_ = load_lexicon("realtext").table("placeholders").values()
    return re.compile("|".join(re.escape(str(w)) for w in sorted(words_, key=len, reverse=True)))


def is_masked(word: str) -> bool:
    """A placeholder of the masking, or a word built on one (某县, 若干, 某项目)."""
    return bool(_placeholder().search(word))


@lru_cache(maxsize=1 << 17)
def blocked(word: str) -> bool:
    """True for words that cannot be keywords: stop words, boilerplate, hedges, numbers, units,
    places, organisations, masked names, single characters."""
    boiler, hedge = _vocabulary()[:2]
    return (len(word) < 2 or word in boiler or word in stopwords() or not _HAS_CJK.search(word)
            or bool(hedge.match(word)) or is_quantity(word) or is_place_or_org(word) or is_masked(word))


@lru_cache(maxsize=1)
def domain_words() -> frozenset[str]:
    """Words that occur in at least two texts of the domain sample: the general vocabulary of
    problem statements, which a project or unit name may share without being a name."""
    from .features import domain_texts

    df: Counter[str] = Counter()
    for t in domain_texts():
        df.update(set(words(t)))
    return frozenset(w for w, n in df.items() if n >= 2)


def name_words(statements: Iterable[Statement]) -> set[str]:
    """The rare words of the statements' project, unit, region, finder and title names."""
    general = domain_words()
    seen = {getattr(s, f) for s in statements for f in _NAME_FIELDS} - {None}
    return {w for name in seen for w in words(name) if w not in general}


def keyword_tokens(text: str, names: set[str] | frozenset[str] = frozenset()) -> list[str]:
    return [w for w in words(text) if not blocked(w) and w not in names]


def class_tfidf(token_lists: Sequence[Sequence[str]], labels: Sequence[int], top: int = 8
                ) -> dict[int, list[tuple[str, float]]]:
    """Top words per label by c-TF-IDF: tf per class (L1) × log(1 + mean class size / corpus tf).

    Every label takes part (unclustered statements too, as their own class), so that words
    common everywhere rank low; the result is returned for every label present.
    """
    classes = sorted(set(labels))
    counts: dict[int, Counter[str]] = {c: Counter() for c in classes}
    for toks, lab in zip(token_lists, labels):
        counts[lab].update(toks)
    total: Counter[str] = Counter()
    for c in classes:
        total.update(counts[c])
    if not total:
        return {c: [] for c in classes}
    avg_words = sum(total.values()) / len(classes)
    out: dict[int, list[tuple[str, float]]] = {}
    for c in classes:
        n = sum(counts[c].values()) or 1
        scored = [(w, (k / n) * float(np.log(1 + avg_words / total[w]))) for w, k in counts[c].items()]
        scored.sort(key=lambda x: (-x[1], x[0]))
        out[c] = scored[:top]
    return out
