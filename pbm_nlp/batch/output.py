"""The job's output folder: one Parquet part per table and batch, written so that a crash at any
moment leaves nothing counted twice.

Layout (each folder a Parquet dataset that pandas, pyarrow, DuckDB or Spark read whole)::

    OUT/files/part-<batch>.parquet      the ledger: one row per input file (status, errors)
    OUT/records/part-<batch>.parquet    OUT/problems/…    OUT/findings/…
    OUT/manifest.json                   the last run: inputs, model, counts, throughput

A batch writes its data parts first and its ledger part last (:class:`~.worker.BatchWorker`), each to a temporary name renamed
into place (atomic on POSIX file systems). A batch is *committed* when its ledger part exists; on
resume, data parts of uncommitted batches are deleted and their files processed again.
"""
from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import InputError
from .tables import LEDGER, SCHEMAS


class Output:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def prepare(self) -> None:
        """Create the folders; refuse a folder that holds something other than a batch output."""
        if self.root.exists() and not self.root.is_dir():
            raise InputError(f"输出位置 {self.root} 是文件，请给出文件夹。", f"--out {self.root} is a file: give a folder.")
        if self.root.is_dir() and any(self.root.iterdir()) and not (self.root / LEDGER).is_dir():
            raise InputError(f"输出文件夹 {self.root} 非空且不是批处理输出，请换一个空文件夹。",
                             f"--out {self.root} is not empty and holds no batch output: choose an empty folder.")
        for name in SCHEMAS:
            (self.root / name).mkdir(parents=True, exist_ok=True)

    def write_part(self, name: str, batch: str, t: pa.Table) -> None:
        """One table's rows of one batch, under a temporary name renamed into place."""
        final = self.root / name / f"part-{batch}.parquet"
        tmp = final.with_name(f".{final.name}.{uuid.uuid4().hex[:8]}.tmp")
        pq.write_table(t, tmp, compression="zstd")
        os.replace(tmp, final)

    def ledger(self) -> pa.Table:
        """Every committed ledger row (an empty table on a fresh folder)."""
        parts = sorted((self.root / LEDGER).glob("part-*.parquet"))
        if not parts:
            return SCHEMAS[LEDGER].empty_table()
        return pa.concat_tables([pq.read_table(p, schema=SCHEMAS[LEDGER]) for p in parts])

    def committed_batches(self) -> set[str]:
        return {p.name[len("part-"):-len(".parquet")] for p in (self.root / LEDGER).glob("part-*.parquet")}

    def remove_uncommitted(self) -> int:
        """Delete data parts (and temporary files) a crashed run left without a ledger part."""
        done = self.committed_batches()
        removed = 0
        for name in SCHEMAS:
            folder = self.root / name
            for p in folder.glob(".*.tmp"):
                p.unlink(missing_ok=True)
                removed += 1
            if name == LEDGER:
                continue
            for p in folder.glob("part-*.parquet"):
                if p.name[len("part-"):-len(".parquet")] not in done:
                    p.unlink(missing_ok=True)
                    removed += 1
        return removed

    def read(self, name: str) -> pa.Table:
        """One table, all committed parts together (what a user would read)."""
        done = self.committed_batches()
        parts = [p for p in sorted((self.root / name).glob("part-*.parquet"))
                 if p.name[len("part-"):-len(".parquet")] in done]
        if not parts:
            return SCHEMAS[name].empty_table()
        return pa.concat_tables([pq.read_table(p, schema=SCHEMAS[name]) for p in parts])

    def rows(self, name: str) -> int:
        """Committed rows of a table, from the parts' footers (nothing else is read)."""
        done = self.committed_batches()
        return sum(pq.ParquetFile(p).metadata.num_rows for p in (self.root / name).glob("part-*.parquet")
                   if p.name[len("part-"):-len(".parquet")] in done)

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        tmp = self.root / ".manifest.json.tmp"
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self.root / "manifest.json")
