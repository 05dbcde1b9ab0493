"""Documents and the records parsed from them: evaluations (problems, suggestions, scoring
rows) and declarations (indicators). Reads are one query per table, grouped in Python, so that a
province's archive is read in a handful of queries rather than one per record."""
from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from typing import Any

from ..schema import Declaration, Evaluation, ParsedDocument


class DocumentRecords:
    """Mixin of :class:`~pbm_nlp.store.Store`: needs ``self.conn``, ``self.write()`` and ``self.guarded()``."""

    conn: sqlite3.Connection

    def has_document(self, text_hash: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE text_hash=?", (text_hash,)).fetchone() is not None

    def add_document(self, doc: ParsedDocument) -> bool:
        """Store a parsed document and its records; False (and no change) if already stored, also
        when another process stores the same document at the same time."""
        with self.guarded():
            if self.has_document(doc.text_hash):
                return False
        with self.write() as c:
            row = c.execute(
                """INSERT INTO documents (name, doc_type, text_hash, n_records) VALUES (?,?,?,?)
                   ON CONFLICT (text_hash) DO NOTHING RETURNING id""",
                (doc.path, doc.doc_type, doc.text_hash, doc.n_records),
            ).fetchone()
            if row is None:
                return False
            doc_id = row[0]
            for i, ev in enumerate(doc.evaluations):
                _insert_evaluation(c, doc_id, i, ev)
            for i, de in enumerate(doc.declarations):
                _insert_declaration(c, doc_id, i, de)
        return True

    # ---- reading ---------------------------------------------------------------------------

    def evaluations(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            """SELECT e.*, p.name AS project, p.unit AS unit, d.name AS source FROM evaluations e
               JOIN projects p ON p.id=e.project_id JOIN documents d ON d.id=e.document_id
               ORDER BY e.document_id, e.ordinal"""
        ).fetchall()
        items = {t: self._texts_by_evaluation(t) for t in ("problems", "suggestions")}
        return [{
            "id": r["id"], "project": r["project"], "unit": r["unit"] or None, "year": r["year"],
            "amount": r["amount"], "amount_unit": r["amount_unit"], "amount_yuan": r["amount_yuan"],
            "score": r["score"], "grade": r["grade"], "achievements": r["achievements"],
            "problems": items["problems"].get(r["id"], []), "suggestions": items["suggestions"].get(r["id"], []),
            "rectification_status": r["rectification_status"], "doc_type": r["doc_type"],
            "region": r["region"], "kind": r["kind"], "finder": r["finder"], "title": r["title"],
            "source": r["source"],
        } for r in rows]

    def _texts_by_evaluation(self, table: str) -> dict[int, list[str]]:
        out: dict[int, list[str]] = defaultdict(list)
        for eid, text in self.conn.execute(f"SELECT evaluation_id, text FROM {table} ORDER BY evaluation_id, ordinal"):
            out[eid].append(text)
        return out

    def problems(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            """SELECT pr.id, pr.number, pr.heading, pr.text, e.id AS evaluation_id, e.year, e.region, e.kind,
               e.doc_type, e.finder, p.name AS project, p.unit AS unit, d.name AS source
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
        indicators: dict[int, list[dict]] = defaultdict(list)
        for i in self.conn.execute("SELECT declaration_id, level1, level2, name, target FROM indicators "
                                   "ORDER BY declaration_id, ordinal"):
            indicators[i["declaration_id"]].append({k: i[k] for k in ("level1", "level2", "name", "target")})
        out = []
        for r in rows:
            fund_use = json.loads(r["fund_use"])
            out.append({
                "id": r["id"], "project": r["project"], "year": r["year"],
                "kind": fund_use[0] if fund_use else r["category"], "unit": r["unit"] or None,
                "overview": r["overview"], "annual_goal": r["annual_goal"], "total_goal": r["total_goal"],
                "budget": r["budget"], "frame": r["frame"], "project_type": json.loads(r["project_type"]),
                "start_date": r["start_date"], "end_date": r["end_date"],
                "indicators": indicators.get(r["id"], []), "source": r["source"],
            })
        return out

    def facets(self) -> dict[str, list]:
        """The years, units, regions and kinds of the stored evaluations (for filters)."""
        q = {"years": "SELECT DISTINCT e.year FROM evaluations e WHERE e.year IS NOT NULL",
             "units": "SELECT DISTINCT p.unit FROM evaluations e JOIN projects p ON p.id=e.project_id WHERE p.unit<>''",
             "regions": "SELECT DISTINCT e.region FROM evaluations e WHERE e.region IS NOT NULL AND e.region<>''",
             "kinds": "SELECT DISTINCT e.kind FROM evaluations e WHERE e.kind IS NOT NULL AND e.kind<>''"}
        return {k: sorted(r[0] for r in self.conn.execute(sql)) for k, sql in q.items()}


def _project_id(c: sqlite3.Connection, name: str, unit: str | None) -> int:
    c.execute("INSERT INTO projects (name, unit) VALUES (?, ?) ON CONFLICT DO NOTHING", (name, unit or ""))
    return c.execute("SELECT id FROM projects WHERE name=? AND unit=?", (name, unit or "")).fetchone()[0]


def _insert_evaluation(c: sqlite3.Connection, doc_id: int, ordinal: int, ev: Evaluation) -> None:
    pid = _project_id(c, ev.project, ev.unit)
    eid = c.execute(
        """INSERT INTO evaluations (document_id, project_id, ordinal, doc_type, year, amount, amount_unit,
           amount_yuan, score, grade, achievements, rectification_status, stated_totals, region, kind, finder,
           title) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id""",
        (doc_id, pid, ordinal, ev.doc_type, ev.year, ev.amount, ev.amount_unit, ev.amount_yuan, ev.score,
         ev.grade, ev.achievements, ev.rectification_status,
         json.dumps({k: list(v) for k, v in ev.stated_totals.items()}, ensure_ascii=False),
         ev.region, ev.kind, ev.finder, ev.title or ""),
    ).fetchone()[0]
    for table, items in (("problems", ev.problems), ("suggestions", ev.suggestions)):
        c.executemany(
            f"INSERT INTO {table} (evaluation_id, ordinal, number, heading, body, text) VALUES (?,?,?,?,?,?)",
            [(eid, k, it.number, it.heading, it.body, it.text) for k, it in enumerate(items)],
        )
    c.executemany(
        "INSERT INTO score_items (evaluation_id, code, name, level, weight, full, score) VALUES (?,?,?,?,?,?,?)",
        [(eid, r.code, r.name, r.level, r.weight, r.full, r.score) for r in ev.scoring],
    )


def _insert_declaration(c: sqlite3.Connection, doc_id: int, ordinal: int, de: Declaration) -> None:
    pid = _project_id(c, de.project, de.unit)
    did = c.execute(
        """INSERT INTO declarations (document_id, project_id, ordinal, year, frame, project_type, fund_use,
           category, start_date, end_date, budget, overview, total_goal, annual_goal, subprojects)
           VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id""",
        (doc_id, pid, ordinal, de.year, de.frame, json.dumps(de.project_type, ensure_ascii=False),
         json.dumps(de.fund_use, ensure_ascii=False), de.category, de.start_date, de.end_date, de.budget,
         de.overview, de.total_goal, de.annual_goal, json.dumps(de.subprojects, ensure_ascii=False)),
    ).fetchone()[0]
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
