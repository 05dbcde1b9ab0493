"""Candidate rows from the reference library of the project's kind and from similar past declarations.

A library entry is a standard (a rate, a zero, or a value a cited rule sets: 行业标准 with the
entry and its source), a qualitative target, or a project quantity. A quantity is taken from the
overview when its pattern finds it (计划标准), derived from the budget when it is a unit cost
(预算支出标准), and otherwise left 待填 with what similar past declarations declared, or the
library's typical value, as the reference range. Past declarations give rates as 历史标准
("同类 N 项申报值 a–b，中位数 m"); their quantities are another project's and are only shown as
a reference.
"""
from __future__ import annotations

import re

import numpy as np

from . import frame
from .candidates import Candidate, make_todo, per_unit_cost, units_total
from .context import DraftingContext
from .draft import Draft
from .families import family
from .measure import format_target, read_target, unit_family
from .names import core_name, fill
from .plan import Plan
from .reference import ReferenceIndicator
from .vocab import lexicon


def _fits(entry: ReferenceIndicator, text: str) -> bool:
    """经济/生态 rows only where the project is about them; topic rows only where it talks about the topic."""
    if not entry.fits(text):
        return False
    if entry.level2 == frame.ECOLOGICAL:
        return family("生态效益").about(text)
    if entry.level2 == frame.ECONOMIC:
        return family("经济拉动").about(text)
    return True


def _source(kind: str, e: ReferenceIndicator) -> str:
    return f"参考指标库/{kind}/{e.name.replace('{object}', '')}：{e.provenance}"


def _from_overview(e: ReferenceIndicator, text: str, plan: Plan) -> tuple[str, str] | None:
    """(target, phrase) when the overview states this quantity (计划标准)."""
    m = re.search(e.quantity_pattern, text) if e.quantity_pattern else None
    if not (m and m.groups() and m.group(1)):
        return None
    raw = m.group(1).replace(",", "")
    scale = raw[-1] if raw[-1] in "万千" else ""  # "120万平方米" keeps its 万, as the plan reads it
    num = float(raw.rstrip("万千"))
    if num in {q.number for q in plan.quantities}:
        return "", ""  # the plan's own row says it more specifically
    return format_target(e.operator or "≥", num, scale + (e.unit or "")), m.group(0)


def _from_budget(e: ReferenceIndicator, req: Draft, plan: Plan) -> tuple[str, str, str] | None:
    """(target, arithmetic, phrase) of a unit cost: budget ÷ the planned number of its unit (预算支出标准)."""
    per = (e.unit or "").partition("/")[2].split("·")[0]
    if not req.budget or unit_family(e.unit) != "money":
        return None
    units = next((us for word, us in lexicon("plan").table("per_unit").items() if word in e.name), [per] if per else [])
    total = units_total(plan, units)
    if total is None:
        return None
    target, _, arithmetic = per_unit_cost(req.budget, total[0], total[1], "年" in (e.unit or ""), total[2])
    return target, arithmetic, total[3]


def _reference_range(e: ReferenceIndicator, ctx: DraftingContext, kind: str) -> tuple[str, str]:
    """(the range shown in the 待填 cell, where it comes from)."""
    rng = ctx.library.range_for(e.name.replace("{object}", ""), unit_family(e.unit), kind)
    if rng is not None:
        return rng.text(), "；".join(f"历史申报 {p}" for p in rng.provenance)
    if e.typical is not None:
        return f"参考指标库典型值 {format_target(e.operator or '≥', e.typical, e.unit or '')}", e.provenance
    return "", ""


def _one(e: ReferenceIndicator, kind: str, subject: str, req: Draft, plan: Plan, ctx: DraftingContext,
         text: str) -> Candidate | None:
    name = fill(e.name, subject)
    c = Candidate(e.level1, e.level2, name, e.target, "行业标准", f"{kind}类项目的常用{e.level2}（参考指标库）。",
                  [_source(kind, e)], "reference", standard=e.basis == "standard" and e.unit not in ("%", "分"),
                  embed_text=e.name.replace("{object}", ""))
    if e.basis != "quantity":
        rng = ctx.library.range_for(e.name.replace("{object}", ""), unit_family(e.unit), kind) if e.value else None
        if rng is not None and unit_family(e.unit) == "percent":
            c.target = format_target(e.operator or "≥", rng.median, rng.unit or "%")
            c.basis, c.reason = "历史标准", f"{rng.text()}，取中位数（另见参考指标库：{e.provenance}）。"
            c.sources = [f"历史申报：{p}" for p in rng.provenance] + c.sources
        return c
    stated = _from_overview(e, text, plan)
    if stated is not None:
        if not stated[0]:
            return None
        c.target, c.basis, c.reason = stated[0], "计划标准", f"项目概况写明“{stated[1]}”，按计划数设定（指标名取自参考指标库）。"
        c.sources.insert(0, f"项目概况：{stated[1]}")
        return c
    derived = _from_budget(e, req, plan)
    if derived is not None:
        c.target, c.basis = derived[0], "预算支出标准"
        c.reason = f"按申报预算测算：{derived[1]}。"
        c.sources[:0] = [f"申报预算：{req.budget:,.0f}元", f"项目概况：{derived[2]}"]
        return c
    ref, source = _reference_range(e, ctx, kind)
    return make_todo(c, e.unit, ref, "项目概况未给出这一数量。", source)


def from_reference(kind: str, subject: str, req: Draft, plan: Plan, ctx: DraftingContext, text: str) -> list[Candidate]:
    prof = ctx.reference.get(kind)
    if prof is None:
        return []
    found = (_one(e, kind, subject, req, plan, ctx, text) for e in prof.indicators if _fits(e, text))
    return [c for c in found if c is not None]


def from_history(req: Draft, ctx: DraftingContext, qv: np.ndarray) -> list[Candidate]:
    """Numeric indicators of the most similar past declarations (their own names, core form): rates as
    历史标准; their quantities belong to another project and only become 待填 rows with a reference."""
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
            target = entry.target_text() or ind["target"]
            c = Candidate(entry.level1, entry.level2, entry.core, target, "历史标准",
                          f"相似的过往项目“{d['project']}”（{d.get('year')}）申报了该指标。",
                          [f"历史申报：{p}" for p in entry.provenance()], "history")
            unit = read_target(target).unit
            if unit_family(unit) not in ("percent", "score") and read_target(target).value:
                c = make_todo(c, unit, f"相似项目“{d['project']}”申报 {target}", "这是另一个项目的数量。")
            out.append(c)
    return out
