"""The draft checker on the drafts with planted defects in corpora/dev (written separately from
the rules, never used to write them): recall per rule and false warnings, per file.

Run: .venv/bin/python benchmarks/lint_recall.py
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pbm_nlp import config


def main() -> None:
    from drafting_setup import seeded_resources

    from pbm_nlp.drafting.lint import score_planted
    from pbm_nlp.themes.corpus import read_jsonl

    ctx = seeded_resources().drafting_context()
    for path in sorted(config.DEV_DIR.glob("lint_dev*.jsonl")):
        s = score_planted(read_jsonl(path), ctx)
        print(f"{path.name}: {s['found']}/{s['planted']} planted defects found ({s['recall']:.1%}); "
              f"false warnings on {s['clean_drafts']} clean drafts: {len(s['false_on_clean'])}; "
              f"other warnings on defective drafts: {len(s['false_on_defective'])}")
        print("  per rule: " + ", ".join(f"{k} {v}" for k, v in s["per_rule"].items()))
        for m in s["missed"]:
            print(f"  missed  {m['draft']}: {m['rule']} {m['indicator'] or ''}")
        for f in s["false_on_clean"] + s["false_on_defective"]:
            print(f"  extra   {f['draft']}: {f['rule']} {f['indicator'] or ''} — {f['message'][:60]}")


if __name__ == "__main__":
    main()
