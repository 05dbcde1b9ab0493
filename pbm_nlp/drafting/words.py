"""Content words: what a text says a project is about, without the generic words every project uses.

goal_mismatch compares a goal's content words with the name's and overview's; rectification
checks which content words of a past sentence would drag an old project along.
"""
from __future__ import annotations

import re

from ..lexicon import Lexicon
from ..text.normalize import to_halfwidth
from ..text.tokenize import stopwords, words
from .vocab import derived


def _generic(lex: Lexicon) -> frozenset[str]:
    return frozenset(lex.words("generic")) | frozenset(lex.words("stages"))


def generic_words() -> frozenset[str]:
    """corpora/lexicon/generic_words.yaml: words that say nothing about what a project is."""
    return derived("generic_words", _generic)


def content_tokens(text: str) -> set[str]:
    """Words that say what a project is about (not how well it is managed)."""
    sw, generic = stopwords(), generic_words()
    return {w for w in words(to_halfwidth(text)) if len(w) >= 2 and w not in generic and w not in sw
            and not re.search(r"\d", w)}


def shared(a: set[str], b: set[str]) -> set[str]:
    """The words of ``b`` that are in, or contain, or are contained in a word of ``a``."""
    return {x for x in b if any(x in y or y in x for y in a)}
