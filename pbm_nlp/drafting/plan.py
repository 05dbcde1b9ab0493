"""Facts a project's own plan states: quantities, rates, deadlines, response times, cost standards.

"覆盖32个服务窗口" is a target the drafter has already set (计划标准); the suggester turns each
fact into an indicator with that number instead of a generic "工作完成率 =100%".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.normalize import to_halfwidth
from .measure import AREA, COUNT, LENGTH, WEIGHT

_HAN_NUM = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NUM = r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|[一两二三四五六七八九十](?![\u4e00-\u9fff]{0,1}[年月日]))(?P<wan>万|千)?"
_QTY_UNITS = sorted((COUNT | LENGTH | AREA | WEIGHT) - {"余", "余人", "余次", "起", "单", "类", "种", "层"},
                    key=len, reverse=True)
_UNIT = r"(?P<unit>" + "|".join(re.escape(u) for u in _QTY_UNITS) + r")"
_QTY = re.compile(_NUM + r"\s*(?:余|多)?" + _UNIT)
_DELIM = "，。；;,、：:（）()！？\n"
VERBS = (
    "覆盖", "建设", "新建", "建成", "改造", "升级", "采购", "购置", "配置", "购买", "更新", "更换", "举办", "开展", "组织",
    "召开", "培训", "印制", "印刷", "发放", "保洁", "养护", "维护", "服务", "完成", "提供", "制作", "编印", "出版", "发布",
    "推送", "接待", "走访", "调研", "撰写", "形成", "安装", "部署", "接入", "开发", "巡查", "检查", "清运", "补贴", "资助",
    "惠及", "设立", "新增", "打造", "慰问", "救助", "供餐", "参训", "参会", "邀请", "刊发", "发行", "拍摄", "投放", "维修",
    "修缮", "清理", "疏浚", "种植", "收集", "处理", "录入", "整理", "上线", "迁移", "对接", "采集", "编制", "出具", "评审",
    "配送", "运营", "扶持", "帮扶", "受理", "办理", "覆盖到", "设置", "配备", "招募", "吸引", "组织开展", "举行", "承办",
)
_VERB = re.compile("|".join(sorted(VERBS, key=len, reverse=True)))
_FILLER = re.compile(r"^(?:的|了|等|约|共|共计|合计|总计|累计|全年|每年|年均|不少于|不低于|至少|超过|达到|达|计|为|其中|包括|个|名)+")
_OBJ_END = re.compile(r"(?:的|和|及|与|并|等|以及|，|。|为|进行|开展|提供|实现|满足|达到|共计|合计|约|左右|以上).*$")


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
    obj = _FILLER.sub("", obj)
    if re.match(r"^(?:以|为|对|向|在|从|将|把|由|于|按|使)", obj):
        return ""  # a preposition: what follows is not the counted thing
    obj = _OBJ_END.sub("", obj)
    # "3家医院采购CT机2台": the object ends where the next clause (a verb, or another number) starts
    cut = [m.start() for m in (_VERB.search(obj, 1), re.search(r"\d", obj)) if m]
    if cut:
        obj = obj[:min(cut)]
    obj = re.sub(r"(?:不少于|不低于|不超过|不多于|至少|超过|约|达到|达|共计|共|累计|合计)+$", "", obj)
    obj = re.sub(r"^[^\u4e00-\u9fffA-Za-z]+|[^\u4e00-\u9fffA-Za-z0-9]+$", "", obj)
    return obj[:12]


def _pick_verb(before: str) -> tuple[str, str]:
    """The verb of a clause and what follows it; a verb inside a noun (培训班) leaves too little."""
    verbs = list(_VERB.finditer(before))
    for v in reversed(verbs):
        tail = before[v.end():]
        if len(_clean_obj(tail)) >= 2 or not tail:
            return v.group(0), tail
    if verbs:
        return verbs[0].group(0), before[verbs[0].end():]
    return "", before


#: Verbs that say little on their own: the specific one after them names the work.
_LIGHT_VERBS = {"开展", "组织", "组织开展", "完成", "提供", "进行", "服务"}


def _later_verb(rest: str) -> str:
    """The verb after the object: the first specific one, joined with a verb right after it."""
    found = list(_VERB.finditer(rest))
    for k, m in enumerate(found):
        if m.group(0) in _LIGHT_VERBS and k + 1 < len(found):
            continue
        verb = m.group(0)
        if k + 1 < len(found) and found[k + 1].start() == m.end() and found[k + 1].group(0) not in _LIGHT_VERBS:
            verb += found[k + 1].group(0)  # 保洁 + 养护
        return verb
    return ""


_LENGTH_OF = re.compile(r"(?:总长|全长|长度|总里程|里程|总面积|面积|总量)(?:约|为|达|共)?$")


def _quantities(text: str) -> list[Quantity]:
    out: list[Quantity] = []
    for m in _QTY.finditer(text):
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
        if _LENGTH_OF.search(before) and out:
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
        if len(obj) < 2 and not verb:
            continue
        n = _number(m.group("num"), m.group("wan"))
        u = (m.group("wan") or "") + unit
        out.append(Quantity(verb, n, u, obj, per, text[max(0, m.start() - len(before)):m.end() + len(after)]))
    return out


_RATE = re.compile(
    r"(?P<name>[\u4e00-\u9fffA-Za-z]{2,14}?(?:率|比例|占比|满意度|知晓度))"
    r"(?P<op>达到|不低于|不少于|达|为|保持在|提高到|提升至|提高至|控制在|不超过|不高于|低于|高于|在|≥|≤|>|<|=)?\s*"
    r"(?P<num>\d+(?:\.\d+)?)\s*%(?P<suffix>以上|以下|以内)?"
)
_LE_WORDS = ("控制在", "不超过", "不高于", "低于", "≤", "<")


def _rates(text: str) -> list[Rate]:
    out = []
    for m in _RATE.finditer(text):
        name = _FILLER.sub("", m.group("name"))
        name = re.sub(r"^.*?(?:使|让|确保|保证|力争|实现|推动|促进|其中|并|且|，)", "", name)
        verbs = list(_VERB.finditer(name))
        if verbs and verbs[0].start() == 0 and len(name) - verbs[0].end() >= 3 and not name.endswith("满意度"):
            pass
        op = m.group("op") or ""
        if re.search(r"提升|提高|下降|降低|增长|减少", text[max(0, m.start("op") - 2):m.start("num")]) and op not in (
                "提高到", "提升至", "提高至"):
            continue  # a relative change (提升20%) is not a level
        le = op in _LE_WORDS or m.group("suffix") in ("以下", "以内")
        out.append(Rate(name, "≤" if le else "≥", float(m.group("num")), m.group(0)))
    return out


_DEADLINE = re.compile(
    r"(?P<date>(?:(?:19|20)\d{2}年)?\d{1,2}月(?:底|末|中旬|上旬|下旬|\d{1,2}日)?|(?:19|20)\d{2}年(?:底|末|内|年底)|年底|年内)"
    r"(?:前|之前|以前)?(?P<act>全部完成|完成|建成|上线|交付|投入使用|竣工|验收|开通|发放到位|发放完毕|到位)"
    r"(?P<obj>[\u4e00-\u9fff]{0,8})"
)
_DURATION = re.compile(r"(?:工期|建设周期|实施周期|服务期|周期)(?:为|约)?(?P<num>\d+)(?P<unit>个月|天|日|年)")
_RESPONSE = re.compile(
    r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>分钟|小时|个工作日|工作日|天|日)(?:内|以内)"
    r"(?P<act>响应|到场|到达|修复|处理完毕|处理|办结|答复|回复|恢复|排除|完成整改|整改|发放|送达)"
)


_WITHIN = re.compile(r"(?P<num>\d+)\s*(?P<unit>个工作日|工作日|个月|天|日)(?:内|以内)完成(?P<act>[\u4e00-\u9fff]{2,10}?)(?=[，。；、]|$)")


def _deadlines(text: str, subject: str) -> list[Deadline]:
    out: list[Deadline] = []
    for m in _WITHIN.finditer(text):
        before, _ = _clause_bounds(text, m.start(), m.end())
        lead = re.sub(r"^.*?([\u4e00-\u9fff]{2,6}(?:后|起))$", r"\1", before) if re.search(r"(?:后|起)$", before) else ""
        out.append(Deadline(f"{lead}{m.group('act')}完成时限", f"≤{m.group('num')}{m.group('unit')}", m.group(0)))
    for m in _DEADLINE.finditer(text):
        act = m.group("act")
        obj = _clean_obj(m.group("obj")) or subject
        act_core = {"全部完成": "完成", "发放完毕": "发放", "发放到位": "发放"}.get(act, act)
        date = m.group("date")
        date = {"年内": "年底前", "年底": "年底前"}.get(date, date if date.endswith("内") else f"{date}前")
        out.append(Deadline(f"{obj}{act_core}时间", date, m.group(0)))
    for m in _DURATION.finditer(text):
        out.append(Deadline(f"{subject}实施周期" if "服务" not in m.group(0) else f"{subject}服务周期",
                            f"≤{m.group('num')}{m.group('unit')}", m.group(0)))
    for m in _RESPONSE.finditer(text):
        act = m.group("act").replace("处理完毕", "处理").replace("完成整改", "整改").replace("到达", "到场")
        before, _ = _clause_bounds(text, m.start(), m.end())
        what = "故障" if re.search(r"故障|报修|报障", before) else ("投诉" if "投诉" in before else "")
        out.append(Deadline(f"{what}{act}时间", f"≤{m.group('num')}{m.group('unit')}", m.group(0)))
    return out


_PER_COST = re.compile(
    r"(?:每(?P<per>人|餐|份|次|户|月|天|日|名|台|平方米|公里|期|场)(?:每(?P<per2>月|天|日|年))?)"
    r"(?P<verb>补贴|补助|资助|奖励|标准为|标准|费用|收费|发放|支付)?(?:为|按)?(?P<num>\d+(?:\.\d+)?)(?P<unit>元|万元)"
)
_STD_COST = re.compile(r"(?P<name>[\u4e00-\u9fff]{0,6}(?:补贴|补助|资助|收费|服务费)标准)(?:为|是|按)?"
                       r"(?:每(?P<per>人|餐|份|次|户|名)(?:每(?P<per2>月|天|日|年))?)?(?P<num>\d+(?:\.\d+)?)(?P<unit>元|万元)")


def _costs(text: str) -> list[CostStandard]:
    out: list[CostStandard] = []
    seen: set[str] = set()
    for rx in (_STD_COST, _PER_COST):
        for m in rx.finditer(text):
            if m.group(0) in seen or any(m.group(0) in s or s in m.group(0) for s in seen):
                continue
            seen.add(m.group(0))
            per = m.group("per") or ""
            per2 = m.group("per2") or ""
            unit = m.group("unit") + (f"/{per}" if per else "") + (f"·{per2}" if per2 else "")
            gd = m.groupdict()
            verb = gd.get("verb") or ""
            base = gd.get("name") or (f"每{per}{verb if verb in ('补贴', '补助', '资助', '奖励') else ''}标准")
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
