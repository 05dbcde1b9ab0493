"""The bundled corpus keeps its promises: every training file is valid, example ids are unique
across files (the store upserts by id, so a repeated id would silently drop an example), and no
training example repeats a dev statement (a dev figure must say how the tagger does on text it
has not seen)."""
from __future__ import annotations

import re

from pbm_nlp import config
from pbm_nlp.themes.corpus import dev_sets, neutral_dev, read_jsonl, validate
from pbm_nlp.themes.taxonomy import load_themes

#: Two statements sharing this many consecutive characters (punctuation and spaces removed) are
#: one statement restated, not two that happen to use the same stock phrase.
SHARED_RUN = 24


def _training_rows() -> list[tuple[str, dict]]:
    return [(p.name, r) for p in sorted(config.ANNOTATIONS_DIR.glob("*.jsonl")) for r in read_jsonl(p)]


def _letters(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)


def test_training_files_are_valid_and_ids_unique():
    known = {t.id for t in load_themes()}
    rows = _training_rows()
    for name in {n for n, _ in rows}:
        validate([r for n, r in rows if n == name], known, name)
    seen: dict[str, str] = {}
    for name, r in rows:
        assert r["id"] not in seen, f"id {r['id']} is in both {seen[r['id']]} and {name}"
        seen[r["id"]] = name


def test_no_training_example_restates_a_dev_statement():
    dev = [r["text"] for rows in dev_sets().values() for r in rows] + [r["text"] for r in neutral_dev()]
    windows = set()
    for text in dev:
        s = _letters(text)
        windows.update(s[i:i + SHARED_RUN] for i in range(max(1, len(s) - SHARED_RUN + 1)))
    clashes = []
    for name, r in _training_rows():
        s = _letters(r["text"])
        if any(s[i:i + SHARED_RUN] in windows for i in range(max(1, len(s) - SHARED_RUN + 1))):
            clashes.append(f"{name}:{r['id']}")
    assert not clashes, f"training examples restating dev statements: {clashes[:20]}"
