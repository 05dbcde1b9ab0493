"""The indicator library: cores, the national frame, parsed targets, provenance; and the plan reader."""
from __future__ import annotations

import re

import pytest

from pbm_nlp.drafting import frame
from pbm_nlp.drafting.kinds import kind_names
from pbm_nlp.drafting.library import IndicatorLibrary
from pbm_nlp.drafting.measure import measure_type, polarity, read_target
from pbm_nlp.drafting.names import core_name, project_object
from pbm_nlp.drafting.plan import read_plan
from pbm_nlp.drafting.reference import load_reference, load_theme_measures


@pytest.fixture(scope="module")
def library(seeded_db):
    from pbm_nlp.store import Store

    with Store(seeded_db) as store:
        return IndicatorLibrary.from_declarations(store.declarations())


def test_core_names_strip_the_project():
    assert core_name("老干部综合信息管理系统建设完成率", "上海市人大老干部综合信息管理系统建设经费") == "系统建设完成率"
    assert core_name("人大会议工作完成率", "人大会议经费") == "会议工作完成率"
    assert core_name("长效管理机制健全性", "人大会议经费") == "长效管理机制健全性"
    assert project_object("河道保洁养护") == ("河道", "保洁养护")
    assert project_object("医疗设备购置") == ("医疗设备", "购置")


@pytest.mark.parametrize("l1,l2,name,expected", [
    ("效果目标", None, "生态效益", (frame.BENEFIT, frame.ECOLOGICAL)),
    ("效果目标", None, "社会公众或服务对象满意度", (frame.SATISFACTION, frame.CLIENT)),
    ("影响力目标", "可持续目标", "平台长效运维机制健全性", (frame.BENEFIT, frame.SUSTAINABLE)),
    ("产出目标", "时效目标", "系统开发完成及时率", (frame.OUTPUT, frame.TIMELINESS)),
    ("产出目标", None, "信息传递速度", (frame.OUTPUT, frame.QUALITY)),
    ("产出目标", None, "财政投入乘数", (frame.BENEFIT, frame.ECONOMIC)),
    ("成本指标", "经济成本指标", "实际投资占批复概算比例", (frame.COST1, frame.ECON_COST)),
    ("投入和管理目标", "财务管理", "资金使用合规性", (frame.LEGACY, "财务管理")),
])
def test_old_frames_map_onto_the_national_frame(l1, l2, name, expected):
    assert frame.classify(l1, l2, name) == expected


def test_library_pools_indicators_with_provenance(library):
    entry = library.get("系统建设完成率")
    assert entry is not None and entry.dim == "数量" and entry.target_text() == "=100%"
    assert {u.year for u in entry.uses} == {2019} and len(entry.uses) >= 2
    assert all("002_1d91f24c0675cfc0.txt" in p for p in entry.provenance())
    sat = library.get("使用者满意度")
    assert sat.numeric_target()[0] == "≥" and sat.level1 == frame.SATISFACTION


def test_targets_and_meaning_of_names():
    t = read_target("≥10000.00kb")
    assert (t.operator, t.value, t.unit, t.family) == ("≥", 10000.0, "kb", "data")
    assert read_target("≥N个").placeholder and read_target("健全").qualitative and not read_target("健全").placeholder
    assert measure_type("信息传递速度") == "speed" and measure_type("核心链路传输速率") == "speed"
    assert measure_type("参训人次") == "count" and measure_type("培训费用节约率") == "rate"
    assert polarity("信息化平台故障发生率") == -1 and polarity("故障修复率") == 1 and polarity("项目预算控制率") == 0


def test_plan_reader_takes_numbers_from_the_overview():
    plan = read_plan("对全区32个服务窗口进行升级改造，2024年6月底前完成改造，接到报修后2小时内到场，每餐补贴3元，"
                     "窗口办件满意率达到95%以上。建设一个以老干部信息为基础的平台。")
    assert [(q.verb, q.obj, q.number, q.unit) for q in plan.quantities] == [("升级改造", "服务窗口", 32.0, "个")]
    assert [(d.name, d.target) for d in plan.deadlines] == [("改造完成时间", "2024年6月底前"), ("故障到场时间", "≤2小时")]
    assert [(c.name, c.value, c.unit) for c in plan.costs] == [("每餐补贴标准", 3.0, "元/餐")]
    assert [(r.name, r.operator, r.value) for r in plan.rates] == [("窗口办件满意率", "≥", 95.0)]


def test_reference_data_covers_every_kind_and_dimension():
    ref = load_reference()
    assert set(ref) == set(kind_names())
    for prof in ref.values():
        dims = {frame.dimension(e.level1, e.level2) for e in prof.indicators}
        assert set(frame.REQUIRED) <= dims, prof.name
        assert all(e.provenance and (e.target or e.basis == "quantity") for e in prof.indicators)
        for e in prof.indicators:  # a value the library gives needs no project facts: a rate, a zero or a cited rule
            if e.value and e.unit not in ("%", "分"):
                assert re.search(r"《[^》]+》|GB|〔\d{4}〕|令第", e.provenance), e.name
    measures = load_theme_measures()
    assert measures["om_mechanism"].indicators and measures["acceptance"].rectification
