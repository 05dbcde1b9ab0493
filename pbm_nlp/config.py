"""Defaults and paths in one place; every one can be overridden by an environment variable."""
from __future__ import annotations

import os
from pathlib import Path

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
