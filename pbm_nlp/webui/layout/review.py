"""样本审阅 tab: the queue, label edits, new examples and themes, retraining and versions."""
from types import SimpleNamespace

from ..handlers import review as h
from .wiring import Wiring


def build(w: Wiring) -> None:
    c = _components()
    _wire(w, c)


def _components() -> SimpleNamespace:
    """The tab's components, by name (the wiring below refers to them as c.<name>)."""
    import gradio as gr
    with gr.Tab("样本审阅", id="review"):
        gr.Markdown("审阅队列：先是新导入的真实问题（最不确定的在前），再是“疑似标注错误”和“模型不确定”的样本"
                    "（真实样本在编写样本之前）。选中一行（或输入样本编号），修改主题后保存，保存后即成为训练样本；"
                    "可新增样本或新主题，重新训练并比较前后指标，必要时一键回滚。所有修改记录审阅人和时间。")
        counts = gr.Markdown(elem_id="corpus-counts")
        reviewer = gr.Textbox(label="审阅人", value="", placeholder="未登录时填写您的姓名")
        queue = gr.Dataframe(headers=h.QUEUE_HEADERS, interactive=False, wrap=True, max_height=360,
                             column_widths=["6%", "16%", "16%", "16%", "46%"], elem_id="review-queue")
        load_q = gr.Button("刷新审阅队列")
        with gr.Row():
            ann_id = gr.Number(label="样本编号", precision=0)
            ann_text = gr.Textbox(label="样本文本", interactive=False, lines=3)
        ann_themes = gr.CheckboxGroup(label="主题（可多选）", choices=h.theme_choices())
        save_btn = gr.Button("保存标签", variant="primary")
        save_msg = gr.Markdown()
        with gr.Accordion("新增样本", open=False):
            new_text = gr.Textbox(label="问题文本", lines=3)
            new_themes = gr.CheckboxGroup(label="主题", choices=h.theme_choices())
            add_btn = gr.Button("添加样本")
            add_msg = gr.Markdown()
        with gr.Accordion("新增主题", open=False):
            with gr.Row():
                th_id = gr.Textbox(label="主题编号（英文）", placeholder="e.g. asset_idle")
                th_name = gr.Textbox(label="中文名", placeholder="资产闲置")
            th_def = gr.Textbox(label="定义", lines=2)
            th_cues = gr.Textbox(label="提示词（逗号分隔）")
            th_examples = gr.Textbox(label="示例（每行一条，至少 3 条）", lines=4)
            th_btn = gr.Button("添加主题")
            th_msg = gr.Markdown()
        gr.Markdown("### 训练与版本")
        retrain_btn = gr.Button("重新训练", variant="primary")
        retrain_msg = gr.Markdown()
        compare = gr.Dataframe(headers=h.METRIC_HEADERS, interactive=False, elem_id="metrics-table")
        versions = gr.Dataframe(headers=h.VERSION_HEADERS, interactive=False)
        with gr.Row():
            rollback_btn = gr.Button("回滚到上一版本")
            export_btn = gr.Button("导出标注（JSON Lines）")
        export_file = gr.File(label="导出文件")
    return SimpleNamespace(**{k: v for k, v in locals().items() if k != "gr"})


def _wire(w: Wiring, c: SimpleNamespace) -> None:
    import gradio as gr

    res = w.res
    def _select(evt: gr.SelectData, table):
        row = evt.index[0]
        aid = int(table.iloc[row, 0]) if hasattr(table, "iloc") else int(table[row][0])
        return (aid, *h.annotation_themes(res, aid))

    def _add_theme(tid, name, definition, cues, examples, typed, request: gr.Request):
        msg = h.add_theme(res, w.actor(request, typed), tid, name, definition, cues, examples)
        choices = gr.update(choices=h.theme_choices())
        return msg, choices, choices

    def _retrain(typed, request: gr.Request, progress=gr.Progress()):
        table, msg = h.retrain(res, w.actor(request, typed), progress=lambda f, m: progress(f, desc=m))
        return table, msg, h.version_rows(res)

    def _queue(request: gr.Request):
        return h.review_rows(res, w.actor(request)), h.corpus_summary(res)

    def _save(aid, themes, typed, request: gr.Request):
        return h.save_labels(res, w.actor(request, typed), aid, themes)

    def _add(text, themes, typed, request: gr.Request):
        return h.add_example(res, w.actor(request, typed), text, themes)

    def _rollback(typed, request: gr.Request):
        return h.rollback(res, w.actor(request, typed)), h.version_rows(res)

    def _export(typed, request: gr.Request):
        return h.export_annotations(res, w.actor(request, typed))

    c.load_q.click(w.guard(_queue), inputs=None, outputs=[c.queue, c.counts], api_name="review_queue")
    c.queue.select(w.guard(_select), inputs=c.queue, outputs=[c.ann_id, c.ann_text, c.ann_themes],
                   api_visibility="private")
    c.ann_id.submit(w.guard(lambda aid: h.annotation_themes(res, aid)), inputs=c.ann_id,
                    outputs=[c.ann_text, c.ann_themes],
                  api_name="annotation")
    c.save_btn.click(w.guard(_save), inputs=[c.ann_id, c.ann_themes, c.reviewer], outputs=c.save_msg,
                     api_name="save_labels")
    c.add_btn.click(w.guard(_add), inputs=[c.new_text, c.new_themes, c.reviewer], outputs=c.add_msg,
                    api_name="add_example")
    c.th_btn.click(w.guard(_add_theme), inputs=[c.th_id, c.th_name, c.th_def, c.th_cues, c.th_examples, c.reviewer],
                 outputs=[c.th_msg, c.ann_themes, c.new_themes], api_name="add_theme")
    c.retrain_btn.click(w.guard(_retrain), inputs=c.reviewer, outputs=[c.compare, c.retrain_msg, c.versions],
                      api_name="retrain", concurrency_limit=1)
    c.rollback_btn.click(w.guard(_rollback), inputs=c.reviewer, outputs=[c.retrain_msg, c.versions],
                         api_name="rollback")
    c.export_btn.click(w.guard(_export), inputs=c.reviewer, outputs=c.export_file, api_name="export_annotations")
    w.on_load(w.guard(lambda: h.current_metrics_rows(res)), [c.compare], api_name="current_metrics")
    w.on_load(w.guard(lambda: h.version_rows(res)), [c.versions], api_name="version_rows")
    w.on_load(w.guard(lambda: h.corpus_summary(res)), [c.counts], api_name="corpus_counts")
    w.on_load(w.guard(lambda: (gr.update(choices=h.theme_choices()),) * 2), [c.ann_themes, c.new_themes])
