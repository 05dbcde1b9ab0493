"""The store: documents and their records, annotations, model versions, stored tags.

SQLite in WAL mode, so that the app can read while a CLI ingests; every write is one transaction,
so a failed ingest leaves nothing half-written. Every write also bumps the store's *revision*:
anything built from the store's contents (the drafting context, the review queue's inputs) keys
its cache on :meth:`Store.revision` and is rebuilt after a relabel, an ingest or an added example.

Only commands that create stores (ingest, prepare) open a missing path with ``create=True``; any
other caller gets a clear error naming the path, so a mistyped ``--db`` never yields an empty store.
Database errors leave the store as :class:`~pbm_nlp.errors.StoreError` naming the path and the cause,
and saying whose fault it is (the disk's: stop the batch; one record's: go on).
"""
from __future__ import annotations

import sqlite3
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

from .. import config
from ..errors import StoreError
from .annotations import AnnotationRecords
from .documents import DocumentRecords
from .migrations import migrate
from .models import ModelRecords
from .tags import ProblemTags

COUNTED = ("documents", "projects", "evaluations", "problems", "suggestions", "declarations", "indicators",
           "annotations", "model_versions")


#: SQLite result codes (``sqlite_errorname`` prefixes) that are one record's fault, not the disk's.
RECORD_FAULTS = ("SQLITE_CONSTRAINT", "SQLITE_TOOBIG", "SQLITE_MISMATCH", "SQLITE_RANGE")
#: The cause of the other codes, as a user can act on it.
CAUSES = {
    "SQLITE_FULL": ("磁盘已满", "the disk is full", "释放磁盘空间后重试"),
    "SQLITE_READONLY": ("数据库只读", "the database is read-only", "检查文件与目录的写权限"),
    "SQLITE_IOERR": ("磁盘读写错误", "a disk I/O error", "检查磁盘空间与磁盘状态"),
    "SQLITE_CORRUPT": ("数据库已损坏", "the database is corrupt", "从备份恢复，或另建数据库后重新导入"),
    "SQLITE_NOTADB": ("不是 SQLite 数据库", "it is not an SQLite database", "检查 --db / PBM_DB 是否指向数据库文件"),
    "SQLITE_CANTOPEN": ("无法打开", "it cannot be opened", "检查路径与权限"),
    "SQLITE_BUSY": ("数据库正被其他进程占用", "another process holds the database", "稍后重试"),
    "SQLITE_LOCKED": ("数据库被锁定", "the database is locked", "稍后重试"),
    "SQLITE_PERM": ("没有访问权限", "permission denied", "检查文件权限"),
}


def storage_error(path: Path, exc: BaseException) -> StoreError:
    """A database or file-system error as a StoreError naming the path and the cause."""
    if isinstance(exc, StoreError):
        return exc
    name = getattr(exc, "sqlite_errorname", "") or ""
    detail = getattr(exc, "strerror", None) or str(exc)
    if any(name.startswith(code) for code in RECORD_FAULTS) or isinstance(exc, sqlite3.DataError):
        return StoreError(f"该记录无法写入数据库 {path}（{detail}）。",
                          f"the record cannot be stored in {path} ({detail}).", disk=False)
    zh, en, todo = next((v for k, v in CAUSES.items() if name.startswith(k)),
                        ("数据库出错", "a database error", "检查数据库文件"))
    return StoreError(f"数据库 {path} 无法使用：{zh}（{detail}）。请{todo}。",
                      f"the store {path} cannot be used: {en} ({name or type(exc).__name__}: {detail}).")


def _connect(path: Path, create: bool) -> sqlite3.Connection:
    """Open ``path``; when not creating, a missing file or a folder is refused before SQLite sees it."""
    if path.is_dir():
        raise StoreError(f"数据库路径 {path} 是一个文件夹，不是数据库文件：请给出 .db 文件的路径。",
                         f"the store path {path} is a folder, not a database file: give the path of a .db file.")
    if not create and not path.exists():
        raise StoreError(f"数据库 {path} 不存在：请检查 --db / PBM_DB 的拼写，或先用 pbm ingest / pbm prepare 建库。",
                         f"no store at {path}: check the spelling of --db / PBM_DB, or create one with "
                         "`pbm ingest` or `pbm prepare`.")
    if create:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise storage_error(path, exc) from exc
        return sqlite3.connect(path, timeout=30, check_same_thread=False)
    uri = "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=rw"
    return sqlite3.connect(uri, uri=True, timeout=30, check_same_thread=False)


class Store(DocumentRecords, AnnotationRecords, ModelRecords, ProblemTags):
    def __init__(self, path: str | Path | None = None, create: bool = True):
        self.path = config.db_path(path)
        try:
            self.conn = _connect(self.path, create)
        except sqlite3.Error as exc:
            raise storage_error(self.path, exc) from exc
        try:
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA busy_timeout=30000")
            self.schema_version = migrate(self.conn)
        except (sqlite3.Error, OSError) as exc:
            self.conn.close()
            raise storage_error(self.path, exc) from exc

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        """Close; a database error raised inside the block leaves as a StoreError naming the path."""
        self.close()
        if isinstance(exc, sqlite3.Error):
            raise storage_error(self.path, exc) from exc

    @contextmanager
    def guarded(self) -> Iterator[None]:
        """Database errors inside the block become a StoreError naming the path and the cause."""
        try:
            yield
        except sqlite3.Error as exc:
            raise storage_error(self.path, exc) from exc

    @contextmanager
    def write(self, bump: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction (committed on success, rolled back on error) that bumps the revision."""
        with self.guarded(), self.conn:
            yield self.conn
            if bump:
                self.conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'revision'")

    def revision(self) -> int:
        """A number that changes whenever the store's contents change (any process's write)."""
        return int(self.conn.execute("SELECT value FROM meta WHERE key='revision'").fetchone()[0])

    def counts(self) -> dict[str, int]:
        return {t: self.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in COUNTED}
