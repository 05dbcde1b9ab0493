"""The store: documents and their records, annotations, model versions, stored tags.

SQLite in WAL mode, so that the app can read while a CLI ingests; every write is one transaction,
so a failed ingest leaves nothing half-written. Every write also bumps the store's *revision*:
anything built from the store's contents (the drafting context, the review queue's inputs) keys
its cache on :meth:`Store.revision` and is rebuilt after a relabel, an ingest or an added example.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

from .. import config
from .annotations import AnnotationRecords
from .documents import DocumentRecords
from .migrations import migrate
from .models import ModelRecords
from .tags import ProblemTags

COUNTED = ("documents", "projects", "evaluations", "problems", "suggestions", "declarations", "indicators",
           "annotations", "model_versions")


class Store(DocumentRecords, AnnotationRecords, ModelRecords, ProblemTags):
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
    def write(self, bump: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction (committed on success, rolled back on error) that bumps the revision."""
        with self.conn:
            yield self.conn
            if bump:
                self.conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'revision'")

    def revision(self) -> int:
        """A number that changes whenever the store's contents change (any process's write)."""
        return int(self.conn.execute("SELECT value FROM meta WHERE key='revision'").fetchone()[0])

    def counts(self) -> dict[str, int]:
        return {t: self.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in COUNTED}
