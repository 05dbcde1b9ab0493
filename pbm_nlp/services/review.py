"""The trainer's loop: the review queue, label edits, new examples and themes, exports."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..resources import Resources
from .access import require
from .schema import Actor, ExampleAdded, LabelEdit, NewExample, NewTheme


def review_queue(res: Resources, limit: int = 50, actor: Actor | None = None) -> list[dict[str, Any]]:
    from ..themes.review import review_queue as queue

    require(actor, "evaluator", "trainer")
    with res.store() as store:
        return queue(store, res.tagger, limit=limit)


def corpus_counts(res: Resources) -> dict[str, int]:
    """Training examples from real documents vs written ones, and ingested problems awaiting a label."""
    from ..themes.review import corpus_counts as counts

    with res.store() as store:
        return counts(store)


def annotation(res: Resources, annotation_id: int) -> dict[str, Any]:
    with res.store() as store:
        return store.annotation(int(annotation_id))


def relabel(res: Resources, edit: LabelEdit) -> list[str]:
    """Set an example's themes (accepting them when unchanged); returns the labels it had, read in
    the same transaction. An edit made on an older version of the example is refused (StaleEdit)."""
    from ..themes.review import correct_labels

    require(edit.actor, "trainer")
    with res.store() as store:
        return correct_labels(store, edit.annotation_id, edit.themes, edit.actor.name,
                              expected_version=edit.version)


def undo_last_edit(res: Resources, annotation_id: int, actor: Actor | None = None) -> tuple[list[str], list[str]]:
    """Put back an example's labels from before its last label edit; returns (had, restored)."""
    require(actor, "trainer")
    name = actor.name if actor is not None else "local"
    with res.store() as store:
        return store.undo_last_edit(int(annotation_id), name)


def add_example(res: Resources, new: NewExample) -> ExampleAdded:
    from ..themes.review import add_example as add

    require(new.actor, "trainer")
    with res.store() as store:
        aid, created = add(store, new.text, new.themes, new.actor.name, kind=new.kind)
    return ExampleAdded(aid, created)


def add_theme(res: Resources, new: NewTheme) -> list[int]:
    from ..themes.review import add_new_theme
    from ..themes.taxonomy import Theme

    require(new.actor, "trainer")
    theme = Theme(new.id.strip(), new.name.strip(), new.definition.strip(), new.cues, new.cues, "")
    with res.store() as store:
        return add_new_theme(store, theme, new.examples, new.actor.name)


def export_annotations(res: Resources, path: Path | None = None, actor: Actor | None = None) -> str:
    """The labelled corpus with reviewer names as JSON Lines: trainers only."""
    from ..themes.review import export_annotations as export

    require(actor, "trainer")
    with res.store() as store:
        return export(store, path)


def edit_history(res: Resources, limit: int = 50, actor: Actor | None = None) -> list[dict[str, Any]]:
    require(actor, "evaluator", "trainer")
    with res.store() as store:
        return store.edit_history(limit)
