"""Fewer leftovers, and a reason for each one that stays.

Average linkage with a minimum cluster size leaves out statements whose group was too small or
who were released as outliers of their group. Many of them are still plainly one of the
recurring problems: a leftover joins the cluster it is most similar to (mean cosine similarity
to the cluster's members) when that similarity reaches ``join_similarity``. One pass against the
clusters as they were cut, so the result does not depend on the order of the leftovers. What
stays unclustered is reported with its nearest cluster, the similarity and why it stayed out.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .cluster import group_sums

#: Why a statement stays unclustered (the codes of the ``reason`` field).
REASONS = {
    "no_clusters": ("没有形成任何聚类。", "no cluster was formed at all."),
    "small_group": (
        ("与之相似的陈述太少（{group} 条，少于最小规模 {min_size}），且与最近的聚类平均相似度 {similarity:.2f} "
        "低于加入阈值 {threshold:.2f}。"),
        ("too few statements like it ({group}, fewer than the minimum cluster size {min_size}), and its mean "
        "similarity to the nearest cluster, {similarity:.2f}, is below the joining threshold {threshold:.2f}."),
    ),
    "outlier": (
        "与所在组其余陈述的平均相似度过低而被剔除，与最近的聚类平均相似度 {similarity:.2f} 低于加入阈值 {threshold:.2f}。",
        ("released as an outlier of its group, and its mean similarity to the nearest cluster, {similarity:.2f}, "
        "is below the joining threshold {threshold:.2f}."),
    ),
    "dissimilar": (
        "与最近的聚类平均相似度 {similarity:.2f} 低于加入阈值 {threshold:.2f}。",
        ("its mean similarity to the nearest cluster, {similarity:.2f}, is below the joining threshold "
        "{threshold:.2f}."),
    ),
}


def cluster_sums(X: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per cluster: the sum of its members' vectors and its size."""
    k = int(labels.max()) + 1 if len(labels) and labels.max() >= 0 else 0
    inside = np.flatnonzero(labels >= 0)
    return group_sums(X[inside], labels[inside], k), np.bincount(labels[inside], minlength=k).astype(np.float64)


def attach_leftovers(X: np.ndarray, labels: np.ndarray, join_similarity: float, *,
                     released: np.ndarray | None = None, group_sizes: np.ndarray | None = None,
                     min_size: int = 2) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """New labels (leftovers close enough to a cluster join it) and one entry per statement that
    stays out: ``{"index", "nearest", "similarity", "reason", "group", "threshold"}``.

    ``released`` and ``group_sizes`` come from the clusterer (``released_``, ``group_sizes_``);
    they only refine the reason.
    """
    labels = np.asarray(labels).copy()
    rest = np.flatnonzero(labels < 0)
    sums, sizes = cluster_sums(X, labels)
    if not len(rest):
        return labels, []
    if not len(sizes):
        return labels, [{"index": int(i), "nearest": None, "similarity": None, "reason": "no_clusters",
                         "group": 1, "threshold": join_similarity} for i in rest]
    sims = np.empty((len(rest), len(sizes)), dtype=np.float64)
    for start in range(0, len(rest), 4096):  # bounded memory for very many leftovers
        block = rest[start:start + 4096]
        sims[start:start + len(block)] = (X[block].astype(np.float64) @ sums.T) / sizes
    best = sims.argmax(1)
    best_sim = sims[np.arange(len(rest)), best]
    join = best_sim >= join_similarity
    labels[rest[join]] = best[join]
    out = []
    for i, c, s in zip(rest[~join], best[~join], best_sim[~join]):
        group = int(group_sizes[i]) if group_sizes is not None else 1
        if released is not None and released[i]:
            reason = "outlier"
        elif group >= 2:
            reason = "small_group"
        else:
            reason = "dissimilar"
        out.append({"index": int(i), "nearest": int(c), "similarity": round(float(s), 3), "reason": reason,
                    "group": group, "threshold": round(float(join_similarity), 3), "min_size": min_size})
    return labels, out


def reason_text(entry: dict[str, Any], lang: int = 0) -> str:
    """The reason in Chinese (``lang`` 0) or English (1)."""
    template = REASONS[entry["reason"]][lang]
    return template.format(**{k: v for k, v in entry.items() if v is not None})
