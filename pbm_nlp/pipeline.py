"""Orchestration shared by the CLI and the app: files → parsers → store."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import PbmError, UnreadableFile
from .ingest.readers import SUPPORTED
from .ingest.registry import parse_file
from .store import Store


@dataclass
class IngestReport:
    files: int = 0
    added: int = 0
    unchanged: int = 0
    records: dict[str, int] = field(default_factory=lambda: {
        "evaluations": 0, "problems": 0, "suggestions": 0, "declarations": 0, "indicators": 0})
    errors: list[dict[str, str]] = field(default_factory=list)
    documents: list[dict[str, object]] = field(default_factory=list)

    def as_dict(self, store: Store | None = None) -> dict[str, object]:
        out: dict[str, object] = {
            "files": self.files, "added_documents": self.added, "unchanged_documents": self.unchanged,
            "added": self.records, "errors": self.errors, "documents": self.documents,
        }
        if store is not None:
            out["store"] = store.counts()
            out["db"] = str(store.path)
        return out


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; folders contribute their supported files (sorted, recursively)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED))
        else:
            out.append(p)
    return out


def ingest_paths(
    paths: Iterable[str | Path],
    store: Store,
    progress: Callable[[Path], None] | None = None,
) -> IngestReport:
    """Parse and store every file; a bad file is reported and the others go on."""
    report = IngestReport()
    for path in expand_paths(paths):
        report.files += 1
        try:
            doc = parse_file(path)
        except PbmError as exc:
            report.errors.append({"file": str(path), "error": exc.en, "错误": exc.zh})
        except Exception as exc:  # a parser bug must not lose the rest of the batch
            err = UnreadableFile(f"读取 {path.name} 时出错：{exc}", f"failed to read {path.name}: {exc}")
            report.errors.append({"file": str(path), "error": err.en, "错误": err.zh})
        else:
            added = store.add_document(doc)
            entry = {"file": str(path), "doc_type": doc.doc_type, "records": doc.n_records, "added": added}
            report.documents.append(entry)
            if added:
                report.added += 1
                r = report.records
                r["evaluations"] += len(doc.evaluations)
                r["problems"] += sum(len(e.problems) for e in doc.evaluations)
                r["suggestions"] += sum(len(e.suggestions) for e in doc.evaluations)
                r["declarations"] += len(doc.declarations)
                r["indicators"] += sum(len(d.indicators) for d in doc.declarations)
            else:
                report.unchanged += 1
        if progress:
            progress(path)
    return report


def prepare(store: Store, log: Callable[[str], None] = print) -> dict[str, object]:
    """Everything the app needs, idempotently: the bundled seeds in the store (later: models)."""
    from . import config

    report = ingest_paths([config.SEEDS_DIR], store)
    if report.errors:
        raise PbmError(
            "内置语料解析失败：" + "; ".join(e["错误"] for e in report.errors),
            "the bundled corpus failed to parse: " + "; ".join(e["error"] for e in report.errors),
        )
    log(f"语料 corpus: {report.added} 新增 added, {report.unchanged} 未变 unchanged ({store.path})")
    return {"ingest": report.as_dict()}
