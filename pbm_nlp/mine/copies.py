"""Copied text: problem statements and whole 存在问题 sections reused across projects.

The project's one near-duplicate index (pbm_nlp.features.neardup: character 5-gram shingles of
the text without spaces, punctuation or digits — so PDF line breaks and changed amounts do not
hide a copy —, MinHash and LSH banding for candidates in linear time, exact Jaccard to confirm).
Pairs from the same project are not copies; short stock phrases ("会计核算不够规范") are not
either, so a statement needs ``min_chars`` characters to count.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..features.neardup import NearDupIndex, default_normalise
from .records import Statement


@dataclass
class CopyFinder:
    """``pairs(texts, owners)`` → near-verbatim pairs of texts owned by different projects."""

    threshold: float = 0.7
    min_chars: int = 40
    #: 64 permutations in 16 bands of 4: a pair at Jaccard 0.7 becomes a candidate with
    #: probability 0.99, at half the signature cost of the index's default (mining indexes
    #: every statement and every section of the store)
    num_perm: int = 64
    bands: int = 16

    def pairs(self, texts: Sequence[str], owners: Sequence[str | None]) -> list[tuple[int, int, float]]:
        """Confirmed (i, j, jaccard) pairs with different (or unknown) owners."""
        idx = [i for i, t in enumerate(texts) if len(default_normalise(t)) >= self.min_chars]
        if len(idx) < 2:
            return []
        index = NearDupIndex.build([texts[i] for i in idx], num_perm=self.num_perm, bands=self.bands)

        def across_projects(x: int, y: int) -> float:
            a, b = owners[idx[x]], owners[idx[y]]
            return 0.0 if a is not None and a == b else index.jaccard(x, y)

        return [(idx[x], idx[y], s) for x, y, s in index.pairs(self.threshold, confirm=across_projects)]


def _groups(n: int, pairs: list[tuple[int, int, float]]) -> list[list[tuple[int, int, float]]]:
    """The confirmed pairs, grouped by connected component (one copy = one component)."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j, _ in pairs:
        parent[find(i)] = find(j)
    comp: dict[int, list[tuple[int, int, float]]] = defaultdict(list)
    for p in pairs:
        comp[find(p[0])].append(p)
    return list(comp.values())


def shared_passage(a: str, b: str) -> str:
    """The longest passage two texts share word for word (what the reader should compare)."""
    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return a[m.a:m.a + m.size].strip("。；，、 ")


def _report(kind: str, members_of: list[list[int]], texts: list[str], statements: Sequence[Statement],
            group: list[tuple[int, int, float]]) -> dict:
    first, second, _ = max(group, key=lambda p: p[2])
    units = sorted({x for i, j, _ in group for x in (i, j)})
    members = sorted({m for u in units for m in members_of[u]})
    entry = {
        "kind": kind,
        "similarity": round(float(min(s for _, _, s in group)), 3),
        "members": members,
        "projects": sorted({statements[m].project or f"#{m}" for m in members}),
        "years": sorted({statements[m].year for m in members if statements[m].year}),
        "shared": shared_passage(texts[first], texts[second]),
    }
    if kind == "section":
        entry["sections"] = [members_of[u] for u in units]
    return entry


def find_copies(statements: Sequence[Statement], finder: CopyFinder | None = None) -> list[dict]:
    """Near-verbatim statements, then whole sections (the statements of one evaluation, in order)
    reused across different projects. Each entry lists the input indices involved."""
    finder = finder or CopyFinder()
    owners = [s.project for s in statements]
    texts = [s.text for s in statements]
    singles = [[i] for i in range(len(statements))]
    pairs = finder.pairs(texts, owners)
    out = [_report("statement", singles, texts, statements, g) for g in _groups(len(texts), pairs)]

    sections: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(statements):
        if s.section_key:
            sections[s.section_key].append(i)
    keys = [k for k, v in sections.items() if len(v) >= 2]
    if len(keys) >= 2:
        sec_texts = ["".join(texts[i] for i in sections[k]) for k in keys]
        sec_owners = [statements[sections[k][0]].project for k in keys]
        members_of = [sections[k] for k in keys]
        sec_pairs = finder.pairs(sec_texts, sec_owners)
        out += [_report("section", members_of, sec_texts, statements, g) for g in _groups(len(keys), sec_pairs)]
    out.sort(key=lambda c: (c["kind"] != "section", -len(c["members"]), -c["similarity"]))
    return out
