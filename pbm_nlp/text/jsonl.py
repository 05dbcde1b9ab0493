"""JSON Lines as every input and corpus file of pbm-nlp uses them: one place for the parsing and
for an error that names the line and column to fix."""
from __future__ import annotations

import json
from typing import Any

from ..errors import InputError


def json_lines(text: str, name: str = "输入") -> list[Any]:
    """Every non-blank line parsed as JSON."""
    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise InputError(f"{name} 第 {n} 行不是合法的 JSON（{exc.msg}，第 {exc.colno} 列）。",
                             f"{name} line {n} is not valid JSON ({exc.msg} at column {exc.colno}).") from None
    return out
