"""CLI sub-commands of the drafting assistant (suggest, lint, rectify): registered by pbm_nlp.cli."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..errors import InputError
from .draft import json_objects


def _add_common(p: argparse.ArgumentParser, exports: bool = True) -> None:
    p.add_argument("file", nargs="?", default="-", metavar="FILE|-", help="input file, or - for stdin (default)")
    p.add_argument("--db", help="SQLite 数据库路径 / database path (default: corpora/pbm.db or $PBM_DB)")
    if exports:
        p.add_argument("--xlsx", metavar="PATH", help="also write the table as an Excel 申报表")
        p.add_argument("--docx", metavar="PATH", help="also write the table as a Word 申报表")


def register(sub) -> None:
    """Add this package's sub-commands to the `pbm` parser."""
    p = sub.add_parser(
        "suggest", help="为新项目推荐绩效指标 / suggest an indicator table for a new project",
        description="Input JSON {\"project\", \"overview\", optional \"kind\", \"year\", \"budget\" (元), "
                    "\"annual_goal\"}. Output JSON {\"kind\", \"kind_confidence\", \"indicators\": [{level1, level2, "
                    "name, target, basis, reason, sources}], \"risks\": [...]}.")
    _add_common(p)
    p.add_argument("--no-risks", action="store_true", help="skip the risk forecast")
    p.set_defaults(func=cmd_suggest)

    p = sub.add_parser(
        "lint", help="检查绩效目标申报表 / check declarations the way an evaluator would",
        description="Input: one declaration as JSON, a JSON array, or JSON Lines, in the schema of `pbm export "
                    "--kind declarations` (only project and indicators are required); a 申报表 file (.txt/.docx/"
                    ".xlsx/.pdf) is parsed first. Output: one JSON object per declaration per line {project, "
                    "findings: [{rule, severity, indicator, message, fix, theme}]}.")
    _add_common(p)
    p.add_argument("--fail-on-error", action="store_true", help="exit with code 1 when any finding is an error")
    p.set_defaults(func=cmd_lint)

    p = sub.add_parser(
        "rectify", help="撰写整改建议 / write rectification advice for evaluation problems",
        description="Input JSON {\"problem\", optional \"project\", \"unit\"}, or JSON Lines of several. Output "
                    "JSON {themes, suggestion, sources, items}; a numbered 存在问题 paragraph gets numbered "
                    "suggestions, one per problem.")
    _add_common(p, exports=False)
    p.set_defaults(func=cmd_rectify)


def _context(args: argparse.Namespace):
    from .context import drafting_context

    return drafting_context(args.db)


def _export(args: argparse.Namespace, result: Any) -> None:
    from .export import write_docx, write_xlsx

    for path, writer in ((getattr(args, "xlsx", None), write_xlsx), (getattr(args, "docx", None), write_docx)):
        if path:
            writer(result, path)
            print(f"已导出 written: {path}", file=sys.stderr)


def cmd_suggest(args: argparse.Namespace) -> int:
    from ..cli import _read_input
    from .suggest import suggest

    text, name = _read_input(args.file)
    objs = json_objects(text, name)
    if len(objs) != 1:
        raise InputError(f"{name} 应只含一个项目（收到 {len(objs)} 个）：请每次推荐一个项目。",
                         f"{name} must hold one project (got {len(objs)}): suggest one project at a time.")
    result = suggest(objs[0], _context(args), with_risks=not args.no_risks)
    sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    _export(args, result)
    return 0


def _declarations(text: str, name: str) -> list[Any]:
    """JSON declarations, or a 申报表 document parsed by the ingest parsers."""
    try:
        return json_objects(text, name)
    except InputError as json_error:
        from ..errors import PbmError
        from ..ingest.registry import parse_text
        from ..schema import to_dict

        try:
            doc = parse_text(text, name)
        except PbmError:
            raise json_error from None
        if not doc.declarations:
            raise InputError(f"{name} 是评价文档而不是申报表：pbm lint 检查的是绩效目标申报表。",
                             f"{name} is an evaluation, not a declaration: pbm lint checks 绩效目标申报表.")
        out = []
        for d in doc.declarations:
            rec = to_dict(d)
            rec["kind"] = d.kind
            out.append(rec)
        return out


def cmd_lint(args: argparse.Namespace) -> int:
    from ..cli import _read_input
    from .lint import lint

    text, name = _read_input(args.file)
    reports = lint(_declarations(text, name), _context(args))
    for r in reports:
        sys.stdout.write(json.dumps({k: v for k, v in r.items() if k != "indicators"}, ensure_ascii=False) + "\n")
    _export(args, reports)
    failed = any(f["severity"] == "error" for r in reports for f in r["findings"])
    return 1 if args.fail_on_error and failed else 0


def cmd_rectify(args: argparse.Namespace) -> int:
    from ..cli import _read_input
    from .rectify.writer import Rectifier

    text, name = _read_input(args.file)
    objs = json_objects(text, name)
    writer = Rectifier(_context(args))
    for obj in objs:
        sys.stdout.write(json.dumps(writer.rectify(obj), ensure_ascii=False) + "\n")
    return 0
