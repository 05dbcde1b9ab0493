"""`pbm rectify`: 整改建议 specific to the problem's object, grounded in past suggestions and reference measures."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pbm_nlp.drafting.rectify.objects import find_objects
from pbm_nlp.drafting.rectify.writer import Rectifier
from pbm_nlp.errors import InputError


@pytest.fixture(scope="module")
def writer(trained_res):
    """A rectifier over the seeds and labelled corpus, with the session's trained theme tagger."""
    return Rectifier(trained_res.drafting_context())


def test_objects_are_read_from_the_problem():
    o = find_objects("区政务外网运维服务供应商上海某某信息技术有限公司未按合同约定提交运维月报。")
    assert o.supplier == "上海某某信息技术有限公司"
    o = find_objects("2018年度上海市人大常委会办公厅“人大会议”项目缺乏对提供会议后勤保障工作的服务供应商的服务情况考核")
    assert o.unit == "上海市人大常委会办公厅" and o.project == "“人大会议”项目" and o.supplier == "会议后勤保障供应商"
    assert find_objects("区中心医院新购CT设备未组织验收即投入使用。").object == "CT设备"


def test_om_problem_names_the_platform_and_cites_past_suggestions(writer):
    out = writer.rectify({"problem": "项目后续运维管理机制不够健全，缺少系统的维修保养制度和定期检查制度。",
                          "project": "智慧社区综合服务平台二期建设"})
    assert "om_mechanism" in out["themes"]
    text = out["suggestion"]
    assert text.startswith("建议") and "智慧社区综合服务平台" in text and "运维" in text
    past = [s for s in out["sources"] if s["type"] == "past_suggestion"]  # seeds' 整改建议 and real recommendations
    assert past and all(s["source"] and s["text"] and "om_mechanism" in s["themes"] for s in past)
    assert any(s["type"] == "remedy" for s in out["sources"])  # the action answers the finding's own failure
    # Nothing of the past projects' own names leaks into the new advice.
    assert "微信" not in text and "会务" not in text


def test_supplier_problem_names_the_supplier(writer):
    out = writer.rectify({"problem": "区政务外网运维服务供应商上海某某信息技术有限公司未按合同约定提交运维月报，"
                                     "项目单位未对其服务质量进行考核和抽查。"})
    assert "supplier_oversight" in out["themes"]
    assert "上海某某信息技术有限公司" in out["suggestion"]


def test_a_contractor_named_by_its_role_and_no_borrowed_objects(writer):
    out = writer.rectify({"problem": "物业公司每月提交的设施巡查记录内容雷同，连续6个月几乎相同，项目单位照单签收。"})
    assert "物业公司" in out["suggestion"]
    assert not any(w in out["suggestion"] for w in ("APP", "平台", "慰问", "视察"))  # nothing from other projects


def test_numbered_problems_get_numbered_suggestions(writer):
    out = writer.rectify({"problem": "1、项目终期验收不规范，未组织第三方验收，验收资料不完整。\n"
                                     "2、预算执行率仅为62%，年末结余资金较大。", "project": "区中心医院医疗设备购置"})
    lines = out["suggestion"].splitlines()
    assert [ln[:2] for ln in lines] == ["1.", "2."]
    assert "医疗设备" in lines[0] and "验收" in lines[0]
    assert "acceptance" in out["items"][0]["themes"] and "budget_execution" in out["items"][1]["themes"]
    assert {s["item"] for s in out["sources"]} == {1, 2}


def test_missing_problem_is_explained(writer):
    with pytest.raises(InputError, match="problem"):
        writer.rectify({"project": "x"})


def test_cli_writes_one_json_per_request(trained_store):
    db, models, _ = trained_store
    pbm = str(Path(sys.executable).with_name("pbm"))
    out = subprocess.run([pbm, "rectify", "--db", str(db)], check=False, capture_output=True, text=True, timeout=300,
                         input='{"problem": "项目后续运维管理机制不够健全。", "project": "无线网络覆盖工程"}',
                         env=dict(os.environ, PBM_MODELS=str(models)))
    assert out.returncode == 0, out.stderr
    rec = json.loads(out.stdout)
    assert rec["themes"] and rec["suggestion"].startswith("建议") and rec["sources"]


