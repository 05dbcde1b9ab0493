"""`pbm suggest`: a complete, project-specific indicator table for a new project.

Rows come from four places, and each names its basis as the national guidance asks:
the project's own plan (计划标准: "覆盖32个服务窗口" → 升级服务窗口数量 ≥32个), what similar past
projects declared (历史标准), the reference library for the project's kind (行业标准), and the
budget (预算支出标准). Candidates (candidates.py) are scored (own plan first, then closeness to
the overview), de-duplicated and picked per dimension so that every required dimension is
covered (pick.py).
"""
from __future__ import annotations

from typing import Any

from ..text.normalize import to_halfwidth
from . import candidates as cand
from . import reference_rows
from .context import DraftingContext
from .draft import Draft, read_request
from .kinds import project_text
from .names import subject_of
from .pick import passes_checks, pick, score
from .plan import read_plan
from .risk import forecast


def suggest(request: dict[str, Any] | Draft, ctx: DraftingContext, with_risks: bool = True) -> dict[str, Any]:
    """The indicator table (8–20 rows), the inferred kind with its confidence, and the risk forecast."""
    req = request if isinstance(request, Draft) else read_request(request)
    subject = subject_of(req.project)
    text = to_halfwidth(req.request_text)
    plan = read_plan(req.overview, req.annual_goal, subject=subject)
    cands = cand.from_plan(plan, req.year)
    query = project_text(req.project, req.overview, req.annual_goal)
    # One encoder pass for everything new in this request (the kind inference reads the same query);
    # later lookups hit the cache.
    qv = ctx.encoder.encode([query, *(c.name for c in cands), f"{subject}项目总成本"])[0]
    guess = ctx.resolve_kind(req.project, req.overview, req.annual_goal, req.kind)
    cands += cand.from_budget(req, subject, plan, guess.kind)
    cands += reference_rows.from_reference(guess.kind, subject, req, plan, ctx, text)
    cands += reference_rows.from_history(req, ctx, qv)
    risks = forecast(query, guess.kind, ctx, subject=subject) if with_risks else []
    cands += cand.from_risks(risks, ctx.measures)
    cands = passes_checks(cand.enforce_basis(cands), req, guess.kind)
    score(cands, ctx, qv)
    rows = pick(cands)
    return {"project": req.project, "kind": guess.kind, "kind_confidence": round(guess.confidence, 3),
            "kind_source": guess.source, "kind_runner_up": guess.runner_up,
            "kind_alternatives": guess.as_dict()["alternatives"],
            "object": subject, "indicators": [r.as_dict() for r in rows], "risks": risks}
