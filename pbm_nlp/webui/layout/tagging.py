"""问题标注 tab: paste or upload problems, tag them, export."""
from ..handlers import tagging as h
from .wiring import Wiring


def build(w: Wiring) -> None:
    import gradio as gr

    res = w.res
    with gr.Tab("问题标注", id="tag"):
        gr.Markdown("粘贴评价报告的“存在问题”段落（或每行一条问题），或上传评价结果文件；逐条标注问题主题，"
                    "高亮判断依据，并给出整改建议。")
        with gr.Row():
            text = gr.Textbox(label="问题文本", lines=8, elem_id="tag-text",
                              placeholder="1、项目后续运维管理机制不够健全。……")
            files = gr.File(label="或上传评价结果（.txt/.docx/.xlsx/.pdf，可多选）", type="filepath",
                            file_count="multiple", elem_id="tag-files")
        allow_none = gr.Checkbox(label="文本可能不含问题（如整段报告、成绩或建议）：允许“无主题”", value=False,
                                 info="默认每条都是问题，至少给出最可能的主题")
        tag_btn = gr.Button("标注", variant="primary", elem_id="tag-btn")
        out_html = gr.HTML(elem_id="tag-html")
        table = gr.Dataframe(headers=h.TAG_HEADERS, interactive=False, wrap=True, elem_id="tag-table",
                             column_widths=["4%", "12%", "32%", "12%", "14%", "26%"], max_height=720)
        raw = gr.JSON(label="完整结果", visible=False)
        with gr.Row():
            export_btn = gr.Button("导出 Excel")
            export_out = gr.File(label="导出文件")

    def _tag(t, paths, may_hold_none, progress=gr.Progress()):
        progress(0.1, desc="标注中")
        return h.tag_problems(res, t, paths, allow_none=bool(may_hold_none))

    tag_btn.click(w.guard(_tag), inputs=[text, files, allow_none], outputs=[out_html, table, raw], api_name="tag")
    export_btn.click(w.guard(h.export_tagged), inputs=table, outputs=export_out, api_name="export_tags")
