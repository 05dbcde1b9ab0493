"""Which parser reads which document: detection by content, one entry per document family."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..config import ReadLimits
from ..errors import UnrecognisedDocument, empty_input
from ..schema import ParsedDocument
from . import (
    declaration_export,
    declaration_form,
    declaration_table,
    evaluation_records,
    evaluation_report,
    evaluation_result,
)
from .guard import TimeBudget
from .readers import RawText, read_path


@dataclass(frozen=True)
class Family:
    doc_type: str
    label: str
    matches: Callable[[str], bool]
    parse: Callable[..., list]
    kind: str  # "evaluation" or "declaration"


#: Order matters: the more specific signatures come first.
FAMILIES = (
    Family("evaluation_records", "评价记录（JSON Lines）", evaluation_records.matches, evaluation_records.parse,
           "evaluation"),
    Family("declaration_export", "绩效目标申报表（起草助手导出）", declaration_export.matches, declaration_export.parse,
           "declaration"),
    Family("evaluation_result", "绩效评价结果信息表", evaluation_result.matches, evaluation_result.parse, "evaluation"),
    Family("declaration_table", "绩效目标申报表（表格式）", declaration_table.matches, declaration_table.parse, "declaration"),
    Family("evaluation_report", "绩效评价报告", evaluation_report.matches, evaluation_report.parse, "evaluation"),
    Family("declaration_form", "绩效目标申报表", declaration_form.matches, declaration_form.parse, "declaration"),
)
EXPECTED = "、".join(f.label for f in FAMILIES)


def detect_type(text: str) -> Family | None:
    return next((f for f in FAMILIES if f.matches(text)), None)


def parse_text(text: str, name: str = "输入文本", text_hash: str | None = None) -> ParsedDocument:
    if not text.strip():
        raise empty_input(f"{name} 的内容")
    raw = RawText(name, text, "text")
    family = detect_type(text)
    if family is None:
        raise UnrecognisedDocument(
            f"{name} 不是可识别的文档：应为 {EXPECTED} 之一，实际内容开头为“{_preview(text)}”。",
            f"{name} is not a recognised document: expected one of {EXPECTED}; "
            f"it starts with “{_preview(text)}”.",
        )
    records = family.parse(text, source=name)
    if not records:
        raise UnrecognisedDocument(
            f"{name} 看起来是{family.label}，但没有读出任何记录，请检查文件是否完整。",
            f"{name} looks like a {family.doc_type} but yielded no records: check the file is complete.",
        )
    doc = ParsedDocument(path=name, doc_type=family.doc_type, text_hash=text_hash or raw.hash)
    if family.kind == "evaluation":
        doc.evaluations = records
    else:
        doc.declarations = records
    return doc


def parse_file(path: str | Path, limits: ReadLimits | None = None) -> ParsedDocument:
    """Read and parse one file within ``limits`` (sizes, pages, and one time budget for both)."""
    limits = limits or ReadLimits.from_env()
    name = str(Path(path).name)
    with TimeBudget(limits.seconds, name):
        raw = read_path(path, limits)
        return parse_text(raw.text, name=name, text_hash=raw.hash)


def _preview(text: str, n: int = 40) -> str:
    flat = " ".join(text.split())
    return flat[:n] + ("…" if len(flat) > n else "")


def label_of(doc_type: str) -> str:
    """The Chinese name of a document type, as users read it (绩效评价结果信息表, …)."""
    return next((f.label for f in FAMILIES if f.doc_type == doc_type), doc_type)
