"""Records shared by every layer: what the parsers produce and the store keeps.

Plain dataclasses, so that a record round-trips through JSON with ``asdict`` and the
store, CLI and app all speak the same shapes.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Target:
    """An indicator's target value, parsed: ``=100(%)`` → ("=", 100.0, "%")."""

    raw: str
    operator: str | None = None
    value: float | None = None
    unit: str | None = None
    qualitative: bool = False


@dataclass
class Indicator:
    level1: str
    level2: str | None
    name: str
    target: str
    parsed: Target | None = None
    #: Where the target comes from and why the row is there, as a drafting export states them
    #: (empty for forms that do not say).
    basis: str = ""
    reason: str = ""


@dataclass
class Item:
    """A numbered problem or suggestion: its heading sentence plus its elaboration."""

    number: int | None
    heading: str
    body: str = ""

    @property
    def text(self) -> str:
        if not self.body:
            return self.heading
        return self.heading + ("" if self.heading[-1:] in "。！？；" else "。") + self.body


@dataclass
class ScoreRow:
    """One row of an evaluation report's scoring table (a leaf has a 满分值 and 得分)."""

    code: str
    name: str
    level: int
    weight: float | None = None
    full: float | None = None
    score: float | None = None


@dataclass
class Evaluation:
    project: str
    score: float | None
    grade: str | None
    amount: float | None = None
    amount_unit: str | None = None
    year: int | None = None
    unit: str | None = None
    achievements: str = ""
    problems: list[Item] = field(default_factory=list)
    suggestions: list[Item] = field(default_factory=list)
    rectification_status: str = ""
    scoring: list[ScoreRow] = field(default_factory=list)
    #: Totals the report itself states, per level-1 code and overall (''): (满分, 得分).
    stated_totals: dict[str, tuple[float, float]] = field(default_factory=dict)
    doc_type: str = "evaluation_result"
    source: str = ""
    #: Where and what: the region, the project kind, who found the problems (an audit office, a
    #: finance bureau, an evaluator, the unit itself) and the source's own title, when known.
    region: str | None = None
    kind: str | None = None
    finder: str | None = None
    title: str = ""

    @property
    def amount_yuan(self) -> float | None:
        if self.amount is None:
            return None
        return self.amount * 10_000 if self.amount_unit == "万元" else self.amount


@dataclass
class Declaration:
    project: str
    year: int | None
    frame: str
    unit: str | None = None
    project_type: list[str] = field(default_factory=list)
    fund_use: list[str] = field(default_factory=list)
    category: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    budget: float | None = None
    overview: str = ""
    total_goal: str = ""
    annual_goal: str = ""
    subprojects: list[tuple[str, float | None]] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    doc_type: str = "declaration"
    source: str = ""

    @property
    def kind(self) -> str | None:
        """The project kind as the form states it: 资金用途 (2018/2019) or 项目类别 (2023)."""
        if self.fund_use:
            return self.fund_use[0]
        return self.category


@dataclass
class ParsedDocument:
    """What one file yielded."""

    path: str
    doc_type: str
    text_hash: str
    declarations: list[Declaration] = field(default_factory=list)
    evaluations: list[Evaluation] = field(default_factory=list)

    @property
    def n_records(self) -> int:
        return len(self.declarations) + len(self.evaluations)


def to_dict(record: Any) -> dict:
    return asdict(record)
