"""Candidate rows for a suggested indicator table, each with its basis (计划标准, 预算支出标准,
行业标准, 历史标准), the reason a drafter reads and the sources it can check.

Producers: the project's own plan (:func:`from_plan`), its budget (:func:`from_budget`), the
reference library of its kind (:func:`from_reference`), similar past declarations
(:func:`from_history`) and the risk forecast (:func:`from_risks`). pick.py scores and chooses.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import frame
from .context import DraftingContext
from .draft import Draft
from .families import family
from .measure import format_target, unit_family
from .names import core_name, fill
from .plan import Plan, Quantity
from .reference import ReferenceIndicator
from .vocab import lexicon


@dataclass
class Candidate:
    level1: str
    level2: str
    name: str
    target: str
    basis: str
    reason: str
    sources: list[str]
    origin: str  # plan | budget | reference | history | risk
    score: float = 0.0
    typical_count: bool = False  # a reference count target with no number from the plan
    embed_text: str = ""  # what the encoder reads (a reference template without its object: cached)
    vector: Any = None

    def as_dict(self) -> dict[str, Any]:
        return {"level1": self.level1, "level2": self.level2, "name": self.name, "target": self.target,
                "basis": self.basis, "reason": self.reason, "sources": self.sources}


# ---- from the plan -------------------------------------------------------------------------------

def quantity_name(q: Quantity) -> str:
    """覆盖32个服务窗口 → 升级服务窗口数量; 培训基层社工500人次 → 培训基层社工人次."""
    lex = lexicon("plan")
    per = lex.table("per_period").get(q.per, "")
    base_unit = q.unit.lstrip("万")
    fam = unit_family(q.unit)
    obj = q.obj if q.obj != q.verb else ""
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


def from_budget(req: Draft, subject: str) -> list[Candidate]:
    if not req.budget or req.budget <= 0:
        return []
    value = round(req.budget / 10_000, 2)
    return [Candidate(frame.OUTPUT, frame.COST, f"{subject}项目总成本", format_target("≤", value, "万元"), "预算支出标准",
                      f"按申报预算{value:g}万元设定成本上限，超支需按程序调整。", [f"申报预算：{req.budget:,.0f}元"], "budget")]


# ---- from the reference library and history ---------------------------------------------------------

def _fits(entry: ReferenceIndicator, text: str) -> bool:
    """经济/生态 rows only where the project is about them."""
    if entry.level2 == frame.ECOLOGICAL:
        return family("生态效益").about(text)
    if entry.level2 == frame.ECONOMIC:
        return family("经济拉动").about(text)
    return True


def _history_for(name: str, entry_unit: str | None, ctx: DraftingContext) -> tuple[str, list[str]] | None:
    """A numeric target that past declarations gave to an indicator of (nearly) this name."""
    best, best_s = ctx.library.nearest_numeric(name)
    if best is None or best_s < 0.8:
        return None
    op, value, unit = best.numeric_target()
    if unit_family(unit or None) != unit_family(entry_unit):
        return None
    return format_target(op, value, unit), best.provenance()


def _unit_cost(name: str, req: Draft, plan: Plan) -> tuple[str, str, str] | None:
    """单台设备平均采购价格 from the budget and the planned number of 台 (预算支出标准)."""
    if not req.budget:
        return None
    for word, units in lexicon("plan").table("per_unit").items():
        if word in name:
            n = sum(q.number for q in plan.quantities if q.unit in units)
            if n > 0:
                wan = req.budget / 10_000 / n
                unit = "万元" if wan >= 1 else "元"
                value = round(wan if unit == "万元" else wan * 10_000, 2)
                why = f"申报预算{req.budget / 10_000:g}万元 ÷ 计划{n:g}{units[0]}"
                return format_target("≤", value, unit), "预算支出标准", why
    return None


def _typical(e: ReferenceIndicator, text: str) -> bool:
    """A reference target that is really a project quantity (a count, an area, a price per unit)."""
    fam = unit_family(e.unit)
    per_unit = (e.unit or "").partition("/")[2]
    return (fam in ("count", "area", "length", "weight") and bool(e.value)) or (
        fam == "money" and not per_unit and bool(e.value) and e.level2 == frame.QUANTITY) or (
        fam == "money" and bool(per_unit) and not any(u in text for u in re.split(r"[·/]", per_unit) if u))


def _one_reference(e: ReferenceIndicator, kind: str, subject: str, req: Draft, plan: Plan, ctx: DraftingContext,
                   text: str) -> Candidate | None:
    name = fill(e.name, subject)
    src = [f"参考指标库/{kind}：{e.name}（{e.provenance}）"]
    target, basis, reason = e.target, "行业标准", f"{kind}类项目的常用{e.level2}（参考指标库）。"
    m = re.search(e.quantity_pattern, text) if e.quantity_pattern else None
    cost = _unit_cost(name, req, plan) if e.level2 == frame.COST else None
    typical = False
    if m and m.groups() and m.group(1):
        raw = m.group(1).replace(",", "")
        scale = raw[-1] if raw[-1] in "万千" else ""  # "120万平方米" keeps its 万, as the plan reads it
        num = float(raw.rstrip("万千"))
        if num in {q.number for q in plan.quantities}:
            return None  # the plan's own row says it more specifically
        target, basis = format_target(e.operator or "≥", num, scale + (e.unit or "")), "计划标准"
        reason = f"项目概况写明“{m.group(0)}”，按计划数设定（指标名取自参考指标库）。"
        src.insert(0, f"项目概况：{m.group(0)}")
    elif cost:
        target, basis, why = cost
        reason = f"按{why}测算单位成本上限。"
        src.insert(0, f"申报预算：{req.budget:,.0f}元")
    else:
        hist = _history_for(e.name.replace("{object}", ""), e.unit, ctx)
        typical = _typical(e, text)
        if hist:
            target, basis = hist[0], "历史标准"
            reason = f"同类项目曾申报同一指标（{hist[1][0].split('：')[0]}），按其目标值设定。"
            src = [f"历史申报：{p}" for p in hist[1]] + src
        elif typical:
            reason = (f"{kind}类项目的常用{e.level2}；项目概况未给出相应计划数，暂按参考指标库典型值"
                      f"{target}设定，请按实施方案核实。")
    return Candidate(e.level1, e.level2, name, target, basis, reason, src, "reference", typical_count=typical,
                     embed_text=e.name.replace("{object}", ""))


def from_reference(kind: str, subject: str, req: Draft, plan: Plan, ctx: DraftingContext, text: str) -> list[Candidate]:
    prof = ctx.reference.get(kind)
    if prof is None:
        return []
    found = (_one_reference(e, kind, subject, req, plan, ctx, text) for e in prof.indicators if _fits(e, text))
    return [c for c in found if c is not None]


def from_history(req: Draft, ctx: DraftingContext, qv: np.ndarray) -> list[Candidate]:
    """Numeric indicators of the most similar past declarations (their own names, core form)."""
    decls = [d for d in ctx.declarations if d.get("indicators")]
    if not decls:
        return []
    texts = [f"{d['project']}。{(d.get('overview') or d.get('annual_goal') or '')[:200]}" for d in decls]
    sims = ctx.encoder.encode(texts) @ qv
    out = []
    for i in np.argsort(-sims)[:3]:
        if sims[i] < 0.85:
            break
        d = decls[i]
        for ind in d["indicators"]:
            entry = ctx.library.get(core_name(ind["name"], d["project"]))
            if entry is None or entry.level1 == frame.LEGACY or entry.numeric_target() is None:
                continue
            if "完成" in entry.core and entry.level2 in (frame.QUANTITY, frame.TIMELINESS):
                continue  # 工作完成率 =100%: the boilerplate evaluators criticise, not worth copying
            out.append(Candidate(entry.level1, entry.level2, entry.core, entry.target_text() or ind["target"],
                                 "历史标准", f"相似的过往项目“{d['project']}”（{d.get('year')}）申报了该指标。",
                                 [f"历史申报：{p}" for p in entry.provenance()], "history"))
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
