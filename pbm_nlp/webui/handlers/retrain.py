"""Retraining that asks first: a new model is trained as a candidate, compared with the active one
on the dev set (the real one when the model reports it), and activated at once only when it is not
worse there; otherwise the trainer chooses. Rollback and activation refresh the comparison."""
from __future__ import annotations

from typing import Any

from ... import services
from ...errors import InputError
from ...resources import Resources
from ...services.schema import Actor, TrainRequest, TrainResult
from .review import current_metrics_rows, metrics_table

SET_NAMES = {"real": "真实开发集", "dev": "开发集"}


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.4f}"


def retrain(res: Resources, actor: Actor, progress=None) -> tuple[list[list[Any]], str, str | None]:
    """(before/after table, message, the candidate version awaiting a decision or None)."""
    result = services.training.train_tagger(res, TrainRequest(progress=progress, activate=False), actor=actor)
    return decide(res, actor, result)


def decide(res: Resources, actor: Actor, result: TrainResult) -> tuple[list[list[Any]], str, str | None]:
    """Activate a freshly trained candidate when it is not worse on the dev set than the active
    model (or there is none); otherwise leave it waiting and say so."""
    which, before = services.training.dev_macro_f1(result.before)
    _, after = services.training.dev_macro_f1(result.metrics)
    table = metrics_table(result.before, result.metrics)
    where = SET_NAMES.get(which, which)
    if before is None or (after is not None and after >= before):
        services.training.activate(res, result.version, actor=actor)
        return table, (f"新版本 {result.version} 已启用：{where} macro-F1 {_fmt(after)}"
                       f"（此前 {_fmt(before)}）。"), None
    return table, (f"⚠️ 新版本 {result.version} 在{where}上的 macro-F1 为 {_fmt(after)}，低于当前版本的 "
                   f"{_fmt(before)}，**尚未启用**。请选择“仍然启用新版本”或“保留当前版本”。"), result.version


def activate_candidate(res: Resources, actor: Actor, version: str | None) -> tuple[str, list[list[Any]]]:
    """The trainer chose the candidate after all: activate it; the table shows it as current."""
    if not version:
        raise InputError("没有等待确认的新版本。", "there is no new version awaiting a decision.")
    services.training.activate(res, version, actor=actor)
    return f"已按您的选择启用新版本 {version}。", current_metrics_rows(res)


def keep_current(version: str | None) -> str:
    if not version:
        raise InputError("没有等待确认的新版本。", "there is no new version awaiting a decision.")
    return f"已保留当前版本；新版本 {version} 留在版本列表中，未启用（可随时在下方启用）。"


def activate_version(res: Resources, actor: Actor, version: str | None) -> tuple[str, list[list[Any]]]:
    """Any listed version, on request."""
    if not version:
        raise InputError("请先选择一个版本。", "choose a version first.")
    services.training.activate(res, version, actor=actor)
    return f"已启用版本 {version}。", current_metrics_rows(res)


def rollback(res: Resources, actor: Actor) -> tuple[str, list[list[Any]]]:
    """Back to the version active before; the comparison table shows that version's figures."""
    version = services.training.rollback(res, actor=actor)
    return f"已回滚到 {version}。", current_metrics_rows(res)


def version_choices(res: Resources) -> list[str]:
    return [v.version for v in reversed(services.training.model_versions(res))]
