"""`pbm suggest`: complete, project-specific tables for seed-like and unlike projects, with risks."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from pbm_nlp.drafting import frame
from pbm_nlp.drafting.lint import lint
from pbm_nlp.drafting.suggest import suggest
from pbm_nlp.errors import InputError

from .test_lint import ctx  # noqa: F401  (the shared drafting-context fixture)

BASES = {"计划标准", "历史标准", "行业标准", "预算支出标准", "待填"}
PLACEHOLDER = re.compile(r"[NnXx]|待定|…|\?|？")

RIVER = {"project": "河道保洁养护", "year": 2024, "budget": 3_200_000,
         "overview": "负责全区12条河道、总长45.6公里的日常保洁和养护，每周巡查2次，接到报修后2小时内到场处理，河面保洁合格率不低于95%。"}
CANTEEN = {"project": "长者食堂补贴", "year": 2024, "budget": 1_500_000,
           "overview": "为辖区60周岁以上老年人提供助餐服务，全年补贴长者食堂8家，每日供餐约600份，每餐补贴3元，服务老年人1200名。"}
MEDICAL = {"project": "医疗设备购置", "year": 2024, "budget": 9_800_000,
           "overview": "为区中心医院采购CT机2台、彩色多普勒超声诊断仪3台，设备到货验收合格后投入使用，年内完成安装调试。"}
WINDOWS = {"project": "政务服务窗口升级改造", "overview": "对全区政务服务中心窗口进行升级改造，覆盖32个服务窗口。"}
SEED_LIKE = {"project": "上海市人大代表履职平台升级建设", "year": 2024,
             "overview": "升级市人大代表履职服务平台，新增代表建议办理、履职档案等功能模块，实现与常委会办公系统的数据对接。"}


@pytest.fixture(scope="module")
def results(ctx):  # noqa: F811
    return {r["project"]: suggest(r, ctx) for r in (RIVER, CANTEEN, MEDICAL, WINDOWS, SEED_LIKE)}


def rows(result: dict, level2: str | None = None) -> list[dict]:
    return [r for r in result["indicators"] if level2 is None or r["level2"] == level2]


def target_of(result: dict, needle: str) -> dict:
    return next(r for r in result["indicators"] if needle in r["name"])


@pytest.mark.parametrize("project,kind", [("河道保洁养护", "运维养护"), ("长者食堂补贴", "补助补贴"), ("医疗设备购置", "设备购置"),
                                          ("上海市人大代表履职平台升级建设", "信息化建设")])
def test_kind_inferred_with_confidence(results, project, kind):
    r = results[project]
    assert r["kind"] == kind and r["kind_source"] == "inferred" and 0.5 < r["kind_confidence"] <= 1


def test_tables_are_complete_filled_and_explained(results):
    for r in results.values():
        assert 8 <= len(r["indicators"]) <= 20
        dims = {frame.dimension(i["level1"], i["level2"]) for i in r["indicators"]}
        assert set(frame.REQUIRED) <= dims, r["project"]
        for i in r["indicators"]:
            assert i["basis"] in BASES and i["reason"] and i["sources"]
            if i["basis"] == "待填":  # a project quantity nobody stated: left to the drafter, with what to fill in
                assert i["target"].startswith("待填：按实施方案填写"), i
            else:
                assert i["target"] and not PLACEHOLDER.search(i["target"]), i
        todo = Counter(i["level2"] for i in r["indicators"] if i["basis"] == "待填")
        assert all(n == 1 for n in todo.values()), todo


def test_numbers_come_from_the_overview(results):
    river = results["河道保洁养护"]
    assert target_of(river, "河道长度")["target"] == "≥45.6公里" and target_of(river, "河道长度")["basis"] == "计划标准"
    assert target_of(river, "到场时间")["target"] == "≤2小时"
    assert target_of(river, "保洁合格率")["target"] == "≥95%"
    canteen = results["长者食堂补贴"]
    assert {"≥8家", "≥1200名", "≥600份"} <= {i["target"] for i in rows(canteen, frame.QUANTITY)}
    assert target_of(canteen, "每餐补贴标准")["target"] == "≤3元/餐"
    medical = results["医疗设备购置"]
    assert {"≥2台", "≥3台"} <= {i["target"] for i in rows(medical, frame.QUANTITY)}
    # The unit price comes from the budget and the planned 5 devices (预算支出标准).
    unit_price = target_of(medical, "平均")
    assert unit_price["basis"] == "预算支出标准" and unit_price["target"] == "≤196万元/台"
    assert "980万元 ÷ (2+3)台 ≈ 196万元/台" in unit_price["reason"]  # the arithmetic is shown
    window = target_of(results["政务服务窗口升级改造"], "服务窗口")
    assert window["target"] == "≥32个" and window["level2"] == frame.QUANTITY


def test_names_are_specific_to_the_project(results):
    river = [i["name"] for i in results["河道保洁养护"]["indicators"] if i["level2"] != frame.QUANTITY]
    assert sum("河" in n for n in river) >= 3, river
    assert any("长者食堂" in i["name"] for i in results["长者食堂补贴"]["indicators"])
    assert any("CT机" in i["name"] for i in results["医疗设备购置"]["indicators"])
    for r in results.values():
        assert not any(re.fullmatch(r"(?:项目)?工作完成率", i["name"]) for i in r["indicators"])


def test_economic_and_ecological_rows_only_where_they_fit(results):
    assert rows(results["河道保洁养护"], frame.ECOLOGICAL)  # water quality fits river upkeep
    for p in ("医疗设备购置", "长者食堂补贴", "上海市人大代表履职平台升级建设"):
        assert not rows(results[p], frame.ECOLOGICAL) and not rows(results[p], frame.ECONOMIC), p


def test_seed_like_project_draws_on_history(results):
    r = results["上海市人大代表履职平台升级建设"]
    hist = [i for i in r["indicators"] if i["basis"] == "历史标准"]
    assert hist and any("002_1d91f24c0675cfc0.txt" in s or "003_c395438b008f884a.txt" in s
                        for i in hist for s in i["sources"])


def test_suggested_tables_pass_the_checker(results, ctx):  # noqa: F811
    for req in (RIVER, CANTEEN, MEDICAL, SEED_LIKE):
        r = results[req["project"]]
        decl = dict(req, kind=r["kind"], indicators=[{k: i[k] for k in ("level1", "level2", "name", "target")}
                                                     for i in r["indicators"]])
        todo = {i["name"] for i in r["indicators"] if i["basis"] == "待填"}
        findings = lint(decl, ctx)[0]["findings"]
        # only the rows left to the drafter are reported: "fill in the number"
        assert all(f["rule"] == "vague_target" and f["indicator"] in todo for f in findings), findings


def test_risks_come_with_probability_evidence_and_preemption(results):
    risks = results["上海市人大代表履职平台升级建设"]["risks"]
    assert risks and all(0 < k["probability"] <= 1 for k in risks)
    assert [k["probability"] for k in risks] == sorted((k["probability"] for k in risks), reverse=True)
    by_theme = {k["theme"]: k for k in risks}
    assert {"om_mechanism", "acceptance"} & set(by_theme)
    for k in risks:
        assert k["evidence"] and all(e["problem"] and e["source"] for e in k["evidence"])
        assert k["preempt_indicators"] and k["preempt_measures"]
    if "om_mechanism" in by_theme:
        assert any(re.search(r"响应|修复", i["name"]) for i in by_theme["om_mechanism"]["preempt_indicators"])
    if "acceptance" in by_theme:
        assert any("验收" in i["name"] for i in by_theme["acceptance"]["preempt_indicators"])


def test_given_kind_wins_and_bad_input_is_explained(ctx):  # noqa: F811
    r = suggest({"project": "河道保洁养护", "overview": RIVER["overview"], "kind": "政府购买服务类"}, ctx, with_risks=False)
    assert r["kind"] == "政府购买服务" and r["kind_source"] == "form" and r["risks"] == []
    with pytest.raises(InputError, match="project"):
        suggest({"overview": "x"}, ctx)
    with pytest.raises(InputError, match="budget"):
        suggest({"project": "x", "budget": "一百万"}, ctx)


def test_a_new_request_embeds_only_its_own_few_texts(ctx, monkeypatch):  # noqa: F811
    """What keeps suggest under a second (measured in benchmarks/suggest_lint.py, not here): after
    warm-up a request embeds only its own few new texts, in at most two encoder calls."""
    suggest(CANTEEN, ctx)
    batches: list[int] = []
    embed = ctx.encoder._embed_each

    def counting(texts, progress=None):
        batches.append(len(texts))
        return embed(texts, progress)

    monkeypatch.setattr(ctx.encoder, "_embed_each", counting)
    for district in ("徐汇区", "静安区"):  # new texts each time: nothing answered from the cache
        batches.clear()
        suggest(dict(CANTEEN, project=f"{district}长者食堂助餐补贴", overview=CANTEEN["overview"] + district), ctx)
        assert len(batches) <= 2 and sum(batches) <= 16, batches


@pytest.mark.slow  # the CLI loads m3e-small in its own process
def test_cli_reads_stdin_and_writes_exports(seeded_db, tmp_path):
    pbm = str(Path(sys.executable).with_name("pbm"))
    out = subprocess.run([pbm, "suggest", "-", "--db", str(seeded_db), "--docx", str(tmp_path / "s.docx"),
                          "--no-risks"], input=json.dumps(WINDOWS, ensure_ascii=False),
                         check=False, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert any(i["target"] == "≥32个" for i in json.loads(out.stdout)["indicators"])
    assert (tmp_path / "s.docx").exists()
    bad = subprocess.run([pbm, "suggest", "-", "--db", str(seeded_db)], input="不是 JSON",
                         check=False, capture_output=True, text=True, timeout=300)
    assert bad.returncode == 2 and "JSON" in bad.stderr


def test_quantity_names_say_what_is_counted():
    from pbm_nlp.drafting.candidates import quantity_name
    from pbm_nlp.drafting.plan import read_plan

    names = {quantity_name(q): q.number for q in read_plan(
        "为区属3家医院采购CT机2台。对全区32条河道开展日常保洁养护。").quantities}
    assert names == {"受益医院数量": 3, "采购CT机数量": 2, "保洁养护河道数量": 32}
