"""Documents in: parse files into the store, load the labelled corpus, prepare a fresh install,
export records out again."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import PbmError, StoreError, UnreadableFile
from ..ingest.readers import SUPPORTED
from ..ingest.registry import parse_file
from ..resources import Resources
from ..schema import ParsedDocument
from .access import require
from .schema import Actor, FileError, IngestReport, IngestRequest

#: Fields of each exported record kind (the shapes the README documents).
EXPORT_FIELDS = {
    "declarations": ("project", "year", "kind", "unit", "overview", "annual_goal", "budget", "indicators", "source"),
    "evaluations": ("project", "year", "unit", "region", "kind", "doc_type", "finder", "amount", "amount_unit",
                    "score", "grade", "achievements", "problems", "suggestions", "source", "title"),
    "problems": ("text", "heading", "number", "project", "year", "unit", "region", "kind", "source"),
}


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; folders contribute their supported files (sorted, recursively)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED))
        else:
            out.append(p)
    return out


def parse_document(path: str | Path) -> ParsedDocument:
    """Parse one file without storing it; any failure is a PbmError naming the file."""
    try:
        return parse_file(path)
    except PbmError:
        raise
    except Exception as exc:
        name = Path(path).name
        raise UnreadableFile(f"读取 {name} 时出错：{exc}", f"failed to read {name}: {exc}") from exc


def _count(report: IngestReport, doc: ParsedDocument) -> None:
    r = report.records
    r["evaluations"] += len(doc.evaluations)
    r["problems"] += sum(len(e.problems) for e in doc.evaluations)
    r["suggestions"] += sum(len(e.suggestions) for e in doc.evaluations)
    r["declarations"] += len(doc.declarations)
    r["indicators"] += sum(len(d.indicators) for d in doc.declarations)


def ingest(res: Resources, request: IngestRequest, actor: Actor | None = None) -> IngestReport:
    """Parse and store every file. A file that cannot be read or stored is reported and the others
    go on; when the store itself fails (disk full, read-only, corrupt) the batch stops cleanly, the
    files already stored stay stored, and the report names the ones not processed."""
    require(actor, "evaluator", "trainer")
    report = IngestReport()
    paths = expand_paths(request.paths)
    with res.store() as store:
        for k, path in enumerate(paths):
            report.files += 1
            try:
                _ingest_one(store, path, report)
            except StoreError as exc:
                report.errors.append(FileError(str(path), exc.zh, exc.en))
                if exc.disk:
                    report.stopped = exc.zh, exc.en
                    report.not_processed = [str(p) for p in paths[k + 1:]]
                    break
            if request.progress:
                request.progress(path)
        report.db = str(store.path)
        try:
            with store.guarded():
                report.store = store.counts()
        except StoreError:
            if not report.stopped:
                raise
    return report


def _ingest_one(store, path: Path, report: IngestReport) -> None:
    """Parse one file and store it; a parse failure is reported here, a store failure is raised."""
    try:
        doc = parse_document(path)
    except PbmError as exc:
        report.errors.append(FileError(str(path), exc.zh, exc.en))
        return
    added = store.add_document(doc)
    report.documents.append({"file": str(path), "doc_type": doc.doc_type, "records": doc.n_records, "added": added})
    if added:
        report.added += 1
        _count(report, doc)
    else:
        report.unchanged += 1


def load_annotations(res: Resources) -> dict[str, int]:
    """The labelled corpus (corpora/annotations) and the dev sets (corpora/dev) into the store."""
    from ..themes.corpus import load_into_store
    from ..themes.taxonomy import theme_ids

    with res.store() as store:
        return load_into_store(store, set(theme_ids()))


def export_records(res: Resources, kind: str) -> list[dict[str, Any]]:
    """Stored records as the dicts `pbm export` writes (one JSON object per line)."""
    if kind not in EXPORT_FIELDS:
        raise PbmError(f"未知的导出类型 {kind!r}：应为 {', '.join(EXPORT_FIELDS)}。",
                       f"unknown export kind {kind!r}: expected one of {', '.join(EXPORT_FIELDS)}.")
    with res.store() as store:
        rows = {"declarations": store.declarations, "evaluations": store.evaluations,
                "problems": store.problems}[kind]()
    return [{k: r.get(k) for k in EXPORT_FIELDS[kind]} for r in rows]
