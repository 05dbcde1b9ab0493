"""Kind accuracy on real project names and overviews from other provinces
(corpora/drafting/kinds_labelled.jsonl: 136 projects, 45 held out and never used to write cue words
or as examples). The tuning part is scored leave-one-out (its own example removed from the
inferrer's examples). 其他 (mixed packages) is not a kind the assistant suggests for, so it is
reported both ways. Also: how often the runner-up is shown (margin small) and how often the
right kind is the runner-up when the first guess is wrong.

Run: .venv/bin/python benchmarks/kind_accuracy.py [--show]
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))



def score(rows: list[dict], ctx, leave_one_out: bool, show: bool) -> None:
    from pbm_nlp.drafting.kinds import KindInferer

    ok = runner_up = close = 0
    confusion: Counter = Counter()
    for r in rows:
        inferer = ctx.kinds
        if leave_one_out:
            own = f"{r['project']}。{r['overview'][:150]}"
            inferer = KindInferer(ctx.encoder, [e for e in ctx.kinds.examples if e[0] != own])
        guess = inferer.infer(r["project"], r["overview"])
        ranked = sorted(guess.scores, key=guess.scores.get, reverse=True)
        close += guess.close
        if guess.kind == r["kind"]:
            ok += 1
            continue
        runner_up += ranked[1] == r["kind"]
        confusion[(r["kind"], guess.kind)] += 1
        if show:
            print(f"    {r['kind']} → {guess.kind} ({guess.confidence:.2f}) {r['project']}")
    n, other = len(rows), sum(r["kind"] == "其他" for r in rows)
    print(f"  accuracy {ok}/{n} = {ok / n:.3f}; without 其他 {ok}/{n - other} = {ok / (n - other):.3f}; "
          f"runner-up shown for {close}; right kind was the runner-up in {runner_up} of {n - ok} misses")
    print("  confusions: " + ", ".join(f"{a}→{b} {c}" for (a, b), c in confusion.most_common(8)))


def main(show: bool = False) -> None:
    from drafting_setup import seeded_resources

    from pbm_nlp.drafting.context import labelled_kinds

    ctx = seeded_resources().drafting_context()
    for split, loo in (("heldout", False), ("tune", True)):
        rows = labelled_kinds(split)
        print(f"{split} ({len(rows)} real projects{', leave-one-out' if loo else ''}):")
        score(rows, ctx, loo, show)


if __name__ == "__main__":
    main("--show" in sys.argv)
