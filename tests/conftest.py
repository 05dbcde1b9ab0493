"""Shared fixtures: the bundled seeds (real Shanghai documents) and throwaway stores."""
from __future__ import annotations

from pathlib import Path

import pytest

from pbm_nlp import config

SEEDS = config.SEEDS_DIR
SEED_000 = SEEDS / "000_5948c1792151f366.txt"
SEED_001 = SEEDS / "001_8e990e85900b4f0d.txt"
SEED_002 = SEEDS / "002_1d91f24c0675cfc0.txt"
SEED_003 = SEEDS / "003_c395438b008f884a.txt"
SEED_004 = SEEDS / "004_7050ce2f9b10b5f4.txt"


def seed_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "pbm.db"


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory) -> Path:
    """A store holding the five seeds, built once per session through the real pipeline."""
    from pbm_nlp.pipeline import ingest_paths
    from pbm_nlp.store import Store

    path = tmp_path_factory.mktemp("store") / "seeded.db"
    with Store(path) as store:
        report = ingest_paths([SEEDS], store)
        assert not report.errors, report.errors
    return path


@pytest.fixture(scope="session")
def encoder():
    """The real m3e-small encoder (shared; embeddings cached by text hash under corpora/cache)."""
    from pbm_nlp.features.encoder import shared_encoder

    return shared_encoder()


@pytest.fixture(scope="session")
def trained_store(tmp_path_factory, encoder):
    """A store with the seeds and the labelled corpus, and a theme tagger trained on it (real
    encoder, real training) into a temporary models folder that config points at for the session.

    Yields (db_path, models_dir, training metrics).
    """
    from pbm_nlp.pipeline import ingest_paths, load_annotations
    from pbm_nlp.store import Store
    from pbm_nlp.themes.tagger import TaggerConfig
    from pbm_nlp.themes.training import train_tagger

    root = tmp_path_factory.mktemp("trained")
    old_models = config.MODELS_DIR
    config.MODELS_DIR = root / "models"
    try:
        db = root / "pbm.db"
        with Store(db) as store:
            ingest_paths([SEEDS], store)
            load_annotations(store)
            metrics = train_tagger(store, encoder=encoder, config=TaggerConfig())
        yield db, config.MODELS_DIR, metrics
    finally:
        config.MODELS_DIR = old_models
