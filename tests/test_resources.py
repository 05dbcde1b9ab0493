"""Resources, the store's revision and the model registry: the bugs the service layer removed.

Fast tier: a real store, real training and inference, with the tiny hashing encoder (one test loads
m3e-small: marked slow).
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from pbm_nlp import services
from pbm_nlp.errors import PbmError
from pbm_nlp.features.encoder import fingerprint
from pbm_nlp.features.encoders import TextEncoder, make_encoder
from pbm_nlp.features.hashing import HashingEncoder
from pbm_nlp.resources import Resources
from pbm_nlp.services.access import PermissionDenied
from pbm_nlp.services.schema import Actor, IngestRequest, LabelEdit, TrainRequest

from .conftest import SEED_000, make_settings, small_corpus


def test_every_write_bumps_the_revision(tmp_res):
    with tmp_res.store() as store:
        r0 = store.revision()
    services.ingest.ingest(tmp_res, IngestRequest([SEED_000]))
    with tmp_res.store() as store:
        r1 = store.revision()
        store.upsert_annotations([{"id": "x", "text": "验收资料不完整", "themes": ["acceptance"]}])
        r2 = store.revision()
        (ann,) = store.annotations()
        store.set_themes(ann["id"], ["process_mgmt"], reviewer="t")
        r3 = store.revision()
        assert r0 < r1 < r2 < r3
        store.save_problem_tags("v1", [(1, ["acceptance"], {"acceptance": 0.9})])
        assert store.revision() == r3  # derived data does not invalidate what was built from the store


def test_relabel_rebuilds_the_drafting_context(fast_res):
    """Bug 1: the context was cached by table counts, so a relabel (same counts) kept old labels."""
    ctx = fast_res.drafting_context()
    assert fast_res.drafting_context() is ctx  # cached while nothing changes
    with fast_res.store() as store:
        ann = next(a for a in store.annotations("train") if a["themes"] == ["acceptance"])
    before = next(p for p in ctx.labelled_problems() if p.text == ann["text"])
    assert before.themes == ["acceptance"]
    try:
        services.review.relabel(fast_res, LabelEdit(ann["id"], ["staffing"], Actor.local("审阅员")))
        fresh = fast_res.drafting_context()
        assert fresh is not ctx
        after = next(p for p in fresh.labelled_problems() if p.text == ann["text"])
        assert after.themes == ["staffing"]
    finally:
        services.review.relabel(fast_res, LabelEdit(ann["id"], ["acceptance"], Actor.local("审阅员")))


def _train(res: Resources) -> str:
    from pbm_nlp.themes.tagger import TaggerConfig
    from pbm_nlp.themes.training import train_tagger

    with res.store() as store:
        return train_tagger(store, res.registry, encoder=None, config=TaggerConfig(use_dense=False))["version"]


def test_rollback_and_activate_update_the_store_too(tmp_path):
    """Bug 2: rollback rewrote models/active.json only; model_versions.active stayed wrong."""
    res = Resources(make_settings(tmp_path), encoder=HashingEncoder())
    with res.store() as store:
        store.upsert_annotations(small_corpus(6))
    first = _train(res)
    with res.store() as store:
        store.upsert_annotations([{"id": "extra-1", "text": "项目验收资料缺少验收报告。", "themes": ["acceptance"]}])
    second = _train(res)
    assert first != second
    with res.store() as store:
        assert store.active_model_version(res.registry.name) == second
    assert services.training.rollback(res) == first
    with res.store() as store:
        assert store.active_model_version(res.registry.name) == first
        # by name: two versions trained within one second may list in either order
        assert {v["version"]: v["active"] for v in store.model_versions(res.registry.name)} == {first: 1, second: 0}
    services.training.activate(res, second)
    with res.store() as store:
        assert store.active_model_version(res.registry.name) == second
    assert json.loads(res.registry.pointer.read_text())[res.registry.name] == second


def _fake_encoder_folder(root: Path, weights: bytes) -> Path:
    root.mkdir(parents=True)
    (root / "config.json").write_text('{"hidden_size": 8}')
    (root / "vocab.txt").write_text("[PAD]\n[UNK]\n")
    (root / "pytorch_model.bin").write_bytes(weights)
    (root / "README.md").write_text("docs do not count")
    return root


def test_encoder_identity_follows_the_weights_not_the_path(tmp_path):
    """Bug 4: the id was the sha1 of the install path, so new weights in place kept the old cache
    and did not retrain, while a moved checkout forced a retrain."""
    folder = _fake_encoder_folder(tmp_path / "enc", b"weights-v1")
    first = fingerprint(folder)
    moved = tmp_path / "elsewhere" / "enc"
    shutil.copytree(folder, moved)
    assert fingerprint(moved) == first
    (folder / "README.md").write_text("edited docs")
    assert fingerprint(folder) == first
    (folder / "pytorch_model.bin").write_bytes(b"weights-v2")
    assert fingerprint(folder) != first
    (folder / "pytorch_model.bin").write_bytes(b"weights-v1")
    (folder / "vocab.txt").write_text("[PAD]\n[UNK]\n[CLS]\n")
    assert fingerprint(folder) != first  # the tokenizer is part of the identity


def test_export_and_queue_need_their_roles(fast_res, tmp_path):
    """Bug 5: any drafter could download the labelled corpus with reviewer names."""
    drafter = Actor("ann", "drafter")
    with pytest.raises(PermissionDenied, match="trainer"):
        services.review.export_annotations(fast_res, tmp_path / "a.jsonl", actor=drafter)
    with pytest.raises(PermissionDenied, match="evaluator or trainer"):
        services.review.review_queue(fast_res, actor=drafter)
    with pytest.raises(PermissionDenied, match="permission denied"):
        services.training.rollback(fast_res, actor=Actor("eva", "evaluator"))
    text = services.review.export_annotations(fast_res, tmp_path / "a.jsonl", actor=Actor("tom", "trainer"))
    assert text.count("\n") > 50 and (tmp_path / "a.jsonl").exists()
    assert services.review.review_queue(fast_res, limit=5, actor=Actor("eva", "evaluator"))


def test_encoders_follow_the_protocol_and_the_settings(tmp_path):
    enc = make_encoder(make_settings(tmp_path, encoder_path="hashing"))
    assert isinstance(enc, TextEncoder) and isinstance(enc, HashingEncoder)
    X = enc.encode(["项目验收资料不完整", "项目验收资料不完整", "预算执行率偏低"])
    assert X.shape == (3, enc.dim) and abs(float((X[0] ** 2).sum()) - 1) < 1e-5
    assert float(X[0] @ X[1]) == pytest.approx(1.0) and float(X[0] @ X[2]) < 0.9
    assert enc.model_id == HashingEncoder().model_id  # deterministic: the same id, the same vectors


def test_training_refuses_to_start_when_models_cannot_be_written(tmp_path):
    blocker = tmp_path / "models"
    blocker.write_text("a file where the models folder should be")
    res = Resources(make_settings(tmp_path, models=blocker), encoder=HashingEncoder())
    with pytest.raises(PbmError, match="not writable") as info:
        services.training.train_tagger(res, TrainRequest(use_dense=False))
    assert str(blocker) in info.value.zh and "PBM_MODELS" in info.value.en


@pytest.mark.slow  # loads m3e-small
def test_a_text_gets_the_same_vector_whatever_it_is_encoded_with(tmp_path):
    """int8 dynamic quantisation scales a batch's activations together: each text is embedded
    alone, so neither its batch mates nor their order move its vector (nor its tags)."""
    from pbm_nlp.features.encoder import Encoder

    texts = ["审计发现，项目验收资料缺失。", "部分设备长期闲置，未发挥效益，涉及资金若干万元，原因是管护责任不明确。",
             "绩效目标设置不明确", "某县2021年专项资金结余较大"]
    enc = Encoder(cache_dir=tmp_path, use_cache=False)
    together = enc.encode(texts)
    enc._memory = type(enc._memory)(1)  # forget: every vector below is computed again
    alone = np.vstack([enc.encode([t]) for t in texts])
    enc._memory = type(enc._memory)(1)
    reversed_ = enc.encode(texts[::-1])[::-1]
    assert np.array_equal(together, alone) and np.array_equal(together, reversed_)
    assert enc.model_id.endswith("-s2")  # the scheme is part of the identity: old cached vectors are not mixed in
