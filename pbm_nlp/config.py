"""Defaults and paths in one place; every one can be overridden by an environment variable."""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CORPORA_DIR = Path(os.environ.get("PBM_CORPORA", PROJECT_ROOT / "corpora"))
SEEDS_DIR = CORPORA_DIR / "seeds"
ANNOTATIONS_DIR = CORPORA_DIR / "annotations"
DEV_DIR = CORPORA_DIR / "dev"
MODELS_DIR = Path(os.environ.get("PBM_MODELS", PROJECT_ROOT / "models"))
CACHE_DIR = Path(os.environ.get("PBM_CACHE", CORPORA_DIR / "cache"))

#: Where the SQLite store lives unless --db or PBM_DB says otherwise.
DEFAULT_DB = Path(os.environ.get("PBM_DB", CORPORA_DIR / "pbm.db"))

#: Inputs larger than this are refused rather than half-read (bytes).
MAX_FILE_BYTES = int(os.environ.get("PBM_MAX_FILE_BYTES", "20000000"))
#: Longest text accepted in one request (a pasted section, an overview): about 100 pages.
MAX_TEXT_CHARS = int(os.environ.get("PBM_MAX_TEXT_CHARS", "200000"))

#: A local folder holding a transformers encoder; empty means the packaged m3e-small.
ENCODER_PATH = os.environ.get("PBM_ENCODER", "")
#: Run the encoder's linear layers in int8 (dynamic quantisation): about 3.5x faster on this
#: 2-core CPU, embeddings within cosine 0.98 of float32. PBM_ENCODER_INT8=0 turns it off.
ENCODER_INT8 = os.environ.get("PBM_ENCODER_INT8", "1") not in ("0", "false", "no", "")


def db_path(value: str | os.PathLike | None = None) -> Path:
    """The store path to use: an explicit value wins over PBM_DB and the default."""
    return Path(value) if value else DEFAULT_DB


def _flag(value: str) -> bool:
    return value.strip().lower() not in ("0", "false", "no", "")


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know about where things are and what is allowed, in one value.

    Built once from the environment (:meth:`from_env`) by the CLI, the app or a batch worker, and
    passed down inside :class:`~pbm_nlp.resources.Resources`; tests build their own with temporary
    folders instead of changing module globals.
    """

    corpora: Path = CORPORA_DIR
    models: Path = MODELS_DIR
    cache: Path = CACHE_DIR
    db: Path = DEFAULT_DB
    encoder_path: str = ENCODER_PATH
    encoder_int8: bool = ENCODER_INT8
    max_file_bytes: int = MAX_FILE_BYTES
    max_text_chars: int = MAX_TEXT_CHARS
    #: Whether opening a missing store creates it: only commands that create stores (ingest,
    #: prepare) set it; everything else refuses a missing path instead of starting an empty store.
    create_store: bool = True

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from PBM_* variables (defaults as documented in the README); keyword overrides win."""
        env = os.environ if env is None else env
        corpora = Path(env.get("PBM_CORPORA", PROJECT_ROOT / "corpora"))
        values: dict[str, Any] = {
            "corpora": corpora,
            "models": Path(env.get("PBM_MODELS", PROJECT_ROOT / "models")),
            "cache": Path(env.get("PBM_CACHE", corpora / "cache")),
            "db": Path(env.get("PBM_DB", corpora / "pbm.db")),
            "encoder_path": env.get("PBM_ENCODER", ""),
            "encoder_int8": _flag(env.get("PBM_ENCODER_INT8", "1")),
            "max_file_bytes": int(env.get("PBM_MAX_FILE_BYTES", "20000000")),
            "max_text_chars": int(env.get("PBM_MAX_TEXT_CHARS", "200000")),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        if overrides.get("db") is not None:
            values["db"] = Path(overrides["db"])
        return cls(**values)

    @property
    def seeds(self) -> Path:
        return self.corpora / "seeds"

    @property
    def annotations(self) -> Path:
        return self.corpora / "annotations"

    @property
    def dev(self) -> Path:
        return self.corpora / "dev"

    @property
    def demo(self) -> Path:
        return self.corpora / "demo"
