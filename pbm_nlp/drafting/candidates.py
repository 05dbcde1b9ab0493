"""Candidate rows for a suggested indicator table, each with a basis the drafter can check.

A target is one of: taken from the request (计划标准: the phrase is quoted); computed from it
(预算支出标准: the arithmetic is shown, "331万元 ÷ 230人 ≈ 1.44万元/人·年"); a value that needs no
facts of the project (行业标准: a rate such as =100%, a zero, or a rule the library entry cites); or
what similar past declarations declared (历史标准: "同类 N 项申报值 a–b，中位数 m"). A project
quantity with none of these is left to the drafter as "待填：…" with the reference range — never
made up (:func:`enforce_basis` is the last gate every candidate passes).

Producers here: the plan (:func:`from_plan`), the budget (:func:`from_budget`), the risk forecast
(:func:`from_risks`); library.py-backed ones are in reference_rows.py. pick.py scores and chooses.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from . import frame
from .draft import Draft
from .measure import format_target, read_target, unit_family
from .plan import Plan, Quantity
from .vocab import lexicon

BASES = ("计划标准", "预算支出标准", "行业标准", "历史标准", "待填")
#: Unit families whose amounts are facts of the project (a rate, a score or a zero is not).
QUANTITY_FAMILIES = frozenset({"count", "length", "area", "weight", "money", "time", "data", "speed", None})


@dataclass
class Candidate:
    level1: str
    level2: str
    name: str
    target: str
    basis: str  # one of BASES
    reason: str
    sources: list[str]
    origin: str  # plan | budget | reference | history | risk
    score: float = 0.0
    todo: bool = False  # a 待填 row: the drafter fills in the number
    standard: bool = False  # a value set by a rule the library cites (会议费 ≤550元/人天): needs no project facts
    reference: str = ""  # for a 待填 row: the reference range shown to the drafter
    embed_text: str = ""  # what the encoder reads (a reference template without its object: cached)
    vector: Any = field(default=None, repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {"level1": self.level1, "level2": self.level2, "name": self.name, "target": self.target,
                "basis": self.basis, "reason": self.reason, "sources": self.sources}


def states_quantity(target: str) -> bool:
    """Does a target state an amount of the project (≥8个, ≤4000元/平方米, ≤180天), not a rate or a zero?"""
    t = read_target(target)
    return t.value is not None and t.value != 0 and unit_family(t.unit) in QUANTITY_FAMILIES


def _what(unit: str | None) -> str:
    fam = unit_family(unit)
    return {"money": "金额上限", "time": "时限"}.get(fam or "", "计划数")


def make_todo(c: Candidate, unit: str | None, reference: str, why: str, source: str = "") -> Candidate:
    """The same row with its number left to the drafter: what to fill in, and the reference range
    (its source goes to the sources, so that the target cell stays short)."""
    ref = f"；参考：{reference}" if reference else "；暂无可引用的参考值"
    c.target = f"待填：按实施方案填写{_what(unit)}（{unit or '单位自定'}）{ref}"
    c.basis, c.todo, c.reference = "待填", True, reference
    c.reason = f"{why}工具不代填数值，以免指标值设定依据不充分；参考值仅供测算，不是本项目的目标值。"
    if source:
        c.sources.insert(0, f"参考值来源：{source}")
    return c


def enforce_basis(cands: list[Candidate]) -> list[Candidate]:
    """The last gate: a 行业标准 or 历史标准 row that states a project quantity becomes 待填."""
    for c in cands:
        if c.basis in ("行业标准", "历史标准") and not c.standard and states_quantity(c.target):
            unit = read_target(c.target).unit
            make_todo(c, unit, f"{c.basis} {c.target}", "该数值是项目自身的数量，申报材料中没有给出。")
    return cands


# ---- from the plan -------------------------------------------------------------------------------

def quantity_name(q: Quantity) -> str:
    """覆盖32个服务窗口 → 升级服务窗口数量; 培训基层社工500人次 → 培训基层社工人次."""
    lex = lexicon("plan")
    per = lex.table("per_period").get(q.per, "")
    base_unit = q.unit.lstrip("万")
    fam = unit_family(q.unit)
    obj = q.obj if q.obj != q.verb else ""
    if fam in ("length", "area"):
        obj = re.sub(r"(?:总长|全长|长度|长|总面积|占地面积|面积)$", "", obj)
    verb = q.verb
    if re.search("(?:" + "|".join(lex.words("places")) + ")$", obj):
        if verb in lex.words("purchase_verbs"):
            verb = "受益"  # 为3家医院采购CT机: the hospitals benefit, they are not bought
        elif verb in lex.words("reach_verbs"):
            verb = "覆盖"
    count_word = lex.table("count_word")
    if base_unit == "人次":
        measure = "人次"
    elif base_unit in ("人", "名"):
        measure = "数" if obj.endswith("人") else "人数"
    elif base_unit in count_word:
        measure = count_word[base_unit]
    else:
        measure = {"length": "长度", "area": "面积", "weight": "量"}.get(fam or "", "数量")
    return f"{per}{verb}{obj}{measure}"


def from_plan(plan: Plan, year: int | None) -> list[Candidate]:
    out = []
    for q in plan.quantities:
        out.append(Candidate(frame.OUTPUT, frame.QUANTITY, quantity_name(q), format_target("≥", q.number, q.unit),
                             "计划标准", f"项目概况写明“{q.phrase}”，按计划数设定目标值。", [f"项目概况：{q.phrase}"], "plan"))
    for r in plan.rates:
        l1, l2 = frame.classify(None, None, r.name)
        if l1 == frame.OUTPUT and l2 == frame.QUANTITY:
            l2 = frame.QUALITY
        out.append(Candidate(l1, l2, r.name, format_target(r.operator, r.value, "%"), "计划标准",
                             f"项目概况写明“{r.phrase}”。", [f"项目概况：{r.phrase}"], "plan"))
    for d in plan.deadlines:
        target = d.target
        if year and re.match(r"^\d{1,2}月", target):
            target = f"{year}年{target}"
        elif year and target == "年底前":
            target = f"{year}年12月底前"
        out.append(Candidate(frame.OUTPUT, frame.TIMELINESS, d.name, target, "计划标准",
                             f"项目概况写明“{d.phrase}”，按计划时间节点设定。", [f"项目概况：{d.phrase}"], "plan"))
    for c in plan.costs:
        out.append(Candidate(frame.OUTPUT, frame.COST, c.name, format_target("≤", c.value, c.unit), "计划标准",
                             f"项目概况写明“{c.phrase}”，按既定支出标准控制。", [f"项目概况：{c.phrase}"], "plan"))
    return out


# ---- from the budget: the total, and the cost of one unit of the main planned quantity ----------------

#: Which planned quantity a per-unit cost divides by, most cost-driving first (roads per km, buildings per m²).
_DRIVERS = (("length", ("公里", "千米", "米", "延米")), ("area", ("平方米", "万平方米", "亩", "㎡")),
            ("equipment", ("台", "套", "辆", "件")), ("people", ("人", "名", "人次", "户")),
            ("events", ("场", "期", "批次", "场次")))
_PER_PERSON = {"补助补贴": "人均补助标准", "人员与运转经费": "人均年度经费", "培训": "人均培训成本"}


def units_total(plan: Plan, units: Sequence[str]) -> tuple[float, str, str, str] | None:
    """(number, unit, how it is counted, phrases) of the planned quantities in these units, when they
    add up to one thing: one quantity, or several bought, built or served the same way (采购CT机2台、
    彩超3台 → 5台). Different things (在职76名 and 离任137名) do not share one unit cost: None."""
    found = [q for q in plan.quantities if q.unit in units or q.unit.lstrip("万") in units]
    if not found:
        return None
    unit = found[0].unit
    same = [q for q in found if q.unit == unit]
    if len({q.verb for q in same}) > 1:
        return None
    total = sum(q.number for q in same)
    counted = f"{total:g}{unit}" if len(same) == 1 else "(" + "+".join(f"{q.number:g}" for q in same) + f"){unit}"
    return total, unit, counted, "；".join(dict.fromkeys(q.phrase for q in same))


def _driver(plan: Plan) -> tuple[float, str, str, str, str] | None:
    """The main planned quantity a unit cost divides by, and what it counts."""
    for _, units in _DRIVERS:
        total = units_total(plan, units)
        if total:
            objs = {q.obj for q in plan.quantities if q.unit == total[1]}
            return (*total, objs.pop() if len(objs) == 1 else "")
        if any(q.unit in units or q.unit.lstrip("万") in units for q in plan.quantities):
            return None  # the main quantities are different things: no single unit cost
    return None


def per_unit_cost(budget: float, n: float, unit: str, annual: bool, counted: str = "") -> tuple[str, str, str]:
    """(target, unit, arithmetic): 3,310,000元 ÷ 230人 → ("≤1.44万元/人·年", "万元/人·年", "331万元 ÷ 230人 ≈ 1.44万元/人·年").

    ``counted`` shows how ``n`` was counted when it is a sum ("(2+3)台")."""
    count = n * (10_000 if unit.startswith("万") and len(unit) > 1 else 1)
    base = unit.lstrip("万") if len(unit) > 1 else unit
    base = "人" if base == "名" else base
    wan = budget / 10_000 / count
    money = "万元" if wan >= 1 else "元"
    value = round(wan if money == "万元" else wan * 10_000, 2)
    per = f"{money}/{base}" + ("·年" if annual and base in ("人", "户") else "")
    arithmetic = f"{budget / 10_000:g}万元 ÷ {counted or f'{n:g}{unit}'} ≈ {value:g}{per}"
    return format_target("≤", value, per), per, arithmetic


def from_budget(req: Draft, subject: str, plan: Plan, kind: str) -> list[Candidate]:
    if not req.budget or req.budget <= 0:
        return []
    value = round(req.budget / 10_000, 2)
    out = [Candidate(frame.OUTPUT, frame.COST, f"{subject}项目总成本", format_target("≤", value, "万元"), "预算支出标准",
                     f"按申报预算{value:g}万元设定成本上限，超支需按程序调整。", [f"申报预算：{req.budget:,.0f}元"], "budget")]
    driver = _driver(plan)
    if driver is not None:
        n, unit, counted, phrases, obj = driver
        annual = bool(req.year) or bool(re.search(r"年度|每年|全年|年均", req.request_text))
        target, per, arithmetic = per_unit_cost(req.budget, n, unit, annual, counted)
        people = unit.lstrip("万") in ("人", "名", "人次", "户")
        name = _PER_PERSON.get(kind, "人均成本") if people else f"每{per.split('/')[1].rstrip('·年')}{obj or subject}平均成本"
        out.append(Candidate(frame.OUTPUT, frame.COST, name, target, "预算支出标准",
                             f"按申报预算测算：{arithmetic}（预算含其他支出时请按实际单价调低）。",
                             [f"申报预算：{req.budget:,.0f}元", f"项目概况：{phrases}"], "budget"))
    return out


# ---- from the risk forecast ---------------------------------------------------------------------------

def from_risks(risks: list[dict[str, Any]], measures: dict) -> list[Candidate]:
    """The first pre-empting indicator of the two likeliest risks, as suggestion candidates."""
    out = []
    for r in risks[:2]:
        templates = [i.name for i in measures[r["theme"]].indicators] if r["theme"] in measures else []
        for k, ind in enumerate(r["preempt_indicators"][:1]):
            tmpl = templates[k].replace("{object}", "") if k < len(templates) else ""
            if "（" in ind["name"]:
                continue  # a placeholder-like template ("主要产出数量（功能模块、场次…）")
            l1, l2 = frame.classify(ind["level1"], ind["level2"], ind["name"])
            if l2 == frame.QUANTITY:
                continue  # quantity rows describe the project's outputs, not its management
            ev = r["evidence"][0] if r["evidence"] else None
            why = f"，如“{ev['project']}”：{ev['problem'][:40]}…" if ev else ""
            out.append(Candidate(l1, l2, ind["name"], ind["target"], "行业标准",
                                 f"同类项目曾被评价指出“{r['name']}”（预计概率{r['probability']:.0%}{why}），设置该指标以提前防范。",
                                 [f"主题整改措施库/{r['theme']}"] + [f"评价问题：{e['project']}（{e['source']}）"
                                                                   for e in r["evidence"][:2]], "risk",
                                 embed_text=tmpl))
    return out
