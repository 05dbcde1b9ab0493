"""The theme tagger end to end: real corpus, real m3e-small, real training, real files."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from pbm_nlp.errors import InputError
from pbm_nlp.features.encoder import windows
from pbm_nlp.store import Store
from pbm_nlp.themes.tagger import TaggerConfig, ThemeTagger
from pbm_nlp.themes.taxonomy import theme_ids

from .conftest import SEED_000, seed_text


def test_training_writes_a_readable_safe_model_folder(trained_store, trained_res):
    db, models, metrics = trained_store
    folder = trained_res.registry.active_dir()
    assert folder.parent.parent == models / "versions"
    suffixes = {p.suffix for p in folder.iterdir()}
    assert suffixes <= {".json", ".npy", ".npz", ".jsonl", ".md"}, suffixes  # nothing that unpickles
    saved = json.loads((folder / "metrics.json").read_text())
    assert saved["data_hash"] == metrics["data_hash"] and saved["n_train"] >= 400
    card = (models / "MODEL_CARD.md").read_text()
    assert "research use" in card and metrics["version"] in card
    with np.load(folder / "tagger_arrays.npz", allow_pickle=False) as arr:
        assert arr["thresholds"].shape == (len(theme_ids()),)
    with Store(db) as store:
        row = store.conn.execute("SELECT version, active FROM model_versions").fetchone()
    assert tuple(row) == (metrics["version"], 1)


def test_tagger_generalises_to_real_and_authored_dev_sets(trained_store):
    _, models, metrics = trained_store
    dev, summary = metrics["dev"], metrics["summary"]
    assert next(iter(dev)) == "real" and dev["real"]["n_problems"] >= 40
    # measured 0.710 / 0.778 with the audit-register sets F-H (0.631 / 0.713 without them; vectors are
    # independent of their batch, so every run gives these); keyword rules score 0.35 here; the card
    # records what this model does, the guard test below holds it to that
    assert summary["real_dev_macro_f1"] >= 0.68, summary
    assert summary["real_dev_micro_f1"] >= 0.75, summary
    for name in ("authored_a", "authored_b"):
        assert dev[name]["n"] >= 150 and summary[f"{name}_dev_macro_f1_all"] >= 0.84, summary
    card = (models / "versions" / metrics["name"] / metrics["version"] / "MODEL_CARD.md").read_text()
    assert card.split("\n")[2].startswith("**Real dev set**")  # the card leads with the real figure


def test_real_dev_figure_is_what_the_active_model_does(trained_res):
    """The guard: macro-F1 on corpora/dev/real_dev.jsonl, recomputed with the active model as it is
    loaded for users, within 0.02 of the figure its card and metrics record."""
    import re

    from pbm_nlp.themes.corpus import dev_sets
    from pbm_nlp.themes.evaluation import dev_report, tagger_predict

    folder = trained_res.registry.active_dir()
    recorded = json.loads((folder / "metrics.json").read_text())["summary"]["real_dev_macro_f1"]
    card = (folder / "MODEL_CARD.md").read_text()
    on_card = float(re.search(r"macro-F1 ([0-9.]+)\*\* over the themes with ≥3", card).group(1))
    rows = dev_sets(set(theme_ids()))["real"]
    measured = dev_report(tagger_predict(trained_res.tagger.model), rows, theme_ids())["problem_mode"]["macro_f1_min3"]
    assert abs(measured - recorded) <= 0.02 and abs(measured - on_card) <= 0.02, (measured, recorded, on_card)


def test_seed_problem_section_is_split_and_tagged(trained_res):
    section = seed_text(SEED_000).split("存在问题")[3].split("整改建议")[0]
    result = trained_res.tagger.tag_paragraph(section)
    assert len(result["items"]) == 2
    first, second = result["items"]
    assert "benefit_evidence" in first["themes"]
    assert second["themes"][0] == "om_mechanism"


def test_indirect_wording_problem_mode_and_allow_none(trained_res):
    tagger = trained_res.tagger
    texts = ["系统上线后没有明确由谁负责日常巡检，服务器两次宕机均在三天后才恢复。",
             "项目共举办培训班6期，培训基层干部820人次，学员考核合格率达98%。",
             "审计发现，某县2022年有356万元产业扶持资金未按规定用途使用。"]
    problem_mode = tagger.tag(texts)
    assert "om_mechanism" in problem_mode[0]["themes"]
    assert all(r["themes"] for r in problem_mode)  # a problem statement always gets its likeliest theme
    assert problem_mode[2]["themes"][0] == "finance_compliance"
    mixed = tagger.tag(texts, allow_none=True)
    assert mixed[0]["themes"] and mixed[2]["themes"] and mixed[1]["themes"] == []
    assert set(mixed[1]["scores"]) == set(theme_ids()) and mixed[1]["problem_score"] < mixed[0]["problem_score"]


def test_evidence_points_at_the_text_and_at_labelled_neighbours(trained_res):
    (rec,) = trained_res.tagger.tag(["项目终期验收资料不完整，未出具验收报告"])
    assert rec["themes"][0] == "acceptance"
    phrases = rec["evidence"]["phrases"]["acceptance"]
    assert phrases and all(p["phrase"] in "项目终期验收资料不完整，未出具验收报告" for p in phrases
                           if not p["phrase"].isdigit())
    neighbours = rec["evidence"]["neighbours"]
    assert len(neighbours) == 3 and any("acceptance" in n["themes"] for n in neighbours)


def test_long_text_is_read_in_windows_not_truncated(trained_res):
    long_text = "项目资金使用中存在超范围列支的情况，部分会议费用以办公用品名义报销。" * 60
    assert len(windows(long_text)) > 3
    (rec,) = trained_res.tagger.tag([long_text])
    assert "finance_compliance" in rec["themes"]


def test_save_load_round_trip_gives_the_same_scores(trained_res, encoder, tmp_path):
    model = trained_res.tagger.model
    model.save(tmp_path / "copy")
    again = ThemeTagger.load(tmp_path / "copy", encoder=encoder)
    texts = ["预算执行率仅为62%，年末结余资金较大", "供应商服务质量缺乏考核"]
    assert np.allclose(model.predict_proba(texts), again.predict_proba(texts), atol=1e-6)


def test_failed_training_keeps_the_previous_model_and_rollback_works(trained_store, trained_res, encoder):
    db, _, _metrics = trained_store
    registry = trained_res.registry
    before = registry.active_version()
    with Store(db) as store:
        store.conn.execute("INSERT INTO annotations (ext_id, text, themes, source, labeled_by) VALUES "
                           "('bad-1', '坏样本', '[\"no_such_theme\"]', 'test', 'test')")
        store.conn.commit()
        from pbm_nlp.themes.training import train_tagger

        with pytest.raises(InputError, match="no_such_theme"):
            train_tagger(store, registry, encoder=encoder, config=TaggerConfig(use_dense=False))
        assert registry.active_version() == before
        store.conn.execute("DELETE FROM annotations WHERE ext_id='bad-1'")
        store.conn.commit()
        # a second, sparse-only model becomes active; rollback restores the first
        second = train_tagger(store, registry, encoder=None, config=TaggerConfig(use_dense=False))
    assert registry.active_version() == second["version"] != before
    tagger = trained_res.tagger
    assert tagger.version == second["version"]
    with Store(db) as store:
        assert registry.rollback(store) == before
        assert store.active_model_version(registry.name) == before  # pointer and store agree
    assert tagger.version == before  # the service notices the swap


def test_config_checks_itself():
    with pytest.raises(ValueError, match="C_sparse"):
        TaggerConfig(C_sparse=0)
    assert TaggerConfig.from_dict(TaggerConfig(C_dense=3.0).to_dict()).C_dense == 3.0


def test_cli_tag_json_lines_and_bad_input(trained_store, tmp_path):
    _, models, _ = trained_store
    env = {**__import__("os").environ, "PBM_MODELS": str(models)}
    pbm = str(Path(sys.executable).with_name("pbm"))
    stdin = '项目后续运维管理机制不够健全\n\n{"text": "预算执行率较低，资金结余较大"}\n   \n'
    out = subprocess.run([pbm, "tag", "-", "--json"], input=stdin, check=False, capture_output=True, text=True, env=env,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(x) for x in out.stdout.splitlines()]
    assert len(rows) == 2 and "skipped 2 empty lines" in out.stderr
    assert rows[0]["themes"][0] == "om_mechanism" and "budget_execution" in rows[1]["themes"]
    neutral = "项目共举办培训班6期，培训基层干部820人次，学员考核合格率达98%。\n"
    for flag, tagged in (([], True), (["--allow-none"], False)):
        out = subprocess.run([pbm, "tag", "-", "--json", "--no-evidence", *flag], input=neutral, check=False,
                             capture_output=True, text=True, env=env, timeout=300)
        assert bool(json.loads(out.stdout)["themes"]) is tagged, (flag, out.stdout, out.stderr)
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02")
    bad = subprocess.run([pbm, "tag", str(binary)], check=False, capture_output=True, text=True, env=env, timeout=120)
    assert bad.returncode == 2 and "binary" in bad.stderr


def test_a_model_built_with_another_encoder_precision_is_retrained_by_prepare(trained_res):
    from dataclasses import replace

    from pbm_nlp.resources import Resources
    from pbm_nlp.services.training import encoder_changed

    assert encoder_changed(trained_res) is None  # trained with the configured encoder
    other = Resources(replace(trained_res.settings, encoder_int8=not trained_res.settings.encoder_int8))
    assert "→" in encoder_changed(other)  # prepare retrains rather than mixing embeddings
