"""Defaults and paths in one place; every one can be overridden by an environment variable."""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CORPORA_DIR = Path(os.environ.get("PBM_CORPORA", PROJECT_ROOT / "corpora"))
SEEDS_DIR = CORPORA_DIR / "seeds"
ANNOTATIONS_DIR = CORPORA_DIR / "annotations"
DEV_DIR = CORPORA_DIR / "dev"
MODELS_DIR = Path(os.environ.get("PBM_MODELS", PROJECT_ROOT / "models"))
CACHE_DIR = Path(os.environ.get("PBM_CACHE", CORPORA_DIR / "cache"))

def db_location(value: str | os.PathLike) -> Path | str:
    """A store location: a PostgreSQL URL stays a string, anything else is an SQLite file path."""
    text = os.fspath(value)
    return text if text.startswith(("postgresql://", "postgres://")) else Path(text)


#: Where the store lives unless --db or PBM_DB says otherwise (an SQLite file, or postgresql://…).
DEFAULT_DB = db_location(os.environ.get("PBM_DB", CORPORA_DIR / "pbm.db"))

#: Longest text accepted in one request (a pasted section, an overview): about 100 pages.
MAX_TEXT_CHARS = int(os.environ.get("PBM_MAX_TEXT_CHARS", "200000"))

#: A local folder holding a transformers encoder; empty means the packaged m3e-small.
ENCODER_PATH = os.environ.get("PBM_ENCODER", "")
#: Run the encoder's linear layers in int8 (dynamic quantisation): about 3.5x faster on this
#: 2-core CPU, embeddings within cosine 0.98 of float32. PBM_ENCODER_INT8=0 turns it off.
ENCODER_INT8 = os.environ.get("PBM_ENCODER_INT8", "1") not in ("0", "false", "no", "")


#: The environment variable of each document limit, for messages and :meth:`ReadLimits.from_env`.
LIMIT_ENV = {"file_bytes": "PBM_MAX_FILE_BYTES", "inflated_bytes": "PBM_MAX_INFLATED_BYTES", "parts": "PBM_MAX_PARTS",
             "part_bytes": "PBM_MAX_PART_BYTES", "ratio": "PBM_MAX_RATIO", "pages": "PBM_MAX_PAGES",
             "page_content_bytes": "PBM_MAX_PAGE_CONTENT_BYTES", "text_chars": "PBM_MAX_DOC_CHARS",
             "seconds": "PBM_DOC_SECONDS"}


@dataclass(frozen=True)
class ReadLimits:
    """How much one document may cost before it is refused, checked before the expensive work
    (README, "Security and limits"). A .docx/.xlsx is a zip of XML parts and a .pdf a set of
    compressed streams: a few kilobytes can inflate to gigabytes, so sizes are checked after
    inflation, while streaming, and the whole read (and parse) of one document has a time budget.
    Every limit has an environment variable (PBM_MAX_*), named in the error a user sees."""

    #: bytes of one file as uploaded or read (PBM_MAX_FILE_BYTES)
    file_bytes: int = 20_000_000
    #: bytes of a .docx/.xlsx package, or of a .pdf's decoded streams, after inflation (PBM_MAX_INFLATED_BYTES)
    inflated_bytes: int = 150_000_000
    #: parts (zip entries) of a .docx/.xlsx (PBM_MAX_PARTS)
    parts: int = 1000
    #: bytes of one part or PDF stream after inflation (PBM_MAX_PART_BYTES)
    part_bytes: int = 25_000_000
    #: inflated / compressed size of a part larger than 1 MB (PBM_MAX_RATIO): real XML stays under 30
    ratio: int = 200
    #: pages of a .pdf (PBM_MAX_PAGES)
    pages: int = 500
    #: bytes of one PDF page's (or form's) drawing instructions after inflation (PBM_MAX_PAGE_CONTENT_BYTES);
    #: a dense real page needs 20-100 KB, and text extraction costs about 40 s and 700 MB per MB
    page_content_bytes: int = 500_000
    #: characters of text one document may yield (PBM_MAX_DOC_CHARS)
    text_chars: int = 10_000_000
    #: seconds to read and parse one document (PBM_DOC_SECONDS; 0 = no limit)
    seconds: float = 60.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ReadLimits:
        """Defaults, overridden by the PBM_MAX_* variables that are set; a bad value is an error."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for name, var in LIMIT_ENV.items():
            if env.get(var, "").strip():
                values[name] = _positive(var, env[var], float if name == "seconds" else int)
        return cls(**values)


def _positive(var: str, raw: str, kind: type) -> Any:
    from .errors import InputError

    try:
        value = kind(float(raw)) if kind is int else kind(raw)
    except ValueError:
        value = -1
    if not value >= 0:  # also refuses nan
        raise InputError(f"环境变量 {var}={raw!r} 无效：应为非负数。", f"{var}={raw!r} is invalid: expected a number >= 0.")
    return value


#: Inputs larger than this are refused rather than half-read (bytes).
MAX_FILE_BYTES = ReadLimits.from_env().file_bytes


def db_path(value: str | os.PathLike | None = None) -> Path | str:
    """The store to use: an explicit value wins over PBM_DB and the default."""
    return db_location(value) if value else DEFAULT_DB


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
    #: An SQLite file, or a ``postgresql://user:password@host:5432/db`` URL (a string).
    db: Path | str = DEFAULT_DB
    encoder_path: str = ENCODER_PATH
    encoder_int8: bool = ENCODER_INT8
    max_text_chars: int = MAX_TEXT_CHARS
    #: What one document may cost before it is refused (sizes after inflation, pages, time).
    limits: ReadLimits = field(default_factory=ReadLimits)
    #: The app: host names it answers to besides localhost and the bound address (comma-separated,
    #: PBM_ALLOWED_HOSTS), handler threads (PBM_WORKERS) and requests that may wait (PBM_QUEUE_SIZE).
    allowed_hosts: str = ""
    workers: int = 4
    queue_size: int = 64
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
            "db": db_location(env.get("PBM_DB", corpora / "pbm.db")),
            "encoder_path": env.get("PBM_ENCODER", ""),
            "encoder_int8": _flag(env.get("PBM_ENCODER_INT8", "1")),
            "max_text_chars": int(env.get("PBM_MAX_TEXT_CHARS", "200000")),
        }
        values["limits"] = ReadLimits.from_env(env)
        values["allowed_hosts"] = env.get("PBM_ALLOWED_HOSTS", "")
        for name, var, default in (("workers", "PBM_WORKERS", 4), ("queue_size", "PBM_QUEUE_SIZE", 64)):
            values[name] = max(1, _positive(var, env.get(var) or str(default), int))
        values.update({k: v for k, v in overrides.items() if v is not None})
        if overrides.get("db") is not None:
            values["db"] = db_location(overrides["db"])
        return cls(**values)

    @property
    def max_file_bytes(self) -> int:
        """The largest file (or stdin) accepted, in bytes (PBM_MAX_FILE_BYTES)."""
        return self.limits.file_bytes

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
