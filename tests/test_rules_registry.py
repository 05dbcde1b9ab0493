"""The lint rules are found by discovery, one module each, with the fields lint and the README rely on."""
from __future__ import annotations

import pkgutil

from pbm_nlp.drafting import rules
from pbm_nlp.drafting.rules.base import INPUTS, SEVERITY_ZH


def test_every_rule_module_registers_one_rule_with_its_metadata():
    modules = {m.name for m in pkgutil.iter_modules(rules.__path__)} - {"base", "rewrite"}
    registry = rules.registry()
    assert {r.id for r in registry} == modules  # one file per rule, named after it
    for r in registry:
        assert r.severity in SEVERITY_ZH and r.reads <= INPUTS and r.summary
        assert r.theme in {"indicator_unclear", "budget_execution", "benefit_evidence"}
    assert [r.order for r in registry] == sorted(r.order for r in registry)
    assert [r.id for r in rules.batch()] == ["boilerplate_set"]
    assert rules.RULES == tuple(r.id for r in registry)


def test_unknown_rule_is_a_clear_error():
    import pytest

    with pytest.raises(KeyError, match="no lint rule 'nope'"):
        rules.get("nope")
