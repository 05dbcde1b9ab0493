"""`pbm ingest`, `pbm export`, `pbm prepare`: documents into the store and records out."""
from __future__ import annotations

import argparse
import json
import sys

from .. import services
from ..services.schema import IngestRequest
from .io import add_db, log, resources, write_json_lines


def register(sub) -> None:
    p = sub.add_parser("ingest", help="读入文档到数据库 / parse documents into the store",
                       description="Parse .txt (UTF-8/GBK), .docx, .xlsx, .pdf or evaluation-record .jsonl files, "
                                   "or folders of them, into the store. Re-ingesting the same content changes nothing.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    add_db(p)
    p.add_argument("--json", action="store_true", help="print a JSON summary with the counts")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("export", help="导出记录为 JSON Lines / export records as JSON Lines",
                       description="Write one JSON object per line on stdout. Exported evaluations can be "
                                   "ingested again (.jsonl).")
    p.add_argument("--kind", required=True, choices=list(services.ingest.EXPORT_FIELDS))
    add_db(p)
    p.add_argument("--json", action="store_true", help="JSON Lines (the only format; accepted for clarity)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("prepare", help="准备内置语料与模型 / load the bundled corpus, build models if missing",
                       description="Idempotent set-up used by `make app`: ingest corpora/seeds and the real demo "
                                   "corpus, load the annotations, train the tagger if there is none.")
    add_db(p)
    p.set_defaults(func=cmd_prepare)


def cmd_ingest(args: argparse.Namespace) -> int:
    res = resources(args, create_store=True)
    files = services.ingest.expand_paths(args.paths)
    bar = None
    if sys.stderr.isatty() and not args.json:
        from tqdm import tqdm

        bar = tqdm(total=len(files), unit="file", desc="ingest")
    report = services.ingest.ingest(res, IngestRequest(files, progress=(lambda _p: bar.update(1)) if bar else None))
    if bar:
        bar.close()
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        r = report.records
        print(f"{report.files} 个文件 / files: {report.added} 新增 added, {report.unchanged} 未变 unchanged, "
              f"{len(report.errors)} 失败 failed")
        print(f"新增 added: {r['evaluations']} evaluations ({r['problems']} problems, {r['suggestions']} "
              f"suggestions), {r['declarations']} declarations ({r['indicators']} indicators)")
        print(f"数据库 store: {report.db}")
    for err in report.errors:
        log(f"错误 error: {err.zh} / {err.en}")
    if report.stopped:
        n = len(report.not_processed)
        log(f"已停止 stopped: 数据库出错，其余 {n} 个文件未处理，已入库的文件保持不变 / the store failed: the other "
            f"{n} files were not processed; files already stored stay stored.")
    return 1 if report.errors else 0


def cmd_export(args: argparse.Namespace) -> int:
    write_json_lines(services.ingest.export_records(resources(args), args.kind))
    return 0


def cmd_prepare(args: argparse.Namespace) -> int:
    services.setup.prepare(resources(args, create_store=True), log=log)
    return 0
