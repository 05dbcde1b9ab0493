"""Tagging throughput: 10,000 statements through the sparse path, the full tagger (cold and
warm encoder cache), and plain jieba.lcut over the same texts (the floor for any jieba tagger).
Also times training from scratch.

Run: .venv/bin/python benchmarks/tag_throughput.py   (uses a temporary models folder and cache)
"""
from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pbm_nlp import config


def make_statements(texts: list[str], n: int, seed: int = 0) -> list[str]:
    """Recombine sentences of the corpus into n distinct statements."""
    rng = random.Random(seed)
    pieces = [s for t in texts for s in t.replace("；", "。").split("。") if len(s) > 6]
    return [("。".join(rng.sample(pieces, rng.randint(1, 3))) + f"（{i}）") for i in range(n)]


def main(n: int = 10_000) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="pbm-bench-"))
    config.MODELS_DIR = tmp / "models"
    config.CACHE_DIR = tmp / "cache"
    from pbm_nlp.features.encoder import Encoder
    from pbm_nlp.pipeline import ingest_paths, load_annotations
    from pbm_nlp.store import Store
    from pbm_nlp.text.tokenize import tokenizer
    from pbm_nlp.themes.tagger import TaggerConfig
    from pbm_nlp.themes.training import train_tagger

    encoder = Encoder(cache_dir=config.CACHE_DIR)
    with Store(tmp / "pbm.db") as store:
        ingest_paths([config.SEEDS_DIR], store)
        load_annotations(store)
        texts = [r["text"] for r in store.annotations("train")]
        t0 = time.perf_counter()
        metrics = train_tagger(store, encoder=encoder, config=TaggerConfig())
        train_cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        train_tagger(store, encoder=encoder, config=TaggerConfig())
        train_warm = time.perf_counter() - t0
    print(f"training from scratch on {metrics['n_train']} statements: {train_cold:.1f} s "
          f"(cold encoder cache, incl. model load), {train_warm:.1f} s (warm cache)")

    from pbm_nlp.themes.service import Tagger

    model = Tagger(encoder=encoder).model
    statements = make_statements(texts, n)
    tok = tokenizer()
    t0 = time.perf_counter()
    for s in statements:
        tok.lcut(s)
    jieba_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    X = model.featurizer_.transform(statements)
    model.sparse_.proba(X)
    sparse_s = time.perf_counter() - t0

    sub = statements[:2000]
    t0 = time.perf_counter()
    model.tag(sub, evidence=False)
    full_cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    for i in range(0, n, 500):
        model.tag(statements[i:i + 500], evidence=False)
    full_mixed = time.perf_counter() - t0  # first 2,000 warm, the rest cold
    t0 = time.perf_counter()
    for i in range(0, n, 500):
        model.tag(statements[i:i + 500], evidence=False)
    full_warm = time.perf_counter() - t0

    print(f"statements: {n}")
    print(f"jieba.lcut only:        {n / jieba_s:8.0f} statements/s")
    print(f"sparse path:            {n / sparse_s:8.0f} statements/s  ({sparse_s / jieba_s:.2f}x the jieba time)")
    print(f"full tagger, cold cache:{len(sub) / full_cold:8.0f} statements/s  (first {len(sub)}; encoder runs)")
    print(f"full tagger, warm cache:{n / full_warm:8.0f} statements/s  ({full_warm / jieba_s:.2f}x the jieba time)")
    print(f"(full pass with {n - len(sub)} cold statements: {full_mixed:.1f} s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
