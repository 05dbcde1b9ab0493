"""Near-duplicate index: which items of a large collection are (nearly) the same, in linear time.

Used wherever pbm-nlp looks for copies: indicator sets reused across declarations (the lint rule
boilerplate_set) and statements or whole 存在问题 sections reused across projects (mining). Comparing
every pair costs n²/2 comparisons (30,000 declarations: 450 million); this index finds the same
pairs by MinHash signatures and LSH banding, then confirms each candidate with the exact Jaccard
similarity of the two element sets.

API::

    from pbm_nlp.features.neardup import NearDupIndex

    index = NearDupIndex.build(texts)               # str items → character 5-gram shingles
    index = NearDupIndex.build(token_sets)          # iterables of str → each token is one element
    index.pairs(0.7)        # [(i, j, jaccard)] with i < j and exact Jaccard ≥ 0.7
    index.neighbours(i, 5)  # [(j, jaccard)] the 5 most similar items to item i, best first
    index.query(text, 5)    # [(j, jaccard)] the same for a new item that is not in the index
    index.groups(0.7)       # connected components of pairs(0.7) (one copy = one group), size ≥ 2
    index.jaccard(i, j)     # exact Jaccard of two items' element sets

Build options: ``shingle`` (k of the character k-grams), ``normalise`` (text → text before
shingling; the default drops whitespace, punctuation and digits so that line breaks and changed
amounts do not hide a copy), ``num_perm`` and ``bands`` (LSH: with 128 permutations in 32 bands of
4, a pair of Jaccard 0.5 becomes a candidate with probability 0.87, 0.67 with 0.999, 0.3 with
0.23). Items with no element (empty text) never pair. Identical element sets are grouped before
banding, so a set copied a thousand times costs one signature, not a thousand-wide bucket.
"""
from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..text.normalize import to_halfwidth

_NOISE = re.compile(r"[\s\d.,，。、；;：:！？!?“”\"‘’'（）()《》<>【】\[\]—\-…·%/_]+")
_CHUNK = 1 << 18  # elements per vectorised signature step (about 0.4 GB of temporaries at 128 permutations)
_EMPTY = np.zeros(0, dtype=np.uint64)


def default_normalise(text: str) -> str:
    """Half-width, no whitespace, punctuation or digits."""
    return _NOISE.sub("", to_halfwidth(text or ""))


def _hash(token: str) -> int:
    return zlib.crc32(token.encode("utf-8"))


def shingles(text: str, k: int = 5) -> set[str]:
    """Character k-grams of an already normalised text (the whole text when shorter than k)."""
    if not text:
        return set()
    return {text[i:i + k] for i in range(max(1, len(text) - k + 1))}


def _token_elements(tokens: Iterable[str]) -> np.ndarray:
    uniq = {t for t in tokens if t}
    return np.unique(np.fromiter((_hash(t) for t in uniq), dtype=np.uint64, count=len(uniq)))


