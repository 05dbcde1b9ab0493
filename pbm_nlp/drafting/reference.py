"""The reference data kept in corpora/: indicators by project kind, and measures by problem theme.

Both are data, not code, so that a reviewer can read and correct an entry (each one carries
its provenance) without touching the suggester.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .. import config
from ..errors import InputError
from .frame import classify
from .measure import format_target


@dataclass(frozen=True)
class ReferenceIndicator:
    kind: str
    level1: str
    level2: str
    name: str  # may hold {object}
    object_hint: str | None
    operator: str | None
    value: float | None
    unit: str | None
    qualitative: str | None
    direction: str
    quantity_pattern: str | None
    provenance: str

    @property
    def target(self) -> str:
        if self.value is None:
            return self.qualitative or ""
        return format_target(self.operator or "=", self.value, self.unit or "")

    @property
    def ref_id(self) -> str:
        return f"参考库/{self.kind}/{self.name}"


@dataclass
class KindProfile:
    name: str
    description: str
    keywords: list[str]
    examples: list[str]
    indicators: list[ReferenceIndicator] = field(default_factory=list)


@dataclass(frozen=True)
class PreemptIndicator:
    level1: str
    level2: str
    name: str
    target: str


@dataclass
class ThemeMeasures:
    id: str
    name: str
    indicators: list[PreemptIndicator]
    measures: list[str]
    rectification: list[str]


def _load_yaml(path: Path, what: str) -> dict:
    if not path.exists():
        raise InputError(f"找不到{what} {path}，请确认 corpora/ 目录完整（或设置 PBM_CORPORA）。",
                         f"{what} not found at {path}: check that corpora/ is complete (or set PBM_CORPORA).")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise InputError(f"{path} 格式不对：应为 YAML 映射。", f"{path} is malformed: expected a YAML mapping.")
    return data


@lru_cache(maxsize=4)
def load_reference(path: Path | None = None) -> dict[str, KindProfile]:
    """corpora/reference_indicators.yaml → {kind: profile}; entries mapped onto the national frame."""
    path = path or config.CORPORA_DIR / "reference_indicators.yaml"
    data = _load_yaml(path, "参考指标库 reference indicator library")
    out: dict[str, KindProfile] = {}
    for k in data.get("kinds", []):
        prof = KindProfile(k["name"], k.get("description", ""), list(k.get("keywords") or []),
                           list(k.get("examples") or []))
        for e in k.get("indicators") or []:
            l1, l2 = classify(e.get("level1"), e.get("level2"), e["name"])
            value = e.get("value")
            prof.indicators.append(ReferenceIndicator(
                kind=prof.name, level1=l1, level2=l2, name=str(e["name"]), object_hint=e.get("object_hint"),
                operator=e.get("operator"), value=float(value) if value is not None else None, unit=e.get("unit"),
                qualitative=e.get("qualitative"), direction=e.get("direction") or "positive",
                quantity_pattern=e.get("quantity_pattern"), provenance=e.get("provenance") or ""))
        out[prof.name] = prof
    return out


@lru_cache(maxsize=4)
def load_theme_measures(path: Path | None = None) -> dict[str, ThemeMeasures]:
    """corpora/theme_measures.yaml → {theme id: indicators, measures and model 整改建议 sentences}."""
    path = path or config.CORPORA_DIR / "theme_measures.yaml"
    data = _load_yaml(path, "主题整改措施库 theme measures")
    out = {}
    for t in data.get("themes", []):
        out[t["id"]] = ThemeMeasures(
            t["id"], t.get("name", t["id"]),
            [PreemptIndicator(i["level1"], i["level2"], i["name"], str(i["target"])) for i in t.get("preempt_indicators") or []],
            list(t.get("preempt_measures") or []), list(t.get("rectification") or []))
    return out
