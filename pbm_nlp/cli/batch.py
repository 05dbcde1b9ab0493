"""`pbm batch`: folders of documents → Parquet tables, in this process or on a Ray cluster."""
from __future__ import annotations

import argparse
import json

from ..batch import ENGINES, BatchRequest, run_batch
from .io import add_db, log, resources

EPILOG = """输出 output (OUT/<table>/part-*.parquet, one Parquet dataset per table):
  files      one row per input file: status ok|partial|error|duplicate, error_zh/error_en, doc_hash, timings
  records    one row per evaluation or declaration (payload: the full record as JSON)
  problems   one row per problem statement: themes, top_theme, top_score, scores {theme: probability}
  findings   one row per lint finding of a declaration: rule, severity, indicator, message, fix
  manifest.json  the last run: plan, throughput, where the time went, peak memory

Running the same command again resumes: committed files are skipped (by content hash), a crashed
run's partial output is removed and its files processed again. Exit code 1 if any file failed."""


def register(sub) -> None:
    p = sub.add_parser("batch", help="批量处理文档为 Parquet / batch-process folders of documents into Parquet",
                       description="Parse, split problems, tag themes and lint declarations for every document "
                                   "in PATH (files or folders, recursively), writing Parquet tables to --out. "
                                   "Resumable; runs in this process or on a Ray cluster.",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder (created; reused to resume)")
    p.add_argument("--engine", choices=ENGINES, default="local",
                   help="local: this process (default); ray: a Ray Data job (pip install 'pbm-nlp[scale]')")
    p.add_argument("--address", metavar="ADDR",
                   help="Ray cluster address (host:6379 or auto); default $RAY_ADDRESS, else a local Ray")
    p.add_argument("--workers", type=int, metavar="N", help="Ray workers, one CPU each (default: all the cluster's CPUs)")
    p.add_argument("--batch-size", type=int, default=32, metavar="N", help="files per batch (default 32)")
    p.add_argument("--no-lint", action="store_true", help="do not lint declarations")
    p.add_argument("--allow-none", action="store_true",
                   help="a statement may get no theme (default: each 存在问题 item gets its likeliest theme at least)")
    p.add_argument("--store", action="store_true", help="also add the documents to the store (--db or $PBM_DB)")
    add_db(p)
    p.add_argument("--json", action="store_true", help="print the manifest as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    p.set_defaults(func=cmd_batch)


def cmd_batch(args: argparse.Namespace) -> int:
    request = BatchRequest(args.paths, args.out, engine=args.engine, address=args.address, workers=args.workers,
                           batch_size=args.batch_size, lint=not args.no_lint, store=args.store,
                           allow_none=args.allow_none,
                           say=None if args.quiet else log)
    manifest = run_batch(resources(args, create_store=args.store), request)
    if args.json:
        print(json.dumps(manifest, ensure_ascii=False, indent=2))
    else:
        from ..batch.job import summary_lines

        print("\n".join(summary_lines(manifest)))
    for err in manifest["run"]["failed"]:
        log(f"错误 error: {err['path']}: {err['error_zh']} / {err['error_en']}")
    return 1 if manifest["run"]["errors"] else 0
