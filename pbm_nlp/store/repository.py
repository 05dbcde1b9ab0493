"""SQLite repository: documents and their records, annotations, model versions.

WAL mode so that the app can read while a CLI ingests; every write is one transaction, so a
failed ingest leaves nothing half-written.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self

from .. import config
from ..schema import Declaration, Evaluation, ParsedDocument
from .migrations import migrate


class Store:
    def __init__(self, path: str | Path | None = None):
        self.path = config.db_path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.execute("PRAGMA busy_timeout=30000")
        self.schema_version = migrate(self.conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self.conn:
            yield self.conn

    # ---- documents -------------------------------------------------------------------------

    def has_document(self, text_hash: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE text_hash=?", (text_hash,)).fetchone() is not None

    def add_document(self, doc: ParsedDocument) -> bool:
        """Store a parsed document and its records; False (and no change) if already stored."""
        if self.has_document(doc.text_hash):
            return False
        with self.transaction() as c:
            doc_id = c.execute(
                "INSERT INTO documents (name, doc_type, text_hash, n_records) VALUES (?,?,?,?)",
                (doc.path, doc.doc_type, doc.text_hash, doc.n_records),
            ).lastrowid
            for i, ev in enumerate(doc.evaluations):
                self._insert_evaluation(c, doc_id, i, ev)
            for i, de in enumerate(doc.declarations):
                self._insert_declaration(c, doc_id, i, de)
        return True

    def _project_id(self, c: sqlite3.Connection, name: str, unit: str | None) -> int:
        c.execute("INSERT OR IGNORE INTO projects (name, unit) VALUES (?, ?)", (name, unit or ""))
        return c.execute("SELECT id FROM projects WHERE name=? AND unit=?", (name, unit or "")).fetchone()[0]

    def _insert_evaluation(self, c: sqlite3.Connection, doc_id: int, ordinal: int, ev: Evaluation) -> None:
        pid = self._project_id(c, ev.project, ev.unit)
        eid = c.execute(
            """INSERT INTO evaluations (document_id, project_id, ordinal, doc_type, year, amount, amount_unit,
               amount_yuan, score, grade, achievements, rectification_status, stated_totals)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            (doc_id, pid, ordinal, ev.doc_type, ev.year, ev.amount, ev.amount_unit, ev.amount_yuan, ev.score,
             ev.grade, ev.achievements, ev.rectification_status,
             json.dumps({k: list(v) for k, v in ev.stated_totals.items()}, ensure_ascii=False)),
        ).lastrowid
        for table, items in (("problems", ev.problems), ("suggestions", ev.suggestions)):
            c.executemany(
                f"INSERT INTO {table} (evaluation_id, ordinal, number, heading, body, text) VALUES (?,?,?,?,?,?)",
                [(eid, k, it.number, it.heading, it.body, it.text) for k, it in enumerate(items)],
            )
        c.executemany(
            "INSERT INTO score_items (evaluation_id, code, name, level, weight, full, score) VALUES (?,?,?,?,?,?,?)",
            [(eid, r.code, r.name, r.level, r.weight, r.full, r.score) for r in ev.scoring],
        )

    def _insert_declaration(self, c: sqlite3.Connection, doc_id: int, ordinal: int, de: Declaration) -> None:
        pid = self._project_id(c, de.project, de.unit)
        did = c.execute(
            """INSERT INTO declarations (document_id, project_id, ordinal, year, frame, project_type, fund_use,
               category, start_date, end_date, budget, overview, total_goal, annual_goal, subprojects)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            (doc_id, pid, ordinal, de.year, de.frame, json.dumps(de.project_type, ensure_ascii=False),
             json.dumps(de.fund_use, ensure_ascii=False), de.category, de.start_date, de.end_date, de.budget,
             de.overview, de.total_goal, de.annual_goal, json.dumps(de.subprojects, ensure_ascii=False)),
        ).lastrowid
        c.executemany(
            """INSERT INTO indicators (declaration_id, ordinal, level1, level2, name, target, operator, value,
               unit, qualitative) VALUES (?,?,?,?,?,?,?,?,?,?)""",
            [
                (did, k, ind.level1, ind.level2, ind.name, ind.target,
                 ind.parsed.operator if ind.parsed else None, ind.parsed.value if ind.parsed else None,
                 ind.parsed.unit if ind.parsed else None, int(bool(ind.parsed and ind.parsed.qualitative)))
                for k, ind in enumerate(de.indicators)
            ],
        )

    # ---- reading ---------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        tables = ("documents", "projects", "evaluations", "problems", "suggestions", "declarations",
                  "indicators", "annotations", "model_versions")
        return {t: self.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}

    def evaluations(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            """SELECT e.*, p.name AS project, p.unit AS unit, d.name AS source FROM evaluations e
               JOIN projects p ON p.id=e.project_id JOIN documents d ON d.id=e.document_id
               ORDER BY e.document_id, e.ordinal"""
        ).fetchall()
        out = []
        for r in rows:
            items = {
                t: [x["text"] for x in self.conn.execute(
                    f"SELECT text FROM {t} WHERE evaluation_id=? ORDER BY ordinal", (r["id"],))]
                for t in ("problems", "suggestions")
            }
            out.append({
                "id": r["id"], "project": r["project"], "unit": r["unit"] or None, "year": r["year"],
                "amount": r["amount"], "amount_unit": r["amount_unit"], "amount_yuan": r["amount_yuan"],
                "score": r["score"], "grade": r["grade"], "achievements": r["achievements"],
                "problems": items["problems"], "suggestions": items["suggestions"],
                "rectification_status": r["rectification_status"], "doc_type": r["doc_type"],
                "source": r["source"],
            })
        return out

    def problems(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            """SELECT pr.id, pr.number, pr.heading, pr.text, e.id AS evaluation_id, e.year, p.name AS project,
               p.unit AS unit, d.name AS source
               FROM problems pr JOIN evaluations e ON e.id=pr.evaluation_id
               JOIN projects p ON p.id=e.project_id JOIN documents d ON d.id=e.document_id
               ORDER BY e.document_id, e.ordinal, pr.ordinal"""
        ).fetchall()
        return [dict(r) | {"unit": r["unit"] or None} for r in rows]

    def declarations(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            """SELECT de.*, p.name AS project, p.unit AS unit, d.name AS source FROM declarations de
               JOIN projects p ON p.id=de.project_id JOIN documents d ON d.id=de.document_id
               ORDER BY de.document_id, de.ordinal"""
        ).fetchall()
        out = []
        for r in rows:
            fund_use = json.loads(r["fund_use"])
            inds = self.conn.execute(
                "SELECT level1, level2, name, target FROM indicators WHERE declaration_id=? ORDER BY ordinal",
                (r["id"],),
            ).fetchall()
            out.append({
                "id": r["id"], "project": r["project"], "year": r["year"],
                "kind": fund_use[0] if fund_use else r["category"], "unit": r["unit"] or None,
                "overview": r["overview"], "annual_goal": r["annual_goal"], "total_goal": r["total_goal"],
                "budget": r["budget"], "frame": r["frame"], "project_type": json.loads(r["project_type"]),
                "start_date": r["start_date"], "end_date": r["end_date"],
                "indicators": [dict(i) for i in inds], "source": r["source"],
            })
        return out

    # ---- annotations -----------------------------------------------------------------------

    def upsert_annotations(self, records: Iterable[dict[str, Any]], split: str = "train") -> int:
        """Load labelled examples (from JSON Lines) keyed by their id; returns how many were new.

        An example a trainer has edited in the store keeps the trainer's labels.
        """
        added = 0
        with self.transaction() as c:
            for rec in records:
                cur = c.execute(
                    """INSERT OR IGNORE INTO annotations (ext_id, text, themes, kind, source, labeled_by, note, split)
                       VALUES (?,?,?,?,?,?,?,?)""",
                    (rec["id"], rec["text"], json.dumps(rec.get("themes", []), ensure_ascii=False), rec.get("kind"),
                     rec.get("source", "authored"), rec.get("labeled_by", "unknown"), rec.get("note", ""), split),
                )
                added += cur.rowcount
        return added

    def annotations(self, split: str | None = "train") -> list[dict[str, Any]]:
        q = "SELECT * FROM annotations" + (" WHERE split=?" if split else "") + " ORDER BY id"
        rows = self.conn.execute(q, (split,) if split else ()).fetchall()
        return [dict(r) | {"themes": json.loads(r["themes"])} for r in rows]

    def reviewed_annotation_ids(self) -> set[int]:
        """Examples a trainer has accepted or corrected (their labels are settled)."""
        rows = self.conn.execute(
            "SELECT DISTINCT annotation_id FROM annotation_log WHERE action IN ('accept', 'review')")
        return {r[0] for r in rows}

    def set_themes(self, annotation_id: int, themes: list[str], reviewer: str, action: str = "relabel") -> None:
        with self.transaction() as c:
            row = c.execute("SELECT themes FROM annotations WHERE id=?", (annotation_id,)).fetchone()
            if row is None:
                from ..errors import InputError

                raise InputError(f"没有编号为 {annotation_id} 的样本", f"no annotation with id {annotation_id}")
            new = json.dumps(themes, ensure_ascii=False)
            c.execute("UPDATE annotations SET themes=?, labeled_by=?, updated_at=datetime('now') WHERE id=?",
                      (new, reviewer, annotation_id))
            c.execute(
                "INSERT INTO annotation_log (annotation_id, action, old_themes, new_themes, reviewer) VALUES (?,?,?,?,?)",
                (annotation_id, action, row["themes"], new, reviewer),
            )
