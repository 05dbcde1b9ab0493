"""What every lint rule is: an id, a severity, the evaluation theme it pre-empts, the inputs it
reads, and a check that returns Findings (a Chinese message and a concrete rewrite)."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from ..draft import Draft

#: How a finding's severity reads in Chinese (tables, exports).
SEVERITY_ZH = {"error": "错误", "warn": "警告", "info": "提示"}
#: What a rule may read: the rows, the overview, the goals, the year, the resolved kind, the encoder
#: (and kind inferer), the missing-dimension fixer, or the other drafts of a batch.
INPUTS = frozenset({"rows", "overview", "goals", "year", "kind", "encoder", "fixer", "batch"})


@dataclass
class Finding:
    rule: str
    severity: str  # error | warn | info
    indicator: str | None
    message: str
    fix: str
    theme: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class RuleEnv:
    """What lint resolved for one draft before running the rules."""

    kind: str | None = None
    plausible: Sequence[str] = ()  # other kinds an uncertain inference could not rule out
    encoder: Any = None
    inferer: Any = None  # a KindInferer
    fixer: Callable[[Draft, str], str] | None = None  # a concrete row for a missing dimension


@dataclass(frozen=True)
class Rule:
    """One lint rule. ``check`` reads one draft; a batch rule has ``check_batch`` over all drafts instead."""

    id: str
    severity: str  # the severity it reports (some rules lower it case by case)
    theme: str  # the evaluation theme the rule pre-empts
    reads: frozenset[str]  # a subset of INPUTS
    order: int  # report order among the rules
    summary: str  # one line for --help and the README
    check: Callable[[Draft, RuleEnv], list[Finding]] | None = None
    check_batch: Callable[[Sequence[Draft]], dict[int, list[Finding]]] | None = None

    def __post_init__(self) -> None:
        if self.severity not in SEVERITY_ZH:
            raise ValueError(f"rule {self.id}: severity must be one of {sorted(SEVERITY_ZH)}, got {self.severity!r}")
        if not self.reads <= INPUTS:
            raise ValueError(f"rule {self.id}: unknown inputs {sorted(self.reads - INPUTS)}; known: {sorted(INPUTS)}")
        if (self.check is None) == (self.check_batch is None):
            raise ValueError(f"rule {self.id}: give exactly one of check or check_batch")

    @property
    def batch(self) -> bool:
        return self.check_batch is not None

    def finding(self, indicator: str | None, message: str, fix: str, severity: str | None = None,
                theme: str | None = None) -> Finding:
        return Finding(self.id, severity or self.severity, indicator, message, fix, theme or self.theme)
