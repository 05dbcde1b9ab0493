"""One normalisation step for all PDF-extracted text.

The seeds are PDF extractions: lines break mid-word, page numbers and stray spaces appear,
and full-width digits mix with half-width ones. Every parser goes through these functions so
that a .txt, .docx, .xlsx or .pdf copy of the same form reads the same.
"""
from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Iterable

# Full-width ASCII letters, digits and the symbols used in targets become half-width; CJK
# punctuation (，。、：；（）) is left as it is, since that is how Chinese text is written.
_FULL = "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ％＋－＝＜＞．／＊"
_HALF = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz%+-=<>./*"
_WIDTH_TABLE = str.maketrans({**dict(zip(_FULL, _HALF)), "\u3000": " ", "\xa0": " ", "\u200b": ""})

# Characters next to which a space is PDF noise, not a word separator.
_CJK = r"\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’《》【】"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])[ \t]+|[ \t]+(?=[{_CJK}])")
_MULTISPACE = re.compile(r"[ \t]{2,}")

_PAGE_NUMBER = re.compile(
    r"^\s*(?:第\s*\d{1,3}\s*页(?:\s*[，,/]?\s*共\s*\d{1,3}\s*页)?|[-—–]\s*\d{1,3}\s*[-—–]|\d{1,3}\s*/\s*\d{1,3}|\d{1,3})\s*$"
)
_TERMINAL = "。！？；：:!?;"

# Numbering styles: 1、 1. （1） (1) ① 一、 （一）
NUMBERING = re.compile(
    r"^\s*(?:"
    r"(?P<arabic>\d{1,2})\s*(?:、|[．.](?:(?![\d.])|(?=\d{4}[/\-年])))"
    r"|[（(]\s*(?P<paren>\d{1,2})\s*[）)]"
    r"|(?P<circled>[①-⑳])"
    r"|(?P<han>[一二三四五六七八九十]{1,3})\s*、"
    r"|[（(](?P<hanparen>[一二三四五六七八九十]{1,3})[）)]"
    r")\s*"
)
_HAN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def to_halfwidth(text: str) -> str:
    return text.translate(_WIDTH_TABLE)


def clean_line(line: str) -> str:
    """Half-width, no stray spaces next to Chinese characters, single spaces elsewhere."""
    line = to_halfwidth(line).strip()
    line = _SPACE_NEAR_CJK.sub("", line)
    return _MULTISPACE.sub(" ", line)


def normalize_text(text: str) -> str:
    """Normalise a whole text line by line (keeps line structure, drops page numbers)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(clean_line(ln) for ln in text.split("\n") if not is_page_number(ln))


def is_page_number(line: str) -> bool:
    return bool(_PAGE_NUMBER.match(line)) and bool(line.strip())


def display_width(line: str) -> int:
    """Width in half-width cells: a Chinese character counts two, as on the printed page."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in line.strip())


def typical_width(lines: Iterable[str]) -> int:
    """The width of a full printed line: a high percentile of the non-trivial line widths."""
    widths = sorted(display_width(ln) for ln in lines if display_width(ln) >= 16)
    if len(widths) < 3:
        return 0
    return widths[int(0.8 * (len(widths) - 1))] if len(widths) > 5 else int(statistics.median(widths))


def numbering(text: str) -> tuple[str, int] | None:
    """The numbering style and number a paragraph starts with, e.g. ("arabic", 2)."""
    m = NUMBERING.match(text)
    if not m:
        return None
    for style in ("arabic", "paren", "circled", "han", "hanparen"):
        val = m.group(style)
        if val:
            if style == "circled":
                return style, ord(val) - ord("①") + 1
            if style in ("han", "hanparen"):
                return style, han_to_int(val)
            return style, int(val)
    return None


def strip_numbering(text: str) -> str:
    return NUMBERING.sub("", text, count=1)


def han_to_int(s: str) -> int:
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _HAN_DIGITS.get(s[1], 0)
    if len(s) == 2 and s.endswith("十"):
        return _HAN_DIGITS[s[0]] * 10
    if len(s) == 3 and s[1] == "十":
        return _HAN_DIGITS[s[0]] * 10 + _HAN_DIGITS[s[2]]
    return _HAN_DIGITS.get(s, 0)


def reflow(
    lines: Iterable[str],
    width: int | None = None,
    is_break: Callable[[str], bool] | None = None,
) -> list[str]:
    """Join PDF-wrapped lines into paragraphs.

    A paragraph ends after a line that ends a sentence (。；：…) or that stops short of the right
    margin (more than two characters shorter than a full printed line); a new one starts at a numbered line or wherever ``is_break`` says
    (section labels). Blank lines carry no meaning here: the seeds double-space everything.
    """
    raw = [ln for ln in lines if ln.strip() and not is_page_number(ln)]
    if width is None:
        width = typical_width(raw)
    paragraphs: list[str] = []
    current = ""
    prev_raw = ""
    prev_allowance = 4
    for ln in raw:
        text = clean_line(ln)
        if not text:
            continue
        numbered = numbering(text) is not None
        starts_new = (
            not current
            or numbered
            or (is_break is not None and is_break(text))
            or current[-1] in _TERMINAL
            or (width > 0 and display_width(prev_raw) < width - prev_allowance)
        )
        if starts_new:
            if current:
                paragraphs.append(current)
            current = text
        else:
            current = _join(current, text)
        # A paragraph's first line is indented (or starts with a number that sets it in), so
        # it may fall short of the margin without ending the paragraph.
        prev_allowance = 8 if starts_new else 4
        prev_raw = ln
    if current:
        paragraphs.append(current)
    return paragraphs


def _join(left: str, right: str) -> str:
    """Join two wrapped pieces; keep a space only between two Latin words or numbers."""
    if left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum():
        return f"{left} {right}"
    return left + right


def parse_number(text: str) -> float | None:
    """'1,374.74' → 1374.74; None when there is no number."""
    m = re.search(r"-?\d[\d,]*(?:\.\d+)?", text)
    if not m:
        return None
    try:
        return float(m.group(0).replace(",", ""))
    except ValueError:
        return None


def strip_quotes(name: str) -> str:
    """Remove quotes around a whole name and unbalanced stray quotes (“预算联网“慧”监督…)."""
    name = name.strip()
    while len(name) >= 2 and name[0] in "“\"'‘「" and name[-1] in "”\"'’」":
        inner = name[1:-1]
        if inner.count("“") != inner.count("”"):
            break
        name = inner.strip()
    if name.count("“") > name.count("”") and name.startswith("“"):
        name = name[1:]
    if name.count("”") > name.count("“") and name.endswith("”"):
        name = name[:-1]
    return name.strip()
