"""Issue-mining scale: 20,000 statements (recombined from the labelled corpus) mined with a warm
encoder cache; time and peak memory at 2,500 → 20,000 statements.

The benchmark warms the cache itself first: every statement (and its heading) is embedded once
by m3e-small, which takes minutes at this size. The cache lives in $PBM_BENCH_CACHE (default
/tmp/pbm-mine-scale-cache) and is reused by later runs. Only then is mining timed, each size in
a fresh process (so peak RSS is that size's own), with the encoder never loading its model.
Timed: the whole `mine()` call (tagging, features from the cache, clustering, keywords and
labels, aggregates, copy detection), with the clustering step also shown on its own.

Run: .venv/bin/python benchmarks/mine_scale.py [N]     (N defaults to 20000)
"""
from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pbm_nlp import config

CACHE = Path(os.environ.get("PBM_BENCH_CACHE", Path(tempfile.gettempdir()) / "pbm-mine-scale-cache"))
_SENT = re.compile(r"(?<=[。；！？])")


def sentences(text: str) -> list[str]:
    return [s for s in _SENT.split(text) if len(s.strip()) > 6]


def recombine(rows: list[dict], n: int, seed: int = 0) -> list[dict]:
    """n distinct statements: a corpus heading plus 0-2 sentences from statements of the same
    theme, in evaluations of three statements with synthetic projects, years and units."""
    rng = random.Random(seed)
    rows = [r for r in rows if sentences(r["text"])]
    by_theme: dict[str, list[dict]] = {}
    for r in rows:
        by_theme.setdefault((r["themes"] or ["none"])[0], []).append(r)
    seen: set[str] = set()
    out: list[dict] = []
    while len(out) < n:
        r = rng.choice(rows)
        theme = (r["themes"] or ["none"])[0]
        parts = [sentences(r["text"])[0]]
        parts += [rng.choice(sentences(rng.choice(by_theme[theme])["text"])) for _ in range(rng.randint(0, 2))]
        text = "".join(parts)
        if text in seen:
            continue
        seen.add(text)
        e = len(out) // 3
        out.append({"text": text, "project": f"示例项目{e % 900:03d}", "year": 2018 + e % 6,
                    "unit": f"示例单位{e % 60:02d}", "evaluation": f"e{e}", "gold": theme})
    return out


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss would include the parent's at exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(path: str, n: int) -> None:
    """Mine the first n statements of the file; print one JSON line with times and peak RSS."""
    config.CACHE_DIR = CACHE
    config.MODELS_DIR = Path(os.environ["PBM_MODELS"])
    from pbm_nlp.features.encoder import shared_encoder
    from pbm_nlp.mine.miner import mine
    from pbm_nlp.mine.records import from_dict
    from pbm_nlp.themes.service import Tagger

    lines = Path(path).read_text(encoding="utf-8").splitlines()[:n]
    rows = [json.loads(x) for x in lines]
    statements = [from_dict(r) for r in rows]
    encoder = shared_encoder()
    tagger = Tagger(encoder=encoder)
    _ = tagger.model
    base = peak_rss_mb()
    t0 = time.perf_counter()
    result = mine(statements, encoder=encoder, tagger=tagger)
    total = time.perf_counter() - t0
    peak = peak_rss_mb()
    from sklearn.metrics import adjusted_rand_score

    labels = list(range(-1, -n - 1, -1))
    for c in result.clusters:
        for m in c["members"]:
            labels[m] = c["id"]
    print(json.dumps({
        "n": n, "total": total, "timings": result.timings, "peak_mb": peak, "base_mb": base,
        "clusters": len(result.clusters), "unclustered": len(result.unclustered), "copies": len(result.copies),
        "encoder_loaded": encoder._model is not None,
        "ari": adjusted_rand_score([r["gold"] for r in rows], labels),
    }))


