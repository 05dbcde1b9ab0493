"""What an encoder is to the rest of pbm-nlp, and which one the settings ask for.

Adding an encoder: a module in pbm_nlp/features/ with a class that has ``model_id`` and
``encode(texts) -> (n, dim) float32, L2-normalised``, one line in :data:`BUILT_IN`, and its test.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from ..config import Settings


@runtime_checkable
class TextEncoder(Protocol):
    """Sentence embeddings. ``model_id`` names the weights and precision: models trained with one
    encoder record it, and a cache of embeddings is only valid for the same id."""

    model_id: str

    def encode(self, texts: Sequence[str], progress: Callable[[int, int], None] | None = None) -> np.ndarray: ...


def _hashing(settings: Settings) -> TextEncoder:
    from .hashing import HashingEncoder

    return HashingEncoder()


#: Encoders chosen by name in PBM_ENCODER; any other non-empty value is a local transformers folder.
BUILT_IN: dict[str, Callable[[Settings], TextEncoder]] = {"hashing": _hashing}


def make_encoder(settings: Settings, cache: bool = True, memory_limit: int | None = None) -> TextEncoder:
    """The encoder the settings name: a built-in by name, a transformers folder, or m3e-small.

    ``cache=False`` keeps embeddings in memory only (a batch worker on a cluster must not share an
    SQLite file over the network); ``memory_limit`` bounds that in-memory cache (entries)."""
    factory = BUILT_IN.get(settings.encoder_path)
    if factory is not None:
        return factory(settings)
    from .encoder import Encoder

    return Encoder(settings.encoder_path or None, cache_dir=settings.cache, int8=settings.encoder_int8,
                   use_cache=cache, memory_limit=memory_limit)
