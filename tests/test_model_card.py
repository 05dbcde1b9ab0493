"""The model card shows cross-validation figures only when they were measured on the model's own
training data (issue 10, bug 3: `pbm evaluate` wrote models/evaluation.json without a data hash, so a
card could show the figures of another corpus)."""
from __future__ import annotations

import json

from pbm_nlp.themes.taxonomy import load_themes
from pbm_nlp.themes.training import model_card


def _evaluation(data_hash: str) -> dict:
    report = {"macro_f1": 0.123, "macro_f1_min3": 0.456, "micro_f1": 0.789}
    return {"data_hash": data_hash, "created": "2026-01-01 00:00:00",
            "cross_validation": {"scheme": "2x repeated 5-fold", "n": 999, **{
                m: {"problem_mode_real": report, "problem_mode_authored": report}
                for m in ("tagger", "tfidf_logreg", "keyword_rules")}}}


def test_card_uses_evaluation_figures_only_for_the_same_training_data(fast_res):
    folder = fast_res.registry.active_dir()
    metrics = json.loads((folder / "metrics.json").read_text())
    with fast_res.store() as store:
        rows = store.annotations("train")
    root = fast_res.registry.root
    (root / "evaluation.json").write_text(json.dumps(_evaluation("0123456789abcdef")))
    foreign = model_card(metrics, load_themes(), rows, root)
    assert "0.456" not in foreign and "other training data" in foreign
    (root / "evaluation.json").write_text(json.dumps(_evaluation(metrics["data_hash"])))
    own = model_card(metrics, load_themes(), rows, root)
    assert "| tagger | 0.456 | 0.789 | 0.123 |" in own
