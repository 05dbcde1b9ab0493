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


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(db: Path, models: Path, log: Path, **env_extra: str):
    """Start `python app.py` as a user would, on a free port; returns (process, url)."""
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    port = free_port()
    env = {**os.environ, "PBM_PORT": str(port), "PBM_DB": str(db), "PBM_MODELS": str(models),
           "GRADIO_ANALYTICS_ENABLED": "False", **env_extra}
    fh = open(log, "w")  # noqa: SIM115 - the app process writes to it until the test ends
    proc = subprocess.Popen([sys.executable, str(config.PROJECT_ROOT / "app.py")], cwd=config.PROJECT_ROOT,
                            env=env, stdout=fh, stderr=fh)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 240
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app exited: {log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("app did not answer within 240 s")


@pytest.fixture(scope="module")
def app_copy(trained_store, tmp_path_factory):
    """A private copy of the trained store and models, so the app's retrain/rollback touch only it."""
    import shutil

    db, models, _ = trained_store
    root = tmp_path_factory.mktemp("appcopy")
    shutil.copy(db, root / "pbm.db")
    shutil.copytree(models, root / "models")
    return root / "pbm.db", root / "models", root
