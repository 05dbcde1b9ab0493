"""What a problem statement is about: the system, activity or supplier it names, and who is responsible.

A 整改建议 is only useful when it names the thing to fix ("建议…对会务工作智能化平台建立运维机制"),
so the writer fills the reference sentences' {object}, {project} and {unit} from here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ...lexicon import Lexicon
from ...text.normalize import to_halfwidth
from ..names import project_object
from ..vocab import derived, lexicon

_QUOTED = re.compile(r"“([^“”]{2,40})”(项目|经费|工程)?")
_BOOK = re.compile(r"《([^《》]{2,30})》")
_UNIT = re.compile(r"((?:上海市|市|区|县|省|镇)[\u4e00-\u9fff]{1,10}?"
                   r"(?:常委会办公厅|办公厅|办公室|管理局|委员会|医院|学校|中心|局|委|办|院)(?:会办公厅|员会)?)")


def _alt(words) -> str:
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


def _compile(lex: Lexicon) -> dict[str, re.Pattern[str]]:
    """The statement patterns, built from corpora/lexicon/rectify.yaml."""
    w = lex.words
    return {
        "company": re.compile(r"([\u4e00-\u9fffA-Za-z]{2,24}?" + _alt(w("company_suffixes")) + ")"),
        "supplier": re.compile(r"(?:提供|负责|承担)([\u4e00-\u9fff、及和]{2,20}?)(?:工作|服务)?的(?:服务)?("
                               + "|".join(w("supplier_roles")[:5]) + ")"),
        "contractor": re.compile(_alt(w("contractor_trades")) + "(?:服务)?" + _alt(w("contractor_heads")) + "|"
                                 + "|".join(w("contractor_names"))),
        "system": re.compile(r"([\u4e00-\u9fffA-Za-z0-9]{2,14}?" + _alt(w("system_heads")) + ")"),
        "system_tail": re.compile(_alt(w("system_heads")) + "$"),
        "thing": re.compile(r"([\u4e00-\u9fffA-Za-z0-9]{2,12}?" + _alt(w("thing_heads")) + ")"),
        "verbish": re.compile("|".join(w("verbish"))),
        "cut": re.compile("^.*" + _alt(w("cut_verbs"))),
        "lead": re.compile("^" + _alt(w("lead_words")) + "+"),
        "role_split": re.compile("|".join(w("supplier_roles"))),
    }


def _rx(name: str) -> re.Pattern[str]:
    return derived("rectify", _compile)[name]


@dataclass
class ProblemObject:
    """The names a suggestion should use: the object fixed, the project, the responsible unit."""

    object: str
    project: str
    unit: str
    supplier: str | None = None
    system: str | None = None


def _candidates(rx: re.Pattern, text: str) -> list[str]:
    generic = set(lexicon("rectify").words("generic_objects"))
    out = []
    for m in rx.finditer(text):
        cand = _rx("lead").sub("", m.group(1))
        cut = _rx("cut").sub("", cand)
        cand = cut if len(cut) >= 3 else cand
        head = _rx("system_tail").sub("", cand)
        if len(cand) >= 3 and cand not in generic and not _rx("verbish").search(head):
            out.append(cand)
    return out


def _first(rx: re.Pattern, text: str) -> str | None:
    c = _candidates(rx, text)
    return c[0] if c else None


def find_objects(problem: str, project: str | None = None, unit: str | None = None) -> ProblemObject:
    text = to_halfwidth(problem)
    quoted = [(q, suffix) for q, suffix in _QUOTED.findall(text) if not re.search(r"[，。；]", q)]
    named = next((q for q, suffix in quoted if suffix or re.search(r"项目|经费|费$|工程", q)), None)
    proj = project or named or ""
    book = _BOOK.search(text)
    company = _first(_rx("company"), text)
    if company:
        company = _rx("role_split").split(company)[-1] or company
    sup = _rx("supplier").search(text)
    role = _rx("contractor").search(text)
    supplier = company or (f"{sup.group(1)}{sup.group(2)}" if sup else None) or (role.group(0) if role else None)
    system = _first(_rx("system"), text)
    if system is None and proj:
        pobj = project_object(proj)[0]
        if re.search(r"系统|平台|APP|网站|数据库|网络", pobj):
            system = pobj
    thing = f"《{book.group(1)}》" if book else _first(_rx("thing"), text)
    from_project = project_object(proj)[0] if proj else ""
    obj = system or thing or from_project or "该项目"
    who = unit or _unit(_QUOTED.sub("", text)) or "项目单位"
    name = re.sub(r"(?:项目)?(?:专项)?(?:经费|费)$", "", proj) or proj
    return ProblemObject(object=obj, project=f"“{name}”项目" if proj else "该项目",
                         unit=who, supplier=supplier, system=system)


def _unit(text: str) -> str | None:
    for m in _UNIT.finditer(text):
        u = m.group(1)
        if not _rx("verbish").search(u[1:]):
            return u
    return None
