"""Issue mining end to end: statements → themes → clusters (leftovers joined where close enough)
with keywords and labels → aggregates and copied text.

The encoder and the tagger are passed in; precomputed inputs are accepted instead (BERTopic's
``embeddings=``): ``embeddings`` from :func:`features.statement_embeddings` and ``tags`` as the
tagger or the store gave them, so that re-mining a large store encodes and tags nothing again.
Nothing here writes to the store.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import InputError
from .aggregates import aggregate
from .cluster import ThresholdClusterer
from .copies import find_copies
from .describe import describe_clusters
from .features import MiningTexts, check_embeddings, domain_centre, statement_features
from .leftovers import attach_leftovers, reason_text
from .records import Statement, coerce

TAG_BATCH = 1000
#: Least average similarity inside a cluster, chosen for ARI against the gold themes on the real
#: training statements with out-of-fold tagger scores (benchmarks/mine_quality.py --tune: 0.25 to
#: 0.35 tie with theme weight 1.0; the joining ratio only matters at tighter settings), with the
#: theme scores in the features; and on text alone.
THEMED_SIMILARITY = 0.25
TEXT_ONLY_SIMILARITY = 0.1


@dataclass
class MinerConfig:
    """Knobs of the miner; checked on creation. ``min_similarity`` None means the tuned value for
    the features in use; a leftover joins its nearest cluster when its mean similarity to the
    members reaches ``join_ratio`` × that threshold."""

    min_similarity: float | None = None
    join_ratio: float = 0.6
    min_cluster_size: int | None = None
    theme_weight: float = 1.0
    n_keywords: int = 8
    n_examples: int = 3
    theme_share: float = 0.3
    max_atoms: int = 3000
    copies: bool = True

    def __post_init__(self) -> None:
        ThresholdClusterer(self.similarity(True), self.min_cluster_size).check_params()
        if not 0.0 < self.theme_share <= 1.0:
            raise InputError(f"主题占比阈值应在 0 到 1 之间，收到 {self.theme_share}。",
                             f"theme_share must be in (0, 1]. Got {self.theme_share} instead.")
        if not 0.0 < self.join_ratio <= 2.0:
            raise InputError(f"加入比例应在 0 到 2 之间，收到 {self.join_ratio}。",
                             f"join_ratio must be in (0, 2]. Got {self.join_ratio} instead.")

    def similarity(self, use_themes: bool) -> float:
        if self.min_similarity is not None:
            return self.min_similarity
        return THEMED_SIMILARITY if use_themes else TEXT_ONLY_SIMILARITY


@dataclass
class MiningResult:
    statements: list[Statement]
    clusters: list[dict[str, Any]]
    unclustered: list[int]
    aggregates: dict[str, Any]
    copies: list[dict[str, Any]]
    themes: list[list[str]] | None
    theme_names: dict[str, str]
    #: per cluster, the share of members carrying each dominant theme (for tables and reports)
    theme_shares: list[dict[str, float]] = field(default_factory=list)
    #: per unclustered statement: its nearest cluster, the similarity and why it stayed out
    leftovers: list[dict[str, Any]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of `pbm mine --json`."""
        return {"clusters": self.clusters, "unclustered": self.unclustered, "leftovers": self.leftovers,
                "aggregates": self.aggregates, "copies": self.copies}


def tag_statements(texts: list[str], tagger, labels: list[str]) -> list[dict[str, Any]]:
    """The tagger's {"themes", "scores"} per statement, in batches."""
    out: list[dict[str, Any]] = []
    for start in range(0, len(texts), TAG_BATCH):
        out += [{"themes": r["themes"], "scores": r["scores"]}
                for r in tagger.tag(texts[start:start + TAG_BATCH], evidence=False)]
    return out


def tags_matrix(tags: Sequence[dict[str, Any]], labels: list[str], n: int) -> tuple[list[list[str]], np.ndarray]:
    """Themes per statement and the scores as a matrix (columns in ``labels`` order), checked."""
    if len(tags) != n:
        raise InputError(f"主题标注应与陈述一一对应（{n} 条），收到 {len(tags)} 条。",
                         f"tags must have one entry per statement ({n}). Got {len(tags)} instead.")
    col = {t: j for j, t in enumerate(labels)}
    scores = np.zeros((n, len(labels)), dtype=np.float32)
    themes = []
    for r, rec in enumerate(tags):
        if not isinstance(rec, dict) or "scores" not in rec:
            raise InputError(f"第 {r} 条主题标注应为含 scores 的字典。",
                             f"tags[{r}] must be a dict with \"scores\" (and \"themes\"), as the tagger gives.")
        for t, v in rec["scores"].items():
            if t in col:
                scores[r, col[t]] = v
        themes.append(list(rec.get("themes", [])))
    return themes, scores


def _check_resources(encoder, tagger, use_themes: bool, have_embeddings: bool, have_tags: bool) -> None:
    """The encoder and tagger are passed in (resources.encoder, resources.tagger), unless what
    they would compute is given."""
    if encoder is None and not have_embeddings:
        raise ValueError("mine() needs an encoder (resources.encoder) or precomputed embeddings.")
    if use_themes and tagger is None and not have_tags:
        raise ValueError("mine(use_themes=True) needs a tagger (resources.tagger) or stored tags.")


