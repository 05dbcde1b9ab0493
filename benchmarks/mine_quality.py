"""Issue-mining quality on real statements: do the clusters agree with the gold problem themes, and
do their labels and keywords name problems rather than places, organisations or figures?

Data (each statement's gold class is its theme; only single-theme problem statements are mined):
- real train: corpora/annotations/real_train.jsonl (the real training statements); the tagger's
  scores for them are out-of-fold — 5 folds by source document, the tagger retrained on its
  corpus minus the held-out documents' statements — so that mining sees what it would see on a
  new document. Thresholds are tuned here (``--tune``: a grid, and a cross-validated check that
  picks the settings on four folds and scores the fifth);
- real dev: corpora/dev/real_dev.jsonl (18 other documents), with the tagger trained on its
  whole corpus; reported once, never tuned on;
- authored dev: corpora/dev/themes_dev.jsonl (the older, separately written set).
The tagger is trained as `pbm train` does (its corpus: corpora/annotations, which includes the
real training statements once they are part of it); mining uses the tagger's themes as features,
so these figures move with the tagger.

Scores: ARI and NMI against the gold themes with every unclustered statement its own singleton
(strict: leaving statements out is not free), and — for comparison — with the unclustered as
one group; the unclustered share; and a check of every cluster label and top-5 keyword against
the statements' own metadata (region, unit, finder, project names) and for figures and units.
Compared: ours (defaults), ours without the tagger, TF-IDF + k-means given the true k, and the
tagger's top theme.

Run: .venv/bin/python benchmarks/mine_quality.py [--tune] [--train F] [--dev F]
"""
from __future__ import annotations

import argparse
import itertools
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from pbm_nlp import config

TRAIN = config.ANNOTATIONS_DIR / "real_train.jsonl"
DEV = config.CORPORA_DIR / "dev" / "real_dev.jsonl"
AUTHORED_DEV = config.CORPORA_DIR / "dev" / "themes_dev.jsonl"
CONTEXT = ("text", "project", "year", "unit", "region", "finder", "source", "title", "doc_type")
GRID = {"min_similarity": (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45), "theme_weight": (0.5, 0.75, 1.0, 1.5),
        "join_ratio": (0.4, 0.6, 0.8, 1.0)}


# ---- tagger --------------------------------------------------------------------------------

def corpus_rows() -> list[dict]:
    from pbm_nlp.themes.corpus import read_jsonl

    return [r for p in sorted(config.ANNOTATIONS_DIR.glob("*.jsonl")) for r in read_jsonl(p)]


def fit_tagger(rows: list[dict], encoder):
    """The tagger as `pbm train` fits it (its folds keep a document's statements together)."""
    from pbm_nlp.themes.corpus import document_groups
    from pbm_nlp.themes.tagger import TaggerConfig, ThemeTagger
    from pbm_nlp.themes.taxonomy import load_themes

    themes = load_themes()
    tagger = ThemeTagger([t.id for t in themes], encoder=encoder, config=TaggerConfig(),
                         prototypes={t.id: t.prototype_text() for t in themes})
    return tagger.fit([r["text"] for r in rows], [r.get("themes", []) for r in rows],
                      groups=document_groups([r.get("source") for r in rows]))


def tags_of(tagger, texts: list[str]) -> list[dict]:
    return [{"themes": r["themes"], "scores": r["scores"]} for r in tagger.tag(texts, evidence=False)]


def out_of_fold_tags(train: list[dict], corpus: list[dict], encoder, folds: int = 5) -> list[dict]:
    """Tags of the train statements from taggers that never saw their source document."""
    from sklearn.model_selection import GroupKFold

    tags: list[dict | None] = [None] * len(train)
    groups = [r.get("source") or r["text"] for r in train]
    for k, (_, held) in enumerate(GroupKFold(folds).split(train, groups=groups)):
        out = {train[i]["text"] for i in held}
        tagger = fit_tagger([r for r in corpus if r["text"] not in out], encoder)
        for i, t in zip(held, tags_of(tagger, [train[i]["text"] for i in held])):
            tags[i] = t
        print(f"  fold {k + 1}/{folds}: tagger trained without {len(held)} statements' documents", flush=True)
    return tags  # type: ignore[return-value]


# ---- scoring -------------------------------------------------------------------------------

def as_labels(n: int, clusters: list[dict], singletons: bool = True) -> list[int]:
    labels = list(range(-1, -n - 1, -1)) if singletons else [-1] * n
    for c in clusters:
        for m in c["members"]:
            labels[m] = c["id"]
    return labels


