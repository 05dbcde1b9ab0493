"""What an indicator measures, read from its name: the quantity type, its units and its polarity.

Chinese indicator names put their head at the end (培训费用节约**率**, 参训**人数**, 故障响应**时间**),
so the type is decided by the cue that ends last. The lint rules (unit_mismatch,
wrong_direction) and the suggester (which unit to print) share these tables, so that what the
suggester proposes always passes the checker. The words themselves are data:
corpora/lexicon/units.yaml and polarity.yaml.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..lexicon import Lexicon
from ..schema import Target
from ..text.normalize import to_halfwidth
from ..text.targets import parse_target
from .vocab import derived, lexicon

# ---- units --------------------------------------------------------------------------------

FAMILIES = ("percent", "count", "money", "time", "speed", "data", "length", "area", "weight")
TYPES = ("rate", "count", "money", "time", "speed", "length", "area", "weight")


def _families(lex: Lexicon) -> dict[str, frozenset[str]]:
    return {fam: frozenset(lex.words(fam)) for fam in (*FAMILIES, "score", "not_planned")}


def units(family: str) -> frozenset[str]:
    """The spellings of a unit family ('count' → 个, 人次 …), from corpora/lexicon/units.yaml."""
    return derived("units", _families)[family]


def unit_family(unit: str | None) -> str | None:
    """'万人次' → 'count', 'kb' → 'data', '元/人' → 'money'; None for no unit or an unknown one."""
    if not unit:
        return None
    fams = derived("units", _families)
    u = to_halfwidth(unit).strip().lower()
    u = re.sub(r"[（(][^)）]*[)）]$", "", u) or u  # 台(套): the unit before the alternative in brackets
    if u.startswith("万") and len(u) > 1 and u[1:] in fams["count"] | fams["weight"] | fams["area"] | fams["time"]:
        u = u[1:]
    if u in fams["score"]:
        return "score"
    for fam in FAMILIES:
        if u in fams[fam]:
            return fam
    if "元" in u:
        return "money"
    if "/s" in u or "/秒" in u or u.endswith("ps"):
        return "speed"
    return None


def allowed_units(typ: str) -> frozenset[str | None]:
    """Which unit families can measure a type (None: a bare number)."""
    return frozenset(lexicon("units").table("allowed_units")[typ])


def default_unit(typ: str) -> str:
    """The unit a type is usually written in, for a suggested rewrite."""
    return lexicon("units").table("default_unit")[typ]


# ---- what a name measures -------------------------------------------------------------------

def _type_res(lex: Lexicon) -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((t, lex.pattern(f"type_{t}")) for t in TYPES)


def measure_type(name: str) -> str | None:
    """'信息传递速度' → 'speed'; '参训人次' → 'count'; '长效管理机制健全性' → None (qualitative)."""
    best: tuple[int, int, str] | None = None
    for typ, rx in derived("units", _type_res):
        for m in rx.finditer(name):
            # The cue ending last wins; at the same end the longer one (传输速率 is a speed, not a rate).
            if best is None or (m.end(), m.end() - m.start()) > best[:2]:
                best = (m.end(), m.end() - m.start(), typ)
    if best is None:
        return None
    # A rate or a 度 ending after the cue wins: 成本节约率, 经费执行率 are rates.
    end, _, typ = best
    tail = name[end:]
    if typ != "rate" and re.search(r"(率|比例|占比)$", tail):
        return "rate"
    if tail and re.search(r"(性|情况|度)$", tail) and typ not in ("rate",):
        return None
    return typ


def mentioned_types(name: str) -> set[str]:
    """Every quantity a name mentions: 单位面积物业服务费 → {area, money}; a unit fitting any of them fits."""
    found = {typ for typ, rx in derived("units", _type_res) if rx.search(name)}
    return found | ({"money"} if lexicon("units").pattern("mentions_money").search(name) else set())


# ---- polarity ---------------------------------------------------------------------------------

def _positive_rate(lex: Lexicon) -> re.Pattern[str]:
    return re.compile(f"(?:{lex.pattern('positive_rate').pattern})(?:率|度)$")


def positive_rate(name: str) -> bool:
    """A rate that is plainly "more is better" (完成率, 满意度 …): only these are checked for a cap or a zero."""
    return bool(derived("polarity", _positive_rate).search(name))


def polarity(name: str) -> int:
    """+1 when more is better, -1 when less is better, 0 when unclear (budget control, ranges)."""
    lex = lexicon("polarity")
    if lex.pattern("negative").search(name) and not lex.pattern("handled").search(name):
        return -1
    typ = measure_type(name)
    if typ == "time":
        return -1 if lex.pattern("fast").search(name) else 0
    if typ == "money" or lex.pattern("control").search(name):
        return 0
    if typ in ("rate", "count"):
        return 1
    return 0


# ---- targets ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ParsedTarget:
    """A target with what the checker needs: numeric or not, and whether it is a placeholder."""

    raw: str
    operator: str | None
    value: float | None
    unit: str | None
    qualitative: bool
    placeholder: bool

    @property
    def family(self) -> str | None:
        return unit_family(self.unit)


_SUFFIX_OP = {"及以上": "≥", "以上": "≥", "及其以下": "≤", "及以下": "≤", "以下": "≤", "以内": "≤", "达标": "="}
_WRITTEN = re.compile(r"^(?P<op>≥|≤|=|>|<)?(?P<num>\d[\d,]*(?:\.\d+)?)(?P<unit>%|[^\d]*?)(?P<suf>及以上|以上|及其以下|及以下|以下|以内|达标)$")


def _tidy(raw: str) -> str:
    """Targets as real forms print them: ≧300人 → ≥300人, 95%及以上 → ≥95%, 100%达标 → =100%."""
    s = to_halfwidth(raw).replace(" ", "").replace("≧", "≥").replace("≦", "≤").replace(">=", "≥").replace("<=", "≤")
    m = _WRITTEN.match(s)
    if m:
        op = m.group("op") or _SUFFIX_OP[m.group("suf")]
        s = f"{op}{m.group('num')}{m.group('unit')}"
    return s


def read_target(raw: str | None) -> ParsedTarget:
    """Parse a target value, recognising placeholders such as ``≥N个``, ``≥**个`` or ``待定``."""
    raw = (raw or "").strip()
    if not raw:
        return ParsedTarget("", None, None, None, True, True)
    core = _tidy(raw)
    t: Target = parse_target(core)
    placeholder = bool(t.qualitative and re.match(r"^(?:≥|≤|=|>|<)?\s*(?:[NnXx×]|\?|？|待定|待填|_+|\*)", core)) \
        or core in {"待定", "待填", "另定", "…", "-", "/", "无数据"} or "**" in core
    unit = t.unit
    if unit and unit[0] in "(（" and unit[-1] in ")）":
        unit = unit[1:-1]
    if placeholder:
        return ParsedTarget(raw, None, None, None, True, True)
    return ParsedTarget(raw, t.operator, t.value, unit or None, t.qualitative, placeholder)


def format_target(operator: str, value: float, unit: str) -> str:
    """``("≥", 32.0, "个")`` → ``≥32个``: integers without decimals, as drafters write them."""
    num = f"{value:.0f}" if float(value).is_integer() else f"{value:g}"
    return f"{operator}{num}{unit}"
