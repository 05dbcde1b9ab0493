"""样本审阅: the review queue, label edits, new examples and themes, retraining, versions."""
from __future__ import annotations

import html
from typing import Any

from ... import services
from ...errors import InputError
from ...resources import Resources
from ...services.schema import Actor, LabelEdit, NewExample, NewTheme
from .common import fmt_themes, out_file, theme_names

QUEUE_HEADERS = ["编号", "原因", "当前标签", "模型预测", "文本"]
METRIC_HEADERS = ["主题", "交叉验证F1（前）", "交叉验证F1（后）", "真实开发集F1（前）", "真实开发集F1（后）"]
VERSION_HEADERS = ["启用", "版本", "创建时间", "真实开发集 macro-F1", "真实开发集 micro-F1"]


def theme_choices() -> list[tuple[str, str]]:
    """(Chinese name, id): the user reads names, the handlers get ids."""
    return [(n, i) for i, n in theme_names().items()]


def review_rows(res: Resources, actor: Actor, limit: int = 50) -> list[list[Any]]:
    names = theme_names()
    queue = services.review.review_queue(res, limit=limit, actor=actor)
    return [[q["annotation_id"], q["reason"], fmt_themes(q["themes"], names), fmt_themes(q["predicted"], names),
             q["text"]] for q in queue]


def corpus_summary(res: Resources) -> str:
    c = services.review.corpus_counts(res)
    return (f"训练样本：来自真实文件 **{c['real']}** 条，编写 **{c['authored']}** 条；"
            f"待标注的新导入真实问题 **{c['pending']}** 条（排在审阅队列最前）。")


def annotation_themes(res: Resources, annotation_id: Any) -> tuple[str, list[str]]:
    """An example by its id (typed, or picked in the queue or the recent list): text and labels."""
    if annotation_id in (None, ""):
        raise InputError("请输入样本编号。", "enter an example id.")
    a = services.review.annotation(res, int(annotation_id))
    return a["text"], a["themes"]


def annotation_version(res: Resources, annotation_id: Any) -> int | None:
    """The example's version as the trainer opens it: a save made after someone else changed it is refused."""
    return services.review.annotation(res, int(annotation_id)).get("version")


def save_labels(res: Resources, actor: Actor, annotation_id: Any, themes: list[str], version: int | None = None) -> str:
    if annotation_id in (None, ""):
        raise InputError("请先在队列中选择一个样本。", "select an example in the queue first.")
    services.review.relabel(res, LabelEdit(int(annotation_id), list(themes or []), actor, version=version))
    return (f"已保存样本 {int(annotation_id)} 的标签：{fmt_themes(themes, theme_names())}（审阅人 "
            f"{html.escape(actor.name)}）；该样本已移出审阅队列，可在“最近审阅”中找到或撤销。")


def add_example(res: Resources, actor: Actor, text: str, themes: list[str]) -> str:
    added = services.review.add_example(res, NewExample(text or "", list(themes or []), actor))
    if added.created:
        return f"已添加样本 {added.annotation_id}。"
    return (f"该文本已是样本 {added.annotation_id}，标签未改动；如需修改，请在上方输入编号 {added.annotation_id} "
            "后修改主题并保存。")


def add_theme(res: Resources, actor: Actor, tid: str, name: str, definition: str, cues: str, examples: str) -> str:
    cue_list = [c.strip() for c in (cues or "").replace("，", ",").split(",") if c.strip()]
    ids = services.review.add_theme(res, NewTheme(tid or "", name or "", definition or "", cue_list,
                                                  (examples or "").splitlines(), actor))
    return f"已添加主题 {html.escape(name.strip())}（{html.escape(tid.strip())}）和 {len(ids)} 个示例；请重新训练。"


def _report(m: dict | None, split: str) -> dict:
    """A model's problem-mode report: cross-validated on the training corpus (its real statements
    when there are any) or on the real dev set."""
    m = m or {}
    if split == "out_of_fold":
        oof = m.get("out_of_fold") or {}
        return oof.get("problem_mode_real") or oof.get("problem_mode") or {}
    return ((m.get("dev") or {}).get("real") or {}).get("problem_mode") or {}


def metrics_table(before: dict | None, after: dict | None) -> list[list[Any]]:
    """Per-theme F1 (out-of-fold and real dev) before and after a retrain, then micro/macro; either
    side may be missing (no model yet, or no retrain yet)."""
    names = theme_names()
    splits = ("out_of_fold", "dev")
    labels = list(_report(after, "out_of_fold").get("per_theme") or _report(before, "out_of_fold").get("per_theme")
                  or {})
    rows = [[f"{names.get(lab, lab)}"] + [(_report(m, split).get("per_theme") or {}).get(lab, {}).get("f1")
                                          for split in splits for m in (before, after)]
            for lab in labels]
    rows += [[zh] + [_report(m, split).get(key) for split in splits for m in (before, after)]
             for key, zh in (("micro_f1", "micro-F1"), ("macro_f1_min3", "macro-F1"))]
    return rows if labels else []


def current_metrics_rows(res: Resources) -> list[list[Any]]:
    """The active model's figures in the "before" columns, so the trainer sees them before retraining."""
    return metrics_table(services.training.active_metrics(res), None)


def version_rows(res: Resources) -> list[list[Any]]:
    return [["●" if v.active else "", v.version, v.created, v.summary.get("real_dev_macro_f1"),
             v.summary.get("real_dev_micro_f1")] for v in reversed(services.training.model_versions(res))]


def export_annotations(res: Resources, actor: Actor) -> str:
    out = out_file("export", "annotations.jsonl")
    services.review.export_annotations(res, out, actor=actor)
    return str(out)
