"""Risk forecast: which problems evaluators found in projects like this one, and how to pre-empt them.

The evidence is the corpus of past problem statements with their themes (the store's
evaluations and the labelled corpus). The nearest statements to the new project, weighted by
similarity and by being of the same kind, give each theme's share p among the problems of
similar projects; a past project carried about two problems, so the chance that a similar
project draws the theme at least once is reported as 1 − (1 − p)².
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from .context import DraftingContext, Labelled
from .names import fill

NEIGHBOURS = 24
PROBLEMS_PER_PROJECT = 2
MIN_PROBABILITY = 0.2
MAX_RISKS = 5
_SAME_KIND_BONUS = 0.05
_TEMPERATURE = 0.03


def _neighbours(text: str, kind: str | None, ctx: DraftingContext) -> list[tuple[Labelled, float, float]]:
    """(statement, similarity, weight) of the statements nearest to the project."""
    pool = ctx.labelled_problems()
    if not pool:
        return []
    embs = ctx.problem_embeddings()
    q = ctx.encoder.encode([text])[0]
    sims = embs @ q
    adj = sims + np.array([_SAME_KIND_BONUS if kind and p.kind == kind else 0.0 for p in pool])
    top = np.argsort(-adj)[:NEIGHBOURS]
    best = float(adj[top[0]])
    return [(pool[i], float(sims[i]), math.exp((float(adj[i]) - best) / _TEMPERATURE)) for i in top]


def forecast(text: str, kind: str | None, ctx: DraftingContext, subject: str = "项目") -> list[dict[str, Any]]:
    """Themes similar past projects were criticised for, most likely first, with evidence and pre-emption."""
    near = _neighbours(text, kind, ctx)
    total = sum(w for _, _, w in near)
    if not near or total <= 0:
        return []
    share: dict[str, float] = {}
    for p, _, w in near:
        for t in p.themes:
            share[t] = share.get(t, 0.0) + w / total
    out = []
    for theme, p in sorted(share.items(), key=lambda kv: -kv[1]):
        prob = 1 - (1 - min(p, 1.0)) ** PROBLEMS_PER_PROJECT
        if prob < MIN_PROBABILITY or len(out) >= MAX_RISKS:
            continue
        m = ctx.measures.get(theme)
        target = "服务供应商" if theme in ("supplier_oversight", "procurement_contract") else subject
        evidence = [{"project": e.project or f"同类{e.kind or ''}项目", "year": e.year, "problem": _clip(e.text),
                     "source": e.source, "similarity": round(s, 3)}
                    for e, s, _ in sorted((x for x in near if theme in x[0].themes), key=lambda x: -x[1])[:3]]
        out.append({
            "theme": theme, "name": m.name if m else theme, "probability": round(prob, 3),
            "evidence": evidence,
            "preempt_indicators": [{"level1": i.level1, "level2": i.level2, "name": fill(i.name, target),
                                    "target": i.target} for i in (m.indicators[:2] if m else [])],
            "preempt_measures": [fill(x, target) for x in (m.measures[:2] if m else [])],
        })
    return out


def _clip(text: str, n: int = 120) -> str:
    return text if len(text) <= n else text[:n] + "…"
