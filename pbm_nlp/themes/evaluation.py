"""`pbm evaluate`: repeated stratified k-fold on the training corpus, and the held-out dev set.

Cross-validation on text we wrote ourselves overstates quality, so the dev set (written
separately, avoiding the cue phrases, never trained on) is reported beside it, for the tagger
and both baselines alike.
"""
from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from .baselines import KeywordRules, TfidfLogReg
from .metrics import multilabel_report
from .tagger import TaggerConfig, ThemeTagger, binarize, surrogate_strata
from .taxonomy import Theme


def _pool(reports: list[dict], labels: list[str]) -> dict:
    """Average of per-repeat reports."""
    out = {"micro_f1": round(float(np.mean([r["micro_f1"] for r in reports])), 4),
           "macro_f1": round(float(np.mean([r["macro_f1"] for r in reports])), 4),
           "per_theme": {}}
    for lab in labels:
        out["per_theme"][lab] = {m: round(float(np.mean([r["per_theme"][lab][m] for r in reports])), 4)
                                 for m in ("precision", "recall", "f1")}
        out["per_theme"][lab]["support"] = reports[0]["per_theme"][lab]["support"]
    nta = [r["no_theme_accuracy"] for r in reports if r["no_theme_accuracy"] is not None]
    out["no_theme_accuracy"] = round(float(np.mean(nta)), 4) if nta else None
    return out


def evaluate(
    texts: list[str], label_sets: list[list[str]], themes: list[Theme], encoder=None,
    dev: tuple[list[str], list[list[str]]] | None = None, repeats: int = 2, folds: int = 5,
    config: TaggerConfig | None = None, log: Callable[[str], None] = lambda _m: None,
) -> dict:
    from sklearn.model_selection import StratifiedKFold

    labels = [t.id for t in themes]
    protos = {t.id: t.prototype_text() for t in themes}
    Y = binarize(label_sets, labels)
    strata = surrogate_strata(Y)
    rules = KeywordRules(themes)
    started = time.time()
    per_model: dict[str, list[dict]] = {"tagger": [], "tfidf_logreg": [], "keyword_rules": []}
    for rep in range(repeats):
        preds = {k: np.zeros_like(Y) for k in per_model}
        for fold, (tr, te) in enumerate(StratifiedKFold(folds, shuffle=True, random_state=100 + rep).split(Y, strata)):
            log(f"repeat {rep + 1}/{repeats} fold {fold + 1}/{folds}")
            tr_t = [texts[i] for i in tr]
            te_t = [texts[i] for i in te]
            tagger = ThemeTagger(labels, encoder=encoder, config=config, prototypes=protos)
            tagger.fit(tr_t, [label_sets[i] for i in tr])
            preds["tagger"][te] = binarize(tagger.predict(te_t), labels)
            preds["tfidf_logreg"][te] = TfidfLogReg().fit(tr_t, Y[tr]).predict(te_t)
            preds["keyword_rules"][te] = rules.predict(te_t)
        for k, reports in per_model.items():
            reports.append(multilabel_report(Y, preds[k], labels))
    result: dict = {
        "cross_validation": {
            "scheme": f"{repeats}x repeated stratified {folds}-fold (strata: rarest theme or none)",
            "n": len(texts), **{k: _pool(v, labels) for k, v in per_model.items()}},
    }
    if dev is not None and dev[0]:
        log("dev set")
        Yd = binarize(dev[1], labels)
        tagger = ThemeTagger(labels, encoder=encoder, config=config, prototypes=protos).fit(texts, label_sets)
        result["dev"] = {
            "n": len(dev[0]),
            "tagger": multilabel_report(Yd, binarize(tagger.predict(dev[0]), labels), labels),
            "tfidf_logreg": multilabel_report(Yd, TfidfLogReg().fit(texts, Y).predict(dev[0]), labels),
            "keyword_rules": multilabel_report(Yd, rules.predict(dev[0]), labels),
        }
    result["seconds"] = round(time.time() - started, 1)
    return result
