"""The indicator library built from every declaration in the store.

Each entry is a reusable core name ("系统建设完成率", the project's own words stripped), placed
on the national frame, with every target it was given and the projects and years it came from.
The suggester reads it for 历史标准 targets; the provenance lets a drafter see who used it.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from statistics import median
from typing import Any

from .frame import classify, dimension
from .kinds import form_kind
from .measure import format_target, read_target, unit_family
from .names import core_name, key, similar


@dataclass
class Use:
    """One appearance of an indicator in a stored declaration."""

    project: str
    year: int | None
    name: str
    target: str
    source: str
    kind: str | None


@dataclass
class LibraryEntry:
    core: str
    level1: str
    level2: str
    uses: list[Use] = field(default_factory=list)

    @property
    def dim(self) -> str | None:
        return dimension(self.level1, self.level2)

    def numeric_target(self) -> tuple[str, float, str] | None:
        """The most common numeric target (operator, value, unit), if any use had one."""
        nums = Counter()
        for u in self.uses:
            t = read_target(u.target)
            if t.value is not None and not t.placeholder:
                nums[(t.operator or "=", t.value, t.unit or "")] += 1
        return nums.most_common(1)[0][0] if nums else None

    def target_text(self) -> str | None:
        t = self.numeric_target()
        return format_target(*t) if t else None

    def provenance(self, n: int = 3) -> list[str]:
        seen: list[str] = []
        for u in self.uses:
            label = f"{u.project}（{u.year or '年份不详'}，{u.source}）：{u.name} {u.target}"
            if label not in seen:
                seen.append(label)
        return seen[:n]

    def as_dict(self) -> dict[str, Any]:
        return {"core": self.core, "level1": self.level1, "level2": self.level2, "dimension": self.dim,
                "typical_target": self.target_text(), "uses": [u.__dict__ for u in self.uses]}


@dataclass(frozen=True)
class ValueRange:
    """What similar past declarations declared for an indicator: "同类 N 项 申报值 a–b，中位数 m"."""

    n: int
    low: float
    high: float
    median: float
    unit: str
    provenance: tuple[str, ...]

    def text(self) -> str:
        span = f"{_num(self.low)}{self.unit}" if self.low == self.high else f"{_num(self.low)}–{_num(self.high)}{self.unit}"
        return f"同类 {self.n} 项申报值 {span}，中位数 {_num(self.median)}{self.unit}"


def _num(v: float) -> str:
    return f"{v:.0f}" if float(v).is_integer() else f"{v:g}"


class IndicatorLibrary:
    """Indicators of past declarations, pooled by core name across projects and years."""

    def __init__(self, entries: list[LibraryEntry]):
        self.entries = entries
        self._by_key = {key(e.core): e for e in entries}
        self._numeric = [e for e in entries if e.numeric_target() is not None]
        self._nearest: dict[str, tuple[LibraryEntry | None, float]] = {}
        self._ranges: dict[tuple[str, str | None, str | None], ValueRange | None] = {}

    @classmethod
    def from_declarations(cls, declarations: Iterable[dict[str, Any]]) -> IndicatorLibrary:
        entries: dict[str, LibraryEntry] = {}
        for d in declarations:
            for ind in d.get("indicators") or []:
                name = (ind.get("name") or "").strip()
                if not name:
                    continue
                core = core_name(name, d.get("project", ""))
                l1, l2 = classify(ind.get("level1"), ind.get("level2"), name)
                k = key(core)
                e = entries.setdefault(k, LibraryEntry(core, l1, l2))
                e.uses.append(Use(d.get("project", ""), d.get("year"), name, ind.get("target") or "",
                                  d.get("source") or "", d.get("kind")))
        return cls(sorted(entries.values(), key=lambda e: -len(e.uses)))

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, name: str) -> LibraryEntry | None:
        return self._by_key.get(key(name))

    def numeric(self) -> list[LibraryEntry]:
        """Entries that have at least one numeric target (the only ones a 历史标准 can come from)."""
        return self._numeric

    def nearest_numeric(self, name: str) -> tuple[LibraryEntry | None, float]:
        """The numeric entry whose core name is most like ``name`` (memoised: reference names repeat)."""
        if name not in self._nearest:
            best, best_s = None, 0.0
            for e in self._numeric:
                s = similar(e.core, name)
                if s > best_s:
                    best, best_s = e, s
            self._nearest[name] = (best, best_s)
        return self._nearest[name]

    def range_for(self, name: str, family: str | None, kind: str | None) -> ValueRange | None:
        """The values past declarations of the same kind gave to indicators named like ``name`` in one unit
        family (memoised: reference names repeat across requests). None when fewer than two declared it."""
        key_ = (name, family, kind)
        if key_ not in self._ranges:
            self._ranges[key_] = self._range(name, family, kind)
        return self._ranges[key_]

    def _range(self, name: str, family: str | None, kind: str | None) -> ValueRange | None:
        values: dict[str, tuple[float, str]] = {}  # one value per past project
        prov: list[str] = []
        for e in self._numeric:
            if similar(e.core, name) < 0.7:
                continue
            for u in e.uses:
                t = read_target(u.target)
                if t.value is None or unit_family(t.unit) != family or not _same_kind(u.kind, kind):
                    continue
                if u.project not in values:
                    values[u.project] = (t.value, t.unit or "")
                    prov.append(f"{u.project}（{u.year or '年份不详'}，{u.source}）：{u.name} {u.target}")
        if len(values) < 2:
            return None
        nums = sorted(v for v, _ in values.values())
        unit = Counter(unit for _, unit in values.values()).most_common(1)[0][0]
        return ValueRange(len(nums), nums[0], nums[-1], float(median(nums)), unit, tuple(prov[:3]))


def _same_kind(stated: str | None, kind: str | None) -> bool:
    return kind is None or form_kind(stated) == kind
