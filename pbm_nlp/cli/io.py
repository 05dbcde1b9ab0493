"""Reading the command's input (FILE or stdin) and writing JSON Lines, shared by every command."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..errors import empty_input, too_large
from ..resources import Resources


def add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", help="数据库路径 / database path (default: corpora/pbm.db or $PBM_DB)")


def add_file(p: argparse.ArgumentParser, optional: bool = False) -> None:
    if optional:
        p.add_argument("file", nargs="?", metavar="FILE|-", help="input file, or - for stdin")
    else:
        p.add_argument("file", nargs="?", default="-", metavar="FILE|-", help="input file, or - for stdin (default)")


def resources(args: argparse.Namespace, create_store: bool = False) -> Resources:
    """The command's resources, from the environment and --db. Only the commands that create stores
    (ingest, prepare) pass ``create_store``: for any other, a missing --db is an error, not a new
    empty database."""
    res = Resources.from_env(db=getattr(args, "db", None), create_store=create_store)
    if getattr(args, "db", None) and not create_store:
        res.store().close()  # a --db the user named must be a store now, whether or not the command reads it
    return res


def read_input(file: str, res: Resources) -> tuple[str, str]:
    """Text from FILE or stdin, decoded (UTF-8 or GBK); binary or oversized input is refused.
    JSON Lines files are read as text (the document readers parse the rest)."""
    from ..ingest.readers import decode_text, read_path

    limit = res.settings.max_file_bytes
    if file == "-":
        data = sys.stdin.buffer.read(limit + 1)
        if len(data) > limit:
            raise too_large("标准输入 stdin", len(data), limit)
        if not data.strip():
            raise empty_input("标准输入")
        return decode_text(data, "stdin").text, "stdin"
    return read_path(Path(file)).text, file


def write_json_lines(rows: list[dict[str, Any]]) -> None:
    out = sys.stdout
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


def log(msg: str) -> None:
    print(msg, file=sys.stderr)
