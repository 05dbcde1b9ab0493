"""Who a 整改建议 is addressed to: the unit responsible for the problem — the evaluated or audited
unit, or its 主管部门 — never the auditor or evaluator that found it.

"县审计局在县环卫队发现…" is addressed to 县环卫队; "两个区教育局重复建设招生系统" found by 市审计局 to
the 市教育局 (the level above co-ordinates); a finding that names no unit ("台前县审计局…发现，该县部分
保障性住房…空置") to the department responsible for its field in the finder's place (台前县住房和城乡
建设部门). The finder words, unit endings and field → department table are data
(corpora/lexicon/rectify.yaml).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ...lexicon import Lexicon
from ...text.normalize import to_halfwidth
from ...text.tokenize import stopwords, words
from ..vocab import derived, lexicon

_PLACE = re.compile(r"^[\u4e00-\u9fff]{0,10}?(?:自治区|自治州|自治县|省|市|州|盟|县|区|旗|镇|乡|街道)")
_PLURAL = re.compile(r"(?:两个|二个|三个|多个|\d+个|各|部分|有的|个别|一些)$")
_AUDITOR = re.compile(r"审计|督查|巡察|巡视|纪委|监委|评价机构|评价组|事务所|咨询")
#: a company is a supplier or contractor, not the unit responsible for the budget
_COMPANY = re.compile(r"公司$|集团$|事务所$|合作社$")
#: a candidate unit name holding one of these is a clause, not a name (没有及时向社…, 万元建设资金被地方政府)
_NOT_A_NAME = re.compile(r"没有|未|及时|向|被|无法|的|在|和|与|或|等|对|把|将|计划|资金|万元|元|以下|以上|^有|^所|^部分|^个别|^一些|\d")


@dataclass(frozen=True)
class Addressee:
    name: str
    how: str  # given | named | above | department | fallback
    finder: str | None = None


def _alt(words) -> str:
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


def _patterns(lex: Lexicon) -> dict[str, re.Pattern[str]]:
    heads = _alt(lex.words("unit_heads"))
    return {"unit": re.compile(r"(?P<lead>两个|二个|三个|多个|\d+个|各|部分|有的|个别|一些)?"
                               r"(?P<name>(?:[\u4e00-\u9fff]{1,8}?(?:省|市|州|县|区|镇|乡|旗))?[\u4e00-\u9fff]{1,9}?" + heads + ")"),
            "finder": re.compile(r"[\u4e00-\u9fff]{0,12}?" + _alt(lex.words("finder_heads")))}


def _rx(name: str) -> re.Pattern[str]:
    return derived("rectify", _patterns)[name]


def find_finder(problem: str) -> str | None:
    """The auditor or evaluator a finding names as having found it (县审计局, 审计署), if any."""
    text = to_halfwidth(problem)
    m = lexicon("rectify").pattern("finder_at_work").search(text) or _rx("finder").search(text)
    return m.group("finder") if m and "finder" in m.groupdict() else (m.group(0) if m else None)


def clean_unit(unit: str) -> str:
    """A unit as records give it, as one addressee: notes in brackets dropped, the first of a list."""
    u = re.sub(r"[（(][^（）()]*[)）]", "", to_halfwidth(unit)).strip()
    heads = tuple(lexicon("rectify").words("unit_heads")) + ("部门", "单位")
    first = u.split("、")[0]
    if "、" in u and first.endswith(heads):
        return f"{first}等相关单位"
    head, sep, _ = u.partition("及")
    if sep and head.endswith(heads) and not head.startswith(("相关", "有关")):
        return head
    return u


def _place(finder: str | None, problem: str) -> str:
    """The place a finding is about: the finder's own (台前县审计局 → 台前县), else the first named."""
    m = _PLACE.match(to_halfwidth(finder or ""))
    if m and not _AUDITOR.search(m.group(0)):
        return m.group(0)
    for m in re.finditer(r"[\u4e00-\u9fff]{2,6}?(?:省|市|州|县|区|旗)", to_halfwidth(problem)):
        if not re.match(r"两|个|各|部分|有的|一些|该|本|其|直", m.group(0)) and not _AUDITOR.search(m.group(0)) \
                and not re.search(r"部门|到|迁移|发现|的|在|对|和|与|了", m.group(0)):
            return m.group(0)
    return ""


