"""What the drafting benchmarks share: a temporary store holding the seeds (and, for rectification,
a tagger trained on the labelled corpus), through the same services the CLI and app use."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pbm_nlp import config, services
from pbm_nlp.config import Settings
from pbm_nlp.resources import Resources
from pbm_nlp.services.schema import IngestRequest, TrainRequest


def seeded_resources(train: bool = False, **settings) -> Resources:
    """Resources over a fresh temporary store with the five seeds (and a trained tagger when asked)."""
    root = Path(tempfile.mkdtemp(prefix="pbm-bench-"))
    res = Resources(Settings.from_env(**{"db": root / "pbm.db", "models": root / "models"} | settings))
    services.ingest.ingest(res, IngestRequest([config.SEEDS_DIR]))
    if train:
        services.training.train_tagger(res, TrainRequest())
    return res
