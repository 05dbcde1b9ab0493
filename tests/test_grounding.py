"""No invented figures: on the 99 real projects of other provinces (name, kind, overview, budget only),
no suggested row states a project quantity that the request neither states nor lets one derive; unit
costs show their arithmetic; every library value needs no project facts or cites the rule that sets it."""
from __future__ import annotations

import pytest

from pbm_nlp import config
from pbm_nlp.drafting.candidates import per_unit_cost
from pbm_nlp.drafting.grounding_check import grounded, invented_rows, stated_numbers
from pbm_nlp.drafting.reference import load_reference
from pbm_nlp.drafting.suggest import suggest
from pbm_nlp.text.jsonl import json_lines

from .test_lint import ctx  # noqa: F401  (the shared drafting-context fixture)


def real_projects() -> list[dict]:
    path = config.CORPORA_DIR / "drafting" / "real_projects.jsonl"
    return json_lines(path.read_text(encoding="utf-8"), path.name)


def test_unit_cost_arithmetic_is_shown():
    target, unit, arithmetic = per_unit_cost(3_310_000, 230, "人", annual=True)
    assert (target, unit) == ("≤1.44万元/人·年", "万元/人·年")
    assert arithmetic == "331万元 ÷ 230人 ≈ 1.44万元/人·年"
    assert per_unit_cost(14_280_000, 6.8, "公里", annual=True)[0] == "≤210万元/公里"


def test_the_checker_itself_catches_an_invented_figure():
    project = {"project": "物业管理费", "quantities_stated": ["预算350万元"], "budget_wan": 350}
    rows = [{"name": "物业服务面积", "target": "≥20000平方米", "basis": "行业标准", "sources": ["行业通行做法"]},
            {"name": "项目总成本", "target": "≤350万元", "basis": "预算支出标准", "sources": []},
            {"name": "会议人均日综合费用", "target": "≤550元/人天", "basis": "行业标准",
             "sources": ["参考指标库/会议：《中央和国家机关会议费管理办法》（财行〔2016〕214号）"]},
            {"name": "满意度", "target": "≥90%", "basis": "行业标准", "sources": []}]
    assert [r["name"] for r in invented_rows(rows, project)] == ["物业服务面积"]
    assert grounded(1.44, stated_numbers(["331万元", "230名村组干部"]))


def test_library_values_need_no_project_facts():
    for prof in load_reference().values():
        for e in prof.indicators:
            assert e.provenance
            if e.value and e.unit not in ("%", "分"):
                assert e.basis == "standard" and ("《" in e.provenance or "〔" in e.provenance or "GB" in e.provenance), e


@pytest.mark.parametrize("chunk", range(3))
def test_no_invented_figures_on_real_projects(ctx, chunk):  # noqa: F811
    projects = real_projects()[chunk::3]
    for p in projects:
        req = {"project": p["project"], "kind": p["kind"], "overview": p["overview"], "year": p.get("year"),
               "budget": p["budget_wan"] * 10_000 if p.get("budget_wan") else None}
        rows = suggest(req, ctx, with_risks=False)["indicators"]
        assert invented_rows(rows, p) == [], p["project"]
        for r in rows:
            assert r["basis"] in ("计划标准", "预算支出标准", "行业标准", "历史标准", "待填") and r["sources"], r
            if r["basis"] == "预算支出标准" and "÷" in r["reason"]:
                assert "万元" in r["reason"] and "≈" in r["reason"]
