"""The page: a header and one tab per user task."""
from __future__ import annotations

from ... import auth
from ...resources import Resources
from . import corpus, draft, mining, review, tagging
from .wiring import Wiring

CSS = """
.pbm-item {border-left: 3px solid #4a7bd0; padding: 4px 10px; margin: 8px 0;}
mark {background: #ffe08a; padding: 0 1px;}
/* charts at their own size (their text is sized for it), shrunk only when wider than the page */
.pbm-chart img {width: auto !important; max-width: 100% !important; height: auto !important; margin: 0 auto;}
.pbm-files {margin: 4px 0 8px 0;}
"""


def build_app(res: Resources | None = None, users: dict[str, auth.User] | None = None):
    import gradio as gr

    res = res or Resources.from_env()
    w = Wiring(res, auth.load_users() if users is None else users)
    with gr.Blocks(title="pbm-nlp 预算绩效管理助手") as demo:
        gr.Markdown("# pbm-nlp 预算绩效管理助手\n为起草人、评价人员和模型维护人员提供绩效目标与绩效评价文本分析。")
        for tab in (draft, tagging, mining, review, corpus):
            tab.build(w)
        for fn, outputs, api_name in w.loads:
            if api_name:
                demo.load(fn, outputs=outputs, api_name=api_name)
            else:
                demo.load(fn, outputs=outputs, api_visibility="private")
    return demo
