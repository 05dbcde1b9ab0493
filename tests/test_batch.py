"""`pbm batch`: the per-batch function on the seeds and generated documents, resumption after a
killed run, the store option, and the Ray engine on a local two-CPU cluster (same output as local).

Fast tests run on the hashing encoder with the model of ``fast_res`` (the worker rebuilds that
encoder from the settings, as a Ray worker would); the Ray test and the m3e test are slow.
"""
from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.compute as pc
import pytest

from pbm_nlp import config, services
from pbm_nlp.batch import BatchRequest, run_batch
from pbm_nlp.batch.output import Output
from pbm_nlp.batch.synthetic import generate
from pbm_nlp.errors import InputError
from pbm_nlp.resources import Resources
from pbm_nlp.services.access import PermissionDenied
from pbm_nlp.services.schema import Actor, TagRequest

from .conftest import SEED_000, SEED_003, SEEDS

THEMES = 12


@pytest.fixture(scope="module")
def batch_res(fast_res) -> Resources:
    """fast_res's store and model, with settings that name the hashing encoder (workers rebuild it)."""
    return Resources(dataclasses.replace(fast_res.settings, encoder_path="hashing"), encoder=fast_res.encoder)


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """Seeds, 30 generated documents, a broken file and a byte-identical copy of a seed."""
    root = tmp_path_factory.mktemp("archive")
    shutil.copytree(SEEDS, root / "seeds", ignore=shutil.ignore_patterns("*.md"))
    generate(root / "gen", 30, config.SEEDS_DIR, config.ANNOTATIONS_DIR, seed=1, broken=0, gbk=0.2)
    (root / "broken.txt").write_bytes(b"\x00\x01\x02 binary")
    shutil.copy(SEED_000, root / "copy_of_000.txt")
    return root


def batch(res: Resources, paths, out: Path, **kw):
    return run_batch(res, BatchRequest([str(p) for p in paths], out, batch_size=kw.pop("batch_size", 8), **kw))


@pytest.fixture(scope="module")
def archive_run(batch_res, archive, tmp_path_factory) -> tuple[Path, dict]:
    """The archive processed once (local engine): (output folder, manifest)."""
    out = tmp_path_factory.mktemp("archive_out") / "out"
    return out, batch(batch_res, [archive], out)


def test_seeds_become_tables_that_agree_with_the_services(batch_res, tmp_path):
    man = batch(batch_res, [SEEDS], tmp_path / "out")
    out = Output(tmp_path / "out")
    files = out.read("files")
    assert man["run"]["files"] == 5 and man["run"]["errors"] == 0 and files.num_rows == 5
    assert set(files.column("status").to_pylist()) == {"ok"}
    records = out.read("records")
    kinds = pc.value_counts(records.column("record_type")).to_pylist()
    assert {k["values"]: k["counts"] for k in kinds} == {"evaluation": 6, "declaration": 23}
    problems = out.read("problems").to_pylist()
    assert len(problems) == 12 and man["totals"]["problems"] == 12
    tagged = services.tagging.tag(batch_res, TagRequest([p["text"] for p in problems], evidence=False,
                                                        split_items=False))
    assert all(p["themes"] for p in problems)  # 存在问题 items are problems: at least the likeliest theme
    for p, t in zip(problems, tagged):
        assert p["themes"] == t.themes and len(p["scores"]) == THEMES
        assert p["top_score"] == pytest.approx(max(t.scores.values()), abs=1e-4)
        assert p["model_version"] == batch_res.registry.active_version()
    findings = out.read("findings")
    assert findings.num_rows > 0
    assert set(findings.column("doc_hash").to_pylist()) <= set(records.column("doc_hash").to_pylist())
    assert set(findings.column("severity").to_pylist()) <= {"error", "warn", "info"}


def test_bad_files_are_rows_not_failures_and_copies_are_duplicates(archive_run):
    out, man = archive_run
    files = {r["name"]: r for r in Output(out).read("files").to_pylist()}
    assert files["broken.txt"]["status"] == "error" and "binary" in files["broken.txt"]["error_en"]
    # the first path in order is the original (copy_of_000.txt sorts before seeds/)
    assert files["000_5948c1792151f366.txt"]["status"] == "duplicate"
    assert files["000_5948c1792151f366.txt"]["duplicate_of"].endswith("copy_of_000.txt")
    assert man["plan"] == {"files": 37, "already_done": 0, "duplicates": 1, "to_do": 36,
                           "removed_uncommitted_parts": 0}
    assert man["run"]["errors"] == 1 and man["run"]["failed"][0]["path"].endswith("broken.txt")
    ok = [r for r in files.values() if r["status"] == "ok"]
    assert len(ok) == 35 and all(r["doc_hash"] and r["n_records"] > 0 for r in ok)


def test_a_second_run_does_nothing_and_a_renamed_file_is_not_processed_again(batch_res, archive, archive_run,
                                                                              tmp_path):
    out = tmp_path / "out"
    shutil.copytree(archive_run[0], out)
    again = batch(batch_res, [archive], out)
    assert again["plan"]["already_done"] == 37 and again["plan"]["to_do"] == 0 and again["run"]["files"] == 0
    moved = tmp_path / "moved"
    moved.mkdir()
    shutil.copy(SEED_003, moved / "renamed.txt")
    third = batch(batch_res, [archive, moved], out)
    assert third["plan"]["duplicates"] == 1 and third["plan"]["to_do"] == 0
    records = Output(out).read("records")
    assert records.num_rows == len(set(zip(records.column("doc_hash").to_pylist(),
                                           records.column("record_type").to_pylist(),
                                           records.column("ordinal").to_pylist())))


