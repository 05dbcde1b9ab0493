"""`pbm evaluate`: the held-out dev sets (real first) and repeated cross-validation grouped by source
document, for the tagger and both baselines alike.

Quality is what the tagger does on real statements of documents it has never seen, so the real
dev set (corpora/dev/real_dev.jsonl) leads; the authored dev sets and cross-validation on the
training corpus (real and authored statements, reported apart) stand beside it. Problem
statements are scored in problem mode (the most likely theme always given); whole dev sets,
with their statements that carry no problem, in allow-none mode.
"""
from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable

import numpy as np

from .baselines import KeywordRules, TfidfLogReg
from .corpus import data_hash, document_groups, source_kind
from .fitting import binarize, grouped_folds
from .metrics import multilabel_report
from .tagger import TaggerConfig, ThemeTagger
from .taxonomy import Theme

Predict = Callable[[list[str], bool], np.ndarray]  # (texts, allow_none) -> (n, themes) 0/1
MODELS = ("tagger", "tfidf_logreg", "keyword_rules")


def tagger_predict(model: ThemeTagger) -> Predict:
    labels = model.labels
    return lambda texts, allow_none: binarize(model.predict(texts, allow_none=allow_none), labels)


def dev_report(predict: Predict, rows: list[dict], labels: list[str]) -> dict:
    """One dev set: problem mode on its problem statements (also by document type), allow-none on
    all of it (with how often the statements without a problem stay untagged)."""
    problems = [r for r in rows if r["themes"]]
    out: dict = {"n": len(rows), "n_problems": len(problems), "n_neutral": len(rows) - len(problems)}
    if problems:
        P = predict([r["text"] for r in problems], False)
        Y = binarize([r["themes"] for r in problems], labels)
        out["problem_mode"] = multilabel_report(Y, P, labels)
        kinds = defaultdict(list)
        for i, r in enumerate(problems):
            kinds[r.get("doc_type") or source_kind(r.get("source"))].append(i)
        if len(kinds) > 1:
            out["by_doc_type"] = {k: _summary(multilabel_report(Y[ix], P[ix], labels), len(ix)) for k, ix in kinds.items()}
    out["allow_none"] = multilabel_report(binarize([r["themes"] for r in rows], labels),
                                          predict([r["text"] for r in rows], True), labels)
    return out


def neutral_report(predict: Predict, rows: list[dict]) -> dict:
    """Statements with no problem: the share left untagged in allow-none mode."""
    if not rows:
        return {"n": 0, "untagged": None}
    tagged = predict([r["text"] for r in rows], True).any(1)
    return {"n": len(rows), "untagged": round(float(1 - tagged.mean()), 4)}


def _summary(report: dict, n: int) -> dict:
    return {"n": n, "micro_f1": report["micro_f1"], "macro_f1": report["macro_f1"]}


def evaluate(
    rows: list[dict], themes: list[Theme], encoder=None, dev_sets: dict[str, list[dict]] | None = None,
    neutral: list[dict] | None = None, repeats: int = 2, folds: int = 5, config: TaggerConfig | None = None,
    log: Callable[[str], None] = lambda _m: None,
) -> dict:
    """``rows``: the training corpus ({"text", "themes", "source"}); ``dev_sets``: name → rows."""
    labels = [t.id for t in themes]
    started = time.time()
    result: dict = {"data_hash": data_hash(rows), "n_train": len(rows),
                    "cross_validation": _cross_validate(rows, themes, encoder, repeats, folds, config, log)}
    if dev_sets or neutral:
        log("dev sets")
        models = _fit_all(rows, themes, encoder, config)
        result["dev"] = {name: {m: dev_report(models[m], drows, labels) for m in MODELS}
                         for name, drows in (dev_sets or {}).items() if drows}
        if neutral:
            result["neutral"] = {m: neutral_report(models[m], neutral) for m in MODELS}
    result["seconds"] = round(time.time() - started, 1)
    return result


def _fit_all(rows: list[dict], themes: list[Theme], encoder, config: TaggerConfig | None) -> dict[str, Predict]:
    labels = [t.id for t in themes]
    texts = [r["text"] for r in rows]
    label_sets = [r["themes"] for r in rows]
    tagger = ThemeTagger(labels, encoder=encoder, config=config, prototypes={t.id: t.prototype_text() for t in themes})
    tagger.fit(texts, label_sets, groups=document_groups([r.get("source") for r in rows]))
    baseline = TfidfLogReg().fit(texts, binarize(label_sets, labels))
    return {"tagger": tagger_predict(tagger), "tfidf_logreg": baseline.predict,
            "keyword_rules": KeywordRules(themes).predict}


def _cross_validate(rows, themes, encoder, repeats, folds, config, log) -> dict:
    """Repeated k-fold, stratified by theme and grouped by source document; every held-out
    problem statement scored in problem mode, every statement in allow-none mode."""
    labels = [t.id for t in themes]
    Y = binarize([r["themes"] for r in rows], labels)
    groups = document_groups([r.get("source") for r in rows])
    kinds = np.array(["real" if source_kind(r.get("source")).startswith(("real", "seed")) else "authored"
                      for r in rows])
    reports: dict[str, list[dict]] = defaultdict(list)
    for rep in range(repeats):
        preds = {m: {True: np.zeros_like(Y), False: np.zeros_like(Y)} for m in MODELS}
        for fold, (tr, te) in enumerate(grouped_folds(Y, groups, folds, 100 + rep)):
            log(f"repeat {rep + 1}/{repeats} fold {fold + 1}/{folds}")
            models = _fit_all([rows[i] for i in tr], themes, encoder, config)
            te_texts = [rows[i]["text"] for i in te]
            for m, predict in models.items():
                for allow_none in (True, False):
                    preds[m][allow_none][te] = predict(te_texts, allow_none)
        problems = Y.any(1)
        for m in MODELS:
            reports[f"{m}|all"].append(multilabel_report(Y, preds[m][True], labels))
            for kind in ("real", "authored"):
                ix = problems & (kinds == kind)
                if ix.any():
                    reports[f"{m}|{kind}"].append(multilabel_report(Y[ix], preds[m][False][ix], labels))
    out: dict = {"scheme": f"{repeats}x repeated {folds}-fold, stratified by theme, grouped by source document",
                 "n": len(rows), "n_real_problems": int((Y.any(1) & (kinds == "real")).sum())}
    for m in MODELS:
        out[m] = {"allow_none": _pool(reports[f"{m}|all"], labels)}
        for kind in ("real", "authored"):
            if reports[f"{m}|{kind}"]:
                out[m][f"problem_mode_{kind}"] = _pool(reports[f"{m}|{kind}"], labels)
    return out


def _pool(reports: list[dict], labels: list[str]) -> dict:
    """Average of per-repeat reports."""
    out = {k: round(float(np.mean([r[k] for r in reports])), 4) for k in ("micro_f1", "macro_f1", "macro_f1_min3")}
    out["per_theme"] = {}
    for lab in labels:
        out["per_theme"][lab] = {m: round(float(np.mean([r["per_theme"][lab][m] for r in reports])), 4)
                                 for m in ("precision", "recall", "f1")}
        out["per_theme"][lab]["support"] = reports[0]["per_theme"][lab]["support"]
    nta = [r["no_theme_accuracy"] for r in reports if r["no_theme_accuracy"] is not None]
    out["no_theme_accuracy"] = round(float(np.mean(nta)), 4) if nta else None
    return out
