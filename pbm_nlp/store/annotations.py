"""Labelled examples and their audit trail: every edit is logged with reviewer, old and new labels."""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from ..errors import InputError


def _row(r: sqlite3.Row) -> dict[str, Any]:
    return dict(r) | {"themes": json.loads(r["themes"])}


class AnnotationRecords:
    """Mixin of :class:`~pbm_nlp.store.Store`: needs ``self.conn`` and ``self.write()``."""

    conn: sqlite3.Connection

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

    def set_themes(self, annotation_id: int, themes: list[str], reviewer: str, action: str = "relabel") -> list[str]:
        """Replace an example's labels and log the change; returns the labels it had. The old labels
        are read inside the same write transaction, so the log never records overwritten ones."""
        with self.write() as c:
            row = c.execute("SELECT themes FROM annotations WHERE id=?", (annotation_id,)).fetchone()
            if row is None:
                raise InputError(f"没有编号为 {annotation_id} 的样本。", f"no example with id {annotation_id}.")
            new = json.dumps(themes, ensure_ascii=False)
            c.execute("UPDATE annotations SET themes=?, labeled_by=?, updated_at=datetime('now') WHERE id=?",
                      (new, reviewer, annotation_id))
            c.execute(
                "INSERT INTO annotation_log (annotation_id, action, old_themes, new_themes, reviewer) VALUES (?,?,?,?,?)",
                (annotation_id, action, row["themes"], new, reviewer),
            )
        return json.loads(row["themes"])

    def undo_last_edit(self, annotation_id: int, reviewer: str) -> tuple[list[str], list[str]]:
        """Put back the labels an example had before its last label edit that is not undone yet
        (logged as 'undo'); returns (labels it had, labels restored). Undoing twice goes one more
        edit back."""
        with self.write() as c:
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
        same text is already an example — its labels are left as they are."""
        with self.write() as c:
            cur = c.execute(
                """INSERT INTO annotations (ext_id, text, themes, kind, source, labeled_by, split)
                   VALUES (?,?,?,?,?,?, 'train') ON CONFLICT DO NOTHING RETURNING id""",
                (ext_id, text, json.dumps(themes, ensure_ascii=False), kind, source, reviewer))
            row = cur.fetchone()
            if row is None:
                return int(c.execute("SELECT id FROM annotations WHERE ext_id=?", (ext_id,)).fetchone()[0]), False
            c.execute("INSERT INTO annotation_log (annotation_id, action, new_themes, reviewer) VALUES (?,?,?,?)",
                      (row[0], "add", json.dumps(themes, ensure_ascii=False), reviewer))
        return int(row[0]), True

    def edit_history(self, limit: int = 50) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            """SELECT l.id, l.annotation_id, l.at, l.reviewer, l.action, l.old_themes, l.new_themes, a.text
               FROM annotation_log l JOIN annotations a ON a.id = l.annotation_id ORDER BY l.id DESC LIMIT ?""",
            (limit,)).fetchall()
        return [dict(r) for r in rows]
