"""Model versions on disk: build in a temporary folder, rename into place, swap a pointer.

models/versions/<name>/<version>/   one folder per trained version (JSON, .npy/.npz only)
models/active.json                  {"<name>": "<version>", "<name>:history": [versions activated, in
                                    order]} — replaced atomically (os.replace)
models/MODEL_CARD.md                the model card of the active version (not tracked by git;
                                    models/README.md is the committed card of the reference run)

A failed training never touches the pointer, so the previous model stays active. Activation
writes the pointer and the store's ``model_versions.active`` together: if the store cannot be
updated, the pointer is put back.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, ModelNotTrained

if TYPE_CHECKING:
    from ..store import Store

TAGGER = "theme-tagger"
#: A temporary build folder older than this, whose process is gone, is left over from a crash.
STALE_SECONDS = 3600


def _atomic_write(path: Path, text: str) -> None:
    """Write through a uniquely named temporary file in the same folder, then rename over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class ModelRegistry:
    """The versions of one model under a models folder."""

    def __init__(self, root: Path, name: str = TAGGER):
        self.root = Path(root)
        self.name = name

    @property
    def pointer(self) -> Path:
        return self.root / "active.json"

    def _pointers(self) -> dict[str, str]:
        return json.loads(self.pointer.read_text()) if self.pointer.exists() else {}

    def active_version(self) -> str | None:
        return self._pointers().get(self.name)

    def version_dir(self, version: str) -> Path:
        return self.root / "versions" / self.name / version

    def active_dir(self) -> Path:
        version = self.active_version()
        if not version or not self.version_dir(version).exists():
            raise ModelNotTrained(f"还没有可用的 {self.name} 模型，请运行 pbm train（或 make app）。",
                                  f"no active {self.name} model: run `pbm train` (or `make app`).")
        return self.version_dir(version)

    def metrics(self, version: str | None = None) -> dict:
        folder = self.version_dir(version) if version else self.active_dir()
        return json.loads((folder / "metrics.json").read_text(encoding="utf-8"))

    def list_versions(self) -> list[dict]:
        root = self.root / "versions" / self.name
        if not root.exists():
            return []
        active = self.active_version()
        out = []
        for d in sorted(root.iterdir()):
            if d.name.startswith(".") or not (d / "metrics.json").exists():
                continue
            info = json.loads((d / "metrics.json").read_text(encoding="utf-8"))
            out.append({"version": d.name, "active": d.name == active, "created": info.get("created"),
                        "data_hash": info.get("data_hash"), "summary": info.get("summary", {})})
        return out

    @staticmethod
    def new_version(data_hash: str) -> str:
        return time.strftime("%Y%m%d-%H%M%S") + "-" + data_hash[:8]

    def check_writable(self) -> None:
        """Fail before a long training run, not after it, when the models folder cannot be written."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.root, prefix=".write-check-"):
                pass
        except OSError as exc:
            raise InputError(f"模型目录 {self.root} 无法写入（{exc.strerror}）：请检查权限和磁盘空间，或用 PBM_MODELS 另选目录。",
                             f"the models folder {self.root} is not writable ({exc.strerror}): check permissions "
                             "and disk space, or choose another with PBM_MODELS.") from exc

    def publish(self, version: str, write: Callable[[Path], None], store: Store | None = None,
                activate: bool = True) -> Path:
        """Write a version into a temporary folder, move it into place, then activate it (or leave
        it as a candidate a trainer may activate later)."""
        final = self.version_dir(version)
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{version}-{os.getpid()}-", dir=final.parent))
        try:
            write(tmp)
            if final.exists():
                shutil.rmtree(final)
            os.replace(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        if activate:
            self.activate(version, store)
        return final

    def activate(self, version: str, store: Store | None = None) -> None:
        """Point at ``version`` and mark it active in the store, both or neither."""
        if not self.version_dir(version).exists():
            raise InputError(f"没有 {self.name} 的版本 {version}。", f"no version {version} of {self.name}.")
        before = self._pointers()
        history = [v for v in before.get(self._history_key, []) if v != version][-49:] + [version]
        _atomic_write(self.pointer, json.dumps(before | {self.name: version, self._history_key: history}, indent=1))
        try:
            if store is not None:
                store.set_active_model(self.name, version)
        except BaseException:
            _atomic_write(self.pointer, json.dumps(before, indent=1))
            raise
        card = self.version_dir(version) / "MODEL_CARD.md"
        if card.exists():
            _atomic_write(self.root / "MODEL_CARD.md", card.read_text(encoding="utf-8"))

    @property
    def _history_key(self) -> str:
        return f"{self.name}:history"

    def rollback(self, store: Store | None = None) -> str:
        """Activate the version that was active before the current one (a candidate that was never
        activated is skipped); with no such record, the version before it by date. Returns it."""
        versions = [v["version"] for v in self.list_versions()]
        current = self.active_version()
        history = [v for v in self._pointers().get(self._history_key, []) if v in versions]
        if current in history and history.index(current) > 0:
            previous = history[history.index(current) - 1]
            history = history[:history.index(current)]
        elif current in versions and versions.index(current) > 0:
            previous, history = versions[versions.index(current) - 1], []
        else:
            raise InputError("没有更早的版本可回滚。", "there is no earlier version to roll back to.")
        self.activate(previous, store)
        if history:  # forget the rolled-back activation, so a second rollback goes one further back
            _atomic_write(self.pointer, json.dumps(self._pointers() | {self._history_key: history}, indent=1))
        return previous

    def sweep(self, now: float | None = None) -> list[Path]:
        """Remove temporary build folders left by crashed runs (old, and their process gone)."""
        root = self.root / "versions" / self.name
        now = time.time() if now is None else now
        removed = []
        for d in root.glob(".tmp-*") if root.exists() else ():
            pid = d.name.split("-")[-2] if d.name.count("-") >= 3 else ""
            alive = pid.isdigit() and _alive(int(pid))
            if not alive and now - d.stat().st_mtime > STALE_SECONDS:
                shutil.rmtree(d, ignore_errors=True)
                removed.append(d)
        return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
