"""Project kinds: the twelve the reference library is organised by, and inferring one from a draft.

Forms state a kind only loosely (2018/2019: 资金用途 信息化建设类; 2023: 项目类别 其他运转类, which
says nothing). The kind decides which reference indicators fit and which do not, so it is
inferred from the name and overview when the form does not give a usable one: keyword cues
(the activity word at the end of the name weighs most: 长者食堂**补贴** is a subsidy, not
catering) plus the encoder's similarity to examples of each kind from the corpus.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..lexicon import Lexicon
from .names import project_core
from .vocab import derived, lexicon


def kind_names() -> tuple[str, ...]:
    """The project kinds, in table order: the single list (corpora/lexicon/kinds.yaml) everyone reads."""
    return lexicon("kinds").words("kinds")


def form_kind(stated: str | None) -> str | None:
    """The kind a form states, if it is one of ours ('信息化建设类' → '信息化建设'); None for 其他运转类."""
    if not stated:
        return None
    s = stated.strip()
    if s in kind_names():
        return s
    mapping = lexicon("kinds").table("form_kinds")
    return mapping.get(s) or mapping.get(s.rstrip("项目") + ("类" if not s.endswith("类") else ""))


@dataclass
class KindGuess:
    kind: str
    confidence: float
    source: str  # "given", "form" or "inferred"
    scores: dict[str, float]

    #: the runner-up is worth showing when it is at least this share of the first guess's probability
    CLOSE = 0.5

    @property
    def runner_up(self) -> str | None:
        """The second most likely kind when the margin is small (the drafter should check the kind)."""
        ranked = sorted(self.scores.items(), key=lambda kv: -kv[1])
        if len(ranked) > 1 and ranked[1][1] >= self.CLOSE * ranked[0][1]:
            return ranked[1][0]
        return None

    @property
    def close(self) -> bool:
        return self.runner_up is not None

    def as_dict(self) -> dict:
        return {"kind": self.kind, "confidence": round(self.confidence, 3), "source": self.source,
                "runner_up": self.runner_up,
                "alternatives": {k: round(v, 3) for k, v in sorted(self.scores.items(), key=lambda kv: -kv[1])[:3]}}


def project_text(project: str, overview: str = "", goal: str = "") -> str:
    """What the encoder reads of a project: name, overview and goal, cut to one encoder window.

    Every caller builds it the same way, so one embedding serves kind inference, ranking and risks.
    """
    return "。".join(t.strip() for t in (project, overview or "", goal or "") if t and t.strip())[:300]


def _cues(lex: Lexicon) -> dict[str, tuple[str, ...]]:
    cues = lex.table("cues")
    return {k: tuple(cues.get(k) or ()) for k in lex.words("kinds")}


def kind_cues() -> dict[str, tuple[str, ...]]:
    """The cue words of each kind (corpora/lexicon/kinds.yaml)."""
    return derived("kinds", _cues)


def keyword_scores(project: str, overview: str = "") -> dict[str, float]:
    """Cue hits: the activity word ending the name counts 3, the rest of the name 2, the overview 0.5 each."""
    core = project_core(project)
    text = re.sub(r"\s", "", overview or "")[:600]
    out: dict[str, float] = {}
    for kind, cues in kind_cues().items():
        s = 0.0
        for cue in cues:
            if core.endswith(cue) or re.search(re.escape(cue) + r"(?:类|项目)?$", core):
                s += 3.0
            elif cue in core:
                s += 2.0
            if cue in text:
                s += 0.5
        out[kind] = min(s, 6.0)
    return out


class KindInferer:
    """Infers a project's kind from its name and overview (keyword cues + encoder similarity).

    ``examples`` are (text, kind) pairs from the corpus: reference entries, labelled problem
    statements, store declarations whose form names a kind.
    """

    def __init__(self, encoder, examples: Sequence[tuple[str, str]], temperature: float = 0.15):
        self.encoder = encoder
        self.examples = list(examples)
        self.temperature = temperature
        self._emb: np.ndarray | None = None
        self._labels = np.array([k for _, k in self.examples])

    def _example_embeddings(self) -> np.ndarray:
        if self._emb is None:
            self._emb = self.encoder.encode([t for t, _ in self.examples])
        return self._emb

    def dense_scores(self, text: str) -> dict[str, float]:
        """Mean of the top-5 cosine similarities to each kind's examples."""
        if not self.examples:
            return {k: 0.0 for k in kind_names()}
        q = self.encoder.encode([text])[0]
        sims = self._example_embeddings() @ q
        out = {}
        for kind in kind_names():
            s = np.sort(sims[self._labels == kind])[::-1][:5]
            out[kind] = float(s.mean()) if len(s) else 0.0
        return out

    def infer(self, project: str, overview: str = "", goal: str = "") -> KindGuess:
        text = project_text(project, overview, goal)
        dense = self.dense_scores(text)
        kw = keyword_scores(project, f"{overview or ''}{goal or ''}")
        # Centre the dense similarities: only their differences between kinds carry meaning.
        mean = float(np.mean(list(dense.values())))
        kinds = kind_names()
        logits = np.array([(dense[k] - mean) * 20.0 + kw[k] for k in kinds]) / (self.temperature * 10)
        p = np.exp(logits - logits.max())
        p /= p.sum()
        scores = {k: float(v) for k, v in zip(kinds, p)}
        best = max(scores, key=scores.get)
        return KindGuess(best, scores[best], "inferred", scores)

    def resolve(self, project: str, overview: str = "", goal: str = "", given: str | None = None) -> KindGuess:
        """The kind to use: a given one of ours wins, then the form's, else inferred."""
        if given and given.strip() in kind_names():
            return KindGuess(given.strip(), 1.0, "given", {given.strip(): 1.0})
        mapped = form_kind(given)
        if mapped:
            return KindGuess(mapped, 1.0, "form", {mapped: 1.0})
        return self.infer(project, overview, goal)
