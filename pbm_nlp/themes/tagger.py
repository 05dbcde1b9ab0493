"""The theme tagger: sparse TF-IDF + dense m3e-small features, blended, calibrated, thresholded.

Design (why):
- a sparse model (jieba words, bigrams, char n-grams → TF-IDF → one logistic regression per
  theme) knows the stock wording of evaluation reports;
- a dense model (mean-pooled encoder embeddings plus their cosine to each theme's definition,
  → logistic regression) carries meaning across wording the corpus never used;
- their probabilities are blended with a weight chosen on out-of-fold predictions, calibrated
  per theme (Platt scaling on the out-of-fold blend), and cut at a per-theme threshold chosen
  on the same out-of-fold predictions, so "no theme" is a real answer.
Every prediction carries its evidence: the phrases that pushed the sparse model and the
nearest labelled examples.

Follows the estimator contract: ``__init__`` stores arguments, ``fit`` returns self, learned
state ends in ``_``. ``predict`` has no side effects; the store is written elsewhere.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError, ModelNotTrained
from ..features.sparse import SparseFeaturizer

FORMAT_VERSION = 1


@dataclass
class TaggerConfig:
    """Hyper-parameters; checked on creation and saved with the model."""

    C_sparse: float = 8.0
    C_dense: float = 32.0
    use_dense: bool = True
    use_prototypes: bool = True
    inner_folds: int = 4
    sparse_weight: float | None = None  # None: chosen on out-of-fold predictions
    min_threshold: float = 0.2
    max_threshold: float = 0.7
    seed: int = 0

    def __post_init__(self) -> None:
        if self.C_sparse <= 0 or self.C_dense <= 0:
            raise ValueError(f"C_sparse and C_dense must be > 0. Got {self.C_sparse}, {self.C_dense} instead.")
        if self.inner_folds < 2:
            raise ValueError(f"inner_folds must be >= 2. Got {self.inner_folds} instead.")
        if self.sparse_weight is not None and not 0 <= self.sparse_weight <= 1:
            raise ValueError(f"sparse_weight must be in [0, 1]. Got {self.sparse_weight} instead.")
        if not 0 < self.min_threshold <= self.max_threshold < 1:
            raise ValueError("thresholds must satisfy 0 < min_threshold <= max_threshold < 1.")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TaggerConfig:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def _logit(p: np.ndarray) -> np.ndarray:
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
    """One stratum per example for StratifiedKFold: its rarest theme, or 'none'."""
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


class _LinearOvR:
    """One balanced logistic regression per label, kept as plain arrays (coef, intercept)."""

    def __init__(self, C: float):
        self.C = C

    def fit(self, X, Y: np.ndarray) -> _LinearOvR:
        from sklearn.linear_model import LogisticRegression

        k = Y.shape[1]
        d = X.shape[1]
        self.coef_ = np.zeros((k, d), dtype=np.float32)
        self.intercept_ = np.full(k, -10.0, dtype=np.float32)
        for j in range(k):
            y = Y[:, j]
            if y.sum() == 0 or y.sum() == len(y):
                continue  # a theme with no examples (yet) never fires
            lr = LogisticRegression(C=self.C, class_weight="balanced", solver="liblinear", max_iter=2000)
            lr.fit(X, y)
            self.coef_[j] = lr.coef_[0]
            self.intercept_[j] = lr.intercept_[0]
        return self

    def decision(self, X) -> np.ndarray:
        return np.asarray(X @ self.coef_.T) + self.intercept_

    def proba(self, X) -> np.ndarray:
        return _sigmoid(self.decision(X))


class ThemeTagger:
    """Multi-label problem-theme tagger. ``encoder`` is shared (see features.encoder)."""

    def __init__(self, labels: list[str], encoder=None, config: TaggerConfig | None = None,
                 prototypes: dict[str, str] | None = None):
        self.labels = list(labels)
        self.encoder = encoder
        self.config = config or TaggerConfig()
        self.prototypes = prototypes or {}

    # ---- features ----------------------------------------------------------------------------
    @property
    def _dense_on(self) -> bool:
        return self.config.use_dense and self.encoder is not None

    def _dense_features(self, emb: np.ndarray) -> np.ndarray:
        if self.config.use_prototypes and getattr(self, "proto_emb_", None) is not None:
            return np.hstack([emb, 3.0 * (emb @ self.proto_emb_.T)])
        return emb

    def _embed(self, texts: list[str]) -> np.ndarray:
        return self.encoder.encode(texts)

    # ---- fitting -----------------------------------------------------------------------------
    def fit(self, texts: list[str], label_sets: list[list[str]], progress=None) -> ThemeTagger:
        from sklearn.model_selection import StratifiedKFold

        if len(texts) != len(label_sets) or len(texts) < 10:
            raise InputError("训练样本过少或文本与标签数量不一致。",
                             f"need >= 10 examples with one label set each; got {len(texts)} texts and "
                             f"{len(label_sets)} label sets.")
        cfg = self.config
        Y = binarize(label_sets, self.labels)
        say = progress or (lambda *_: None)
        say(0.05, "稀疏特征 sparse features")
        featurizer = SparseFeaturizer()
        Xs = featurizer.fit_transform(texts)
        emb = Xd = None
        if self._dense_on:
            say(0.15, "编码 encoding")
            emb = self._embed(texts)
            if cfg.use_prototypes:
                ptexts = [self.prototypes.get(t, t) for t in self.labels]
                self.proto_emb_ = self._embed(ptexts)
            Xd = self._dense_features(emb)

        # out-of-fold probabilities for blending, calibration and thresholds
        say(0.3, "交叉验证 out-of-fold")
        oof_s = np.zeros(Y.shape, dtype=np.float32)
        oof_d = np.zeros(Y.shape, dtype=np.float32)
        skf = StratifiedKFold(cfg.inner_folds, shuffle=True, random_state=cfg.seed)
        for tr, te in skf.split(np.zeros(len(Y)), surrogate_strata(Y)):
            fs = SparseFeaturizer().fit([texts[i] for i in tr])
            oof_s[te] = _LinearOvR(cfg.C_sparse).fit(fs.transform([texts[i] for i in tr]), Y[tr]).proba(
                fs.transform([texts[i] for i in te]))
            if Xd is not None:
                oof_d[te] = _LinearOvR(cfg.C_dense).fit(Xd[tr], Y[tr]).proba(Xd[te])
        if Xd is None:
            w = 1.0
        elif cfg.sparse_weight is not None:
            w = cfg.sparse_weight
        else:
            w = max(np.linspace(0, 1, 11), key=lambda a: _macro_f1_best(a * oof_s + (1 - a) * oof_d, Y))
        blend = w * oof_s + (1 - w) * oof_d
        self.sparse_weight_ = float(w)
        self.calibration_ = np.array([_platt(blend[:, j], Y[:, j]) for j in range(Y.shape[1])], dtype=np.float32)
        cal = self._calibrate(blend)
        self.thresholds_ = np.array([_best_threshold(cal[:, j], Y[:, j], cfg.min_threshold, cfg.max_threshold)
                                     for j in range(Y.shape[1])], dtype=np.float32)
        self.oof_proba_ = cal

        say(0.7, "最终模型 final models")
        self.featurizer_ = featurizer
        self.sparse_ = _LinearOvR(cfg.C_sparse).fit(Xs, Y)
        self.dense_ = _LinearOvR(cfg.C_dense).fit(Xd, Y) if Xd is not None else None
        self.train_texts_ = list(texts)
        self.train_labels_ = [list(ls) for ls in label_sets]
        self.train_emb_ = emb
        self.train_sparse_ = Xs
        say(1.0, "完成 done")
        return self

    def _calibrate(self, p: np.ndarray) -> np.ndarray:
        a, b = self.calibration_[:, 0], self.calibration_[:, 1]
        return _sigmoid(a * _logit(p) + b)

    def _check(self) -> None:
        if not hasattr(self, "thresholds_"):
            raise ModelNotTrained("主题模型尚未训练，请先运行 pbm train。",
                                  "the theme tagger is not trained: run `pbm train` first.")

    # ---- prediction --------------------------------------------------------------------------
    def _raw(self, texts: list[str]) -> tuple[np.ndarray, Any, np.ndarray | None]:
        Xs = self.featurizer_.transform(texts)
        p = self.sparse_.proba(Xs)
        emb = None
        if self.dense_ is not None:
            if self.encoder is None:
                raise ModelNotTrained("该模型需要编码器。", "this model was trained with the encoder: pass one.")
            emb = self._embed(texts)
            p = self.sparse_weight_ * p + (1 - self.sparse_weight_) * self.dense_.proba(self._dense_features(emb))
        return p, Xs, emb

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        self._check()
        if not texts:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        return self._calibrate(self._raw(texts)[0])

    def predict(self, texts: list[str], threshold: float | None = None) -> list[list[str]]:
        return [r["themes"] for r in self.tag(texts, threshold=threshold, evidence=False)]

    def tag(self, texts: list[str], threshold: float | None = None, evidence: bool = True,
            n_phrases: int = 6, n_neighbours: int = 3) -> list[dict[str, Any]]:
        """Themes (most likely first), calibrated scores and evidence for each text."""
        self._check()
        if not texts:
            return []
        raw, Xs, emb = self._raw(texts)
        P = self._calibrate(raw)
        cut = self.thresholds_ if threshold is None else np.full(len(self.labels), float(threshold))
        out = []
        for r, text in enumerate(texts):
            order = np.argsort(-P[r])
            themes = [self.labels[j] for j in order if P[r, j] >= cut[j]]
            rec: dict[str, Any] = {
                "text": text,
                "themes": themes,
                "scores": {self.labels[j]: round(float(P[r, j]), 4) for j in order},
            }
            if evidence:
                shown = themes or [self.labels[order[0]]]
                rec["evidence"] = {
                    "phrases": {t: self._phrases(Xs[r], self.labels.index(t), n_phrases) for t in shown},
                    "neighbours": self._neighbours(Xs[r], None if emb is None else emb[r], n_neighbours),
                }
            out.append(rec)
        return out

    def _phrases(self, x, j: int, n: int) -> list[dict[str, Any]]:
        """The features of this text that pushed theme j up most, as readable phrases."""
        names = self.featurizer_.feature_names_
        contrib = x.data * self.sparse_.coef_[j, x.indices]
        picked: list[tuple[str, float]] = []
        for k in np.argsort(-contrib):
            if contrib[k] <= 0 or len(picked) >= n:
                break
            f = names[x.indices[k]]
            phrase = f[2:].replace("_", "")
            if any(phrase in p for p, _ in picked):
                continue
            picked = [(p, w) for p, w in picked if p not in phrase]
            picked.append((phrase, float(contrib[k])))
        return [{"phrase": p, "weight": round(w, 4)} for p, w in picked]

    def _neighbours(self, x, e: np.ndarray | None, n: int) -> list[dict[str, Any]]:
        if e is not None and self.train_emb_ is not None:
            sims = self.train_emb_ @ e
        else:
            sims = np.asarray((self.train_sparse_ @ x.T).todense()).ravel()
        top = np.argsort(-sims)[:n]
        return [{"text": self.train_texts_[i], "themes": self.train_labels_[i], "similarity": round(float(sims[i]), 4)}
                for i in top]

    # ---- persistence (JSON + .npy only: nothing executes on load) -----------------------------
    def save(self, folder: Path) -> None:
        self._check()
        folder.mkdir(parents=True, exist_ok=True)
        meta = {
            "format_version": FORMAT_VERSION,
            "labels": self.labels,
            "config": self.config.to_dict(),
            "sparse_weight": self.sparse_weight_,
            "has_dense": self.dense_ is not None,
            "encoder": str(getattr(self.encoder, "path", "")) if self.dense_ is not None else None,
            "prototypes": self.prototypes,
        }
        (folder / "tagger.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        self.featurizer_.save(folder)
        arrays = {
            "sparse_coef": self.sparse_.coef_, "sparse_intercept": self.sparse_.intercept_,
            "calibration": self.calibration_, "thresholds": self.thresholds_,
        }
        if self.dense_ is not None:
            arrays |= {"dense_coef": self.dense_.coef_, "dense_intercept": self.dense_.intercept_}
            if getattr(self, "proto_emb_", None) is not None:
                arrays["proto_emb"] = self.proto_emb_
            arrays["train_emb"] = self.train_emb_
        np.savez_compressed(folder / "tagger_arrays.npz", **arrays)
        with open(folder / "train_examples.jsonl", "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps({"text": t, "themes": ls}, ensure_ascii=False) + "\n" for t, ls in zip(self.train_texts_, self.train_labels_))

    @classmethod
    def load(cls, folder: Path, encoder=None) -> ThemeTagger:
        meta = json.loads((folder / "tagger.json").read_text(encoding="utf-8"))
        if meta.get("format_version") != FORMAT_VERSION:
            raise ModelNotTrained(
                f"模型格式版本 {meta.get('format_version')} 与程序（{FORMAT_VERSION}）不符，请重新训练。",
                f"model format {meta.get('format_version')} does not match this program ({FORMAT_VERSION}): retrain.")
        obj = cls(meta["labels"], encoder=encoder if meta["has_dense"] else None,
                  config=TaggerConfig.from_dict(meta["config"]), prototypes=meta.get("prototypes") or {})
        arr = np.load(folder / "tagger_arrays.npz", allow_pickle=False)
        obj.featurizer_ = SparseFeaturizer.load(folder)
        obj.sparse_ = _LinearOvR(obj.config.C_sparse)
        obj.sparse_.coef_, obj.sparse_.intercept_ = arr["sparse_coef"], arr["sparse_intercept"]
        obj.dense_ = None
        obj.train_emb_ = None
        if meta["has_dense"]:
            obj.dense_ = _LinearOvR(obj.config.C_dense)
            obj.dense_.coef_, obj.dense_.intercept_ = arr["dense_coef"], arr["dense_intercept"]
            obj.proto_emb_ = arr.get("proto_emb")
            obj.train_emb_ = arr["train_emb"]
        obj.sparse_weight_ = float(meta["sparse_weight"])
        obj.calibration_ = arr["calibration"]
        obj.thresholds_ = arr["thresholds"]
        rows = [json.loads(x) for x in (folder / "train_examples.jsonl").read_text(encoding="utf-8").splitlines() if x]
        obj.train_texts_ = [r["text"] for r in rows]
        obj.train_labels_ = [r["themes"] for r in rows]
        obj.train_sparse_ = obj.featurizer_.transform(obj.train_texts_) if obj.train_emb_ is None else None
        return obj


def _platt(p: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Per-theme calibration of out-of-fold scores: sigmoid(a·logit(p) + b)."""
    if y.sum() == 0 or y.sum() == len(y):
        return (1.0, 0.0)
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=10.0).fit(_logit(p).reshape(-1, 1), y)
    return (float(lr.coef_[0, 0]), float(lr.intercept_[0]))


def _f1(pred: np.ndarray, y: np.ndarray) -> float:
    tp = float((pred & (y == 1)).sum())
    fp = float((pred & (y == 0)).sum())
    fn = float((~pred & (y == 1)).sum())
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def _best_threshold(p: np.ndarray, y: np.ndarray, lo: float, hi: float) -> float:
    """The threshold in [lo, hi] that maximises F1; ties broken towards 0.5 (less overfit)."""
    if y.sum() == 0:
        return hi
    grid = np.round(np.arange(lo, hi + 1e-9, 0.025), 3)
    scores = [(_f1(p >= t, y), -abs(t - 0.5), t) for t in grid]
    return float(max(scores)[2])


def _macro_f1_best(p: np.ndarray, Y: np.ndarray) -> float:
    return float(np.mean([max(_f1(p[:, j] >= t, Y[:, j]) for t in (0.3, 0.4, 0.5, 0.6)) for j in range(Y.shape[1])
                          if Y[:, j].sum()]))
