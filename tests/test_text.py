"""Normalisation, reflow, item splitting and target parsing on seed text."""
from __future__ import annotations

import pytest

from pbm_nlp.text.normalize import clean_line, is_page_number, numbering, reflow, strip_quotes
from pbm_nlp.text.segment import split_items, split_problem_items
from pbm_nlp.text.targets import looks_like_target, parse_target, split_glued_target


def test_clean_line_removes_pdf_spaces_and_fullwidth():
    assert clean_line("召开 2 次联系代表座谈会，协助各委员会与 690 位") == "召开2次联系代表座谈会，协助各委员会与690位"
    assert clean_line("２０１８年　９１．８分") == "2018年91.8分"
    assert clean_line("上海代表履职 APP 内容") == "上海代表履职APP内容"
    assert clean_line("7*24 hours service") == "7*24 hours service"


@pytest.mark.parametrize("line", [" 2 ", "- 11 -", "第3页", "3/12", "14"])
def test_page_numbers(line):
    assert is_page_number(line)


@pytest.mark.parametrize("line", ["2018年度", "1、项目", "91.8分", "合计 100 87.12"])
def test_not_page_numbers(line):
    assert not is_page_number(line)


@pytest.mark.parametrize(
    "text, expected",
    [("1、绩效指标", ("arabic", 1)), ("（2）完成", ("paren", 2)), ("(3)完成", ("paren", 3)),
     ("③系统", ("circled", 3)), ("二、评价结论", ("han", 2)), ("（一）存在问题", ("hanparen", 1)),
     ("2、2018年度", ("arabic", 2)), ("1.2018/1/1-2018/1/31系统调研", ("arabic", 1)),
     ("19.369万元", None), ("2018年", None)],
)
def test_numbering_styles(text, expected):
    assert numbering(text) == expected


def test_reflow_joins_wrapped_lines_and_keeps_short_headings():
    lines = [
        "2、项目后续运维管理机制不够健全",
        "",
        "项目实施方应与市人大常委会办公厅虽建立起",
        "",
        "相应的管理机制，从项目资料审核、材料归档、设备",
        "",
        "购买、开发建设以及后续服务等方面，但缺少项目建",
        "",
        "成后，在系统的后续运维管理机制上的保障程度，如：",
        "系统的维修保养制度、系统定期检查制度。",
    ]
    paras = reflow(lines)
    assert paras[0] == "2、项目后续运维管理机制不够健全"
    assert paras[1].startswith("项目实施方应与市人大常委会办公厅虽建立起相应的管理机制")


def test_split_items_heading_and_body():
    text = "1、项目实施方案和过程管理有待进一步完善。经评价调研反馈，项目过程资料不够规范完整。\n2、项目人力资源配置有待进一步完善。仅由1人兼任。"
    items = split_items(text)
    assert [i.number for i in items] == [1, 2]
    assert items[0].heading == "项目实施方案和过程管理有待进一步完善"
    assert items[0].body == "经评价调研反馈，项目过程资料不够规范完整。"
    assert items[1].text == "项目人力资源配置有待进一步完善。仅由1人兼任。"


def test_split_items_keeps_sub_numbering_inside():
    items = split_items(["1、总体问题", "（1）细节一", "（2）细节二", "2、第二个问题"])
    assert len(items) == 2
    assert "细节二" in items[0].body


THREE = ("项目终期验收资料不完整", "系统上线后无人负责日常巡检", "预算执行率仅为62%")


@pytest.mark.parametrize("marks", [
    ("（一）", "（二）", "（三）"), ("(一)", "(二)", "(三)"), ("一、", "二、", "三、"), ("1.", "2.", "3."),
    ("1、", "2、", "3、"), ("（1）", "（2）", "（3）"), ("①", "②", "③"), ("一是", "二是", "三是"),
    ("其一，", "其二，", "其三，"), ("第一，", "第二，", "第三，"),
])
@pytest.mark.parametrize("joiner", ["。", "；", "。\n"])
def test_every_numbering_style_splits_on_one_line_or_many(marks, joiner):
    text = joiner.join(m + t for m, t in zip(marks, THREE)) + "。"
    assert split_problem_items(text) == list(THREE)


def test_numbering_of_another_style_stays_inside_its_item():
    text = "（一）绩效目标设置不足。一是指标不细化；二是目标不清。（二）运维管理有待加强。一是机制不健全；二是监督不足。"
    assert split_problem_items(text) == ["绩效目标设置不足。一是指标不细化；二是目标不清。",
                                         "运维管理有待加强。一是机制不健全；二是监督不足。"]


@pytest.mark.parametrize("text", [
    "审计发现1.29万套住房闲置，原因一是配套设施不完善，二是准入门槛过高。",  # clauses of one finding
    "依据《办法》第3、4条，项目结余2.5万元未及时上缴。",
    "项目终期验收资料不完整。",
])
def test_one_statement_stays_whole(text):
    assert split_problem_items(text) == [text]


def test_a_single_numbered_item_loses_its_number():
    assert split_problem_items("1、项目终期验收资料不完整。") == ["项目终期验收资料不完整"]


def test_lead_in_dropped_and_a_statement_before_the_list_kept():
    assert split_problem_items("存在以下问题：一是未制定计划；二是缺乏统计。") == ["未制定计划", "缺乏统计"]
    assert split_problem_items("运维机制不健全。评价组发现：一是未制定计划；二是缺乏统计。")[0] == "运维机制不健全。评价组发现："


def test_numbers_out_of_sequence_inside_a_line_do_not_split():
    assert split_problem_items("1、验收资料不完整。3、运维无人负责。") == ["验收资料不完整。3、运维无人负责。"]


@pytest.mark.parametrize(
    "raw, op, value, unit, qual",
    [("=100(%)", "=", 100.0, "%", False), ("≥10000.00kb", "≥", 10000.0, "kb", False),
     ("健全", None, None, None, True), ("≥1.00(篇)", "≥", 1.0, "篇", False), ("≤100.00(%)", "≤", 100.0, "%", False),
     ("=0.00", "=", 0.0, None, False), ("≥90.00%", "≥", 90.0, "%", False), ("≥32个", "≥", 32.0, "个", False),
     ("不低于往年水平", None, None, None, True), ("100%", "=", 100.0, "%", False)],
)
def test_parse_target(raw, op, value, unit, qual):
    t = parse_target(raw)
    assert (t.operator, t.value, t.unit, t.qualitative) == (op, value, unit, qual)


def test_target_detection_and_glued_cells():
    assert looks_like_target("=100.00%") and looks_like_target("健全") and looks_like_target("≥1000")
    assert not looks_like_target("率") and not looks_like_target("人大智能预算审")
    assert split_glued_target("项目动态管理机制健全性健全") == ("项目动态管理机制健全性", "健全")
    assert split_glued_target("财务制度执行有效性有效") == ("财务制度执行有效性", "有效")
    assert split_glued_target("平台长效运维机制健全性") is None


def test_strip_quotes():
    assert strip_quotes("“代表工作”") == "代表工作"
    assert strip_quotes("“《上海人大月刊》编辑发行费”") == "《上海人大月刊》编辑发行费"
    assert strip_quotes("“预算联网“慧”监督智能化应用开发项目") == "预算联网“慧”监督智能化应用开发项目"
