"""CLI sub-commands of issue mining (`pbm mine`): registered by pbm_nlp.cli."""
from __future__ import annotations


def register(sub) -> None:
    """Add this package's sub-commands to the `pbm` parser."""
