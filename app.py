"""Gradio entry point: wiring only; every handler lives in pbm_nlp.

Run `python app.py` (or `make app`); binds 127.0.0.1 unless PBM_HOST says otherwise.
"""
from __future__ import annotations

import os

from pbm_nlp.webui import build_app

if __name__ == "__main__":
    demo = build_app()
    demo.queue(default_concurrency_limit=4).launch(
        server_name=os.environ.get("PBM_HOST", "127.0.0.1"),
        server_port=int(os.environ.get("PBM_PORT", "7860")),
        max_file_size="20mb",
        show_error=True,
    )
