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
from .corpus import is_real
from .taxonomy import Theme, add_theme, theme_ids

#: Problems ingested from evaluation files wait in this split until a trainer labels them; then
#: they become training examples (split 'train') with the source of their document.
PENDING = "pending"


def queue_ingested_problems(store: Store) -> int:
    """Every problem of the ingested evaluation files that is not yet an example, as a pending one
    (source ``real:<doc_type>:<document>``); returns how many were new."""
    import hashlib

    known = {r["text"] for r in store.annotations(None)}
    rows = [{"id": "problem-" + hashlib.sha1(p["text"].encode()).hexdigest()[:12], "text": p["text"], "themes": [],
             "kind": p.get("kind"), "source": f"real:{p.get('doc_type') or 'evaluation'}:{p['source']}",
             "labeled_by": "ingest", "note": str(p.get("project") or "")}
            for p in store.problems() if p["text"].strip() and p["text"] not in known]
    return store.upsert_annotations(rows, split=PENDING) if rows else 0


def review_queue(store: Store, tagger, limit: int = 50) -> list[dict[str, Any]]:
    """What a trainer should look at, in this order:

    1. problems of ingested (real) evaluation files not labelled yet, the most uncertain first;
    2. real training examples (real documents, seeds), then authored ones: those whose
       cross-validated prediction disagrees with their label first, then the least sure.
    Examples a trainer has already accepted or corrected are left out.

    Uses the out-of-fold scores saved with the active model; examples added since (and pending
    problems) are scored by the model directly (they were not trained on: also out of sample).
    """
    queue_ingested_problems(store)
    model = tagger.model
    labels = model.labels
    oof = _saved_out_of_fold(tagger.folder)
    # a trainer's accepted or corrected label is settled: it leaves the queue for good
    settled = store.reviewed_annotation_ids()
    rows = [r for r in store.annotations(PENDING) + store.annotations("train") if r["id"] not in settled]
    fresh = [r for r in rows if r["id"] not in oof]
    if fresh:
        for r, p in zip(fresh, model.predict_proba([r["text"] for r in fresh])):
            oof[r["id"]] = p
    queue = [_queue_item(r, oof[r["id"]], model) for r in rows if len(oof[r["id"]]) == len(labels)]
    queue.sort(key=lambda q: q.pop("priority"))
    return queue[:limit]


def _saved_out_of_fold(folder: Path) -> dict[int, np.ndarray]:
    if not (folder / "oof_proba.npy").exists():
        return {}
    ids = json.loads((folder / "oof_ids.json").read_text())
    return dict(zip(ids, np.load(folder / "oof_proba.npy", allow_pickle=False)))


def _queue_item(r: dict, p: np.ndarray, model) -> dict[str, Any]:
    labels, thresholds = model.labels, model.thresholds_
    predicted = [labels[j] for j in np.argsort(-p) if model.decide(p[None, :], np.ones(1))[0, j]]
    margin = float(np.min(np.abs(p - thresholds)))
    if r["split"] == PENDING:
        reason, priority = "新导入的真实问题（待标注）", (0, 0, margin)
    else:
        disagree = set(predicted) != set(r["themes"])
        reason = "疑似标注错误（交叉验证预测与标签不一致）" if disagree else "模型不确定（分数接近阈值）"
        priority = (1 if is_real(r["source"]) else 2, 0 if disagree else 1, margin)
    return {"annotation_id": r["id"], "text": r["text"], "themes": r["themes"], "predicted": predicted,
            "scores": {labels[j]: round(float(p[j]), 3) for j in np.argsort(-p)[:4]}, "reason": reason,
            "priority": priority, "labeled_by": r["labeled_by"], "source": r["source"]}


def corpus_counts(store: Store) -> dict[str, int]:
    """How many training examples come from real documents and how many were written (authored or
    added by a trainer), and how many ingested problems wait for a label."""
    train = store.annotations("train")
    real = sum(is_real(r["source"]) for r in train)
    return {"real": real, "authored": len(train) - real, "pending": len(store.annotations(PENDING))}


def correct_labels(store: Store, annotation_id: int, themes: list[str], reviewer: str,
                   expected_version: int | None = None) -> list[str]:
    """Set the labels (an "accept" when unchanged, a "review" otherwise); returns the labels replaced.
    With ``expected_version``, an edit made on an example someone has changed since is refused.
    A pending (ingested) problem that gets its labels becomes a training example."""
    known = set(theme_ids())
    bad = set(themes) - known
    if bad:
        raise InputError(f"未知主题：{sorted(bad)}", f"unknown themes: {sorted(bad)}")
    if not reviewer.strip():
        raise InputError("请填写审阅人。", "a reviewer name is required.")
    themes = list(dict.fromkeys(themes))
    if store.annotation(annotation_id)["split"] == PENDING:
        if not themes:
            raise InputError("请为这条问题选择至少一个主题。", "choose at least one theme for this problem.")
        old = store.set_themes(annotation_id, themes, reviewer=reviewer, action="review",
                               expected_version=expected_version)
        store.set_split(annotation_id, "train")  # a labelled real problem is a training example now
        return old
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
