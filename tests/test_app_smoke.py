"""The app starts as `python app.py` does for a user and answers on 127.0.0.1."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pbm_nlp import config

ROOT = config.PROJECT_ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def running_app(seeded_db, tmp_path_factory):
    port = free_port()
    env = {**os.environ, "PBM_PORT": str(port), "PBM_DB": str(seeded_db), "GRADIO_ANALYTICS_ENABLED": "False"}
    log = tmp_path_factory.mktemp("app") / "app.log"
    with open(log, "w") as fh:
        proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env, stdout=fh, stderr=fh)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 180
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app exited: {Path(log).read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        raise RuntimeError("app did not answer within 180 s")
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
