"""The code passes the project's ruff configuration (pyproject.toml), so style drift fails CI."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from pbm_nlp import config


def test_ruff_is_clean():
    ruff = Path(sys.executable).with_name("ruff")
    exe = str(ruff) if ruff.exists() else shutil.which("ruff")
    assert exe, "ruff is part of the test extra: make test installs it"
    out = subprocess.run([exe, "check", "--quiet", "."], cwd=config.PROJECT_ROOT, check=False,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-1000:]