def scores(gold: list[str], result) -> dict:
    from sklearn.metrics import adjusted_rand_score as ari
    from sklearn.metrics import normalized_mutual_info_score as nmi

    n = len(gold)
    strict, grouped = as_labels(n, result.clusters), as_labels(n, result.clusters, singletons=False)
    return {"ari": ari(gold, strict), "nmi": nmi(gold, strict), "ari_group": ari(gold, grouped),
            "nmi_group": nmi(gold, grouped), "unclustered": len(result.unclustered) / n,
            "clusters": len(result.clusters)}


_DIGIT = re.compile(r"[0-9０-９]|[一二三四五六七八九十百千万两几]+(?:个|名|家|所|项|条|笔|批|年|万|亿)")


def name_parts(statements) -> set[str]:
    """Proper-name pieces of the statements' own metadata: region components (陕西省安康市 → 陕西,
    安康) and the rare words of unit, finder and project names."""
    from pbm_nlp.mine.keywords import domain_words
    from pbm_nlp.text.tokenize import words

    general = domain_words()
    parts: set[str] = set()
    for s in statements:
        for piece in re.split(r"省|市|自治区|自治州|自治县|县|区|州|盟|旗|镇|乡|村|（|）|\(|\)", s.region or ""):
            if len(piece) >= 2:
                parts.add(piece)
        for name in (s.unit, s.finder, s.project):
            parts |= {w for w in words(name or "") if len(w) >= 2 and w not in general}
    return parts


def naming_faults(result) -> list[str]:
    """Labels and top-5 keywords that carry a figure, a unit or a piece of the members' own names."""
    from pbm_nlp.drafting.measure import unit_family
    from pbm_nlp.lexicon import load_lexicon

    meta = load_lexicon("mining").words("meta_phrases")
    parts = name_parts(result.statements)
    faults = []
    for c in result.clusters:
        for what, phrase in [("label", c["label"])] + [("keyword", k) for k in c["keywords"][:5]]:
            why = ("figure" if _DIGIT.search(phrase) else "unit" if unit_family(phrase) else
                   "meta" if any(m in phrase for m in meta) else
                   "name " + next((p for p in parts if p in phrase), "") if any(p in phrase for p in parts) else "")
            if why:
                faults.append(f"cluster {c['id']} {what} {phrase!r}: {why}")
    return faults


# ---- runs ----------------------------------------------------------------------------------

def single_theme(rows: list[dict]) -> list[dict]:
    return [r for r in rows if len(r.get("themes") or []) == 1]


def mine_rows(rows: list[dict], tags: list[dict] | None, encoder, **cfg):
    from pbm_nlp.mine.miner import MinerConfig, mine

    statements = [{k: r.get(k) for k in CONTEXT if r.get(k) is not None} for r in rows]
    return mine(statements, encoder=encoder, tags=tags, use_themes=tags is not None,
                config=MinerConfig(copies=False, **cfg))


def show(name: str, s: dict, faults: list[str] | None = None) -> None:
    extra = "" if faults is None else f"{len(faults):>8}"
    print(f"{name:<44}{s['ari']:>6.3f}{s['nmi']:>6.3f}{s['ari_group']:>7.3f}{s['nmi_group']:>7.3f}"
          f"{s['unclustered']:>8.0%}{s['clusters']:>9}{extra}")


def header() -> None:
    print(f"\n{'run':<44}{'ARI':>6}{'NMI':>6}{'ARI-g':>7}{'NMI-g':>7}{'unclust':>8}{'clusters':>9}{'naming':>8}")


def tune(rows: list[dict], tags: list[dict], encoder) -> dict:
    """The grid on all train statements, then settings picked on four folds and scored on the fifth."""
    from sklearn.model_selection import GroupKFold

    gold = [r["themes"][0] for r in rows]
    combos = [dict(zip(GRID, v)) for v in itertools.product(*GRID.values())]

    def graded(idx: list[int]) -> list[tuple[float, dict, dict]]:
        out = []
        for cfg in combos:
            s = scores([gold[i] for i in idx], mine_rows([rows[i] for i in idx], [tags[i] for i in idx], encoder, **cfg))
            out.append((s["ari"] if s["unclustered"] <= 0.15 else -1.0, cfg, s))
        return sorted(out, key=lambda t: -t[0])

    def best(idx: list[int]) -> dict:
        return graded(idx)[0][1]

    table = graded(list(range(len(rows))))
    print("\ngrid on all real train statements (best 10; ARI only counts with ≤ 15% unclustered):")
    for _, cfg, s in table[:10]:
        print(f"  {cfg}: ARI {s['ari']:.3f} NMI {s['nmi']:.3f} unclustered {s['unclustered']:.0%} "
              f"clusters {s['clusters']}")
    chosen = table[0][1]
    print(f"chosen on all real train statements: {chosen}")
    held_scores = []
    for _, held in GroupKFold(5).split(rows, groups=[r.get("source") or r["text"] for r in rows]):
        cfg = best([i for i in range(len(rows)) if i not in set(held)])
        s = scores([gold[i] for i in held], mine_rows([rows[i] for i in held], [tags[i] for i in held], encoder, **cfg))
        held_scores.append(s)
        print(f"  fold: picked {cfg} → held-out ARI {s['ari']:.3f} NMI {s['nmi']:.3f} "
              f"unclustered {s['unclustered']:.0%}")
    print(f"cross-validated (settings never chosen on the fold they score): ARI "
          f"{np.mean([s['ari'] for s in held_scores]):.3f}, NMI {np.mean([s['nmi'] for s in held_scores]):.3f}")
    return chosen


