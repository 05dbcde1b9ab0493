"""Chinese word segmentation: one jieba-style Tokenizer with the domain dictionary, built lazily.

The segmenter is ``jieba_fast_dat`` (jieba's algorithm — prefix DAG, best route by word frequency,
HMM for unknown words — over a C++ double-array trie, about ten times jieba's speed) when it is
installed, else jieba itself. Both are built from one dictionary file: jieba's own dictionary with
our domain words (``corpora/userdict.txt``) in place of its entries for them, written once into the
cache folder. Built that
way they cut every text the same (``tests/test_tokenize.py``), so a model trained with one reads
text the same way with the other. (Loading the user dictionary on top, as jieba's
``load_userdict`` does, is handled differently by the two and gave different cuts on 5% of texts.)

A private tokenizer (not the module-global one) so that our dictionary does not change jieba for
anything else in the process, and nothing happens at import time. Its binary dictionary cache lives
in our cache folder, not in the shared temporary folder.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

from .. import config

_LOCK = threading.Lock()
_TOKENIZER = None


def user_dict_path() -> Path:
    return config.CORPORA_DIR / "userdict.txt"


def segmenter_name() -> str:
    """The segmentation library in use: jieba_fast_dat when installed (a dependency), else jieba."""
    try:
        import jieba_fast_dat  # noqa: F401
    except ImportError:
        return "jieba"
    return "jieba_fast_dat"


def _jieba_dictionary() -> Path:
    import jieba

    return Path(jieba.__file__).parent / "dict.txt"


def _cache_dir() -> Path:
    """Our cache folder if we may write there, else a private temporary folder."""
    folder = Path(config.CACHE_DIR)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if os.access(folder, os.W_OK):
            return folder
    except OSError:
        pass
    return Path(tempfile.mkdtemp(prefix="pbm-segmenter-"))


def merged_dictionary(cache: Path | None = None) -> Path:
    """jieba's dictionary followed by our domain words, as one file named by its content's hash
    (written atomically: concurrent processes never read half a file)."""
    base = _jieba_dictionary().read_bytes()
    user = user_dict_path().read_bytes() if user_dict_path().exists() else b""
    lines = [ln.strip() for ln in user.decode("utf-8").splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith("#")]
    ours = {ln.split()[0] for ln in lines}
    # a word in both keeps our line only: the two libraries resolve a repeated word differently
    kept = [ln for ln in base.decode("utf-8").splitlines() if ln.strip() and ln.split()[0] not in ours]
    base = ("\n".join(kept) + "\n").encode("utf-8")
    extra = "".join(ln + "\n" for ln in lines).encode("utf-8")
    digest = hashlib.blake2b(base + b"\0" + extra, digest_size=8).hexdigest()
    folder = cache or _cache_dir()
    path = folder / f"segmenter-dict-{digest}.txt"
    if not path.exists():
        tmp = folder / f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp"
        tmp.write_bytes(base.rstrip(b"\n") + b"\n" + extra)
        os.replace(tmp, path)
    return path


def build_tokenizer(use_fast: bool | None = None):
    """A new tokenizer over the merged dictionary; ``use_fast`` None: jieba_fast_dat if installed."""
    if use_fast is None:
        use_fast = segmenter_name() == "jieba_fast_dat"
    folder = _cache_dir()
    dictionary = merged_dictionary(folder)
    if use_fast:
        import jieba_fast_dat as lib

        lib.setLogLevel(logging.WARNING)
        tok = lib.Tokenizer(dictionary=str(dictionary))
        tok.cache_file = str(folder / f"{dictionary.stem}.dat")
    else:
        import jieba as lib

        lib.setLogLevel(logging.WARNING)
        tok = lib.Tokenizer(dictionary=str(dictionary))
        tok.tmp_dir = str(folder)
    tok.initialize()
    return tok


def tokenizer():
    global _TOKENIZER
    if _TOKENIZER is None:
        with _LOCK:
            if _TOKENIZER is None:
                _TOKENIZER = build_tokenizer()
    return _TOKENIZER


#: jieba's own block pattern (jieba.re_han_default): it cuts each such block on its own and splits
#: whatever lies between them into single characters, so cutting block by block is the same cut.
_BLOCK = re.compile(r"([\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+)")


#: Latin letters and numbers (with a decimal part and a per cent sign) stay one token, as jieba's
#: own fallback cuts them; the two libraries split "12.6" and "100%" differently otherwise.
_LATIN = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")


def _cut_block(tok, block: str) -> list[str]:
    out: list[str] = []
    for piece in _LATIN.split(block):
        if not piece:
            continue
        if _LATIN.fullmatch(piece):
            out.append(piece)
        else:
            out += [w for w in tok.lcut(piece) if w.strip()]
    return out


def words(text: str, memo: dict[str, list[str]] | None = None, tok=None) -> list[str]:
    """Words of ``text`` without whitespace tokens (``tok``: a tokenizer, default the shared one).

    ``memo`` (block → its words) lets several views of one statement (the whole masked text, its
    problem clause) share the segmentation of the blocks they have in common."""
    tok = tok or tokenizer()
    memo = {} if memo is None else memo
    out: list[str] = []
    for block in _BLOCK.split(text):
        if not block:
            continue
        cut = memo.get(block)
        if cut is None:
            cut = memo[block] = _cut_block(tok, block)
        out += cut
    return out


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The Chinese stop-word list (corpora/stopwords_zh.txt) plus punctuation."""
    path = config.CORPORA_DIR / "stopwords_zh.txt"
    words_ = set()
    if path.exists():
        words_ = {ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")}
    words_ |= set("，。、；：？！“”‘’（）《》【】…—-·,.;:?!()[]<>/\\\"' \t\n%")
    return frozenset(words_)
