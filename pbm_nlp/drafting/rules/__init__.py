"""The checker's rules, one module each, found by discovery: a module of this package that defines
``RULE = Rule(...)`` is a rule. Adding a rule is one new file here (and its test); nothing else lists them.

``registry()`` gives the rules in report order; ``get(id)`` one of them; ``RULES`` is kept as the
tuple of ids for callers that only need the names.
"""
from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from .base import SEVERITY_ZH, Finding, Rule, RuleEnv

__all__ = ["SEVERITY_ZH", "Finding", "Rule", "RuleEnv", "batch", "get", "per_draft", "registry", "rule_ids"]


@lru_cache(maxsize=1)
def registry() -> tuple[Rule, ...]:
    """Every rule module's RULE, in report order."""
    found: list[Rule] = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        rule = getattr(module, "RULE", None)
        if isinstance(rule, Rule):
            found.append(rule)
    ids = [r.id for r in found]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise ValueError(f"two rule modules use the same id: {sorted(dupes)}")
    return tuple(sorted(found, key=lambda r: (r.order, r.id)))


def get(rule_id: str) -> Rule:
    for r in registry():
        if r.id == rule_id:
            return r
    raise KeyError(f"no lint rule {rule_id!r}; known: {rule_ids()}")


def rule_ids() -> tuple[str, ...]:
    return tuple(r.id for r in registry())


def per_draft() -> tuple[Rule, ...]:
    return tuple(r for r in registry() if not r.batch)


def batch() -> tuple[Rule, ...]:
    return tuple(r for r in registry() if r.batch)


def __getattr__(name: str):
    if name == "RULES":  # the ids, in report order (kept for callers of the former rules.RULES)
        return rule_ids()
    raise AttributeError(name)
