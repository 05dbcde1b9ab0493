"""`pbm rectify`: 整改建议 in the house register (建议 + who + what + how), one per problem.

Each suggestion is grounded twice, and says so in its sources: in the model sentences of the
problem's themes (corpora/theme_measures.yaml, filled with the problem's own object, project
and unit), and in the corpus's past suggestions for problems of the same themes, retrieved by
similarity; a sentence of the nearest past suggestion is carried over when it can be adapted
to the new object without dragging the old project's names along.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...errors import InputError
from ...text.segment import split_problem_items
from ...text.tokenize import words
from ..context import DraftingContext
from ..names import fill
from ..vocab import lexicon
from ..words import content_tokens
from .objects import ProblemObject, find_objects

_SENT = re.compile(r"(?<=[。；！])")


@dataclass
class PastSuggestion:
    problem: str
    suggestion: str
    themes: list[str]
    project: str
    unit: str | None
    year: int | None
    source: str


def past_suggestions(ctx: DraftingContext) -> list[PastSuggestion]:
    """(problem, suggestion) pairs of stored evaluations whose numbered lists line up."""
    themes = {p.text: p.themes for p in ctx.labelled_problems()}
    out = []
    for ev in ctx.evaluations:
        probs, sugs = ev["problems"], ev["suggestions"]
        if not probs or len(probs) != len(sugs):
            continue
        for p, s in zip(probs, sugs):
            out.append(PastSuggestion(p, s, themes.get(p, []), ev["project"], ev.get("unit"), ev.get("year"),
                                      ev.get("source") or ""))
    return out


#: Themes whose {object} is the supplier when the problem names one.
SUPPLIER_THEMES = ("supplier_oversight", "procurement_contract")


def _fill(template: str, obj: ProblemObject, theme: str) -> str:
    target = obj.supplier if theme in SUPPLIER_THEMES and obj.supplier else obj.object
    text = template.replace("{unit}", obj.unit).replace("{project}", obj.project)
    text = fill(text, target)
    return re.sub(r"建议项目单位", f"建议{obj.unit}", text) if obj.unit != "项目单位" else text


def _adapt(sentence: str, past: PastSuggestion, obj: ProblemObject, problem: str) -> str | None:
    """A past suggestion's sentence rewritten for the new object, or None if it would not fit."""
    lex = lexicon("rectify")
    s = sentence.strip()
    for name in re.findall(r"“([^”]{2,30})”", s):
        s = s.replace(f"“{name}”", f"“{obj.object}”" if obj.object != "该项目" else "")
    for unit in re.findall(r"(?:上海市|市|区)[\u4e00-\u9fff]{1,10}?(?:常委会办公厅|办公厅|办公室|委员会|局|办)", s):
        s = s.replace(unit, obj.unit)
    # The past project's own names (its system, publication, activity) become the new object's,
    # and any that remain would drag the old project along.
    then = find_objects(past.problem, past.project)
    names = [n for n in (then.system, then.object) if n and n != "该项目"]
    for n in names:
        tail = "".join(words(n)[-2:])
        for old in (n, tail):
            if len(old) >= 3 and old in s:
                s = s.replace(old, obj.object)
    if then.supplier and then.supplier in s:
        s = s.replace(then.supplier, obj.supplier or "服务供应商")
    old_head, new_head = (words(then.object)[-1] if then.object != "该项目" else ""), words(obj.object)[-1]
    new_head = new_head if len(new_head) >= 2 else obj.object
    if len(old_head) >= 2 and old_head != new_head and old_head not in problem and obj.object != "该项目":
        s = s.replace(old_head, new_head)
    theirs = content_tokens("。".join(names + [past.project, then.supplier or ""]))
    leftover = {w for w in theirs if w in s and w not in problem and w not in obj.object
                and w not in lex.words("measure_words") and w not in ("项目", "建设", "经费")}
    # A sentence about things this problem never mentions (平台及APP for a 物业 contract) does not fit it.
    ours = problem + obj.object + obj.project + (obj.supplier or "")
    foreign = {w for w in lex.words("domain_words") if w in s and w not in ours}
    if leftover or foreign or len(s) < 20:
        return None
    return s


