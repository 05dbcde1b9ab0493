"""The `pbm` console script, run as a user runs it."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import SEED_000, SEEDS

PBM = [str(Path(sys.executable).with_name("pbm"))]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(PBM + list(args), check=False, capture_output=True, text=True, input=stdin, timeout=300)


def test_help_lists_commands():
    out = run("--help")
    assert out.returncode == 0
    for cmd in ("ingest", "export", "prepare"):
        assert cmd in out.stdout
    assert run("ingest", "--help").returncode == 0


def test_ingest_json_summary_and_idempotence(db_path):
    out = run("ingest", str(SEEDS), "--db", str(db_path), "--json")
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    assert summary["added"] == {"evaluations": 6, "problems": 12, "suggestions": 12, "declarations": 23,
                                "indicators": 244}
    again = json.loads(run("ingest", str(SEEDS), "--db", str(db_path), "--json").stdout)
    assert again["added_documents"] == 0 and again["store"] == summary["store"]


def test_export_json_lines(db_path):
    run("ingest", str(SEEDS), "--db", str(db_path))
    out = run("export", "--kind", "evaluations", "--db", str(db_path), "--json")
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["score"] for r in rows] == [91.8, 88.2, 90.2, 91.0, 91.4, 87.12]
    assert set(rows[0]) >= {"project", "amount", "score", "grade", "achievements", "problems", "suggestions",
                            "source"}
    decls = [json.loads(x) for x in run("export", "--kind", "declarations", "--db", str(db_path)).stdout.splitlines()]
    assert len(decls) == 23
    assert set(decls[0]) == {"project", "year", "kind", "unit", "overview", "annual_goal", "budget", "indicators",
                             "source"}
    problems = run("export", "--kind", "problems", "--db", str(db_path)).stdout.splitlines()
    assert len(problems) == 12


def test_bad_file_reports_on_stderr_and_exits_nonzero(db_path, tmp_path):
    bad = tmp_path / "scan.png"
    bad.write_bytes(b"\x89PNG")
    out = run("ingest", str(bad), str(SEED_000), "--db", str(db_path), "--json")
    assert out.returncode == 1
    assert "scan.png" in out.stderr and "unsupported" in out.stderr
    assert json.loads(out.stdout)["added"]["evaluations"] == 5


def test_unknown_command_exits_nonzero():
    out = run("frobnicate")
    assert out.returncode != 0 and "invalid choice" in out.stderr


def test_lint_reads_the_drafting_export_back(tmp_path, monkeypatch):
    """A 申报表 exported by 起草助手 (.xlsx or .docx) is read back by `pbm lint` as the same project."""
    from pbm_nlp.drafting.export import write

    from .test_export import DRAFT

    monkeypatch.setenv("PBM_ENCODER", "hashing")
    monkeypatch.setenv("PBM_DB", str(tmp_path / "x.db"))
    monkeypatch.setenv("PBM_MODELS", str(tmp_path / "models"))
    assert run("ingest", str(SEED_000)).returncode == 0  # a store for lint's drafting context
    for suffix in ("xlsx", "docx"):
        out = run("lint", str(write(DRAFT, tmp_path / f"draft.{suffix}")))
        assert out.returncode == 0, out.stderr
        (report,) = [json.loads(line) for line in out.stdout.splitlines()]
        assert (report["project"], report["year"], report["kind"]) == ("长者食堂补贴项目", 2025, "补助补贴")
