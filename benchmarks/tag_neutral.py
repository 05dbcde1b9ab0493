"""How often the active tagger leaves statements that carry no problem untagged, by kind of
statement (outputs, project descriptions, completed rectifications, evaluation method, positive
findings, recommendations), on corpora/dev/neutral_dev.jsonl: written separately, never trained on.

Run: .venv/bin/python benchmarks/tag_neutral.py
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pbm_nlp import config


def main() -> None:
    from pbm_nlp.themes.corpus import read_jsonl
    from pbm_nlp.themes.service import Tagger

    rows = read_jsonl(config.DEV_DIR / "neutral_dev.jsonl")
    results = Tagger().tag([r["text"] for r in rows], evidence=False)
    total, untagged, wrong = Counter(), Counter(), Counter()
    for r, res in zip(rows, results):
        total[r["note"]] += 1
        untagged[r["note"]] += not res["themes"]
        wrong.update(res["themes"][:1])
    print(f"{'statement kind':<16}{'left untagged':>14}")
    for k in total:
        print(f"{k:<16}{untagged[k]:>8}/{total[k]:<5} ({untagged[k] / total[k]:.0%})")
    n = sum(total.values())
    print(f"{'all':<16}{sum(untagged.values()):>8}/{n:<5} ({sum(untagged.values()) / n:.0%})")
    print("themes given wrongly (first theme):", ", ".join(f"{t} {c}" for t, c in wrong.most_common(6)))


if __name__ == "__main__":
    main()
