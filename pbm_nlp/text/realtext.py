"""Real-register problem statements: mask their context, keep the clause that states the problem.

Real 存在问题 items and audit findings carry context that authored examples rarely do: place and
unit names, project names, amounts, rates and dates ("审计发现，苍南县2021年有22.12亿元…"), a
lead-in of the audit or evaluation register ("审计发现", "评价认为", "经核查", "抽查…发现"), a
positive clause before the problem ("保障了…，但…") and causes ("原因是…"). A classifier trained
on a few hundred statements learns those names and numbers as if they were cues. Two functions
take them away, by rules and word lists only (``corpora/lexicon/realtext.yaml`` and
``places.yaml``, which a domain expert can review), so they run at tens of thousands of
statements per second:

- ``mask_context(text)``: place names, quoted project names, numbers, amounts, rates and dates
  become natural generic words (某县, 某项目, 若干万元, 某年某月), so the sentence still reads as
  an ordinary sentence to both the sparse features and the encoder;
- ``problem_clause(text)``: the part that states the problem, without the register lead-ins and
  without a positive clause before a contrast word. Causes are kept by default (``causes="drop"``
  removes them): in real findings a cause is often itself a labelled problem ("由于项目进展缓慢，
  资金闲置").
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..lexicon import Lexicon, load_lexicon

_HAN = "\u4e00-\u9fff"
_SENTENCE = re.compile(r"[^。！？；!?;]+[。！？；!?;]*")
_NUMBER = r"\d+(?:[,，]\d{3})*(?:\.\d+)?"
_DIVISION_SUFFIXES = ("自治县", "自治旗", "街道", "县", "区", "市", "旗", "镇", "乡", "村")
_SUFFIX_KIND = {"自治县": "county", "县": "county", "自治旗": "banner", "旗": "banner", "区": "district",
                "市": "city", "镇": "town", "乡": "township", "村": "village", "街道": "street"}


@dataclass(frozen=True)
class _Rules:
    """The compiled form of the two lexicons (rebuilt when either file changes)."""

    province: re.Pattern[str]
    municipalities: frozenset[str]
    city: re.Pattern[str]
    division: re.Pattern[str]
    not_places: frozenset[str]
    not_name_chars: frozenset[str]
    not_before: dict[str, frozenset[str]]
    project: re.Pattern[str]
    dates: tuple[tuple[re.Pattern[str], str], ...]
    number: re.Pattern[str]
    placeholders: dict[str, str]
    standalone_lead: re.Pattern[str]
    lead: re.Pattern[str]
    finder: re.Pattern[str]
    problem: re.Pattern[str]
    positive: re.Pattern[str]
    contrast: re.Pattern[str]
    cause: re.Pattern[str]


_COMPILED: dict[str, Any] = {}
_RECHECK_SECONDS = 2.0


def _rules() -> _Rules:
    """The compiled rules; the lexicon files are looked at again at most every two seconds (a
    file-system check per statement would cost more than the masking itself)."""
    now = time.monotonic()
    if _COMPILED and now - _COMPILED["checked"] < _RECHECK_SECONDS:
        return _COMPILED["rules"]
    places, real = load_lexicon("places"), load_lexicon("realtext")
    if _COMPILED.get("places") is not places or _COMPILED.get("real") is not real:
        _COMPILED.update(places=places, real=real, rules=_compile(places, real))
    _COMPILED["checked"] = now
    return _COMPILED["rules"]


def _compile(places: Lexicon, real: Lexicon) -> _Rules:
    ph = {str(k): str(v) for k, v in real.table("placeholders").items()}
    shorts = places.alternation("province_short")
    province = re.compile(f"{places.alternation('provinces')}|{shorts}(?:省|市|自治区)?")
    city = re.compile(f"{places.alternation('cities')}(?:市|地区|州|盟)")
    suffixes = "|".join(_DIVISION_SUFFIXES)
    verbs = real.alternation("report_verbs")
    dates = (
        (re.compile(r"(?:19|20)\d{2}(?=\s*(?:年|[、—–\-~～至到]\s*(?:19|20)?\d{2}))"), ph["year"][0]),
        (re.compile(r"(?<!\d)\d{1,2}\s*月\s*\d{1,2}\s*日"), ph["month"] + ph["day"]),
        (re.compile(r"(?<=年)\s*\d{1,2}\s*月"), ph["month"]),
        (re.compile(r"(?<![\d.])\d{1,2}月(?=份|底|末|初|中旬|上旬|下旬|[，。、；起至到])"), ph["month"]),
    )
    return _Rules(
        province=province,
        municipalities=frozenset(p[:-1] for p in places.words("provinces") if p.endswith("市")),
        city=city, division=re.compile(f"(?:{suffixes})"),
        not_places=frozenset(real.words("not_places")), not_name_chars=frozenset(real.words("not_name_chars")),
        not_before={k: frozenset(v) for k, v in real.table("suffix_not_before").items()},
        project=re.compile(f"[“\"]([^”\"]{{1,40}}?)({real.alternation('project_suffixes')})[”\"]"),
        dates=dates,
        number=re.compile(_NUMBER),
        placeholders=ph,
        standalone_lead=re.compile(f"^\\s*{real.alternation('standalone_leads')}\\s*[，,：:]\\s*"),
        lead=re.compile(f"^[^。；;]{{0,60}}?(?<!未)(?<!没有)(?<!无)(?<!不){verbs}(?:[，,：:]\\s*)?"),
        finder=re.compile(real.alternation("finder_words")),
        problem=re.compile(real.alternation("problem_words")),
        positive=re.compile(real.alternation("positive_words")),
        contrast=re.compile(f"(?:^|[，,：:])\\s*{real.alternation('contrast_words')}(?:是)?"),
        cause=re.compile(f"[，,；;]?\\s*{real.alternation('cause_markers')}[^。！？；!?;]*"),
    )


# ---- masking ---------------------------------------------------------------------------------
def mask_context(text: str) -> str:
    """``text`` with place names, quoted project names, numbers, amounts, rates and dates replaced
    by generic words: "苍南县2021年有22.12亿元…" → "某县某年有若干亿元…".

    Statements are remembered (the tagger's views mask most statements twice), long texts are not:
    4,096 statements of at most 2,000 characters hold at most a few tens of MB."""
    return _mask_remembered(text) if len(text) <= 2000 else _mask(text)


@lru_cache(maxsize=4096)
def _mask_remembered(text: str) -> str:
    return _mask(text)


mask_context.cache_clear = _mask_remembered.cache_clear  # type: ignore[attr-defined]


def _mask(text: str) -> str:
    r = _rules()
    ph = r.placeholders
    text = r.project.sub(lambda m: ph["project"] + m.group(2), text)
    text = r.province.sub(lambda m: ph["city"] if m.group(0).rstrip("市") in r.municipalities else ph["province"], text)
    text = r.city.sub(ph["city"], text)
    text = _mask_divisions(text, r)
    for pattern, word in r.dates:
        text = pattern.sub(word, text)
    return r.number.sub(ph["number"], text)


def _mask_divisions(text: str, r: _Rules) -> str:
    """County-level and smaller names (too many to list), recognised by their suffix: the name is
    the run of characters before the suffix that could belong to a name."""
    out: list[str] = []
    last = 0
    for m in r.division.finditer(text):
        start = _name_start(text, m.start(), m.group(0), m.end(), r)
        if start is None or start < last:
            continue
        out.append(text[last:start])
        out.append(r.placeholders[_SUFFIX_KIND[m.group(0)]])
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def _name_start(text: str, pos: int, suffix: str, end: int, r: _Rules) -> int | None:
    """Where the place name ending at ``pos`` starts, or None when this suffix ends a common word.

    The name is at most three characters that could belong to a name: a place the dictionary knows
    (苍南县, 渠县) is taken; otherwise the whole run is taken when it holds no common word (孙岗镇,
    but not "未取得县…批复" or "监控盲区")."""
    known, common = _dictionary()
    run = 0
    while run < 3 and pos - run > 0 and _is_han(text[pos - run - 1]) and text[pos - run - 1] not in r.not_name_chars:
        run += 1
    if run == 0:
        return None

    def glued(n: int) -> bool:  # the name's first character forms a common word with the one before
        return pos - n > 0 and text[pos - n - 1] + text[pos - n] in common

    blocked = end < len(text) and text[end] in r.not_before.get(suffix, ())
    for n in range(run, 0, -1):
        name = text[pos - n:pos]
        if not glued(n) and (name + suffix in known or (n > 1 and name in known and not blocked)):
            return pos - n
    if blocked:
        return None
    if any(text[max(0, pos - n):pos] + suffix in r.not_places for n in (1, 2, 3)):
        return None
    name = text[pos - run:pos]
    if run > 1 and not glued(run) and not any(name[i:i + 2] in common for i in range(run - 1)) \
            and name[-1] + suffix not in common:
        return pos - run
    return None


@lru_cache(maxsize=1)
def _dictionary() -> tuple[frozenset[str], frozenset[str]]:
    """Words jieba's dictionary tags as places, and common words that are not places (frequency
    >= 50, at most three characters)."""
    import jieba

    known, common = set(), set()
    for line in jieba.get_dict_file():
        word, freq, tag = line.decode("utf-8").split()
        if tag == "ns":
            known.add(word)
        elif int(freq) >= 50 and len(word) <= 3 and tag not in ("m", "q", "nr", "nrt", "nz"):
            common.add(word)
    return frozenset(known), frozenset(common)


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


# ---- the problem clause ----------------------------------------------------------------------
def problem_clause(text: str, causes: str = "keep") -> str:
    """The part of ``text`` that states the problem: without audit/evaluation lead-ins (审计发现，
    评价认为，经核查，抽查…发现), without a positive clause before 但/但是/然而/却, and, with
    ``causes="drop"``, without cause clauses (原因是…). Falls back to the whole text when
    nothing would be left."""
    if causes not in ("keep", "drop"):
        raise ValueError(f"causes must be 'keep' or 'drop'. Got {causes!r} instead.")
    r = _rules()
    kept: list[str] = []
    for sentence in _SENTENCE.findall(text):
        sentence = _strip_lead(sentence, r)
        starts_with_contrast = bool(r.contrast.match(sentence))
        sentence = _after_contrast(sentence, r)
        if starts_with_contrast and kept and _is_positive(kept[-1], r):
            kept.pop()
        if causes == "drop":
            sentence = r.cause.sub("", sentence)
        if sentence.strip("，,：: 。；;"):
            kept.append(sentence)
    out = "".join(kept).strip()
    return out or text.strip()


def _strip_lead(sentence: str, r: _Rules) -> str:
    """Drop "经核查，" and "审计调查发现，" style lead-ins (a clause naming a finder and a report verb)."""
    sentence = r.standalone_lead.sub("", sentence, count=1)
    m = r.lead.match(sentence)
    if m and r.finder.search(m.group(0)) and not r.problem.search(_without_verb(m.group(0), r)):
        rest = sentence[m.end():]
        if rest.strip("，,：: 。；;"):
            return rest
    return sentence


def _without_verb(lead: str, r: _Rules) -> str:
    """The lead-in without its finder words, so that 不/未 inside 审计 words do not count."""
    return r.finder.sub("", lead)


def _after_contrast(sentence: str, r: _Rules) -> str:
    """The clause after the last contrast word when everything before it is positive."""
    matches = list(r.contrast.finditer(sentence))
    if not matches:
        return sentence
    m = matches[-1]
    before = sentence[:m.start()]
    if m.start() == 0:
        return sentence[m.end():]
    if _is_positive(before, r):
        return sentence[m.end():]
    return sentence


def _is_positive(clause: str, r: _Rules) -> bool:
    return bool(r.positive.search(clause)) and not r.problem.search(clause)


# ---- views: what a classifier reads of a statement --------------------------------------------
def mask_clause(text: str) -> str:
    """The problem clause with its context masked."""
    return mask_context(problem_clause(text))


VIEWS = {"raw": lambda t: t, "mask": mask_context, "clause": problem_clause, "mask_clause": mask_clause}


def view(name: str, text: str) -> str:
    """``text`` as the named view reads it (raw, mask, clause, mask_clause)."""
    try:
        return VIEWS[name](text)
    except KeyError:
        raise ValueError(f"view must be one of {sorted(VIEWS)}. Got {name!r} instead.") from None
