"""`pbm copy-store`: the whole store into an empty one (SQLite → PostgreSQL, or back)."""
from __future__ import annotations

import argparse
import json

from .. import services
from .io import add_db, log, resources


def register(sub) -> None:
    p = sub.add_parser("copy-store", help="复制整个数据库 / copy the whole store into an empty one",
                       description="Copy every table of the store (--db or $PBM_DB) into an empty store, ids kept, "
                                   "in one transaction: e.g. a desk's SQLite file onto the department's PostgreSQL "
                                   "server. Then point PBM_DB at the new store.")
    p.add_argument("--to", required=True, metavar="DEST",
                   help="the empty target: postgresql://user@host:5432/pbm or a new .db file")
    add_db(p)
    p.set_defaults(func=cmd_copy_store)


def cmd_copy_store(args: argparse.Namespace) -> int:
    copied = services.ingest.copy_store(resources(args), args.to, say=log)
    print(json.dumps(copied, ensure_ascii=False))
    return 0
