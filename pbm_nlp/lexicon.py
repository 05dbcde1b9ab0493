"""Domain word lists and patterns, read from ``corpora/lexicon/*.yaml`` and checked on load.

Word families, units, polarity words, generic words, administrative prefixes and kind cues are
the knowledge a domain expert reviews; they live in YAML rather than code so that such an expert
can read and correct them without reading Python. Each file has this shape (every part optional
except ``description``)::

    description: 这份词表是做什么的 (what the lists are for)
    lists:        # name → list of words or phrases
      provinces: [北京市, 天津市, …]
    patterns:     # name → one regular expression, or a list of alternatives joined with |
      admin_unit: '(?:省|市|区|县)'
    tables:       # name → mapping (word → value, or value → list of words)
      unit_family: {人次: people, 人: people}

A malformed file fails loudly on first use with the file and the key to fix, never silently.
Loading is cached per file version (path, mtime, size), so an edited file is picked up.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from . import config
from .errors import PbmError

_SECTIONS = {"description", "lists", "patterns", "tables"}


class LexiconError(PbmError):
    """A lexicon file is missing or does not follow the schema above."""


@dataclass(frozen=True)
class Lexicon:
    """One lexicon file: ``words(name)``, ``pattern(name)``, ``table(name)``."""

    name: str
    description: str
    lists: dict[str, tuple[str, ...]] = field(default_factory=dict)
    patterns: dict[str, re.Pattern[str]] = field(default_factory=dict)
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)

    def words(self, key: str) -> tuple[str, ...]:
        return self._get(self.lists, key, "lists")

    def pattern(self, key: str) -> re.Pattern[str]:
        return self._get(self.patterns, key, "patterns")

    def table(self, key: str) -> dict[str, Any]:
        return self._get(self.tables, key, "tables")

    def alternation(self, key: str, longest_first: bool = True) -> str:
        """A regex alternation of a word list (escaped; longest first so that 运行维护 beats 运行)."""
        ws = sorted(self.words(key), key=len, reverse=True) if longest_first else list(self.words(key))
        return "(?:" + "|".join(re.escape(w) for w in ws) + ")"

    def _get(self, section: dict, key: str, kind: str):
        if key not in section:
            raise LexiconError(f"词表 {self.name}.yaml 中没有 {kind}.{key}。",
                               f"lexicon {self.name}.yaml has no {kind}.{key}: add it to the file.")
        return section[key]


def lexicon_dir(corpora: Path | None = None) -> Path:
    return (corpora or config.CORPORA_DIR) / "lexicon"


def load_lexicon(name: str, corpora: Path | None = None) -> Lexicon:
    """The lexicon ``corpora/lexicon/<name>.yaml``, parsed and checked (cached per file version)."""
    path = lexicon_dir(corpora) / f"{name}.yaml"
    try:
        st = path.stat()
    except OSError:
        raise LexiconError(f"找不到词表文件 {path}。", f"lexicon file {path} not found.") from None
    return _parse(str(path), (st.st_mtime_ns, st.st_size))


def available(corpora: Path | None = None) -> list[str]:
    return sorted(p.stem for p in lexicon_dir(corpora).glob("*.yaml"))


@lru_cache(maxsize=64)
def _parse(path: str, _version: tuple[int, int]) -> Lexicon:
    name = Path(path).stem
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise LexiconError(f"词表 {name}.yaml 不是合法的 YAML：{exc}", f"lexicon {name}.yaml is not valid YAML: {exc}")
    if not isinstance(data, dict) or not isinstance(data.get("description"), str):
        raise _bad(name, "description", "a mapping with a description (描述) string")
    extra = set(data) - _SECTIONS
    if extra:
        raise _bad(name, ", ".join(sorted(extra)), f"only the sections {sorted(_SECTIONS)}")
    return Lexicon(name, data["description"], _lists(name, data.get("lists") or {}),
                   _patterns(name, data.get("patterns") or {}), _tables(name, data.get("tables") or {}))


def _lists(name: str, raw: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, dict):
        raise _bad(name, "lists", "a mapping of name → list of words")
    out = {}
    for key, words in raw.items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise _bad(name, f"lists.{key}", "a list of non-empty strings")
        dupes = {w for w in words if words.count(w) > 1}
        if dupes:
            raise _bad(name, f"lists.{key}", f"no duplicates (repeated: {sorted(dupes)})")
        out[str(key)] = tuple(w.strip() for w in words)
    return out


def _patterns(name: str, raw: Any) -> dict[str, re.Pattern[str]]:
    if not isinstance(raw, dict):
        raise _bad(name, "patterns", "a mapping of name → regular expression")
    out = {}
    for key, pat in raw.items():
        if isinstance(pat, list) and all(isinstance(p, str) for p in pat):
            pat = "|".join(f"(?:{p})" for p in pat)
        if not isinstance(pat, str):
            raise _bad(name, f"patterns.{key}", "a regular expression string or a list of them")
        try:
            out[str(key)] = re.compile(pat)
        except re.error as exc:
            raise _bad(name, f"patterns.{key}", f"a valid regular expression ({exc})") from None
    return out


def _tables(name: str, raw: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(raw, dict) or not all(isinstance(v, dict) for v in raw.values()):
        raise _bad(name, "tables", "a mapping of name → mapping")
    return {str(k): dict(v) for k, v in raw.items()}


def _bad(name: str, key: str, expected: str) -> LexiconError:
    return LexiconError(f"词表 {name}.yaml 的 {key} 格式不对：应为 {expected}。",
                        f"lexicon {name}.yaml: {key} must be {expected}. Fix the file and retry.")
