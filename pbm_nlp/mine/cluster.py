"""Clustering with an automatic number of clusters: average linkage cut at a similarity threshold.

Why this design:
- evaluators ask "which problems recur", not "split these into k groups": a threshold on the
  average similarity between members says what "the same problem" means, and the number of
  clusters follows from the data; groups smaller than ``min_cluster_size`` are left unclustered;
- for unit vectors the mean pairwise similarity between two groups is the dot product of their
  mean vectors, so average linkage can merge *groups* exactly. Large inputs are first cut into
  small k-means atoms (~8 statements each, at most ``max_atoms``; two-level k-means, so the cost
  grows as n·√m) which are then merged with the same rule. Memory is O(n·d + m²) with m capped,
  never an n × n matrix;
- a statement whose own average similarity to the rest of its cluster falls below
  ``member_ratio × min_similarity`` is released as unclustered: average linkage keeps clusters
  coherent on average, and k-means atoms would otherwise hide outliers inside a cluster.
"""
from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp

from ..errors import InputError


def group_sums(X: np.ndarray, groups: np.ndarray, m: int) -> np.ndarray:
    """The sum of the rows of each group 0..m-1 (a sparse one-hot product: no n × d temporaries)."""
    one_hot = sp.csr_matrix((np.ones(len(X), dtype=np.float32), (groups, np.arange(len(X)))), shape=(m, len(X)))
    return np.asarray(one_hot @ X, dtype=np.float64)


def split_count(sizes: np.ndarray, k: int) -> np.ndarray:
    """k shared out in proportion to ``sizes`` (largest remainders), at least 1 each, never more
    than k in total (when k ≥ len(sizes))."""
    quota = sizes * k / sizes.sum()
    out = np.maximum(np.floor(quota).astype(np.int64), 1)
    order = np.argsort(-(quota - np.floor(quota)), kind="stable")
    spare = k - int(out.sum())
    if spare > 0:
        out[order[:spare]] += 1
    while out.sum() > k and out.max() > 1:
        out[int(np.argmax(out))] -= 1
    return out


def auto_min_cluster_size(n: int) -> int:
    """2 for a handful of statements, growing slowly with the input (≈6 at 20,000)."""
    return max(2, round(1.5 * math.log10(max(n, 1))))


def average_linkage(means: np.ndarray, sizes: np.ndarray, min_similarity: float) -> np.ndarray:
    """Merge groups while some pair's average similarity is ≥ ``min_similarity``; returns a
    cluster id per input group.

    Nearest-neighbour chain over a similarity matrix with Lance–Williams (UPGMA) updates: O(m²)
    time and memory for m groups. A group whose best partner falls below the threshold can never
    merge later (average linkage only averages similarities), so it is retired at once.
    """
    m = len(means)
    if m == 0:
        return np.zeros(0, dtype=np.int64)
    S = (means @ means.T).astype(np.float64)
    np.fill_diagonal(S, -np.inf)
    size = np.asarray(sizes, dtype=np.float64).copy()
    active = np.ones(m, dtype=bool)
    root = np.arange(m)
    chain: list[int] = []
    start = 0
    while True:
        if not chain:
            while start < m and not active[start]:
                start += 1
            if start >= m:
                break
            chain.append(start)
        a = chain[-1]
        b = int(np.argmax(S[a]))
        best = S[a, b]
        if len(chain) >= 2 and S[a, chain[-2]] >= best:
            b, best = chain[-2], S[a, chain[-2]]
        if not best >= min_similarity:  # also catches -inf (nothing left)
            active[a] = False
            S[a, :] = -np.inf
            S[:, a] = -np.inf
            chain.pop()
            continue
        if len(chain) >= 2 and b == chain[-2]:
            chain.pop()
            chain.pop()
            row = (size[a] * S[a] + size[b] * S[b]) / (size[a] + size[b])
            S[a, :] = row
            S[:, a] = row
            S[a, a] = -np.inf
            S[b, :] = -np.inf
            S[:, b] = -np.inf
            active[b] = False
            size[a] += size[b]
            root[root == b] = a
        else:
            chain.append(b)
    _, labels = np.unique(root, return_inverse=True)
    return labels


