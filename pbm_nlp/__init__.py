"""pbm-nlp: Chinese public-finance performance management (预算绩效管理) text tools.

Public API (importing this package loads no model and no heavy library)::

    from pbm_nlp import Tagger, Store, parse_file
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["Store", "Tagger", "__version__", "parse_file"]


def __getattr__(name: str):
    if name == "Tagger":
        from .themes.service import Tagger

        return Tagger
    if name == "Store":
        from .store import Store

        return Store
    if name == "parse_file":
        from .ingest.registry import parse_file

        return parse_file
    raise AttributeError(name)
