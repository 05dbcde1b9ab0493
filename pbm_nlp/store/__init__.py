"""The SQLite store: the only package that writes SQL."""
from .repository import Store

__all__ = ["Store"]
