"""What an indicator measures, read from its name: the quantity type, its units and its polarity.

Chinese indicator names put their head at the end (培训费用节约**率**, 参训**人数**, 故障响应**时间**),
so the type is decided by the cue that ends last. The lint rules (unit_mismatch,
wrong_direction) and the suggester (which unit to print) share these tables, so that what the
suggester proposes always passes the checker.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..schema import Target
from ..text.normalize import to_halfwidth
from ..text.targets import parse_target

# ---- units --------------------------------------------------------------------------------

PERCENT = frozenset({"%", "‰", "百分比", "百分点", "个百分点"})
COUNT = frozenset(
    ["个", "次", "人", "人次", "名", "场", "场次", "期", "台", "套", "件", "篇", "份", "家", "户", "条", "项", "本", "册", "部", "批", "处", "座", "所", "间", "张", "辆", "块", "支", "组", "班", "门", "课时", "学时", "床", "位", "餐", "人日", "期次", "种", "类", "篇次", "批次", "只", "棵", "株", "盏", "辆次", "车次", "家次", "户次", "所次", "余", "余人", "余次", "宗", "起", "单", "例", "箱", "卷", "幅", "集", "期班", "个次", "份次", "条次", "项次", "节", "首", "段", "栋", "幢", "层", "套次", "人月", "人/天"]
)
MONEY = frozenset(["元", "万元", "亿元", "千元", "百万元", "元/人", "元/人·天", "元/人天", "元/餐", "元/份", "元/次", "元/平方米", "元/月", "元/年", "元/台", "元/户", "万元/年", "万元/公里", "元/人·月", "元/人/月", "元/人/天", "元/天"])
TIME = frozenset(["秒", "分钟", "分", "小时", "天", "日", "工作日", "个工作日", "周", "月", "个月", "年", "ms", "毫秒", "h", "min", "s", "天内", "日内", "小时内", "分钟内"])
SPEED = frozenset(["mbps", "mb/s", "kb/s", "kbps", "gbps", "gb/s", "兆", "m", "m/s", "兆/秒", "兆比特/秒", "次/秒", "tps", "qps", "页/分钟", "bps"])
DATA = frozenset(["kb", "mb", "gb", "tb", "b", "字节", "k", "g", "t"])
LENGTH = frozenset(["米", "公里", "千米", "km", "延米"])
AREA = frozenset(["平方米", "㎡", "m2", "m²", "亩", "公顷", "平方公里", "万平方米", "平米"])
WEIGHT = frozenset(["吨", "千克", "kg", "公斤", "万吨", "克"])
SCORE = frozenset({"分"})

UNIT_FAMILIES: dict[str, frozenset[str]] = {
    "percent": PERCENT, "count": COUNT, "money": MONEY, "time": TIME, "speed": SPEED, "data": DATA,
    "length": LENGTH, "area": AREA, "weight": WEIGHT,
}


def unit_family(unit: str | None) -> str | None:
    """'万人次' → 'count', 'kb' → 'data', '元/人' → 'money'; None for no unit or an unknown one."""
    if not unit:
        return None
    u = to_halfwidth(unit).strip().lower()
    u = re.sub(r"[（(][^)）]*[)）]$", "", u) or u  # 台(套): the unit before the alternative in brackets
    if u.startswith("万") and len(u) > 1 and u[1:] in COUNT | WEIGHT | AREA | TIME:
        u = u[1:]
    if u in SCORE:
        return "score"
    for fam, units in UNIT_FAMILIES.items():
        if u in units:
            return fam
    if "元" in u:
        return "money"
    if "/s" in u or "/秒" in u or u.endswith("ps"):
        return "speed"
    return None


# ---- what a name measures -------------------------------------------------------------------

#: (type, cue pattern). The cue that ends last in the name decides the type.
_TYPE_CUES: tuple[tuple[str, str], ...] = (
    ("rate", r"率|比例|占比|比率|百分比|满意度|知晓度|覆盖面"),
    ("count", (r"数量|个数|次数|人次|人数|场次|期数|台数|件数|篇数|份数|户数|家数|条数|项数|批次|册数|床位数|座位数|"
               r"点位数|课时数|学时数|餐数|站点数|(?<![指乘系分函倍])数$")),
    ("money", r"金额|成本|费用|经费|资金|投资额|单价|造价|补贴标准|补助标准|资助标准|支出|开支"),
    ("time", r"时长|时限|时间|天数|工期|周期|用时|耗时|学时|课时"),
    ("speed", r"速度|速率|网速|带宽|吞吐量"),
    ("length", r"长度|里程|公里数"),
    ("area", r"面积"),
    ("weight", r"重量|吨数|清运量|处理量"),
)
_TYPE_RES = tuple((t, re.compile(p)) for t, p in _TYPE_CUES)

#: Which unit families can measure which type (None: a bare number).
ALLOWED_UNITS: dict[str, frozenset[str | None]] = {
    "rate": frozenset({"percent", "score"}),
    "count": frozenset({"count", "length", "area", "weight", "time", None}),
    "money": frozenset({"money", None}),
    "time": frozenset({"time", "count"}),
    "speed": frozenset({"speed"}),
    "length": frozenset({"length"}),
    "area": frozenset({"area"}),
    "weight": frozenset({"weight"}),
}

#: The unit a type is usually written in, for a suggested rewrite.
DEFAULT_UNIT = {"rate": "%", "count": "个", "money": "万元", "time": "天", "speed": "Mbps", "length": "公里",
                "area": "平方米", "weight": "吨"}


def measure_type(name: str) -> str | None:
    """'信息传递速度' → 'speed'; '参训人次' → 'count'; '长效管理机制健全性' → None (qualitative)."""
    best: tuple[int, int, str] | None = None
    for typ, rx in _TYPE_RES:
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
    return {typ for typ, rx in _TYPE_RES if rx.search(name)} | ({"money"} if re.search(r"费$|价$|投资", name) else set())


# ---- polarity ---------------------------------------------------------------------------------

_NEGATIVE = re.compile(
    r"故障|投诉|差错|出错|错误|事故|流失|异议|返工|不合格|超支|逾期|延误|延期|失败|缺陷|漏洞|隐患|违规|违纪|违法|"
    r"安全事件|泄露|泄漏|中断|宕机|停机|积压|误报|漏报|空置|闲置|损坏|丢失|退回|退货|拖欠|死亡|感染|污染|超标|"
    r"差评|纠纷|扣分|偏差|脱落|流失|重复建设|重复率|辍学|违约|遗漏|滞留|投诉率|上访|不满意|失误|瑕疵|漏损|损耗|漏失"
)
#: Words that turn a negative noun into a positive measure: 隐患整改率, 投诉办结率, 故障修复率.
_HANDLED = re.compile(
    r"处理|办结|修复|解决|整改|响应|处置|排除|排查|回复|查处|结案|下降|降低|减少|消除|防范|整治|化解|答复|"
    r"核查|闭环|销号|调解|预警|监测|应对|回访|反馈|控制率|压降|降幅|减幅|压减|节约|节省"
)
_CONTROL = re.compile(r"控制|节约|节支|超支|预算执行|执行率|支出|成本|费用|概算|投资|造价|经费|费占|费$|占.{0,12}(?:比例|比重)")
#: Rates that are plainly "more is better": only these are checked for a cap or a zero target.
POSITIVE_RATE = re.compile(
    r"(?:完成|合格|达标|满意|覆盖|及时|知晓|使用|到位|通过|可用|在线|准确|采纳|出勤|办结|修复|整改|利用|完好|参与|成活|"
    r"回收|解决|响应|结案|落实|兑现|发放|入住|就业|上线|归档|建档|公示|持证|录入)(?:率|度)$")
#: Times and durations where less is better.
_FAST = re.compile(r"响应|修复|处理|到场|等待|办结|办理|审核|审批|恢复|排除|处置|整改|答复|回复|交付|排队|停机|中断")


def polarity(name: str) -> int:
    """+1 when more is better, -1 when less is better, 0 when unclear (budget control, ranges)."""
    if _NEGATIVE.search(name) and not _HANDLED.search(name):
        return -1
    typ = measure_type(name)
    if typ == "time":
        return -1 if _FAST.search(name) else 0
    if typ == "money" or _CONTROL.search(name):
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


def read_target(raw: str | None) -> ParsedTarget:
    """Parse a target value, recognising placeholders such as ``≥N个`` or ``待定``."""
    raw = (raw or "").strip()
    if not raw:
        return ParsedTarget("", None, None, None, True, True)
    t: Target = parse_target(raw)
    core = to_halfwidth(raw).replace(" ", "")
    placeholder = bool(t.qualitative and re.match(r"^(?:≥|≤|>=|<=|=|>|<)?\s*(?:[NnXx×]|\?|？|待定|待填|_+)", core)) \
        or core in {"待定", "待填", "另定", "…", "-", "/", "无数据"}
    unit = t.unit
    if unit and unit[0] in "(（" and unit[-1] in ")）":
        unit = unit[1:-1]
    return ParsedTarget(raw, t.operator, t.value, unit or None, t.qualitative, placeholder)


def format_target(operator: str, value: float, unit: str) -> str:
    """``("≥", 32.0, "个")`` → ``≥32个``: integers without decimals, as drafters write them."""
    num = f"{value:.0f}" if float(value).is_integer() else f"{value:g}"
    return f"{operator}{num}{unit}"
