"""The pieces the tagger is fitted with: label matrices, document-grouped folds, balanced one-vs-rest
logistic regression kept as plain arrays, Platt calibration and threshold choice.

Folds are grouped by source document: real statements of one audit report share places, funds
and wording, so a fold that holds some of them in training and others in test would flatter the
model (and choose thresholds and calibration on that flattering figure).
"""
from __future__ import annotations

import numpy as np

from ..errors import InputError


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def binarize(label_sets: list[list[str]], labels: list[str]) -> np.ndarray:
    index = {t: i for i, t in enumerate(labels)}
    Y = np.zeros((len(label_sets), len(labels)), dtype=np.int8)
    for r, ls in enumerate(label_sets):
        for t in ls:
            if t not in index:
                raise InputError(f"未知主题 {t!r}", f"unknown theme {t!r}: expected one of {labels}")
            Y[r, index[t]] = 1
    return Y


def surrogate_strata(Y: np.ndarray) -> np.ndarray:
    """One stratum per example for stratified folds: its rarest theme, or 'none'."""
    freq = Y.sum(0)
    out = np.full(len(Y), -1)
    for r in range(len(Y)):
        pos = np.flatnonzero(Y[r])
        if len(pos):
            out[r] = pos[np.argmin(freq[pos])]
    # strata too small for the folds are merged into 'none'
    vals, counts = np.unique(out, return_counts=True)
    for v, c in zip(vals, counts):
        if c < 5:
            out[out == v] = -1
    return out


def grouped_folds(Y: np.ndarray, groups: list[str] | None, k: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """k train/test splits, stratified by theme, with every group (source document) on one side."""
    from sklearn.model_selection import StratifiedGroupKFold

    strata = surrogate_strata(Y)
    if groups is None:
        groups = [str(i) for i in range(len(Y))]
    splitter = StratifiedGroupKFold(k, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(Y)), strata, groups))


class LinearOvR:
    """One balanced logistic regression per label, kept as plain arrays (coef, intercept)."""

    def __init__(self, C: float):
        self.C = C

    def fit(self, X, Y: np.ndarray, sample_weight: np.ndarray | None = None,
            rows: list[np.ndarray | None] | None = None) -> LinearOvR:
        """``rows[j]`` (a boolean mask, or None for all) limits label j's regression to some rows."""
        from sklearn.linear_model import LogisticRegression

        k = Y.shape[1]
        self.coef_ = np.zeros((k, X.shape[1]), dtype=np.float32)
        self.intercept_ = np.full(k, -10.0, dtype=np.float32)
        for j in range(k):
            mask = None if rows is None else rows[j]
            Xj, y = (X, Y[:, j]) if mask is None else (X[mask], Y[mask, j])
            if y.sum() == 0 or y.sum() == len(y):
                continue  # a theme with no examples (yet) never fires
            lr = LogisticRegression(C=self.C, class_weight="balanced", solver="liblinear", max_iter=2000)
            sw = sample_weight if sample_weight is None or mask is None else sample_weight[mask]
            lr.fit(Xj, y, sample_weight=sw)
            self.coef_[j] = lr.coef_[0]
            self.intercept_[j] = lr.intercept_[0]
        return self

    def decision(self, X) -> np.ndarray:
        return np.asarray(X @ self.coef_.T) + self.intercept_

    def proba(self, X) -> np.ndarray:
        return sigmoid(self.decision(X))


def platt(p: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Per-theme calibration of out-of-fold scores: sigmoid(a·logit(p) + b)."""
    if y.sum() == 0 or y.sum() == len(y):
        return (1.0, 0.0)
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=10.0).fit(logit(p).reshape(-1, 1), y)
    return (float(lr.coef_[0, 0]), float(lr.intercept_[0]))


def f1(pred: np.ndarray, y: np.ndarray) -> float:
    tp = float((pred & (y == 1)).sum())
    fp = float((pred & (y == 0)).sum())
    fn = float((~pred & (y == 1)).sum())
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def best_threshold(p: np.ndarray, y: np.ndarray, lo: float, hi: float) -> float:
    """The threshold in [lo, hi] that maximises F1; ties broken towards 0.5 (less overfit)."""
    if y.sum() == 0:
        return hi
    grid = np.round(np.arange(lo, hi + 1e-9, 0.025), 3)
    scores = [(f1(p >= t, y), -abs(t - 0.5), t) for t in grid]
    return float(max(scores)[2])


def macro_f1_best(p: np.ndarray, Y: np.ndarray) -> float:
    return float(np.mean([max(f1(p[:, j] >= t, Y[:, j]) for t in (0.3, 0.4, 0.5, 0.6)) for j in range(Y.shape[1])
                          if Y[:, j].sum()]))


def problem_threshold(p: np.ndarray, y: np.ndarray, top: np.ndarray, lo: float, hi: float) -> float:
    """The threshold for a theme in problem mode, where the most likely theme is given anyway:
    the one that maximises F1 of (top theme or p >= threshold); ties towards 0.5."""
    if y.sum() == 0:
        return hi
    grid = np.round(np.arange(lo, hi + 1e-9, 0.025), 3)
    return float(max((f1(top | (p >= t), y), -abs(t - 0.5), t) for t in grid)[2])


def gate_threshold(p: np.ndarray, is_problem: np.ndarray) -> float:
    """The gate's threshold: the one that best separates problems from statements without one on
    out-of-fold scores (balanced accuracy, so that the few neutral examples count as much)."""
    if is_problem.all() or not is_problem.any():
        return 0.0
    grid = np.round(np.arange(0.05, 0.951, 0.025), 3)
    return float(max(((p[is_problem] >= t).mean() + (p[~is_problem] < t).mean(), -abs(t - 0.5), t)
                     for t in grid)[2])
