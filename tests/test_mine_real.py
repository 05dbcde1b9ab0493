"""Issue mining on the bundled real demo corpus (corpora/demo): problem-type clusters whose labels
and keywords name no place, organisation or figure; leftovers joined or explained; precomputed
embeddings and tags; the drill-down table and its .xlsx export."""
from __future__ import annotations

import dataclasses
import json
import re

import numpy as np
import pytest

from pbm_nlp import config
from pbm_nlp.errors import InputError
from pbm_nlp.lexicon import load_lexicon
from pbm_nlp.mine.drilldown import COLUMNS, drilldown, write_drilldown
from pbm_nlp.mine.features import statement_embeddings
from pbm_nlp.mine.leftovers import attach_leftovers
from pbm_nlp.mine.miner import MinerConfig, mine, tag_statements
from pbm_nlp.mine.records import Statement, from_evaluations
from pbm_nlp.themes.taxonomy import theme_names

DEMO = config.CORPORA_DIR / "demo" / "real_evaluations.jsonl"
FIELDS = {"project", "year", "unit", "region", "kind", "doc_type", "finder", "problems", "suggestions",
          "achievements", "source", "title"}


@pytest.fixture(scope="module")
def demo_records() -> list[dict]:
    return [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def demo_statements(demo_records) -> list[Statement]:
    return from_evaluations(demo_records)


@pytest.fixture(scope="module")
def demo_tags(demo_statements, trained_res) -> list[dict]:
    return tag_statements([s.text for s in demo_statements], trained_res.tagger, list(theme_names()))


@pytest.fixture(scope="module")
def demo_mined(demo_statements, demo_tags, encoder):
    return mine(demo_statements, encoder=encoder, tags=demo_tags)


# ---- the demo corpus ------------------------------------------------------------------------

def test_demo_corpus_is_real_evaluations_with_their_metadata(demo_records, demo_statements):
    assert len(demo_records) >= 50 and len(demo_statements) >= 200
    for rec in demo_records:
        assert FIELDS <= set(rec) and rec["problems"] and rec["source"].startswith("http")
        assert rec["doc_type"] in {"audit", "evaluation_report", "evaluation_result", "self_evaluation",
                                   "dept_overall"}
    assert len({r["region"] for r in demo_records}) >= 30
    assert len({r["year"] for r in demo_records if r["year"]}) >= 10
    # one evaluation per source document and project; its statements share the evaluation key
    keys = {s.section_key for s in demo_statements}
    assert len(keys) == len(demo_records)
    assert {s.region for s in demo_statements} == {r["region"] for r in demo_records}


def test_the_dev_statements_never_enter_the_demo_corpus(demo_statements):
    dev = config.CORPORA_DIR / "dev" / "real_dev.jsonl"  # bundled: a missing file is a failure, not a skip
    dev_texts = {json.loads(x)["text"] for x in dev.read_text(encoding="utf-8").splitlines() if x.strip()}
    assert not dev_texts & {s.text for s in demo_statements}


def test_evaluation_records_are_checked():
    with pytest.raises(InputError, match="record 1 must be an evaluation"):
        from_evaluations([{"project": "x"}])
    with pytest.raises(InputError, match="must be a year"):
        from_evaluations([{"problems": ["验收资料不完整"], "year": "去年"}])


# ---- problem types, not places --------------------------------------------------------------

def _name_pieces(statements) -> set[str]:
    """Place names from the statements' own region fields (陕西省安康市 → 陕西, 安康)."""
    pieces = set()
    for s in statements:
        pieces |= {p for p in re.split(r"省|市|自治区|自治州|自治县|县|区|州|旗|镇|乡|（|）", s.region or "") if len(p) >= 2}
    return pieces


def test_real_clusters_are_named_by_problem_not_place(demo_mined, demo_statements):
    from pbm_nlp.drafting.measure import unit_family

    assert len(demo_mined.clusters) >= 6
    pieces = _name_pieces(demo_statements)
    names = set(theme_names().values())
    shortfall = load_lexicon("mining").pattern("deficiency")
    for c in demo_mined.clusters:
        for phrase in [c["label"]] + c["keywords"][:5]:
            assert not re.search(r"[0-9０-９]", phrase), (c["id"], phrase)
            assert unit_family(phrase) is None, (c["id"], phrase)
            assert not [p for p in pieces if p in phrase], (c["id"], phrase)
            assert "审计" not in phrase and "同一" not in phrase, (c["id"], phrase)
        # a label is a shortfall shared by several members, or the theme's canonical name
        assert c["label"] in names or shortfall.search(c["label"]), c
    assert len({c["label"] for c in demo_mined.clusters}) == len(demo_mined.clusters)


def test_few_leftovers_and_each_one_explained(demo_mined):
    n = len(demo_mined.statements)
    assert len(demo_mined.unclustered) <= 0.15 * n
    covered = sum(c["size"] for c in demo_mined.clusters) + len(demo_mined.unclustered)
    assert covered == n
    for e in demo_mined.leftovers:
        assert e["index"] in demo_mined.unclustered and e["reason"] in {"small_group", "outlier", "dissimilar"}
        assert e["similarity"] < e["threshold"] and e["why"] and e["why_en"]
        assert e["nearest_label"] == demo_mined.clusters[e["nearest"]]["label"]


def test_a_leftover_close_enough_joins_and_a_far_one_is_explained():
    rng = np.random.default_rng(0)
    centre = np.eye(8)[0]
    members = centre + 0.05 * rng.standard_normal((6, 8))
    near = centre + 0.4 * np.eye(8)[1]
    far = np.eye(8)[5]
    X = np.vstack([members, near, far])
    X = (X / np.linalg.norm(X, axis=1, keepdims=True)).astype(np.float32)
    labels, left = attach_leftovers(X, np.array([0] * 6 + [-1, -1]), join_similarity=0.8,
                                    group_sizes=np.array([6] * 6 + [1, 1]))
    assert labels.tolist() == [0] * 7 + [-1]
    assert left == [{"index": 7, "nearest": 0, "similarity": pytest.approx(0.0, abs=0.1), "reason": "dissimilar",
                     "group": 1, "threshold": 0.8, "min_size": 2}]


# ---- precomputed inputs ---------------------------------------------------------------------

def test_precomputed_embeddings_and_tags_give_the_same_clusters_without_a_tagger(
        demo_statements, demo_tags, demo_mined, encoder):
    E = statement_embeddings([s.text for s in demo_statements], encoder)
    again = mine(demo_statements, encoder=encoder, embeddings=E, tags=demo_tags)  # no tagger at all
    assert [c["members"] for c in again.clusters] == [c["members"] for c in demo_mined.clusters]
    assert [c["label"] for c in again.clusters] == [c["label"] for c in demo_mined.clusters]
    with pytest.raises(InputError, match="one row per statement"):
        mine(demo_statements, encoder=encoder, embeddings=E[:-1], tags=demo_tags)
    with pytest.raises(InputError, match="one entry per statement"):
        mine(demo_statements, encoder=encoder, embeddings=E, tags=demo_tags[:-1])


def test_text_only_mining_needs_no_tags(demo_statements, encoder):
    result = mine(demo_statements[:60], encoder=encoder, use_themes=False, config=MinerConfig(copies=False))
    assert result.themes is None and "themes" not in result.aggregates
    assert sum(c["size"] for c in result.clusters) + len(result.unclustered) == 60


# ---- drill-down -----------------------------------------------------------------------------

def test_drilldown_lists_the_evaluations_units_and_years_of_each_problem(demo_mined):
    rows = drilldown(demo_mined)
    assert rows and set(rows[0]) == {k for k, _ in COLUMNS}
    by_cluster: dict[int, list[dict]] = {}
    for r in rows:
        by_cluster.setdefault(r["cluster"], []).append(r)
    top = demo_mined.aggregates["top_problems"]
    assert [r["cluster"] for r in top] == list(dict.fromkeys(r["cluster"] for r in rows))[:len(top)]
    for cid, rs in by_cluster.items():
        c = demo_mined.clusters[cid]
        assert sum(r["statements"] for r in rs) == c["size"]
        assert len(rs) == rs[0]["evaluations"]  # one row per evaluation
        assert rs[0]["units"] == len({r["unit"] for r in rs if r["unit"]})
        assert [r["year"] or 9999 for r in rs] == sorted(r["year"] or 9999 for r in rs)
        assert all(r["source"].startswith("http") and r["texts"] for r in rs)
    recurring = drilldown(demo_mined, min_evaluations=3)
    assert recurring and all(r["evaluations"] >= 3 for r in recurring)
    one = drilldown(demo_mined, cluster=top[0]["cluster"])
    assert {r["cluster"] for r in one} == {top[0]["cluster"]}


def test_drilldown_exports_to_xlsx_with_formulas_neutralised(demo_mined, tmp_path):
    from openpyxl import load_workbook

    c = demo_mined.clusters[0]
    st = list(demo_mined.statements)
    st[c["members"][0]] = dataclasses.replace(st[c["members"][0]], text="=HYPERLINK(\"http://x\")")
    result = dataclasses.replace(demo_mined, statements=st)
    path = write_drilldown(result, tmp_path / "recurring.xlsx", cluster=c["id"])
    ws = load_workbook(path).active
    assert [cell.value for cell in ws[1]] == [h for _, h in COLUMNS]
    cells = [row[-1] for row in ws.iter_rows(min_row=2)]
    assert len(cells) == len(drilldown(result, cluster=c["id"]))
    hostile = [cell for cell in cells if cell.value.startswith("=HYPERLINK")]
    assert hostile and all(cell.quotePrefix for cell in hostile)  # shown as written, Excel's hidden quote
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)
