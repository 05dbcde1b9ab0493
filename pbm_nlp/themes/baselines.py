"""The two baselines every evaluation reports beside the tagger.

- keyword rules: a theme fires when one of its cue keywords (corpora/themes.yaml) occurs;
- TF-IDF + logistic regression alone: the sparse half of the tagger, cut at 0.5, no dense part,
  no calibration.
"""
from __future__ import annotations

import numpy as np

from ..features.sparse import SparseFeaturizer
from .tagger import _LinearOvR
from .taxonomy import Theme


class KeywordRules:
    def __init__(self, themes: list[Theme]):
        self.themes = themes

    def predict(self, texts: list[str]) -> np.ndarray:
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
        self.featurizer_ = SparseFeaturizer()
        self.model_ = _LinearOvR(self.C).fit(self.featurizer_.fit_transform(texts), Y)
        return self

    def predict(self, texts: list[str]) -> np.ndarray:
        return (self.model_.proba(self.featurizer_.transform(texts)) >= 0.5).astype(np.int8)