def _text_elements(texts: Sequence[str], k: int) -> list[np.ndarray]:
    """Hashes of every character k-gram of each (normalised) text, unique per text, all texts at once.

    The code points of all texts go into one array; a k-gram's hash is a polynomial in its code
    points (wrapping uint64), mixed and cut to 32 bits; grams that straddle two texts are dropped.
    """
    lengths = np.array([len(t) for t in texts], dtype=np.int64)
    out: list[np.ndarray] = [_EMPTY] * len(texts)
    if not lengths.sum():
        return out
    codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    owner = np.repeat(np.arange(len(texts)), lengths)
    n = len(codes) - k + 1
    ids, hs = np.zeros(0, dtype=np.int64), _EMPTY
    if n > 0:
        h = np.zeros(n, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for j in range(k):
                h = h * np.uint64(1_000_003) + codes[j:j + n]
            h = (h * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(32)
        ok = owner[:n] == owner[k - 1:]
        ids, hs = owner[:n][ok], h[ok]
        order = np.lexsort((hs, ids))
        ids, hs = ids[order], hs[order]
        keep = np.ones(len(hs), dtype=bool)
        keep[1:] = (ids[1:] != ids[:-1]) | (hs[1:] != hs[:-1])
        ids, hs = ids[keep], hs[keep]
    bounds = np.searchsorted(ids, np.arange(len(texts) + 1))
    for i in range(len(texts)):
        if bounds[i + 1] > bounds[i]:
            out[i] = hs[bounds[i]:bounds[i + 1]]
        elif lengths[i]:  # shorter than k: the whole text is one element
            out[i] = np.array([_hash(texts[i])], dtype=np.uint64)
    return out


def _elements(items: Sequence[str | Iterable[str]], k: int, normalise: Callable[[str], str]) -> list[np.ndarray]:
    """Element sets: character k-gram hashes for texts, token hashes for iterables of tokens."""
    texts = {i: normalise(it) for i, it in enumerate(items) if isinstance(it, str)}
    hashed = dict(zip(texts, _text_elements(list(texts.values()), k)))
    return [hashed[i] if i in hashed else _token_elements(it) for i, it in enumerate(items)]


def exact_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    if not len(a) or not len(b):
        return 0.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter)


@dataclass
class NearDupIndex:
    """MinHash/LSH over element sets; build with :meth:`build`."""

    sets: list[np.ndarray]
    num_perm: int = 128
    bands: int = 32
    shingle: int = 5
    normalise: Callable[[str], str] = default_normalise
    max_bucket: int = 500
    seed: int = 1
    _rep: np.ndarray = field(init=False, repr=False)  # item → its representative (first identical item)
    _reps: np.ndarray = field(init=False, repr=False)  # representative item ids, ascending
    _sig: np.ndarray = field(init=False, repr=False)  # signatures of the representatives
    _keys: np.ndarray = field(init=False, repr=False)  # band keys (bands × representatives)
    _order: np.ndarray = field(init=False, repr=False)  # per band: representatives sorted by key
    _sorted: np.ndarray = field(init=False, repr=False)  # per band: the keys in that order
    _members: dict[int, list[int]] = field(init=False, repr=False)  # representative → identical items

    @classmethod
    def build(cls, items: Sequence[str | Iterable[str]], *, shingle: int = 5, num_perm: int = 128,
              bands: int = 32, normalise: Callable[[str], str] = default_normalise, max_bucket: int = 500,
              seed: int = 1) -> NearDupIndex:
        if bands <= 0 or num_perm % bands:
            raise ValueError(f"num_perm ({num_perm}) must be a positive multiple of bands ({bands})")
        sets = _elements(items, shingle, normalise)
        index = cls(sets, num_perm, bands, shingle, normalise, max_bucket, seed)
        index._prepare()
        return index

    def __len__(self) -> int:
        return len(self.sets)

    # ---- building ---------------------------------------------------------------------------
    def _prepare(self) -> None:
        first: dict[bytes, int] = {}
        rep = np.full(len(self.sets), -1, dtype=np.int64)
        for i, s in enumerate(self.sets):
            if len(s):
                rep[i] = first.setdefault(s.tobytes(), i)
        self._rep = rep
        self._members = {}
        for i, r in enumerate(rep):
            if r >= 0:
                self._members.setdefault(int(r), []).append(i)
        self._reps = np.array(sorted(first.values()), dtype=np.int64)
        self._sig = self._signatures([self.sets[i] for i in self._reps])
        self._keys = self._band_keys(self._sig)
        self._order = np.argsort(self._keys, axis=1, kind="stable")
        self._sorted = np.take_along_axis(self._keys, self._order, axis=1)

    def _permutations(self) -> tuple[np.ndarray, np.ndarray]:
        rng = np.random.RandomState(self.seed)
        a = rng.randint(0, 1 << 62, self.num_perm, dtype=np.int64).astype(np.uint64) * np.uint64(2) + np.uint64(1)
        b = rng.randint(0, 1 << 62, self.num_perm, dtype=np.int64).astype(np.uint64)
        return a, b

    def _signatures(self, sets: list[np.ndarray]) -> np.ndarray:
        """Min over each set of the multiply-shift hash ((a·h + b) mod 2⁶⁴) >> 32, for every permutation.

        (A linear hash mod a large prime with small a and h hardly permutes: a·h rarely wraps, so
        every permutation picks the same smallest element and the estimate is useless.)
        """
        sig = np.empty((len(sets), self.num_perm), dtype=np.uint32)
        if not sets:
            return sig
        a, b = self._permutations()
        lengths = np.array([len(s) for s in sets])
        start = 0
        while start < len(sets):
            stop = start + max(1, int(np.searchsorted(np.cumsum(lengths[start:]), _CHUNK)))
            flat = np.concatenate(sets[start:stop])
            with np.errstate(over="ignore"):
                hashed = ((np.outer(a, flat) + b[:, None]) >> np.uint64(32)).astype(np.uint32)
            offsets = np.concatenate(([0], np.cumsum(lengths[start:stop])[:-1]))
            sig[start:stop] = np.minimum.reduceat(hashed, offsets, axis=1).T
            start = stop
        return sig

    def _band_keys(self, sig: np.ndarray) -> np.ndarray:
        rows = self.num_perm // self.bands
        mult = np.random.RandomState(self.seed + 1).randint(1, 1 << 62, rows, dtype=np.int64).astype(np.uint64)
        keys = np.empty((self.bands, len(sig)), dtype=np.uint64)
        with np.errstate(over="ignore"):
            for band in range(self.bands):
                keys[band] = (sig[:, band * rows:(band + 1) * rows].astype(np.uint64) * mult).sum(axis=1)
        return keys

    # ---- candidates and confirmation -----------------------------------------------------------
    def _candidate_pairs(self) -> np.ndarray:
        """(x, y) positions among the representatives that share a band bucket, x < y, unique."""
        n = len(self._reps)
        codes: list[np.ndarray] = []
        for band in range(self.bands):
            order, keys = self._order[band], self._sorted[band]
            cuts = np.flatnonzero(np.diff(keys)) + 1
            for run in np.split(order, cuts):
                if len(run) < 2:
                    continue
                run = np.sort(run)
                if len(run) > self.max_bucket:  # a star keeps the group connected at linear cost
                    xs, ys = np.full(len(run) - 1, run[0]), run[1:]
                else:
                    iu = np.triu_indices(len(run), 1)
                    xs, ys = run[iu[0]], run[iu[1]]
                codes.append(xs.astype(np.int64) * n + ys)
        if not codes:
            return np.zeros((0, 2), dtype=np.int64)
        u = np.unique(np.concatenate(codes))
        return np.stack([u // n, u % n], axis=1)

    def _estimate(self, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        return (self._sig[xs] == self._sig[ys]).mean(axis=1) if len(xs) else np.zeros(0)

    def jaccard(self, i: int, j: int) -> float:
        return exact_jaccard(self.sets[i], self.sets[j])

    def pairs(self, threshold: float = 0.7, confirm: Callable[[int, int], float] | None = None,
              margin: float = 0.2) -> list[tuple[int, int, float]]:
        """Every pair of items with exact Jaccard ≥ threshold, as (i, j, similarity), i < j.

        ``confirm(i, j)`` replaces the Jaccard with another similarity (e.g. matched indicators over
        the larger set); candidates whose signature estimate is below ``threshold - margin`` are
        dropped before it is called.
        """
        score = confirm or self.jaccard
        out: list[tuple[int, int, float]] = []
        cand = self._candidate_pairs()
        if len(cand):
            keep = self._estimate(cand[:, 0], cand[:, 1]) >= threshold - margin
            for x, y in cand[keep]:
                i, j = int(self._reps[x]), int(self._reps[y])
                s = score(i, j)
                if s >= threshold:
                    out += self._expand(i, j, s)
        out += self._identical_pairs(score, threshold)
        return sorted(out)

    def _expand(self, i: int, j: int, s: float) -> list[tuple[int, int, float]]:
        return [(min(a, b), max(a, b), s) for a in self._members[i] for b in self._members[j]]

    def _identical_pairs(self, score: Callable[[int, int], float], threshold: float) -> list[tuple[int, int, float]]:
        out = []
        for group in self._members.values():
            for a in range(len(group)):
                for b in range(a + 1, len(group)):
                    s = score(group[a], group[b]) if score is not self.jaccard else 1.0
                    if s >= threshold:
                        out.append((group[a], group[b], s))
        return out

    # ---- neighbours ---------------------------------------------------------------------------
    def _bucket_mates(self, keys: np.ndarray) -> set[int]:
        mates: set[int] = set()
        for band in range(self.bands):
            row = self._sorted[band]
            lo, hi = np.searchsorted(row, keys[band], "left"), np.searchsorted(row, keys[band], "right")
            mates.update(int(self._reps[x]) for x in self._order[band][lo:hi])
        return mates

    def neighbours(self, i: int, k: int = 5, threshold: float = 0.0) -> list[tuple[int, float]]:
        """The ``k`` items most similar to item ``i`` (exact Jaccard ≥ threshold), best first."""
        r = int(self._rep[i])
        if r < 0:
            return []
        x = int(np.searchsorted(self._reps, r))
        mates = self._bucket_mates(self._keys[:, x])
        found = [(j, 1.0) for j in self._members[r] if j != i]
        found += [(j, self.jaccard(i, m)) for m in mates if m != r for j in self._members[m]]
        return sorted((p for p in found if p[1] >= threshold), key=lambda p: (-p[1], p[0]))[:k]

    def query(self, item: str | Iterable[str], k: int = 5, threshold: float = 0.0) -> list[tuple[int, float]]:
        """The ``k`` indexed items most similar to a new item, best first."""
        elems = _elements([item], self.shingle, self.normalise)[0]
        if not len(elems) or not len(self._reps):
            return []
        keys = self._band_keys(self._signatures([elems]))[:, 0]
        found = [(j, exact_jaccard(elems, self.sets[m])) for m in self._bucket_mates(keys)
                 for j in self._members[m]]
        return sorted((p for p in found if p[1] >= threshold), key=lambda p: (-p[1], p[0]))[:k]

    def groups(self, threshold: float = 0.7) -> list[list[int]]:
        """Connected components of :meth:`pairs` (items linked directly or through others), size ≥ 2."""
        parent = list(range(len(self.sets)))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for i, j, _ in self.pairs(threshold):
            parent[find(i)] = find(j)
        comps: dict[int, list[int]] = {}
        for i in range(len(self.sets)):
            comps.setdefault(find(i), []).append(i)
        return sorted((c for c in comps.values() if len(c) > 1), key=lambda c: c[0])
