"""`pbm lint`: check declarations the way an evaluator would, one report per declaration.

The nine rules live in rules.py; this module resolves each draft's kind (a missing or generic
kind such as 其他运转类 is inferred as in `pbm suggest`), runs the per-draft rules, runs the
batch rule (boilerplate_set) across all drafts given together, and builds concrete fixes for
missing dimensions from the suggester's reference rows.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import frame, rules
from .context import DraftingContext
from .draft import Draft, make_draft
from .kinds import project_text
from .names import fill
from .suggest import subject_of

SEVERITY_ORDER = {"error": 0, "warn": 1, "info": 2}
#: An inferred kind this likely is not ruled out: its indicators are not called mismatched.
PLAUSIBLE = 0.2


def _fixer(ctx: DraftingContext, kind: str):
    """A concrete row for a missing dimension: the kind's first reference indicator of that 二级."""
    def fix(draft: Draft, dim: str) -> str:
        prof = ctx.reference.get(kind)
        want = {"效益": (frame.SOCIAL,), "成本": (frame.COST,)}.get(dim, (frame.DIMENSION_SLOT[dim][1],))
        for e in (prof.indicators if prof else []):
            if e.level2 in want:
                return f"增加{e.level1}/{e.level2}“{fill(e.name, subject_of(draft.project))} {e.target}”"
        l1, l2 = frame.DIMENSION_SLOT[dim]
        return f"在{l1}/{l2}下增加可量化指标"
    return fix


def lint_drafts(drafts: Sequence[Draft], ctx: DraftingContext) -> list[dict[str, Any]]:
    """Findings for each draft (errors first), in input order."""
    batch = rules.boilerplate_set(drafts)
    reports = []
    for i, d in enumerate(drafts):
        goals = [g for g in (d.annual_goal, d.total_goal) if g.strip()]
        # One encoder pass for the texts this draft's rules will embed; later lookups hit the cache.
        ctx.encoder.encode([project_text(d.project, d.overview, d.goals), project_text(d.project, d.overview), *goals])
        guess = ctx.resolve_kind(d.project, d.overview, d.goals, d.kind)
        plausible = [k for k, p in guess.scores.items() if p >= PLAUSIBLE and k != guess.kind]
        findings: list[rules.Finding] = []
        for rule in rules.PER_DRAFT:
            findings += rule(d, kind=guess.kind, plausible=plausible, encoder=ctx.encoder, inferer=ctx.kinds,
                             fixer=_fixer(ctx, guess.kind))
        findings += batch.get(i, [])
        findings.sort(key=lambda f: SEVERITY_ORDER[f.severity])
        reports.append({"project": d.project, "year": d.year, "kind": guess.kind,
                        "kind_confidence": round(guess.confidence, 3), "kind_source": guess.source,
                        "findings": [f.as_dict() for f in findings],
                        "indicators": [r.as_dict() for r in d.rows]})
    return reports


def lint(declarations: Sequence[dict[str, Any]] | dict[str, Any], ctx: DraftingContext) -> list[dict[str, Any]]:
    """Validate raw declaration objects (the `pbm export` schema) and lint them together."""
    objs = [declarations] if isinstance(declarations, dict) else list(declarations)
    drafts = [make_draft(o, f"第 {k} 个申报表" if len(objs) > 1 else "申报表") for k, o in enumerate(objs, 1)]
    return lint_drafts(drafts, ctx)
