"""The trainer's review loop: a queue of examples worth a look, edits, new examples and themes.

Edits go to the store (with reviewer and time, in annotation_log) and so survive a restart;
the JSON Lines under corpora/annotations stay the reviewed baseline, and an export writes the
store's current labels back out as JSON Lines.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from ..store import Store
from .taxonomy import Theme, add_theme, theme_ids


def review_queue(store: Store, tagger, limit: int = 50) -> list[dict[str, Any]]:
    """Training examples whose cross-validated prediction disagrees with their label first, then
    the ones the model is least sure about (scores nearest a threshold). Examples a trainer has
    already accepted or corrected are left out.

    Uses the out-of-fold scores saved with the active model; examples added since are scored by
    the model directly (they were not trained on, so that is also out of sample).
    """
    model = tagger.model
    labels = model.labels
    thresholds = model.thresholds_
    folder = tagger.folder
    oof: dict[int, np.ndarray] = {}
    if (folder / "oof_proba.npy").exists():
        ids = json.loads((folder / "oof_ids.json").read_text())
        proba = np.load(folder / "oof_proba.npy", allow_pickle=False)
        oof = dict(zip(ids, proba))
    # a trainer's accepted or corrected label is settled: it leaves the queue for good
    settled = store.reviewed_annotation_ids()
    rows = [r for r in store.annotations("train") if r["id"] not in settled]
    fresh = [r for r in rows if r["id"] not in oof]
    if fresh:
        for r, p in zip(fresh, model.predict_proba([r["text"] for r in fresh])):
            oof[r["id"]] = p
    queue = []
    for r in rows:
        p = oof[r["id"]]
        if len(p) != len(labels):
            continue  # a theme was added since this model: retrain to review
        predicted = [labels[j] for j in np.argsort(-p) if p[j] >= thresholds[j]]
        disagree = set(predicted) != set(r["themes"])
        margin = float(np.min(np.abs(p - thresholds)))
        queue.append({
            "annotation_id": r["id"], "text": r["text"], "themes": r["themes"], "predicted": predicted,
            "scores": {labels[j]: round(float(p[j]), 3) for j in np.argsort(-p)[:4]},
            "reason": "疑似标注错误（交叉验证预测与标签不一致）" if disagree else "模型不确定（分数接近阈值）",
            "priority": (0 if disagree else 1, margin), "labeled_by": r["labeled_by"], "source": r["source"],
        })
    queue.sort(key=lambda q: q["priority"])
    for q in queue:
        q.pop("priority")
    return queue[:limit]


def correct_labels(store: Store, annotation_id: int, themes: list[str], reviewer: str,
                   expected_version: int | None = None) -> list[str]:
    """Set the labels (an "accept" when unchanged, a "review" otherwise); returns the labels replaced.
    With ``expected_version``, an edit made on an example someone has changed since is refused."""
    known = set(theme_ids())
    bad = set(themes) - known
    if bad:
        raise InputError(f"未知主题：{sorted(bad)}", f"unknown themes: {sorted(bad)}")
    if not reviewer.strip():
        raise InputError("请填写审阅人。", "a reviewer name is required.")
    themes = list(dict.fromkeys(themes))
    return store.set_themes(annotation_id, themes, reviewer=reviewer, expected_version=expected_version)


def add_example(store: Store, text: str, themes: list[str], reviewer: str, kind: str | None = None) -> tuple[int, bool]:
    """A trainer's example; (id, True) when new, (id of the existing example, False) when the
    text is already one (its labels stay as they are: correct them in the review queue)."""
    text = text.strip()
    if not text:
        raise InputError("样本文本为空。", "the example text is empty.")
    bad = set(themes) - set(theme_ids())
    if bad:
        raise InputError(f"未知主题：{sorted(bad)}", f"unknown themes: {sorted(bad)}")
    import hashlib

    ext = "trainer-" + hashlib.sha1(text.encode()).hexdigest()[:12]
    return store.add_example(ext, text, themes, reviewer, kind=kind)


def add_new_theme(store: Store, theme: Theme, examples: list[str], reviewer: str) -> list[int]:
    """A trainer's new theme: appended to corpora/themes.yaml, its examples labelled in the store."""
    if len([e for e in examples if e.strip()]) < 3:
        raise InputError("新主题至少需要 3 个示例。", "a new theme needs at least 3 examples.")
    add_theme(theme)
    return [add_example(store, e, [theme.id], reviewer)[0] for e in examples if e.strip()]


def export_annotations(store: Store, path: Path | None = None) -> str:
    """Current labels as JSON Lines (to a file, and returned as text)."""
    lines = []
    for r in store.annotations("train"):
        lines.append(json.dumps({"id": r["ext_id"], "text": r["text"], "themes": r["themes"], "kind": r["kind"],
                                 "source": r["source"], "labeled_by": r["labeled_by"], "note": r["note"],
                                 "updated_at": r["updated_at"]}, ensure_ascii=False))
    text = "\n".join(lines) + "\n"
    if path is not None:
        path.write_text(text, encoding="utf-8")
    return text
