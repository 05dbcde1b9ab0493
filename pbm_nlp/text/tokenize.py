"""Chinese word segmentation: one jieba Tokenizer with the domain user dictionary, built lazily.

A private ``jieba.Tokenizer`` (not the module-global one) so that loading our dictionary does
not change jieba for anything else in the process, and nothing happens at import time.
"""
from __future__ import annotations

import logging
import threading
from functools import lru_cache
from pathlib import Path

from .. import config

_LOCK = threading.Lock()
_TOKENIZER = None


def user_dict_path() -> Path:
    return config.CORPORA_DIR / "userdict.txt"


def tokenizer():
    global _TOKENIZER
    if _TOKENIZER is None:
        with _LOCK:
            if _TOKENIZER is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tok = jieba.Tokenizer()
                tok.initialize()
                if user_dict_path().exists():
                    tok.load_userdict(str(user_dict_path()))
                _TOKENIZER = tok
    return _TOKENIZER


def words(text: str) -> list[str]:
    """Words of ``text`` without whitespace tokens."""
    return [w for w in tokenizer().lcut(text) if w.strip()]


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The Chinese stop-word list (corpora/stopwords_zh.txt) plus punctuation."""
    path = config.CORPORA_DIR / "stopwords_zh.txt"
    words_ = set()
    if path.exists():
        words_ = {ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")}
    words_ |= set("，。、；：？！“”‘’（）《》【】…—-·,.;:?!()[]<>/\\\"' \t\n%")
    return frozenset(words_)
