"""The store: documents and their records, annotations, model versions, stored tags.

On SQLite (the default, WAL mode, so that the app can read while a CLI ingests) or PostgreSQL
(``PBM_DB=postgresql://…``: one store for a department's app servers and batch workers), behind
the same methods (:mod:`.backend`). Every write is one transaction,
so a failed ingest leaves nothing half-written. Every write also bumps the store's *revision*:
anything built from the store's contents (the drafting context, the review queue's inputs) keys
its cache on :meth:`Store.revision` and is rebuilt after a relabel, an ingest or an added example.

Only commands that create stores (ingest, prepare) open a missing path with ``create=True``; any
other caller gets a clear error naming the path, so a mistyped ``--db`` never yields an empty store.
Database errors leave the store as :class:`~pbm_nlp.errors.StoreError` naming the path and the cause,
and saying whose fault it is (the disk's: stop the batch; one record's: go on).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

from .. import config
from .annotations import AnnotationRecords
from .backend import Connection, open_backend
from .documents import DocumentRecords
from .migrations import migrate
from .models import ModelRecords
from .tags import ProblemTags

COUNTED = ("documents", "projects", "evaluations", "problems", "suggestions", "declarations", "indicators",
           "annotations", "model_versions")


class Store(DocumentRecords, AnnotationRecords, ModelRecords, ProblemTags):
    def __init__(self, path: str | Path | None = None, create: bool = True):
        """``path``: an SQLite file or a ``postgresql://`` URL (default: PBM_DB, else corpora/pbm.db)."""
        self.backend = open_backend(config.db_path(path), create)
        #: Where the store is, as users read it: the SQLite path, or the URL without its password.
        self.path = self.backend.location
        self.conn: Connection = self.backend.connect()
        try:
            self.schema_version = migrate(self.conn, self.backend)
        except self.backend.errors as exc:
            self.conn.close()
            raise self.backend.error(exc) from exc

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        """Close; a database error raised inside the block leaves as a StoreError naming the path."""
        self.close()
        if isinstance(exc, self.backend.errors):
            raise self.backend.error(exc) from exc

    @contextmanager
    def guarded(self) -> Iterator[None]:
        """Database errors inside the block become a StoreError naming the path and the cause."""
        try:
            yield
        except self.backend.errors as exc:
            raise self.backend.error(exc) from exc

    @contextmanager
    def write(self, bump: bool = True) -> Iterator[Connection]:
        """One write transaction (committed on success, rolled back on error) that bumps the revision."""
        with self.guarded(), self.backend.transaction(self.conn):
            yield self.conn
            if bump:
                self.conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'revision'")

    def revision(self) -> int:
        """A number that changes whenever the store's contents change (any process's write)."""
        return int(self.conn.execute("SELECT value FROM meta WHERE key='revision'").fetchone()[0])

    def counts(self) -> dict[str, int]:
        return {t: self.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in COUNTED}
