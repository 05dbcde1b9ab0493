"""Helpers the document parsers share: labelled fields, amounts, years."""
from __future__ import annotations

import re
from collections.abc import Iterable

from ..text.normalize import clean_line, parse_number, reflow


def labelled_fields(
    lines: Iterable[str], labels: dict[str, str], width: int | None = None
) -> dict[str, list[str]]:
    """Group reflowed paragraphs under the label that starts them; a repeated label is read once.

    ``labels`` maps each label as printed (possibly wrapped, e.g. "项目设立的必要性") to a field
    name. The label may be followed by its value on the same line.
    """
    ordered = sorted(labels, key=len, reverse=True)

    def label_of(text: str) -> str | None:
        return next((lab for lab in ordered if text.startswith(lab)), None)

    fields: dict[str, list[str]] = {}
    current: str | None = None
    skipping = False
    split_lines = list(_split_labels(lines, ordered))
    for para in reflow(split_lines, width=width, is_break=lambda t: label_of(t) is not None):
        lab = label_of(para)
        if lab is not None:
            name = labels[lab]
            skipping = name in fields  # the PDF repeats a section after a page break: keep one
            current = name
            rest = para[len(lab):].lstrip("：: ")
            if not skipping:
                fields[name] = [rest] if rest else []
            continue
        if current is not None and not skipping:
            fields[current].append(para)
    return fields


def amount_with_unit(text: str) -> tuple[float | None, str | None]:
    """'1,374.74万元' → (1374.74, '万元'); '1035000' → (1035000.0, '元')."""
    value = parse_number(text)
    if value is None:
        return None, None
    unit = "万元" if "万元" in text else ("亿元" if "亿元" in text else "元")
    return value, unit


def first_year(text: str) -> int | None:
    m = re.search(r"(20\d{2}|19\d{2})\s*年", text) or re.search(r"\b(20\d{2})[-/.]\d{1,2}", text)
    return int(m.group(1)) if m else None


def cleaned(lines: Iterable[str]) -> list[str]:
    return [c for c in (clean_line(ln) for ln in lines) if c]


def _split_labels(lines: Iterable[str], labels: list[str]) -> Iterable[str]:
    """Put a label and the value printed beside it on separate lines.

    The label sits in its own table column in the PDF; measuring the value's first line
    without it keeps the line-width heuristics of ``reflow`` honest.
    """
    patterns = [(lab, re.compile(r"^\s*" + r"\s*".join(map(re.escape, lab)))) for lab in labels]
    for ln in lines:
        for lab, pat in patterns:
            m = pat.match(ln)
            if m:
                rest = ln[m.end():]
                yield lab
                if rest.strip(" \t：:"):
                    yield rest.lstrip(" \t：:")
                break
        else:
            yield ln
