"""What the miner reads: problem statements with where and when they were found.

One record type for the store's problems, the labelled corpus and JSON Lines from a file, so that
clustering, aggregates and copy detection never care where a statement came from.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..errors import InputError, empty_input
from ..text.jsonl import loads

UNKNOWN = "未知"
_YEAR = re.compile(r"^\s*((?:19|20)\d{2})\s*(?:年度|年)?\s*$")
#: Optional context fields of a statement (JSON Lines input, the store's problems).
CONTEXT = ("project", "unit", "kind", "region", "doc_type", "finder", "source", "title", "evaluation")


@dataclass(frozen=True)
class Statement:
    """A problem statement and where it was found; ``evaluation`` groups the statements of one
    存在问题 section, ``source`` names the document (a file name or a URL), ``finder`` who found
    the problem (an audit office, a finance bureau, an evaluator, the unit itself)."""

    text: str
    project: str | None = None
    year: int | None = None
    unit: str | None = None
    kind: str | None = None
    evaluation: str | None = None
    region: str | None = None
    doc_type: str | None = None
    finder: str | None = None
    source: str | None = None
    title: str | None = None
    #: the store's id of the problem (its stored tags are looked up by it); None for other input
    problem_id: int | None = None

    @property
    def section_key(self) -> str | None:
        """The evaluation this statement belongs to: given, else project+year+unit, else none."""
        if self.evaluation:
            return self.evaluation
        if self.project:
            return f"{self.project}|{self.year or ''}|{self.unit or ''}"
        return None


def parse_year(value: Any, where: str) -> int | None:
    """2018, "2018", "2018年度" → 2018; empty → None; anything else is refused with its location."""
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2099:
        return value
    m = _YEAR.match(str(value))
    if not m:
        raise InputError(f"{where} 的 year 字段应为年份（如 2018），收到 {value!r}。",
                         f"{where}: \"year\" must be a year such as 2018. Got {value!r} instead.")
    return int(m.group(1))


def _clean(value: Any) -> str | None:
    s = str(value).strip() if value is not None else ""
    return s or None


def from_dict(obj: dict[str, Any], where: str = "input") -> Statement:
    text = _clean(obj.get("text"))
    if not text:
        raise InputError(f"{where} 缺少 text 字段或为空。", f"{where} has no \"text\" (or it is empty).")
    return Statement(text=text, year=parse_year(obj.get("year"), where),
                     **{k: _clean(obj.get(k)) for k in CONTEXT})


def parse_lines(text: str, source: str = "输入") -> list[Statement]:
    """JSON Lines {"text", optional "year" and the CONTEXT fields}; a plain
    line is a statement with no context. Blank lines are skipped; a broken JSON line is refused."""
    out: list[Statement] = []
    for n, line in enumerate(text.splitlines(), start=1):
        s = line.strip()
        if not s:
            continue
        where = f"{source} 第 {n} 行 / line {n}"
        if s.startswith("{"):
            try:
                obj = loads(s, where)
            except json.JSONDecodeError as exc:
                raise InputError(f"{source} 第 {n} 行不是有效的 JSON：{exc.msg}。请每行写一个 JSON 对象。",
                                 f"{source} line {n} is not valid JSON ({exc.msg}): write one JSON object "
                                 "per line.") from exc
            if not isinstance(obj, dict):
                raise InputError(f"{source} 第 {n} 行应为 JSON 对象。", f"{source} line {n} must be a JSON object.")
            out.append(from_dict(obj, where))
        else:
            out.append(Statement(text=s))
    if not out:
        raise empty_input(source)
    return out


def coerce(items: Iterable[Statement | str | dict[str, Any]]) -> list[Statement]:
    """Statements from what the Python API accepts: Statement objects, plain strings or dicts."""
    out = []
    for i, it in enumerate(items):
        if isinstance(it, Statement):
            out.append(it)
        elif isinstance(it, str):
            if not it.strip():
                raise InputError(f"第 {i} 条陈述为空。", f"statement {i} is empty.")
            out.append(Statement(text=it.strip()))
        elif isinstance(it, dict):
            out.append(from_dict(it, f"第 {i} 条 / item {i}"))
        else:
            raise InputError(f"第 {i} 条应为文本、字典或 Statement。",
                             f"item {i} must be a str, dict or Statement. Got {type(it).__name__} instead.")
    if not out:
        raise empty_input("待分析的问题陈述")
    return out


def from_store(store, corpus: bool = False) -> list[Statement]:
    """The store's problem statements (with project, year, unit, evaluation and whatever else the
    store keeps: region, kind, doc_type, finder, source); with ``corpus``, also the labelled
    training statements (their project kind, no project)."""
    out = [Statement(text=p["text"], year=p.get("year"), evaluation=f"evaluation-{p['evaluation_id']}",
                     problem_id=p.get("id"), **{k: _clean(p.get(k)) for k in CONTEXT if k != "evaluation"})
           for p in store.problems()]
    if corpus:  # the corpus holds the seeds' own problems too: count each text once
        have = {s.text for s in out}
        out += [Statement(text=a["text"], kind=a.get("kind")) for a in store.annotations("train")
                if a["text"] not in have]
    if not out:
        raise InputError("数据库中没有问题陈述：请先运行 pbm ingest（或 pbm prepare），或提供 JSON Lines 文件。",
                         "the store holds no problem statements: run `pbm ingest` (or `pbm prepare`) first, "
                         "or give a JSON Lines file.")
    return out


def from_evaluations(records: Iterable[dict[str, Any]], source: str = "evaluations") -> list[Statement]:
    """The problems of evaluation records (the JSON Lines of `pbm export --kind evaluations` and of
    corpora/demo/real_evaluations.jsonl), each with its evaluation's context."""
    out = []
    for n, rec in enumerate(records):
        where = f"{source} 第 {n + 1} 条 / record {n + 1}"
        if not isinstance(rec, dict) or not isinstance(rec.get("problems"), list):
            raise InputError(f"{where} 应为含 problems 列表的评价记录。",
                             f"{where} must be an evaluation object with a \"problems\" list.")
        context = {k: _clean(rec.get(k)) for k in CONTEXT if k != "evaluation"}
        key = f"{context['source'] or source}|{context['project'] or n}|{n}"
        year = parse_year(rec.get("year"), where)
        out += [Statement(text=str(t).strip(), year=year, evaluation=key, **context)
                for t in rec["problems"] if str(t).strip()]
    return out


def project_kind(st: Statement) -> str:
    """The project kind: as given, else inferred from the project name's cue words, else 未知."""
    if st.kind:
        return st.kind
    return _kind_from_name(st.project) if st.project else UNKNOWN


@lru_cache(maxsize=4096)
def _kind_from_name(project: str) -> str:
    from ..drafting.kinds import keyword_scores

    scores = keyword_scores(project)
    best = max(scores, key=scores.get)
    return best if scores[best] > 0 else UNKNOWN
