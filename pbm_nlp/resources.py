"""The expensive, shared things a process needs, built once and passed explicitly.

A CLI command, the app or a batch worker makes one :class:`Resources` from the environment and
hands it to every service call; tests make their own with temporary folders and, for speed, a
tiny deterministic encoder. Nothing here is a module-level singleton.

- the encoder (100 MB, seconds to load) is built on first use;
- the tagger follows the models folder's active version (a retrain or rollback anywhere is
  picked up on the next call);
- the store is opened per operation (a connection is cheap; SQLite connections must not be shared
  between the app's threads), and
- the drafting context (the store's declarations, evaluations and labelled problems, embedded)
  is cached against the store's revision and the active model, so a relabel, an ingest or a
  retrain rebuilds it on the next request and never serves stale labels.
"""
from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from .config import Settings
from .store import Store
from .themes.registry import ModelRegistry
from .themes.service import Tagger

if TYPE_CHECKING:
    from .drafting.context import DraftingContext
    from .features.encoders import TextEncoder


class Resources:
    def __init__(self, settings: Settings | None = None, encoder: TextEncoder | None = None):
        self.settings = settings or Settings.from_env()
        self._encoder = encoder
        self._lock = threading.RLock()
        self.registry = ModelRegistry(self.settings.models)
        self.tagger = Tagger(self.registry, encoder=lambda: self.encoder)
        self._context: tuple[Any, DraftingContext] | None = None

    @classmethod
    def from_env(cls, **overrides: Any) -> Resources:
        return cls(Settings.from_env(**overrides))

    @property
    def encoder(self) -> TextEncoder:
        if self._encoder is None:
            with self._lock:
                if self._encoder is None:
                    from .features.encoders import make_encoder

                    self._encoder = make_encoder(self.settings)
        return self._encoder

    def store(self) -> Store:
        """A new connection to the store; use it as a context manager."""
        return Store(self.settings.db, create=self.settings.create_store)

    def drafting_context(self) -> DraftingContext:
        """The drafting assistant's context, rebuilt when the store or the active model changed."""
        from .drafting.context import DraftingContext

        with self.store() as store:
            key = (str(store.path), store.revision(), self.registry.active_version())
            with self._lock:
                if self._context is None or self._context[0] != key:
                    ctx = DraftingContext.from_store(store, encoder=self.encoder, tagger=self.tagger)
                    self._context = (key, ctx)
                return self._context[1]
