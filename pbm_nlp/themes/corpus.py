"""The labelled corpus: JSON Lines in corpora/annotations (train) and corpora/dev (never trained on).

Where an example comes from is in its ``source``: ``authored``, ``seed:<file>``, ``trainer``, or
``real:<doc_type>:<document>`` for statements of real evaluation reports and audit findings (see
corpora/annotations/README.md). The source decides the cross-validation groups (statements of
one document never straddle folds) and the source kind that evaluation reports separately.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .. import config
from ..errors import InputError
from ..store import Store
from ..text.jsonl import json_lines


def read_jsonl(path: Path) -> list[dict]:
    return json_lines(path.read_text(encoding="utf-8"), path.name)


def validate(rows: list[dict], known: set[str], source: str) -> None:
    for r in rows:
        if not str(r.get("text", "")).strip() or "id" not in r:
            raise InputError(f"{source} 中有样本缺少 id 或 text：{r}", f"{source}: an example lacks id or text: {r}")
        bad = set(r.get("themes", [])) - known
        if bad:
            raise InputError(f"{source} 样本 {r['id']} 使用了未知主题 {sorted(bad)}",
                             f"{source}: example {r['id']} uses unknown themes {sorted(bad)}")


#: The theme dev sets under corpora/dev: the real one (statements of real documents that are not
#: in the training data) and the two authored ones. Never trained on, never used for calibration.
DEV_SETS = {"real": "real_dev.jsonl", "authored_a": "themes_dev.jsonl", "authored_b": "themes_dev_b.jsonl"}
#: Statements with no problem (achievements, descriptions): how often they stay untagged.
NEUTRAL_DEV = "neutral_dev.jsonl"


def dev_paths() -> dict[str, Path]:
    """The theme dev sets that exist, by name (real first)."""
    return {name: config.DEV_DIR / f for name, f in DEV_SETS.items() if (config.DEV_DIR / f).exists()}


def dev_sets(known: set[str] | None = None) -> dict[str, list[dict]]:
    """Each theme dev set's rows, read from its file (checked against the known themes)."""
    out = {}
    for name, path in dev_paths().items():
        rows = read_jsonl(path)
        if known is not None:
            validate(rows, known, path.name)
        for r in rows:
            r.setdefault("source", f"dev:{name}")
        out[name] = rows
    return out


def neutral_dev() -> list[dict]:
    """corpora/dev/neutral_dev.jsonl: statements that carry no problem (empty when absent)."""
    path = config.DEV_DIR / NEUTRAL_DEV
    return read_jsonl(path) if path.exists() else []


def load_into_store(store: Store, known: set[str]) -> dict[str, int]:
    """Load every annotation file (train) and the theme dev sets (split 'dev') into the store."""
    added = {"train": 0, "dev": 0}
    for path in sorted(config.ANNOTATIONS_DIR.glob("*.jsonl")):
        rows = read_jsonl(path)
        validate(rows, known, path.name)
        added["train"] += store.upsert_annotations(rows, split="train")
    for rows in dev_sets(known).values():
        added["dev"] += store.upsert_annotations(rows, split="dev")
    return added


def source_kind(source: str | None) -> str:
    """``real:audit:6e3a048f`` → ``real:audit``; ``seed:000_….txt`` → ``seed``; else the source."""
    s = str(source or "authored")
    if s.startswith("real:"):
        return ":".join(s.split(":")[:2])
    return s.split(":")[0]


def is_real(source: str | None) -> bool:
    """Statements of real documents (real evaluation reports, audit findings, seed documents)."""
    return source_kind(source).startswith(("real", "seed"))


def document_groups(sources: list[str | None]) -> list[str]:
    """Cross-validation groups: one per source document for real and seed statements (they share
    wording, places and context), one per statement otherwise."""
    return [str(s) if is_real(s) else f"row:{i}" for i, s in enumerate(sources)]


def data_hash(rows: list[dict]) -> str:
    h = hashlib.sha256()
    for r in sorted(rows, key=lambda r: (r["text"], sorted(r["themes"]))):
        h.update(json.dumps([r["text"], sorted(r["themes"])], ensure_ascii=False).encode())
    return h.hexdigest()[:16]
