"""How often the active tagger leaves statements that carry no problem untagged with
``allow_none`` (and, for contrast, in problem mode, where every statement gets a theme), by kind
of statement, on corpora/dev/neutral_dev.jsonl and the neutral lines of corpora/dev/real_dev.jsonl:
written or collected separately, never trained on.

Run: .venv/bin/python benchmarks/tag_neutral.py
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    from pbm_nlp.resources import Resources
    from pbm_nlp.themes.corpus import dev_sets, neutral_dev

    rows = neutral_dev() + [r | {"note": "real"} for r in dev_sets().get("real", []) if not r["themes"]]
    results = Resources.from_env().tagger.tag([r["text"] for r in rows], evidence=False, allow_none=True)
    total, untagged, wrong = Counter(), Counter(), Counter()
    for r, res in zip(rows, results):
        total[r["note"]] += 1
        untagged[r["note"]] += not res["themes"]
        wrong.update(res["themes"][:1])
    print(f"{'statement kind':<16}{'left untagged (--allow-none)':>30}")
    for k in total:
        print(f"{k:<16}{untagged[k]:>8}/{total[k]:<5} ({untagged[k] / total[k]:.0%})")
    n = sum(total.values())
    print(f"{'all':<16}{sum(untagged.values()):>8}/{n:<5} ({sum(untagged.values()) / n:.0%})")
    print("themes given wrongly (first theme):", ", ".join(f"{t} {c}" for t, c in wrong.most_common(6)))


if __name__ == "__main__":
    main()
