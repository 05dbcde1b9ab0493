"""Split a numbered section (存在问题, 整改建议 …) into items: heading sentence + elaboration.

Evaluation reports number their items in many ways — 1、 1. （1） (1) ① 一、 （一） 一是 其一 第一 —
one item per paragraph or several on one line ("（一）…。（二）…。"). One splitter serves the
parsers, tagging, `pbm tag` and rectification, so an item reads the same everywhere: its text
without its number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..schema import Item
from .normalize import han_to_int, reflow

_HAN = "[一二三四五六七八九十]{1,3}"
#: Every item marker. The 一是/其一/第一 family counts only as a sequence (see ``_CLAUSE_STYLES``).
_MARKER = re.compile(
    r"(?P<arabic>\d{1,2})\s*(?:、|[．.](?![\d.%]))"
    r"|[（(]\s*(?P<paren>\d{1,2})\s*[）)]"
    r"|(?P<circled>[①-⑳])"
    rf"|[（(](?P<hanparen>{_HAN})[）)]"
    rf"|(?P<han>{_HAN})\s*、"
    rf"|(?P<shi>{_HAN})是(?![否非])"
    rf"|其(?P<qi>{_HAN})[，,、：:]"
    rf"|第(?P<di>{_HAN})[，,、：:]"
)
_STYLES = ("arabic", "paren", "circled", "hanparen", "han", "shi", "qi", "di")
#: Styles that number clauses inside a sentence ("原因一是…，二是…"): the first must open the text
#: or follow a sentence end or a colon, the later ones a clause end.
_CLAUSE_STYLES = ("shi", "qi", "di")
#: What may stand right before a marker (and before the first of a clause style): the start, a line
#: break, a sentence or clause end, a colon. Later clause markers may also follow a comma.
_BOUNDARY = "\n。；;！？!?：:"
_CLAUSE_NEXT = "\n。；;！？!?，,"
_SENTENCE_END = re.compile(r"[。！？]")
#: A lead-in before the first item that is not itself a statement ("存在以下问题：", "存在问题"):
#: short, or one clause that ends in a colon.
_LEAD_IN = re.compile(r"^[^。！？]*[：:]\s*$|^.{0,12}$")


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    style: str
    number: int


def _marks(text: str) -> list[_Mark]:
    """Markers that stand at a boundary (not "第3、4条" or "2.5万元" inside a sentence)."""
    out = []
    for m in _MARKER.finditer(text):
        style = next(s for s in _STYLES if m.group(s))
        before = text[m.start() - 1] if m.start() else "\n"
        if before in " \t":
            before = text[:m.start()].rstrip(" \t")[-1:] or "\n"
        allowed = _BOUNDARY if style not in _CLAUSE_STYLES else _CLAUSE_NEXT + _BOUNDARY
        if before not in allowed:
            continue
        value = m.group(style)
        number = ord(value) - ord("①") + 1 if style == "circled" else (
            int(value) if value.isdigit() else han_to_int(value))
        out.append(_Mark(m.start(), m.end(), style, number))
    return out


def _top_marks(text: str, marks: list[_Mark]) -> list[_Mark]:
    """The markers of the outermost numbering: the style of the first marker, numbered 1, 2, 3 …
    in order (a paragraph may start at another number: an excerpt of a longer list)."""
    first = next((m for m in marks if m.style not in _CLAUSE_STYLES or _opens(text, m)), None)
    if first is None:
        return []
    chosen = [first]
    for m in marks:
        if m.start <= first.start or m.style != first.style:
            continue
        line_start = m.start == 0 or text[m.start - 1] == "\n"
        if m.number == chosen[-1].number + 1 or (line_start and first.style not in _CLAUSE_STYLES):
            chosen.append(m)
    if first.style in _CLAUSE_STYLES and (len(chosen) < 2 or first.number != 1):
        return []
    return chosen


def _opens(text: str, m: _Mark) -> bool:
    before = text[:m.start].rstrip(" \t")[-1:]
    return m.number == 1 and (not before or before in _BOUNDARY)


def split_items(paragraphs: list[str] | str) -> list[Item]:
    """Items of a numbered section, with their numbers removed; unnumbered text after an item
    elaborates it, and numbering of another style inside an item stays inside it ((1) under 1、,
    一是 under （一）). Text with no numbering is one item; a lead-in before the first item
    ("存在以下问题：") is dropped, a statement before it is kept as an item of its own.
    """
    if isinstance(paragraphs, str):
        paragraphs = reflow(paragraphs.split("\n"))
    text = "\n".join(p.strip() for p in paragraphs if p.strip())
    if not text:
        return []
    top = _top_marks(text, _marks(text))
    if not top:
        return [_item(None, text)]
    items = []
    preamble = text[:top[0].start].strip()
    if preamble and not _LEAD_IN.search(preamble.replace("\n", "")):
        items.append(_item(None, preamble))
    for m, nxt in zip(top, top[1:] + [None]):
        items.append(_item(m.number, text[m.end:nxt.start if nxt else len(text)]))
    return [it for it in items if it.heading]


def _item(number: int | None, text: str) -> Item:
    """The heading is the first sentence (or the first paragraph, when that has no sentence end);
    its closing 。 is dropped (Item.text restores it)."""
    text = text.strip().lstrip("，,、：: ")
    first, _, more = text.partition("\n")
    m = _SENTENCE_END.search(first)
    if m:
        heading, rest = first[: m.start()], first[m.end():] + more
    else:
        heading, rest = first.rstrip("；;，,"), more
    return Item(number=number, heading=heading.strip(), body=rest.replace("\n", "").strip())


def split_problem_items(text: str) -> list[str]:
    """A 存在问题 paragraph → its items' texts (numbering removed); a statement with no
    numbering stays whole. Works on one item per line and on items pasted on one line."""
    text = text.strip()
    if not text:
        return []
    items = split_items(text)
    if len(items) == 1 and items[0].number is None:
        return [text]
    return [it.text for it in items]