def _how(obj: ProblemObject, problem: str, past: list[tuple[PastSuggestion, float]], used: str) -> tuple[str, dict] | None:
    """The most concrete adaptable sentence of the nearest past suggestion."""
    concrete = re.compile("|".join(lexicon("rectify").words("concrete")))
    for p, sim in past:
        sents = sorted(_SENT.split(p.suggestion), key=lambda x: -len(concrete.findall(x)))
        for sent in sents:
            if not concrete.search(sent) or sent.strip()[:6] in used:
                continue
            adapted = _adapt(sent, p, obj, problem)
            if adapted:
                return adapted, {"type": "past_suggestion_sentence", "project": p.project, "year": p.year,
                                 "source": p.source, "text": sent.strip()}
    return None


class Rectifier:
    """Writes 整改建议 for problem statements using the tagger, the corpus and the reference measures."""

    def __init__(self, ctx: DraftingContext):
        self.ctx = ctx
        self.past = past_suggestions(ctx)
        self._past_emb: np.ndarray | None = None

    def _retrieve(self, text: str, themes: list[str], k: int = 2) -> list[tuple[PastSuggestion, float]]:
        if not self.past:
            return []
        if self._past_emb is None:
            self._past_emb = self.ctx.encoder.encode([p.problem for p in self.past])
        sims = self._past_emb @ self.ctx.encoder.encode([text])[0]
        order = np.argsort(-sims)
        same = [(self.past[i], float(sims[i])) for i in order if set(self.past[i].themes) & set(themes)]
        return same[:k]

    def _template(self, theme: str, problem: str, obj: ProblemObject) -> tuple[str, int] | None:
        m = self.ctx.measures.get(theme)
        if not m or not m.rectification:
            return None
        filled = [_fill(t, obj, theme) for t in m.rectification]
        sims = self.ctx.encoder.encode(filled) @ self.ctx.encoder.encode([problem])[0]
        # A sentence that can name the object beats one that cannot.
        named = obj.supplier if theme in SUPPLIER_THEMES else (obj.object if obj.object != "该项目" else None)
        bonus = np.array([0.08 if "{object}" in t and named else 0.0 for t in m.rectification])
        i = int(np.argmax(sims + bonus))
        return filled[i], i

    def one(self, problem: str, project: str | None = None, unit: str | None = None) -> dict[str, Any]:
        tag = self.ctx.tagger.tag([problem], evidence=False)[0]
        themes = tag["themes"] or [next(iter(tag["scores"]))]
        obj = find_objects(problem, project, unit)
        sources: list[dict[str, Any]] = []
        sentences: list[str] = []
        for theme in themes[:2]:
            t = self._template(theme, problem, obj)
            if t:
                sentences.append(t[0])
                sources.append({"type": "reference_measure", "theme": theme, "entry": f"theme_measures/{theme}/"
                                f"rectification[{t[1]}]", "text": self.ctx.measures[theme].rectification[t[1]]})
        past = self._retrieve(problem, themes)
        for p, sim in past:
            sources.append({"type": "past_suggestion", "project": p.project, "year": p.year, "source": p.source,
                            "themes": p.themes, "similarity": round(sim, 3), "problem": p.problem[:80],
                            "text": p.suggestion})
        how = _how(obj, problem, past, "".join(sentences))
        if how:
            sentences.append(how[0] if how[0].startswith("建议") else f"同时，{how[0].lstrip('，')}")
            sources.append(how[1])
        text = "".join(s if s.endswith(("。", "；")) else s + "。" for s in sentences)
        return {"problem": problem, "themes": themes, "object": obj.object, "unit": obj.unit,
                "suggestion": text, "sources": sources}

    def rectify(self, request: dict[str, Any]) -> dict[str, Any]:
        """{"problem", optional "project"/"unit"} → {"themes", "suggestion", "sources", "items"}."""
        if not isinstance(request, dict) or not str(request.get("problem") or "").strip():
            raise InputError("缺少问题描述：请提供 {\"problem\": \"…\"}（可附 \"project\" 项目名称）。",
                             "the problem is missing: give {\"problem\": \"…\"} (optionally \"project\").")
        project = str(request.get("project") or "").strip() or None
        unit = str(request.get("unit") or "").strip() or None
        items = split_problem_items(str(request["problem"]))
        results = [self.one(p, project, unit) for p in items]
        themes: list[str] = []
        for r in results:
            themes += [t for t in r["themes"] if t not in themes]
        if len(results) == 1:
            suggestion = results[0]["suggestion"]
        else:
            suggestion = "\n".join(f"{i}. {r['suggestion']}" for i, r in enumerate(results, 1))
        sources = [dict(s, item=i) for i, r in enumerate(results, 1) for s in r["sources"]]
        return {"themes": themes, "suggestion": suggestion, "sources": sources, "items": results}
