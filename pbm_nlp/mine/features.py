"""What statements are clustered on: the problem, not the place — the meaning of each statement's
problem clause with names, numbers and dates masked, and the tagger's theme scores.

Why: a real 存在问题 item or audit finding opens with a register lead-in (审计发现，…), names the
county, the fund and the amounts, and often praises before it criticises (…，但…). Embedded as
is, statements group by place and fund ("杞麓湖治理专项债券项目…") rather than by problem. The
tagger's normalisation for real text (pbm_nlp.text.realtext: the problem clause, with place,
organisation, project and fund names, numbers, amounts and dates masked) is applied first, so
that two counties' 验收资料不完整 read alike. The theme scores pull together statements that
name one problem in different words; they weigh as much as the text vector, because on real
statements they carry more of the problem type than m3e-small's sentence vectors do (on the real
training statements, text alone reaches ARI 0.19 against the themes, with the scores 0.42:
benchmarks/mine_quality.py).

m3e vectors share a large common direction, which makes every pair look similar; they are
centred on a fixed sample of the domain's language (the labelled corpus and the theme
descriptions), not on the input, so that a statement's neighbours — and the meaning of the
similarity threshold — do not depend on what else happens to be mined with it.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import InputError
from ..text.realtext import mask_context, problem_clause


def mining_text(text: str) -> str:
    """What a statement is embedded and described by: its problem clause, names and numbers masked."""
    clause = problem_clause(text).strip()
    return mask_context(clause or text)


class MiningTexts:
    """The mining texts of a list of statements, computed on first access: with precomputed
    embeddings only the statements a label or keyword is drawn from are ever masked."""

    def __init__(self, texts: Sequence[str]):
        self._texts = texts
        self._done: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._texts)

    def __getitem__(self, i: int) -> str:
        if i not in self._done:
            self._done[i] = mining_text(self._texts[i])
        return self._done[i]

    def all(self) -> list[str]:
        return [self[i] for i in range(len(self))]


def unit_rows(A: np.ndarray) -> np.ndarray:
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


def statement_embeddings(texts: Sequence[str], encoder, progress=None) -> np.ndarray:
    """The encoder's vectors of each statement's mining text: what ``mine(embeddings=…)`` takes.

    Compute them once (or read them from the encoder's cache) and pass them to every re-mining.
    """
    return np.asarray(encoder.encode([mining_text(t) for t in texts], progress=progress), dtype=np.float32)


#: How many domain texts (evenly spread over the sample) the centre is the mean of: a mean of
#: 400 unit vectors is as good as one of 2,000, and a fresh encoder cache embeds them in seconds.
CENTRE_SAMPLE = 400


def domain_centre(encoder) -> np.ndarray:
    """The mean vector of the domain sample's mining texts (cached by the encoder after first use)."""
    texts = domain_texts()
    step = max(1, len(texts) // CENTRE_SAMPLE)
    return statement_embeddings(texts[::step], encoder).mean(0)


def check_embeddings(embeddings, n: int) -> np.ndarray:
    E = np.asarray(embeddings, dtype=np.float32)
    if E.ndim != 2 or len(E) != n or not np.isfinite(E).all():
        raise InputError(f"预先计算的向量应为 {n} 行的二维数值矩阵（每条陈述一行），收到形状 {E.shape}。",
                         f"embeddings must be a finite 2-d array with one row per statement ({n}). "
                         f"Got shape {E.shape} instead: compute them with statement_embeddings().")
    return E


def statement_features(embeddings: np.ndarray, centre: np.ndarray | None,
                       theme_scores: np.ndarray | None = None, theme_weight: float = 1.0) -> np.ndarray:
    """L2-normalised rows: [centred text vector, theme_weight × squared theme scores (normalised)].

    ``centre`` None centres on the input's own mean (only when no encoder is at hand to embed the
    domain sample). The scores are squared so that a statement's main themes dominate its weak
    secondary ones.
    """
    E = np.asarray(embeddings, dtype=np.float32)
    X = unit_rows(E - (E.mean(0) if centre is None else centre))
    if theme_scores is not None and theme_weight:
        P = unit_rows(np.asarray(theme_scores, dtype=np.float32) ** 2)
        X = np.hstack([X, theme_weight * P])
    return unit_rows(X).astype(np.float32)
