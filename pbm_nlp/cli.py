"""The `pbm` command: argument parsing only; the work lives in pipeline and the packages."""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from .errors import PbmError

DESCRIPTION = """pbm-nlp：预算绩效管理文本工具 / Chinese public-finance performance-management toolkit.

读取绩效目标申报表与绩效评价结果，存入 SQLite，导出为 JSON Lines。
Reads performance-goal declarations and evaluation results into SQLite and exports them."""


def _add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", help="SQLite 数据库路径 / database path (default: corpora/pbm.db or $PBM_DB)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pbm", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("ingest", help="读入文档到数据库 / parse documents into the store",
                       description="Parse .txt (UTF-8/GBK), .docx, .xlsx or .pdf files, or folders of them, "
                                   "into the store. Re-ingesting the same content changes nothing.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    _add_db(p)
    p.add_argument("--json", action="store_true", help="print a JSON summary with the counts")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("export", help="导出记录为 JSON Lines / export records as JSON Lines",
                       description="Write one JSON object per line on stdout.")
    p.add_argument("--kind", required=True, choices=["declarations", "evaluations", "problems"])
    _add_db(p)
    p.add_argument("--json", action="store_true", help="JSON Lines (the only format; accepted for clarity)")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("prepare", help="准备内置语料与模型 / load the bundled corpus, build models if missing",
                       description="Idempotent set-up used by `make app`: ingest corpora/seeds into the store.")
    _add_db(p)
    p.set_defaults(func=cmd_prepare)
    return parser


def cmd_prepare(args: argparse.Namespace) -> int:
    from .pipeline import prepare
    from .store import Store

    with Store(args.db) as store:
        prepare(store, log=lambda msg: print(msg, file=sys.stderr))
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from .pipeline import expand_paths, ingest_paths
    from .store import Store

    with Store(args.db) as store:
        files = expand_paths(args.paths)
        bar = None
        if sys.stderr.isatty() and not args.json:
            from tqdm import tqdm

            bar = tqdm(total=len(files), unit="file", desc="ingest")
        report = ingest_paths(files, store, progress=(lambda _p: bar.update(1)) if bar else None)
        if bar:
            bar.close()
        summary = report.as_dict(store)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        r = report.records
        print(f"{report.files} 个文件 / files: {report.added} 新增 added, {report.unchanged} 未变 unchanged, "
              f"{len(report.errors)} 失败 failed")
        print(f"新增 added: {r['evaluations']} evaluations ({r['problems']} problems, {r['suggestions']} "
              f"suggestions), {r['declarations']} declarations ({r['indicators']} indicators)")
        print(f"数据库 store: {summary['db']}")
    for err in report.errors:
        print(f"错误 error: {err['错误']} / {err['error']}", file=sys.stderr)
    return 1 if report.errors else 0


def cmd_export(args: argparse.Namespace) -> int:
    from .store import Store

    with Store(args.db) as store:
        if args.kind == "declarations":
            rows = [{k: d[k] for k in ("project", "year", "kind", "unit", "overview", "annual_goal", "budget",
                                       "indicators", "source")} for d in store.declarations()]
        elif args.kind == "evaluations":
            rows = [{k: e[k] for k in ("project", "year", "unit", "amount", "amount_unit", "score", "grade",
                                       "achievements", "problems", "suggestions", "source")}
                    for e in store.evaluations()]
        else:
            rows = [{k: p[k] for k in ("text", "heading", "number", "project", "year", "unit", "source")}
                    for p in store.problems()]
    out = sys.stdout
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except PbmError as exc:
        print(f"错误：{exc.zh}\nerror: {exc.en}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断 / interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
