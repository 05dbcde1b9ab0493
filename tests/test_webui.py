"""The app's handlers as a drafter, an evaluator and a trainer meet them, without a browser (fast
tier: hashing encoder, real store, real training and inference)."""
from __future__ import annotations

import pytest

from pbm_nlp import services
from pbm_nlp.errors import InputError
from pbm_nlp.services.schema import Actor, LabelEdit, TrainResult
from pbm_nlp.webui.handlers import draft, history, retrain, review, tagging
from pbm_nlp.webui.handlers.common import highlight
from pbm_nlp.webui.handlers.names import RULE_NAMES, rule_name
from pbm_nlp.webui.locale import localise

from .conftest import SEED_000, SEED_001, SEED_003, small_corpus

TRAINER = Actor("审阅员甲", "trainer")


# ---- 起草助手 --------------------------------------------------------------------------------------

def test_a_file_with_many_forms_offers_each_of_them():
    choices, forms, note = draft.forms_in_upload(str(SEED_003))
    assert len(forms) == len(choices) == 14 and "14" in note
    assert choices[0] == ("1. 疫情防控专项经费（2023）", 0)
    project, _kind, _overview, _goal, _budget, year, rows = draft.form_fields(forms[5])
    assert project == forms[5]["project"] != forms[0]["project"] and year == 2023
    assert all(r[4] == "原申报表" for r in rows)  # a real form states no basis
    assert draft.forms_in_upload(str(SEED_001))[2].startswith(SEED_001.name)  # 4 forms: a note too


def test_the_export_uploads_back_into_the_form(tmp_path):
    table = [["产出指标", "数量指标", "补贴长者食堂数量", "≥45家", "计划标准：概况“45家”", "概况写明的数量"],
             ["产出指标", "质量指标", "补贴资金发放准确率", "=100%", "行业标准", ""]]
    for fmt in ("xlsx", "docx"):
        path = draft.export_draft("长者食堂补贴项目", "补助补贴", table, [], fmt, 2025, 3_200_000,
                                  "为全区45家长者食堂提供运营补贴。", "长者助餐服务覆盖全区。")
        _choices, (form,), note = draft.forms_in_upload(path)
        assert note == "" and draft.form_fields(form) == (
            "长者食堂补贴项目", "补助补贴", "为全区45家长者食堂提供运营补贴。", "长者助餐服务覆盖全区。", 3_200_000.0, 2025,
            table)
    with pytest.raises(InputError, match="指标表为空"):
        draft.export_draft("x", "", [], [], "xlsx")


def test_batch_check_reports_each_file_and_names_rules_in_chinese(fast_res, tmp_path):
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 not a docx")
    head, rows = draft.lint_files(fast_res, [str(SEED_001), str(bad), str(SEED_000)])
    assert f"✓ {SEED_001.name}：4 份申报表" in head and "✗ broken.docx" in head and f"✗ {SEED_000.name}" in head
    assert "共 4 份申报表" in head
    assert {r[0] for r in rows} == {SEED_001.name}
    assert "跨项目套用指标" in {r[3] for r in rows} and not set(RULE_NAMES) & {r[3] for r in rows}


def test_findings_line_says_when_there_is_nothing_to_fix():
    assert draft.findings_line([], 0) == "未发现问题。"
    assert draft.findings_line([["错误"], ["警告"], ["警告"]], 0) == "3 条检查意见（错误 1 条，警告 2 条）。"
    assert rule_name("stale_year") == "年份疑似沿用旧表" and rule_name("new_rule") == "new_rule"


# ---- 问题标注 --------------------------------------------------------------------------------------

def test_each_uploaded_file_gets_its_line(fast_res, tmp_path):
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 not a docx")
    html_out, rows, _ = tagging.tag_problems(fast_res, None, [str(SEED_000), str(bad), str(SEED_001)], rectify=False)
    assert len(rows) == 10
    assert f"✓ {SEED_000.name}：10 条问题" in html_out and "✗ broken.docx" in html_out
    assert f"✗ {SEED_001.name}" in html_out and "绩效目标申报表" in html_out


def test_pasted_paragraph_numbered_on_one_line_is_tagged_item_by_item(fast_res):
    text = "（一）项目终期验收资料不完整。（二）系统上线后无人负责日常巡检。（三）预算执行率仅为62%。"
    _html, rows, _ = tagging.tag_problems(fast_res, text, None, rectify=False)
    assert [r[2] for r in rows] == ["项目终期验收资料不完整", "系统上线后无人负责日常巡检", "预算执行率仅为62%"]


