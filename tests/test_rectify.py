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
    past = [s for s in out["sources"] if s["type"] == "past_suggestion"]
    assert past and all(s["source"].endswith(".txt") and s["text"] and "om_mechanism" in s["themes"] for s in past)
    assert any(s["type"] == "reference_measure" and s["theme"] == "om_mechanism" for s in out["sources"])
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
