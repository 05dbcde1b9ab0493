"""What a cluster is called and shown by: label, keywords, dominant themes, representative statements."""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from .keywords import class_tfidf, keyword_tokens, name_words
from .labels import label_for
from .records import Statement


def _distinct(a: str, chosen: list[str]) -> bool:
    grams = {a[i:i + 2] for i in range(len(a) - 1)}
    for b in chosen:
        other = {b[i:i + 2] for i in range(len(b) - 1)}
        if grams and other and len(grams & other) / len(grams | other) > 0.7:
            return False
    return True


def theme_share(members: np.ndarray, themes: Sequence[Sequence[str]], floor: float) -> dict[str, float]:
    """The share of members carrying each theme, for themes at or above ``floor``, largest first."""
    counts: Counter[str] = Counter(t for i in members for t in themes[i])
    return {t: round(c / len(members), 3) for t, c in counts.most_common() if c / len(members) >= floor}


def representatives(statements: Sequence[Statement], X: np.ndarray, members: np.ndarray, n: int) -> tuple[np.ndarray, list[str]]:
    """Members by closeness to the cluster centre, and up to ``n`` distinct texts among the closest."""
    order = members[np.argsort(-(X[members] @ X[members].mean(0)), kind="stable")]
    examples: list[str] = []
    for i in order:
        if len(examples) >= n:
            break
        if _distinct(statements[i].text, examples):
            examples.append(statements[i].text)
    return order, examples


def keyword_sample(labels: np.ndarray, cap: int, seed: int = 0) -> np.ndarray:
    """The statements keywords are counted on: every member of a class up to ``cap``, else a
    seeded random ``cap`` of them. Segmenting 100,000 statements would take a minute; a few
    hundred per cluster rank its words the same way."""
    rng = np.random.default_rng(seed)
    picked = []
    for lab in np.unique(labels):
        members = np.flatnonzero(labels == lab)
        picked.append(members if len(members) <= cap else np.sort(rng.choice(members, cap, replace=False)))
    return np.sort(np.concatenate(picked)) if picked else np.zeros(0, dtype=np.int64)


def describe_clusters(statements: list[Statement], masked: Sequence[str], X: np.ndarray, labels: np.ndarray,
                      themes: list[list[str]] | None, theme_names: dict[str, str], n_keywords: int = 8,
                      n_examples: int = 3, share_floor: float = 0.3, keyword_cap: int = 400
                      ) -> tuple[list[dict[str, Any]], list[dict[str, float]]]:
    """Label, keywords, dominant themes and representative statements of every cluster;
    ``masked`` gives each statement's mining text (features.MiningTexts: only the statements
    keywords and labels are drawn from are masked)."""
    k = int(labels.max()) + 1 if len(labels) else 0
    central = [representatives(statements, X, np.flatnonzero(labels == cid), n_examples) for cid in range(k)]
    sample = keyword_sample(labels, keyword_cap)
    names = name_words([statements[i] for i in sample] + [statements[i] for o, _ in central for i in o[:50]])
    keywords = class_tfidf([keyword_tokens(masked[i], names) for i in sample], labels[sample].tolist(),
                           top=n_keywords)
    clusters, shares = [], []
    used: set[str] = set()
    for cid, (order, examples) in enumerate(central):
        share = theme_share(order, themes, share_floor) if themes is not None else {}
        fallback = theme_names.get(next(iter(share)), "") if share else ""
        texts, kws = [masked[i] for i in order[:50]], keywords.get(cid, [])
        label = label_for(texts, kws, fallback, names)
        if label in used:  # a second cluster of the same theme: its own words, not the theme's name again
            label = label_for(texts, kws, "", names)
        if label in used and kws:
            label = f"{label}（{kws[0][0]}）"
        used.add(label)
        clusters.append({
            "id": cid,
            "label": label,
            "keywords": [w for w, _ in keywords.get(cid, [])],
            "themes": list(share),
            "size": len(order),
            "members": sorted(int(i) for i in order),
            "examples": examples,
        })
        shares.append(share)
    return clusters, shares
