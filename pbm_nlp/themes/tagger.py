"""The theme tagger: sparse TF-IDF + dense m3e-small features, blended, calibrated, thresholded.

Design (why):
- a sparse model (jieba words, bigrams, char n-grams → TF-IDF → one logistic regression per
  theme) knows the stock wording of evaluation reports; it reads the statement with its context
  masked (place names, amounts, dates → 某县, 若干万元, 某年) and, apart, the masked problem
  clause (without "审计发现，" lead-ins and positive clauses before 但), so that real findings are
  read for their problem rather than their setting (text.realtext);
- a dense model (mean-pooled encoder embeddings of the masked text plus their cosine to each
  theme's definition, → logistic regression) carries meaning across wording the corpus never used;
- their probabilities are blended with a weight chosen on out-of-fold predictions, calibrated
  per theme (Platt scaling on the out-of-fold blend), and cut at a per-theme threshold chosen
  on the same out-of-fold predictions. Folds are grouped by source document (fitting.py);
- one more logistic regression, the *gate*, says whether a text states a problem at all.

Two ways to answer (``allow_none``):
- problem mode (default): the text is known to be a problem statement (an item of a 存在问题
  section), so it always gets its most likely theme, plus every other theme over its threshold;
- ``allow_none=True``: the text may hold no problem (mixed text, achievements, recommendations):
  when the gate says it states none, the answer is no theme; otherwise as in problem mode.
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
from ..text.realtext import VIEWS, view
from .fitting import (
    LinearOvR,
    binarize,
    gate_threshold,
    grouped_folds,
    logit,
    macro_f1_best,
    platt,
    problem_threshold,
    sigmoid,
    surrogate_strata,
)

__all__ = ["TaggerConfig", "ThemeTagger", "binarize", "surrogate_strata"]

FORMAT_VERSION = 2


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
    views: tuple[str, ...] = ("mask_clause", "mask")  # what the sparse model reads (text.realtext)
    char_ngrams: tuple[int, int] = (2, 3)  # character n-gram sizes of the sparse model
    min_df: int = 2  # a sparse feature must occur in this many training statements
    dense_views: tuple[str, ...] = ("mask",)  # what the encoder reads (several: their mean)
    themes_on_problems: bool = True  # theme regressions see problem statements only; the gate sees all

    def __post_init__(self) -> None:
        self.views = tuple(self.views)
        self.dense_views = tuple(self.dense_views)
        self.char_ngrams = tuple(self.char_ngrams)
        if self.C_sparse <= 0 or self.C_dense <= 0:
            raise ValueError(f"C_sparse and C_dense must be > 0. Got {self.C_sparse}, {self.C_dense} instead.")
        if self.inner_folds < 2:
            raise ValueError(f"inner_folds must be >= 2. Got {self.inner_folds} instead.")
        if self.sparse_weight is not None and not 0 <= self.sparse_weight <= 1:
            raise ValueError(f"sparse_weight must be in [0, 1]. Got {self.sparse_weight} instead.")
        if not 0 < self.min_threshold <= self.max_threshold < 1:
            raise ValueError("thresholds must satisfy 0 < min_threshold <= max_threshold < 1.")
        unknown = [v for v in (*self.views, *self.dense_views) if v not in VIEWS]
        if unknown or not self.views or not self.dense_views:
            raise ValueError(f"views must be a non-empty choice of {sorted(VIEWS)}. Got {unknown or '()'} instead.")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"views": list(self.views), "dense_views": list(self.dense_views),
                               "char_ngrams": list(self.char_ngrams)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TaggerConfig:
        names = {f.name for f in fields(cls)}
        if "dense_view" in d and "dense_views" not in d:  # format 2 saved one view
            d = d | {"dense_views": [d["dense_view"]]}
        return cls(**{k: v for k, v in d.items() if k in names})


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

    def _featurizer(self) -> SparseFeaturizer:
        return SparseFeaturizer(min_df=self.config.min_df, char_ngrams=self.config.char_ngrams,
                                views=self.config.views)

    def _dense_features(self, emb: np.ndarray) -> np.ndarray:
        if self.config.use_prototypes and getattr(self, "proto_emb_", None) is not None:
            return np.hstack([emb, 3.0 * (emb @ self.proto_emb_.T)])
        return emb

    def _embed(self, texts: list[str]) -> np.ndarray:
        views = self.config.dense_views
        emb = sum(self.encoder.encode([view(v, t) for t in texts]) for v in views)
        if len(views) > 1:
            emb = emb / np.clip(np.linalg.norm(emb, axis=1, keepdims=True), 1e-9, None)
        return emb

    # ---- fitting -----------------------------------------------------------------------------
    def fit(self, texts: list[str], label_sets: list[list[str]], groups: list[str] | None = None,
            sample_weight: np.ndarray | None = None, progress=None) -> ThemeTagger:
        """``groups`` (one per text: its source document) keep a document's statements in one fold;
        ``sample_weight`` weighs examples in every logistic regression."""
        if len(texts) != len(label_sets) or len(texts) < 10:
            raise InputError("训练样本过少或文本与标签数量不一致。",
                             f"need >= 10 examples with one label set each; got {len(texts)} texts and "
                             f"{len(label_sets)} label sets.")
        cfg = self.config
        Y = binarize(label_sets, self.labels)
        # the last column is the gate: does the text state a problem at all?
        Yg = np.hstack([Y, Y.any(1, keepdims=True).astype(np.int8)])
        say = progress or (lambda *_: None)
        say(0.05, "稀疏特征 sparse features")
        analysed = self._featurizer().features(texts)
        Xd = emb = None
        if self._dense_on:
            say(0.15, "编码 encoding")
            emb = self._embed(texts)
            if cfg.use_prototypes:
                self.proto_emb_ = self.encoder.encode([self.prototypes.get(t, t) for t in self.labels])
            Xd = self._dense_features(emb)
        say(0.3, "交叉验证 out-of-fold")
        oof_s, oof_d = self._out_of_fold(analysed, Xd, Yg, grouped_folds(Y, groups, cfg.inner_folds, cfg.seed),
                                         sample_weight)
        self._choose(oof_s, oof_d, Yg, Xd is not None)
        say(0.7, "最终模型 final models")
        self.featurizer_ = self._featurizer().fit_features(analysed)
        self.train_sparse_ = self.featurizer_.transform_features(analysed)
        rows = self._rows(Yg)
        self.sparse_ = LinearOvR(cfg.C_sparse).fit(self.train_sparse_, Yg, sample_weight, rows)
        self.dense_ = LinearOvR(cfg.C_dense).fit(Xd, Yg, sample_weight, rows) if Xd is not None else None
        self.train_texts_ = list(texts)
        self.train_labels_ = [list(ls) for ls in label_sets]
        self.train_emb_ = emb
        say(1.0, "完成 done")
        return self

    def _out_of_fold(self, analysed, Xd, Yg, folds, weights) -> tuple[np.ndarray, np.ndarray]:
        cfg = self.config
        oof_s = np.zeros(Yg.shape, dtype=np.float32)
        oof_d = np.zeros(Yg.shape, dtype=np.float32)
        for tr, te in folds:
            fs = self._featurizer().fit_features([analysed[i] for i in tr])
            w = None if weights is None else weights[tr]
            rows = self._rows(Yg[tr])
            oof_s[te] = LinearOvR(cfg.C_sparse).fit(fs.transform_features([analysed[i] for i in tr]), Yg[tr], w,
                                                    rows).proba(fs.transform_features([analysed[i] for i in te]))
            if Xd is not None:
                oof_d[te] = LinearOvR(cfg.C_dense).fit(Xd[tr], Yg[tr], w, rows).proba(Xd[te])
        return oof_s, oof_d

    def _rows(self, Yg: np.ndarray) -> list[np.ndarray | None] | None:
        """Which rows each regression sees: the themes only problem statements (their scores are then
        "which theme, given that it is a problem"), the gate every row."""
        if not self.config.themes_on_problems:
            return None
        problems = Yg[:, -1].astype(bool)
        return [problems] * (Yg.shape[1] - 1) + [None]

    def _choose(self, oof_s: np.ndarray, oof_d: np.ndarray, Yg: np.ndarray, dense: bool) -> None:
        """Blend weight, calibration, theme thresholds (problem mode) and the gate's threshold."""
        cfg = self.config
        k = len(self.labels)
        Y = Yg[:, :k]
        problems = Y.any(1)
        fit_rows = problems if cfg.themes_on_problems else np.ones(len(Y), dtype=bool)
        if not dense:
            w = 1.0
        elif cfg.sparse_weight is not None:
            w = cfg.sparse_weight
        else:
            w = max(np.linspace(0, 1, 11), key=lambda a: macro_f1_best(
                a * oof_s[fit_rows, :k] + (1 - a) * oof_d[fit_rows, :k], Y[fit_rows]))
        self.sparse_weight_ = float(w)
        blend = w * oof_s + (1 - w) * oof_d
        self.calibration_ = np.array([platt(blend[fit_rows, j], Y[fit_rows, j]) for j in range(k)]
                                     + [platt(blend[:, k], Yg[:, k])], dtype=np.float32)
        cal = self._calibrate(blend)
        top = np.argmax(cal[:, :k], 1)
        self.thresholds_ = np.array([
            problem_threshold(cal[problems, j], Y[problems, j], top[problems] == j, cfg.min_threshold,
                               cfg.max_threshold) for j in range(k)], dtype=np.float32)
        self.gate_threshold_ = gate_threshold(cal[:, k], problems)
        self.oof_proba_ = cal[:, :k]

    def _calibrate(self, p: np.ndarray) -> np.ndarray:
        a, b = self.calibration_[:, 0], self.calibration_[:, 1]
        return sigmoid(a * logit(p) + b)

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
        """Calibrated theme probabilities, (n, themes)."""
        return self.predict_scores(texts)[0]

    def predict_scores(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Calibrated theme probabilities (n, themes) and the probability that each text states a
        problem at all (n,)."""
        self._check()
        if not texts:
            return np.zeros((0, len(self.labels)), dtype=np.float32), np.zeros(0, dtype=np.float32)
        P = self._calibrate(self._raw(texts)[0])
        return P[:, :len(self.labels)], P[:, len(self.labels)]

    def predict(self, texts: list[str], threshold: float | None = None, allow_none: bool = False) -> list[list[str]]:
        return [r["themes"] for r in self.tag(texts, threshold=threshold, evidence=False, allow_none=allow_none)]

    def decide(self, P: np.ndarray, gate: np.ndarray, threshold: float | None = None,
               allow_none: bool = False) -> np.ndarray:
        """(n, themes) booleans: every theme over its threshold, and the most likely one always —
        unless ``allow_none`` and the gate says the text states no problem."""
        cut = self.thresholds_ if threshold is None else np.full(len(self.labels), float(threshold))
        D = P >= cut
        if len(P):
            D[np.arange(len(P)), P.argmax(1)] = True
        if allow_none:
            D[gate < self.gate_threshold_] = False
        return D

    def tag(self, texts: list[str], threshold: float | None = None, evidence: bool = True,
            n_phrases: int = 6, n_neighbours: int = 3, allow_none: bool = False) -> list[dict[str, Any]]:
        """Themes (most likely first), calibrated scores and evidence for each text. Problem mode
        unless ``allow_none`` (see the module's docstring)."""
        self._check()
        if not texts:
            return []
        raw, Xs, emb = self._raw(texts)
        k = len(self.labels)
        cal = self._calibrate(raw)
        P, gate = cal[:, :k], cal[:, k]
        D = self.decide(P, gate, threshold, allow_none)
        out = []
        for r, text in enumerate(texts):
            order = np.argsort(-P[r])
            themes = [self.labels[j] for j in order if D[r, j]]
            rec: dict[str, Any] = {
                "text": text,
                "themes": themes,
                "scores": {self.labels[j]: round(float(P[r, j]), 4) for j in order},
                "problem_score": round(float(gate[r]), 4),
            }
            if evidence:
                shown = themes or [self.labels[order[0]]]
                rec["evidence"] = {
                    "phrases": {t: self._phrases(text, Xs[r], self.labels.index(t), n_phrases) for t in shown},
                    "neighbours": self._neighbours(Xs[r], None if emb is None else emb[r], n_neighbours),
                }
            out.append(rec)
        return out

    def _phrases(self, text: str, x, j: int, n: int) -> list[dict[str, Any]]:
        """The features of this text that pushed theme j up most, as phrases of the text itself."""
        names = self.featurizer_.feature_names_
        contrib = x.data * self.sparse_.coef_[j, x.indices]
        picked: list[tuple[str, float]] = []
        for k in np.argsort(-contrib):
            if contrib[k] <= 0 or len(picked) >= n:
                break
            f = names[x.indices[k]]
            phrase = f.split(":", 1)[1].replace("_", "")
            if phrase not in text or any(phrase in p for p, _ in picked):
                continue  # a masked word (某县, 若干) or a part of a phrase already shown
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
            "gate_threshold": self.gate_threshold_,
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
            fh.writelines(json.dumps({"text": t, "themes": ls}, ensure_ascii=False) + "\n"
                          for t, ls in zip(self.train_texts_, self.train_labels_))

    @staticmethod
    def saved_format(folder: Path) -> int | None:
        """The format version a model folder was saved in (``load`` reads only FORMAT_VERSION)."""
        return _meta(folder).get("format_version")

    @classmethod
    def load(cls, folder: Path, encoder=None) -> ThemeTagger:
        meta = _meta(folder)
        saved = meta.get("format_version")
        if saved != FORMAT_VERSION:
            raise ModelNotTrained(
                f"模型格式版本 {saved} 与程序（{FORMAT_VERSION}）不符，请重新训练。",
                f"model format {saved} does not match this program ({FORMAT_VERSION}): retrain.")
        obj = cls(meta["labels"], encoder=encoder if meta["has_dense"] else None,
                  config=TaggerConfig.from_dict(meta["config"]), prototypes=meta.get("prototypes") or {})
        arr = np.load(folder / "tagger_arrays.npz", allow_pickle=False)
        obj.featurizer_ = SparseFeaturizer.load(folder)
        obj.sparse_ = LinearOvR(obj.config.C_sparse)
        obj.sparse_.coef_, obj.sparse_.intercept_ = arr["sparse_coef"], arr["sparse_intercept"]
        obj.dense_ = None
        obj.train_emb_ = None
        if meta["has_dense"]:
            obj.dense_ = LinearOvR(obj.config.C_dense)
            obj.dense_.coef_, obj.dense_.intercept_ = arr["dense_coef"], arr["dense_intercept"]
            obj.proto_emb_ = arr.get("proto_emb")
            obj.train_emb_ = arr["train_emb"]
        obj.sparse_weight_ = float(meta["sparse_weight"])
        obj.gate_threshold_ = float(meta["gate_threshold"])
        obj.calibration_ = arr["calibration"]
        obj.thresholds_ = arr["thresholds"]
        rows = [json.loads(x) for x in (folder / "train_examples.jsonl").read_text(encoding="utf-8").splitlines() if x]
        obj.train_texts_ = [r["text"] for r in rows]
        obj.train_labels_ = [r["themes"] for r in rows]
        obj.train_sparse_ = obj.featurizer_.transform(obj.train_texts_) if obj.train_emb_ is None else None
        return obj


def _meta(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "tagger.json").read_text(encoding="utf-8"))
