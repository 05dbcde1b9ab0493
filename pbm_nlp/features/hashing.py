"""A tiny deterministic encoder: character n-grams hashed into a fixed number of dimensions.

No weights, no licence, no start-up time: the fast test tier runs the whole product on it, and
`PBM_ENCODER=hashing` lets a user run without m3e-small (research-only licence) at some cost in
tagging quality. It reads surface form only; similar wording gives similar vectors.
"""
from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np


class HashingEncoder:
    """Signed feature hashing of character 1–3-grams, L2-normalised (the :class:`TextEncoder` protocol)."""

    def __init__(self, dim: int = 256, ngrams: tuple[int, ...] = (1, 2, 3)):
        if dim < 8:
            raise ValueError(f"dim must be >= 8. Got {dim} instead.")
        self.dim = dim
        self.ngrams = ngrams
        self.model_id = f"hashing-v1-d{dim}-n{''.join(map(str, ngrams))}"
        self.path = None

    def _vector(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for n in self.ngrams:
            for i in range(len(text) - n + 1):
                h = zlib.crc32(text[i:i + n].encode("utf-8"))
                v[h % self.dim] += 1.0 if (h >> 16) & 1 else -1.0
        return v

    def encode(self, texts: Sequence[str], progress=None) -> np.ndarray:
        out = np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)
        if progress:
            progress(len(texts), len(texts))
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return (out / np.clip(norms, 1e-9, None)).astype(np.float32)
