"""The drafting assistant: indicator suggestions, the draft check, rectification advice, exports."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..config import ReadLimits
from ..errors import InputError, PbmError
from ..resources import Resources
from . import validate
from .ingest import parse_document
from .schema import SuggestRequest


def suggest(res: Resources, request: SuggestRequest | dict[str, Any], with_risks: bool = True) -> dict[str, Any]:
    """An indicator table, the project's kind and the risk forecast for a new project (a request,
    or a dict as `pbm suggest` reads it)."""
    from ..drafting.suggest import suggest as run

    if isinstance(request, SuggestRequest):
        with_risks, request = request.with_risks, request.to_dict()
    if not isinstance(request, dict):
        raise InputError(f"项目应为 JSON 对象，收到 {type(request).__name__}。",
                         f"a project must be a JSON object. Got {type(request).__name__} instead.")
    validate.project_fields(request)
    return run(request, res.drafting_context(), with_risks=with_risks)


def lint(res: Resources, declarations: list[dict[str, Any]] | dict[str, Any]) -> list[dict[str, Any]]:
    """Each declaration checked as an evaluator would (declarations checked together, so indicator
    sets reused across them are found too)."""
    from ..drafting.lint import lint as run

    many = declarations if isinstance(declarations, list) else [declarations]
    for k, d in enumerate(many, 1):
        validate.project_fields(d, f"第 {k} 个申报表 / declaration {k}: " if len(many) > 1 else "")
    return run(declarations, res.drafting_context())


def rectify(res: Resources, problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """整改建议 for each {"problem", optional "project", "unit"}."""
    from ..drafting.rectify.writer import Rectifier

    writer = Rectifier(res.drafting_context())
    return [writer.rectify(p) for p in problems]


def declaration_dicts(doc) -> list[dict[str, Any]]:
    """A parsed document's declarations in the shape lint and the drafting form read."""
    from ..schema import to_dict

    return [to_dict(d) | {"kind": d.kind} for d in doc.declarations]


def declarations_in_text(text: str, name: str) -> list[dict[str, Any]]:
    """Declarations given as JSON (one, an array, or JSON Lines), or a 申报表 document's text."""
    from ..drafting.draft import json_objects
    from ..ingest.registry import label_of, parse_text

    try:
        return json_objects(text, name)
    except InputError as json_error:
        try:
            doc = parse_text(text, name)
        except PbmError:
            raise json_error from None
        if not doc.declarations:
            raise InputError(f"{name} 是{label_of(doc.doc_type)}，不是绩效目标申报表：请提供申报表。",
                             f"{name} is a {doc.doc_type}, not a declaration: give a 绩效目标申报表.") from None
        return declaration_dicts(doc)


def declarations_in_file(path: str | Path, limits: ReadLimits | None = None) -> list[dict[str, Any]]:
    """Every 申报表 in an uploaded file; a clear error when it holds none."""
    from ..ingest.registry import label_of

    doc = parse_document(path, limits)
    if not doc.declarations:
        name = Path(path).name
        raise InputError(f"{name} 中没有绩效目标申报表（它是{label_of(doc.doc_type)}）。",
                         f"{name} holds no declaration (it is a {doc.doc_type}).")
    return declaration_dicts(doc)


def export_draft(result: dict[str, Any] | list[dict[str, Any]], path: str | Path) -> Path:
    """A suggestion or lint result as a 申报表-like .xlsx or .docx (by the path's suffix)."""
    from ..drafting.export import write

    return write(result, path)
