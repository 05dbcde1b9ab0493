"""The Gradio app: handlers (plain functions, :mod:`.handlers`) and their wiring (:mod:`.layout`)."""
from .handlers.corpus import warm_up
from .layout import CSS, build_app
from .locale import ChineseLocale

__all__ = ["CSS", "ChineseLocale", "build_app", "warm_up"]