def test_highlights_never_cut_a_word():
    out = highlight("项目验收资料不完整", ["项目验"])
    assert out.startswith("<mark>项目验收</mark>")
    assert highlight("<b>验收</b>", ["验收"]) == "&lt;b&gt;<mark>验收</mark>&lt;/b&gt;"


# ---- 样本审阅 --------------------------------------------------------------------------------------

def test_a_label_edit_is_undone_and_the_example_returns_to_the_queue(fast_res):
    aid = review.review_rows(fast_res, TRAINER)[0][0]
    before = services.review.annotation(fast_res, aid)["themes"]
    review.save_labels(fast_res, TRAINER, aid, ["staffing"])
    assert aid not in [r[0] for r in review.review_rows(fast_res, TRAINER, limit=5000)]
    recent = history.recent_rows(fast_res, TRAINER)
    assert recent[0][1] == aid and recent[0][2] == "审阅员甲" and recent[0][5] == "人员配置不足"
    msg, restored = history.undo(fast_res, TRAINER, aid)
    assert restored == before and "已撤销" in msg
    assert services.review.annotation(fast_res, aid)["themes"] == before
    assert aid in [r[0] for r in review.review_rows(fast_res, TRAINER, limit=5000)]
    assert history.recent_rows(fast_res, TRAINER)[0][3] == "撤销修改"
    with pytest.raises(InputError, match="没有可撤销"):
        history.undo(fast_res, TRAINER, aid)


def test_lookup_by_id_and_theme_choices_read_in_chinese(fast_res):
    aid = review.review_rows(fast_res, TRAINER)[0][0]
    text, themes = review.annotation_themes(fast_res, aid)
    assert text and isinstance(themes, list)
    assert ("验收不规范", "acceptance") in review.theme_choices()
    with pytest.raises(InputError, match="没有编号为 999999"):
        review.annotation_themes(fast_res, 999999)


@pytest.fixture
def two_models(tmp_res):
    """A model trained on a small corpus, then a candidate trained after every acceptance example
    lost its label (so it is worse on the dev set), published without activation."""
    from pbm_nlp import config
    from pbm_nlp.themes.corpus import read_jsonl
    from pbm_nlp.themes.training import train_tagger

    with tmp_res.store() as store:
        store.upsert_annotations(small_corpus())
        store.upsert_annotations(read_jsonl(config.DEV_DIR / "themes_dev.jsonl"), split="dev")
        first = train_tagger(store, tmp_res.registry, encoder=tmp_res.encoder)
        for r in store.annotations("train"):
            if "acceptance" in r["themes"]:
                services.review.relabel(tmp_res, LabelEdit(r["id"], [], TRAINER))
        second = train_tagger(store, tmp_res.registry, encoder=tmp_res.encoder, activate=False)
    return tmp_res, first, second


def test_a_worse_candidate_waits_for_the_trainer(two_models):
    res, first, second = two_models
    assert res.registry.active_version() == first["version"]  # published, not activated
    _table, msg, waiting = retrain.decide(res, TRAINER, TrainResult(second, first))
    assert waiting == second["version"] and "尚未启用" in msg
    assert res.registry.active_version() == first["version"]
    assert "已保留当前版本" in retrain.keep_current(waiting)
    msg, table = retrain.activate_candidate(res, TRAINER, waiting)
    assert res.registry.active_version() == second["version"] and table
    msg, _ = retrain.rollback(res, TRAINER)
    assert res.registry.active_version() == first["version"] and first["version"] in msg


def test_a_candidate_not_worse_is_activated_at_once(two_models):
    res, first, second = two_models
    _table, msg, waiting = retrain.decide(res, TRAINER, TrainResult(first, second))  # first is the better one
    assert waiting is None and "已启用" in msg and res.registry.active_version() == first["version"]


def test_rollback_skips_a_candidate_that_was_never_active(two_models):
    """active A, candidate B kept waiting, C activated: rolling back from C goes to A, not B."""
    from pbm_nlp.themes.training import train_tagger

    res, first, _second = two_models
    with res.store() as store:
        third = train_tagger(store, res.registry, encoder=res.encoder)
    assert res.registry.active_version() == third["version"]
    retrain.rollback(res, TRAINER)
    assert res.registry.active_version() == first["version"]


# ---- the page --------------------------------------------------------------------------------------

def test_pages_are_served_in_chinese():
    page = b'<!doctype html>\n<html\n\tlang="en"\n\tstyle="">\n\t<head>\n\t\t<meta charset="utf-8" />'
    out = localise(page)
    assert b'lang="zh-CN"' in out and out.index(b"Navigator.prototype") < out.index(b"<meta")
    assert localise(b"no head here") == b"no head here"
