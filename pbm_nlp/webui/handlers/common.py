"""Helpers every tab's handlers share: escaping, theme names, bounded text, table rows, files."""
from __future__ import annotations

import html
import re
import shutil
import tempfile
import time
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


#: Downloads and charts are written under one folder and removed once this old (Gradio serves its
#: own copy of every file a handler returns, so ours are only needed for a moment).
OUT_ROOT = Path(tempfile.gettempdir()) / "pbm-nlp-out"
OUT_KEEP_SECONDS = 3600


def out_dir(prefix: str, root: Path | None = None, keep: float = OUT_KEEP_SECONDS) -> Path:
    """A fresh private folder for a download or charts; folders older than ``keep`` seconds are
    removed first, so a long-running app does not fill the disk."""
    root = root or OUT_ROOT
    root.mkdir(mode=0o700, exist_ok=True)
    cutoff = time.time() - keep
    for old in root.iterdir():
        try:
            if old.stat().st_mtime < cutoff:
                shutil.rmtree(old) if old.is_dir() else old.unlink()
        except OSError:
            continue  # another process removed it first
    return Path(tempfile.mkdtemp(prefix=f"{prefix}-", dir=root))


def out_file(prefix: str, name: str) -> Path:
    """A fresh file path for a download."""
    return out_dir(prefix) / name
