"""Tagging throughput: 10,000 statements through the sparse path, the full tagger (cold and warm
encoder cache), plain jieba.lcut over the same texts (the floor for any jieba tagger), and
realtext (masking + problem clause, the part mining runs over every statement). Also times
training from scratch.

Run: .venv/bin/python benchmarks/tag_throughput.py   (temporary store, models folder and cache)
Other helpers may share the CPU: the load average is printed beside the figures.
"""
from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def make_statements(texts: list[str], n: int, seed: int = 0) -> list[str]:
    """Recombine sentences of the corpus into n distinct statements."""
    rng = random.Random(seed)
    pieces = [s for t in texts for s in t.replace("；", "。").split("。") if len(s) > 6]
    return [("。".join(rng.sample(pieces, rng.randint(1, 3))) + f"（{i}）") for i in range(n)]


def rate(n: int, fn) -> float:
    t0 = time.perf_counter()
    fn()
    return n / (time.perf_counter() - t0)


def main(n: int = 10_000) -> None:
    from pbm_nlp import services
    from pbm_nlp.config import Settings
    from pbm_nlp.resources import Resources
    from pbm_nlp.services.schema import IngestRequest, TrainRequest
    from pbm_nlp.text.realtext import mask_clause, mask_context
    from pbm_nlp.text.tokenize import tokenizer

    tmp = Path(tempfile.mkdtemp(prefix="pbm-bench-"))
    res = Resources(Settings.from_env(db=tmp / "pbm.db", models=tmp / "models", cache=tmp / "cache"))
    services.ingest.ingest(res, IngestRequest([res.settings.corpora / "seeds"]))
    print(f"load average at start: {os.getloadavg()[0]:.2f} (2 cores)")
    t0 = time.perf_counter()
    metrics = services.training.train_tagger(res, TrainRequest()).metrics
    train_cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    services.training.train_tagger(res, TrainRequest())
    train_warm = time.perf_counter() - t0
    print(f"training from scratch on {metrics['n_train']} statements: {train_cold:.1f} s "
          f"(cold encoder cache, incl. model load), {train_warm:.1f} s (warm cache; fit alone "
          f"{metrics['fit_seconds']} s)")

    model = res.tagger.model
    with res.store() as store:
        statements = make_statements([r["text"] for r in store.annotations("train")], n)
    tok = tokenizer()
    mask_clause("预热")  # lexicons and dictionary load once
    jieba_rate = rate(n, lambda: [tok.lcut(s) for s in statements])
    real_rate = rate(n, lambda: [mask_clause(s) for s in statements])
    mask_context.cache_clear()  # the realtext timing above must not warm the sparse path's masks
    sparse_rate = rate(n, lambda: model.sparse_.proba(model.featurizer_.transform(statements)))
    sub = statements[:2000]
    cold_rate = rate(len(sub), lambda: model.tag(sub, evidence=False))
    for i in range(0, n, 500):  # the rest of the cache
        model.tag(statements[i:i + 500], evidence=False)
    warm_rate = rate(n, lambda: [model.tag(statements[i:i + 500], evidence=False) for i in range(0, n, 500)])
    print(f"statements: {n}")
    print(f"realtext (mask + clause): {real_rate:8.0f} statements/s")
    print(f"jieba.lcut only:          {jieba_rate:8.0f} statements/s")
    print(f"sparse path:              {sparse_rate:8.0f} statements/s  (two views: masked text and clause)")
    print(f"full tagger, cold cache:  {cold_rate:8.0f} statements/s  (first {len(sub)}; encoder runs)")
    print(f"full tagger, warm cache:  {warm_rate:8.0f} statements/s")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
