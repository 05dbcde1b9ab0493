"""Train, evaluate and manage the theme tagger's versions."""
from __future__ import annotations

import json
import time
from typing import Any

from ..errors import ModelNotTrained
from ..resources import Resources
from .access import require
from .schema import Actor, EvaluateRequest, ModelVersion, TrainRequest, TrainResult


def _encoder_for(res: Resources, use_dense: bool):
    return res.encoder if use_dense else None


def active_metrics(res: Resources) -> dict[str, Any] | None:
    """The active model's metrics.json, or None when there is no model yet."""
    try:
        return res.registry.metrics()
    except ModelNotTrained:
        return None


def train_tagger(res: Resources, request: TrainRequest, actor: Actor | None = None) -> TrainResult:
    """Fit on every training example in the store and publish a new version; activate it unless
    the request asks for a candidate only."""
    from ..themes.tagger import TaggerConfig
    from ..themes.training import train_tagger as fit_and_publish
    from .ingest import load_annotations

    require(actor, "trainer")
    res.registry.check_writable()
    before = active_metrics(res)
    load_annotations(res)
    with res.store() as store:
        metrics = fit_and_publish(store, res.registry, encoder=_encoder_for(res, request.use_dense),
                                  config=TaggerConfig(use_dense=request.use_dense), progress=request.progress,
                                  log=request.log, activate=request.activate)
    return TrainResult(metrics, before)


def dev_macro_f1(metrics: dict[str, Any] | None) -> tuple[str, float | None]:
    """The figure that decides whether a new model is better: macro-F1 on the real dev set (the
    held-out real statements) when the model reports it, else on the dev set it has; with the
    set's name ("real" or "dev")."""
    metrics = metrics or {}
    summary = metrics.get("summary") or {}
    if summary.get("real_dev_macro_f1") is not None:
        return "real", summary["real_dev_macro_f1"]
    dev = metrics.get("dev") or {}
    return "dev", dev.get("macro_f1", summary.get("dev_macro_f1"))


def evaluate(res: Resources, request: EvaluateRequest) -> dict[str, Any]:
    """Grouped k-fold on the training corpus plus the dev sets (real first), against the baselines;
    the result is also written to models/evaluation.json with the training data's hash, so that a
    model card shows its figures only for a model trained on the same data."""
    from ..themes.corpus import dev_sets, neutral_dev
    from ..themes.evaluation import evaluate as run
    from ..themes.tagger import TaggerConfig
    from ..themes.taxonomy import load_themes
    from .ingest import load_annotations

    res.registry.check_writable()
    load_annotations(res)
    with res.store() as store:
        train = store.annotations("train")
    themes = load_themes()
    sets = dev_sets({t.id for t in themes})
    neutral = [r for r in sets.get("real", []) if not r["themes"]] + neutral_dev()
    result = run(train, themes, encoder=_encoder_for(res, request.use_dense), dev_sets=sets, neutral=neutral,
                 repeats=request.repeats, folds=request.folds, config=TaggerConfig(use_dense=request.use_dense),
                 log=request.log)
    result["created"] = time.strftime("%Y-%m-%d %H:%M:%S")
    (res.registry.root / "evaluation.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    return result


def encoder_changed(res: Resources) -> str | None:
    """Why the tagger must be (re)trained — no model yet, the active one saved in a format this
    program no longer reads, or built for another encoder (other weights, precision or embedding
    scheme) — or None when it fits."""
    from ..themes.tagger import FORMAT_VERSION, ThemeTagger

    meta = active_metrics(res)
    if meta is None:
        return "训练中 training the theme tagger …"
    saved = ThemeTagger.saved_format(res.registry.active_dir())
    if saved != FORMAT_VERSION:
        return f"模型格式已更新，重新训练 the model format changed ({saved} → {FORMAT_VERSION}), retraining …"
    if not meta.get("encoder"):  # a sparse-only model does not depend on the encoder
        return None
    trained_with, current = meta.get("encoder_id"), res.encoder.model_id
    if trained_with == current:
        return None
    return f"编码器已更换，重新训练 the encoder changed ({trained_with} → {current}), retraining …"


def model_versions(res: Resources) -> list[ModelVersion]:
    return [ModelVersion(**v) for v in res.registry.list_versions()]


def rollback(res: Resources, actor: Actor | None = None) -> str:
    """Activate the version before the active one (pointer and store together); returns it."""
    require(actor, "trainer")
    with res.store() as store:
        return res.registry.rollback(store)


def activate(res: Resources, version: str, actor: Actor | None = None) -> None:
    require(actor, "trainer")
    with res.store() as store:
        res.registry.activate(version, store)
