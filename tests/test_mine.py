"""Issue mining on the real seeds and labelled corpus: clustering, keywords, aggregates, copies,
the `pbm mine` command and its report."""
from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

from pbm_nlp.cli import main
from pbm_nlp.errors import InputError
from pbm_nlp.lexicon import load_lexicon
from pbm_nlp.mine.aggregates import aggregate
from pbm_nlp.mine.cluster import ThresholdClusterer, auto_min_cluster_size, average_linkage
from pbm_nlp.mine.copies import find_copies
from pbm_nlp.mine.features import domain_centre, statement_embeddings, statement_features
from pbm_nlp.mine.keywords import blocked, class_tfidf, keyword_tokens
from pbm_nlp.mine.labels import label_for
from pbm_nlp.mine.miner import MinerConfig, mine
from pbm_nlp.mine.records import Statement, from_store, parse_lines, project_kind
from pbm_nlp.store import Store
from pbm_nlp.themes.taxonomy import theme_names

#: The two 2018 evaluations in seed 000 that share the 运维机制 paragraph.
WECHAT = "上海人大代表服务微信平台建设费"
CONF = "市人大常委会会务工作智能化平台建设经费"


@pytest.fixture(scope="module")
def seed_statements(seeded_db) -> list[Statement]:
    with Store(seeded_db) as store:
        return from_store(store)


@pytest.fixture(scope="module")
def corpus_statements(trained_store) -> list[Statement]:
    with Store(trained_store[0]) as store:
        return from_store(store, corpus=True)


@pytest.fixture(scope="module")
def mined(corpus_statements, encoder, trained_res):
    return mine(corpus_statements, encoder=encoder, tagger=trained_res.tagger)


def text_features(texts: list[str], encoder) -> np.ndarray:
    """The miner's features of texts without themes."""
    return statement_features(statement_embeddings(texts, encoder), domain_centre(encoder))


def _om_indices(statements: list[Statement]) -> list[int]:
    return [i for i, s in enumerate(statements) if s.project in (WECHAT, CONF) and "运维管理机制" in s.text]


# ---- records --------------------------------------------------------------------------------

def test_store_statements_carry_their_context(seed_statements):
    assert len(seed_statements) == 12
    om = _om_indices(seed_statements)
    assert len(om) == 2
    assert {seed_statements[i].year for i in om} == {2018}
    assert seed_statements[om[0]].section_key != seed_statements[om[1]].section_key
    assert project_kind(Statement("x", project="人大会议")) == "会议"
    assert project_kind(Statement("x", project="代表工作")) == "未知"
    assert project_kind(Statement("x", kind="培训")) == "培训"


def test_json_lines_input_and_its_errors():
    rows = parse_lines('{"text": "项目验收不规范", "project": "甲", "year": "2019年度"}\n\n会计核算不规范\n')
    assert rows == [Statement("项目验收不规范", project="甲", year=2019), Statement("会计核算不规范")]
    with pytest.raises(InputError, match="line 2 is not valid JSON"):
        parse_lines('{"text": "a"}\n{"text": ')
    with pytest.raises(InputError, match="must be a year"):
        parse_lines('{"text": "a", "year": "去年"}')
    with pytest.raises(InputError, match="empty"):
        parse_lines("\n \n")


# ---- clustering -----------------------------------------------------------------------------

def test_average_linkage_matches_scikit_learn_exactly(encoder, seed_statements):
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics import adjusted_rand_score

    X = text_features([s.text for s in seed_statements], encoder)
    for sim in (0.15, 0.3):
        ours = average_linkage(X, np.ones(len(X)), sim)
        ref = AgglomerativeClustering(n_clusters=None, distance_threshold=1 - sim, metric="cosine",
                                      linkage="average").fit_predict(X)
        assert adjusted_rand_score(ref, ours) == 1.0


def test_cluster_count_follows_the_threshold_and_small_groups_stay_unclustered(encoder, seed_statements):
    X = text_features([s.text for s in seed_statements], encoder)
    loose = ThresholdClusterer(min_similarity=0.1, min_cluster_size=2).fit(X)
    tight = ThresholdClusterer(min_similarity=0.5, min_cluster_size=2).fit(X)
    assert loose.n_clusters_ >= 1 and tight.n_clusters_ >= 1
    assert np.bincount(loose.labels_[loose.labels_ >= 0]).max() > np.bincount(tight.labels_[tight.labels_ >= 0]).max()
    assert (tight.labels_ == -1).sum() > (loose.labels_ == -1).sum()
    # the copied 运维 paragraph is the tightest pair in the seeds
    a, b = _om_indices(seed_statements)
    assert tight.labels_[a] == tight.labels_[b] != -1
    assert auto_min_cluster_size(12) == 2 and auto_min_cluster_size(20_000) == 6


