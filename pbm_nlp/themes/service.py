"""The tagger as the app and CLI use it: the active model, loaded once, reloaded after a swap."""
from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..text.segment import split_problem_items
from .registry import ModelRegistry
from .tagger import ThemeTagger


class Tagger:
    """``Tagger(registry, encoder).tag(["项目后续运维管理机制不够健全"])`` → themes, scores, evidence.

    Follows the registry's active version: a retrain or rollback (in this process or another) is
    picked up on the next call, without reloading on every request. ``encoder`` may be the encoder
    itself or a function that builds it, so a sparse-only model never loads one.
    """

    def __init__(self, registry: ModelRegistry, encoder: Any = None, folder: Path | None = None):
        self.registry = registry
        self._encoder = encoder
        self._folder = folder
        self._model: ThemeTagger | None = None
        self._loaded_from: Path | None = None
        self._lock = threading.Lock()

    def _get_encoder(self):
        enc = self._encoder
        if isinstance(enc, Callable) and not hasattr(enc, "encode"):
            self._encoder = enc = enc()
        return enc

    @property
    def folder(self) -> Path:
        """The model folder in use (the active version unless one was fixed)."""
        return self._folder or self.registry.active_dir()

    @property
    def model(self) -> ThemeTagger:
        folder = self.folder
        if self._model is None or folder != self._loaded_from:
            with self._lock:
                if self._model is None or folder != self._loaded_from:
                    meta = json.loads((folder / "tagger.json").read_text(encoding="utf-8"))
                    encoder = self._get_encoder() if meta.get("has_dense") else None
                    self._model = ThemeTagger.load(folder, encoder=encoder)
                    self._loaded_from = folder
        return self._model

    @property
    def version(self) -> str:
        _ = self.model
        return self._loaded_from.name if self._loaded_from else ""

    def tag(self, texts: list[str], threshold: float | None = None, evidence: bool = True,
            allow_none: bool = False) -> list[dict[str, Any]]:
        """Problem mode (every text gets its most likely theme) unless ``allow_none``."""
        return self.model.tag(texts, threshold=threshold, evidence=evidence, allow_none=allow_none)

    def tag_paragraph(self, text: str, threshold: float | None = None, evidence: bool = True,
                      allow_none: bool = False) -> dict[str, Any]:
        """Tag a whole 存在问题 paragraph: each item separately, plus their union."""
        items = split_problem_items(text)
        results = self.tag(items, threshold=threshold, evidence=evidence, allow_none=allow_none)
        if len(results) == 1:
            return results[0]
        themes: list[str] = []
        scores: dict[str, float] = {}
        for r in results:
            themes += [t for t in r["themes"] if t not in themes]
            for k, v in r["scores"].items():
                scores[k] = max(scores.get(k, 0.0), v)
        themes.sort(key=lambda t: -scores[t])
        return {"text": text, "themes": themes, "scores": dict(sorted(scores.items(), key=lambda kv: -kv[1])),
                "items": results}
