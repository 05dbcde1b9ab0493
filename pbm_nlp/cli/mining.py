"""`pbm mine`: recurring problems, theme trends, copied text."""
from __future__ import annotations

import argparse
import json

from .. import services
from ..services.schema import MineRequest
from .io import add_db, add_file, log, read_input, resources


def register(sub) -> None:
    p = sub.add_parser(
        "mine", help="问题挖掘：聚类、趋势、复制文本 / mine recurring problems, trends, copied text",
        description="Cluster problem statements into recurring problems (automatic number of clusters), "
                    "count themes by year, project kind and unit, and find text copied across projects. "
                    "Input: the problems in the store (default), or JSON Lines {\"text\", optional \"project\", "
                    "\"year\", \"unit\", \"kind\", \"region\", \"finder\", \"source\", \"evaluation\"} from "
                    "FILE or stdin (-).")
    add_file(p, optional=True)
    add_db(p)
    p.add_argument("--corpus", action="store_true",
                   help="with the store: also mine the labelled training statements (corpora/annotations)")
    p.add_argument("--json", action="store_true", help="print the result as one JSON document")
    p.add_argument("--report", metavar="DIR", help="write PNG charts, summary.md and mine.json to DIR")
    p.add_argument("--examples", action="store_true",
                   help="table: show each cluster's representative statements, and why leftovers stayed out")
    p.add_argument("--drilldown", metavar="XLSX",
                   help="write the drill-down (each recurring problem: the evaluations, units and years it "
                        "appears in, with the source) to an .xlsx file")
    p.add_argument("--recurring", type=int, default=2, metavar="N",
                   help="drill-down: only problems found in at least N evaluations (default 2)")
    p.add_argument("--similarity", type=float, default=None,
                   help="least average similarity within a cluster (default 0.25, or 0.1 with --no-themes; "
                        "higher = tighter clusters)")
    p.add_argument("--min-size", type=int, default=None,
                   help="smallest cluster; smaller groups are reported as unclustered (default grows with input)")
    p.add_argument("--no-themes", action="store_true",
                   help="do not use the theme tagger (clusters from text alone; no theme aggregates)")
    p.set_defaults(func=cmd_mine)


def cmd_mine(args: argparse.Namespace) -> int:
    res = resources(args)
    statements = None
    if args.file:
        from ..mine.records import parse_lines

        text, source = read_input(args.file, res)
        statements = parse_lines(text, source)
    elif args.corpus:
        services.ingest.load_annotations(res)
    result = services.mining.mine(res, MineRequest(
        statements=statements, include_corpus=args.corpus, use_themes=not args.no_themes,
        min_similarity=args.similarity, min_cluster_size=args.min_size, log=log))
    if args.drilldown:
        from ..mine.drilldown import write_drilldown

        log(f"已写入 wrote {write_drilldown(result, args.drilldown, min_evaluations=args.recurring)}")
    if args.report:
        from ..mine.report import write_report

        for path in write_report(result, args.report):
            log(f"已写入 wrote {path}")
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
    else:
        from ..mine.report import format_table

        print(format_table(result, examples=args.examples))
    return 0
