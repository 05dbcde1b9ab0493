"""The requests and results of the service layer: what the CLI, the app and a batch job exchange
with :mod:`pbm_nlp.services`. Plain dataclasses with ``to_dict()`` for JSON output.

Records parsed from documents (Evaluation, Declaration …) live in :mod:`pbm_nlp.schema`; these
are the shapes of operations on them.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..auth import ROLES

Progress = Callable[[float, str], None]
Log = Callable[[str], None]


def _quiet(_msg: str) -> None:
    return None


@dataclass(frozen=True)
class Actor:
    """Who asks: a name and a role. The CLI acts as the local user with every right; the app passes
    the signed-in user (or the local user in no-login localhost mode)."""

    name: str
    role: str

    def __post_init__(self) -> None:
        if self.role not in ROLES + ("none",):
            raise ValueError(f"role must be one of {ROLES}. Got {self.role!r} instead.")

    @classmethod
    def local(cls, name: str = "local") -> Actor:
        return cls(name or "local", "trainer")


# ---- ingest ----------------------------------------------------------------------------------------

@dataclass
class IngestRequest:
    paths: list[str | Path]
    progress: Callable[[Path], None] | None = None


@dataclass
class FileError:
    file: str
    zh: str
    en: str

    def to_dict(self) -> dict[str, str]:
        return {"file": self.file, "错误": self.zh, "error": self.en}


@dataclass
class IngestReport:
    files: int = 0
    added: int = 0
    unchanged: int = 0
    records: dict[str, int] = field(default_factory=lambda: {
        "evaluations": 0, "problems": 0, "suggestions": 0, "declarations": 0, "indicators": 0})
    errors: list[FileError] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    store: dict[str, int] = field(default_factory=dict)
    db: str = ""
    #: (zh, en) when the store failed (disk full, read-only …) and the batch stopped; the files
    #: after the failed one are listed in ``not_processed``.
    stopped: tuple[str, str] | None = None
    not_processed: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = {"files": self.files, "added_documents": self.added, "unchanged_documents": self.unchanged,
               "added": self.records, "errors": [e.to_dict() for e in self.errors], "documents": self.documents,
               "store": self.store, "db": self.db}
        if self.stopped:
            out |= {"stopped": {"错误": self.stopped[0], "error": self.stopped[1]}, "not_processed": self.not_processed}
        return out


@dataclass
class PrepareReport:
    ingest: IngestReport
    annotations: dict[str, int]
    trained: dict[str, Any] | None

    def to_dict(self) -> dict[str, Any]:
        return {"ingest": self.ingest.to_dict(), "annotations": self.annotations, "trained": self.trained}


# ---- tagging ---------------------------------------------------------------------------------------

@dataclass
class TagRequest:
    """Problem statements to tag. ``sources`` (same length) says where each came from.
    ``allow_none``: the texts may hold no problem (mixed text), so "no theme" is a possible answer;
    by default each text is taken to be a problem statement and gets at least its likeliest theme."""

    texts: list[str]
    threshold: float | None = None
    evidence: bool = True
    split_items: bool = True
    rectify: bool = False
    sources: list[str] | None = None
    allow_none: bool = False


@dataclass
class Tagged:
    """One statement's themes (most likely first), probabilities, evidence and, when it was a
    numbered paragraph, its items tagged one by one."""

    text: str
    themes: list[str]
    scores: dict[str, float]
    evidence: dict[str, Any] | None = None
    items: list[Tagged] | None = None
    source: str = ""
    rectification: str | None = None

    @classmethod
    def from_model(cls, rec: dict[str, Any], source: str = "") -> Tagged:
        items = [cls.from_model(r, source) for r in rec["items"]] if rec.get("items") else None
        return cls(rec["text"], rec["themes"], rec["scores"], rec.get("evidence"), items, source)

    def to_dict(self) -> dict[str, Any]:
        out = {"text": self.text, "themes": self.themes, "scores": self.scores}
        if self.evidence is not None:
            out["evidence"] = self.evidence
        if self.items:
            out["items"] = [i.to_dict() for i in self.items]
        if self.source:
            out["source"] = self.source
        if self.rectification is not None:
            out["rectification"] = self.rectification
        return out


# ---- training and models ---------------------------------------------------------------------------

@dataclass
class TrainRequest:
    """``activate=False`` publishes the new version as a candidate: listed, not used, until a
    trainer activates it (the app does so when it is not worse on the dev set, or on request)."""

    use_dense: bool = True
    progress: Progress | None = None
    log: Log = _quiet
    activate: bool = True


@dataclass
class TrainResult:
    """The new version's metrics and the previously active version's (None for a first model)."""

    metrics: dict[str, Any]
    before: dict[str, Any] | None

    @property
    def version(self) -> str:
        return self.metrics["version"]


@dataclass
class EvaluateRequest:
    repeats: int = 2
    folds: int = 5
    use_dense: bool = True
    log: Log = _quiet


@dataclass
class ModelVersion:
    version: str
    active: bool
    created: str | None
    data_hash: str | None
    summary: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# ---- review ----------------------------------------------------------------------------------------

@dataclass
class LabelEdit:
    """New labels for one example; ``version`` is the example's version the editor saw (from
    :func:`~pbm_nlp.services.review.annotation`): when given, a stale edit is refused."""

    annotation_id: int
    themes: list[str]
    actor: Actor
    version: int | None = None


@dataclass
class NewExample:
    text: str
    themes: list[str]
    actor: Actor
    kind: str | None = None


@dataclass
class ExampleAdded:
    annotation_id: int
    created: bool


@dataclass
class NewTheme:
    id: str
    name: str
    definition: str
    cues: list[str]
    examples: list[str]
    actor: Actor


# ---- drafting --------------------------------------------------------------------------------------

@dataclass
class SuggestRequest:
    """A new project as a drafter describes it (budget in 元)."""

    project: str
    overview: str = ""
    annual_goal: str = ""
    kind: str | None = None
    budget: float | None = None
    year: int | None = None
    with_risks: bool = True

    def to_dict(self) -> dict[str, Any]:
        out = {"project": self.project, "overview": self.overview, "annual_goal": self.annual_goal}
        out |= {k: v for k, v in (("kind", self.kind), ("budget", self.budget), ("year", self.year)) if v}
        return out


# ---- mining ----------------------------------------------------------------------------------------

@dataclass
class MineRequest:
    """Statements to mine: from a file's lines (``statements``), or the store's problems filtered by
    year/unit/kind (none chosen: all), optionally with the labelled corpus."""

    statements: list[Any] | None = None
    years: list[str] | None = None
    units: list[str] | None = None
    kinds: list[str] | None = None
    include_corpus: bool = False
    use_themes: bool = True
    min_similarity: float | None = None
    min_cluster_size: int | None = None
    log: Log = _quiet
