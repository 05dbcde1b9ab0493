"""Indicator families that only fit some project kinds (corpora/lexicon/indicator_families.yaml).

"施工安全事故" fits construction, not software; "财政投入乘数" fits subsidies and works, not a
purchased service. The lint rule kind_mismatch and the suggester (which economic or ecological
rows fit a project) read the same families.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..lexicon import Lexicon, LexiconError
from . import frame
from .vocab import derived


@dataclass(frozen=True)
class Family:
    """Indicators that only make sense for some kinds, unless the project itself talks about them."""

    label: str
    pattern: re.Pattern[str]
    kinds: frozenset[str]
    topic: re.Pattern[str]  # words in the project's own text that make the indicator fit after all
    spare: re.Pattern[str] | None = None  # names that fit any kind although they match

    def matches(self, name: str, level2: str | None = None) -> bool:
        text = name + ("生态效益" if level2 == frame.ECOLOGICAL and self.label == "生态效益" else "")
        return bool(self.pattern.search(text)) and not (self.spare and self.spare.search(name))

    def about(self, text: str) -> bool:
        """Does a project text talk about this family's topic?"""
        return bool(self.topic.search(text))


def _families(lex: Lexicon) -> tuple[Family, ...]:
    out = []
    for label, kinds in lex.table("family_kinds").items():
        if f"family.{label}" not in lex.patterns or f"topic.{label}" not in lex.patterns:
            raise LexiconError(f"词表 indicator_families.yaml 缺少 family.{label} 或 topic.{label}。",
                               f"lexicon indicator_families.yaml: add patterns family.{label} and topic.{label}.")
        out.append(Family(label, lex.pattern(f"family.{label}"), frozenset(kinds), lex.pattern(f"topic.{label}"),
                          lex.patterns.get(f"spare.{label}")))
    return tuple(out)


def families() -> tuple[Family, ...]:
    return derived("indicator_families", _families)


def family(label: str) -> Family:
    return next(f for f in families() if f.label == label)
