"""JSON Lines as every input and corpus file of pbm-nlp uses them: one place for the parsing and
for an error that names the line and column to fix.

Every JSON a user gives goes through :func:`loads`: nesting deeper than :data:`MAX_DEPTH` is
refused with a clear message (Python's parser fails with a RecursionError near depth 1,000, and
deep values break whatever walks them later); our records are at most four levels deep.
"""
from __future__ import annotations

import json
from typing import Any

from ..errors import InputError

#: Deepest nesting of arrays and objects accepted in user input.
MAX_DEPTH = 32


def too_deep(where: str) -> InputError:
    return InputError(f"{where} 的 JSON 嵌套过深（超过 {MAX_DEPTH} 层）：请提供扁平的记录。",
                      f"{where}: JSON nested too deeply (more than {MAX_DEPTH} levels): give flat records.")


def depth(value: Any) -> int:
    """Nesting depth of arrays and objects (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, dict | list):
            deepest = max(deepest, d)
            if d <= MAX_DEPTH:
                stack.extend((x, d + 1) for x in (v.values() if isinstance(v, dict) else v))
    return deepest


def loads(text: str, where: str = "输入") -> Any:
    """``json.loads`` for user input: a JSONDecodeError as usual, an InputError when too deep."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise too_deep(where) from None
    if depth(value) > MAX_DEPTH:
        raise too_deep(where)
    return value


def json_lines(text: str, name: str = "输入") -> list[Any]:
    """Every non-blank line parsed as JSON."""
    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(loads(line, f"{name} 第 {n} 行 / line {n}"))
        except json.JSONDecodeError as exc:
            raise InputError(f"{name} 第 {n} 行不是合法的 JSON（{exc.msg}，第 {exc.colno} 列）。",
                             f"{name} line {n} is not valid JSON ({exc.msg} at column {exc.colno}).") from None
    return out
