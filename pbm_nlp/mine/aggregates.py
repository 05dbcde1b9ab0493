"""Counts evaluators ask for: themes by year, project kind and unit; the share of evaluations
carrying each theme; the problems that recur across the most evaluations."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from .records import UNKNOWN, Statement, project_kind


def evaluation_keys(statements: Sequence[Statement]) -> list[str]:
    """The evaluation of each statement; a statement with no context stands for its own."""
    return [s.section_key or f"statement-{i}" for i, s in enumerate(statements)]


def _crosstab(themes: Sequence[Sequence[str]], values: Sequence[str]) -> dict[str, dict[str, int]]:
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for ts, v in zip(themes, values):
        for t in ts:
            table[t][v] += 1
    return {t: dict(sorted(c.items())) for t, c in sorted(table.items())}


def year_span(years: set[int]) -> str:
    """2019–2023, 2021, or "" when no year is known."""
    return "" if not years else (str(min(years)) if min(years) == max(years) else f"{min(years)}–{max(years)}")


def top_problems(statements: Sequence[Statement], clusters: Sequence[dict[str, Any]], top: int | None = 10
                 ) -> list[dict[str, Any]]:
    """Clusters ranked by how many evaluations they recur in, then by size: with the number of
    projects, units and regions and the years they were found in."""
    keys = evaluation_keys(statements)
    rows = []
    for c in clusters:
        sts = [statements[m] for m in c["members"]]
        years = {s.year for s in sts if s.year}
        rows.append({
            "cluster": c["id"], "label": c["label"], "size": c["size"],
            "evaluations": len({keys[m] for m in c["members"]}),
            "projects": len({s.project for s in sts if s.project}),
            "units": len({s.unit for s in sts if s.unit}),
            "regions": len({s.region for s in sts if s.region}),
            "years": sorted(years), "years_span": year_span(years),
        })
    rows.sort(key=lambda r: (-r["evaluations"], -r["size"], r["cluster"]))
    return rows if top is None else rows[:top]


def aggregate(statements: Sequence[Statement], themes: Sequence[Sequence[str]] | None,
              theme_names: dict[str, str], clusters: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Everything in the "aggregates" block of the mining result. ``themes`` None: not tagged."""
    keys = evaluation_keys(statements)
    n_eval = len(set(keys))
    out: dict[str, Any] = {
        "statements": len(statements),
        "evaluations": n_eval,
        "projects": len({s.project for s in statements if s.project}),
        "tagged": themes is not None,
    }
    if themes is not None:
        per_theme_evals: dict[str, set[str]] = defaultdict(set)
        counts: Counter[str] = Counter()
        for ts, k in zip(themes, keys):
            for t in ts:
                counts[t] += 1
                per_theme_evals[t].add(k)
        ids = list(theme_names) + sorted(set(counts) - set(theme_names))
        rows = [{"id": t, "name": theme_names.get(t, t), "statements": counts[t],
                 "evaluations": len(per_theme_evals[t]),
                 "share_of_evaluations": round(len(per_theme_evals[t]) / n_eval, 4) if n_eval else 0.0}
                for t in ids]
        rows.sort(key=lambda r: (-r["statements"], ids.index(r["id"])))
        out["themes"] = rows
        out["untagged"] = sum(1 for ts in themes if not ts)
        out["theme_by_year"] = _crosstab(themes, [str(s.year) if s.year else UNKNOWN for s in statements])
        out["theme_by_kind"] = _crosstab(themes, [project_kind(s) for s in statements])
        out["theme_by_unit"] = _crosstab(themes, [s.unit or UNKNOWN for s in statements])
    out["top_problems"] = top_problems(statements, clusters)
    return out
