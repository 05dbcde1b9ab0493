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


def describe_clusters(statements: list[Statement], masked: list[str], X: np.ndarray, labels: np.ndarray,
                      themes: list[list[str]] | None, theme_names: dict[str, str], n_keywords: int = 8,
                      n_examples: int = 3, share_floor: float = 0.3
                      ) -> tuple[list[dict[str, Any]], list[dict[str, float]]]:
    """Label, keywords, dominant themes and representative statements of every cluster;
    ``masked`` holds each statement's mining text (features.mining_text)."""
    names = name_words(statements)
    tokens = [keyword_tokens(t, names) for t in masked]
    keywords = class_tfidf(tokens, labels.tolist(), top=n_keywords)
    clusters, shares = [], []
    for cid in range(labels.max() + 1 if len(labels) else 0):
        members = np.flatnonzero(labels == cid)
        order, examples = representatives(statements, X, members, n_examples)
        share = theme_share(members, themes, share_floor) if themes is not None else {}
        fallback = theme_names.get(next(iter(share)), "") if share else ""
        clusters.append({
            "id": cid,
            "label": label_for([masked[i] for i in order[:50]], keywords.get(cid, []), fallback, names),
            "keywords": [w for w, _ in keywords.get(cid, [])],
            "themes": list(share),
            "size": len(members),
            "members": [int(i) for i in members],
            "examples": examples,
        })
        shares.append(share)
    return clusters, shares
