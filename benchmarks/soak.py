"""Soak test of the running app (issue 16): N concurrent clients for M minutes through gradio_client,
a mix of what users do (tag pasted text, suggest, lint, parse an upload, export a table, now and
then mine). Prints errors, request counts and latencies, and the server's resident memory over
time: growth is measured from the end of the warm-up (the first fifth of the run) to the end.
Also counts the app's temporary download folders, which must not pile up.

Targets: 0 errors, RSS growth < 200 MB after warm-up, for 40 clients over 10 minutes.

Run: .venv/bin/python benchmarks/soak.py [--clients 40] [--minutes 10] [--encoder hashing]
Uses a throwaway copy of the store and models (built with `pbm prepare` logic if missing); the
machine is shared, so the load average is printed with the figures.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.app_latency import PROJECTS, percentile, prepared_copy
from pbm_nlp.webui.handlers.common import OUT_KEEP_SECONDS
from tests.conftest import SEED_000, SEED_003, start_app

PROBLEMS = [
    "项目后续运维管理机制不够健全，未明确运维责任部门。",
    "项目终期验收资料不完整，未组织专家验收。",
    "绩效目标设置不够细化，部分指标难以量化考核。",
    "资金支付进度滞后，年底突击支出现象明显。",
    "政府采购程序不规范，合同条款约定不明确。",
    "对供应商履约情况缺乏有效监管，服务质量考核流于形式。",
]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def out_folders() -> int:
    root = Path(tempfile.gettempdir()) / "pbm-nlp-out"
    return sum(1 for _ in root.iterdir()) if root.exists() else 0


class Soak:
    """The clients' shared tallies."""

    def __init__(self, url: str, until: float):
        self.url, self.until = url, until
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter[str] = Counter()
        self.samples: list[str] = []

    def call(self, name: str, fn, *args, **kwargs):
        t0 = time.perf_counter()
        try:
            out = fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - a soak counts every failure, of any kind
            with self.lock:
                self.errors[name] += 1
                if len(self.samples) < 10:
                    self.samples.append(f"{name}: {type(exc).__name__}: {str(exc)[:200]}")
            return None
        with self.lock:
            self.latency[name].append(time.perf_counter() - t0)
        return out

    def client(self, k: int) -> None:
        from gradio_client import Client, handle_file

        rng = random.Random(k)
        time.sleep(k * 0.5)  # users open the page over a few seconds, not all in the same one
        client = self.call("connect", Client, self.url, verbose=False, httpx_kwargs={"timeout": 120})
        if client is None:
            return
        i = 0
        while time.time() < self.until:
            i += 1
            roll = rng.random()
            text = f"{rng.choice(PROBLEMS)}（客户{k}第{i}次）"
            if roll < 0.35:
                out = self.call("tag", client.predict, text, None, api_name="/tag")
                if out and rng.random() < 0.3:
                    self.call("export_tags", client.predict, out[1], api_name="/export_tags")
            elif roll < 0.6:
                name, overview = PROJECTS[(k + i) % len(PROJECTS)]
                out = self.call("suggest", client.predict, f"{name}（{k}-{i}）", "", overview, "", None, None,
                                api_name="/suggest")
                if out and rng.random() < 0.5:
                    self.call("lint", client.predict, f"{name}（{k}-{i}）", "", overview, "", None, None, out[1],
                              api_name="/lint")
            elif roll < 0.85:
                self.call("parse", client.predict, handle_file(str(rng.choice([SEED_000, SEED_003]))),
                          api_name="/parse")
            elif roll < 0.97:
                self.call("overview", client.predict, api_name="/overview")
            else:
                self.call("mine", client.predict, [], [], [], False, api_name="/mine")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=40)
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--encoder", default=os.environ.get("PBM_ENCODER", ""),
                    help="'hashing' for a quick run without m3e-small (default: the app's encoder)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="pbm-soak-"))
    env = {"PBM_ENCODER": args.encoder} if args.encoder else {}
    if args.encoder:
        os.environ["PBM_ENCODER"] = args.encoder
    db, models = prepared_copy(tmp)
    proc, url = start_app(db, models, tmp / "app.log", **env)
    print(f"app pid {proc.pid}, RSS at start {rss_mb(proc.pid):.0f} MB; {args.clients} clients for "
          f"{args.minutes:g} min; load average {os.getloadavg()[0]:.1f}; encoder {args.encoder or 'm3e-small'}")
    folders_before = out_folders()
    start = time.time()
    soak = Soak(url, start + args.minutes * 60)
    threads = [threading.Thread(target=soak.client, args=(k,), daemon=True) for k in range(args.clients)]
    for t in threads:
        t.start()
    warm_end, samples, loads = start + args.minutes * 12, [], []
    try:
        while any(t.is_alive() for t in threads):
            time.sleep(5)
            samples.append((time.time() - start, rss_mb(proc.pid)))
            loads.append(os.getloadavg()[0])
            if len(samples) % 12 == 0:
                n = sum(len(v) for v in soak.latency.values())
                print(f"  {samples[-1][0] / 60:5.1f} min  RSS {samples[-1][1]:6.0f} MB  requests {n}  "
                      f"errors {sum(soak.errors.values())}  load {loads[-1]:.1f}", flush=True)
        report(soak, samples, loads, warm_end - start, folders_before)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log = (tmp / "app.log").read_text(encoding="utf-8", errors="replace")
        print(f"server log: {log.count('internal error')} internal errors, {log.count('user error')} user errors, "
              f"{log.count('Traceback')} tracebacks")
        shutil.rmtree(tmp, ignore_errors=True)


def report(soak: Soak, samples: list[tuple[float, float]], loads: list[float], warm: float,
           folders_before: int) -> None:
    after_warm = [r for t, r in samples if t >= warm]
    base = after_warm[0] if after_warm else samples[0][1]
    print(f"\nRSS: after warm-up {base:.0f} MB, end {samples[-1][1]:.0f} MB, max {max(r for _, r in samples):.0f} MB; "
          f"growth after warm-up {samples[-1][1] - base:+.0f} MB (target < 200 MB)")
    total = sum(len(v) for v in soak.latency.values())
    print(f"requests {total}, errors {sum(soak.errors.values())} {dict(soak.errors)}; load average "
          f"mean {statistics.mean(loads):.1f} (2 cores, shared)")
    for s in soak.samples:
        print("  error:", s)
    print(f"\n{'endpoint':<12}{'n':>6}{'p50 s':>8}{'p95 s':>8}{'max s':>8}")
    for name, values in sorted(soak.latency.items()):
        print(f"{name:<12}{len(values):>6}{statistics.median(values):>8.2f}{percentile(values, 0.95):>8.2f}"
              f"{max(values):>8.2f}")
    print(f"download folders: {folders_before} before, {out_folders()} after (each removed after "
          f"{OUT_KEEP_SECONDS} s)")


if __name__ == "__main__":
    main()
