"""The `pbm` command: argument parsing and printing only; the work is done by pbm_nlp.services."""
from .main import build_parser, main

__all__ = ["build_parser", "main"]