def _env(res: Resources) -> dict[str, str]:
    s = res.settings
    return {**os.environ, "PYTHONPATH": str(config.PROJECT_ROOT), "PBM_DB": str(s.db), "PBM_MODELS": str(s.models),
            "PBM_ENCODER": "hashing"}


def test_a_killed_run_resumes_without_duplicates(batch_res, archive, tmp_path):
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pbm_nlp.cli", "batch", str(archive), "--out", str(out), "--batch-size", "3",
           "--quiet"]
    proc = subprocess.Popen(cmd, env=_env(batch_res), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 240
    while time.time() < deadline and proc.poll() is None and len(list((out / "files").glob("part-*"))) < 3:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    committed = Output(out).ledger().num_rows
    # the worst moment to die: a batch's data written, its ledger not (a part of no committed batch)
    part = next((out / "records").glob("part-*.parquet"))
    shutil.copy(part, part.with_name("part-deadbeefdeadbeef.parquet"))
    done = subprocess.run(cmd[:-1] + ["--json"], env=_env(batch_res), capture_output=True, text=True, timeout=600,
                          check=False)
    assert done.returncode in (0, 1), done.stderr  # 1 when the broken file fell to this run
    man = json.loads(done.stdout)
    assert man["plan"]["removed_uncommitted_parts"] >= 1
    assert man["plan"]["already_done"] + man["plan"]["duplicates"] + man["plan"]["to_do"] == 37
    assert committed < 37 or man["plan"]["to_do"] == 0
    files = Output(out).read("files")
    assert sorted(files.column("path").to_pylist()) == sorted(set(files.column("path").to_pylist()))
    assert files.num_rows == 37
    records = Output(out).read("records").to_pylist()
    keys = [(r["doc_hash"], r["record_type"], r["ordinal"]) for r in records]
    assert len(keys) == len(set(keys))
    assert len({r["doc_hash"] for r in records}) == 35
    assert [r["status"] for r in files.to_pylist() if r["name"] == "broken.txt"] == ["error"]


def test_store_option_adds_documents_once_and_checks_the_role(batch_res, tmp_path):
    res = Resources(dataclasses.replace(batch_res.settings, db=tmp_path / "store.db"), encoder=batch_res.encoder)
    with pytest.raises(PermissionDenied):
        run_batch(res, BatchRequest([str(SEEDS)], tmp_path / "o1", store=True), Actor("ann", "drafter"))
    man = run_batch(res, BatchRequest([str(SEEDS)], tmp_path / "o1", store=True, lint=False), Actor("eva", "evaluator"))
    assert man["run"]["stored"] == 5 and man["totals"]["findings"] == 0
    with res.store() as store:
        counts = store.counts()
    assert counts["documents"] == 5 and counts["problems"] == 12
    again = run_batch(res, BatchRequest([str(SEEDS)], tmp_path / "o2", store=True, lint=False))
    assert again["run"]["files"] == 5 and again["run"]["stored"] == 0
    with res.store() as store:
        assert store.counts() == counts


def test_clear_errors_before_any_work(batch_res, tmp_path):
    with pytest.raises(InputError, match="no such file"):
        batch(batch_res, [tmp_path / "nope"], tmp_path / "out")
    with pytest.raises(InputError, match="engine"):
        batch(batch_res, [SEEDS], tmp_path / "out", engine="spark")
    with pytest.raises(InputError, match="--address needs"):
        batch(batch_res, [SEEDS], tmp_path / "out", address="10.0.0.1:6379")
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="not empty"):
        batch(batch_res, [SEEDS], busy)
    out = subprocess.run([sys.executable, "-m", "pbm_nlp.cli", "batch", str(tmp_path / "nope"), "--out",
                          str(tmp_path / "o")], env=_env(batch_res), capture_output=True, text=True, timeout=120,
                         check=False)
    assert out.returncode == 2 and "no such file" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.slow
def test_ray_engine_on_a_local_cluster_gives_the_local_output(batch_res, archive, archive_run, tmp_path):
    pytest.importorskip("ray", reason="Ray is an optional extra: pip install 'pbm-nlp[scale]'")
    local_out, local = archive_run
    ray_run = batch(batch_res, [archive], tmp_path / "ray", engine="ray", workers=2)
    assert ray_run["workers"] == 2 and ray_run["run"]["files"] == local["run"]["files"] == 36
    assert ray_run["totals"] == local["totals"]

    def rows(folder, table, *cols):
        return sorted(tuple(str(r[c]) for c in cols) for r in Output(folder).read(table).to_pylist())

    assert rows(tmp_path / "ray", "problems", "doc_hash", "text", "themes", "scores") == rows(
        local_out, "problems", "doc_hash", "text", "themes", "scores")
    assert rows(tmp_path / "ray", "findings", "doc_hash", "rule", "indicator") == rows(
        local_out, "findings", "doc_hash", "rule", "indicator")
    workers = set(Output(tmp_path / "ray").read("files").column("worker").drop_null().to_pylist())
    assert len(workers) == 2  # both actors did work


def test_real_encoder_end_to_end(trained_res, tmp_path):
    """m3e-small without the embedding cache in the worker, the real tagger and the lint rules."""
    man = run_batch(trained_res, BatchRequest([str(SEEDS)], tmp_path / "out"))
    assert man["run"]["errors"] == 0 and man["totals"]["problems"] == 12 and man["totals"]["findings"] > 0
    problems = Output(tmp_path / "out").read("problems").to_pylist()
    tagged = services.tagging.tag(trained_res, TagRequest([p["text"] for p in problems], evidence=False,
                                                          split_items=False))
    for p, t in zip(problems, tagged):
        for theme, score in p["scores"]:
            assert score == pytest.approx(t.scores[theme], abs=0.05)  # int8: batch composition moves scores a little
