"""Issue-mining scale: 2,500 → 20,000 → 100,000 statements mined with warm embeddings and stored
tags (what re-mining a large store costs); time and peak memory per size, and the growth.

The statements are recombined from the labelled corpus and the real demo corpus: a statement's
first sentence plus 0–2 sentences from statements of the same theme, grouped into evaluations
of three with synthetic projects, units, regions and years. Prepared once, not timed:
- embeddings: m3e-small embeds every distinct sentence's mining text once (a few minutes); a
  statement's vector is the normalised mean of its sentences' vectors, as the encoder itself
  averages the windows of a long text. Encoding 200,000 statement texts outright would take
  about two hours on this machine's two shared cores, and the timing of mining with precomputed
  embeddings does not depend on how they were computed;
- tags: a sparse-only theme tagger (TaggerConfig(use_dense=False): the dense part would need
  those encodings again) trained on the corpus tags every statement once; its seconds are shown.
Each size is then mined in a fresh process (so peak RSS is that size's own) with
``mine(statements, encoder=…, embeddings=E, tags=T)``: the encoder model is never loaded (the
check is printed) and no statement is tagged again.

Run: .venv/bin/python benchmarks/mine_scale.py [N]     (N defaults to 100000)
Data and tags are kept in $PBM_BENCH_CACHE (default /tmp/pbm-mine-scale-cache) for later runs.
"""
from __future__ import annotations

import itertools
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
REGIONS = ("甲省乙市", "丙省丁县", "戊市己区", "庚省辛县", "壬市癸区")


def sentences(text: str) -> list[str]:
    return [s for s in _SENT.split(text) if len(s.strip()) > 6]


def source_rows() -> list[dict]:
    """Labelled corpus rows and the demo corpus's real problems (theme unknown: "none")."""
    from pbm_nlp.mine.records import from_evaluations
    from pbm_nlp.themes.corpus import read_jsonl

    rows = [r for p in sorted(config.ANNOTATIONS_DIR.glob("*.jsonl")) for r in read_jsonl(p)]
    demo = config.CORPORA_DIR / "demo" / "real_evaluations.jsonl"
    rows += [{"text": s.text, "themes": []} for s in from_evaluations(read_jsonl(demo))]
    return [r for r in rows if sentences(r["text"])]


def recombine(rows: list[dict], n: int, seed: int = 0) -> list[dict]:
    """n distinct statements with their sentences, in evaluations of three (synthetic context)."""
    rng = random.Random(seed)
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
        out.append({"text": text, "parts": parts, "project": f"示例项目{e % 900:03d}", "year": 2016 + e % 9,
                    "unit": f"示例单位{e % 60:02d}", "region": REGIONS[e % len(REGIONS)],
                    "evaluation": f"e{e}", "gold": theme})
    return out


def prepare(n_max: int) -> Path:
    """Statements, embeddings and tags for n_max statements in CACHE (reused when present)."""
    import numpy as np

    folder = CACHE / f"n{n_max}"
    if (folder / "tags.json").is_file():
        print(f"prepared data found in {folder}")
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    from pbm_nlp.features.encoder import Encoder
    from pbm_nlp.mine.features import domain_centre, statement_embeddings, unit_rows

    data = recombine(source_rows(), n_max)
    encoder = Encoder(cache_dir=CACHE)
    distinct = sorted({p for r in data for p in r["parts"]})
    t0 = time.perf_counter()
    vec = dict(zip(distinct, statement_embeddings(distinct, encoder)))
    domain_centre(encoder)  # the miner's reference sample, into the cache
    print(f"embedded {len(distinct)} distinct sentences in {time.perf_counter() - t0:.0f} s")
    E = unit_rows(np.stack([np.mean([vec[p] for p in r["parts"]], axis=0) for r in data]))
    np.save(folder / "embeddings.npy", E.astype(np.float32), allow_pickle=False)
    tags, seconds = tag_all([r["text"] for r in data])
    print(f"tagged {len(data)} statements (sparse-only tagger) in {seconds:.0f} s")
    with (folder / "statements.jsonl").open("w", encoding="utf-8") as fh:
        for r in data:
            fh.write(json.dumps({k: v for k, v in r.items() if k != "parts"}, ensure_ascii=False) + "\n")
    (folder / "tags.json").write_text(json.dumps(tags, ensure_ascii=False), encoding="utf-8")
    return folder


