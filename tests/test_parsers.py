"""Every seed parses to the records verified by hand (counts, scores, sample fields)."""
from __future__ import annotations

import pytest

from pbm_nlp.ingest import declaration_form, declaration_table, evaluation_report, evaluation_result
from pbm_nlp.ingest.evaluation_report import scoring_totals
from pbm_nlp.ingest.registry import detect_type, parse_file

from .conftest import SEED_000, SEED_001, SEED_002, SEED_003, SEED_004, seed_text

# Indicator rows per form, counted by hand in the seed files.
ROWS_001 = [10, 10, 10, 10]
ROWS_002 = [15, 15, 13, 19, 18]
ROWS_003 = [7, 8, 6, 10, 6, 12, 10, 11, 10, 6, 16, 8, 6, 8]


def test_detection_picks_the_right_family():
    assert detect_type(seed_text(SEED_000)).doc_type == "evaluation_result"
    assert detect_type(seed_text(SEED_001)).doc_type == "declaration_form"
    assert detect_type(seed_text(SEED_002)).doc_type == "declaration_form"
    assert detect_type(seed_text(SEED_003)).doc_type == "declaration_table"
    assert detect_type(seed_text(SEED_004)).doc_type == "evaluation_report"


def test_totals_over_the_five_seeds():
    docs = [parse_file(p) for p in (SEED_000, SEED_001, SEED_002, SEED_003, SEED_004)]
    evaluations = [e for d in docs for e in d.evaluations]
    declarations = [x for d in docs for x in d.declarations]
    assert len(evaluations) == 6
    assert sum(len(e.problems) for e in evaluations) == 12
    assert sum(len(e.suggestions) for e in evaluations) == 12
    assert len(declarations) == 23
    assert [e.score for e in evaluations] == [91.8, 88.2, 90.2, 91.0, 91.4, 87.12]


def test_evaluation_results_000():
    evs = evaluation_result.parse(seed_text(SEED_000))
    assert [e.project for e in evs] == [
        "代表工作", "人大会议", "上海人大代表服务微信平台建设费", "市人大常委会会务工作智能化平台建设经费",
        "《上海人大月刊》编辑发行费",
    ]
    first = evs[0]
    assert (first.amount, first.amount_unit, first.amount_yuan) == (1374.74, "万元", 13_747_400.0)
    assert first.grade == "优" and evs[1].grade == "良"
    assert first.year == 2018 and first.unit == "上海市人民代表大会常务委员会办公厅"
    assert first.problems[0].heading == "绩效指标不够明确清晰、量化完善"
    assert first.problems[0].body.startswith("项目在申报时未设立不够细化、量化、清晰、明确。")
    assert first.problems[1].body.endswith("对运行维护工作进行监督把控。")
    # "1、2018 年度…" is numbered 1, not the year.
    assert [p.number for p in evs[1].problems] == [1, 2]
    assert evs[1].problems[0].heading.startswith("2018年度上海市人大常委会办公厅“人大会议”项目申报时")
    assert evs[2].problems[1].heading == "项目后续运维管理机制不够健全"
    assert evs[3].problems[0].heading == "项目终期验收措施不够规范"
    # a heading the PDF wrapped over two lines is joined
    assert evs[3].suggestions[1].heading == "健全项目后续运维管理机制，规范项目实施过程"
    assert "开2次联系代表座谈会" in first.achievements
    assert first.rectification_status.startswith("已按照建议落实整改")


def test_declarations_2018_frame_001():
    decls = declaration_form.parse(seed_text(SEED_001))
    assert [len(d.indicators) for d in decls] == ROWS_001
    d = decls[0]
    assert d.project == "上海人大代表服务微信平台建设"
    assert (d.year, d.frame, d.start_date, d.end_date) == (2018, "2018", "2018-01-01", "2018-12-31")
    assert d.unit == "上海市人民代表大会常务委员会办公厅"
    assert d.project_type == ["其他一次性项目"] and d.fund_use == ["信息化建设类"]
    assert d.budget == 1_035_000
    assert d.overview.startswith("改造系统实现基于移动终端应用的代表履职服务")
    speed = next(i for i in d.indicators if i.name == "信息传递速度")
    assert (speed.level1, speed.target) == ("产出目标", "≥10000.00kb")
    assert (speed.parsed.operator, speed.parsed.value, speed.parsed.unit) == ("≥", 10000.0, "kb")
    assert [i.level1 for i in d.indicators].count("影响力目标") == 3
    assert decls[1].annual_goal.startswith("1、按期完成项目招投标工作；")


def test_declarations_2019_frame_002():
    decls = declaration_form.parse(seed_text(SEED_002))
    assert [len(d.indicators) for d in decls] == ROWS_002
    first = decls[0]
    # the first form lost its header: its name comes from 子项目名称
    assert first.project == "上海市人大智能预算审查平台"
    assert first.year == 2019 and first.budget == 2_124_000
    names = [i.name for i in first.indicators]
    assert "人大智能预算审查平台建设完成率" in names  # wrapped over three lines in the PDF
    rate = first.indicators[names.index("人大智能预算审查平台建设完成率")]
    assert (rate.level1, rate.level2, rate.target) == ("产出目标", "数量目标", "=100.00%")
    # repeated "项目设立的必要性" after a page break is read once; the overview is the first form's
    assert first.overview.startswith("根据全国人大常委会办公厅")
    glued = next(i for i in decls[3].indicators if i.name == "项目动态管理机制健全性")
    assert (glued.level2, glued.target) == ("可持续目标", "健全")
    assert decls[1].project == "上海市人大老干部综合信息管理系统建设经费"
    assert decls[4].indicators[0].target == "≥95%"
    assert decls[4].indicators[0].parsed.value == 95.0
    satisf = decls[2].indicators[-1]
    assert (satisf.level1, satisf.name, satisf.target) == ("满意度目标", "与会人员满意度", "≥90.00%")


