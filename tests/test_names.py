"""Project cores for any region and unit: provinces, cities, districts, counties, towns and the declaring
unit are stripped at word boundaries; a word is never cut (镇际联网路 keeps its 镇)."""
from __future__ import annotations

import pytest

from pbm_nlp.drafting.names import project_core, project_object, subject_of


@pytest.mark.parametrize("name,core", [
    ("杭州市西湖区民政局居家养老服务补贴", "居家养老服务补贴"),
    ("镇际联网路升级改造工程一期", "镇际联网路升级改造"),
    ("2023年云雾土家族乡加工园配套设施建设项目", "加工园配套设施建设"),
    ("天水市食品检验检测中心2021年食品安全监督抽验经费", "食品安全监督抽验"),
    ("甘谷县公共安全视频监控建设项目(雪亮工程)", "公共安全视频监控建设"),
    ("青神县发展和改革局工资性支出", "工资性支出"),
    ("海潮镇敬老院建设项目", "敬老院建设"),
    ("武平县2025年高素质农民培育项目(中央资金)", "高素质农民培育"),
    ("天津市蓟州区公共安全视频监控建设联网应用项目(雪亮工程)", "公共安全视频监控建设联网应用"),
    ("2018年度上海市人大常委会办公厅人大会议经费", "人大会议"),
    ("上海市人大老干部综合信息管理系统建设经费", "老干部综合信息管理系统建设"),
])
def test_region_unit_year_and_fund_words_are_stripped(name, core):
    assert project_core(name) == core


@pytest.mark.parametrize("name", ["老旧小区综合改造工程", "社区心理健康服务", "城区绿化养护", "新区道路建设",
                                  "巴林左旗养老服务中心北部分院维修改造", "市场监管执法"])
def test_look_alikes_and_objects_are_kept(name):
    core = project_core(name)
    assert core.startswith(name[:2]) or name.startswith("巴林左旗") and core.startswith("养老服务中心"), core


def test_the_object_is_whole_words():
    assert project_object("镇际联网路升级改造工程一期") == ("镇际联网路", "升级改造")
    assert subject_of("杭州市西湖区民政局居家养老服务补贴") == "居家养老"
    assert "际联网路" not in {subject_of("镇际联网路升级改造工程一期")} and subject_of("镇际联网路升级改造工程一期") == "镇际联网路"
