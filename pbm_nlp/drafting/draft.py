"""A declaration as the drafting assistant reads it: validated input, rows mapped onto the national frame.

One record for everything drafting reads: a suggest request is a Draft without rows, a lint
input a Draft with rows. Input is the schema of `pbm export --kind declarations`; only
``project`` (and, for lint, ``indicators``) is required, so a drafter can paste a half-finished
form. A parsed :class:`pbm_nlp.schema.Declaration` becomes a Draft through :func:`from_declaration`.
"""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from ..errors import InputError
from ..schema import Declaration
from ..text.jsonl import json_lines, loads
from .frame import classify, dimension
from .measure import ParsedTarget, read_target


@dataclass
class Row:
    """One indicator row: as written, and as the national frame sees it."""

    level1: str
    level2: str
    name: str
    target: str
    frame_l1: str
    frame_l2: str
    dim: str | None
    parsed: ParsedTarget

    def as_dict(self) -> dict[str, str]:
        return {"level1": self.level1, "level2": self.level2, "name": self.name, "target": self.target}


@dataclass
class Draft:
    project: str
    rows: list[Row]
    year: int | None = None
    kind: str | None = None
    unit: str | None = None
    overview: str = ""
    annual_goal: str = ""
    total_goal: str = ""
    budget: float | None = None
    source: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def goals(self) -> str:
        return "\n".join(t for t in (self.total_goal, self.annual_goal) if t)

    def context_text(self) -> str:
        """Name, overview and goals: what the project says it is."""
        return "。".join(t for t in (self.project, self.overview, self.goals) if t)

    @property
    def request_text(self) -> str:
        """Name, overview and annual goal: what a suggestion may quote."""
        return "。".join(t for t in (self.project, self.overview, self.annual_goal) if t)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _year(value: Any) -> int | None:
    if value in (None, ""):
        return None
    m = re.search(r"(?:19|20)\d{2}", str(value))
    return int(m.group(0)) if m else None


def _budget(value: Any) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(str(value).replace(",", "").replace("元", ""))
    except ValueError:
        raise InputError(f"预算“{value}”不是数字，请填写以元为单位的金额。",
                         f"budget {value!r} is not a number: give the amount in yuan.") from None


def _rows(obj: dict, where: str, project: str, required: bool) -> list[Row]:
    inds = obj.get("indicators")
    if inds is None and not required:
        return []
    if not isinstance(inds, list):
        raise InputError(f"{where}（{project}）缺少 \"indicators\" 列表，每项含 level1、level2、name、target。",
                         f"{where} ({project}): \"indicators\" must be a list of {{level1, level2, name, target}}.")
    rows = []
    for k, ind in enumerate(inds, 1):
        if not isinstance(ind, dict) or not _text(ind.get("name")):
            raise InputError(f"{where}（{project}）第 {k} 个指标缺少名称（name）。",
                             f"{where} ({project}): indicator {k} has no \"name\".")
        l1, l2, name, target = (_text(ind.get("level1")), _text(ind.get("level2")), _text(ind.get("name")),
                                _text(ind.get("target")))
        f1, f2 = classify(l1, l2, name)
        rows.append(Row(l1, l2, name, target, f1, f2, dimension(f1, f2), read_target(target)))
    return rows


_KNOWN = {"project", "indicators", "year", "kind", "unit", "overview", "annual_goal", "total_goal", "budget", "source"}


def make_draft(obj: Any, where: str = "输入", require_indicators: bool = True) -> Draft:
    """Validate one declaration object; errors say which field is wrong and what to write."""
    if not isinstance(obj, dict):
        raise InputError(f"{where}应为 JSON 对象（一个申报表），实际是 {type(obj).__name__}。",
                         f"{where}: expected a JSON object (one declaration), got {type(obj).__name__}.")
    project = _text(obj.get("project"))
    if not project:
        raise InputError(f"{where}缺少项目名称：请提供 \"project\" 字段（以及尽量详细的 \"overview\" 项目概况）。",
                         f"{where}: the project name is missing: add a \"project\" field (and an \"overview\").")
    return Draft(project=project, rows=_rows(obj, where, project, require_indicators), year=_year(obj.get("year")),
                 kind=_text(obj.get("kind")) or None, unit=_text(obj.get("unit")) or None,
                 overview=_text(obj.get("overview")), annual_goal=_text(obj.get("annual_goal")),
                 total_goal=_text(obj.get("total_goal")), budget=_budget(obj.get("budget")),
                 source=_text(obj.get("source")), extra={k: v for k, v in obj.items() if k not in _KNOWN})


def read_request(obj: Any) -> Draft:
    """A suggest request: a draft whose indicators are optional (the suggester writes them)."""
    if not isinstance(obj, dict):
        raise InputError("输入应为 JSON 对象，例如 {\"project\": \"河道保洁养护\", \"overview\": \"…\"}。",
                         "input must be a JSON object such as {\"project\": \"…\", \"overview\": \"…\"}.")
    return make_draft(obj, "输入", require_indicators=False)


def from_declaration(decl: Declaration) -> Draft:
    """A parsed 申报表 (pbm_nlp.schema.Declaration) as a Draft; its stated 资金用途/项目类别 is the kind."""
    return make_draft({**asdict(decl), "kind": decl.kind,
                       "indicators": [{"level1": i.level1, "level2": i.level2 or "", "name": i.name, "target": i.target}
                                      for i in decl.indicators]}, decl.project)


def json_objects(text: str, name: str = "输入") -> list[Any]:
    """One JSON object, a JSON array, or JSON Lines; errors give the line to fix."""
    text = text.strip().lstrip("\ufeff")
    if not text:
        raise InputError(f"{name}为空：请提供 JSON 对象或多行 JSON Lines。",
                         f"{name} is empty: give a JSON object, or several as JSON Lines.")
    try:
        data = loads(text, name)
        return data if isinstance(data, list) else [data]
    except json.JSONDecodeError:
        pass
    return json_lines(text, name)


def read_drafts(text: str, name: str = "输入") -> list[Draft]:
    """Declarations as one JSON object, a JSON array, or JSON Lines."""
    objs = json_objects(text, name)
    return [make_draft(o, f"{name}第 {i} 个申报表" if len(objs) > 1 else name) for i, o in enumerate(objs, 1)]
