"""Copy a whole store into an empty one: a desk's SQLite file onto the department's PostgreSQL
server (or back, for a backup a laptop can open). Every table, ids kept, so the audit log, stored
tags and model versions still point at the same rows; one transaction, so a failed copy leaves
the target empty."""
from __future__ import annotations

from collections.abc import Callable

from ..errors import InputError
from .repository import Store

#: Parents before children (foreign keys), then the rest.
TABLES = ("documents", "projects", "evaluations", "problems", "suggestions", "score_items", "declarations",
          "indicators", "annotations", "annotation_log", "model_versions", "problem_tags")
CHUNK = 2000


def copy_store(src: Store, dst: Store, say: Callable[[str], None] | None = None) -> dict[str, int]:
    """Rows copied per table; the target must be empty (a fresh database or file)."""
    if src.schema_version != dst.schema_version:
        raise InputError("两个数据库的版本不同：请先用同一版本的 pbm-nlp 打开它们。",
                         f"the stores have different schema versions ({src.schema_version}, {dst.schema_version}).")
    filled = {t: n for t, n in dst.counts().items() if n}
    if filled:
        raise InputError(f"目标数据库 {dst.path} 不是空的（{filled}），为免混淆请复制到新建的空库。",
                         f"the target store {dst.path} is not empty ({filled}): copy into a new, empty one.")
    copied: dict[str, int] = {}
    with dst.write(bump=False) as c:
        for table in TABLES:
            cur = src.conn.execute(f"SELECT * FROM {table}")
            cols = ", ".join(f'"{d[0]}"' for d in cur.description)
            insert = f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * len(cur.description))})"
            copied[table] = 0
            while rows := cur.fetchmany(CHUNK):
                c.executemany(insert, [tuple(r) for r in rows])
                copied[table] += len(rows)
            if say:
                say(f"{table}: {copied[table]}")
        c.execute("UPDATE meta SET value = ? WHERE key = 'revision'", (src.revision() + 1,))
        dst.backend.reset_ids(c, [t for t in TABLES if t != "problem_tags"])
    return copied
