"""Gradio Blocks wiring only: each tab's components and events in its own module.

The tab modules do not use ``from __future__ import annotations``: Gradio reads the
``request: gr.Request`` annotations of event functions at run time to pass the caller in.
"""
from .app import CSS, build_app

__all__ = ["CSS", "build_app"]
