"""Real-register statements: context masked, the problem clause kept (sentences shaped like real
audit findings and evaluation reports of several provinces, written for these tests)."""
from __future__ import annotations

import pytest

from pbm_nlp.text.realtext import mask_context, problem_clause


def real(text: str) -> str:
    return mask_context(problem_clause(text))


@pytest.mark.parametrize(("text", "expected"), [
    ("审计发现，贵州省遵义市湄潭县2022年有356.8万元产业扶持资金未按规定使用。",
     "某省某市某县某年有若干万元产业扶持资金未按规定使用。"),
    ("经核查，吉林省长春市朝阳区教育局未建立项目管理制度。", "某省某市某区教育局未建立项目管理制度。"),
    ("甘肃省审计厅专项审计调查发现，定西市安定区2021—2023年度农村公路养护资金结余1,204.5万元。",
     "某市某区某—某年度农村公路养护资金结余若干万元。"),
    ("跟踪审计发现，至2019年6月底湖北省十堰市郧西县仍有12.6%的易地搬迁安置房空置。",
     "至某年某月底某省某市某县仍有若干%的易地搬迁安置房空置。"),
    ("督查发现，孙家镇王庄村“美丽庭院示范工程”5月9日完工后一直未组织验收。",
     "某镇某村某工程某月某日完工后一直未组织验收。"),
    ("内蒙古自治区赤峰市审计局在预算执行审计中发现，部分单位政府采购程序不规范。", "部分单位政府采购程序不规范。"),
])
def test_real_statements_of_several_provinces_lose_their_context(text, expected):
    assert real(text) == expected


@pytest.mark.parametrize("text", [
    "社区卫生服务中心未按规定开展满意度调查。",
    "部分农产品市场建设项目进度滞后。",
    "县级财政配套资金不到位，乡村振兴项目推进缓慢。",
    "在未取得县发改委批复时就开工建设。",
    "部分老旧住宅小区改造项目未办理竣工验收。",
    "项目监控盲区较多，部分路段无人巡查。",
])
def test_common_words_that_end_like_places_are_left_alone(text):
    assert mask_context(text) == text


@pytest.mark.parametrize(("text", "expected"), [
    # a positive clause before the contrast word is context
    ("评价认为，该项目保障了困难群众的基本生活，但资金拨付进度滞后，执行率偏低。", "资金拨付进度滞后，执行率偏低。"),
    ("资金已全部拨付到位。但项目至今未完成验收。", "项目至今未完成验收。"),
    ("项目建成后运行良好，然而后续运维经费没有着落。", "后续运维经费没有着落。"),
    # a clause before the contrast word that states a problem is kept
    ("中标人逾期交付设备，但主管部门未作处理。", "中标人逾期交付设备，但主管部门未作处理。"),
    # lead-ins of the audit and evaluation register
    ("抽查15个村的村级公益设施发现，有6个村的设施建成后无人管护。", "有6个村的设施建成后无人管护。"),
    ("经审计，该项目多计工程款8.2万元。", "该项目多计工程款8.2万元。"),
    ("审计调查还发现部分学校食堂管理制度不健全。", "部分学校食堂管理制度不健全。"),
    # "未发现" is not a lead-in
    ("项目单位自查未发现问题，但台账资料不完整。", "项目单位自查未发现问题，但台账资料不完整。"),
    # nothing but a lead-in and a positive clause: the whole text comes back
    ("审计认为，", "审计认为，"),
])
def test_problem_clause(text, expected):
    assert problem_clause(text) == expected


def test_causes_are_kept_unless_asked_to_drop():
    text = "项目进度滞后，主要原因是征地拆迁未完成。"
    assert problem_clause(text) == text
    assert problem_clause(text, causes="drop") == "项目进度滞后。"
    with pytest.raises(ValueError, match="causes"):
        problem_clause(text, causes="maybe")


def test_a_neutral_finding_stays_neutral():
    assert real("审计调查认为，四川省某县持续加大教育投入，教育资金管理使用基本规范。") == \
        "某省某县持续加大教育投入，教育资金管理使用基本规范。"


def test_statements_are_remembered_long_texts_are_not():
    """The tagger masks most statements twice (two views), so statements are memoised; a long
    document is masked every time rather than held in memory."""
    from pbm_nlp.text import realtext

    realtext.mask_context.cache_clear()
    short = "苍南县2021年有22.12亿元资金闲置。"
    assert realtext.mask_context(short) == realtext.mask_context(short)
    assert realtext._mask_remembered.cache_info().hits == 1
    long_text = short * 200
    assert "苍南县" not in realtext.mask_context(long_text)
    assert realtext._mask_remembered.cache_info().currsize == 1
