"""Latency of `pbm suggest` and `pbm lint` after warm-up: p50/p95 over requests the encoder has
never seen (every request carries a new project name and new numbers, so nothing is answered
from the embedding cache except the corpus itself, which the warm-up embeds once).

Run: .venv/bin/python benchmarks/suggest_lint.py [N]   (temporary store and embedding cache)
"""
from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))


PROJECTS = [
    ("{d}河道保洁养护", "负责{d}{a}条河道、总长{b}公里的日常保洁和养护，每周巡查{c}次，接到报修后2小时内到场处理。"),
    ("{d}长者食堂补贴", "为{d}老年人提供助餐服务，全年补贴长者食堂{a}家，每日供餐约{b}份，每餐补贴{c}元。"),
    ("{d}医院医疗设备购置", "为{d}医院采购CT机{c}台、彩色多普勒超声诊断仪{a}台，年内完成安装调试。"),
    ("{d}社区工作者培训", "举办专题培训班{a}期，培训社区工作者{b}人次，每期培训{c}天。"),
    ("{d}智慧社区平台建设", "新增{a}个功能模块，对接{c}个部门的数据接口，服务居民{b}人。"),
]
DISTRICTS = ["黄浦区", "徐汇区", "长宁区", "静安区", "普陀区", "虹口区", "杨浦区", "闵行区", "宝山区", "嘉定区",
             "浦东新区", "金山区", "松江区", "青浦区", "奉贤区", "崇明区"]


def requests(n: int, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        name, overview = PROJECTS[i % len(PROJECTS)]
        d = DISTRICTS[i % len(DISTRICTS)] + f"第{i}片区"
        nums = {"a": rng.randint(3, 40), "b": rng.randint(100, 5000), "c": rng.randint(2, 9), "d": d}
        out.append({"project": name.format(**nums), "overview": overview.format(**nums), "year": 2024,
                    "budget": rng.randint(50, 900) * 10_000})
    return out


def percentiles(xs: list[float]) -> tuple[float, float]:
    xs = sorted(xs)
    return statistics.median(xs), xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]


def main(n: int = 30) -> None:
    from drafting_setup import seeded_resources

    from pbm_nlp.drafting.lint import lint
    from pbm_nlp.drafting.suggest import suggest

    t0 = time.perf_counter()
    cache = Path(tempfile.mkdtemp(prefix="pbm-bench-cache-"))
    ctx = seeded_resources(cache=cache).drafting_context()
    for r in requests(3, seed=99):  # warm-up: model load, corpus embeddings, first requests
        lint({**r, "indicators": suggest(r, ctx)["indicators"]}, ctx)
    print(f"warm-up (context + 3 requests): {time.perf_counter() - t0:.1f} s")

    s_times, l_times, drafts = [], [], []
    for r in requests(n):
        t = time.perf_counter()
        out = suggest(r, ctx)
        s_times.append(time.perf_counter() - t)
        drafts.append({**r, "project": r["project"] + "（申报稿）",
                       "indicators": [{k: i[k] for k in ("level1", "level2", "name", "target")} for i in out["indicators"]]})
    for d in drafts:
        t = time.perf_counter()
        lint(d, ctx)
        l_times.append(time.perf_counter() - t)
    for label, xs in (("suggest", s_times), ("lint", l_times)):
        p50, p95 = percentiles(xs)
        print(f"{label:8s} n={len(xs)}  p50 {p50 * 1000:.0f} ms  p95 {p95 * 1000:.0f} ms  max {max(xs) * 1000:.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
