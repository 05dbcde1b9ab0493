"""The service layer: plain functions from typed requests (:mod:`.schema`) to typed results, each
taking the process's :class:`~pbm_nlp.resources.Resources` first. The CLI, the app's handlers and
batch jobs call these and nothing below them, so every entry point behaves the same.

- :mod:`.ingest`   parse documents into the store, load annotations, export
- :mod:`.setup`    prepare a fresh install (bundled corpus in, tagger trained if missing)
- :mod:`.tagging`  tag problem statements (and write their rectification)
- :mod:`.training` train, evaluate, model versions, rollback
- :mod:`.review`   the trainer's queue, label edits, new examples and themes, exports
- :mod:`.drafting` suggest, lint, rectify, declarations from documents, exports
- :mod:`.mining`   recurring problems, facets for filters
- :mod:`.access`   who may do what
"""
from . import drafting, ingest, mining, review, setup, tagging, training

__all__ = ["drafting", "ingest", "mining", "review", "setup", "tagging", "training"]
