"""`pbm suggest`: a complete, project-specific indicator table for a new project.

Rows come from four places, and each names its basis as the national guidance asks:
the project's own plan (计划标准: "覆盖32个服务窗口" → 升级服务窗口数量 ≥32个), what similar past
projects declared (历史标准), the reference library for the project's kind (行业标准), and the
budget (预算支出标准). Candidates are scored (own plan first, then closeness to the overview),
de-duplicated and picked per dimension so that every required dimension is covered.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import InputError
from ..text.normalize import to_halfwidth
from . import frame
from .context import DraftingContext
from .draft import _budget, _text, _year
from .kinds import project_text
from .measure import format_target, unit_family
from .names import fill, project_object, similar
from .plan import Plan, Quantity, read_plan
from .reference import ReferenceIndicator
from .rules import FAMILIES

#: (二级, most rows, fewest rows), in table order.
QUOTAS: tuple[tuple[str, int, int], ...] = (
    (frame.QUANTITY, 4, 1), (frame.QUALITY, 3, 1), (frame.TIMELINESS, 2, 1), (frame.COST, 2, 1),
    (frame.ECONOMIC, 1, 0), (frame.SOCIAL, 3, 1), (frame.ECOLOGICAL, 1, 0), (frame.SUSTAINABLE, 2, 1),
    (frame.CLIENT, 2, 1),
)
MAX_ROWS, MIN_ROWS = 20, 8
_BASE = {"plan": 2.0, "budget": 1.5, "risk": 1.1, "reference": 1.0, "history": 0.8}
_ECO_TOPIC = next(f.topic for f in FAMILIES if f.label == "生态效益")
_ECON_TOPIC = next(f.topic for f in FAMILIES if f.label == "经济拉动")


@dataclass
class Candidate:
    level1: str
    level2: str
    name: str
    target: str
    basis: str
    reason: str
    sources: list[str]
    origin: str
    score: float = 0.0
    typical_count: bool = False  # a reference count target with no number from the plan
    embed_text: str = ""  # what the encoder reads (a reference template without its object: cached)
    vector: Any = None

    def as_dict(self) -> dict[str, Any]:
        return {"level1": self.level1, "level2": self.level2, "name": self.name, "target": self.target,
                "basis": self.basis, "reason": self.reason, "sources": self.sources}


@dataclass
class Request:
    project: str
    overview: str = ""
    kind: str | None = None
    year: int | None = None
    budget: float | None = None
    annual_goal: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "。".join(t for t in (self.project, self.overview, self.annual_goal) if t)


def read_request(obj: Any) -> Request:
    """Validate a suggest request; the message says which field to fix."""
    if not isinstance(obj, dict):
        raise InputError("输入应为 JSON 对象，例如 {\"project\": \"河道保洁养护\", \"overview\": \"…\"}。",
                         "input must be a JSON object such as {\"project\": \"…\", \"overview\": \"…\"}.")
    project = _text(obj.get("project"))
    if not project:
        raise InputError("缺少项目名称：请提供 \"project\" 字段（以及尽量详细的 \"overview\" 项目概况）。",
                         "the project name is missing: add a \"project\" field (and an \"overview\").")
    return Request(project, _text(obj.get("overview")), _text(obj.get("kind")) or None, _year(obj.get("year")),
                   _budget(obj.get("budget")), _text(obj.get("annual_goal")))


# ---- the project's object ----------------------------------------------------------------------------

def subject_of(project: str) -> str:
    """A short name for what the project delivers, to put in front of reference templates."""
    obj, _ = project_object(project)
    obj = re.sub(r"[“”\"《》]", "", obj)
    if len(obj) > 12:
        from ..text.tokenize import words

        kept: list[str] = []
        for w in reversed(words(obj)):
            if sum(map(len, kept)) + len(w) > 11:
                break
            kept.insert(0, w)
        obj = "".join(kept) or obj[-8:]
    return obj or "项目"


# ---- candidates from the plan ----------------------------------------------------------------------

_PER = {"日": "日均", "周": "每周", "月": "每月", "年": "年度"}
_COUNT_WORD = {"次": "次数", "场": "场次", "场次": "场次", "期": "期数", "批": "批次", "批次": "批次", "课时": "课时数",
               "学时": "学时数"}


#: Organisations and places: counted as those a purchase serves or a service reaches.
_PLACE = re.compile(r"(?:医院|卫生院|学校|幼儿园|社区|街道|乡镇|村|单位|机构|企业|部门|园区|小区|站点|场馆)$")
_FOR_PLACES = {**dict.fromkeys(("采购", "购置", "配置", "配备", "更新", "更换", "安装", "部署"), "受益"),
               **dict.fromkeys(("开展", "组织", "组织开展", "提供", "完成"), "覆盖")}


def quantity_name(q: Quantity) -> str:
    """覆盖32个服务窗口 → 升级服务窗口数量; 培训基层社工500人次 → 培训基层社工人次."""
    per = _PER.get(q.per, "")
    base_unit = q.unit.lstrip("万")
    fam = unit_family(q.unit)
    obj = q.obj if q.obj != q.verb else ""
    verb = q.verb
    if _PLACE.search(obj) and verb in _FOR_PLACES:
        verb = _FOR_PLACES[verb]  # 为3家医院采购CT机: the hospitals benefit, they are not bought
    if base_unit == "人次":
        measure = "人次"
    elif base_unit in ("人", "名"):
        measure = "数" if obj.endswith("人") else "人数"
    elif base_unit in _COUNT_WORD:
        measure = _COUNT_WORD[base_unit]
    elif fam == "length":
        measure = "长度"
    elif fam == "area":
        measure = "面积"
    elif fam == "weight":
        measure = "量"
    else:
        measure = "数量"
    return f"{per}{verb}{obj}{measure}"


def _plan_candidates(plan: Plan, year: int | None) -> list[Candidate]:
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


def _budget_candidate(req: Request, subject: str) -> list[Candidate]:
    if not req.budget or req.budget <= 0:
        return []
    wan = req.budget / 10_000
    value = round(wan, 2)
    return [Candidate(frame.OUTPUT, frame.COST, f"{subject}项目总成本", format_target("≤", value, "万元"), "预算支出标准",
                      f"按申报预算{value:g}万元设定成本上限，超支需按程序调整。", [f"申报预算：{req.budget:,.0f}元"],
                      "budget")]


# ---- candidates from the reference library and history ---------------------------------------------

def _fits(entry: ReferenceIndicator, text: str) -> bool:
    """经济/生态 rows only where the project is about them."""
    if entry.level2 == frame.ECOLOGICAL:
        return bool(re.search(_ECO_TOPIC, text))
    if entry.level2 == frame.ECONOMIC:
        return bool(re.search(_ECON_TOPIC, text))
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


_PER_UNIT = {"单台": ("台",), "单套": ("套",), "单份": ("份",), "人均": ("人", "名", "人次"), "单项": ("项",),
             "每场": ("场",), "每期": ("期",), "单场": ("场",)}


def _unit_cost(e: ReferenceIndicator, name: str, req: Request, plan: Plan) -> tuple[str, str, str] | None:
    """单台设备平均采购价格 from the budget and the planned number of 台 (预算支出标准)."""
    if not req.budget:
        return None
    for word, units in _PER_UNIT.items():
        if word in name:
            n = sum(q.number for q in plan.quantities if q.unit in units)
            if n > 0:
                wan = req.budget / 10_000 / n
                unit = "万元" if wan >= 1 else "元"
                value = round(wan if unit == "万元" else wan * 10_000, 2)
                why = f"申报预算{req.budget / 10_000:g}万元 ÷ 计划{n:g}{units[0]}"
                return format_target("≤", value, unit), "预算支出标准", why
    return None


def _reference_candidates(kind: str, subject: str, req: Request, plan: Plan, ctx: DraftingContext,
                          text: str) -> list[Candidate]:
    prof = ctx.reference.get(kind)
    if prof is None:
        return []
    planned = {q.number for q in plan.quantities}
    out = []
    for e in prof.indicators:
        if not _fits(e, text):
            continue
        name = fill(e.name, subject)
        src = [f"参考指标库/{kind}：{e.name}（{e.provenance}）"]
        target, basis, reason = e.target, "行业标准", f"{kind}类项目的常用{e.level2}（参考指标库）。"
        m = re.search(e.quantity_pattern, text) if e.quantity_pattern else None
        cost = _unit_cost(e, name, req, plan) if e.level2 == frame.COST else None
        typical = False
        if m and m.groups() and m.group(1):
            raw = m.group(1).replace(",", "")
            scale = raw[-1] if raw[-1] in "万千" else ""  # "120万平方米" keeps its 万, as the plan reads it
            num = float(raw.rstrip("万千"))
            if num in planned:
                continue  # the plan's own row says it more specifically
            target, basis = format_target(e.operator or "≥", num, scale + (e.unit or "")), "计划标准"
            reason = f"项目概况写明“{m.group(0)}”，按计划数设定（指标名取自参考指标库）。"
            src.insert(0, f"项目概况：{m.group(0)}")
        elif cost:
            target, basis, why = cost
            reason = f"按{why}测算单位成本上限。"
            src.insert(0, f"申报预算：{req.budget:,.0f}元")
        else:
            hist = _history_for(e.name.replace("{object}", ""), e.unit, ctx)
            fam = unit_family(e.unit)
            per_unit = (e.unit or "").partition("/")[2]
            typical = (fam in ("count", "area", "length", "weight") and bool(e.value)) or (
                fam == "money" and not per_unit and bool(e.value) and e.level2 == frame.QUANTITY) or (
                fam == "money" and bool(per_unit) and not any(u in text for u in re.split(r"[·/]", per_unit) if u))
            if hist:
                target, basis = hist[0], "历史标准"
                reason = f"同类项目曾申报同一指标（{hist[1][0].split('：')[0]}），按其目标值设定。"
                src = [f"历史申报：{p}" for p in hist[1]] + src
            elif typical:
                reason = (f"{kind}类项目的常用{e.level2}；项目概况未给出相应计划数，暂按参考指标库典型值"
                          f"{target}设定，请按实施方案核实。")
        out.append(Candidate(e.level1, e.level2, name, target, basis, reason, src, "reference", typical_count=typical,
                             embed_text=e.name.replace("{object}", "")))
    return out


def _history_candidates(req: Request, ctx: DraftingContext, qv: np.ndarray) -> list[Candidate]:
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
            entry = ctx.library.get(_core(ind["name"], d["project"]))
            if entry is None or entry.level1 == frame.LEGACY or entry.numeric_target() is None:
                continue
            if "完成" in entry.core and entry.level2 in (frame.QUANTITY, frame.TIMELINESS):
                continue  # 工作完成率 =100%: the boilerplate evaluators criticise, not worth copying
            out.append(Candidate(entry.level1, entry.level2, entry.core, entry.target_text() or ind["target"],
                                 "历史标准", f"相似的过往项目“{d['project']}”（{d.get('year')}）申报了该指标。",
                                 [f"历史申报：{p}" for p in entry.provenance()], "history"))
    return out


def _core(name: str, project: str) -> str:
    from .names import core_name

    return core_name(name, project)


# ---- scoring and picking --------------------------------------------------------------------------------

def _passes_checks(cands: list[Candidate], req: Request, kind: str) -> list[Candidate]:
    """Drop any candidate the checker would flag (a past project's 财政投入乘数 for software …)."""
    from .draft import make_draft
    from .rules import kind_mismatch, unit_mismatch, vague_target, wrong_direction

    draft = make_draft({"project": req.project, "overview": req.overview, "annual_goal": req.annual_goal,
                        "indicators": [c.as_dict() for c in cands]})
    bad = {f.indicator for rule in (kind_mismatch, unit_mismatch, vague_target, wrong_direction)
           for f in rule(draft, kind=kind)}
    return [c for c in cands if c.name not in bad]


def _score(cands: list[Candidate], ctx: DraftingContext, qv: np.ndarray) -> None:
    embs = ctx.encoder.encode([c.embed_text or c.name for c in cands])
    sims = embs @ qv
    for c, e in zip(cands, embs):
        c.vector = e
    for c, s in zip(cands, sims):
        penalty = (0.7 if c.level2 == frame.QUANTITY else 0.35) if c.typical_count else 0.0
        specific = 0.1 if c.embed_text and c.embed_text != c.name else 0.0  # a template that took the object
        c.score = _BASE[c.origin] + 0.8 * float(s) - penalty + specific


def _pick(cands: list[Candidate]) -> list[Candidate]:
    cands = sorted(cands, key=lambda c: -c.score)
    kept: list[int] = []
    for i, c in enumerate(cands):
        dup = any(similar(c.name, cands[j].name) >= 0.75 or float(c.vector @ cands[j].vector) >= 0.95 for j in kept)
        if not dup:
            kept.append(i)
    pool = [cands[i] for i in kept]
    chosen: list[Candidate] = []
    by_l2: dict[str, list[Candidate]] = {}
    for c in pool:
        by_l2.setdefault(c.level2, []).append(c)
    has_planned_qty = any(c.origin == "plan" and c.level2 == frame.QUANTITY for c in pool)
    for l2, most, fewest in QUOTAS:
        rows = by_l2.get(l2, [])
        if has_planned_qty and l2 == frame.QUANTITY:
            rows = [c for c in rows if not c.typical_count]
        typical = [c for c in rows if c.typical_count]
        rows = [c for c in rows if not c.typical_count or c is typical[0]]  # one typical default at most
        take = rows[:most]
        chosen += take if len(take) >= fewest else rows[:fewest]
    if len(chosen) < MIN_ROWS:
        rest = [c for c in pool if c not in chosen and c.level2 in {q[0] for q in QUOTAS}]
        chosen += rest[:MIN_ROWS - len(chosen)]
    chosen = chosen[:MAX_ROWS] if len(chosen) <= MAX_ROWS else _trim(chosen)
    order = {l2: i for i, (l2, _, _) in enumerate(QUOTAS)}
    return sorted(chosen, key=lambda c: (order.get(c.level2, 99), -c.score))


def _trim(rows: list[Candidate]) -> list[Candidate]:
    """Drop the weakest rows of well-covered dimensions until at most MAX_ROWS remain."""
    rows = list(rows)
    while len(rows) > MAX_ROWS:
        counts: dict[str, int] = {}
        for r in rows:
            counts[r.level2] = counts.get(r.level2, 0) + 1
        weakest = min((r for r in rows if counts[r.level2] > 1), key=lambda r: r.score)
        rows.remove(weakest)
    return rows


def suggest(request: dict[str, Any] | Request, ctx: DraftingContext, with_risks: bool = True) -> dict[str, Any]:
    """The indicator table (8–20 rows), the inferred kind with its confidence, and the risk forecast."""
    req = request if isinstance(request, Request) else read_request(request)
    subject = subject_of(req.project)
    text = to_halfwidth(req.text)
    plan = read_plan(req.overview, req.annual_goal, subject=subject)
    cands = _plan_candidates(plan, req.year) + _budget_candidate(req, subject)
    query = project_text(req.project, req.overview, req.annual_goal)
    # One encoder pass for everything new in this request; later lookups hit the cache.
    qv = ctx.encoder.encode([query, *(c.name for c in cands)])[0]
    guess = ctx.resolve_kind(req.project, req.overview, req.annual_goal, req.kind)
    cands += _reference_candidates(guess.kind, subject, req, plan, ctx, text)
    cands += _history_candidates(req, ctx, qv)
    risks: list[dict[str, Any]] = []
    if with_risks:
        from .risk import forecast, preempt_candidates

        risks = forecast(query, guess.kind, ctx, subject=subject)
        cands += preempt_candidates(risks, ctx.measures)
    cands = _passes_checks(cands, req, guess.kind)
    _score(cands, ctx, qv)
    rows = _pick(cands)
    return {"project": req.project, "kind": guess.kind, "kind_confidence": round(guess.confidence, 3),
            "kind_source": guess.source, "kind_alternatives": guess.as_dict()["alternatives"],
            "object": subject, "indicators": [r.as_dict() for r in rows], "risks": risks}
