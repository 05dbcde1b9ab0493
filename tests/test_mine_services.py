"""Mining as the app and `pbm mine` run it (fast tier: hashing encoder, real store, real training):
stored tags reused across re-minings, the drill-down table and its .xlsx export from the CLI."""
from __future__ import annotations

from pbm_nlp import services
from pbm_nlp.cli import main
from pbm_nlp.mine.drilldown import COLUMNS, drilldown
from pbm_nlp.services.schema import MineRequest


def test_stored_problems_are_tagged_once_per_model_version(fast_res):
    with fast_res.store() as store:
        n = len(store.problems())
    first = services.mining.mine(fast_res, MineRequest())
    version = fast_res.tagger.version
    with fast_res.store() as store:
        kept = store.problem_tags(version)
    assert len(kept) == n  # every stored problem now has its tags for this model version
    statements = services.mining.store_statements(fast_res)
    reused = services.mining.stored_tags(fast_res, statements)
    assert [t["themes"] for t in reused] == first.themes
    again = services.mining.mine(fast_res, MineRequest())
    assert [c["members"] for c in again.clusters] == [c["members"] for c in first.clusters]
    # statements from a file carry no problem ids: the miner tags them itself
    assert services.mining.stored_tags(fast_res, [s.text for s in statements]) is None


def test_cli_writes_the_drilldown_workbook(fast_res, tmp_path, monkeypatch, capsys):
    from openpyxl import load_workbook

    s = fast_res.settings
    monkeypatch.setenv("PBM_MODELS", str(s.models))
    monkeypatch.setenv("PBM_ENCODER", "hashing")
    out = tmp_path / "recurring.xlsx"
    assert main(["mine", "--db", str(s.db), "--drilldown", str(out), "--recurring", "1", "--examples"]) == 0
    assert "问题聚类 clusters" in capsys.readouterr().out
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert list(rows[0]) == [h for _, h in COLUMNS]
    result = services.mining.mine(fast_res, MineRequest())
    assert len(rows) - 1 == len(drilldown(result))


def test_the_mining_tab_shows_the_drilldown_and_offers_the_workbook(fast_res):
    from pathlib import Path

    from pbm_nlp.webui.handlers import mining as h

    summary, rows, charts, _copies, drill, path, raw = h.mine_view(fast_res)
    assert "条问题陈述" in summary and rows and len(charts) == 4
    assert Path(path).suffix == ".xlsx" and Path(path).read_bytes()[:2] == b"PK"
    headers = h.drill_headers()
    assert headers[0] == "问题类型" and all(len(r) == len(headers) for r in drill)
    assert all(r[headers.index("涉及评价数")] >= 2 for r in drill)
    assert set(raw) == {"clusters", "unclustered", "leftovers", "aggregates", "copies"}
