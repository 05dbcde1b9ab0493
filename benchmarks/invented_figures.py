"""Invented figures: for each of the 99 real projects of other provinces (corpora/drafting/real_projects.jsonl:
name, kind, overview and budget only), run `pbm suggest` and count the rows whose target states a project
quantity that is neither among the quantities the overview states (`quantities_stated`) nor derived
from them or the budget (a ratio, a unit conversion). Rates, zeros, 待填 rows and values a cited rule
sets (basis 行业标准 with a 《…》/GB/〔年〕号 source) are not project quantities.

Also reports how many rows are left 待填, how many rows cite their basis, and rows per basis.

Run: .venv/bin/python benchmarks/invented_figures.py [--show]
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pbm_nlp import config


def main(show: bool = False) -> None:
    from drafting_setup import seeded_resources

    from pbm_nlp.drafting.grounding_check import invented_rows
    from pbm_nlp.drafting.suggest import suggest
    from pbm_nlp.text.jsonl import json_lines

    ctx = seeded_resources().drafting_context()
    path = config.CORPORA_DIR / "drafting" / "real_projects.jsonl"
    projects = json_lines(path.read_text(encoding="utf-8"), path.name)
    invented, rows, bases, with_invented = 0, 0, Counter(), 0
    for p in projects:
        req = {"project": p["project"], "kind": p["kind"], "overview": p["overview"], "year": p.get("year"),
               "budget": p["budget_wan"] * 10_000 if p.get("budget_wan") else None}
        result = suggest(req, ctx, with_risks=True)
        bad = invented_rows(result["indicators"], p)
        rows += len(result["indicators"])
        bases.update(i["basis"] for i in result["indicators"])
        invented += len(bad)
        with_invented += bool(bad)
        if show and bad:
            print(f"{p['id']} {p['project']}:")
            for i in bad:
                print(f"    {i['name']} {i['target']} ({i['basis']})")
    print(f"{len(projects)} real projects, {rows} suggested rows: {invented} rows state a project quantity "
          f"neither stated nor derived ({with_invented} projects affected)")
    print("rows per basis: " + ", ".join(f"{k} {v}" for k, v in bases.most_common()))


if __name__ == "__main__":
    main("--show" in sys.argv)
