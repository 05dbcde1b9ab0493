"""The per-batch function: files in, Parquet parts out. The same object runs in the CLI's process
(``--engine local``) and as a Ray Data actor (``--engine ray``), one per worker.

Built once per worker: the encoder (without the SQLite embedding cache, which must not be shared
between processes or over a network; its in-memory cache is bounded), the active tagger, the
tokenizers (jieba's dictionary, the encoder's) and, when declarations are linted, the drafting
context. Then each batch: read and parse every file (a bad file becomes an error row and the
others go on), tag all the batch's problem statements in one call, lint each document's
declarations, optionally add the documents to the store, write the parts, return the ledger.
"""
from __future__ import annotations

import os
import socket
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from .. import services
from ..config import Settings
from ..errors import PbmError
from ..resources import Resources
from ..schema import ParsedDocument
from ..services.schema import Actor, TagRequest
from ..themes.service import Tagger
from . import tables
from .output import Output
from .plan import FileTask, file_hash

#: What the warm-up tags and lints, so that the models, the tokenizers and the lint rules' kind
#: examples (embedded once per worker: there is no shared cache) are ready before the first batch.
_WARM_UP = "项目绩效指标设置不够明确，后续运维管理机制不健全。"
_WARM_UP_DECLARATION = {
    "project": "河道保洁养护", "overview": "对辖区内河道开展日常保洁养护。", "annual_goal": "完成河道保洁养护任务，水面整洁。",
    "indicators": [{"level1": "产出指标", "level2": "数量指标", "name": "保洁河道长度", "target": "≥60公里"}]}


@dataclass(frozen=True)
class WorkerOptions:
    """What every worker needs to know (sent to each Ray actor, so plain values only)."""

    out: str
    #: The model version folder the whole job uses (a retrain during the job does not mix versions).
    model_dir: str
    lint: bool = True
    store: bool = False
    #: 存在问题 items are problems: each gets its likeliest theme at least, unless allow_none (the
    #: documents' sections may hold text that states no problem).
    allow_none: bool = False
    actor: Actor | None = None
    #: torch threads per worker; None leaves torch's default (all cores: the local engine).
    threads: int | None = None
    #: Embeddings a worker keeps in memory at most (a long job's texts rarely repeat).
    memory_limit: int = 50_000


@dataclass
class _Doc:
    """One file's state through the batch."""

    task: FileTask
    timings: dict[str, float]
    doc: ParsedDocument | None = None
    error: PbmError | None = None
    lint_error: PbmError | None = None
    statements: list[dict[str, Any]] | None = None
    findings: list[dict[str, Any]] | None = None
    stored: bool | None = None
    cpu: float = 0.0