def tag_all(texts: list[str]) -> tuple[list[dict], float]:
    from pbm_nlp.themes.corpus import read_jsonl
    from pbm_nlp.themes.tagger import TaggerConfig, ThemeTagger
    from pbm_nlp.themes.taxonomy import load_themes

    themes = load_themes()
    rows = [r for p in sorted(config.ANNOTATIONS_DIR.glob("*.jsonl")) for r in read_jsonl(p)]
    tagger = ThemeTagger([t.id for t in themes], config=TaggerConfig(use_dense=False))
    tagger.fit([r["text"] for r in rows], [r.get("themes", []) for r in rows])
    t0 = time.perf_counter()
    out = []
    for start in range(0, len(texts), 2000):
        out += [{"themes": r["themes"], "scores": r["scores"]}
                for r in tagger.tag(texts[start:start + 2000], evidence=False)]
    return out, time.perf_counter() - t0


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss would include the parent's at exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(folder: str, n: int) -> None:
    """Mine the first n statements with their embeddings and tags; print one JSON line."""
    import numpy as np

    from pbm_nlp.features.encoder import Encoder
    from pbm_nlp.mine.miner import mine
    from pbm_nlp.mine.records import from_dict

    path = Path(folder)
    with (path / "statements.jsonl").open(encoding="utf-8") as fh:
        rows = [json.loads(next(fh)) for _ in range(n)]
    E = np.load(path / "embeddings.npy", mmap_mode="r")[:n]
    tags = json.loads((path / "tags.json").read_text(encoding="utf-8"))[:n]
    statements = [from_dict(r) for r in rows]
    encoder = Encoder(cache_dir=CACHE)
    base = peak_rss_mb()
    t0 = time.perf_counter()
    result = mine(statements, encoder=encoder, embeddings=np.asarray(E), tags=tags)
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


def report(results: list[dict]) -> None:
    print(f"\n{'n':>7}{'total s':>9}{'tag s':>7}{'feat s':>8}{'clust s':>8}{'descr s':>8}{'aggr s':>7}"
          f"{'copies s':>9}{'peak MB':>9}{'(base)':>8}{'clusters':>9}{'unclust':>8}{'copies':>7}{'ARI':>6}")
    for r in results:
        t = r["timings"]
        print(f"{r['n']:>7}{r['total']:>9.1f}{t['tag']:>7.1f}{t['features']:>8.1f}{t['cluster']:>8.1f}"
              f"{t['describe']:>8.1f}{t['aggregate']:>7.1f}{t['copies']:>9.1f}{r['peak_mb']:>9.0f}{r['base_mb']:>8.0f}"
              f"{r['clusters']:>9}{r['unclustered']:>8}{r['copies']:>7}{r['ari']:>6.2f}")
    for a, b in itertools.pairwise(results):
        f = b["n"] / a["n"]
        print(f"growth {a['n']} → {b['n']} ({f:.0f}x the statements): time {b['total'] / a['total']:.1f}x, "
              f"peak memory above the loaded baseline "
              f"{(b['peak_mb'] - b['base_mb']) / max(a['peak_mb'] - a['base_mb'], 1):.1f}x (linear {f:.0f}x)")
    last = results[-1]
    ok_t, ok_m = last["total"] < 120, last["peak_mb"] < 4096
    print(f"{last['n']} statements: {last['total']:.1f} s ({'<' if ok_t else '>='} 120 s), peak RSS "
          f"{last['peak_mb']:.0f} MB ({'<' if ok_m else '>='} 4 GB); encoder model loaded while timing: "
          f"{any(r['encoder_loaded'] for r in results)}")


def main(n_max: int) -> None:
    folder = prepare(n_max)
    sizes = [s for s in (2500, 20000) if s < n_max] + [n_max]
    results = []
    for n in sizes:
        out = subprocess.run([sys.executable, __file__, "--child", str(folder), str(n)], check=True,
                             capture_output=True, text=True)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(f"  {n:>6} statements: {results[-1]['total']:.1f} s", flush=True)
    report(results)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