def _relabel_by_size(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cluster ids 0.. by decreasing size (stable), -1 kept; and the map from old ids to new."""
    k = int(labels.max()) + 1 if len(labels) and labels.max() >= 0 else 0
    sizes = np.bincount(labels[labels >= 0], minlength=k)
    new = np.full(k + 1, -1, dtype=np.int64)  # the last slot maps -1 to -1
    new[np.argsort(-sizes, kind="stable")] = np.arange(k)
    return new[labels], new


def cluster_statements(X: np.ndarray, similarity: float, cfg: MinerConfig
                       ) -> tuple[np.ndarray, list[dict[str, Any]], ThresholdClusterer]:
    """Cluster ids (-1 unclustered, largest cluster first) after leftovers joined, the leftovers
    that stay out (nearest cluster in the new ids) and the fitted clusterer."""
    clusterer = ThresholdClusterer(similarity, cfg.min_cluster_size, max_atoms=cfg.max_atoms).fit(X)
    labels, leftovers = attach_leftovers(X, clusterer.labels_, cfg.join_ratio * similarity,
                                         released=clusterer.released_, group_sizes=clusterer.group_sizes_,
                                         min_size=clusterer.min_cluster_size_)
    labels, new_id = _relabel_by_size(labels)
    for e in leftovers:
        if e["nearest"] is not None:
            e["nearest"] = int(new_id[e["nearest"]])
    return labels, leftovers, clusterer


def statement_tags(items: list[Statement], tagger, tags, labels: list[str], say) -> tuple[list[list[str]], np.ndarray]:
    if tags is None:
        say(f"主题标注 tagging {len(items)} statements …")
        tags = tag_statements([s.text for s in items], tagger, labels)
    return tags_matrix(tags, labels, len(items))


def mine(statements: Iterable[Statement | str | dict[str, Any]], *, encoder=None, tagger=None,
         embeddings: np.ndarray | None = None, tags: Sequence[dict[str, Any]] | None = None,
         use_themes: bool = True, config: MinerConfig | None = None,
         log: Callable[[str], None] | None = None) -> MiningResult:
    """Mine recurring problems from statements (Statement objects, plain texts or dicts with
    "text" and optional "project", "year", "unit", "kind", "region", "finder", "source", …).

    ``encoder`` embeds the statements and ``tagger`` tags them (resources.encoder and .tagger);
    ``embeddings`` (one row per statement, from :func:`features.statement_embeddings`) and
    ``tags`` (one ``{"themes", "scores"}`` per statement, as the tagger or the store gives them)
    replace that work when given. ``use_themes=False`` clusters on text alone and leaves the theme
    aggregates out.
    """
    cfg = config or MinerConfig()
    items = coerce(statements)
    say = log or (lambda _m: None)
    _check_resources(encoder, tagger, use_themes, embeddings is not None, tags is not None)
    from ..themes.taxonomy import theme_names

    names = theme_names()
    clock = _Clock()
    themes, scores = statement_tags(items, tagger, tags, list(names), say) if use_themes else (None, None)
    clock.lap("tag")
    masked = MiningTexts([s.text for s in items])
    if embeddings is None:
        say("向量 embedding (cached by text) …")
        embeddings = encoder.encode(masked.all())
    E = check_embeddings(embeddings, len(items))
    centre = domain_centre(encoder) if encoder is not None else None
    X = statement_features(E, centre, scores, cfg.theme_weight if use_themes else 0.0)
    clock.lap("features")
    sim = cfg.similarity(use_themes)
    labels, leftovers, clusterer = cluster_statements(X, sim, cfg)
    clock.lap("cluster")
    say(f"聚类 clusters: {int(labels.max()) + 1}, 未归类 unclustered: {len(leftovers)}")
    clusters, shares = describe_clusters(items, masked, X, labels, themes, names, cfg.n_keywords,
                                         cfg.n_examples, cfg.theme_share)
    for e in leftovers:
        e["nearest_label"] = clusters[e["nearest"]]["label"] if e["nearest"] is not None else None
        e["why"], e["why_en"] = reason_text(e, 0), reason_text(e, 1)
    clock.lap("describe")
    aggregates = aggregate(items, themes, names, clusters)
    aggregates["clustering"] = {"clusters": len(clusters), "unclustered": len(leftovers), "min_similarity": sim,
                                "join_similarity": round(cfg.join_ratio * sim, 4),
                                "min_cluster_size": clusterer.min_cluster_size_}
    clock.lap("aggregate")
    copies = find_copies(items) if cfg.copies else []
    clock.lap("copies")
    return MiningResult(statements=items, clusters=clusters, unclustered=[e["index"] for e in leftovers],
                        aggregates=aggregates, copies=copies, themes=themes, theme_names=names,
                        theme_shares=shares, leftovers=leftovers, timings=clock.timings)


class _Clock:
    """Seconds per step, for the timings of a result."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._t = time.perf_counter()

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        self.timings[step] = now - self._t
        self._t = now


__all__ = ["MinerConfig", "MiningResult", "mine"]
