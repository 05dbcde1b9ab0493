"""The parser of `pbm` and its entry point; each command group registers its own sub-commands."""
from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from ..errors import PbmError

DESCRIPTION = """pbm-nlp：预算绩效管理文本工具 / Chinese public-finance performance-management toolkit.

读取申报表与评价结果入库；问题主题标注；指标建议与申报表检查；整改建议；问题挖掘。
Reads declarations and evaluations into the store, tags problem themes, suggests and checks
indicator tables, writes rectification advice and mines recurring problems."""

#: Modules of this package that add sub-commands through ``register(subparsers)``.
COMMAND_MODULES = ("documents", "tagging", "drafting", "mining", "batch", "store")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pbm", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__package__}.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
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
