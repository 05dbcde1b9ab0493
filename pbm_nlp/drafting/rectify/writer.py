"""`pbm rectify`: 整改建议 in the house register (建议 + who + what + how), one per problem.

Built from the problem itself, then grounded in what evaluators and auditors actually recommended:

1. **Who**: the responsible unit — the given unit, else one the finding names, else its field's
   department in the finder's place — never the auditor or evaluator (addressee.py).
2. **What**: the actions that undo the failures the finding states, on its own objects
   ("多付监理费7.19万元" → "核实并追回多付的监理费7.19万元"; remedies.py), and, when the finding
   states a cause ("原因是…沟通协调滞后"), the action on that cause.
3. **How**: one management measure from the model sentences of the problem's themes
   (corpora/theme_measures.yaml) or from real recommendations to similar problems (the `suggestion`
   of corpora/drafting/real_findings.jsonl and the seeds' 整改建议), used only when every matter it
   talks about (运维, 合同, 年底突击支出 …) is one the problem mentions.

The text is then tidied: no clause twice, no doubled word ("服务服务"). Sources list the model
sentence, the real recommendations retrieved (with their documents) and the failure rules used.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from ... import config
from ...errors import InputError
from ...text.jsonl import json_lines
from ...text.segment import split_problem_items
from ..context import DraftingContext
from ..vocab import lexicon
from .addressee import Addressee, resolve
from .objects import ProblemObject, find_objects
from .remedies import find_remedies, stated_cause
from .tidy import fits, tidy

_LEAD = re.compile(r"^建议(?:\{unit\}|项目单位|主管部门|有关部门)?")


@dataclass
class PastSuggestion:
    problem: str
    suggestion: str
    themes: list[str]
    project: str
    source: str


def past_suggestions(ctx: DraftingContext) -> list[PastSuggestion]:
    """(problem, suggestion) pairs: stored evaluations whose numbered lists line up, and the real
    findings of other provinces with the source's own recommendation."""
    themes = {p.text: p.themes for p in ctx.labelled_problems()}
    out = []
    for ev in ctx.evaluations:
        probs, sugs = ev["problems"], ev["suggestions"]
        if probs and len(probs) == len(sugs):
            out += [PastSuggestion(p, s, themes.get(p, []), ev["project"], ev.get("source") or "")
                    for p, s in zip(probs, sugs)]
    path = config.CORPORA_DIR / "drafting" / "real_findings.jsonl"
    if path.exists():
        out += [PastSuggestion(r["text"], r["suggestion"], list(r["themes"]), r.get("project") or "",
                               f"{r.get('title') or ''}（{r.get('source')}）")
                for r in json_lines(path.read_text(encoding="utf-8"), path.name) if r.get("suggestion")]
    return out


def _bigrams(text: str) -> set[str]:
    t = re.sub(r"[，。；\s]", "", text)
    return {t[i:i + 2] for i in range(len(t) - 1)}


def _repeats(sentence: str, sentences: list[str]) -> bool:
    """Does a sentence say (nearly) what one already chosen says?"""
    b = _bigrams(sentence)
    return any(len(b & _bigrams(s)) >= 0.5 * min(len(b), len(_bigrams(s))) for s in sentences if s)


def _actions(problem: str, obj: ProblemObject, specific: bool) -> tuple[list[str], list[dict[str, Any]]]:
    """The remedies' actions, with "项目" made the project's own object and a supplier named as such."""
    actions, sources = [], []
    for r in find_remedies(problem):
        action = r.action
        if specific and re.match(r"^(?:该|本)?项目", r.object):
            action = action.replace(r.object, re.sub(r"^(?:该|本)?项目", obj.object, r.object, count=1), 1)
        if obj.supplier and obj.supplier in problem[:r.span[0]] and obj.supplier not in action:
            supervise = r.rule in lexicon("remedies").words("supervision_rules")
            action = f"加强对{obj.supplier}的监督，{action}" if supervise else f"督促{obj.supplier}{action}"
        actions.append(action)
        sources.append({"type": "remedy", "rule": r.rule, "object": r.object})
    return actions, sources


