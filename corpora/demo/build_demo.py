"""Build corpora/demo/real_evaluations.jsonl from the real training statements (run once, by hand).

Groups the restated real problem statements of ``problems_train.jsonl`` into evaluations (one per
source document and project), keeps their metadata, puts the neutral statements (no theme) in
``achievements`` and infers a project kind with pbm_nlp.drafting.kinds where it is clear enough
(otherwise 其他). The dev file is never read: it must stay out of the store.

Run from the repository root:
    PYTHONPATH=$PWD .venv/bin/python corpora/demo/build_demo.py /path/to/real/problems_train.jsonl \
        /path/to/real/projects.jsonl
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "real_evaluations.jsonl"
#: Below this confidence the inferred kind is not trusted and the project is filed under 其他.
MIN_KIND_CONFIDENCE = 0.55


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def kind_inferer(projects: list[dict]):
    """Kind inference with the reference library and the real projects (with their kinds) as examples."""
    from pbm_nlp.drafting.kinds import KINDS, KindInferer
    from pbm_nlp.drafting.reference import load_reference
    from pbm_nlp.features.encoder import Encoder

    examples = [(e, kind) for kind, prof in load_reference().items() for e in prof.examples]
    examples += [(f"{p['project']}。{(p.get('overview') or '')[:150]}", p["kind"]) for p in projects
                 if p.get("kind") in KINDS]
    return KindInferer(Encoder(), examples)


def evaluations(rows: list[dict], projects: list[dict]) -> list[dict]:
    """One record per (source document, project), in the order the statements come."""
    known = {p["project"]: p["kind"] for p in projects if p.get("kind")}
    inferer = kind_inferer(projects)
    groups: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        groups.setdefault((r["source"], r["project"]), []).append(r)
    out = []
    for (source, project), group in groups.items():
        first = group[0]
        kind = known.get(project)
        if kind is None:
            guess = inferer.infer(project, first.get("overview") or "")
            kind = guess.kind if guess.confidence >= MIN_KIND_CONFIDENCE else "其他"
        problems = [r for r in group if r["themes"]]
        rec = {
            "project": project, "year": first.get("year"), "unit": first.get("unit") or None,
            "region": first.get("region") or None, "kind": kind, "doc_type": first.get("doc_type"),
            "finder": first.get("finder") or None,
            "problems": [r["text"] for r in problems],
            "suggestions": list(dict.fromkeys(r["suggestion"] for r in problems if r.get("suggestion"))),
            "achievements": [r["text"] for r in group if not r["themes"]],
            "source": source, "title": first.get("title") or None,
        }
        if first.get("budget_wan") is not None:
            rec["amount"], rec["amount_unit"] = first["budget_wan"], "万元"
        if rec["problems"]:
            out.append(rec)
    return out


def main(train: Path, projects: Path) -> None:
    records = evaluations(read_jsonl(train), read_jsonl(projects))
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    n = sum(len(r["problems"]) for r in records)
    print(f"wrote {OUT}: {len(records)} evaluations, {n} problems")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
