"""Scoring and choosing candidate rows: the checker's veto, closeness to the project, de-duplication,
and quotas per 二级 so that every required dimension is covered in 8–20 rows."""
from __future__ import annotations

import numpy as np

from . import frame, rules
from .candidates import Candidate
from .context import DraftingContext
from .draft import Draft, make_draft
from .names import similar

#: (二级, most rows, fewest rows), in table order.
QUOTAS: tuple[tuple[str, int, int], ...] = (
    (frame.QUANTITY, 4, 1), (frame.QUALITY, 3, 1), (frame.TIMELINESS, 2, 1), (frame.COST, 2, 1),
    (frame.ECONOMIC, 1, 0), (frame.SOCIAL, 3, 1), (frame.ECOLOGICAL, 1, 0), (frame.SUSTAINABLE, 2, 1),
    (frame.CLIENT, 2, 1),
)
MAX_ROWS, MIN_ROWS = 20, 8
_BASE = {"plan": 2.0, "budget": 1.5, "risk": 1.1, "reference": 1.0, "history": 0.8}
#: The rules a suggested row must pass (the others judge a whole form, not a row).
VETO_RULES = ("kind_mismatch", "unit_mismatch", "vague_target", "wrong_direction")


def passes_checks(cands: list[Candidate], req: Draft, kind: str) -> list[Candidate]:
    """Drop any candidate the checker would flag (a past project's 财政投入乘数 for software …)."""
    draft = make_draft({"project": req.project, "overview": req.overview, "annual_goal": req.annual_goal,
                        "indicators": [c.as_dict() for c in cands]})
    env = rules.RuleEnv(kind=kind)
    todo = {c.name for c in cands if c.todo}  # left for the drafter on purpose: not vague
    bad = {f.indicator for rid in VETO_RULES for f in rules.get(rid).check(draft, env)
           if not (rid == "vague_target" and f.indicator in todo)}
    return [c for c in cands if c.name not in bad]


def score(cands: list[Candidate], ctx: DraftingContext, qv: np.ndarray) -> None:
    embs = ctx.encoder.encode([c.embed_text or c.name for c in cands])
    sims = embs @ qv
    for c, e, s in zip(cands, embs, sims):
        c.vector = e
        penalty = (0.7 if c.level2 == frame.QUANTITY else 0.35) if c.todo else 0.0
        specific = 0.1 if c.embed_text and c.embed_text != c.name else 0.0  # a template that took the object
        c.score = _BASE[c.origin] + 0.8 * float(s) - penalty + specific


def _dedupe(cands: list[Candidate]) -> list[Candidate]:
    cands = sorted(cands, key=lambda c: -c.score)
    kept: list[Candidate] = []
    for c in cands:
        if not any(similar(c.name, k.name) >= 0.75 or float(c.vector @ k.vector) >= 0.95
                   or (c.basis == k.basis == "预算支出标准" and c.target == k.target) for k in kept):
            kept.append(c)
    return kept


def pick(cands: list[Candidate]) -> list[Candidate]:
    pool = _dedupe(cands)
    chosen: list[Candidate] = []
    by_l2: dict[str, list[Candidate]] = {}
    for c in pool:
        by_l2.setdefault(c.level2, []).append(c)
    has_planned_qty = any(c.origin == "plan" and c.level2 == frame.QUANTITY for c in pool)
    for l2, most, fewest in QUOTAS:
        rows = by_l2.get(l2, [])
        if has_planned_qty and l2 == frame.QUANTITY:
            rows = [c for c in rows if not c.todo]
        todo = [c for c in rows if c.todo]
        rows = [c for c in rows if not c.todo or c is todo[0]]  # one row to fill in per 二级 at most
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
