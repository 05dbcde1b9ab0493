"""The parser of `pbm` and its entry point; each command group registers its own sub-commands."""
from __future__ import annotations

import argparse
import importlib
import logging
import os
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
    debug = os.environ.get("PBM_DEBUG", "") not in ("", "0")
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("已中断 / interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - every error ends as a message, never a traceback
        return report_error(exc)


def report_error(exc: Exception) -> int:
    """One clear zh/en message on stderr, never a traceback (PBM_DEBUG=1 logs it); the exit code."""
    if isinstance(exc, PbmError):
        zh, en, code = exc.zh, exc.en, 2
    elif isinstance(exc, OSError):  # a file or folder the command had to read or write
        where, why = exc.filename or "?", exc.strerror or str(exc)
        zh, en, code = (f"无法读写 {where}（{why}）：请检查路径、权限和磁盘空间。",
                        f"cannot read or write {where} ({why}): check the path, permissions and disk space.", 2)
    elif isinstance(exc, MemoryError):
        zh, en, code = "内存不足，请拆分输入后重试。", "out of memory: split the input and try again.", 2
    else:  # a bug: one line, the details on request
        zh = f"内部错误 {type(exc).__name__}：{exc}。请报告此问题；设置 PBM_DEBUG=1 可显示详细信息。"
        en, code = f"internal error {type(exc).__name__}: {exc}. Please report it; PBM_DEBUG=1 shows the details.", 3
    logging.getLogger("pbm_nlp.cli").debug("error", exc_info=exc)
    print(f"错误：{zh}\nerror: {en}", file=sys.stderr)
    return code
