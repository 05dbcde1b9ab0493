"""The trainer loop learns from real documents: ingested problems enter the review queue first,
a trainer's label makes them training examples with their source, retraining picks them up."""
from __future__ import annotations

from pbm_nlp import config, services
from pbm_nlp.services.schema import IngestRequest
from pbm_nlp.themes.corpus import read_jsonl
from pbm_nlp.themes.review import PENDING, corpus_counts, correct_labels, review_queue
from pbm_nlp.themes.tagger import TaggerConfig
from pbm_nlp.themes.training import train_tagger

from .conftest import SEEDS, small_corpus


def test_ingested_real_problems_lead_the_queue_and_become_training_examples(tmp_res):
    services.ingest.ingest(tmp_res, IngestRequest([SEEDS]))
    with tmp_res.store() as store:
        real = read_jsonl(config.ANNOTATIONS_DIR / "real_train.jsonl")[:30]
        store.upsert_annotations(small_corpus() + real)
        first = train_tagger(store, tmp_res.registry, encoder=tmp_res.encoder, config=TaggerConfig())
        queue = review_queue(store, tmp_res.tagger, limit=500)
        pending = [q for q in queue if q["reason"].startswith("新导入")]
        assert len(pending) == len(store.problems()) > 0
        assert queue[:len(pending)] == pending  # ahead of every labelled example
        assert all(q["predicted"] for q in pending)  # problem mode: a suggestion to accept or correct
        sources = [q["source"] for q in queue[len(pending):]]
        real_end = max(i for i, s in enumerate(sources) if s.startswith(("real", "seed")))
        assert all(not s.startswith(("real", "seed")) for s in sources[real_end + 1:])  # real before authored
        assert corpus_counts(store)["pending"] == len(pending)

        item = pending[0]
        correct_labels(store, item["annotation_id"], item["predicted"][:1], reviewer="审阅员")
        row = store.annotation(item["annotation_id"])
        assert row["split"] == "train" and row["source"].startswith("real:") and row["labeled_by"] == "审阅员"
        assert item["annotation_id"] not in [q["annotation_id"] for q in review_queue(store, tmp_res.tagger, 500)]
        assert len(store.annotations(PENDING)) == len(pending) - 1
        second = train_tagger(store, tmp_res.registry, encoder=tmp_res.encoder, config=TaggerConfig())
    assert second["n_train"] == first["n_train"] + 1 and second["n_real"] == first["n_real"] + 1
