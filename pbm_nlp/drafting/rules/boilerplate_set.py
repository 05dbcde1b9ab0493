"""boilerplate_set (batch): different projects given together that carry (nearly) the same indicator
set. Candidates come from the near-duplicate index over each draft's indicator keys, so 30,000
forms cost seconds rather than the 450 million pair comparisons of checking every pair; each
candidate is confirmed with the share of matching indicators."""
from __future__ import annotations

from collections.abc import Sequence

from ...features.neardup import NearDupIndex
from ..draft import Draft
from ..names import core_name, key, project_core, similar
from .base import Finding, Rule

THRESHOLD = 0.8
MIN_ROWS = 4


def indicator_set(draft: Draft) -> list[str]:
    return [key(core_name(r.name, draft.project)) for r in draft.rows]


def set_similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """Share of indicators that match (equal or nearly equal names), over the larger set."""
    if not a or not b:
        return 0.0
    rest_b = list(b)
    hits, unmatched = 0, []
    for x in a:  # equal names first (cheap), then near-equal ones among what is left
        if x in rest_b:
            rest_b.remove(x)
            hits += 1
        else:
            unmatched.append(x)
    for x in unmatched:
        j = next((j for j, y in enumerate(rest_b) if similar(x, y) >= 0.85), None)
        if j is not None:
            rest_b.pop(j)
            hits += 1
    return hits / max(len(a), len(b))


def peers(drafts: Sequence[Draft], threshold: float = THRESHOLD, min_rows: int = MIN_ROWS) -> dict[int, list[tuple[int, float]]]:
    """For each draft, the other projects' drafts whose indicator sets match it (share ≥ threshold)."""
    sets = [indicator_set(d) for d in drafts]
    cores: dict[int, str] = {}  # only drafts in a confirmed pair need their project's core

    def core(i: int) -> str:
        if i not in cores:
            cores[i] = project_core(drafts[i].project)
        return cores[i]

    usable = [i for i, s in enumerate(sets) if len(s) >= min_rows]
    if len(usable) < 2:
        return {}
    index = NearDupIndex.build([sets[i] for i in usable])
    # exact matches give Jaccard ≥ t/(2−t) over the key sets; candidates are confirmed by set_similarity
    found: dict[int, list[tuple[int, float]]] = {}
    lower = threshold / (2 - threshold)
    for x, y, s in index.pairs(lower, confirm=lambda x, y: set_similarity(sets[usable[x]], sets[usable[y]])):
        i, j = usable[x], usable[y]
        if s < threshold or core(i) == core(j):
            continue
        found.setdefault(i, []).append((j, s))
        found.setdefault(j, []).append((i, s))
    return found


def check_batch(drafts: Sequence[Draft]) -> dict[int, list[Finding]]:
    out: dict[int, list[Finding]] = {}
    for i, ps in peers(drafts).items():
        ps = sorted(ps, key=lambda p: (-p[1], p[0]))
        names = "、".join(f"“{drafts[j].project}”（{s:.0%}相同）" for j, s in ps[:5])
        more = f"等{len(ps)}个项目" if len(ps) > 5 else ""
        out[i] = [RULE.finding(None, f"本表指标与{names}{more}的指标几乎相同，不同项目套用同一套指标，无法反映本项目的产出和效益。",
                               f"按“{project_core(drafts[i].project)}”的实施内容和年度目标重新设置产出、效益指标")]
    return out


RULE = Rule("boilerplate_set", "warn", "indicator_unclear", frozenset({"rows", "batch"}), 90,
            "同批提交的不同项目使用几乎相同的一套指标（套用模板）", check_batch=check_batch)
