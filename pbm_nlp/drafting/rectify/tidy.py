"""Advice that says each thing once and only about the problem at hand.

``fits`` keeps a sentence only when every matter it talks about (corpora/lexicon/rectify.yaml
topic_words: 运维, 合同, 年底突击支出 …) is one the problem mentions; a real recommendation's sentence
must also bring no content word of its own project. ``tidy`` drops a clause said twice and a word
doubled by filling a template ("服务服务").
"""
from __future__ import annotations

import re

from ..vocab import lexicon
from ..words import content_tokens

_DOUBLED = re.compile(r"([\u4e00-\u9fff]{2,8})\1+")
_SMALL_DOUBLED = re.compile(r"(的|了|和|及|与|对|在|并)\1+")
_CLAUSE = re.compile(r"[^，。；]+[，。；]?")


def fits(sentence: str, mentioned: str, strict: bool = False) -> bool:
    """Does ``sentence`` only talk about matters in ``mentioned`` (the problem, its object and project)?"""
    lex = lexicon("rectify")
    if any(w in sentence and w not in mentioned for w in lex.words("topic_words")):
        return False
    if not strict:
        return True
    allowed = set(lex.words("measure_words"))
    own = content_tokens(mentioned)
    return all(w in allowed or w in mentioned or any(w in o or o in w for o in own)
               for w in content_tokens(sentence))


def _norm(clause: str) -> str:
    return re.sub(r"[，。；\s]|^(?:同时|并|且|建议)", "", clause)


def tidy(text: str) -> str:
    """No clause twice (in any sentence), no doubled word, no stray punctuation."""
    text = _DOUBLED.sub(r"\1", text)
    text = _SMALL_DOUBLED.sub(r"\1", text)
    seen: list[str] = []
    out: list[str] = []
    for clause in _CLAUSE.findall(text):
        key = _norm(clause)
        if len(key) >= 4 and any(key == s or (len(key) >= 8 and (key in s or s in key)) for s in seen):
            if clause.endswith("。") and out and out[-1].endswith("，"):
                out[-1] = out[-1][:-1] + "。"
            continue
        if len(key) >= 4:
            seen.append(key)
        out.append(clause)
    text = "".join(out)
    text = re.sub(r"[，；]+。", "。", re.sub(r"。+", "。", re.sub(r"，+", "，", text)))
    return text if text.endswith("。") else text + "。"
