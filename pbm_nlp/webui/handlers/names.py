"""How ids read to a user: lint rules, themes and document types by their Chinese names.

Ids stay in the JSON results; tables, messages and exports show these names.
"""
from __future__ import annotations

#: Chinese names of the lint rules. The drafting package's rule registry has no Chinese name
#: field yet; when a rule carries one (``name_zh``), that one is used.
RULE_NAMES = {
    "vague_target": "指标值不明确",
    "wrong_direction": "指标方向错误",
    "kind_mismatch": "指标与项目类别不符",
    "unit_mismatch": "计量单位不匹配",
    "stale_year": "年份疑似沿用旧表",
    "goal_mismatch": "目标与项目内容不符",
    "missing_dimension": "缺少指标维度",
    "duplicate_indicator": "指标重复",
    "boilerplate_set": "跨项目套用指标",
}


def rule_name(rule_id: str) -> str:
    from ...drafting import rules

    get = getattr(rules, "get", None)  # the rule registry (one module per rule), where present
    if get is not None:
        try:
            named = getattr(get(rule_id), "name_zh", None)
        except KeyError:
            named = None
        if named:
            return named
    return RULE_NAMES.get(rule_id, rule_id)


def theme_name(theme_id: str | None) -> str:
    from .common import theme_names

    return theme_names().get(theme_id or "", theme_id or "")


def doc_type_name(doc_type: str) -> str:
    from ...ingest.registry import label_of

    return label_of(doc_type)