class BatchWorker:
    def __init__(self, settings: Settings, options: WorkerOptions, resources: Resources | None = None):
        from ..features.encoders import make_encoder

        self.options = options
        self.res = resources or Resources(settings, encoder=make_encoder(settings, cache=False,
                                                                         memory_limit=options.memory_limit))
        self.res.tagger = Tagger(self.res.registry, encoder=lambda: self.res.encoder, folder=Path(options.model_dir))
        self.output = Output(options.out)
        self.name = f"{socket.gethostname()}:{os.getpid()}"
        self.model_version = self.res.tagger.version
        self._warm_up()

    def _warm_up(self) -> None:
        self.res.tagger.tag([_WARM_UP], evidence=False)
        if self.options.lint:
            services.drafting.lint(self.res, dict(_WARM_UP_DECLARATION))
        if self.options.threads and "torch" in sys.modules:
            import torch

            torch.set_num_threads(self.options.threads)

    def __call__(self, batch: pa.Table) -> pa.Table:
        """Process one batch of file tasks (rows of :meth:`FileTask.row`); returns its ledger."""
        cpu = time.process_time()
        docs = [_Doc(FileTask(**r), dict.fromkeys(tables.STAGES, 0.0)) for r in batch.to_pylist()]
        for d in docs:
            self._parse(d)
        self._tag(docs)
        if self.options.lint:
            for d in docs:
                self._lint(d)
        if self.options.store:
            self._store(docs)
        return self._write(docs, cpu)

    # ---- stages -----------------------------------------------------------------------------
    def _parse(self, d: _Doc) -> None:
        t0 = time.perf_counter()
        try:
            if not d.task.file_hash:  # the planner could not read it: say why, in the user's words
                d.task = FileTask(d.task.path, file_hash(Path(d.task.path)), d.task.size, d.task.mtime_ns)
            d.doc = services.ingest.parse_document(d.task.path)
            d.statements = tables.statement_rows(d.doc, d.task.path)
        except PbmError as exc:
            d.error = exc
        except OSError as exc:
            d.error = PbmError(f"无法读取 {Path(d.task.path).name}：{exc}", f"cannot read {d.task.path}: {exc}")
        d.timings["parse"] = time.perf_counter() - t0

    def _tag(self, docs: list[_Doc]) -> None:
        rows = [r for d in docs if d.statements for r in d.statements]
        if not rows:
            return
        t0 = time.perf_counter()
        tagged = services.tagging.tag(self.res, TagRequest([r["text"] for r in rows], evidence=False,
                                                           split_items=False, allow_none=self.options.allow_none))
        tables.tag_rows(rows, [t.to_dict() for t in tagged], self.model_version)
        _share(docs, "tag", time.perf_counter() - t0, lambda d: len(d.statements or ()))

    def _lint(self, d: _Doc) -> None:
        if d.doc is None or not d.doc.declarations:
            return
        t0 = time.perf_counter()
        try:
            reports = services.drafting.lint(self.res, services.drafting.declaration_dicts(d.doc))
            d.findings = tables.finding_rows(d.doc, d.task.path, reports)
        except PbmError as exc:
            d.lint_error = exc
        d.timings["lint"] = time.perf_counter() - t0

    def _store(self, docs: list[_Doc]) -> None:
        parsed = [d for d in docs if d.doc is not None]
        t0 = time.perf_counter()
        added = services.ingest.store_documents(self.res, [d.doc for d in parsed], self.options.actor)
        for d, a in zip(parsed, added, strict=True):
            d.stored = a
        _share(parsed, "store", time.perf_counter() - t0, lambda d: 1)

    def _write(self, docs: list[_Doc], cpu_start: float) -> pa.Table:
        t0 = time.perf_counter()
        batch = uuid.uuid4().hex[:16]
        data = {
            "records": tables.table("records", [r for d in docs if d.doc for r in tables.record_rows(d.doc, d.task.path)]),
            "problems": tables.table("problems", [r for d in docs if d.statements for r in d.statements]),
            "findings": tables.table("findings", [r for d in docs if d.findings for r in d.findings]),
        }
        for name, t in data.items():
            if t.num_rows:
                self.output.write_part(name, batch, t)
        _share(docs, "write", time.perf_counter() - t0, lambda d: 1)
        cpu = time.process_time() - cpu_start
        wall = sum(sum(d.timings.values()) for d in docs)
        for d in docs:
            d.cpu = cpu * sum(d.timings.values()) / wall if wall else cpu / len(docs)
        ledger = tables.table("files", [self._ledger_row(d, batch) for d in docs])
        self.output.write_part(tables.LEDGER, batch, ledger)  # the commit
        return ledger

    def _ledger_row(self, d: _Doc, batch: str) -> dict[str, Any]:
        err = d.error or d.lint_error
        row = d.task.row() | {"name": Path(d.task.path).name, "batch": batch, "worker": self.name,
                              "status": "error" if d.error else ("partial" if d.lint_error else "ok"),
                              "stored": d.stored, "worker_peak_mb": peak_rss_mb(), "cpu": d.cpu}
        row |= {f"t_{k}": v for k, v in d.timings.items()}
        if err is not None:
            row |= {"error_type": type(err).__name__, "error_zh": err.zh, "error_en": err.en}
        if d.doc is not None:
            row |= {"doc_hash": d.doc.text_hash, "doc_type": d.doc.doc_type, "n_records": d.doc.n_records,
                    "n_problems": len(d.statements or ()), "n_findings": len(d.findings or ())}
        return row


def peak_rss_mb() -> float | None:
    """This process's peak resident memory (Linux VmHWM), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def _share(docs: list[_Doc], stage: str, seconds: float, weight: Callable[[_Doc], int]) -> None:
    """Split a stage's time over the files by their share of its work."""
    total = sum(weight(d) for d in docs)
    for d in docs:
        d.timings[stage] += seconds * weight(d) / total if total else 0.0
