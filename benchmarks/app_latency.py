"""Latency of the app's API as users meet it: `python app.py` started as a subprocess, called through
gradio_client. Prints the cold start (process start → page served), the first call of each
endpoint (lazy model loading) and p50/p95 over repeated calls with fresh texts (so the encoder
cache does not flatter the figures).

Targets (issue 6): tag p95 < 300 ms; suggest and lint p95 < 1.5 s.

Run: .venv/bin/python benchmarks/app_latency.py [--n 40]
Uses a throwaway copy of the store and models (built with `pbm prepare` logic if missing).
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pbm_nlp import config
from tests.conftest import start_app

PROJECTS = [
    ("社区长者食堂运营补贴", "为全区45家长者食堂提供运营补贴，全年服务老年人约60万人次。"),
    ("区政务服务中心窗口升级改造", "升级改造32个服务窗口，配置自助终端20台，年内完成并投入使用。"),
    ("河道保洁养护项目", "对全区32条河道开展日常保洁养护，保洁面积约120万平方米，全年巡查不少于365次。"),
    ("党员干部专题培训", "举办专题培训班6期，培训党员干部600人次，每期不少于3天。"),
    ("智慧城管平台运维", "对智慧城管平台提供7×24小时运维服务，系统可用率不低于99%，故障2小时内响应。"),
]


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(q * (len(values) - 1))))
    return values[k]


def prepared_copy(tmp: Path) -> tuple[Path, Path]:
    """The default store and models when they exist (copied), else a fresh prepare into tmp."""
    db, models = tmp / "pbm.db", tmp / "models"
    if config.DEFAULT_DB.exists() and (config.MODELS_DIR / "active.json").exists():
        shutil.copy(config.DEFAULT_DB, db)
        shutil.copytree(config.MODELS_DIR, models, ignore=shutil.ignore_patterns("evaluation.json"))
        return db, models
    from pbm_nlp.resources import Resources
    from pbm_nlp.services.setup import prepare

    prepare(Resources.from_env(db=db, models=models), log=lambda m: print("  prepare:", m, file=sys.stderr))
    return db, models


def timed(fn, *args, **kwargs) -> float:
    t0 = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=40, help="calls per endpoint (default 40)")
    args = ap.parse_args()
    from gradio_client import Client

    tmp = Path(tempfile.mkdtemp(prefix="pbm-latency-"))
    db, models = prepared_copy(tmp)
    dev = [json.loads(line)["text"] for line in (config.DEV_DIR / "themes_dev.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()]

    t0 = time.perf_counter()
    proc, url = start_app(db, models, tmp / "app.log")
    cold = time.perf_counter() - t0
    try:
        client = Client(url, verbose=False)
        print(f"cold start (process start → page served): {cold:.1f} s")
        first = {
            "tag": timed(client.predict, dev[0] + "（首次）", None, False, api_name="/tag"),
            "suggest": timed(client.predict, PROJECTS[0][0], "", PROJECTS[0][1], "", None, None, api_name="/suggest"),
        }
        print("first call (loads models lazily): " + ", ".join(f"{k} {v:.2f} s" for k, v in first.items()))

        lat: dict[str, list[float]] = {"tag": [], "suggest": [], "lint": []}
        for i in range(args.n):
            text = f"{dev[(i * 7) % len(dev)]}（样本{i}）"  # a fresh text each call: no cache hits
            lat["tag"].append(timed(client.predict, text, None, False, api_name="/tag"))
            name, overview = PROJECTS[i % len(PROJECTS)]
            name = f"{name}（{2024 + i % 3}年度第{i}批）"
            t0 = time.perf_counter()
            _, table, *_ = client.predict(name, "", overview, "", None, None, api_name="/suggest")
            lat["suggest"].append(time.perf_counter() - t0)
            lat["lint"].append(timed(client.predict, name, "", overview, "", None, None, table, api_name="/lint"))
        targets = {"tag": 0.3, "suggest": 1.5, "lint": 1.5}
        print(f"\n{'endpoint':<10}{'n':>4}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'target p95':>12}  ok")
        for name, values in lat.items():
            p50, p95 = statistics.median(values), percentile(values, 0.95)
            print(f"{name:<10}{len(values):>4}{p50 * 1000:>9.0f}{p95 * 1000:>9.0f}{max(values) * 1000:>9.0f}"
                  f"{targets[name] * 1000:>10.0f} ms  {'yes' if p95 < targets[name] else 'NO'}")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
