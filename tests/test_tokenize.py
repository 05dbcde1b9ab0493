"""Segmentation: the fast segmenter and jieba cut our texts the same, from one merged dictionary."""
from __future__ import annotations

import json
import re

import pytest

from pbm_nlp import config
from pbm_nlp.text import tokenize
from pbm_nlp.text.realtext import view

_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def _texts() -> list[str]:
    out = []
    for name in ("annotations/real_train.jsonl", "annotations/authored_a.jsonl", "dev/real_dev.jsonl"):
        with open(config.CORPORA_DIR / name, encoding="utf-8") as fh:
            out += [json.loads(line)["text"] for line in fh if line.strip()]
    return out


def test_fast_segmenter_is_installed():
    assert tokenize.segmenter_name() == "jieba_fast_dat"


def test_both_libraries_cut_every_corpus_text_the_same():
    """Raw texts (numbers, per cent signs, Latin letters) and the views the tagger reads: a model
    trained with one segmenter must read text the same way with the other."""
    fast, slow = tokenize.build_tokenizer(True), tokenize.build_tokenizer(False)
    texts = _texts()
    strings = texts + [_DIGITS.sub("0", view(v, t)) for t in texts for v in ("mask", "mask_clause")]
    strings += ["完成率100%，合计12.6万元，PPP项目3G网络", "  ", "", "“”（）"]
    differ = [s for s in strings if tokenize.words(s, tok=fast) != tokenize.words(s, tok=slow)]
    assert len(strings) > 1000
    assert differ == []


def test_numbers_and_rates_stay_whole():
    assert "12.6" in tokenize.words("合计12.6万元")
    assert "100%" in tokenize.words("完成率100%")


def test_merged_dictionary_keeps_our_words_once_with_our_frequency(tmp_path):
    path = tokenize.merged_dictionary(tmp_path)
    assert path.parent == tmp_path and re.fullmatch(r"segmenter-dict-[0-9a-f]{16}\.txt", path.name)
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.split()[0] == "绩效目标"]
    assert lines == ["绩效目标 2000 n"]  # corpora/userdict.txt's line, not jieba's
    assert tokenize.merged_dictionary(tmp_path) == path  # named by content: written once


def test_segmenter_cache_lives_in_our_cache_folder():
    tok = tokenize.tokenizer()
    assert str(config.CACHE_DIR) in str(getattr(tok, "cache_file", None) or getattr(tok, "tmp_dir", ""))


@pytest.mark.parametrize("text", ["审计发现项目管理机制仍不完善", "验收流于形式"])
def test_offsets_cover_the_text(text):
    spans = list(tokenize.tokenizer().tokenize(text))
    assert "".join(w for w, _, _ in spans) == text
    assert all(text[a:b] == w for w, a, b in spans)