def test_micro_cluster_path_keeps_memory_bounded_and_agrees(encoder, corpus_statements):
    from sklearn.metrics import adjusted_rand_score

    X = text_features([s.text for s in corpus_statements], encoder)
    exact = ThresholdClusterer(0.15, min_cluster_size=2).fit(X)
    atoms = ThresholdClusterer(0.15, min_cluster_size=2, max_atoms=len(X) // 3, atom_size=3).fit(X)
    assert atoms.n_atoms_ <= len(X) // 3
    # "agrees" measured against the exact method's own stability: average linkage at a loose
    # threshold regroups a lot when 3% of the statements are left out (ARI 0.40-0.43 on the 3,507
    # corpus statements), and the atoms must agree with it at least about as well as it does with
    # itself (measured 0.41-0.49; a random grouping scores 0)
    keep = np.sort(np.random.default_rng(0).choice(len(X), int(len(X) * 0.97), replace=False))
    itself = adjusted_rand_score(exact.labels_[keep], ThresholdClusterer(0.15, min_cluster_size=2).fit(X[keep]).labels_)
    assert adjusted_rand_score(exact.labels_, atoms.labels_) > min(0.5, itself - 0.05), itself


def test_clusters_over_seeds_and_corpus(mined, corpus_statements):
    doc = mined.to_dict()
    assert set(doc) == {"clusters", "unclustered", "leftovers", "aggregates", "copies"}
    assert len(doc["clusters"]) >= 8
    names = set(theme_names())
    seen = set(doc["unclustered"])
    for c in doc["clusters"]:
        assert set(c) == {"id", "label", "keywords", "themes", "size", "members", "examples"}
        assert c["size"] == len(c["members"]) >= mined.aggregates["clustering"]["min_cluster_size"]
        assert 2 <= len(c["examples"]) <= 3 and all(e in [corpus_statements[m].text for m in c["members"]]
                                                    for e in c["examples"])
        assert 4 <= len(c["label"]) <= 16 and set(c["themes"]) <= names
        assert not seen & set(c["members"])
        seen |= set(c["members"])
    assert seen == set(range(len(corpus_statements)))
    # the two seed statements on 运维机制 land in one cluster, which the tagger calls om_mechanism
    a, b = _om_indices(corpus_statements)
    home = [c for c in doc["clusters"] if a in c["members"]]
    assert home and b in home[0]["members"] and "om_mechanism" in home[0]["themes"]
    assert any(k in home[0]["label"] for k in ("运维", "管护", "维护"))
    # big recurring themes of the corpus each have a cluster of their own
    dominant = {c["themes"][0] for c in doc["clusters"] if c["themes"]}
    assert {"procurement_contract", "finance_compliance", "staffing", "perf_mgmt"} <= dominant


# ---- keywords -------------------------------------------------------------------------------

def test_keywords_never_include_stop_words_or_boilerplate(mined):
    from pbm_nlp.text.tokenize import stopwords

    for w in ("的", "了", "有待", "进一步", "不够", "加强", "情况", "项目", "不够健全", "2018年"):
        assert blocked(w), w
    # places, organisations, figures, units and masked names (the 开封市, 东川区, 公里, 亿元)
    for w in ("开封市", "东川区", "开封", "全国", "审计局", "服务中心", "公里", "亿元", "兆瓦", "某县", "若干", "三个"):
        assert blocked(w), w
    for w in ("运维", "验收", "供应商", "预算执行率", "社区", "闲置", "招标"):
        assert not blocked(w), w
    everything = [k for c in mined.clusters for k in c["keywords"]]
    assert everything
    boilerplate = set(load_lexicon("mining").words("boilerplate"))
    assert not [k for k in everything if k in boilerplate or k in stopwords() or len(k) < 2]


def test_class_tfidf_picks_what_sets_a_cluster_apart(seed_statements):
    texts = [s.text for s in seed_statements]
    labels = [0 if "指标" in t[:20] else 1 if "运维管理机制" in t else -1 for t in texts]
    top = class_tfidf([keyword_tokens(t) for t in texts], labels, top=5)
    assert "绩效指标" in [w for w, _ in top[0]]
    assert "运维管理" in [w for w, _ in top[1]] or "运维" in [w for w, _ in top[1]]
    om = [t for t, lab in zip(texts, labels) if lab == 1]
    assert label_for(om, top[1]).startswith("后续运维管理机制不够")


# ---- aggregates -----------------------------------------------------------------------------

def test_aggregates_count_by_year_kind_unit_and_share_of_evaluations(seed_statements):
    themes = [["indicator_unclear"] if "绩效指标不" in s.text else [] for s in seed_statements]
    names = theme_names()
    clusters = [{"id": 0, "label": "绩效指标不明确", "size": 3, "members": [i for i, t in enumerate(themes) if t]}]
    agg = aggregate(seed_statements, themes, names, clusters)
    assert agg["statements"] == 12 and agg["evaluations"] == 6 and agg["projects"] == 6
    row = next(r for r in agg["themes"] if r["id"] == "indicator_unclear")
    assert row == {"id": "indicator_unclear", "name": "指标不明确", "statements": 3, "evaluations": 3,
                   "share_of_evaluations": 0.5}
    assert agg["theme_by_year"] == {"indicator_unclear": {"2018": 3}}
    assert agg["theme_by_kind"]["indicator_unclear"] == {"会议": 1, "宣传": 1, "未知": 1}
    assert agg["theme_by_unit"]["indicator_unclear"] == {"上海市人民代表大会常务委员会办公厅": 3}
    assert agg["untagged"] == 9
    assert agg["top_problems"][0] == {"cluster": 0, "label": "绩效指标不明确", "size": 3, "evaluations": 3,
                                      "projects": 3, "units": 1, "regions": 0, "years": [2018],
                                      "years_span": "2018"}


def test_aggregates_of_a_real_mining_run_agree_with_the_tagger(mined):
    agg = mined.aggregates
    by_id = {r["id"]: r for r in agg["themes"]}
    for t, row in by_id.items():
        assert sum(agg["theme_by_year"].get(t, {}).values()) == row["statements"]
        assert sum(agg["theme_by_kind"].get(t, {}).values()) == row["statements"]
        assert row["share_of_evaluations"] == pytest.approx(row["evaluations"] / agg["evaluations"], abs=1e-4)
        assert row["statements"] == sum(t in ts for ts in mined.themes)
    assert agg["theme_by_year"]["om_mechanism"]["2018"] == 2
    evals = [r["evaluations"] for r in agg["top_problems"]]
    assert evals == sorted(evals, reverse=True)


# ---- copied text ----------------------------------------------------------------------------

def test_the_copied_om_paragraph_in_seed_000_is_found(seed_statements):
    copies = find_copies(seed_statements)
    assert len(copies) == 1
    cp = copies[0]
    assert cp["kind"] == "statement" and cp["projects"] == sorted([WECHAT, CONF])
    assert cp["members"] == _om_indices(seed_statements) and cp["similarity"] > 0.85
    assert "系统的维修保养制度、系统定期检查制度" in cp["shared"]


def test_copies_need_different_projects_and_more_than_a_stock_phrase(seed_statements):
    same = [Statement(s.text, project="同一项目") for s in seed_statements]
    assert find_copies(same) == []
    stock = [Statement("会计核算不够规范。", project=p) for p in ("甲", "乙", "丙")]
    assert find_copies(stock) == []


def test_a_whole_problem_section_reused_under_another_project_is_reported(seed_statements):
    section = [s for s in seed_statements if s.project == WECHAT]
    reused = [Statement(s.text.replace("服务微信平台", "移动办公平台").replace("2018", "2019"),
                        project="某区人大移动办公平台建设", year=2019, evaluation="x") for s in section]
    copies = find_copies(seed_statements + reused)
    sections = [c for c in copies if c["kind"] == "section"]
    assert len(sections) == 1
    assert "某区人大移动办公平台建设" in sections[0]["projects"] and WECHAT in sections[0]["projects"]
    assert len(sections[0]["sections"]) == 2 and len(sections[0]["members"]) == 4


# ---- configuration, CLI and report ----------------------------------------------------------

def test_bad_settings_are_refused_with_advice():
    with pytest.raises(InputError, match="min_similarity must be in"):
        MinerConfig(min_similarity=1.5)
    with pytest.raises(InputError, match="min_cluster_size must be >= 2"):
        MinerConfig(min_cluster_size=1)


def test_cli_json_from_the_store(trained_store, capsys, monkeypatch):
    db = trained_store[0]
    monkeypatch.setenv("PBM_MODELS", str(trained_store[1]))
    assert main(["mine", "--db", str(db), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"clusters", "unclustered", "leftovers", "aggregates", "copies"}
    assert sum(c["size"] for c in doc["clusters"]) + len(doc["unclustered"]) == 12
    assert [c["projects"] for c in doc["copies"]] == [sorted([WECHAT, CONF])]


def test_cli_reads_json_lines_and_writes_a_report(trained_store, tmp_path: Path, capsys, monkeypatch):
    db = trained_store[0]
    monkeypatch.setenv("PBM_MODELS", str(trained_store[1]))
    with Store(db) as store:
        rows = [{"text": p["text"], "project": p["project"], "year": p["year"], "unit": p["unit"]}
                for p in store.problems()]
    src = tmp_path / "problems.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    out = tmp_path / "report"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a glyph missing from the font would warn
        assert main(["mine", str(src), "--report", str(out)]) == 0
    table = capsys.readouterr().out
    assert "问题聚类 clusters" in table and "复制文本 copied text: 1" in table
    for name in ("theme_frequency.png", "theme_year.png", "theme_kind.png", "clusters.png"):
        data = (out / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "![theme_year](theme_year.png)" in summary and "运维" in summary
    assert json.loads((out / "mine.json").read_text(encoding="utf-8"))["copies"]


def test_cli_refuses_broken_input(tmp_path: Path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "项目验收不规范"}\n{"text": 1', encoding="utf-8")
    assert main(["mine", str(bad)]) == 2
    assert "line 2 is not valid JSON" in capsys.readouterr().err


def test_labels_name_the_problem_not_the_good_news():

    label = label_for(["项目未出现工期延误，合同约定进度均已完成。", "施工进度滞后于合同工期，未按计划进场。",
                       "工期延误三个月，未办理延期手续。"], [("工期", 1.0), ("延误", 0.8), ("进度", 0.5)])
    assert label and "未出现" not in label
