"""The SQLite back end: one file, WAL mode (the app reads while a CLI ingests), the schema version
in ``PRAGMA user_version``. Errors name the path, the cause and whose fault it is (the disk's: stop
the batch; one record's: go on)."""
from __future__ import annotations

import sqlite3
import urllib.parse
from pathlib import Path

from ..errors import StoreError

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


class SQLiteBackend:
    name = "sqlite"
    errors: tuple[type[BaseException], ...] = (sqlite3.Error, OSError)

    def __init__(self, path: Path, create: bool = True):
        self.location = path
        self.create = create

    def connect(self) -> sqlite3.Connection:
        try:
            conn = _connect(self.location, self.create)
        except sqlite3.Error as exc:
            raise storage_error(self.location, exc) from exc
        try:
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=30000")
        except sqlite3.Error as exc:
            conn.close()
            raise storage_error(self.location, exc) from exc
        return conn

    def transaction(self, conn: sqlite3.Connection) -> sqlite3.Connection:
        return conn  # sqlite3's connection context manager commits or rolls back

    def schema_version(self, conn: sqlite3.Connection) -> int:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])

    def apply(self, conn: sqlite3.Connection, script: str, version: int) -> bool:
        with conn:
            conn.executescript("BEGIN;" + script + f"; PRAGMA user_version = {version}; COMMIT;")
        return True

    def error(self, exc: BaseException) -> StoreError:
        return storage_error(self.location, exc)

    def reset_ids(self, conn: sqlite3.Connection, tables) -> None:
        return None  # an INTEGER PRIMARY KEY continues after the largest id by itself
