"""The reference data kept in corpora/: indicators by project kind, and measures by problem theme.

Both are data, not code, so that a reviewer can read and correct an entry (each one carries
its provenance) without touching the suggester.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .. import config
from ..errors import InputError
from .frame import classify
from .measure import format_target

#: A value needs no facts of the project only as a rate, a zero, or a rule that the provenance cites.
_CITES_RULE = re.compile(r"《[^》]+》|GB[/ T]*\d|〔\d{4}〕|令第\d+号")


@dataclass(frozen=True)
class ReferenceIndicator:
    kind: str
    level1: str
    level2: str
    name: str  # may hold {object}
    operator: str | None
    value: float | None  # only for standards: rates, zeros, rule-set values (basis == "standard")
    unit: str | None
    qualitative: str | None
    direction: str
    quantity_pattern: str | None
    provenance: str
    typical: float | None = None  # a project quantity's typical value: a reference range, never a target
    topic: re.Pattern[str] | None = None  # the entry fits only projects that talk about this

    @property
    def basis(self) -> str:
        """'standard' (a value that needs no project facts), 'quantity' (the project's own amount) or 'qualitative'."""
        if self.value is not None:
            return "standard"
        return "qualitative" if self.qualitative else "quantity"

    @property
    def target(self) -> str:
        """The target as the library gives it: a standard value, a qualitative word, or '' for a quantity."""
        if self.value is None:
            return self.qualitative or ""
        return format_target(self.operator or "=", self.value, self.unit or "")

    def fits(self, text: str) -> bool:
        return self.topic is None or bool(self.topic.search(text))

    @property
    def ref_id(self) -> str:
        return f"参考库/{self.kind}/{self.name}"


@dataclass
class KindProfile:
    name: str
    description: str
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


def _entry(kind: str, e: dict, where: str) -> ReferenceIndicator:
    """One library entry, checked: every value needs no project facts and carries its source."""
    if not str(e.get("provenance") or "").strip():
        raise InputError(f"{where} 缺少 provenance（来源）。", f"{where}: every entry needs a provenance (its source).")
    value, unit = e.get("value"), e.get("unit")
    quantity = value is not None and float(value) != 0 and unit not in ("%", "分")
    if quantity and (e.get("basis") != "standard" or not _CITES_RULE.search(e["provenance"])):
        raise InputError(f"{where} 的目标值 {value}{unit or ''} 是项目自身的数量，不能作为参考值：请改为 typical，"
                         f"或标注 basis: standard 并在 provenance 中引用规定（《…》、GB、〔年〕号）。",
                         f"{where}: {value}{unit or ''} is a project quantity: move it to `typical`, or mark "
                         f"basis: standard with a provenance citing the rule that sets it.")
    l1, l2 = classify(e.get("level1"), e.get("level2"), e["name"])
    topic = e.get("topic")
    return ReferenceIndicator(
        kind=kind, level1=l1, level2=l2, name=str(e["name"]), operator=e.get("operator"),
        value=float(value) if value is not None else None, unit=unit, qualitative=e.get("qualitative"),
        direction=e.get("direction") or "positive", quantity_pattern=e.get("quantity_pattern"),
        provenance=str(e["provenance"]), typical=float(e["typical"]) if e.get("typical") is not None else None,
        topic=re.compile(topic) if topic else None)


@lru_cache(maxsize=4)
def load_reference(path: Path | None = None) -> dict[str, KindProfile]:
    """corpora/reference_indicators.yaml → {kind: profile}; entries mapped onto the national frame."""
    path = path or config.CORPORA_DIR / "reference_indicators.yaml"
    data = _load_yaml(path, "参考指标库 reference indicator library")
    out: dict[str, KindProfile] = {}
    for k in data.get("kinds", []):
        prof = KindProfile(k["name"], k.get("description", ""), list(k.get("examples") or []))
        for n, e in enumerate(k.get("indicators") or [], 1):
            prof.indicators.append(_entry(prof.name, e, f"{path.name} {prof.name} 第{n}条（{e.get('name')}）"))
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
