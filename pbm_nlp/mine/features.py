"""What statements are clustered on: the heading's meaning, the whole text's, the tagger's themes.

Why: a 存在问题 item states the problem in its first sentence and then describes the project, so
embedding only the whole text groups statements by project domain (IT, construction …) rather
than by problem. The heading weighs most, the full text adds detail, and the tagger's theme
scores pull together statements that name one problem in different words. The weights were
chosen on out-of-fold tagger scores over the training corpus (benchmarks/mine_quality.py reports
the dev set, which was not used).

m3e vectors share a large common direction, which makes every pair look similar; they are
centred on a fixed sample of the domain's language (the labelled corpus and the theme
descriptions), not on the input, so that a statement's neighbours — and the meaning of the
similarity threshold — do not depend on what else happens to be mined with it.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

_FIRST = re.compile(r"[。；！？]")


def headline(text: str) -> str:
    """The first sentence of a statement (the problem as the evaluator stated it)."""
    m = _FIRST.search(text)
    return text[:m.start()] if m and m.start() >= 4 else text


def _unit(A: np.ndarray) -> np.ndarray:
    return A / np.clip(np.linalg.norm(A, axis=1, keepdims=True), 1e-9, None)


def domain_texts() -> list[str]:
    """The labelled corpus (corpora/annotations) and the theme descriptions and cues."""
    from .. import config
    from ..themes.corpus import read_jsonl
    from ..themes.taxonomy import load_themes

    themes = load_themes()
    texts = [t.prototype_text() for t in themes] + [c for t in themes for c in t.cues]
    for path in sorted(config.ANNOTATIONS_DIR.glob("*.jsonl")):
        texts += [str(r["text"]) for r in read_jsonl(path) if str(r.get("text", "")).strip()]
    return texts


def statement_features(texts: Sequence[str], encoder, theme_scores: np.ndarray | None = None,
                       text_weight: float = 0.5, theme_weight: float = 0.75) -> np.ndarray:
    """L2-normalised rows: [centred heading + text_weight × centred text, theme_weight × themes²]."""
    texts = list(texts)
    ref = domain_texts()
    X = _unit(encoder.encode([headline(t) for t in texts]) - encoder.encode([headline(t) for t in ref]).mean(0))
    if text_weight:
        X = X + text_weight * _unit(encoder.encode(texts) - encoder.encode(ref).mean(0))
    if theme_scores is not None and theme_weight:
        # squared, so that a statement's main themes dominate its weak secondary scores
        P = _unit(np.asarray(theme_scores, dtype=np.float32) ** 2)
        X = np.hstack([X, theme_weight * np.sqrt(1 + text_weight ** 2) * P])
    return _unit(X).astype(np.float32)
