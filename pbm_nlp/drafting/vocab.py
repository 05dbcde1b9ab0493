"""The drafting assistant's word lists, read from ``corpora/lexicon/*.yaml`` (see :mod:`pbm_nlp.lexicon`).

Modules ask for a lexicon by name when they need it, so an edited file is picked up without a
restart (within a second: the file's version is checked at most once a second, because rules
ask for their words tens of thousands of times in a batch); structures built from a lexicon
(sets, compiled alternations) are rebuilt only when the file's version changes.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from ..lexicon import Lexicon, load_lexicon

T = TypeVar("T")
RECHECK_SECONDS = 1.0
_SEEN: dict[str, tuple[float, Lexicon]] = {}
_DERIVED: dict[Callable[[Lexicon], Any], tuple[Lexicon, Any]] = {}


def lexicon(name: str) -> Lexicon:
    now = time.monotonic()
    hit = _SEEN.get(name)
    if hit is None or now - hit[0] > RECHECK_SECONDS:
        hit = (now, load_lexicon(name))
        _SEEN[name] = hit
    return hit[1]


def derived(name: str, build: Callable[[Lexicon], T]) -> T:
    """``build(lexicon)``, memoised until the lexicon file changes."""
    lex = lexicon(name)
    hit = _DERIVED.get(build)
    if hit is None or hit[0] is not lex:
        hit = (lex, build(lex))
        _DERIVED[build] = hit
    return hit[1]
