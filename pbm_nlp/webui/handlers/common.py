"""Helpers every tab's handlers share: escaping, theme names, bounded text, table rows, files."""
from __future__ import annotations

import html
import re
import tempfile
from pathlib import Path
from typing import Any

from ...errors import too_long
from ...resources import Resources


def theme_names() -> dict[str, str]:
    from ...themes.taxonomy import theme_names as names

    return names()


def fmt_themes(ids: list[str], names: dict[str, str]) -> str:
    return "、".join(names.get(t, t) for t in ids) or "（无主题）"


def bounded(res: Resources, text: str | None, what: str) -> str:
    """Pasted text, refused with a clear message when longer than one request should be."""
    text = text or ""
    limit = res.settings.max_text_chars
    if len(text) > limit:
        raise too_long(what, len(text), limit)
    return text


def highlight(text: str, phrases: list[str]) -> str:
    """Escaped text with the evidence phrases marked. A phrase that starts or ends inside a word
    (a character n-gram such as "项目验") is widened to the whole words, so no word is cut."""
    spans = _word_spans(text, phrases)
    out, last = [], 0
    for start, end in spans:
        out.append(html.escape(text[last:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


def _word_spans(text: str, phrases: list[str]) -> list[tuple[int, int]]:
    """Merged (start, end) spans of the phrases in ``text``, widened to word boundaries."""
    from ...text.tokenize import tokenizer

    phrases = sorted({p for p in phrases if p and len(p) >= 2}, key=len, reverse=True)
    if not phrases:
        return []
    bounds = {0, len(text)}
    for _word, start, end in tokenizer().tokenize(text):
        bounds |= {start, end}
    ordered = sorted(bounds)
    spans: list[tuple[int, int]] = []
    for m in re.finditer("|".join(re.escape(p) for p in phrases), text):
        start = max(b for b in ordered if b <= m.start())
        end = min(b for b in ordered if b >= m.end())
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def paths(value: str | list[str] | None) -> list[str]:
    """Uploaded file paths from a single or multiple gr.File."""
    if not value:
        return []
    return [value] if isinstance(value, str) else [str(x) for x in value if x]


def table_rows(table: Any) -> list[list[Any]]:
    """Rows of a gr.Dataframe value (pandas, dict with "data", or a list of lists)."""
    if table is None:
        return []
    if hasattr(table, "values"):
        return [list(r) for r in table.values.tolist()]
    if isinstance(table, dict) and "data" in table:
        return table["data"]
    return [list(r) for r in table]


def out_file(prefix: str, name: str) -> Path:
    """A fresh file path for a download."""
    return Path(tempfile.mkdtemp(prefix=f"pbm-{prefix}-")) / name
