"""Shared fixtures: the bundled seeds (real Shanghai documents), throwaway stores and models.

Two tiers (README, "Tests"):
- the fast tier (`make test-fast`) runs on :class:`~pbm_nlp.features.hashing.HashingEncoder`, a tiny
  deterministic encoder, and trains a real tagger with it in a few seconds;
- the real tier adds every test that needs m3e-small, a running app or a browser. A test is in it
  when it uses one of :data:`REAL_FIXTURES` (marked ``slow`` automatically) or is marked itself.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from pbm_nlp import config
from pbm_nlp.config import Settings
from pbm_nlp.resources import Resources

SEEDS = config.SEEDS_DIR
SEED_000 = SEEDS / "000_5948c1792151f366.txt"
SEED_001 = SEEDS / "001_8e990e85900b4f0d.txt"
SEED_002 = SEEDS / "002_1d91f24c0675cfc0.txt"
SEED_003 = SEEDS / "003_c395438b008f884a.txt"
SEED_004 = SEEDS / "004_7050ce2f9b10b5f4.txt"

#: Fixtures that load m3e-small or start the app: tests using them are in the slow tier.
REAL_FIXTURES = {"encoder", "trained_store", "trained_res", "app_copy", "ctx", "writer"}


def pytest_collection_modifyitems(items):
    for item in items:
        if REAL_FIXTURES & set(getattr(item, "fixturenames", ())) and "slow" not in item.keywords:
            item.add_marker(pytest.mark.slow)


def seed_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def make_settings(root: Path, **overrides) -> Settings:
    """Settings for a test: its own store and models folder, the bundled corpora, the shared cache."""
    return Settings.from_env(**{"db": root / "pbm.db", "models": root / "models"} | overrides)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "pbm.db"


@pytest.fixture
def tmp_res(tmp_path: Path) -> Resources:
    """Empty store and models folder, hashing encoder: for tests that build their own state."""
    from pbm_nlp.features.hashing import HashingEncoder

    return Resources(make_settings(tmp_path), encoder=HashingEncoder())


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory) -> Path:
    """A store holding the five seeds, built once per session through the real ingest service."""
    from pbm_nlp import services
    from pbm_nlp.services.schema import IngestRequest

    root = tmp_path_factory.mktemp("store")
    res = Resources(make_settings(root, db=root / "seeded.db"))
    report = services.ingest.ingest(res, IngestRequest([SEEDS]))
    assert not report.errors, report.errors
    return root / "seeded.db"


def _trained(root: Path, encoder) -> tuple[Resources, dict]:
    from pbm_nlp import services
    from pbm_nlp.services.schema import IngestRequest, TrainRequest

    res = Resources(make_settings(root), encoder=encoder)
    services.ingest.ingest(res, IngestRequest([SEEDS]))
    result = services.training.train_tagger(res, TrainRequest())
    return res, result.metrics


def small_corpus(per_theme: int = 12) -> list[dict]:
    """A few labelled examples per theme from corpora/annotations (and every no-theme one of the
    first file), enough for real training in a second or two."""
    from pbm_nlp.themes.corpus import read_jsonl

    rows: list[dict] = []
    seen: dict[str, int] = {}
    for path in sorted(config.ANNOTATIONS_DIR.glob("*.jsonl")):
        for r in read_jsonl(path):
            key = r["themes"][0] if r.get("themes") else ""
            if seen.get(key, 0) < per_theme:
                seen[key] = seen.get(key, 0) + 1
                rows.append(r)
    return rows


@pytest.fixture(scope="session")
def fast_res(tmp_path_factory) -> Resources:
    """The seeds and a small labelled corpus in a store, and a tagger trained on them with the
    hashing encoder: real training and inference in seconds."""
    from pbm_nlp import services
    from pbm_nlp.features.hashing import HashingEncoder
    from pbm_nlp.services.schema import IngestRequest
    from pbm_nlp.themes.tagger import TaggerConfig
    from pbm_nlp.themes.training import train_tagger

    res = Resources(make_settings(tmp_path_factory.mktemp("fast")), encoder=HashingEncoder())
    services.ingest.ingest(res, IngestRequest([SEEDS]))
    with res.store() as store:
        store.upsert_annotations(small_corpus())
        train_tagger(store, res.registry, encoder=res.encoder, config=TaggerConfig())
    return res


@pytest.fixture(scope="session", autouse=True)
def test_cache(tmp_path_factory) -> Path:
    """A cold embedding cache for the session, as on a fresh clone (CI): the int8 encoder's vectors
    depend slightly on which texts share a batch, so a developer's warm cache must not decide a test.
    Set in the environment too, so that apps started by the tests use it."""
    import os

    path = tmp_path_factory.mktemp("cache")
    os.environ["PBM_CACHE"] = str(path)
    return path


@pytest.fixture(scope="session")
def encoder(test_cache):
    """The real m3e-small encoder (embeddings cached by text hash in the session's cache)."""
    from pbm_nlp.features.encoders import make_encoder

    return make_encoder(Settings.from_env(cache=test_cache))


@pytest.fixture(scope="session")
def trained_res(tmp_path_factory, encoder) -> Resources:
    """Seeds, the labelled corpus and a tagger trained with the real encoder, in temporary folders."""
    res, metrics = _trained(tmp_path_factory.mktemp("trained"), encoder)
    res.trained_metrics = metrics  # type: ignore[attr-defined]
    return res


@pytest.fixture(scope="session")
def trained_store(trained_res):
    """(db path, models folder, training metrics) of :func:`trained_res`."""
    s = trained_res.settings
    return s.db, s.models, trained_res.trained_metrics


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


def ingest(db: Path | str, *paths: Path):
    """Ingest files or folders into the store at ``db`` (a path or a PostgreSQL URL) through the
    service; returns the report."""
    import tempfile

    from pbm_nlp import services
    from pbm_nlp.services.schema import IngestRequest

    root = db.parent if isinstance(db, Path) else Path(tempfile.mkdtemp(prefix="pbm-ingest-"))
    return services.ingest.ingest(Resources(make_settings(root, db=db)), IngestRequest(list(paths)))


# ---- PostgreSQL: the same store tests on both back ends ------------------------------------------

@pytest.fixture(scope="session")
def pg_server():
    """A throw-away PostgreSQL cluster (scripts/pg.sh start/stop) for the session: its base URL.
    Skipped, saying why, only where the server binaries are not installed (scripts/pg.sh install)."""
    import shutil
    import subprocess
    import tempfile

    pytest.importorskip("psycopg", reason="psycopg is not installed: pip install -e '.[scale]'")
    script = config.PROJECT_ROOT / "scripts" / "pg.sh"
    if subprocess.run([str(script), "bindir"], capture_output=True, check=False).returncode != 0:
        pytest.skip("PostgreSQL server binaries not found: run scripts/pg.sh install (as root), as make test does")
    folder = Path(tempfile.mkdtemp(prefix="pbm-pg-"))  # outside pytest's 0700 tree: the server runs as postgres
    port = free_port()
    started = subprocess.run([str(script), "start", str(folder), str(port)], capture_output=True, text=True,
                             check=False, timeout=180)
    if started.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {started.stderr[-2000:]}")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run([str(script), "stop", str(folder)], capture_output=True, check=False, timeout=120)
        shutil.rmtree(folder, ignore_errors=True)


def new_pg_database(server: str) -> str:
    """A fresh, empty database on the test server; its URL."""
    import uuid

    import psycopg

    name = f"pbm_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return f"{server}/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_db(request, tmp_path):
    """An empty store location on each back end: an SQLite path, or a new PostgreSQL database's URL."""
    if request.param == "sqlite":
        return tmp_path / "pbm.db"
    return new_pg_database(request.getfixturevalue("pg_server"))
