"""Issue mining end to end: statements → themes → clusters with keywords and labels → aggregates
and copied text. The encoder and the tagger are passed in (one shared object each); nothing here
writes to the store."""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import InputError
from .aggregates import aggregate
from .cluster import ThresholdClusterer
from .copies import find_copies
from .features import statement_features
from .keywords import class_tfidf, keyword_tokens, label_for, strip_names
from .records import Statement, coerce

TAG_BATCH = 1000
#: Least average similarity inside a cluster, tuned for ARI against the gold themes on out-of-fold
#: tagger scores over the training corpus: with the theme scores in the features, and without.
THEMED_SIMILARITY = 0.25
TEXT_ONLY_SIMILARITY = 0.1


@dataclass
class MinerConfig:
    """Knobs of the miner; checked on creation. Defaults are the tuned ones (see features.py);
    ``min_similarity`` None means the tuned value for the features in use."""

    min_similarity: float | None = None
    min_cluster_size: int | None = None
    text_weight: float = 0.5
    theme_weight: float = 0.75
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
    timings: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of `pbm mine --json`."""
        return {"clusters": self.clusters, "unclustered": self.unclustered,
                "aggregates": self.aggregates, "copies": self.copies}


def tag_statements(texts: list[str], tagger, labels: list[str]) -> tuple[list[list[str]], np.ndarray]:
    """The tagger's themes per statement and its scores as a matrix (columns in ``labels`` order)."""
    themes: list[list[str]] = []
    scores = np.zeros((len(texts), len(labels)), dtype=np.float32)
    col = {t: j for j, t in enumerate(labels)}
    for start in range(0, len(texts), TAG_BATCH):
        for r, rec in enumerate(tagger.tag(texts[start:start + TAG_BATCH], evidence=False), start=start):
            themes.append(list(rec["themes"]))
            for t, v in rec["scores"].items():
                if t in col:
                    scores[r, col[t]] = v
    return themes, scores


def _distinct(a: str, chosen: list[str]) -> bool:
    grams = {a[i:i + 2] for i in range(len(a) - 1)}
    for b in chosen:
        other = {b[i:i + 2] for i in range(len(b) - 1)}
        if grams and other and len(grams & other) / len(grams | other) > 0.7:
            return False
    return True


def describe_clusters(statements: list[Statement], X: np.ndarray, labels: np.ndarray,
                      themes: list[list[str]] | None, cfg: MinerConfig
                      ) -> tuple[list[dict[str, Any]], list[dict[str, float]]]:
    """Label, keywords, dominant themes and representative statements of every cluster."""
    tokens = [keyword_tokens(strip_names(s.text, (s.project, s.unit))) for s in statements]
    keywords = class_tfidf(tokens, labels.tolist(), top=cfg.n_keywords)
    clusters, shares = [], []
    for cid in range(labels.max() + 1 if len(labels) else 0):
        members = np.flatnonzero(labels == cid)
        centre = X[members].mean(0)
        order = members[np.argsort(-(X[members] @ centre), kind="stable")]
        examples: list[str] = []
        for i in order:
            if len(examples) >= cfg.n_examples:
                break
            if _distinct(statements[i].text, examples):
                examples.append(statements[i].text)
        central = [statements[i].text for i in order[:50]]
        share: dict[str, float] = {}
        if themes is not None:
            counts: dict[str, int] = {}
            for i in members:
                for t in themes[i]:
                    counts[t] = counts.get(t, 0) + 1
            share = {t: round(c / len(members), 3) for t, c in sorted(counts.items(), key=lambda kv: -kv[1])
                     if c / len(members) >= cfg.theme_share}
        clusters.append({
            "id": cid,
            "label": label_for(central, keywords.get(cid, [])),
            "keywords": [w for w, _ in keywords.get(cid, [])],
            "themes": list(share),
            "size": len(members),
            "members": [int(i) for i in members],
            "examples": examples,
        })
        shares.append(share)
    return clusters, shares


def mine(statements: Iterable[Statement | str | dict[str, Any]], *, encoder=None, tagger=None,
         use_themes: bool = True, config: MinerConfig | None = None,
         log: Callable[[str], None] | None = None) -> MiningResult:
    """Mine recurring problems from statements (Statement objects, plain texts or dicts with
    "text" and optional "project", "year", "unit", "kind", "evaluation").

    ``encoder`` embeds the statements; ``tagger`` (needed unless ``use_themes=False``, which
    clusters on text alone and leaves the theme aggregates out) is the active theme tagger.
    """
    cfg = config or MinerConfig()
    items = coerce(statements)
    texts = [s.text for s in items]
    say = log or (lambda _m: None)
    timings: dict[str, float] = {}
    if encoder is None:
        raise ValueError("mine() needs an encoder: pass resources.encoder.")
    from ..themes.taxonomy import theme_names

    names = theme_names()
    themes = scores = None
    if use_themes:
        if tagger is None:
            raise ValueError("mine(use_themes=True) needs a tagger: pass resources.tagger.")
        t0 = time.perf_counter()
        say(f"主题标注 tagging {len(texts)} statements …")
        themes, scores = tag_statements(texts, tagger, list(names))
        timings["tag"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    say("向量 embedding (cached by text) …")
    X = statement_features(texts, encoder, scores, cfg.text_weight, cfg.theme_weight if use_themes else 0.0)
    timings["features"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    clusterer = ThresholdClusterer(cfg.similarity(use_themes), cfg.min_cluster_size,
                                   max_atoms=cfg.max_atoms).fit(X)
    labels = clusterer.labels_
    timings["cluster"] = time.perf_counter() - t0
    say(f"聚类 clusters: {clusterer.n_clusters_}, 未归类 unclustered: {int((labels < 0).sum())}")

    t0 = time.perf_counter()
    clusters, shares = describe_clusters(items, X, labels, themes, cfg)
    timings["describe"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    aggregates = aggregate(items, themes, names, clusters)
    aggregates["clustering"] = {"clusters": clusterer.n_clusters_, "unclustered": int((labels < 0).sum()),
                                "min_similarity": cfg.similarity(use_themes),
                                "min_cluster_size": clusterer.min_cluster_size_}
    timings["aggregate"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    copies = find_copies(items) if cfg.copies else []
    timings["copies"] = time.perf_counter() - t0
    return MiningResult(statements=items, clusters=clusters, unclustered=[int(i) for i in np.flatnonzero(labels < 0)],
                        aggregates=aggregates, copies=copies, themes=themes, theme_names=names,
                        theme_shares=shares, timings=timings)


__all__ = ["MinerConfig", "MiningResult", "mine"]