def references(name: str, rows: list[dict], tags: list[dict], encoder) -> None:
    """Baselines on the same statements: TF-IDF + k-means (true k), the tagger's top theme."""
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import adjusted_rand_score as ari
    from sklearn.metrics import normalized_mutual_info_score as nmi

    from pbm_nlp.text.tokenize import words

    gold = [r["themes"][0] for r in rows]
    k = len(set(gold))
    tfidf = TfidfVectorizer(tokenizer=words, token_pattern=None, sublinear_tf=True).fit_transform(
        [r["text"] for r in rows])
    km = KMeans(k, n_init=10, random_state=0).fit_predict(tfidf)
    top = [max(t["scores"], key=t["scores"].get) for t in tags]
    for ref, labels in ((f"{name}: TF-IDF + k-means (true k={k})", km), (f"{name}: tagger's top theme", top)):
        s = {"ari": ari(gold, labels), "nmi": nmi(gold, labels), "ari_group": ari(gold, labels),
             "nmi_group": nmi(gold, labels), "unclustered": 0.0, "clusters": len(set(labels))}
        show(ref, s)


def evaluate(name: str, rows: list[dict], tags: list[dict], encoder) -> None:
    gold = [r["themes"][0] for r in rows]
    result = mine_rows(rows, tags, encoder)
    faults = naming_faults(result)
    show(f"{name}: ours", scores(gold, result), faults)
    show(f"{name}: ours, no tagger", scores(gold, mine_rows(rows, None, encoder)), [])
    references(name, rows, tags, encoder)
    for f in faults:
        print(f"    naming fault: {f}")
    for c in result.clusters:
        print(f"    [{c['id']:>2}] {c['size']:>3} {c['label']:<18} {'、'.join(c['keywords'][:5])}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--train", type=Path, default=TRAIN)
    ap.add_argument("--dev", type=Path, default=DEV)
    ap.add_argument("--tune", action="store_true", help="grid and cross-validated choice on the train statements")
    args = ap.parse_args()
    from pbm_nlp.features.encoder import Encoder
    from pbm_nlp.themes.corpus import read_jsonl

    config.MODELS_DIR = Path(tempfile.mkdtemp(prefix="pbm-mine-quality-"))
    encoder = Encoder(cache_dir=config.CACHE_DIR)
    train = [r for r in read_jsonl(args.train) if r.get("themes") is not None]
    corpus = corpus_rows()
    have = {r["text"] for r in corpus}
    corpus += [r for r in train if r["text"] not in have and r.get("themes")]
    print(f"tagger corpus: {len(corpus)} statements (corpora/annotations and the real train statements)")
    print("real train: out-of-fold tags")
    oof = out_of_fold_tags(train, corpus, encoder)
    keep = [i for i, r in enumerate(train) if len(r.get("themes") or []) == 1]
    train1, oof1 = [train[i] for i in keep], [oof[i] for i in keep]
    if args.tune:
        tune(train1, oof1, encoder)
    tagger = fit_tagger(corpus, encoder)
    header()
    evaluate(f"real train ({len(train1)}, OOF tags)", train1, oof1, encoder)
    if args.dev.is_file():
        dev = single_theme(read_jsonl(args.dev))
        evaluate(f"real dev ({len(dev)})", dev, tags_of(tagger, [r["text"] for r in dev]), encoder)
    authored = single_theme(read_jsonl(AUTHORED_DEV))
    evaluate(f"authored dev ({len(authored)})", authored, tags_of(tagger, [r["text"] for r in authored]), encoder)


if __name__ == "__main__":
    main()
