"""Rectification on the 214 real findings of other provinces with themes (corpora/drafting/real_findings.jsonl,
audit findings and evaluation reports): is the advice addressed to the responsible unit (its department
shared with the record's `unit`, never the `finder`), does it repeat a clause or double a word, does it
talk about matters the finding never mentions — with the unit given (as a reviewer of that unit would
ask) and from the text alone. Also the time per finding.

Run: .venv/bin/python benchmarks/rectify_quality.py [--show]   (trains a tagger into a temporary folder)
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pbm_nlp import config


def writer():
    from drafting_setup import seeded_resources

    from pbm_nlp.drafting.rectify.writer import Rectifier

    return Rectifier(seeded_resources(train=True).drafting_context())


def main(show: bool = False) -> None:
    from pbm_nlp.drafting.rectify.addressee import addressed_right
    from pbm_nlp.drafting.rectify.check import doubled, foreign_matters, repeated_clauses
    from pbm_nlp.text.jsonl import json_lines

    w = writer()
    path = config.CORPORA_DIR / "drafting" / "real_findings.jsonl"
    rows = [r for r in json_lines(path.read_text(encoding="utf-8"), path.name) if r["themes"]]
    for mode in ("unit given", "text only"):
        right = never_finder = dup = foreign = 0
        start = time.perf_counter()
        for r in rows:
            req = {"problem": r["text"], "unit": r["unit"], "project": r["project"]} if mode == "unit given" \
                else {"problem": r["text"]}
            item = w.rectify(req)["items"][0]
            ok = addressed_right(item["unit"], r["unit"], r["finder"])
            right += ok
            never_finder += addressed_right(item["unit"], None, r["finder"])
            dup += bool(doubled(item["suggestion"]) or repeated_clauses(item["suggestion"]))
            mentioned = r["text"] + (req.get("project") or "")
            foreign += bool(foreign_matters(item["suggestion"], mentioned, item["unit"]))
            if show and not ok and mode == "unit given":
                print(f"    {item['unit']} ← unit {r['unit']} / finder {r['finder']}")
        n = len(rows)
        print(f"{mode}: {n} findings; addressee is the responsible unit {right / n:.1%}, never the finder "
              f"{never_finder / n:.1%}; repeated clause or doubled word {dup}; talks about an unmentioned matter "
              f"{foreign}; {1000 * (time.perf_counter() - start) / n:.0f} ms per finding")


if __name__ == "__main__":
    main("--show" in sys.argv)
