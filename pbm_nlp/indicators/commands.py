"""CLI sub-commands of the drafting assistant (suggest, lint, rectify): registered by pbm_nlp.cli."""
from __future__ import annotations


def register(sub) -> None:
    """Add this package's sub-commands to the `pbm` parser."""
