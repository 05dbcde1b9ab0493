"""`pbm batch`: a folder (or many) of documents → Parquet tables, on one machine or a Ray cluster.

The job: check what it needs before any expensive work (paths, the model, Ray, the right to write
to the store), clear what a crashed run left uncommitted, plan (skip what a previous run
committed, note duplicate copies), run the per-batch function on the chosen engine with progress,
and write the manifest. Running it again on the same folders continues where it stopped.
"""
from __future__ import annotations

import dataclasses
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import services
from ..errors import InputError
from ..resources import Resources
from ..services.access import require
from ..services.schema import Actor
from . import engines, tables
from .output import Output
from .plan import make_plan
from .progress import Progress
from .worker import WorkerOptions, peak_rss_mb

ENGINES = ("local", "ray")


@dataclass
class BatchRequest:
    paths: list[str | Path]
    out: str | Path
    engine: str = "local"
    #: Ray cluster address (host:port, or ``auto``); none: $RAY_ADDRESS, else a local Ray.
    address: str | None = None
    #: Ray workers (actors, one CPU each); none: every CPU of the cluster.
    workers: int | None = None
    batch_size: int = 32
    lint: bool = True
    store: bool = False
    allow_none: bool = False
    say: Callable[[str], None] | None = None
    interval: float = 5.0

    def check(self) -> None:
        if self.engine not in ENGINES:
            raise InputError(f"未知的引擎 {self.engine!r}：应为 local 或 ray。",
                             f"unknown engine {self.engine!r}: expected local or ray.")
        if self.batch_size < 1 or (self.workers is not None and self.workers < 1):
            raise InputError("--batch-size 和 --workers 必须是正整数。", "--batch-size and --workers must be >= 1.")
        if self.address and self.engine != "ray":
            raise InputError("--address 只用于 --engine ray。", "--address needs --engine ray.")
        missing = [str(p) for p in self.paths if not Path(p).exists()]
        if missing:
            raise InputError(f"找不到输入：{', '.join(missing)}。", f"no such file or folder: {', '.join(missing)}.")


def run_batch(res: Resources, request: BatchRequest, actor: Actor | None = None) -> dict[str, Any]:
    """Run (or resume) the job; returns the manifest it also writes to OUT/manifest.json."""
    request.check()
    if request.store:
        require(actor, "evaluator", "trainer")
    if request.engine == "ray":
        engines.ray_module()
    model_dir = res.registry.active_dir()  # fails now, not in every worker, when there is no model
    if request.lint or request.store:
        res.store().close()  # the lint context and --store read it: a missing or broken store fails now
    output = Output(request.out)
    output.prepare()
    removed = output.remove_uncommitted()
    files = services.ingest.expand_paths(request.paths)
    plan = make_plan(files, output.ledger())
    if plan.duplicates:
        output.write_part(tables.LEDGER, f"dup-{uuid.uuid4().hex[:12]}", tables.table("files", plan.duplicates))
    options = WorkerOptions(str(output.root), lint=request.lint, store=request.store, actor=actor,
                            model_dir=str(model_dir), allow_none=request.allow_none)
    progress = Progress(len(plan.todo), request.say, request.interval)
    started = time.strftime("%Y-%m-%dT%H:%M:%S")
    if request.say:
        request.say(f"{plan.total} 个文件 files: {plan.skipped} 已完成 already done, {len(plan.duplicates)} 重复 "
                    f"duplicates, {len(plan.todo)} 待处理 to do ({request.engine})")
    if request.engine == "local":
        workers = engines.run_local(plan.todo, res.settings, options, request.batch_size, progress.update)
    else:
        workers = engines.run_ray(plan.todo, res.settings, dataclasses.replace(options, threads=1),
                                  request.batch_size, progress.update, request.address, request.workers)
    manifest = {
        "started": started, "finished": time.strftime("%Y-%m-%dT%H:%M:%S"), "engine": request.engine,
        "address": request.address, "workers": workers, "batch_size": request.batch_size,
        "inputs": [str(p) for p in request.paths], "out": str(output.root), "model_version": model_dir.name,
        "lint": request.lint, "allow_none": request.allow_none, "store": str(res.settings.db) if request.store else None,
        "plan": {"files": plan.total, "already_done": plan.skipped, "duplicates": len(plan.duplicates),
                 "to_do": len(plan.todo), "removed_uncommitted_parts": removed},
        "run": progress.summary() | {"driver_peak_rss_mb": peak_rss_mb()},
        "totals": {name: output.rows(name) for name in tables.SCHEMAS},
    }
    output.write_manifest(manifest)
    return manifest


def summary_lines(manifest: dict[str, Any]) -> list[str]:
    """What `pbm batch` prints at the end (bilingual)."""
    p, r, t = manifest["plan"], manifest["run"], manifest["totals"]
    return [
        (f"{p['files']} 个文件 files: {r['files']} 本次处理 processed ({r['errors']} 失败 failed), "
        f"{p['already_done']} 已完成 already done, {p['duplicates']} 重复 duplicates"),
        (f"{r['statements']} 条问题 statements tagged, {r['findings']} 条检查意见 lint findings, "
        f"{r['seconds']} s ({r['files_per_s']} 文件/秒 files/s, {r['statements_per_s']} 条/秒 statements/s), "
        f"{manifest['engine']} × {manifest['workers']}"),
        "输出 output: " + ", ".join(f"{k} {v}" for k, v in t.items()) + f" rows in {manifest['out']}",
        json.dumps({"worker_share": r["worker_share"], "worker_peak_rss_mb": r.get("worker_peak_rss_mb"),
                    "driver_peak_rss_mb": r["driver_peak_rss_mb"]}),
    ]
