"""What the drafting assistant reads, loaded once per process and shared by suggest, lint and rectify.

Building it embeds the corpus examples once (cached on disk by the encoder), so that each later
request only embeds its own few texts: that is what keeps suggest and lint under a second.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from .. import config
from ..store import Store
from .kinds import KINDS, KindGuess, KindInferer
from .library import IndicatorLibrary
from .reference import KindProfile, ThemeMeasures, load_reference, load_theme_measures


@dataclass
class Labelled:
    """A past problem statement with its themes and where it came from."""

    text: str
    themes: list[str]
    project: str
    year: int | None
    kind: str | None
    source: str


class DraftingContext:
    """The store's declarations and evaluations, the labelled problems, the reference data and the encoder."""

    def __init__(self, declarations: list[dict[str, Any]], evaluations: list[dict[str, Any]],
                 annotations: list[dict[str, Any]], encoder, tagger=None):
        self.declarations = declarations
        self.evaluations = evaluations
        self.annotations = annotations
        self.encoder = encoder
        self._tagger = tagger
        self.reference: dict[str, KindProfile] = load_reference()
        self.measures: dict[str, ThemeMeasures] = load_theme_measures()
        self.library = IndicatorLibrary.from_declarations(declarations)
        self.kinds = KindInferer(encoder, self._kind_examples())
        self._problems: list[Labelled] | None = None
        self._lock = threading.Lock()

    # ---- construction --------------------------------------------------------------------------
    @classmethod
    def from_store(cls, store: Store, encoder, tagger=None) -> DraftingContext:
        annotations = store.annotations("train") or _annotation_files()
        return cls(store.declarations(), store.evaluations(), annotations, encoder, tagger)

    def _kind_examples(self) -> list[tuple[str, str]]:
        ex: list[tuple[str, str]] = []
        for kind, prof in self.reference.items():
            ex += [(e, kind) for e in prof.examples]
            if prof.description:
                ex.append((prof.description, kind))
        ex += [(a["text"][:200], a["kind"]) for a in self.annotations if a.get("kind") in KINDS]
        from .kinds import form_kind

        for d in self.declarations:
            k = form_kind(d.get("kind"))
            if k:
                ex.append((f"{d['project']}。{(d.get('overview') or '')[:150]}", k))
        return ex

    # ---- services ------------------------------------------------------------------------------
    @property
    def tagger(self):
        """The active theme tagger, loaded on first use (only rectify and unlabelled problems need it)."""
        if self._tagger is None:
            from ..errors import ModelNotTrained

            raise ModelNotTrained("此操作需要问题主题模型：请先训练（pbm train）。",
                                  "this needs the theme tagger: train it first (`pbm train`).")
        return self._tagger

    def resolve_kind(self, project: str, overview: str = "", goal: str = "", given: str | None = None) -> KindGuess:
        return self.kinds.resolve(project, overview, goal, given)

    def labelled_problems(self) -> list[Labelled]:
        """Every past problem statement with themes: the labelled corpus, plus the store's evaluation
        problems (their gold labels when annotated, else the tagger's)."""
        with self._lock:
            if self._problems is None:
                self._problems = self._collect_problems()
        return self._problems

    def _collect_problems(self) -> list[Labelled]:
        gold = {a["text"]: a for a in self.annotations}
        out: list[Labelled] = []
        untagged: list[tuple[dict, str]] = []
        for ev in self.evaluations:
            for p in ev["problems"]:
                a = gold.get(p)
                if a is not None:
                    out.append(Labelled(p, list(a["themes"]), ev["project"], ev.get("year"), a.get("kind"),
                                        ev.get("source") or ""))
                else:
                    untagged.append((ev, p))
        if untagged:
            tags = self.tagger.tag([p for _, p in untagged], evidence=False)
            for (ev, p), t in zip(untagged, tags):
                out.append(Labelled(p, t["themes"], ev["project"], ev.get("year"), None, ev.get("source") or ""))
        in_store = {x.text for x in out}
        for a in self.annotations:
            if a["text"] in in_store or not a.get("themes"):
                continue
            out.append(Labelled(a["text"], list(a["themes"]), _quoted_project(a["text"]), None, a.get("kind"),
                                f"标注语料 {a.get('ext_id') or a.get('id')}"))
        return out


def _quoted_project(text: str) -> str:
    """The project a labelled statement names in quotes (“老旧小区加装电梯补贴”项目), or ''."""
    import re

    m = re.search(r"“([^”]{3,30})”(?:项目|经费|工程)", text)
    return m.group(1) if m else ""


def _annotation_files() -> list[dict[str, Any]]:
    from ..themes.corpus import read_jsonl

    rows: list[dict[str, Any]] = []
    for path in sorted(config.ANNOTATIONS_DIR.glob("*.jsonl")):
        rows += read_jsonl(path)
    return rows
