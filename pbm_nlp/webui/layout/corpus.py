"""语料概况 tab: store counts and parsing an upload without storing it."""
from ..handlers import corpus as h
from .wiring import Wiring


def build(w: Wiring) -> None:
    import gradio as gr

    res = w.res
    with gr.Tab("语料概况", id="corpus"):
        table = gr.Dataframe(headers=["内容", "数量"], interactive=False)
        refresh = gr.Button("刷新")
        upload = gr.File(label="上传申报表或评价结果以查看解析结果（不入库）", type="filepath")
        summary = gr.HTML()
        records = gr.Code(language="json", label="解析结果")
    refresh.click(w.guard(lambda: h.store_overview(res)), outputs=table, api_name="overview")
    upload.change(w.guard(h.parse_upload), inputs=upload, outputs=[summary, records], api_name="parse")
    w.on_load(w.guard(lambda: h.store_overview(res)), [table])
