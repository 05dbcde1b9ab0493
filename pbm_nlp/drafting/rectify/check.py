"""Checks on written advice, used by tests and the rectification benchmark: a clause said twice, a doubled
word ("服务服务"), a matter the problem never mentions."""
from __future__ import annotations

import re

from ..vocab import lexicon

_DOUBLED = re.compile(r"([\u4e00-\u9fff]{2,8})\1|(的|了|和|及|与)\2|[，。；]{2,}")


def doubled(text: str) -> list[str]:
    return [m.group(0) for m in _DOUBLED.finditer(text)]


def repeated_clauses(text: str) -> list[str]:
    seen, out = set(), []
    for clause in re.split(r"[，。；\n]", re.sub(r"^\d+\.\s*", "", text)):
        key = re.sub(r"^(?:同时|并|且|建议)", "", clause.strip())
        if len(key) >= 4 and key in seen:
            out.append(clause)
        seen.add(key)
    return out


def foreign_matters(advice: str, problem: str, addressee: str = "") -> list[str]:
    """Matters (corpora/lexicon/rectify.yaml topic_words) the advice talks about and the problem does not
    (the addressee's own name, 政务服务和数据管理部门, is not a matter)."""
    text = advice.replace(addressee, "") if addressee else advice
    return [w for w in lexicon("rectify").words("topic_words") if w in text and w not in problem]
