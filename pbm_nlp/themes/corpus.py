"""The labelled corpus: JSON Lines in corpora/annotations (train) and corpora/dev (never trained on)."""
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


def load_into_store(store: Store, known: set[str]) -> dict[str, int]:
    """Load every annotation file (train) and the dev set (split 'dev') into the store."""
    added = {"train": 0, "dev": 0}
    for path in sorted(config.ANNOTATIONS_DIR.glob("*.jsonl")):
        rows = read_jsonl(path)
        validate(rows, known, path.name)
        added["train"] += store.upsert_annotations(rows, split="train")
    for path in sorted(config.DEV_DIR.glob("*themes*.jsonl")):
        rows = read_jsonl(path)
        validate(rows, known, path.name)
        for r in rows:
            r.setdefault("source", "dev")
        added["dev"] += store.upsert_annotations(rows, split="dev")
    return added


def data_hash(rows: list[dict]) -> str:
    h = hashlib.sha256()
    for r in sorted(rows, key=lambda r: (r["text"], sorted(r["themes"]))):
        h.update(json.dumps([r["text"], sorted(r["themes"])], ensure_ascii=False).encode())
    return h.hexdigest()[:16]
