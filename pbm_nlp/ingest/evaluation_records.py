"""Evaluation records as JSON Lines: what `pbm export --kind evaluations` writes, read back.

One object per line: ``{"project", "problems": [str], …}`` with optional ``"year", "unit",
"region", "kind", "doc_type", "finder", "suggestions", "source", "title", "amount",
"amount_unit", "score", "grade", "achievements"``. This is how the bundled real demo corpus
(audit findings and evaluation results from many provinces) enters the store with its metadata,
and how one store's evaluations move to another.
"""
from __future__ import annotations

import json
import math
from typing import Any

from ..errors import InputError
from ..schema import Evaluation, Item
from ..text.jsonl import json_lines, loads
from ..text.segment import split_problem_items

#: The source document types a record may name (anything else is stored as evaluation_records).
DOC_TYPES = ("audit", "evaluation_report", "evaluation_result", "self_evaluation", "dept_overall")


def matches(text: str) -> bool:
    """A JSON object per line, the first one an evaluation record (has "project" and "problems")."""
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    if not first.startswith("{"):
        return False
    try:
        obj = loads(first, "第 1 行 / line 1")
    except json.JSONDecodeError:
        return False
    return isinstance(obj, dict) and "project" in obj and isinstance(obj.get("problems"), list)


def _items(values: Any, where: str) -> list[Item]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise InputError(f"{where} 应为文本列表。", f"{where} must be a list of strings.")
    texts: list[str] = []
    for v in values:
        texts += split_problem_items(v)  # "1、…。2、…。" in one string is several items
    return [Item(number=i, heading=t) for i, t in enumerate(texts, start=1)]


def _year(value: Any, where: str) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 1949 <= value <= 2100:
        return value
    raise InputError(f"{where} 的年度 {value!r} 无效（应为 1949–2100 的整数）。",
                     f"{where}: year {value!r} is not a plausible year (an integer 1949–2100).")


def _number(value: Any, where: str, key: str) -> float | None:
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and abs(value) < 1e15:
        return float(value)
    raise InputError(f"{where} 的 {key} 应为数字，收到 {value!r}。", f"{where}: {key} must be a number, got {value!r}.")


def _text(obj: dict[str, Any], key: str) -> str | None:
    v = obj.get(key)
    return str(v).strip() or None if v not in (None, "") else None


def record(obj: Any, where: str) -> Evaluation:
    if not isinstance(obj, dict) or not str(obj.get("project") or "").strip():
        raise InputError(f"{where} 不是评价记录（缺少 project）。", f"{where} is not an evaluation record (no project).")
    doc_type = _text(obj, "doc_type")
    return Evaluation(
        project=str(obj["project"]).strip(), score=_number(obj.get("score"), where, "score"),
        grade=_text(obj, "grade"), amount=_number(obj.get("amount"), where, "amount"),
        amount_unit=_text(obj, "amount_unit"), year=_year(obj.get("year"), where), unit=_text(obj, "unit"),
        achievements=str(obj.get("achievements") or ""), problems=_items(obj.get("problems", []), f"{where} problems"),
        suggestions=_items(obj.get("suggestions") or [], f"{where} suggestions"),
        doc_type=doc_type if doc_type in DOC_TYPES else "evaluation_records",
        source=_text(obj, "source") or "", region=_text(obj, "region"), kind=_text(obj, "kind"),
        finder=_text(obj, "finder"), title=_text(obj, "title") or "",
    )


def parse(text: str, source: str = "") -> list[Evaluation]:
    return [record(obj, f"{source or '输入'} 第 {n} 条") for n, obj in enumerate(json_lines(text, source), start=1)]
