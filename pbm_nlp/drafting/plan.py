"""Facts a project's own plan states: quantities, rates, deadlines, response times, cost standards.

"覆盖32个服务窗口" is a target the drafter has already set (计划标准); the suggester turns each
fact into an indicator with that number instead of a generic "工作完成率 =100%".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..lexicon import Lexicon
from ..text.normalize import to_halfwidth
from .measure import units
from .vocab import derived, lexicon

_HAN_NUM = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NUM = r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|[一两二三四五六七八九十](?![\u4e00-\u9fff]{0,1}[年月日]))(?P<wan>万|千)?"
_DELIM = "，。；;,、：:（）()！？\n"


def _alt(words) -> str:
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


def _compile(lex: Lexicon) -> dict[str, re.Pattern[str]]:
    """The overview patterns, built from corpora/lexicon/plan.yaml and units.yaml."""
    qty_units = (units("count") | units("length") | units("area") | units("weight")) - units("not_planned")
    w = lex.words
    return {
        "qty": re.compile(_NUM + r"\s*(?:余|多)?(?P<unit>" + _alt(qty_units) + ")"),
        "verb": re.compile(_alt(w("verbs"))),
        "filler": re.compile("^" + _alt(w("fillers")) + "+"),
        "preposition": re.compile("^" + _alt(w("prepositions"))),
        "obj_end": re.compile(_alt(w("object_ends")) + ".*$"),
        "amount_end": re.compile(_alt(w("amount_words")) + "+$"),
        "extent": re.compile(_alt(w("extent_words")) + "(?:约|为|达|共)?$"),
        "rate": re.compile(r"(?P<name>[\u4e00-\u9fffA-Za-z]{2,14}?" + _alt(w("rate_heads")) + ")"
                           r"(?P<op>" + _alt(w("rate_operators")) + r")?\s*(?P<num>\d+(?:\.\d+)?)\s*%(?P<suffix>以上|以下|以内)?"),
        "rate_lead": re.compile("^.*?" + _alt(w("rate_lead"))),
        "change": re.compile(_alt(w("change_words"))),
        "deadline": re.compile(
            r"(?P<date>(?:(?:19|20)\d{2}年)?\d{1,2}月(?:底|末|中旬|上旬|下旬|\d{1,2}日)?|(?:19|20)\d{2}年(?:底|末|内|年底)|年底|年内)"
            r"(?:前|之前|以前)?(?P<act>" + _alt(w("deadline_acts")) + r")(?P<obj>[\u4e00-\u9fff]{0,8})"),
        "duration": re.compile(_alt(w("duration_words")) + r"(?:为|约)?(?P<num>\d+)(?P<unit>个月|天|日|年)"),
        "response": re.compile(r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>分钟|小时|个工作日|工作日|天|日)(?:内|以内)"
                               r"(?P<act>" + _alt(w("response_acts")) + ")"),
        "within": re.compile(r"(?P<num>\d+)\s*(?P<unit>个工作日|工作日|个月|天|日)(?:内|以内)完成(?P<act>[\u4e00-\u9fff]{2,10}?)(?=[，。；、]|$)"),
        "per_cost": re.compile(
            r"(?:每(?P<per>" + _alt(w("cost_per")) + r")(?:每(?P<per2>月|天|日|年))?)"
            r"(?P<verb>" + _alt(w("cost_verbs")) + r")?(?:为|按)?(?P<num>\d+(?:\.\d+)?)(?P<unit>元|万元)"),
        "std_cost": re.compile(r"(?P<name>[\u4e00-\u9fff]{0,6}" + _alt(w("standard_heads")) + r"标准)(?:为|是|按)?"
                               r"(?:每(?P<per>人|餐|份|次|户|名)(?:每(?P<per2>月|天|日|年))?)?(?P<num>\d+(?:\.\d+)?)(?P<unit>元|万元)"),
    }


def _rx(name: str) -> re.Pattern[str]:
    return derived("plan", _compile)[name]


@dataclass
class Quantity:
    """A planned amount: 覆盖32个服务窗口 → verb 覆盖, 32, 个, object 服务窗口."""

    verb: str
    number: float
    unit: str
    obj: str
    per: str  # 日/周/月/年 when the amount is per period, else ""
    phrase: str


@dataclass
class Rate:
    """A planned rate: 验收合格率达到98% → ('验收合格率', '≥', 98)."""

    name: str
    operator: str
    value: float
    phrase: str


@dataclass
class Deadline:
    """A planned date or duration: 2024年6月底前完成改造 → ('改造完成时间', '2024年6月底前')."""

    name: str
    target: str
    phrase: str


@dataclass
class CostStandard:
    """A planned unit cost: 每餐补贴3元 → ('每餐补贴标准', 3, '元/餐')."""

    name: str
    value: float
    unit: str
    phrase: str


@dataclass
class Plan:
    quantities: list[Quantity]
    rates: list[Rate]
    deadlines: list[Deadline]
    costs: list[CostStandard]


def _number(num: str, wan: str | None) -> float:
    v = float(_HAN_NUM[num]) if num in _HAN_NUM else float(num.replace(",", ""))
    return v


def _clause_bounds(text: str, start: int, end: int) -> tuple[str, str]:
    """The clause text before ``start`` and after ``end`` (up to the nearest delimiter)."""
    i = start
    while i > 0 and text[i - 1] not in _DELIM:
        i -= 1
    j = end
    while j < len(text) and text[j] not in _DELIM:
        j += 1
    return text[i:start], text[end:j]


def _clean_obj(obj: str) -> str:
    obj = _rx("filler").sub("", obj)
    if _rx("preposition").match(obj):
        return ""  # a preposition: what follows is not the counted thing
    obj = _rx("obj_end").sub("", obj)
    # "3家医院采购CT机2台": the object ends where the next clause (a verb, or another number) starts
    cut = [m.start() for m in (_rx("verb").search(obj, 1), re.search(r"\d", obj)) if m]
    if cut:
        obj = obj[:min(cut)]
    obj = _rx("amount_end").sub("", obj)
    obj = re.sub(r"^[^\u4e00-\u9fffA-Za-z]+|[^\u4e00-\u9fffA-Za-z0-9]+$", "", obj)
    return obj[:12]


def _pick_verb(before: str) -> tuple[str, str]:
    """The verb of a clause and what follows it; a verb inside a noun (培训班) leaves too little."""
    verbs = list(_rx("verb").finditer(before))
    for v in reversed(verbs):
        tail = before[v.end():]
        if len(_clean_obj(tail)) >= 2 or not tail:
            return v.group(0), tail
    if verbs:
        return verbs[0].group(0), before[verbs[0].end():]
    return "", before


def _later_verb(rest: str) -> str:
    """The verb after the object: the first specific one, joined with a verb right after it."""
    light = set(lexicon("plan").words("light_verbs"))
    found = list(_rx("verb").finditer(rest))
    for k, m in enumerate(found):
        if m.group(0) in light and k + 1 < len(found):
            continue
        verb = m.group(0)
        if k + 1 < len(found) and found[k + 1].start() == m.end() and found[k + 1].group(0) not in light:
            verb += found[k + 1].group(0)  # 保洁 + 养护
        return verb
    return ""


def _quantities(text: str) -> list[Quantity]:
    out: list[Quantity] = []
    for m in _rx("qty").finditer(text):
        unit = m.group("unit")
        before, after = _clause_bounds(text, m.start(), m.end())
        # Skip dates, money and percentages that merely share a unit character.
        if re.match(r"^\s*(?:年|月|日|%|元|万元|周岁|岁)", text[m.end():m.end() + 2]) or re.search(r"[第近前后]$", before):
            continue
        if m.group("num") == "一" and unit in ("个", "套", "项", "批", "种", "支", "家", "所", "条", "次"):
            continue  # 建设一个…平台: an article, not a planned amount
        if unit in ("个", "项", "批", "期") and re.match(r"^(?:月|工作日|小时|百分点)", after):
            continue
        verb, tail = _pick_verb(before)
        per = ""
        pm = re.search(r"(?:每|日均|年均|月均|周均)(日|天|周|月|年)", before)
        if pm:
            per = {"天": "日"}.get(pm.group(1), pm.group(1))
        if _rx("extent").search(before) and out:
            obj = out[-1].obj  # 12条河道、总长45.6公里 → the length of the rivers
        else:
            obj = _clean_obj(after)
        if len(obj) < 2:
            # Object before the number: 采购CT机2台, 保洁河道12条.
            obj = _clean_obj(re.sub(r"(?:每|日均|年均|月均)(?:日|天|周|月|年)", "", tail))
        if not verb:
            rest = after[after.find(obj) + len(obj):] if obj and obj in after else after
            later = _later_verb(rest)
            if later:
                verb = later  # 32个服务窗口进行升级改造; 32条河道开展日常保洁养护 → 保洁养护
            elif out and text[m.start() - len(before) - 1:m.start() - len(before)] == "、":
                verb = out[-1].verb  # 采购CT机2台、彩超3台
        if (len(obj) < 2 and not verb) or obj.startswith(tuple(lexicon("plan").words("meta_objects"))):
            continue  # nothing counted, or a count of the projects themselves (7个项目实行…)
        n = _number(m.group("num"), m.group("wan"))
        u = (m.group("wan") or "") + unit
        out.append(Quantity(verb, n, u, obj, per, text[max(0, m.start() - len(before)):m.end() + len(after)]))
    return out


def _rates(text: str) -> list[Rate]:
    lex = lexicon("plan")
    out = []
    for m in _rx("rate").finditer(text):
        name = _rx("filler").sub("", m.group("name"))
        name = _rx("rate_lead").sub("", name)
        op = m.group("op") or ""
        if _rx("change").search(text[max(0, m.start("op") - 2):m.start("num")]) and op not in lex.words("rate_raise_to"):
            continue  # a relative change (提升20%) is not a level
        le = op in lex.words("rate_upper") or m.group("suffix") in ("以下", "以内")
        out.append(Rate(name, "≤" if le else "≥", float(m.group("num")), m.group(0)))
    return out


def _deadlines(text: str, subject: str) -> list[Deadline]:
    out: list[Deadline] = []
    for m in _rx("within").finditer(text):
        before, _ = _clause_bounds(text, m.start(), m.end())
        lead = re.sub(r"^.*?([\u4e00-\u9fff]{2,6}(?:后|起))$", r"\1", before) if re.search(r"(?:后|起)$", before) else ""
        out.append(Deadline(f"{lead}{m.group('act')}完成时限", f"≤{m.group('num')}{m.group('unit')}", m.group(0)))
    for m in _rx("deadline").finditer(text):
        act = m.group("act")
        obj = _clean_obj(m.group("obj")) or subject
        act_core = {"全部完成": "完成", "发放完毕": "发放", "发放到位": "发放"}.get(act, act)
        date = m.group("date")
        date = {"年内": "年底前", "年底": "年底前"}.get(date, date if date.endswith("内") else f"{date}前")
        out.append(Deadline(f"{obj}{act_core}时间", date, m.group(0)))
    for m in _rx("duration").finditer(text):
        out.append(Deadline(f"{subject}实施周期" if "服务" not in m.group(0) else f"{subject}服务周期",
                            f"≤{m.group('num')}{m.group('unit')}", m.group(0)))
    for m in _rx("response").finditer(text):
        act = m.group("act").replace("处理完毕", "处理").replace("完成整改", "整改").replace("到达", "到场")
        before, _ = _clause_bounds(text, m.start(), m.end())
        what = "故障" if re.search(r"故障|报修|报障", before) else ("投诉" if "投诉" in before else "")
        out.append(Deadline(f"{what}{act}时间", f"≤{m.group('num')}{m.group('unit')}", m.group(0)))
    return out


def _costs(text: str) -> list[CostStandard]:
    out: list[CostStandard] = []
    seen: set[str] = set()
    for rx in (_rx("std_cost"), _rx("per_cost")):
        for m in rx.finditer(text):
            if m.group(0) in seen or any(m.group(0) in s or s in m.group(0) for s in seen):
                continue
            seen.add(m.group(0))
            per = m.group("per") or ""
            per2 = m.group("per2") or ""
            unit = m.group("unit") + (f"/{per}" if per else "") + (f"·{per2}" if per2 else "")
            gd = m.groupdict()
            verb = gd.get("verb") or ""
            subsidy = verb if verb in lexicon("plan").words("subsidy_verbs") else ""
            base = gd.get("name") or f"每{per}{subsidy}标准"
            out.append(CostStandard(base, float(m.group("num")), unit, m.group(0)))
    return out


def read_plan(*texts: str, subject: str = "项目") -> Plan:
    """Every fact in the overview and goals, in the order they appear, duplicates dropped."""
    text = to_halfwidth("。".join(t for t in texts if t))
    text = re.sub(r"[ \t]", "", text)
    qs: list[Quantity] = []
    for q in _quantities(text):
        same = next((i for i, o in enumerate(qs) if (o.obj, o.number, o.unit) == (q.obj, q.number, q.unit)), None)
        if same is None:
            qs.append(q)
        elif not qs[same].verb and q.verb:
            qs[same] = q
    rates, rseen = [], set()
    for r in _rates(text):
        if r.name not in rseen:
            rseen.add(r.name)
            rates.append(r)
    return Plan(qs, rates, _deadlines(text, subject), _costs(text))
