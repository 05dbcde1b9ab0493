"""The batch job's output tables: their Parquet schemas and the rows a parsed document yields.

One row per input file (``files``: the job's ledger, errors included), per record (``records``:
each evaluation or declaration, the full record as JSON beside the columns people filter on), per
problem statement (``problems``: themes and calibrated scores) and per lint finding
(``findings``). Every row carries the document's content hash (``doc_hash``, the store's
``text_hash``), so tables join on it and a re-run can be checked for duplicates.
"""
from __future__ import annotations

import json
from typing import Any

import pyarrow as pa

from ..schema import ParsedDocument, to_dict
from ..text.segment import split_problem_items

_S, _I, _F = pa.string(), pa.int32(), pa.float64()
#: Seconds spent per stage, per file (shared stages split by the file's share of the work); ``cpu``
#: is the worker's CPU time (all its threads) for the batch, split by the same shares.
STAGES = ("parse", "tag", "lint", "store", "write")

SCHEMAS: dict[str, pa.Schema] = {
    "files": pa.schema([
        ("path", _S), ("name", _S), ("file_hash", _S), ("size", pa.int64()), ("mtime_ns", pa.int64()),
        ("status", _S), ("doc_hash", _S), ("doc_type", _S), ("n_records", _I), ("n_problems", _I),
        ("n_findings", _I), ("duplicate_of", _S), ("stored", pa.bool_()), ("error_type", _S), ("error_zh", _S),
        ("error_en", _S), ("t_parse", _F), ("t_tag", _F), ("t_lint", _F), ("t_store", _F), ("t_write", _F), ("cpu", _F),
        ("batch", _S), ("worker", _S), ("worker_peak_mb", _F)]),
    "records": pa.schema([
        ("doc_hash", _S), ("path", _S), ("doc_type", _S), ("record_type", _S), ("ordinal", _I), ("project", _S),
        ("unit", _S), ("year", _I), ("kind", _S), ("region", _S), ("score", _F), ("grade", _S),
        ("amount_yuan", _F), ("budget", _F), ("n_problems", _I), ("n_indicators", _I), ("payload", _S)]),
    "problems": pa.schema([
        ("doc_hash", _S), ("path", _S), ("record_ordinal", _I), ("project", _S), ("unit", _S), ("year", _I),
        ("kind", _S), ("region", _S), ("item", _I), ("part", _I), ("number", _I), ("text", _S),
        ("themes", pa.list_(_S)), ("top_theme", _S), ("top_score", _F), ("scores", pa.map_(_S, pa.float32())),
        ("model_version", _S)]),
    "findings": pa.schema([
        ("doc_hash", _S), ("path", _S), ("record_ordinal", _I), ("project", _S), ("year", _I), ("kind", _S),
        ("rule", _S), ("severity", _S), ("indicator", _S), ("message", _S), ("fix", _S), ("theme", _S)]),
}
#: Written last by each batch: a batch's rows count only once its ledger part exists.
LEDGER = "files"


def table(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    """Rows as a table of the named schema (missing keys are nulls)."""
    schema = SCHEMAS[name]
    return pa.Table.from_pylist([{f: r.get(f) for f in schema.names} for r in rows], schema=schema)


def record_rows(doc: ParsedDocument, path: str) -> list[dict[str, Any]]:
    """One row per evaluation and per declaration of a parsed document."""
    base = {"doc_hash": doc.text_hash, "path": path, "doc_type": doc.doc_type}
    rows = [base | {"record_type": "evaluation", "ordinal": i, "project": e.project, "unit": e.unit, "year": e.year,
                    "kind": e.kind, "region": e.region, "score": e.score, "grade": e.grade,
                    "amount_yuan": e.amount_yuan, "n_problems": len(e.problems), "payload": _json(e)}
            for i, e in enumerate(doc.evaluations)]
    rows += [base | {"record_type": "declaration", "ordinal": i, "project": d.project, "unit": d.unit,
                     "year": d.year, "kind": d.kind, "budget": d.budget, "n_indicators": len(d.indicators),
                     "payload": _json(d)}
             for i, d in enumerate(doc.declarations)]
    return rows


def statement_rows(doc: ParsedDocument, path: str) -> list[dict[str, Any]]:
    """One row per problem statement, untagged: each 存在问题 item, split again where an item
    holds several numbered statements (a records file or a report that numbers inside items)."""
    rows = []
    for i, ev in enumerate(doc.evaluations):
        base = {"doc_hash": doc.text_hash, "path": path, "record_ordinal": i, "project": ev.project,
                "unit": ev.unit, "year": ev.year, "kind": ev.kind, "region": ev.region}
        for k, item in enumerate(ev.problems):
            for part, text in enumerate(split_problem_items(item.text)):
                rows.append(base | {"item": k, "part": part, "number": item.number, "text": text})
    return rows


def tag_rows(rows: list[dict[str, Any]], tags: list[dict[str, Any]], model_version: str) -> None:
    """Add the tagger's themes and scores (most likely first) to the statement rows, in place."""
    for row, t in zip(rows, tags, strict=True):
        scores = t["scores"]
        top = max(scores, key=scores.get) if scores else None
        row |= {"themes": list(t["themes"]), "top_theme": top, "top_score": scores.get(top) if top else None,
                "scores": list(scores.items()), "model_version": model_version}


def finding_rows(doc: ParsedDocument, path: str, reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per lint finding of the document's declarations (reports in declaration order)."""
    rows = []
    for i, rep in enumerate(reports):
        base = {"doc_hash": doc.text_hash, "path": path, "record_ordinal": i, "project": rep["project"],
                "year": rep.get("year"), "kind": rep.get("kind")}
        rows += [base | {k: f.get(k) for k in ("rule", "severity", "indicator", "message", "fix", "theme")}
                 for f in rep["findings"]]
    return rows


def _json(record: Any) -> str:
    return json.dumps(to_dict(record), ensure_ascii=False)
