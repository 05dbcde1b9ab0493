"""The app starts as `python app.py` does for a user and answers on 127.0.0.1; binding another
address without users configured is refused."""
from __future__ import annotations

import os
import subprocess
import sys
import urllib.request

import pytest

from pbm_nlp import config

from .conftest import start_app


@pytest.fixture(scope="module")
def running_app(app_copy):
    db, models, root = app_copy
    proc, url = start_app(db, models, root / "smoke.log")
    yield url
    proc.terminate()
    proc.wait(timeout=30)


def test_app_serves_the_page_and_the_overview_api(running_app):
    with urllib.request.urlopen(running_app, timeout=10) as r:
        assert "pbm-nlp" in r.read().decode("utf-8")
    from gradio_client import Client

    client = Client(running_app, verbose=False)
    rows = client.predict(api_name="/overview")
    table = {row[0]: row[1] for row in rows["data"]}
    assert table["评价结果"] == 6 and table["申报表"] == 23


def test_public_bind_without_users_is_refused(tmp_path):
    env = {**os.environ, "PBM_HOST": "0.0.0.0", "PBM_DB": str(tmp_path / "x.db")}
    env.pop("PBM_USERS", None)
    env.pop("PBM_USERS_FILE", None)
    out = subprocess.run([sys.executable, str(config.PROJECT_ROOT / "app.py")], env=env, check=False, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode != 0 and "PBM_USERS" in out.stderr
