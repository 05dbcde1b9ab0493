"""Issue mining for evaluators: clusters of recurring problems, theme aggregates, copied text.

``from pbm_nlp.mine import mine`` — names are resolved on first use, so that the `pbm` command
(which registers `pbm mine`) starts without importing the miner.
"""
from __future__ import annotations

from typing import Any

__all__ = ["MinerConfig", "MiningResult", "Statement", "mine", "write_report"]

_WHERE = {"MinerConfig": "miner", "MiningResult": "miner", "mine": "miner", "Statement": "records",
          "write_report": "report"}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
