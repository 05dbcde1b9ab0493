"""绩效评价结果信息表 (seed 000): one record per project, problems and suggestions as items."""
from __future__ import annotations

import re

from ..schema import Evaluation
from ..text.normalize import clean_line, parse_number, strip_quotes
from ..text.segment import split_items
from .common import amount_with_unit, first_year, labelled_fields

MARKER = "绩效评价结果信息表"

LABELS = {
    "项目名称": "project",
    "决算金额": "amount",
    "预算金额": "amount",
    "评价分值": "score",
    "评价得分": "score",
    "评价结论": "grade",
    "评价等级": "grade",
    "主要绩效": "achievements",
    "存在问题": "problems",
    "主要问题": "problems",
    "整改建议": "suggestions",
    "改进建议": "suggestions",
    "整改情况": "status",
}


def matches(text: str) -> bool:
    return MARKER in text and ("评价分值" in text or "评价得分" in text) and "存在问题" in text


def parse(text: str, source: str = "") -> list[Evaluation]:
    lines = text.split("\n")
    header = "\n".join(clean_line(ln) for ln in lines[:12])
    year = None
    if m := re.search(r"(\d{4})年度?[^\n]{0,12}绩效评价", header):
        year = int(m.group(1))
    unit = _issuing_unit(lines)

    blocks: list[list[str]] = []
    for ln in lines:
        if clean_line(ln) == MARKER:
            blocks.append([])
        elif blocks:
            blocks[-1].append(ln)
    records = []
    for block in blocks:
        f = labelled_fields(block, LABELS)
        if "project" not in f:
            continue
        amount, amount_unit = amount_with_unit("".join(f.get("amount", [])))
        records.append(
            Evaluation(
                project=strip_quotes("".join(f["project"])),
                score=parse_number("".join(f.get("score", []))),
                grade=("".join(f.get("grade", [])).strip() or None),
                amount=amount,
                amount_unit=amount_unit,
                year=year or first_year("".join(f.get("achievements", []))),
                unit=unit,
                achievements="\n".join(f.get("achievements", [])),
                problems=split_items(f.get("problems", [])),
                suggestions=split_items(f.get("suggestions", [])),
                rectification_status="".join(f.get("status", [])),
                doc_type="evaluation_result",
                source=source,
            )
        )
    return records


def _issuing_unit(lines: list[str]) -> str | None:
    for ln in lines[:8]:
        c = clean_line(ln)
        if c and re.search(r"(办公厅|委员会|局|厅|办公室|中心|政府|委|院)$", c):
            return c
    return None
