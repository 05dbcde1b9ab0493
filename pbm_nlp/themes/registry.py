"""Model versions on disk: build in a temporary folder, rename into place, swap a pointer.

models/versions/<name>/<version>/   one folder per trained version (JSON, .npy/.npz only)
models/active.json                  {"<name>": "<version>"} — replaced atomically (os.replace)
models/README.md                    the model card of the active version

A failed training never touches the pointer, so the previous model stays active.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from .. import config
from ..errors import InputError, ModelNotTrained

TAGGER = "theme-tagger"


def models_dir() -> Path:
    return config.MODELS_DIR


def _pointer() -> Path:
    return models_dir() / "active.json"


def active_versions() -> dict[str, str]:
    p = _pointer()
    return json.loads(p.read_text()) if p.exists() else {}


def version_dir(name: str, version: str) -> Path:
    return models_dir() / "versions" / name / version


def list_versions(name: str) -> list[dict]:
    root = models_dir() / "versions" / name
    if not root.exists():
        return []
    active = active_versions().get(name)
    out = []
    for d in sorted(root.iterdir()):
        if d.name.startswith(".") or not (d / "metrics.json").exists():
            continue
        info = json.loads((d / "metrics.json").read_text(encoding="utf-8"))
        out.append({"version": d.name, "active": d.name == active, "created": info.get("created"),
                    "data_hash": info.get("data_hash"), "summary": info.get("summary", {})})
    return out


def active_dir(name: str) -> Path:
    version = active_versions().get(name)
    if not version or not version_dir(name, version).exists():
        raise ModelNotTrained(f"还没有可用的 {name} 模型，请运行 pbm train（或 make app）。",
                              f"no active {name} model: run `pbm train` (or `make app`).")
    return version_dir(name, version)


def new_version(data_hash: str) -> str:
    return time.strftime("%Y%m%d-%H%M%S") + "-" + data_hash[:8]


def publish(name: str, version: str, write: Callable[[Path], None]) -> Path:
    """Write a version into a temp folder, move it into place, then point at it atomically."""
    final = version_dir(name, version)
    tmp = final.parent / f".tmp-{version}-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    try:
        write(tmp)
        if final.exists():
            shutil.rmtree(final)
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    activate(name, version)
    return final


def activate(name: str, version: str) -> None:
    if not version_dir(name, version).exists():
        raise InputError(f"没有 {name} 的版本 {version}。", f"no version {version} of {name}.")
    pointer = _pointer()
    pointer.parent.mkdir(parents=True, exist_ok=True)
    data = active_versions() | {name: version}
    tmp = pointer.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=1))
    os.replace(tmp, pointer)
    card = version_dir(name, version) / "MODEL_CARD.md"
    if card.exists():
        tmp_card = models_dir() / ".README.md.tmp"
        shutil.copyfile(card, tmp_card)
        os.replace(tmp_card, models_dir() / "README.md")


def rollback(name: str) -> str:
    """Activate the version before the active one; returns it."""
    versions = [v["version"] for v in list_versions(name)]
    current = active_versions().get(name)
    if current not in versions or versions.index(current) == 0:
        raise InputError("没有更早的版本可回滚。", "there is no earlier version to roll back to.")
    previous = versions[versions.index(current) - 1]
    activate(name, previous)
    return previous
