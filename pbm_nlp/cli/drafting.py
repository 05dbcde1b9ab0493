"""`pbm suggest`, `pbm lint`, `pbm rectify`: the drafting assistant."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from .. import services
from ..errors import InputError
from .io import add_db, add_file, log, read_input, resources, write_json_lines


def _common(p: argparse.ArgumentParser, exports: bool = True) -> None:
    add_file(p)
    add_db(p)
    if exports:
        p.add_argument("--xlsx", metavar="PATH", help="also write the table as an Excel 申报表")
        p.add_argument("--docx", metavar="PATH", help="also write the table as a Word 申报表")


def register(sub) -> None:
    p = sub.add_parser(
        "suggest", help="为新项目推荐绩效指标 / suggest an indicator table for a new project",
        description="Input JSON {\"project\", \"overview\", optional \"kind\", \"year\", \"budget\" (元), "
                    "\"annual_goal\"}. Output JSON {\"kind\", \"kind_confidence\", \"indicators\": [{level1, level2, "
                    "name, target, basis, reason, sources}], \"risks\": [...]}.")
    _common(p)
    p.add_argument("--no-risks", action="store_true", help="skip the risk forecast")
    p.set_defaults(func=cmd_suggest)

    p = sub.add_parser(
        "lint", help="检查绩效目标申报表 / check declarations the way an evaluator would",
        description="Input: one declaration as JSON, a JSON array, or JSON Lines, in the schema of `pbm export "
                    "--kind declarations` (only project and indicators are required); a 申报表 file (.txt/.docx/"
                    ".xlsx/.pdf) is parsed first. Output: one JSON object per declaration per line {project, "
                    "findings: [{rule, severity, indicator, message, fix, theme}]}.")
    _common(p)
    p.add_argument("--fail-on-error", action="store_true", help="exit with code 1 when any finding is an error")
    p.set_defaults(func=cmd_lint)

    p = sub.add_parser(
        "rectify", help="撰写整改建议 / write rectification advice for evaluation problems",
        description="Input JSON {\"problem\", optional \"project\", \"unit\" (the evaluated or audited unit: the advice "
                    "is addressed to it), \"finder\"}, or JSON Lines of several. Output "
                    "JSON {themes, suggestion, sources, items}; a numbered 存在问题 paragraph gets numbered "
                    "suggestions, one per problem.")
    _common(p, exports=False)
    p.set_defaults(func=cmd_rectify)


def _export(args: argparse.Namespace, result: Any) -> None:
    for path in (getattr(args, "xlsx", None), getattr(args, "docx", None)):
        if path:
            services.drafting.export_draft(result, path)
            log(f"已导出 written: {path}")


def cmd_suggest(args: argparse.Namespace) -> int:
    from ..drafting.draft import json_objects

    res = resources(args)
    text, name = read_input(args.file, res)
    objs = json_objects(text, name)
    if len(objs) != 1:
        raise InputError(f"{name} 应只含一个项目（收到 {len(objs)} 个）：请每次推荐一个项目。",
                         f"{name} must hold one project (got {len(objs)}): suggest one project at a time.")
    result = services.drafting.suggest(res, objs[0], with_risks=not args.no_risks)
    sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    _export(args, objs[0] | result)  # the form holds what the drafter gave too (overview, budget, year)
    return 0


def cmd_lint(args: argparse.Namespace) -> int:
    res = resources(args)
    text, name = read_input(args.file, res)
    reports = services.drafting.lint(res, services.drafting.declarations_in_text(text, name))
    write_json_lines([{k: v for k, v in r.items() if k != "indicators"} for r in reports])
    _export(args, reports)
    failed = any(f["severity"] == "error" for r in reports for f in r["findings"])
    return 1 if args.fail_on_error and failed else 0


def cmd_rectify(args: argparse.Namespace) -> int:
    from ..drafting.draft import json_objects

    res = resources(args)
    text, name = read_input(args.file, res)
    write_json_lines(services.drafting.rectify(res, json_objects(text, name)))
    return 0
