"""Indicator and project names: reusable cores, comparison keys, a project's object and activity.

"老干部综合信息管理系统建设完成率" is only reusable as "系统建设完成率": the library keeps the
core, and the suggester puts a new project's own object back in front of it.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

from ..lexicon import Lexicon
from ..text.normalize import strip_quotes, to_halfwidth
from ..text.tokenize import words
from .vocab import derived, lexicon

_YEAR = re.compile(r"^(?:19|20)\d{2}\s*(?:年度|年)?")
_PUNCT = re.compile(r"[\s\"“”‘’'《》〈〉()（）【】\[\]、，,。.:：;；·\-—_/]")


def _alt(words_: Sequence[str]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in sorted(words_, key=len, reverse=True)) + ")"


def _name_patterns(lex: Lexicon) -> dict[str, re.Pattern[str]]:
    return {"suffix": re.compile(_alt(lex.words("fund_suffixes")) + "+$"),
            "phase": re.compile(r"(?:第?[一二三四五六七八九十\d]+期|[（(]第?[一二三四五六七八九十\d]+期[)）])(?:工程|项目)?$"),
            "activity": re.compile(_alt(lex.words("activities")) + "+$"),
            "organ": re.compile(_alt(lex.words("organ_suffixes")) + "$"),
            "facility": re.compile(_alt(lex.words("facility_suffixes")) + "$"),
            "filler": re.compile(_alt(lex.words("object_fillers")) + "$")}


def _places(lex: Lexicon) -> dict[str, object]:
    divisions = [s for s in lex.words("division_suffixes") if s not in ("村", "社区", "园区")]
    known = set(lex.words("provinces")) | set(lex.words("province_short")) | set(lex.words("cities"))
    return {"division": re.compile(_alt(divisions) + "$"), "known": known}


def _rx(name: str) -> re.Pattern[str]:
    return derived("names", _name_patterns)[name]


# ---- the declaring region and unit in front of a project name ----------------------------------

def _is_place(tokens: list[str], i: int) -> int:
    """How many words a place takes at ``tokens[i]``: 杭州市 (1), 海潮|镇 (2), 云雾|土家族|乡 (3); 0 if none.

    The place must end where a word ends, and its last word must not be a look-alike (小区, 城区).
    """
    places = derived("places", _places)
    names = lexicon("names")
    word = tokens[i]
    if word in names.words("scope_prefixes") or word in names.words("bare_divisions"):
        return 1
    if word in places["known"] or re.sub(r"(?:市|州|盟|地区)$", "", word) in places["known"]:
        return 1
    lookalikes = set(names.words("division_lookalikes"))
    for k in range(1, 4):
        part = tokens[i:i + k]
        text = "".join(part)
        if len(part) < k or len(text) > 7 or re.search(r"[\d\W]", text) or part[-1] in lookalikes:
            return 0
        if places["division"].search(text) and (len(text) >= 3 or k > 1):
            return k
    return 0


def _unit_length(tokens: list[str], start: int) -> int:
    """Words of a unit name starting at ``start`` (民政局, 食品检验检测中心 + year), or 0."""
    text = ""
    for k in range(start, min(start + 6, len(tokens))):
        text += tokens[k]
        rest = "".join(tokens[k + 1:])
        if len(rest) < 4:
            return 0
        if _rx("organ").search(text) and len(text) >= 2:
            return k + 1 - start
        if _rx("facility").search(text) and len(text) >= 3 and _YEAR.match(rest):
            return k + 1 - start
    return 0


def strip_region_and_unit(name: str) -> str:
    """Drop the year, places and the declaring unit in front of a name, only at word boundaries.

    "杭州市西湖区民政局居家养老服务补贴" → "居家养老服务补贴"; "镇际联网路升级改造工程一期" stays whole
    (镇际 is a word, not the town 镇).
    """
    tokens = words(name)
    i, unit_seen = 0, False
    while i < len(tokens) - 1:
        rest = "".join(tokens[i:])
        year = _YEAR.match(rest)
        if year and len(rest) - year.end() >= 2:
            while i < len(tokens) and len("".join(tokens[i:])) > len(rest) - year.end():
                i += 1
            continue
        step = _is_place(tokens, i)
        if not step and not unit_seen:
            step = _unit_length(tokens, i)
            unit_seen = bool(step)
        if not step or len("".join(tokens[i + step:])) < 2:
            break
        i += step
    return "".join(tokens[i:])


def project_core(project: str) -> str:
    """The project's name without region, unit, year and fund words: "杭州市西湖区民政局居家养老服务补贴" → "居家养老服务补贴"."""
    name = strip_quotes(to_halfwidth(project or "").strip())
    prev = None
    while prev != name:
        prev = name
        name = re.sub(r"[（(][^（）()]*[）)]$", "", name) or name
        name = strip_region_and_unit(name)
        stripped = _rx("suffix").sub("", _rx("phase").sub("", name))
        name = stripped if len(stripped) >= 2 else name
    return name.strip("“”\"")


def project_object(project: str) -> tuple[str, str]:
    """(object, activity): "河道保洁养护" → ("河道", "保洁养护"); "医疗设备购置" → ("医疗设备", "购置")."""
    core = project_core(project)
    m = _rx("activity").search(core)
    if m and m.start() >= 2:
        obj, act = core[: m.start()], core[m.start():]
        trimmed = _rx("filler").sub("", obj)
        return (trimmed if len(trimmed) >= 2 else obj), act
    return core, ""


def subject_of(project: str) -> str:
    """A short name for what the project delivers, to put in front of reference templates."""
    obj, _ = project_object(project)
    obj = re.sub(r"[“”\"《》]", "", obj)
    if len(obj) > 12:
        kept: list[str] = []
        for w in reversed(words(obj)):
            if sum(map(len, kept)) + len(w) > 11:
                break
            kept.insert(0, w)
        obj = "".join(kept) or obj[-8:]
    return obj or "项目"


def core_name(indicator: str, project: str) -> str:
    """Strip the project's own words from the front of an indicator name, keeping a generic head.

    "老干部综合信息管理系统建设完成率" in "上海市人大老干部综合信息管理系统建设经费" → "系统建设完成率".
    """
    name = to_halfwidth(indicator).strip()
    proj = to_halfwidth(project or "")
    k = 0
    while k < len(name) and name[: k + 1] in proj:
        k += 1
    if k < 3:
        return name
    prefix = name[:k]
    head = max((prefix.rfind(h), h) for h in lexicon("names").words("heads"))
    cut = head[0] if head[0] >= 0 else max(k - 2, 0)
    rest = name[cut:]
    return rest if len(rest) >= 3 else name


def key(name: str) -> str:
    """A comparison key: no punctuation, no 的, 及时性/及时率 and trailing 情况/性 unified."""
    s = _PUNCT.sub("", to_halfwidth(name))
    s = s.replace("的", "")
    s = re.sub(r"及时(?:性|率)", "及时", s)
    s = re.sub(r"(?:情况|程度|水平)$", "", s)
    return s


def similar(a: str, b: str) -> float:
    """Character-sequence similarity of two names' keys (0–1)."""
    ka, kb = key(a), key(b)
    if not ka or not kb:
        return 0.0
    return SequenceMatcher(None, ka, kb).ratio()


def fill(template: str, obj: str) -> str:
    """Put the project's object into a reference template: "{object}验收合格率"."""
    out = template.replace("{object}", obj).replace("{对象}", obj)
    return re.sub(r"(.{2,})\1", r"\1", out) if obj else out
