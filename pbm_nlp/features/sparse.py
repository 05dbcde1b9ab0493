"""TF-IDF over jieba words, word bigrams and character n-grams, persisted as plain arrays.

Characters catch wording that segmentation splits differently (未验收 / 未组织验收), words and
bigrams catch phrases. A featurizer reads one or more *views* of a text (text.realtext: the raw
text, its masked form, the masked problem clause); the features of the second and later views carry
the view's number as a prefix, so the clause's words count apart from the whole text's. The fitted
state is a vocabulary and an idf vector, saved as JSON and .npy, so loading a model runs no code.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from itertools import pairwise, repeat
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from ..text.realtext import view
from ..text.tokenize import stopwords, words

_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_PUNCT = re.compile(r"[\s，。、；：？！“”‘’（）《》【】…—\-·,.;:?!()\[\]<>/\"'%]+")


def analyze(text: str, char_ngrams: tuple[int, int] = (2, 3), memo: dict[str, list[str]] | None = None,
            prefix: str = "") -> list[str]:
    """Feature strings of a text: w:word, b:word_word, c:chars (numbers folded to 0), each after
    ``prefix`` (a view's number). ``memo``: segmentation shared between views of one statement
    (text.tokenize.words)."""
    text = _DIGITS.sub("0", text)
    stop = stopwords()
    toks = [w for w in words(text, memo) if w not in stop or w in ("未", "不", "无", "缺", "没有")]
    w, b, c = f"{prefix}w:", f"{prefix}b:", f"{prefix}c:"
    feats = [w + t for t in toks]
    feats += [f"{b}{x}_{y}" for x, y in pairwise(toks)]
    lo, hi = char_ngrams
    sizes = range(lo, hi + 1)
    for chunk in _PUNCT.split(text):
        feats += [c + chunk[i:i + n] for n in sizes for i in range(len(chunk) - n + 1)]
    return feats


class SparseFeaturizer:
    """fit/transform like sklearn's TfidfVectorizer (sublinear tf, l2), with array persistence.

    ``features(texts)`` analyses once; ``fit_features``/``transform_features`` reuse the analysis,
    so cross-validation does not segment every text once per fold."""

    def __init__(self, min_df: int = 2, max_features: int = 60000, char_ngrams: tuple[int, int] = (2, 3),
                 views: tuple[str, ...] = ("raw",)):
        self.min_df = min_df
        self.max_features = max_features
        self.char_ngrams = char_ngrams
        self.views = tuple(views)

    def _analyze(self, text: str) -> list[str]:
        feats: list[str] = []
        memo: dict[str, list[str]] = {}  # the views of one text share most of their blocks
        first, n_first = "", 0  # the first view's text: a later view that reads the same reuses its features
        for i, name in enumerate(self.views):
            v = view(name, text)
            if i and v == first:
                feats += [f"{i}{f}" for f in feats[:n_first]]
                continue
            feats += analyze(v, self.char_ngrams, memo, str(i) if i else "")
            if not i:
                first, n_first = v, len(feats)
        return feats

    def features(self, texts: list[str]) -> list[list[str]]:
        return [self._analyze(t) for t in texts]

    def fit(self, texts: list[str]) -> SparseFeaturizer:
        return self.fit_features(self.features(texts))

    def fit_features(self, analysed: list[list[str]]) -> SparseFeaturizer:
        df: Counter[str] = Counter()
        for fs in analysed:
            df.update(set(fs))
        kept = [f for f, c in df.items() if c >= self.min_df]
        kept.sort(key=lambda f: (-df[f], f))
        kept = sorted(kept[: self.max_features])
        self.vocabulary_ = {f: i for i, f in enumerate(kept)}
        n = len(analysed)
        self.idf_ = np.array([np.log((1 + n) / (1 + df[f])) + 1.0 for f in kept], dtype=np.float32)
        return self

    def fit_transform(self, texts: list[str]) -> sp.csr_matrix:
        analysed = self.features(texts)
        return self.fit_features(analysed).transform_features(analysed)

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        """Streamed: each text's feature strings are counted and dropped before the next text is
        analysed (10,000 statements held about 7 million strings at once before)."""
        return self.transform_features(self._analyze(t) for t in texts)

    def transform_features(self, analysed: Iterable[list[str]]) -> sp.csr_matrix:
        if not hasattr(self, "vocabulary_"):
            from ..errors import ModelNotTrained

            raise ModelNotTrained("特征器尚未训练。", "SparseFeaturizer is not fitted: call fit first.")
        indptr, cols, vals = [0], [], []
        vocab = self.vocabulary_
        for fs in analysed:
            ids = np.fromiter(map(vocab.get, fs, repeat(-1)), dtype=np.int32, count=len(fs))
            idx, counts = np.unique(ids[ids >= 0], return_counts=True)  # unknown features are -1
            w = (1.0 + np.log(counts.astype(np.float32))) * self.idf_[idx]
            w /= np.linalg.norm(w) or 1.0
            cols.append(idx)
            vals.append(w)
            indptr.append(indptr[-1] + len(idx))
        if not cols:
            return sp.csr_matrix((0, len(vocab)), dtype=np.float32)
        return sp.csr_matrix((np.concatenate(vals).astype(np.float32, copy=False), np.concatenate(cols),
                              np.asarray(indptr, dtype=np.int64)), shape=(len(cols), len(vocab)))

    @property
    def feature_names_(self) -> list[str]:
        names = [""] * len(self.vocabulary_)
        for f, i in self.vocabulary_.items():
            names[i] = f
        return names

    def save(self, folder: Path) -> None:
        (folder / "sparse_vocabulary.json").write_text(
            json.dumps(self.feature_names_, ensure_ascii=False), encoding="utf-8")
        np.save(folder / "sparse_idf.npy", self.idf_, allow_pickle=False)
        (folder / "sparse_config.json").write_text(json.dumps(
            {"min_df": self.min_df, "max_features": self.max_features, "char_ngrams": list(self.char_ngrams),
             "views": list(self.views)}))

    @classmethod
    def load(cls, folder: Path) -> SparseFeaturizer:
        cfg = json.loads((folder / "sparse_config.json").read_text())
        obj = cls(cfg["min_df"], cfg["max_features"], tuple(cfg["char_ngrams"]), tuple(cfg.get("views", ["raw"])))
        names = json.loads((folder / "sparse_vocabulary.json").read_text(encoding="utf-8"))
        obj.vocabulary_ = {f: i for i, f in enumerate(names)}
        obj.idf_ = np.load(folder / "sparse_idf.npy", allow_pickle=False)
        return obj
