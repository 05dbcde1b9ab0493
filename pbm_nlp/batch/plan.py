"""What a run still has to do: the input files minus those a previous run committed.

A file is known by the hash of its bytes (``file_hash``): a renamed or copied file is not
processed again, a changed one is. The ledger's (path, size, mtime) lets a resumed run skip a
committed file without reading it; a file is read and hashed only when that does not match.
Within a run, a second copy of the same bytes becomes a ``duplicate`` row naming the first.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa


@dataclass(frozen=True)
class FileTask:
    path: str
    file_hash: str
    size: int
    mtime_ns: int

    def row(self) -> dict[str, Any]:
        return {"path": self.path, "file_hash": self.file_hash, "size": self.size, "mtime_ns": self.mtime_ns}


@dataclass
class Plan:
    todo: list[FileTask] = field(default_factory=list)
    #: Ledger rows for second copies of bytes already in the output or earlier in this run.
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    #: Files a previous run committed.
    skipped: int = 0
    total: int = 0


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def make_plan(files: Iterable[Path], ledger: pa.Table) -> Plan:
    """The tasks for ``files`` given the committed ``ledger`` rows."""
    rows = ledger.select(["path", "file_hash", "size", "mtime_ns", "status"]).to_pylist()
    by_stat = {(r["path"], r["size"], r["mtime_ns"]) for r in rows}
    by_path_hash = {(r["path"], r["file_hash"]) for r in rows}
    first_path = {r["file_hash"]: r["path"] for r in rows if r["status"] != "duplicate"}
    plan = Plan()
    for f in files:
        plan.total += 1
        path = str(f.resolve())
        try:
            st = f.stat()
        except OSError:  # vanished or unreadable: the worker reports it as a per-file error
            plan.todo.append(FileTask(path, "", 0, 0))
            continue
        if (path, st.st_size, st.st_mtime_ns) in by_stat:
            plan.skipped += 1
            continue
        try:
            digest = file_hash(f)
        except OSError:
            plan.todo.append(FileTask(path, "", st.st_size, st.st_mtime_ns))
            continue
        if (path, digest) in by_path_hash:
            plan.skipped += 1
        elif digest in first_path:
            plan.duplicates.append({"path": path, "name": f.name, "file_hash": digest, "size": st.st_size,
                                    "mtime_ns": st.st_mtime_ns, "status": "duplicate",
                                    "duplicate_of": first_path[digest]})
        else:
            first_path[digest] = path
            plan.todo.append(FileTask(path, digest, st.st_size, st.st_mtime_ns))
    return plan
