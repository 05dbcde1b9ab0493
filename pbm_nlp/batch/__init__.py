"""Batch processing for a department's archive: folders of documents → Parquet tables (records,
tagged problem statements, lint findings, a per-file ledger with errors), in one process or on a
Ray cluster, resumable after a crash without duplicates. See :mod:`.job`."""
from .job import ENGINES, BatchRequest, run_batch

__all__ = ["ENGINES", "BatchRequest", "run_batch"]
