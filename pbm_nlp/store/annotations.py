"""Labelled examples and their audit trail: every edit is logged with reviewer, old and new labels."""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ..errors import InputError, StaleEdit
from .backend import Connection


def _missing_or_stale(c: Connection, annotation_id: int) -> InputError | StaleEdit:
    """Why an edit matched no row: the example does not exist, or it changed since it was read."""
    row = c.execute("SELECT themes, labeled_by, updated_at FROM annotations WHERE id=?", (annotation_id,)).fetchone()
    if row is None:
        return InputError(f"没有编号为 {annotation_id} 的样本。", f"no example with id {annotation_id}.")
    themes = "、".join(json.loads(row["themes"])) or "无"
    return StaleEdit(
        f"样本 {annotation_id} 在您打开后已被 {row['labeled_by']} 修改（{row['updated_at']}，现为：{themes}），"
        "您的修改未保存：请重新载入该样本，确认后再改。",
        f"example {annotation_id} was changed by {row['labeled_by']} at {row['updated_at']} after you opened it "
        f"(now: {themes}); your edit was not saved: reload the example and edit it again.")


def _row(r: Any) -> dict[str, Any]:
    return dict(r) | {"themes": json.loads(r["themes"])}


class AnnotationRecords:
    """Mixin of :class:`~pbm_nlp.store.Store`: needs ``self.conn`` and ``self.write()``.

    Every label edit bumps the example's ``version``; an edit that names the version it was made on
    is refused (:class:`~pbm_nlp.errors.StaleEdit`) when the example has changed since.
    """

    conn: Connection

    def upsert_annotations(self, records: Iterable[dict[str, Any]], split: str = "train") -> int:
        """Load labelled examples (from JSON Lines) keyed by their id; returns how many were new.

        An example a trainer has edited in the store keeps the trainer's labels.
        """
        added = 0
        with self.write() as c:
            for rec in records:
                cur = c.execute(
                    """INSERT INTO annotations (ext_id, text, themes, kind, source, labeled_by, note, split)
                       VALUES (?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING""",
                    (rec["id"], rec["text"], json.dumps(rec.get("themes", []), ensure_ascii=False), rec.get("kind"),
                     rec.get("source", "authored"), rec.get("labeled_by", "unknown"), rec.get("note", ""), split),
                )
                added += cur.rowcount
        return added

    def annotations(self, split: str | None = "train") -> list[dict[str, Any]]:
        q = "SELECT * FROM annotations" + (" WHERE split=?" if split else "") + " ORDER BY id"
        return [_row(r) for r in self.conn.execute(q, (split,) if split else ())]

    def annotation(self, annotation_id: int) -> dict[str, Any]:
        row = self.conn.execute("SELECT * FROM annotations WHERE id=?", (annotation_id,)).fetchone()
        if row is None:
            raise InputError(f"没有编号为 {annotation_id} 的样本。", f"no example with id {annotation_id}.")
        return _row(row)

    def annotation_by_ext(self, ext_id: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT * FROM annotations WHERE ext_id=?", (ext_id,)).fetchone()
        return _row(row) if row else None

    def reviewed_annotation_ids(self) -> set[int]:
        """Examples a trainer has accepted or corrected (their labels are settled), unless the last
        thing done to them was undoing that."""
        rows = self.conn.execute(
            """SELECT l.annotation_id FROM annotation_log l
               WHERE l.id = (SELECT MAX(id) FROM annotation_log WHERE annotation_id = l.annotation_id)
                 AND l.action IN ('accept', 'review')""")
        return {r[0] for r in rows}

    def set_themes(self, annotation_id: int, themes: list[str], reviewer: str, action: str | None = None,
                   expected_version: int | None = None) -> list[str]:
        """Replace an example's labels and log the change; returns the labels it had.

        The first statement bumps the example's version, which takes the write lock (and, given
        ``expected_version``, checks that nobody changed the example since the editor read it), so
        the old labels read next, and logged, are the ones this edit replaces. ``action`` None logs
        "accept" when the labels are unchanged and "review" otherwise.
        """
        new = json.dumps(themes, ensure_ascii=False)
        with self.write() as c:
            check = "" if expected_version is None else " AND version=?"
            args = (annotation_id,) if expected_version is None else (annotation_id, expected_version)
            if c.execute("UPDATE annotations SET version = version + 1 WHERE id=?" + check, args).rowcount == 0:
                raise _missing_or_stale(c, annotation_id)
            old = c.execute("SELECT themes FROM annotations WHERE id=?", (annotation_id,)).fetchone()["themes"]
            if action is None:
                action = "accept" if set(json.loads(old)) == set(themes) else "review"
            c.execute("UPDATE annotations SET themes=?, labeled_by=?, updated_at=datetime('now') WHERE id=?",
                      (new, reviewer, annotation_id))
            c.execute(
                "INSERT INTO annotation_log (annotation_id, action, old_themes, new_themes, reviewer) VALUES (?,?,?,?,?)",
                (annotation_id, action, old, new, reviewer),
            )
        return json.loads(old)

    def undo_last_edit(self, annotation_id: int, reviewer: str) -> tuple[list[str], list[str]]:
        """Put back the labels an example had before its last label edit that is not undone yet
        (logged as 'undo'); returns (labels it had, labels restored). Undoing twice goes one more
        edit back. Like an edit, it bumps the example's version first (and so takes the write lock)."""
        with self.write() as c:
            if c.execute("UPDATE annotations SET version = version + 1 WHERE id=?", (annotation_id,)).rowcount == 0:
                raise _missing_or_stale(c, annotation_id)
            log = c.execute("SELECT action, old_themes FROM annotation_log WHERE annotation_id=? ORDER BY id",
                            (annotation_id,)).fetchall()
            edits: list[str] = []  # old labels of the edits still in force, oldest first
            for action, old in log:
                if action in ("relabel", "review", "accept") and old is not None:
                    edits.append(old)
                elif action == "undo" and edits:
                    edits.pop()
            if not edits:
                raise InputError(f"样本 {annotation_id} 没有可撤销的标签修改。",
                                 f"example {annotation_id} has no label edit to undo.")
            current = c.execute("SELECT themes FROM annotations WHERE id=?", (annotation_id,)).fetchone()["themes"]
            c.execute("UPDATE annotations SET themes=?, labeled_by=?, updated_at=datetime('now') WHERE id=?",
                      (edits[-1], reviewer, annotation_id))
            c.execute("INSERT INTO annotation_log (annotation_id, action, old_themes, new_themes, reviewer) "
                      "VALUES (?, 'undo', ?, ?, ?)", (annotation_id, current, edits[-1], reviewer))
        return json.loads(current), json.loads(edits[-1])

    def add_example(self, ext_id: str, text: str, themes: list[str], reviewer: str, kind: str | None = None,
                    source: str = "trainer") -> tuple[int, bool]:
        """A trainer's new example; (id, True) when added, (id of the existing one, False) when the
        same text is already an example (of any split, under any id) — its labels are left as they are."""
        with self.write() as c:
            row = c.execute(
                """INSERT INTO annotations (ext_id, text, themes, kind, source, labeled_by, split)
                   SELECT ?,?,?,?,?,?, 'train' WHERE NOT EXISTS (SELECT 1 FROM annotations WHERE text=?)
                   ON CONFLICT DO NOTHING RETURNING id""",
                (ext_id, text, json.dumps(themes, ensure_ascii=False), kind, source, reviewer, text)).fetchone()
            if row is None:
                old = c.execute("SELECT id FROM annotations WHERE ext_id=? OR text=? ORDER BY id",
                                (ext_id, text)).fetchone()
                return int(old[0]), False
            c.execute("INSERT INTO annotation_log (annotation_id, action, new_themes, reviewer) VALUES (?,?,?,?)",
                      (row[0], "add", json.dumps(themes, ensure_ascii=False), reviewer))
        return int(row[0]), True

    def set_split(self, annotation_id: int, split: str) -> None:
        """Move an example between splits (a reviewed 'pending' problem becomes training data)."""
        with self.write() as c:
            c.execute("UPDATE annotations SET split=?, updated_at=datetime('now') WHERE id=?", (split, annotation_id))

    def edit_history(self, limit: int = 50) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            """SELECT l.id, l.annotation_id, l.at, l.reviewer, l.action, l.old_themes, l.new_themes, a.text
               FROM annotation_log l JOIN annotations a ON a.id = l.annotation_id ORDER BY l.id DESC LIMIT ?""",
            (limit,)).fetchall()
        return [dict(r) for r in rows]