# ---- issue 12: the responsible unit, advice that fits, no repeats (real findings of other provinces) ----

def real_findings() -> list[dict]:
    from pbm_nlp import config
    from pbm_nlp.text.jsonl import json_lines

    path = config.CORPORA_DIR / "drafting" / "real_findings.jsonl"
    return [r for r in json_lines(path.read_text(encoding="utf-8"), path.name) if r["themes"]]


@pytest.mark.parametrize("problem,addressee", [
    ("县审计局在县环卫队发现，该队2023年报销的车辆维修费中有6.2万元没有维修清单和验收单。", "县环卫队"),
    ("市审计局审计发现，两个区教育局分别建设了功能相同的义务教育招生报名系统，重复建设，涉及资金180万元。", "市教育局"),
    ("台前县审计局在政策落实跟踪审计中发现，该县部分保障性住房建成验收后既未交付使用也未分配，长期处于空置状态。",
     "台前县住房和城乡建设部门"),
])
def test_advice_is_addressed_to_the_responsible_unit_never_the_finder(writer, problem, addressee):
    out = writer.rectify({"problem": problem})
    assert out["suggestion"].startswith(f"建议{addressee}"), out["suggestion"]
    assert "审计局" not in out["suggestion"]


def test_a_given_unit_is_cleaned_and_used(writer):
    out = writer.rectify({"problem": "审计发现学校固定资产管理不规范，个别学校工程已投入使用却没有登记入固定资产账。",
                          "unit": "眉县教育体育局及抽查的8所中小学（被审计单位）"})
    assert out["suggestion"].startswith("建议眉县教育体育局") and "（" not in out["items"][0]["unit"]


def test_advice_fits_the_problem_and_names_its_object_and_cause(writer):
    out = writer.rectify({"problem": "预算执行率仅为62%，年末结余资金较大。", "project": "区中心医院医疗设备购置"})
    assert not any(w in out["suggestion"] for w in ("突击", "年底", "运维", "合同"))  # nothing the problem never says
    out = writer.rectify({"problem": "濮阳县2020年新建的高标准农田中747眼机井电力设施没有并入高压电网，水泵等水利设施闲置，"
                                     "原因是县农业农村局与电力部门沟通协调滞后。", "unit": "濮阳县农业农村局"})
    text = out["suggestion"]
    assert text.startswith("建议濮阳县农业农村局") and "水利设施" in text  # the object
    assert "沟通协调" in text  # the cause
    out = writer.rectify({"problem": "项目单位没有按合同约定的支付方式支付监理服务费，多付监理费7.19万元。", "unit": "云县环保分局"})
    assert "追回多付的监理费7.19万元" in out["suggestion"]


def test_no_repeated_clause_doubled_word_or_unmentioned_matter_over_themes_and_real_findings(writer):
    from pbm_nlp.drafting.rectify.check import doubled, foreign_matters, repeated_clauses

    rows = real_findings()
    by_theme: dict[str, list[dict]] = {}
    for r in rows:
        for t in r["themes"]:
            by_theme.setdefault(t, []).append(r)
    sample = {r["id"]: r for t in by_theme for r in by_theme[t][:3]} | {r["id"]: r for r in rows[::5]}
    assert len(by_theme) == 12 and len(sample) >= 60
    foreign = 0
    for r in sample.values():
        for req in ({"problem": r["text"], "unit": r["unit"], "project": r["project"]}, {"problem": r["text"]}):
            item = writer.rectify(req)["items"][0]
            assert not doubled(item["suggestion"]) and not repeated_clauses(item["suggestion"]), item["suggestion"]
            assert r["finder"] not in item["suggestion"] or "自评" in r["finder"]
            foreign += bool(foreign_matters(item["suggestion"], r["text"] + (req.get("project") or ""), item["unit"]))
    assert foreign <= 0.03 * 2 * len(sample)