def main(n_max: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="pbm-mine-scale-"))
    config.MODELS_DIR = tmp / "models"
    config.CACHE_DIR = CACHE
    from pbm_nlp.features.encoder import Encoder
    from pbm_nlp.mine.features import statement_features
    from pbm_nlp.pipeline import ingest_paths, load_annotations
    from pbm_nlp.store import Store
    from pbm_nlp.themes.tagger import TaggerConfig
    from pbm_nlp.themes.training import train_tagger

    encoder = Encoder(cache_dir=CACHE)
    t0 = time.perf_counter()
    with Store(tmp / "pbm.db") as store:
        ingest_paths([config.SEEDS_DIR], store)
        load_annotations(store)
        train_tagger(store, encoder=encoder, config=TaggerConfig())
        rows = store.annotations("train")
    print(f"tagger trained on {len(rows)} statements ({time.perf_counter() - t0:.0f} s); cache: {CACHE}")
    data = recombine(rows, n_max)
    path = tmp / "statements.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in data), encoding="utf-8")

    t0 = time.perf_counter()
    last = [0.0]

    def progress(done: int, todo: int) -> None:
        if time.perf_counter() - last[0] > 30:
            last[0] = time.perf_counter()
            print(f"  warming: {done}/{todo} new texts embedded", flush=True)

    encoder.encode([r["text"] for r in data], progress=progress)
    statement_features([r["text"] for r in data], encoder)  # headings and the domain reference too
    print(f"warming the encoder cache for {n_max} statements: {time.perf_counter() - t0:.0f} s "
          "(not part of the timings below)\n")

    sizes = [s for s in (2500, 5000, 10000, 20000) if s < n_max] + [n_max]
    results = []
    env = dict(os.environ, PBM_MODELS=str(config.MODELS_DIR))
    for n in sizes:
        out = subprocess.run([sys.executable, __file__, "--child", str(path), str(n)], env=env, check=True,
                             capture_output=True, text=True)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        r = results[-1]
        print(f"  {n:>6} statements: {r['total']:.1f} s", flush=True)

    print(f"\n{'n':>7}{'total s':>9}{'cluster s':>10}{'tag s':>7}{'feat s':>8}{'descr s':>8}{'copies s':>9}"
          f"{'peak MB':>9}{'(base)':>8}{'clusters':>9}{'unclust':>8}{'copies':>7}{'ARI':>6}")
    for r in results:
        t = r["timings"]
        print(f"{r['n']:>7}{r['total']:>9.1f}{t['cluster']:>10.1f}{t.get('tag', 0):>7.1f}{t['features']:>8.1f}"
              f"{t['describe']:>8.1f}{t['copies']:>9.1f}{r['peak_mb']:>9.0f}{r['base_mb']:>8.0f}"
              f"{r['clusters']:>9}{r['unclustered']:>8}{r['copies']:>7}{r['ari']:>6.2f}")
    first, last_r = results[0], results[-1]
    f = last_r["n"] / first["n"]
    print(f"\ngrowth {first['n']} → {last_r['n']} ({f:.0f}x the statements): total time "
          f"{last_r['total'] / first['total']:.1f}x, clustering {last_r['timings']['cluster'] / max(first['timings']['cluster'], 1e-9):.1f}x, "
          f"peak memory above the loaded baseline {(last_r['peak_mb'] - last_r['base_mb']) / max(first['peak_mb'] - first['base_mb'], 1):.1f}x "
          f"(linear would be {f:.0f}x, quadratic {f * f:.0f}x)")
    ok_t, ok_m = last_r["total"] < 60, last_r["peak_mb"] < 2048
    print(f"{last_r['n']} statements: {last_r['total']:.1f} s ({'<' if ok_t else '>='} 60 s), peak RSS "
          f"{last_r['peak_mb']:.0f} MB ({'<' if ok_m else '>='} 2 GB); encoder model loaded while timing: "
          f"{any(r['encoder_loaded'] for r in results)}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
