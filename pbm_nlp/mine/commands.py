"""CLI sub-commands of issue mining (`pbm mine`): registered by pbm_nlp.cli."""
from __future__ import annotations

import argparse
import json
import sys


def register(sub) -> None:
    """Add this package's sub-commands to the `pbm` parser."""
    p = sub.add_parser(
        "mine", help="问题挖掘：聚类、趋势、复制文本 / mine recurring problems, trends, copied text",
        description="Cluster problem statements into recurring problems (automatic number of clusters), "
                    "count themes by year, project kind and unit, and find text copied across projects. "
                    "Input: the problems in the store (default), or JSON Lines {\"text\", optional \"project\", "
                    "\"year\", \"unit\", \"kind\", \"evaluation\"} from FILE or stdin (-).")
    p.add_argument("file", nargs="?", metavar="FILE|-", help="JSON Lines input; omit to mine the store's problems")
    p.add_argument("--db", help="SQLite 数据库路径 / database path (default: corpora/pbm.db or $PBM_DB)")
    p.add_argument("--corpus", action="store_true",
                   help="with the store: also mine the labelled training statements (corpora/annotations)")
    p.add_argument("--json", action="store_true", help="print the result as one JSON document")
    p.add_argument("--report", metavar="DIR", help="write PNG charts, summary.md and mine.json to DIR")
    p.add_argument("--examples", action="store_true", help="table: show each cluster's representative statements")
    p.add_argument("--similarity", type=float, default=None,
                   help="least average similarity within a cluster (default 0.25, or 0.1 with --no-themes; "
                        "higher = tighter clusters)")
    p.add_argument("--min-size", type=int, default=None,
                   help="smallest cluster; smaller groups are reported as unclustered (default grows with input)")
    p.add_argument("--no-themes", action="store_true",
                   help="do not use the theme tagger (clusters from text alone; no theme aggregates)")
    p.set_defaults(func=cmd_mine)


JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")


def _read(file: str) -> tuple[str, str]:
    """FILE or stdin as text; JSON Lines files (which the document readers do not take) directly."""
    from pathlib import Path

    from ..cli import _read_input

    path = Path(file)
    if file != "-" and path.suffix.lower() in JSONL_SUFFIXES and path.is_file():
        from .. import config
        from ..errors import too_large
        from ..ingest.readers import decode_text

        if path.stat().st_size > config.MAX_FILE_BYTES:
            raise too_large(path.name, path.stat().st_size, config.MAX_FILE_BYTES)
        return decode_text(path.read_bytes(), path.name).text, path.name
    return _read_input(file)


def _statements(args: argparse.Namespace):
    from .records import from_store, parse_lines

    if args.file:
        text, source = _read(args.file)
        return parse_lines(text, source)
    from ..store import Store

    with Store(args.db) as store:
        if args.corpus:
            from ..pipeline import load_annotations

            load_annotations(store)
        return from_store(store, corpus=args.corpus)


def cmd_mine(args: argparse.Namespace) -> int:
    from .miner import MinerConfig, mine

    cfg = MinerConfig(**{k: v for k, v in (("min_similarity", args.similarity),
                                           ("min_cluster_size", args.min_size)) if v is not None})
    from ..errors import ModelNotTrained

    statements = _statements(args)
    try:
        result = mine(statements, use_themes=not args.no_themes, config=cfg,
                      log=lambda m: print(m, file=sys.stderr))
    except ModelNotTrained as exc:
        raise ModelNotTrained(exc.zh + " 或加 --no-themes 只按文本聚类。",
                              exc.en + " Or pass --no-themes to cluster on text alone.") from exc
    if args.report:
        from .report import write_report

        for path in write_report(result, args.report):
            print(f"已写入 wrote {path}", file=sys.stderr)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
    else:
        from .report import format_table

        print(format_table(result, examples=args.examples))
    return 0
