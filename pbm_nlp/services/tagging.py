"""Tag problem statements with themes (and, when asked, write their rectification advice)."""
from __future__ import annotations

from pathlib import Path

from ..errors import PbmError, empty_input
from ..resources import Resources
from ..text.segment import split_problem_items
from .ingest import parse_document
from .schema import FileError, Tagged, TagRequest


def problems_in_text(text: str) -> list[str]:
    """A pasted 存在问题 paragraph or one statement per line → the statements."""
    text = text.strip()
    if not text:
        raise empty_input("问题文本")
    items = split_problem_items(text)
    if len(items) == 1 and "\n" in text:
        items = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return items


def problems_in_files(paths: list[str | Path]) -> tuple[list[tuple[str, str]], list[FileError]]:
    """(source, statement) pairs from the 存在问题 items of uploaded evaluations, and an error for
    each file that could not be read or holds no problems; one bad file never stops the rest."""
    pairs: list[tuple[str, str]] = []
    errors: list[FileError] = []
    for path in paths:
        name = Path(path).name
        try:
            doc = parse_document(path)
        except PbmError as exc:
            errors.append(FileError(name, exc.zh, exc.en))
            continue
        items = [(f"{name} · {e.project}", p.text) for e in doc.evaluations for p in e.problems]
        if not items:
            from ..ingest.registry import label_of

            errors.append(FileError(name, f"{name} 中没有找到“存在问题”条目（它是{label_of(doc.doc_type)}）。",
                                    f"no 存在问题 items found in {name} (it is a {doc.doc_type})."))
        pairs += items
    return pairs, errors


def tag(res: Resources, request: TagRequest) -> list[Tagged]:
    """Each text tagged; a numbered paragraph is split into items and tagged item by item."""
    if not request.texts:
        raise empty_input("待标注的问题文本")
    tagger = res.tagger
    sources = request.sources or [""] * len(request.texts)
    if request.split_items:
        out = [Tagged.from_model(tagger.tag_paragraph(t, threshold=request.threshold, evidence=request.evidence,
                                                      allow_none=request.allow_none), s)
               for t, s in zip(request.texts, sources)]
    else:
        recs = tagger.tag(list(request.texts), threshold=request.threshold, evidence=request.evidence,
                          allow_none=request.allow_none)
        out = [Tagged.from_model(r, s) for r, s in zip(recs, sources)]
    if request.rectify:
        from ..drafting.rectify.writer import Rectifier

        writer = Rectifier(res.drafting_context())
        for t in out:
            t.rectification = writer.rectify({"problem": t.text}).get("suggestion")
    return out
