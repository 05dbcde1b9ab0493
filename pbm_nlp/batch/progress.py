"""Progress of a batch job as its batches are committed: files, statements per second, errors,
time left, and where the time goes (summed over every worker)."""
from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from .tables import STAGES

#: Failed files listed in the manifest (all of them are in the files table).
MAX_LISTED = 1000


class Progress:
    """Counts committed ledger rows; ``say`` gets a one-line status at most every ``interval`` s."""

    def __init__(self, total: int, say: Callable[[str], None] | None = None, interval: float = 5.0):
        self.total = total
        self.say = say
        self.interval = interval
        self.started = time.perf_counter()
        self._last = 0.0
        self.files = self.errors = self.partial = self.statements = self.records = self.findings = 0
        self.stored = 0
        self.worker_peak_mb = 0.0
        self.cpu = 0.0
        #: Seconds from the start to the first committed batch: start-up (workers, models) plus one batch.
        self.first_batch: float | None = None
        #: This run's failed files (path and messages), the first MAX_LISTED of them.
        self.failed: list[dict[str, str]] = []
        self.stage_seconds = dict.fromkeys(STAGES, 0.0)

    def update(self, ledger: pa.Table) -> None:
        if self.first_batch is None:
            self.first_batch = self.elapsed
        self.files += ledger.num_rows
        status = ledger.column("status")
        self.errors += int(pc.sum(pc.equal(status, "error")).as_py() or 0)
        if len(self.failed) < MAX_LISTED:
            bad = ledger.filter(pc.is_in(status, pa.array(["error", "partial"]))).select(
                ["path", "status", "error_zh", "error_en"])
            self.failed += bad.to_pylist()[:MAX_LISTED - len(self.failed)]
        self.partial += int(pc.sum(pc.equal(status, "partial")).as_py() or 0)
        for attr, col in (("statements", "n_problems"), ("records", "n_records"), ("findings", "n_findings")):
            setattr(self, attr, getattr(self, attr) + int(pc.sum(ledger.column(col)).as_py() or 0))
        self.stored += int(pc.sum(pc.fill_null(ledger.column("stored"), False)).as_py() or 0)
        self.worker_peak_mb = max(self.worker_peak_mb, float(pc.max(ledger.column("worker_peak_mb")).as_py() or 0))
        self.cpu += float(pc.sum(ledger.column("cpu")).as_py() or 0.0)
        for s in STAGES:
            self.stage_seconds[s] += float(pc.sum(ledger.column(f"t_{s}")).as_py() or 0.0)
        now = time.perf_counter()
        if self.say and (now - self._last >= self.interval or self.files >= self.total):
            self._last = now
            self.say(self.line())

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def line(self) -> str:
        el = max(self.elapsed, 1e-9)
        rate = self.files / el
        left = (self.total - self.files) / rate if rate else float("nan")
        return (f"{self.files}/{self.total} 文件 files ({100 * self.files / max(self.total, 1):.0f}%) · "
                f"{self.errors} 错误 errors · {self.statements / el:.1f} 条问题/秒 statements/s · "
                f"{rate:.2f} 文件/秒 files/s · 剩余 ETA {_duration(left)}")

    def summary(self) -> dict[str, Any]:
        el = self.elapsed
        busy = sum(self.stage_seconds.values())
        return {"files": self.files, "errors": self.errors, "partial": self.partial, "records": self.records,
                "statements": self.statements, "findings": self.findings, "stored": self.stored,
                "seconds": round(el, 2), "first_batch_s": round(self.first_batch or 0.0, 2), "files_per_s": round(self.files / el, 3) if el else None,
                "statements_per_s": round(self.statements / el, 2) if el else None,
                "worker_peak_rss_mb": self.worker_peak_mb, "failed": self.failed,
                "worker_cpu_s": round(self.cpu, 2),
                "files_per_worker_cpu_s": round(self.files / self.cpu, 3) if self.cpu else None,
                "worker_seconds": {s: round(v, 2) for s, v in self.stage_seconds.items()},
                "worker_share": {s: round(v / busy, 3) for s, v in self.stage_seconds.items()} if busy else {}}


def _duration(seconds: float) -> str:
    if math.isnan(seconds):  # nothing measured yet
        return "?"
    m, s = divmod(int(seconds), 60)
    h, m = divmod(m, 60)
    return f"{h}h{m:02d}m" if h else (f"{m}m{s:02d}s" if m else f"{s}s")
