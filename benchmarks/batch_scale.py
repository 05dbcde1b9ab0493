"""`pbm batch` at province scale: generated documents in the seeds' formats (pbm_nlp.batch.synthetic),
the local engine against Ray Data with 1 and 2 workers, each run a fresh `pbm batch` process.

Printed per run: wall time, files/s and statements/s, the time to the first committed batch
(start-up: Ray, actors, models, the lint context), the worker CPU seconds and files per worker
CPU-second (the load-independent throughput of one worker), where the workers' time goes
(parse, tag, lint, store, write) and the peak RSS of the driver and of the largest worker; then
the ratios Ray/local and 2 workers/1 worker. The machine's load average is printed with each
run: on a shared machine, wall-clock ratios are only as good as the load was steady.

Run: .venv/bin/python benchmarks/batch_scale.py [--sizes 1000,10000] [--runs local,ray1,ray2]
     [--encoder m3e|hashing] [--no-lint] [--batch-size 32] [--json results.json]

A tagger is trained first in a temporary models folder (the seeds and the labelled corpus, with
the chosen encoder); set PBM_BENCH_MODELS/PBM_BENCH_DB to reuse a prepared store and models.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pbm_nlp import config
from pbm_nlp.batch.synthetic import generate

WORK = Path(os.environ.get("PBM_BENCH_DIR", Path(tempfile.gettempdir()) / "pbm-batch-scale"))
RUNS = {"local": ["--engine", "local"], "ray1": ["--engine", "ray", "--workers", "1"],
        "ray2": ["--engine", "ray", "--workers", "2"]}


def env_for(encoder: str, db: Path, models: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PBM_DB": str(db), "PBM_MODELS": str(models),
           "PBM_CACHE": str(WORK / f"cache-{encoder}")}
    if encoder == "hashing":
        env["PBM_ENCODER"] = "hashing"
    else:
        env.pop("PBM_ENCODER", None)
    return env


def prepare(encoder: str) -> tuple[Path, Path]:
    """A store with the seeds and the labelled corpus, and a tagger trained with ``encoder``."""
    if os.environ.get("PBM_BENCH_MODELS") and os.environ.get("PBM_BENCH_DB"):
        return Path(os.environ["PBM_BENCH_DB"]), Path(os.environ["PBM_BENCH_MODELS"])
    root = WORK / f"prepared-{encoder}"
    db, models = root / "pbm.db", root / "models"
    if not (models / "active.json").exists():
        print(f"training a tagger with the {encoder} encoder in {root} …", flush=True)
        subprocess.run([sys.executable, "-m", "pbm_nlp.cli", "prepare"], env=env_for(encoder, db, models),
                       check=True, stdout=subprocess.DEVNULL)
    return db, models


def documents(n: int) -> Path:
    folder = WORK / f"docs-{n}"
    if not (folder / ".complete").exists():
        t0 = time.perf_counter()
        counts = generate(folder, n, config.SEEDS_DIR, config.ANNOTATIONS_DIR, seed=n)
        (folder / ".complete").write_text(json.dumps(counts))
        print(f"generated {n} documents in {time.perf_counter() - t0:.0f} s: {counts}", flush=True)
    return folder


def run(name: str, docs: Path, env: dict[str, str], extra: list[str]) -> dict:
    out = Path(tempfile.mkdtemp(prefix=f"out-{name}-", dir=WORK))
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pbm_nlp.cli", "batch", str(docs), "--out", str(out), "--json",
                           "--quiet", *RUNS[name], *extra], env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode not in (0, 1) or not proc.stdout.strip():
        raise RuntimeError(f"{name} failed (exit {proc.returncode}): {proc.stderr[-3000:]}")
    m = json.loads(proc.stdout)
    r = m["run"]
    return {"run": name, "files": r["files"], "errors": r["errors"], "statements": r["statements"],
            "findings": r["findings"], "process_s": round(wall, 1), "job_s": r["seconds"],
            "first_batch_s": r["first_batch_s"], "files_per_s": r["files_per_s"],
            "statements_per_s": r["statements_per_s"], "worker_cpu_s": r["worker_cpu_s"],
            "files_per_worker_cpu_s": r["files_per_worker_cpu_s"], "share": r["worker_share"],
            "driver_peak_mb": r["driver_peak_rss_mb"], "worker_peak_mb": r["worker_peak_rss_mb"],
            "load_before": round(load, 1), "load_after": round(os.getloadavg()[0], 1)}


def report(rows: list[dict]) -> None:
    head = ("size", "run", "files", "proc s", "job s", "1st batch s", "files/s", "stmts/s", "files/CPU-s",
            "peak MB drv/wkr", "load")
    print("\n" + " | ".join(head))
    for r in rows:
        print(" | ".join(str(x) for x in (
            r["size"], r["run"], r["files"], r["process_s"], r["job_s"], r["first_batch_s"], r["files_per_s"],
            r["statements_per_s"], r["files_per_worker_cpu_s"], f"{r['driver_peak_mb']}/{r['worker_peak_mb']}",
            f"{r['load_before']}→{r['load_after']}")))
        print("    where the workers' time goes: " + ", ".join(f"{k} {v:.0%}" for k, v in r["share"].items() if v))
    by = {(r["size"], r["run"]): r for r in rows}
    for size in sorted({r["size"] for r in rows}):
        local, r1, r2 = by.get((size, "local")), by.get((size, "ray1")), by.get((size, "ray2"))
        if local and r1:
            print(f"{size}: Ray 1 worker / local, files per worker CPU-s (overhead only): "
                  f"{r1['files_per_worker_cpu_s'] / local['files_per_worker_cpu_s']:.2f}; "
                  f"wall files/s: {r1['files_per_s'] / local['files_per_s']:.2f}")
        if local and r2:
            print(f"{size}: Ray 2 workers / local, wall files/s: {r2['files_per_s'] / local['files_per_s']:.2f}")
        if r1 and r2:
            print(f"{size}: Ray 2 workers / 1 worker, wall files/s: {r2['files_per_s'] / r1['files_per_s']:.2f} "
                  f"(per-worker files per CPU-s {r1['files_per_worker_cpu_s']} vs {r2['files_per_worker_cpu_s']})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--runs", default="local,ray1,ray2")
    ap.add_argument("--encoder", choices=("m3e", "hashing"), default="m3e")
    ap.add_argument("--no-lint", action="store_true")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--json", help="also write the rows to this file")
    args = ap.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    db, models = prepare(args.encoder)
    env = env_for(args.encoder, db, models)
    extra = ["--batch-size", str(args.batch_size)] + (["--no-lint"] if args.no_lint else [])
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        docs = documents(size)
        for name in args.runs.split(","):
            print(f"{size} documents, {name} …", flush=True)
            rows.append({"size": size, "encoder": args.encoder, "lint": not args.no_lint,
                         **run(name, docs, env, extra)})
            print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    report(rows)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