def _department(problem: str) -> str | None:
    for dept, cues in lexicon("rectify").table("departments").items():
        if any(c in problem for c in cues):
            return dept
    return None


def _whole_name(name: str) -> str:
    """The trailing run of name-like words: 原因是县农业农村局 → 县农业农村局, 但县教育局 → 县教育局."""
    stop = stopwords() | set(lexicon("rectify").words("name_breakers"))
    kept: list[str] = []
    for w in reversed(words(name)):
        if w in stop or re.search(r"\d", w):
            break
        kept.insert(0, w)
    return "".join(kept)


def _named(problem: str, finder: str | None) -> tuple[str, bool] | None:
    """(the first unit the finding names that is not its finder, whether it is one of several)."""
    for m in _rx("unit").finditer(to_halfwidth(problem)):
        name = _whole_name(m.group("name"))
        if _AUDITOR.search(name) or (finder and (name in finder or finder in name)):
            continue
        if (name in lexicon("rectify").words("vague_units") or len(name) < 3 or _NOT_A_NAME.search(name)
                or _COMPANY.search(name)):
            continue
        before = problem[max(0, m.start() - 2):m.start()]
        if re.search(r"在$|对$", before) is None and name.startswith(("该", "其")):
            continue
        return name, bool(m.group("lead")) or bool(_PLURAL.search(problem[:m.start()]))
    return None


def resolve(problem: str, unit: str | None = None, finder: str | None = None) -> Addressee:
    """The responsible unit: the given one, else one the finding names, else its field's department."""
    finder = finder or find_finder(problem)
    if unit and unit.strip() and not _AUDITOR.search(clean_unit(unit)):
        return Addressee(clean_unit(unit), "given", finder)
    named = _named(problem, finder)
    place = _place(finder, problem)
    if named:
        name, several = named
        if several:  # 两个区教育局: the department one level up co-ordinates them
            dept = re.sub(r"^(?:[\u4e00-\u9fff]{0,8}?(?:省|市|州|县|区|镇|乡|旗))", "", name)
            return Addressee(f"{place or '上级'}{dept}" if place else f"上级{dept}主管部门", "above", finder)
        return Addressee(name, "named", finder)
    dept = _department(problem)
    if dept:
        return Addressee(f"{place}{dept}" if place else f"有关{dept}", "department", finder)
    return Addressee("项目单位", "fallback", finder)


def core(name: str) -> str:
    """A unit's department without place and generic endings, to compare two names of one unit."""
    n = re.sub(r"[（(][^（）()]*[)）]", "", name)
    n = _PLACE.sub("", n) or n
    return re.sub(r"(?:等相关单位|等相关部门|等|及[\u4e00-\u9fff]*|相关|有关|主管部门|部门|单位|委员会|局|委|办公室|办)+$", "", n)


def addressed_right(addressee: str, unit: str | None, finder: str | None) -> bool:
    """Is the advice addressed to the responsible unit (sharing its department), and not to the finder?"""
    self_found = bool(finder) and ("自评" in finder or (unit is not None and core(finder) == core(clean_unit(unit))))
    if _AUDITOR.search(addressee) or (finder and not self_found and core(finder) and core(finder) in addressee):
        return False
    if not unit:
        return True
    a, u = core(addressee), core(clean_unit(unit))
    shared = {a[i:i + 2] for i in range(len(a) - 1)} & {u[i:i + 2] for i in range(len(u) - 1)}
    return bool(shared) or a in u or u in a
