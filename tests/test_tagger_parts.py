"""The tagger's dense views on a small corpus with the hashing encoder (fast tier): several views,
their persistence and their checks."""
from __future__ import annotations

import numpy as np
import pytest

from pbm_nlp.features.hashing import HashingEncoder
from pbm_nlp.themes.tagger import TaggerConfig, ThemeTagger
from pbm_nlp.themes.taxonomy import load_themes

from .conftest import small_corpus


@pytest.fixture(scope="module")
def two_view_tagger():
    themes = load_themes()
    rows = small_corpus(8)
    tagger = ThemeTagger([t.id for t in themes], encoder=HashingEncoder(),
                         config=TaggerConfig(dense_views=("mask", "mask_clause"), inner_folds=3),
                         prototypes={t.id: t.prototype_text() for t in themes})
    return tagger.fit([r["text"] for r in rows], [r["themes"] for r in rows])


def test_two_dense_views_are_read_and_survive_save_and_load(two_view_tagger, tmp_path):
    text = "审计发现，该县项目验收资料缺失，部分设备未经验收即投入使用。"
    one = ThemeTagger(two_view_tagger.labels, encoder=HashingEncoder(), config=TaggerConfig(dense_views=("mask",)))
    assert not np.allclose(two_view_tagger._embed([text]), one._embed([text]))  # the clause counts
    assert np.isclose(np.linalg.norm(two_view_tagger._embed([text])), 1.0)
    two_view_tagger.save(tmp_path / "m")
    again = ThemeTagger.load(tmp_path / "m", encoder=HashingEncoder())
    assert again.config.dense_views == ("mask", "mask_clause")
    texts = [text, "供应商服务质量缺乏考核"]
    assert np.allclose(two_view_tagger.predict_proba(texts), again.predict_proba(texts), atol=1e-6)


def test_config_checks_dense_views():
    with pytest.raises(ValueError, match="views"):
        TaggerConfig(dense_views=("mask", "no_such_view"))
    with pytest.raises(ValueError, match="views"):
        TaggerConfig(dense_views=())
    # a format-2 model saved one dense view under its old name
    assert TaggerConfig.from_dict({"dense_view": "raw"}).dense_views == ("raw",)


def test_prepare_retrains_a_model_saved_in_an_older_format(tmp_res):
    """`pbm prepare` (services.training.encoder_changed) retrains instead of stopping the app with
    a "model format … retrain" error."""
    import json

    from pbm_nlp.services.training import encoder_changed
    from pbm_nlp.themes.training import train_tagger

    assert "训练" in encoder_changed(tmp_res)  # no model yet
    with tmp_res.store() as store:
        store.upsert_annotations(small_corpus(6))
        train_tagger(store, tmp_res.registry, encoder=tmp_res.encoder, config=TaggerConfig(inner_folds=3))
    assert encoder_changed(tmp_res) is None
    meta_path = tmp_res.registry.active_dir() / "tagger.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta_path.write_text(json.dumps(meta | {"format_version": 1}), encoding="utf-8")
    assert "format" in encoder_changed(tmp_res)