class ThresholdClusterer:
    """``fit(X)`` on L2-normalised rows → ``labels_`` (-1 = unclustered), ``n_clusters_``.

    ``min_similarity`` is the least average cosine similarity between members of a cluster;
    ``min_cluster_size`` None means :func:`auto_min_cluster_size`.
    """

    def __init__(self, min_similarity: float = 0.2, min_cluster_size: int | None = None,
                 member_ratio: float = 0.5, max_atoms: int = 3000, atom_size: int = 8, atom_dims: int = 64,
                 random_state: int = 0):
        self.min_similarity = min_similarity
        self.member_ratio = member_ratio
        self.min_cluster_size = min_cluster_size
        self.max_atoms = max_atoms
        self.atom_size = atom_size
        self.atom_dims = atom_dims
        self.random_state = random_state

    def check_params(self) -> None:
        if not 0.0 < self.min_similarity < 1.0:
            raise InputError(f"相似度阈值应在 0 到 1 之间，收到 {self.min_similarity}。",
                             f"min_similarity must be in (0, 1). Got {self.min_similarity} instead.")
        if self.min_cluster_size is not None and self.min_cluster_size < 2:
            raise InputError(f"最小聚类规模至少为 2，收到 {self.min_cluster_size}。",
                             f"min_cluster_size must be >= 2. Got {self.min_cluster_size} instead.")

    def _kmeans(self, X: np.ndarray, k: int, minibatch: bool) -> np.ndarray:
        """k-means labels: mini-batch for the coarse cut of many statements, Lloyd's for the small
        groups (mini-batch's per-call overhead dominates there)."""
        from sklearn.cluster import KMeans, MiniBatchKMeans

        if k <= 1 or len(X) <= k:
            return np.zeros(len(X), dtype=np.int64) if k <= 1 else np.arange(len(X))
        if minibatch:
            km = MiniBatchKMeans(n_clusters=k, init="random", n_init=1, batch_size=4096, max_iter=20,
                                 random_state=self.random_state, reassignment_ratio=0.0)
        else:
            km = KMeans(n_clusters=k, init="random", n_init=1, max_iter=10, random_state=self.random_state)
        return km.fit_predict(X)

    def _project(self, X: np.ndarray) -> np.ndarray:
        """The rows in the top ``atom_dims`` principal directions (fitted on a sample): atoms only
        need to hold near neighbours, and k-means in 64 dimensions costs an eighth of 524."""
        if X.shape[1] <= self.atom_dims:
            return X
        from sklearn.decomposition import PCA

        rng = np.random.default_rng(self.random_state)
        sample = X[rng.choice(len(X), min(len(X), 10_000), replace=False)]
        pca = PCA(self.atom_dims, svd_solver="randomized", random_state=self.random_state).fit(sample)
        return pca.transform(X).astype(np.float32)

    def _atoms(self, X: np.ndarray) -> np.ndarray:
        """Each statement its own atom when few; else k-means micro-clusters, found in two levels
        (√k coarse groups, then each cut into its share of the k atoms) so that the cost grows as
        n·√k rather than n·k."""
        n = len(X)
        if n <= self.max_atoms:
            return np.arange(n)
        k = min(self.max_atoms, max(2, n // self.atom_size))
        X = self._project(X)
        from threadpoolctl import threadpool_limits

        # one thread: on this machine's two shared cores, k-means threads wait on each other
        # (3x slower under load), and the small second-level problems gain nothing from them
        with threadpool_limits(1):
            coarse = self._kmeans(X, math.ceil(math.sqrt(k)), minibatch=True)
            groups, sizes = np.unique(coarse, return_counts=True)
            atoms = np.empty(n, dtype=np.int64)
            offset = 0
            for c, k2 in zip(groups, split_count(sizes, k)):
                idx = np.flatnonzero(coarse == c)
                sub = self._kmeans(X[idx], int(k2), minibatch=False)
                atoms[idx] = offset + sub
                offset += int(sub.max()) + 1
        return np.unique(atoms, return_inverse=True)[1]

    def fit(self, X: np.ndarray) -> ThresholdClusterer:
        self.check_params()
        X = np.asarray(X, dtype=np.float32)
        if X.ndim != 2 or len(X) == 0:
            raise InputError("聚类需要非空的二维向量矩阵。", f"X must be a non-empty 2-d array. Got shape {X.shape}.")
        atoms = self._atoms(X)
        m = int(atoms.max()) + 1
        sizes = np.bincount(atoms, minlength=m)
        sums = group_sums(X, atoms, m)
        groups = average_linkage(sums / sizes[:, None], sizes, self.min_similarity)
        min_size = self.min_cluster_size or auto_min_cluster_size(len(X))
        grouped = groups[atoms]
        raw = self._release_outliers(X, grouped)
        ids, counts = np.unique(raw[raw >= 0], return_counts=True)
        kept = ids[counts >= min_size]
        kept = kept[np.argsort(-counts[counts >= min_size], kind="stable")]  # largest first
        relabel = np.full(int(raw.max()) + 2, -1, dtype=np.int64)
        relabel[kept] = np.arange(len(kept))
        self.labels_ = relabel[raw]  # raw -1 reads the last slot, which stays -1
        #: why a statement is unclustered: released as an outlier of its group, or its group was small
        self.released_ = (raw < 0) & (grouped >= 0)
        self.group_sizes_ = np.bincount(grouped, minlength=int(grouped.max()) + 1)[grouped]
        self.n_clusters_ = len(kept)
        self.n_atoms_ = m
        self.min_cluster_size_ = min_size
        return self

    def _release_outliers(self, X: np.ndarray, labels: np.ndarray) -> np.ndarray:
        """-1 for members whose mean similarity to the other members is below the floor."""
        floor = self.member_ratio * self.min_similarity
        out = labels.copy()
        order = np.argsort(labels, kind="stable")
        bounds = np.flatnonzero(np.diff(labels[order])) + 1
        for members in np.split(order, bounds):
            if len(members) < 2:
                continue
            own = (X[members] @ X[members].sum(0) - np.einsum("ij,ij->i", X[members], X[members]))
            out[members[own / (len(members) - 1) < floor]] = -1
        return out

    def fit_predict(self, X: np.ndarray) -> np.ndarray:
        return self.fit(X).labels_
