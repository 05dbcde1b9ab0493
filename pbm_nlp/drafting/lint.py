"""`pbm lint`: check declarations the way an evaluator would, one report per declaration.

The rules live in pbm_nlp/drafting/rules/, one module each; this module resolves each draft's
kind (a missing or generic kind such as 其他运转类 is inferred as in `pbm suggest`), runs the
per-draft rules, runs the batch rules (boilerplate_set) across all drafts given together, and
builds concrete fixes for missing dimensions from the reference rows of the draft's kind.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..schema import Declaration
from . import frame, rules
from .context import DraftingContext
from .draft import Draft, from_declaration, make_draft
from .kinds import project_text
from .names import fill, subject_of

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
    batch: dict[int, list[rules.Finding]] = {}
    for rule in rules.batch():
        for i, found in rule.check_batch(drafts).items():
            batch.setdefault(i, []).extend(found)
    reports = []
    for i, d in enumerate(drafts):
        goals = [g for g in (d.annual_goal, d.total_goal) if g.strip()]
        # One encoder pass for the texts this draft's rules will embed; later lookups hit the cache.
        ctx.encoder.encode([project_text(d.project, d.overview, d.goals), project_text(d.project, d.overview), *goals])
        guess = ctx.resolve_kind(d.project, d.overview, d.goals, d.kind)
        plausible = [k for k, p in guess.scores.items() if p >= PLAUSIBLE and k != guess.kind]
        env = rules.RuleEnv(kind=guess.kind, plausible=plausible, encoder=ctx.encoder, inferer=ctx.kinds,
                            fixer=_fixer(ctx, guess.kind))
        findings: list[rules.Finding] = []
        for rule in rules.per_draft():
            findings += rule.check(d, env)
        findings += batch.get(i, [])
        findings.sort(key=lambda f: SEVERITY_ORDER[f.severity])
        reports.append({"project": d.project, "year": d.year, "kind": guess.kind,
                        "kind_confidence": round(guess.confidence, 3), "kind_source": guess.source,
                        "findings": [f.as_dict() for f in findings],
                        "indicators": [r.as_dict() for r in d.rows]})
    return reports


def lint(declarations: Sequence[dict[str, Any] | Declaration] | dict[str, Any] | Declaration,
         ctx: DraftingContext) -> list[dict[str, Any]]:
    """Lint declarations together: raw objects in the `pbm export` schema (validated), or parsed 申报表."""
    objs = [declarations] if isinstance(declarations, (dict, Declaration)) else list(declarations)
    drafts = [from_declaration(o) if isinstance(o, Declaration) else
              make_draft(o, f"第 {k} 个申报表" if len(objs) > 1 else "申报表") for k, o in enumerate(objs, 1)]
    return lint_drafts(drafts, ctx)


def score_planted(drafts: Sequence[dict[str, Any]], ctx: DraftingContext) -> dict[str, Any]:
    """Recall of planted defects and false warnings, on drafts that list what was planted in them
    ({"planted": [{"rule", "indicator"}], "batch"}), as in corpora/dev/lint_dev*.jsonl.

    A planted defect is found when a warning or error of its rule names its indicator (or, for
    form-level rules and defects with no indicator, when the rule fires on that draft at all).
    Any other warning or error counts as false: on a clean draft, and on a defective one."""
    batches: dict[str, list[dict[str, Any]]] = {}
    for i, d in enumerate(drafts):
        batches.setdefault(d.get("batch") or f"draft-{i}", []).append(d)
    per_rule: dict[str, list[int]] = {}
    missed, false_clean, false_other = [], [], []
    form_level = {"missing_dimension", "boilerplate_set", "goal_mismatch"}
    for group in batches.values():
        for d, rep in zip(group, lint(group, ctx)):
            hits = [f for f in rep["findings"] if f["severity"] in ("error", "warn")]
            got = {(f["rule"], f.get("indicator")) for f in hits}
            rules_fired = {f["rule"] for f in hits}
            for p in d.get("planted", []):
                ok = (p["rule"], p["indicator"]) in got or (
                    (p["indicator"] is None or p["rule"] in form_level) and p["rule"] in rules_fired)
                per_rule.setdefault(p["rule"], [0, 0])[0] += ok
                per_rule[p["rule"]][1] += 1
                if not ok:
                    missed.append({"draft": d.get("id"), **p})
            planted = {(p["rule"], p["indicator"]) for p in d.get("planted", [])}
            loose = {p["rule"] for p in d.get("planted", []) if p["indicator"] is None or p["rule"] in form_level}
            for f in hits:
                if (f["rule"], f.get("indicator")) not in planted and f["rule"] not in loose:
                    (false_other if d.get("planted") else false_clean).append(
                        {"draft": d.get("id"), "rule": f["rule"], "indicator": f.get("indicator"),
                         "message": f["message"]})
    found = sum(v[0] for v in per_rule.values())
    total = sum(v[1] for v in per_rule.values())
    return {"found": found, "planted": total, "recall": found / total if total else 1.0,
            "per_rule": {k: f"{v[0]}/{v[1]}" for k, v in sorted(per_rule.items())},
            "clean_drafts": sum(1 for d in drafts if not d.get("planted")),
            "false_on_clean": false_clean, "false_on_defective": false_other, "missed": missed}