def test_declarations_2023_table_003():
    decls = declaration_table.parse(seed_text(SEED_003))
    assert len(decls) == 14
    assert [len(d.indicators) for d in decls] == ROWS_003
    d = decls[0]
    assert (d.project, d.year, d.category, d.budget) == ("疫情防控专项经费", 2023, "其他运转类", 5_600_000)
    assert d.project_type == ["其他经常性项目"]
    assert d.annual_goal == "市人代会会期实施全闭环管理，防控疫情，保障市人代会顺利开展。"
    hui = next(x for x in decls if "慧" in x.project)
    assert hui.project == "预算联网“慧”监督智能化应用开发项目"
    assert hui.total_goal.startswith("按照中央改革部署") and hui.annual_goal.startswith("完成常委会会议厅系统改造")
    cost = next(i for i in hui.indicators if i.level2 == "成本指标")
    assert (cost.level1, cost.name, cost.target) == ("产出指标", "预算控制率", "≤100.00(%)")
    ops = next(x for x in decls if x.project == "信息化项目运维经费")
    fault = next(i for i in ops.indicators if i.name == "信息化平台故障发生率")
    assert (fault.parsed.operator, fault.parsed.value, fault.parsed.unit) == ("=", 100.0, "%")
    meeting = next(x for x in decls if x.project == "人大会议经费")
    assert "2020年" in meeting.annual_goal
    # rows whose cells drifted into other columns keep their levels
    legis = next(x for x in decls if x.project == "人大立法经费")
    shared = next(i for i in legis.indicators if i.name == "调研成果部门共享情况")
    assert (shared.level1, shared.level2, shared.target) == ("效益指标", "社会效益指标", "共享")


def test_evaluation_report_004():
    (ev,) = evaluation_report.parse(seed_text(SEED_004))
    assert ev.project == "2017年合作交流综合信息服务平台建设运维项目"
    assert (ev.score, ev.grade, ev.year) == (87.12, "良好", 2017)
    assert ev.unit == "上海市人民政府合作交流办公室"
    # stated twice in the report, kept once
    assert [p.heading for p in ev.problems] == ["项目实施方案和过程管理有待进一步完善", "项目人力资源配置有待进一步完善"]
    assert len(ev.suggestions) == 2 and ev.suggestions[1].heading.startswith("加强信息化人力资源配置")
    leaves = [r for r in ev.scoring if r.full is not None]
    assert len(leaves) == 26  # 5 under A, 8 under B, 13 under C
    b112 = next(r for r in ev.scoring if r.code == "B1.1.2")
    assert (b112.name, b112.level, b112.full, b112.score) == ("预算执行率", 4, 3.0, 2.94)
    totals = scoring_totals(ev.scoring)
    assert totals[""] == ev.stated_totals[""] == (100.0, 87.12)
    for code in "ABC":
        assert totals[code] == ev.stated_totals[code]


@pytest.mark.parametrize("path", [SEED_000, SEED_001, SEED_002, SEED_003, SEED_004])
def test_every_indicator_and_item_is_clean(path):
    """No PDF noise survives: no page numbers, placeholders or stray spaces in names and items."""
    doc = parse_file(path)
    for d in doc.declarations:
        assert d.project and d.year
        for i in d.indicators:
            assert i.name and " " not in i.name and "[pe_target" not in i.name
            assert i.level1
    for e in doc.evaluations:
        for item in e.problems + e.suggestions:
            assert item.heading and "  " not in item.text


def test_a_problems_field_numbered_on_one_line_is_several_problems():
    """Issue 16 item 10: "存在问题 1、…。2、…。" on one line is two problems, not one."""
    text = ("2021年度项目支出绩效评价结果信息表\n绩效评价结果信息表\n项目名称 社区养老服务\n评价分值 82分\n"
            "评价结论 良\n存在问题 （一）服务验收流于形式。仅凭自报人次付款。（二）监管不到位。全年未检查。\n"
            "整改建议 1、规范验收。2、加强监管。\n")
    (ev,) = evaluation_result.parse(text)
    assert [p.text for p in ev.problems] == ["服务验收流于形式。仅凭自报人次付款。", "监管不到位。全年未检查。"]
    assert [s.heading for s in ev.suggestions] == ["规范验收", "加强监管"]


def test_an_evaluation_record_with_an_inline_numbered_problem_is_split():
    from pbm_nlp.ingest import evaluation_records

    line = '{"project": "社区养老服务", "problems": ["1、服务验收流于形式。2、监管不到位。", "人员不足。"]}'
    (ev,) = evaluation_records.parse(line)
    assert [p.text for p in ev.problems] == ["服务验收流于形式", "监管不到位", "人员不足。"]
