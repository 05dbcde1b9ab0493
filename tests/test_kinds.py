"""Kinds that fit real budgets: the kind list has one source, the new kinds are inferred from real
names and overviews, and a close call names its runner-up."""
from __future__ import annotations

import pytest

from pbm_nlp.drafting.context import labelled_kinds
from pbm_nlp.drafting.kinds import KindInferer, form_kind, kind_names
from pbm_nlp.drafting.reference import load_reference

from .test_lint import ctx  # noqa: F401  (the shared drafting-context fixture)


def test_one_kind_list_everyone_reads():
    kinds = kind_names()
    assert {"赛事活动", "检验检测", "人员与运转经费", "监管执法"} <= set(kinds)
    assert set(load_reference()) == set(kinds)  # every kind has reference indicators
    assert form_kind("赛事活动类") == "赛事活动" and form_kind("其他运转类") is None


@pytest.mark.parametrize("project,overview,kind", [
    ("2025金安国际网球公开赛", "承办国际网球公开赛，赛期7天，设男女单打和双打项目。", "赛事活动"),
    ("农产品质检体系建设和三品一标发展", "建设县乡农产品质量安全检测站，开展定量检测和快速检测。", "检验检测"),
    ("村级组织运转经费", "安排331万元用于230名村组干部报酬和村级办公经费。", "人员与运转经费"),
    ("食品安全监管补助资金", "开展食品风险隐患排查整治、打击违法行为。", "监管执法"),
    ("博物馆纪念馆免费开放补助", "保障3个场馆免费开放，全年接待观众约45万人次。", "补助补贴"),
    ("七星关区第十二小学教学楼建设项目", "新建教学楼1栋，建筑面积8600平方米。", "基本建设"),
])
def test_kinds_of_common_real_budgets(ctx, project, overview, kind):  # noqa: F811
    assert ctx.kinds.infer(project, overview).kind == kind


def test_real_names_are_inferred_well_leave_one_out(ctx):  # noqa: F811
    rows = [r for r in labelled_kinds("tune") if r["kind"] in kind_names()]
    ok = 0
    for r in rows:
        own = f"{r['project']}。{r['overview'][:150]}"
        inferer = KindInferer(ctx.encoder, [e for e in ctx.kinds.examples if e[0] != own])
        ok += inferer.infer(r["project"], r["overview"]).kind == r["kind"]
    assert ok / len(rows) >= 0.85, ok / len(rows)


def test_a_close_call_names_its_runner_up(ctx):  # noqa: F811
    guess = ctx.kinds.infer("机关办公楼运行维护经费", "保障机关办公楼水电、物业和日常维修。")
    assert guess.runner_up is not None and guess.runner_up != guess.kind
    assert guess.as_dict()["runner_up"] == guess.runner_up
    assert ctx.kinds.infer("河道保洁养护", "全区12条河道日常保洁和养护。").runner_up is None
