"""`pbm lint` on real-shaped forms from provinces other than Shanghai: the issue-12 rules (goal
compared with name and overview, vague targets in every row, relative reductions in %) and the
messy operators real tables print (≧, ≦, 95%及以上, 100%达标, ≥**人)."""
from __future__ import annotations

from pbm_nlp.drafting.lint import lint

from .test_lint import ctx, ind  # noqa: F401  (the shared drafting-context fixture)

O, B, S = "产出指标", "效益指标", "满意度指标"

MEALS = [ind(O, "数量指标", "助餐服务人次", "≥21万人次"), ind(O, "质量指标", "补贴对象资格审核准确率", "=100%"),
         ind(O, "时效指标", "补贴资金按季度拨付及时率", "=100%"), ind(O, "成本指标", "每餐补贴标准", "=3元/餐"),
         ind(B, "社会效益指标", "受益老年人数", "≥2600人"), ind(S, "服务对象满意度指标", "就餐老年人满意度", "≥90%")]


def rules_of(report: dict) -> set[tuple[str, str | None]]:
    return {(f["rule"], f["indicator"]) for f in report["findings"] if f["severity"] in ("error", "warn")}


def test_goal_about_another_project_is_found_without_an_overview(ctx):  # noqa: F811  宁夏吴忠
    bad = {"project": "利通区2024年老年助餐补贴", "year": 2024, "indicators": MEALS,
           "annual_goal": "完成区政府办公楼2部电梯更新改造，更换曳引机和控制柜，年底前通过特种设备检验并投入使用。"}
    good = dict(bad, annual_goal="按季度足额拨付老年助餐补贴，全年助餐21万人次，就餐老年人满意度达到90%以上。")
    assert ("goal_mismatch", None) in rules_of(lint(bad, ctx)[0])
    assert rules_of(lint(good, ctx)[0]) == set()


def test_qualitative_benefit_that_could_be_a_number_is_vague(ctx):  # noqa: F811  甘肃定西
    d = {"project": "安定区公共机构节能改造", "year": 2023, "kind": "基本建设类",
         "overview": "更换LED照明灯具3200套，安装空气源热泵机组6台，改造总投资386万元。",
         "indicators": [ind(O, "数量指标", "更换LED照明灯具数量", "≥3200套"), ind(O, "质量指标", "工程验收合格率", "=100%"),
                        ind(O, "时效指标", "改造完成时间", "2023年10月底前"), ind(O, "成本指标", "项目总投资", "≤386万元"),
                        ind(B, "生态效益指标", "节约能源消耗", "显著"), ind(B, "生态效益指标", "单位建筑面积能耗同比下降率", "≥8%"),
                        ind(B, "可持续影响指标", "节能设施运行维护制度健全性", "健全"),
                        ind(S, "服务对象满意度指标", "干部职工满意度", "≥90%")]}
    assert rules_of(lint(d, ctx)[0]) == {("vague_target", "节约能源消耗")}


def test_relative_reduction_in_percent_and_real_units_are_valid(ctx):  # noqa: F811  四川绵阳, 广西南宁
    d = {"project": "游仙区政务服务帮办代办服务", "year": 2024, "kind": "政府购买服务类",
         "overview": "向第三方服务机构购买帮办代办服务，配备帮办代办人员30名，全年服务2.4万件次，接入视频监控点位300路。",
         "indicators": [ind(O, "产出数量", "配备帮办代办人员数量", "≥30名"), ind(O, "产出数量", "帮办代办服务件次", "≥24000件次"),
                        ind(O, "产出数量", "接入视频监控点位数", "≥300路"), ind(O, "产出质量", "帮办代办事项办结率", "≥98%"),
                        ind(O, "产出时效", "服务需求响应时间", "≤30分钟"), ind(O, "产出成本", "人均购买服务费用", "≤5.6万元/人"),
                        ind(B, "社会效益", "群众平均等候时间缩短", "≥20%"), ind(B, "社会效益", "群众办事跑动次数减少率", "≥30%"),
                        ind(S, "满意度", "服务对象满意度", "≥95%")]}
    assert rules_of(lint(d, ctx)[0]) == set()


def test_handled_negatives_are_positive_and_real_operators_parse(ctx):  # noqa: F811  黑龙江, 宁夏同心
    d = {"project": "同心县2024年设施农业技术培训项目", "year": 2024, "kind": "培训类",
         "overview": "对县内约300名设施蔬菜种植户开展种植技术培训，标准1000元/人，培训期3天，违法违规办班零容忍。",
         "indicators": [ind(O, "数量指标", "设施温棚种植人员培训人数", "≧300人"), ind(O, "质量指标", "参训人员结业率", "95%及以上"),
                        ind(O, "质量指标", "违规办班问题查办率", "100%达标"), ind(O, "时效指标", "完成时限", "2024年10月底前"),
                        ind(O, "成本指标", "人均培训标准", "≦1000元/人"), ind(B, "社会效益指标", "参训学员技能考核合格率", ">=90%"),
                        ind(S, "服务对象满意度指标", "参训学员满意度", "≥95%")]}
    assert rules_of(lint(d, ctx)[0]) == set()


def test_placeholders_and_stale_deadlines_in_real_forms(ctx):  # noqa: F811  安徽濉溪, 陕西西安
    d = {"project": "2024年临时救助", "year": 2024, "kind": "补助补贴类",
         "overview": "濉溪县民政局安排30万元，为建档立卡困难群众解决临时性生活困难。",
         "indicators": [ind(O, "数量指标", "临时救助人次", "≥**人次"), ind(O, "质量指标", "救助对象认定准确率", "=100%"),
                        ind(O, "时效指标", "救助金发放完成时间", "2022年底前"), ind(O, "成本指标", "户均救助标准", "≤5300元/户"),
                        ind(B, "社会效益指标", "受益困难群众人数", "≥80人"), ind(S, "服务对象满意度指标", "救助对象满意度", "≥90%")]}
    found = rules_of(lint(d, ctx)[0])
    assert ("vague_target", "临时救助人次") in found and ("stale_year", "救助金发放完成时间") in found
    assert not any(r == "unit_mismatch" for r, _ in found)  # a date is a deadline, not an amount


def test_parsed_declarations_are_linted_like_their_records(ctx):  # noqa: F811  one declaration record
    from pbm_nlp.ingest.registry import parse_text
    from pbm_nlp.services.drafting import declaration_dicts

    from .conftest import SEED_003, seed_text

    doc = parse_text(seed_text(SEED_003), SEED_003.name)
    as_parsed = lint(doc.declarations[:4], ctx)
    as_records = lint(declaration_dicts(doc)[:4], ctx)
    assert [r["findings"] for r in as_parsed] == [r["findings"] for r in as_records]
    assert any(r["findings"] for r in as_parsed)
