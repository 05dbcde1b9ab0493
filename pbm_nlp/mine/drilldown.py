"""Drill-down: for each recurring problem, the evaluations and units it appears in, by year, with
the source — "验收资料不完整: 9 evaluations of 4 units over 3 years", and which ones.

One row per (recurring problem, evaluation), ranked as evaluators read them: problems recurring
in the most evaluations first, then by year and unit. Exported to .xlsx through the shared
spreadsheet writer (pbm_nlp.sheets: cells that would run as formulas are neutralised).
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from ..sheets import write_table
from .aggregates import evaluation_keys, top_problems
from .miner import MiningResult
from .records import project_kind

#: Row keys and their column headers, in order.
COLUMNS = (
    ("label", "问题类型"), ("cluster", "聚类"), ("evaluations", "涉及评价数"), ("units", "涉及单位数"),
    ("years_span", "年度范围"), ("year", "年度"), ("unit", "被评价单位"), ("project", "项目"), ("region", "地区"),
    ("kind", "项目类别"), ("finder", "发现方"), ("doc_type", "文件类型"), ("source", "来源"), ("title", "标题"),
    ("statements", "条数"), ("texts", "问题陈述"),
)
WIDTHS = (22, 6, 8, 8, 12, 6, 24, 30, 14, 10, 16, 10, 40, 30, 6, 80)


def drilldown(result: MiningResult, cluster: int | None = None, min_evaluations: int = 1) -> list[dict[str, Any]]:
    """One row per (recurring problem, evaluation): where and when it was found, and the texts.

    ``cluster`` limits the table to one problem; ``min_evaluations`` keeps only problems found in
    at least that many evaluations (2 = problems that really recur across evaluations).
    """
    keys = evaluation_keys(result.statements)
    out = []
    for head in top_problems(result.statements, result.clusters, top=None):
        if (cluster is not None and head["cluster"] != cluster) or head["evaluations"] < min_evaluations:
            continue
        by_eval: dict[str, list[int]] = defaultdict(list)
        for m in result.clusters[head["cluster"]]["members"]:
            by_eval[keys[m]].append(m)
        rows = []
        for members in by_eval.values():
            s = result.statements[members[0]]
            rows.append({
                "label": head["label"], "cluster": head["cluster"], "evaluations": head["evaluations"],
                "units": head["units"], "years_span": head["years_span"], "year": s.year, "unit": s.unit,
                "project": s.project, "region": s.region, "kind": project_kind(s), "finder": s.finder,
                "doc_type": s.doc_type, "source": s.source, "title": s.title, "statements": len(members),
                "texts": "\n".join(result.statements[m].text for m in members),
            })
        rows.sort(key=lambda r: (r["year"] or 9999, r["unit"] or "", r["project"] or ""))
        out += rows
    return out


def write_drilldown(result: MiningResult, path: str | Path, cluster: int | None = None,
                    min_evaluations: int = 1) -> Path:
    """The drill-down table as a one-sheet .xlsx workbook."""
    rows = drilldown(result, cluster, min_evaluations)
    return write_table([h for _, h in COLUMNS], [[r[k] for k, _ in COLUMNS] for r in rows], path,
                       title="反复出现的问题", widths=WIDTHS)
