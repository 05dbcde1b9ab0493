"""The two baselines every evaluation reports beside the tagger.

- keyword rules: a theme fires when one of its cue keywords (corpora/themes.yaml) occurs;
- TF-IDF + logistic regression: the plain baseline the real data was first measured with —
  character 1–3-gram TF-IDF, one balanced logistic regression per theme (C=8); in problem mode the
  top theme plus every other with p >= 0.4, otherwise every theme with p >= 0.5.
"""
from __future__ import annotations

import numpy as np

from .fitting import LinearOvR
from .taxonomy import Theme


class KeywordRules:
    def __init__(self, themes: list[Theme]):
        self.themes = themes

    def predict(self, texts: list[str], allow_none: bool = True) -> np.ndarray:
        """Every theme with a cue word in the text (problem mode or not: rules have no ranking)."""
        out = np.zeros((len(texts), len(self.themes)), dtype=np.int8)
        for r, t in enumerate(texts):
            for j, th in enumerate(self.themes):
                if any(k and k in t for k in th.keywords + th.cues):
                    out[r, j] = 1
        return out


class TfidfLogReg:
    def __init__(self, C: float = 8.0):
        self.C = C

    def fit(self, texts: list[str], Y: np.ndarray) -> TfidfLogReg:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer_ = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
        self.model_ = LinearOvR(self.C).fit(self.vectorizer_.fit_transform(texts), Y)
        return self

    def predict(self, texts: list[str], allow_none: bool = True) -> np.ndarray:
        P = self.model_.proba(self.vectorizer_.transform(texts))
        if allow_none:
            return (P >= 0.5).astype(np.int8)
        D = P >= 0.4
        D[np.arange(len(P)), P.argmax(1)] = True
        return D.astype(np.int8)
