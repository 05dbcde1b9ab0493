"""Split a numbered section (存在问题, 整改建议 …) into items: heading sentence + elaboration."""
from __future__ import annotations

import re

from ..schema import Item
from .normalize import numbering, reflow, strip_numbering

_SENTENCE_END = re.compile(r"[。！？]")


def split_items(paragraphs: list[str] | str) -> list[Item]:
    """Numbered paragraphs start items; unnumbered ones elaborate the item before them.

    Only the numbering style of the first numbered paragraph splits (so （1） inside a 1、 item
    stays inside it). Text with no numbering at all is one item.
    """
    if isinstance(paragraphs, str):
        paragraphs = reflow(paragraphs.split("\n"))
    paragraphs = [p for p in paragraphs if p.strip()]
    if not paragraphs:
        return []
    style = next((n[0] for p in paragraphs if (n := numbering(p))), None)
    items: list[Item] = []
    preamble: list[str] = []
    for para in paragraphs:
        num = numbering(para)
        if num and num[0] == style:
            heading, rest = _heading_split(strip_numbering(para))
            items.append(Item(number=num[1], heading=heading, body=rest))
        elif items:
            items[-1].body += para
        else:
            preamble.append(para)
    if not items:
        heading, rest = _heading_split("".join(preamble))
        return [Item(number=None, heading=heading, body=rest)]
    return items


def _heading_split(text: str) -> tuple[str, str]:
    """The heading is the first sentence; its closing 。 is dropped (Item.text restores it)."""
    m = _SENTENCE_END.search(text)
    if not m:
        return text.strip(), ""
    return text[: m.start()].strip(), text[m.end():].strip()


_INLINE_NUMBER = re.compile(r"(?:(?<=^)|(?<=[。；;！？\s]))(?=(?:\d{1,2}、|[（(]\d{1,2}[）)]|[①-⑳]|[一二三四五六七八九十]{1,3}、))")


def split_problem_items(text: str) -> list[str]:
    """A 存在问题 paragraph → its items' texts; a single statement stays whole.

    Works on a section with one item per paragraph and on a paragraph pasted as one line
    ("1、…。2、…。").
    """
    text = text.strip()
    if not text:
        return []
    if "\n" in text:
        items = split_items(text)
    else:
        parts = [p for p in _INLINE_NUMBER.split(text) if p.strip()]
        items = split_items(parts) if len(parts) > 1 else []
    if len(items) <= 1:
        return [text]
    return [it.text for it in items]
