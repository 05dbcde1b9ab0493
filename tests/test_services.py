"""The service layer and the app's handlers without a browser (fast tier: hashing encoder, real
store, real training and inference)."""
from __future__ import annotations

import json

import pytest

from pbm_nlp import services
from pbm_nlp.errors import InputError, StaleEdit
from pbm_nlp.services.schema import Actor, IngestRequest, MineRequest, NewExample, TagRequest
from pbm_nlp.webui.handlers import draft, review, tagging

from .conftest import SEED_000, SEED_001, SEED_004


def test_tag_splits_a_numbered_paragraph_and_keeps_sources(fast_res):
    section = "1、项目终期验收资料不完整，未出具验收报告。2、项目后续运维管理机制不健全。"
    (rec,) = services.tagging.tag(fast_res, TagRequest([section], sources=["粘贴"]))
    assert len(rec.items) == 2 and rec.source == "粘贴"
    assert set(rec.themes) == {t for i in rec.items for t in i.themes}
    assert rec.to_dict()["items"][0]["text"].startswith("项目终期验收")
    with pytest.raises(InputError, match="empty"):
        services.tagging.tag(fast_res, TagRequest([]))


def test_uploads_report_each_bad_file_and_tag_the_rest(fast_res, tmp_path):
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 not a docx")
    pairs, errors = services.tagging.problems_in_files([SEED_000, bad, SEED_001])
    assert len(pairs) == 10 and {e.file for e in errors} == {"broken.docx", SEED_001.name}
    assert "绩效目标申报表" in next(e.zh for e in errors if e.file == SEED_001.name)  # named in Chinese
    html_out, rows, raw = tagging.tag_problems(fast_res, None, [str(bad), str(SEED_000)], rectify=False)
    assert len(rows) == 10 and "broken.docx" in html_out and len(raw) == 10


def test_tag_handler_escapes_document_text(fast_res):
    html_out, rows, _ = tagging.tag_problems(fast_res, "<img src=x onerror=alert(1)>项目验收资料缺失。", None,
                                             rectify=False)
    assert "<img" not in html_out and "&lt;img" in html_out and len(rows) == 1


def test_evaluation_records_round_trip_through_export(fast_res, tmp_res, tmp_path):
    rows = services.ingest.export_records(fast_res, "evaluations")
    src = tmp_path / "evaluations.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    report = services.ingest.ingest(tmp_res, IngestRequest([src]))
    assert not report.errors and report.records["evaluations"] == len(rows)
    again = services.ingest.export_records(tmp_res, "evaluations")
    keep = ("project", "year", "unit", "score", "grade", "problems", "suggestions", "doc_type")
    assert [{k: r[k] for k in keep} for r in again] == [{k: r[k] for k in keep} for r in rows]


def test_evaluation_records_keep_region_kind_and_finder(tmp_res, tmp_path):
    src = tmp_path / "audit.jsonl"
    src.write_text(json.dumps({"project": "乡村道路建设", "year": 2023, "unit": "某县交通运输局", "region": "云南省某县",
                               "kind": "基本建设", "doc_type": "audit", "finder": "某县审计局",
                               "problems": ["工程未经竣工验收即投入使用。"]}, ensure_ascii=False), encoding="utf-8")
    services.ingest.ingest(tmp_res, IngestRequest([src]))
    with tmp_res.store() as store:
        (p,) = store.problems()
        assert (p["region"], p["kind"], p["doc_type"], p["finder"]) == ("云南省某县", "基本建设", "audit", "某县审计局")
        assert store.facets()["regions"] == ["云南省某县"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"project": "x", "problems": ["a"], "year": 10000000000}', encoding="utf-8")
    report = services.ingest.ingest(tmp_res, IngestRequest([bad]))
    assert "plausible year" in report.errors[0].en


def test_suggest_and_lint_handlers(fast_res):
    head, rows, risks, result = draft.suggest_table(fast_res, "医疗设备购置", "", "为区中心医院采购CT机2台。", "", 9_800_000, 2025)
    assert "项目类别" in head and 8 <= len(rows) <= 20 and any("2台" in r[3] for r in rows)
    assert risks.startswith("<h4>") == bool(result["risks"])  # the branch follows the forecast
    line, findings = draft.lint_table(fast_res, "医疗设备购置", "", "", "", None, 2025,
                                      rows + [["产出指标", "质量指标", "设备故障率", "≥90%", "", ""]])
    assert ["指标方向错误", "设备故障率"] in [[f[1], f[2]] for f in findings] and "条检查意见" in line
    with pytest.raises(InputError, match="项目名称"):
        draft.suggest_table(fast_res, " ", None, "", "", None, None)


def test_risks_html_shows_the_forecast_or_says_there_is_none():
    assert draft.risks_html([]) == "<p>未发现同类项目的突出问题。</p>"
    out = draft.risks_html([{"theme": "acceptance", "name": "验收不规范", "probability": 0.42,
                             "evidence": [{"project": "<b>某平台</b>", "problem": "未组织验收", "similarity": 0.8}],
                             "preempt_indicators": [{"name": "验收合格率", "target": "=100%"}],
                             "preempt_measures": ["组织第三方验收"]}])
    assert "验收不规范" in out and "42%" in out and "&lt;b&gt;某平台" in out and "组织第三方验收" in out


def test_review_handlers_add_relabel_and_report_duplicates(fast_res):
    trainer = Actor.local("审阅员乙")
    msg = review.add_example(fast_res, trainer, "项目资金未实行专账核算，与日常经费混用。", ["finance_compliance"])
    assert msg.startswith("已添加样本")
    again = review.add_example(fast_res, trainer, "项目资金未实行专账核算，与日常经费混用。", ["staffing"])
    assert "已是样本" in again and "未改动" in again
    aid = int(msg.split()[1].rstrip("。"))
    assert services.review.annotation(fast_res, aid)["themes"] == ["finance_compliance"]
    with pytest.raises(services.access.PermissionDenied):
        services.review.add_example(fast_res, NewExample("x", ["staffing"], Actor("ann", "drafter")))
    text, themes = review.annotation_themes(fast_res, aid)
    version = review.annotation_version(fast_res, aid)
    assert "专账" in text and themes == ["finance_compliance"]
    review.save_labels(fast_res, trainer, aid, ["finance_compliance", "staffing"], version)
    with pytest.raises(StaleEdit, match="审阅员乙"):  # a second save from the same, now stale, view
        review.save_labels(fast_res, trainer, aid, ["staffing"], version)
    assert services.review.annotation(fast_res, aid)["themes"] == ["finance_compliance", "staffing"]


def test_mining_service_filters_and_needs_two_statements(fast_res):
    years, _units, _kinds = services.mining.facets(fast_res)
    assert "2018" in years
    with pytest.raises(InputError, match="筛选后只剩"):
        services.mining.mine(fast_res, MineRequest(years=["1999"]))
    result = services.mining.mine(fast_res, MineRequest(use_themes=True))
    assert result.aggregates["statements"] == 12 and result.clusters


def test_declarations_in_a_report_are_refused_with_its_kind_named(fast_res):
    with pytest.raises(InputError, match="holds no declaration") as info:
        services.drafting.declarations_in_file(SEED_004)
    assert "绩效评价报告" in info.value.zh
