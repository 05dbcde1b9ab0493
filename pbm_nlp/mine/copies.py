"""Copied text: problem statements and whole 存在问题 sections reused across projects.

Character 5-gram shingles of the normalised text (no spaces, punctuation or digits, so that PDF
line breaks and changed amounts do not hide a copy), MinHash signatures and LSH banding to find
candidate pairs in linear time, then the exact Jaccard similarity of the shingle sets to confirm.
Pairs from the same project are not copies; short stock phrases ("会计核算不够规范") are not
either, so a statement needs ``min_chars`` characters to count.
"""
from __future__ import annotations

import re
import zlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np

from ..text.normalize import to_halfwidth
from .records import Statement

_NOISE = re.compile(r"[\s\d.,，。、；;：:！？!?“”\"‘’'（）()《》<>【】\[\]—\-…·%]+")
_PRIME = (1 << 61) - 1


@dataclass
class CopyFinder:
    """``find(texts, owners)`` → groups of near-verbatim texts owned by different projects."""

    shingle: int = 5
    threshold: float = 0.7
    min_chars: int = 40
    num_perm: int = 64
    bands: int = 16
    max_bucket: int = 200
    seed: int = 1

    def normalise(self, text: str) -> str:
        return _NOISE.sub("", to_halfwidth(text))

    def shingles(self, text: str) -> np.ndarray:
        s = self.normalise(text)
        k = self.shingle
        grams = {s[i:i + k] for i in range(max(1, len(s) - k + 1))}
        return np.fromiter((zlib.crc32(g.encode("utf-8")) for g in grams), dtype=np.uint64, count=len(grams))

    def _signatures(self, sets: list[np.ndarray]) -> np.ndarray:
        rng = np.random.RandomState(self.seed)
        a = rng.randint(1, 1 << 31, self.num_perm).astype(np.uint64)
        b = rng.randint(0, 1 << 31, self.num_perm).astype(np.uint64)
        sig = np.empty((len(sets), self.num_perm), dtype=np.uint64)
        for i, sh in enumerate(sets):
            sig[i] = ((np.outer(sh, a) + b) % np.uint64(_PRIME)).min(axis=0)
        return sig

    def _candidates(self, sig: np.ndarray) -> set[tuple[int, int]]:
        rows = self.num_perm // self.bands
        pairs: set[tuple[int, int]] = set()
        for band in range(self.bands):
            buckets: dict[bytes, list[int]] = defaultdict(list)
            block = np.ascontiguousarray(sig[:, band * rows:(band + 1) * rows])
            for i in range(len(sig)):
                buckets[block[i].tobytes()].append(i)
            for members in buckets.values():
                if 1 < len(members) <= self.max_bucket:
                    pairs.update((members[x], members[y]) for x in range(len(members))
                                 for y in range(x + 1, len(members)))
        return pairs

    def pairs(self, texts: Sequence[str], owners: Sequence[str | None]) -> list[tuple[int, int, float]]:
        """Confirmed (i, j, jaccard) pairs with different (or unknown) owners."""
        idx = [i for i, t in enumerate(texts) if len(self.normalise(t)) >= self.min_chars]
        if len(idx) < 2:
            return []
        sets = [self.shingles(texts[i]) for i in idx]
        out = []
        for x, y in sorted(self._candidates(self._signatures(sets))):
            i, j = idx[x], idx[y]
            if owners[i] is not None and owners[i] == owners[j]:
                continue
            inter = len(np.intersect1d(sets[x], sets[y], assume_unique=True))
            jac = inter / (len(sets[x]) + len(sets[y]) - inter)
            if jac >= self.threshold:
                out.append((i, j, jac))
        return out


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
