"""What the store needs from a database, and which back end a location names.

Two back ends behind one interface: SQLite (the default: one file, embedded, nothing to run) and
PostgreSQL (``PBM_DB=postgresql://user:password@host:5432/pbm``, psycopg 3: a shared server for a
department whose evaluators edit labels at the same time and whose batch workers run on other
machines). The store's SQL is written once, in the dialect both accept (``?`` placeholders,
``ON CONFLICT``, ``RETURNING``); the PostgreSQL connection translates the few differences, and the
same migrations build both schemas.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol

from ..errors import StoreError

URL_SCHEMES = ("postgresql://", "postgres://")


class Cursor(Protocol):
    rowcount: int
    description: Any

    def fetchone(self) -> Any: ...

    def fetchmany(self, size: int) -> list[Any]: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """A DB-API connection as the store uses it: rows index by position and by column name."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor: ...

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> Cursor: ...

    def close(self) -> None: ...


class Backend(Protocol):
    #: "sqlite" or "postgresql"
    name: str
    #: Where the store is, as shown to users (a path, or a URL without its password).
    location: Path | str
    #: The database driver's exception classes (translated to StoreError by :meth:`error`).
    errors: tuple[type[BaseException], ...]

    def connect(self) -> Connection: ...

    def transaction(self, conn: Connection) -> AbstractContextManager[Any]:
        """Commit on success, roll back on error."""

    def schema_version(self, conn: Connection) -> int: ...

    def apply(self, conn: Connection, script: str, version: int) -> bool:
        """Run one migration step and record ``version``, in one transaction; False if another
        process applied it first."""

    def error(self, exc: BaseException) -> StoreError: ...

    def reset_ids(self, conn: Connection, tables: Sequence[str]) -> None:
        """After rows were inserted with explicit ids (a copied store), new rows continue after them."""


def is_url(location: object) -> bool:
    return str(location).startswith(URL_SCHEMES)


def open_backend(location: str | Path, create: bool) -> Backend:
    """The back end for a store location: a PostgreSQL URL, or an SQLite file path."""
    if is_url(location):
        from .postgres import PostgresBackend

        return PostgresBackend(str(location))
    from .sqlite import SQLiteBackend

    return SQLiteBackend(Path(location), create)
