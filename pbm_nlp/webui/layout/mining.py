"""问题挖掘 tab: filters, import, clusters, charts, copied text, drill-down with .xlsx export."""
from ..handlers import mining as h
from .wiring import Wiring


def build(w: Wiring) -> None:
    import gradio as gr

    res = w.res
    with gr.Tab("问题挖掘", id="mine"):
        gr.Markdown("汇总库中的评价结果：把反复出现的问题聚成类（自动确定类数），给出标签、关键词、主题和代表性陈述；"
                    "按年度、项目类别统计主题，列出每类问题出现在哪些评价、单位和年度（可导出 .xlsx），"
                    "并找出跨项目复用的问题文本。可先导入更多评价结果。")
        ys, us, ks = h.choices(res)  # refreshed on every page load and after an import
        with gr.Row():  # values outside the choices are allowed: a year ingested by another process
            years = gr.Dropdown(label="年度", choices=ys, multiselect=True, allow_custom_value=True)
            units = gr.Dropdown(label="单位", choices=us, multiselect=True, allow_custom_value=True)
            kinds = gr.Dropdown(label="项目类别", choices=ks, multiselect=True, allow_custom_value=True)
            corpus = gr.Checkbox(label="包含已标注语料", value=False)
        with gr.Row():
            mine_btn = gr.Button("开始挖掘", variant="primary", elem_id="mine-btn")
            files = gr.File(label="导入评价结果 / 申报表（可多选）", file_count="multiple", type="filepath")
            ingest_btn = gr.Button("导入数据库")
        ingest_msg = gr.Markdown()
        summary = gr.Markdown(elem_id="mine-summary")
        clusters = gr.Dataframe(headers=h.CLUSTER_HEADERS, interactive=False, wrap=True, max_height=960,
                                elem_id="mine-clusters", column_widths=["5%", "17%", "5%", "15%", "18%", "40%"])
        with gr.Row():  # the bar charts side by side; the two grids full width, so their labels read
            freq = gr.Image(label="问题主题出现频次", type="filepath", interactive=False, elem_classes="pbm-chart")
            sizes = gr.Image(label="主要问题聚类", type="filepath", interactive=False, elem_classes="pbm-chart")
        by_year = gr.Image(label="问题主题 × 年度", type="filepath", interactive=False, elem_id="chart-year",
                           elem_classes="pbm-chart")
        by_kind = gr.Image(label="问题主题 × 项目类别", type="filepath", interactive=False, elem_id="chart-kind",
                           elem_classes="pbm-chart")
        copies = gr.Dataframe(headers=h.COPY_HEADERS, interactive=False, wrap=True, label="跨项目复用的问题文本",
                              column_widths=["10%", "7%", "28%", "55%"], max_height=720, elem_id="mine-copies")
        drill = gr.Dataframe(headers=h.drill_headers(), interactive=False, wrap=True, max_height=720,
                             label="反复出现的问题：涉及的评价、单位、年度与来源（至少 2 个评价）", elem_id="mine-drill")
        drill_file = gr.File(label="导出明细（.xlsx）", interactive=False)
        raw = gr.JSON(visible=False)

    def _choices(include_corpus=False):
        ys, us, ks = h.choices(res, include_corpus)
        return gr.update(choices=ys), gr.update(choices=us), gr.update(choices=ks)

    def _mine(ys, us, ks, with_corpus, progress=gr.Progress()):
        progress(0.05, desc="读取问题陈述")
        s, rows, charts, cps, drills, path, result = h.mine_view(res, ys, us, ks, with_corpus,
                                                                 log=lambda m: progress(None, desc=m))
        return (s, rows, *charts, cps, drills, path, result)

    def _ingest(paths, request: gr.Request, progress=gr.Progress()):
        msg = h.ingest_uploads(res, w.actor(request), paths, progress=lambda f, m: progress(f, desc=m))
        return (msg, *_choices())

    mine_btn.click(w.guard(_mine), inputs=[years, units, kinds, corpus],
                   outputs=[summary, clusters, freq, by_year, by_kind, sizes, copies, drill, drill_file, raw],
                   api_name="mine",
                   concurrency_limit=1)
    ingest_btn.click(w.guard(_ingest), inputs=files, outputs=[ingest_msg, years, units, kinds], api_name="ingest",
                     concurrency_limit=1)
    corpus.change(w.guard(_choices), inputs=corpus, outputs=[years, units, kinds], api_visibility="private")
    w.on_load(w.guard(_choices), [years, units, kinds])