def _fill(template: str, obj: ProblemObject, who: Addressee, theme: str) -> str:
    target = obj.supplier if theme in ("supplier_oversight", "procurement_contract") and obj.supplier else obj.object
    text = template.replace("{unit}", who.name).replace("{project}", obj.project).replace("{object}", target)
    return text.replace("该项目项目", "该项目")


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
        return [(self.past[i], float(sims[i])) for i in order if set(self.past[i].themes) & set(themes)][:k]

    def _measure(self, themes: list[str], problem: str, obj: ProblemObject, who: Addressee,
                 past: list[tuple[PastSuggestion, float]]) -> tuple[str, dict[str, Any]] | None:
        """The best-fitting management measure: a real recommendation's sentence or a model sentence."""
        mentioned = f"{problem}{obj.object}{obj.project}{obj.supplier or ''}"
        options: list[tuple[str, dict[str, Any]]] = []
        for p, _ in past:
            for sent in re.split(r"(?<=[。；])", p.suggestion):
                if len(sent) >= 8 and fits(sent, mentioned, strict=True):
                    options.append((sent, {"type": "past_suggestion_sentence", "project": p.project,
                                           "source": p.source, "text": sent.strip()}))
        for theme in themes[:2]:
            m = self.ctx.measures.get(theme)
            for i, t in enumerate(m.rectification if m else []):
                filled = _fill(t, obj, who, theme)
                if fits(filled, mentioned):
                    options.append((filled, {"type": "reference_measure", "theme": theme,
                                             "entry": f"theme_measures/{theme}/rectification[{i}]", "text": t}))
        if not options:
            return None
        sims = self.ctx.encoder.encode([o[0] for o in options]) @ self.ctx.encoder.encode([problem])[0]
        return options[int(np.argmax(sims))]

    def one(self, problem: str, project: str | None = None, unit: str | None = None,
            finder: str | None = None) -> dict[str, Any]:
        tag = self.ctx.tagger.tag([problem], evidence=False)[0]
        themes = tag["themes"] or [next(iter(tag["scores"]))]
        who = resolve(problem, unit, finder)
        obj = find_objects(problem, project, who.name)
        actions, sources = _actions(problem, obj, bool(project) and obj.object != "该项目")
        sentences = [f"建议{who.name}{'，'.join(actions)}。"] if actions else []
        cause = stated_cause(problem)
        fixes = find_remedies(cause, 1) if cause else []
        if fixes and not any(fixes[0].action in s for s in sentences):
            sentences.append(f"针对{cause}的问题，{fixes[0].action}。")
            sources.append({"type": "remedy", "rule": fixes[0].rule, "object": fixes[0].object, "cause": cause})
        elif cause and not fixes:
            sentences.append(f"针对{cause}的原因，逐项明确整改责任和完成时限。")
        past = self._retrieve(problem, themes)
        measure = self._measure(themes, problem, obj, who, past)
        if measure and not _repeats(measure[0], sentences):
            body = _LEAD.sub("", measure[0].strip()).lstrip("，")
            body = body.removeprefix(who.name)
            sentences.append(f"同时，{body}" if sentences else f"建议{who.name}{body}")
            sources.append(measure[1])
        if not sentences:
            sentences.append(f"建议{who.name}针对上述问题查明原因，制定整改措施并限期整改到位。")
        sources += [{"type": "past_suggestion", "project": p.project, "source": p.source, "themes": p.themes,
                     "similarity": round(s, 3), "problem": p.problem[:80], "text": p.suggestion} for p, s in past]
        return {"problem": problem, "themes": themes, "object": obj.object, "unit": who.name,
                "addressee": {"name": who.name, "how": who.how, "finder": who.finder},
                "suggestion": tidy("".join(s if s.endswith(("。", "；")) else s + "。" for s in sentences)),
                "sources": sources}

    def rectify(self, request: dict[str, Any]) -> dict[str, Any]:
        """{"problem", optional "project"/"unit"/"finder"} → {"themes", "suggestion", "sources", "items"}."""
        if not isinstance(request, dict) or not str(request.get("problem") or "").strip():
            raise InputError("缺少问题描述：请提供 {\"problem\": \"…\"}（可附 \"project\" 项目名称、\"unit\" 被评价或被审计单位）。",
                             "the problem is missing: give {\"problem\": \"…\"} (optionally \"project\", \"unit\").")
        project, unit, finder = (str(request.get(k) or "").strip() or None for k in ("project", "unit", "finder"))
        items = split_problem_items(str(request["problem"]))
        results = [self.one(p, project, unit, finder) for p in items]
        themes: list[str] = []
        for r in results:
            themes += [t for t in r["themes"] if t not in themes]
        if len(results) == 1:
            suggestion = results[0]["suggestion"]
        else:
            suggestion = "\n".join(f"{i}. {r['suggestion']}" for i, r in enumerate(results, 1))
        sources = [dict(s, item=i) for i, r in enumerate(results, 1) for s in r["sources"]]
        return {"themes": themes, "suggestion": suggestion, "sources": sources, "items": results}

