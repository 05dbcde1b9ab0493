"""Issue-mining quality: do the clusters agree with the gold problem themes?

On the dev set (corpora/dev/themes_dev.jsonl, written separately and never trained or tuned on),
each statement's gold class is its first-listed theme. Compared in the same run:
  - ours: `mine()` with its defaults (heading + text embeddings + tagger theme scores, average
    linkage cut at a similarity threshold: the number of clusters is found, not given);
  - ours without the tagger (`use_themes=False`: embeddings alone);
  - baseline: TF-IDF over jieba words + k-means given the true number of themes;
  - reference: m3e embeddings + k-means given the true k, and the tagger's top theme.
Unclustered statements count as singletons (strict), so leaving things out is not free.
The tagger is trained from scratch on the training corpus into a temporary folder.

Run: .venv/bin/python benchmarks/mine_quality.py
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pbm_nlp import config


def as_labels(n: int, clusters: list[dict]) -> list[int]:
    """Cluster ids per statement; each unclustered statement its own singleton."""
    labels = list(range(-1, -n - 1, -1))
    for c in clusters:
        for m in c["members"]:
            labels[m] = c["id"]
    return labels


def main() -> None:
    import numpy as np
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    tmp = Path(tempfile.mkdtemp(prefix="pbm-mine-quality-"))
    config.MODELS_DIR = tmp / "models"
    from pbm_nlp.features.encoder import shared_encoder
    from pbm_nlp.mine.miner import mine
    from pbm_nlp.pipeline import ingest_paths, load_annotations
    from pbm_nlp.store import Store
    from pbm_nlp.text.tokenize import words
    from pbm_nlp.themes.service import Tagger
    from pbm_nlp.themes.tagger import TaggerConfig
    from pbm_nlp.themes.training import train_tagger

    encoder = shared_encoder()
    with Store(tmp / "pbm.db") as store:
        ingest_paths([config.SEEDS_DIR], store)
        load_annotations(store)
        metrics = train_tagger(store, encoder=encoder, config=TaggerConfig())
        dev = [r for r in store.annotations("dev") if r["themes"]]
    if not dev:
        sys.exit("no dev set: corpora/dev/themes_dev.jsonl is missing or empty")
    texts = [r["text"] for r in dev]
    gold = [r["themes"][0] for r in dev]
    k = len(set(gold))
    print(f"dev set: {len(dev)} statements with a theme, {k} gold themes; tagger trained on "
          f"{metrics['n_train']} statements")

    rows = []

    def score(name: str, labels, n_clusters: int, unclustered: int = 0, seconds: float = 0.0) -> None:
        rows.append((name, adjusted_rand_score(gold, labels), normalized_mutual_info_score(gold, labels),
                     n_clusters, unclustered, seconds))

    tagger = Tagger(encoder=encoder)
    for name, use_themes in (("ours (embeddings + themes)", True), ("ours, no tagger", False)):
        t0 = time.perf_counter()
        result = mine(texts, encoder=encoder, tagger=tagger, use_themes=use_themes)
        score(name, as_labels(len(texts), result.clusters), len(result.clusters), len(result.unclustered),
              time.perf_counter() - t0)
    t0 = time.perf_counter()
    tfidf = TfidfVectorizer(tokenizer=words, token_pattern=None, sublinear_tf=True).fit_transform(texts)
    score("baseline TF-IDF + k-means (true k)", KMeans(k, n_init=10, random_state=0).fit_predict(tfidf), k,
          seconds=time.perf_counter() - t0)
    emb = encoder.encode(texts)
    score("ref: m3e + k-means (true k)", KMeans(k, n_init=10, random_state=0).fit_predict(emb), k)
    top = [max(r["scores"], key=r["scores"].get) for r in tagger.tag(texts, evidence=False)]
    score("ref: tagger's top theme", top, len(set(top)))

    print(f"\n{'method':<38}{'ARI':>7}{'NMI':>7}{'clusters':>10}{'unclust.':>10}{'time s':>8}")
    for name, ari, nmi, n, u, s in rows:
        print(f"{name:<38}{ari:>7.3f}{nmi:>7.3f}{n:>10}{u:>10}{s:>8.1f}")
    ours, base = rows[0], rows[2]
    print(f"\nours vs baseline: ARI {ours[1]:.3f} vs {base[1]:.3f} ({ours[1] / max(base[1], 1e-9):.1f}x), "
          f"NMI {ours[2]:.3f} vs {base[2]:.3f}; ours found {ours[3]} clusters without being told k={k}")
    chance = np.mean([adjusted_rand_score(gold, np.random.RandomState(s).permutation(gold)) for s in range(5)])
    print(f"(ARI of a shuffled labelling: {chance:.3f})")


if __name__ == "__main__":
    main()
