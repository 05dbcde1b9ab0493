"""样本审阅 tab: the queue, lookup by id, label edits and their undo, the recent edits, new examples
and themes; retraining and versions are in :mod:`.training` (same tab)."""
from types import SimpleNamespace

from ..handlers import history as hist
from ..handlers import review as h
from . import training
from .wiring import Wiring


def build(w: Wiring) -> None:
    import gradio as gr

    with gr.Tab("样本审阅", id="review"):
        c = _components()
        _wire(w, c)
        training.build(w, c.reviewer)


def _components() -> SimpleNamespace:
    """The tab's components, by name (the wiring below refers to them as c.<name>)."""
    import gradio as gr

    gr.Markdown("审阅队列：先是新导入的真实问题（最不确定的在前），再是“疑似标注错误”和“模型不确定”的样本"
                "（真实样本在编写样本之前）。选中一行（或输入样本编号后按回车/点“查找”），修改主题后保存，保存后即成为"
                "训练样本并离开队列，在“最近审阅”中可再找到或撤销。可新增样本或新主题，重新训练并比较前后指标。"
                "所有修改记录审阅人和时间。")
    counts = gr.Markdown(elem_id="corpus-counts")
    reviewer = gr.Textbox(label="审阅人", value="", placeholder="未登录时填写您的姓名")
    queue = gr.Dataframe(headers=h.QUEUE_HEADERS, interactive=False, wrap=True, max_height=640,
                         column_widths=["6%", "16%", "14%", "14%", "50%"], elem_id="review-queue")
    load_q = gr.Button("刷新审阅队列")
    with gr.Row():
        with gr.Column(scale=1, min_width=160):
            ann_id = gr.Number(label="样本编号", value=None, precision=0, elem_id="ann-id")
            find_btn = gr.Button("查找", size="sm", elem_id="find-btn")
        ann_text = gr.Textbox(label="样本文本", interactive=False, lines=3, scale=5, elem_id="ann-text")
    ann_themes = gr.CheckboxGroup(label="主题（可多选）", choices=h.theme_choices(), elem_id="ann-themes")
    ann_version = gr.State(None)  # the example's version when opened: a stale save is refused
    with gr.Row():
        save_btn = gr.Button("保存标签", variant="primary", elem_id="save-btn")
        undo_btn = gr.Button("撤销该样本最近一次修改", elem_id="undo-btn")
    save_msg = gr.Markdown(elem_id="save-msg")
    with gr.Accordion("最近审阅（点击一行可重新打开该样本）", open=True):
        recent = gr.Dataframe(headers=hist.HISTORY_HEADERS, interactive=False, wrap=True, max_height=420,
                              column_widths=["13%", "6%", "9%", "8%", "14%", "14%", "36%"], elem_id="recent")
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
    with gr.Row():
        export_btn = gr.Button("导出标注（JSON Lines）")
        export_file = gr.File(label="导出文件")
    return SimpleNamespace(**{k: v for k, v in locals().items() if k != "gr"})


def _wire(w: Wiring, c: SimpleNamespace) -> None:
    import gradio as gr

    res = w.res

    def _open(aid):
        return (*h.annotation_themes(res, aid), h.annotation_version(res, aid))

    def _picker(column: int):
        """Open the example whose id is in ``column`` of the clicked row (queue: 0, recent edits: 1)."""
        def pick(evt: gr.SelectData, table):
            aid = int(table.iloc[evt.index[0], column])
            return (aid, *_open(aid))
        return pick

    def _add_theme(tid, name, definition, cues, examples, typed, request: gr.Request):
        msg = h.add_theme(res, w.actor(request, typed), tid, name, definition, cues, examples)
        choices = gr.update(choices=h.theme_choices())
        return msg, choices, choices

    def _queue(request: gr.Request):
        return h.review_rows(res, w.actor(request)), h.corpus_summary(res)

    def _save(aid, themes, version, typed, request: gr.Request):
        actor = w.actor(request, typed)
        msg = h.save_labels(res, actor, aid, themes, version)
        return msg, hist.recent_rows(res, actor), h.annotation_version(res, aid)

    def _undo(aid, typed, request: gr.Request):
        actor = w.actor(request, typed)
        msg, themes = hist.undo(res, actor, aid)
        return msg, themes, hist.recent_rows(res, actor), h.annotation_version(res, aid)

    def _add(text, themes, typed, request: gr.Request):
        return h.add_example(res, w.actor(request, typed), text, themes)

    def _export(typed, request: gr.Request):
        return h.export_annotations(res, w.actor(request, typed))

    def _recent(request: gr.Request):
        return hist.recent_rows(res, w.actor(request))

    opened = [c.ann_text, c.ann_themes, c.ann_version]
    c.load_q.click(w.guard(_queue), inputs=None, outputs=[c.queue, c.counts], api_name="review_queue")
    c.queue.select(w.guard(_picker(0)), inputs=c.queue, outputs=[c.ann_id] + opened, api_visibility="private")
    c.recent.select(w.guard(_picker(1)), inputs=c.recent, outputs=[c.ann_id] + opened, api_visibility="private")
    c.ann_id.submit(w.guard(_open), inputs=c.ann_id, outputs=opened, api_name="annotation")
    c.find_btn.click(w.guard(_open), inputs=c.ann_id, outputs=opened, api_visibility="private")
    c.save_btn.click(w.guard(_save), inputs=[c.ann_id, c.ann_themes, c.ann_version, c.reviewer],
                     outputs=[c.save_msg, c.recent, c.ann_version], api_name="save_labels")
    c.undo_btn.click(w.guard(_undo), inputs=[c.ann_id, c.reviewer],
                     outputs=[c.save_msg, c.ann_themes, c.recent, c.ann_version], api_name="undo_label")
    c.add_btn.click(w.guard(_add), inputs=[c.new_text, c.new_themes, c.reviewer], outputs=c.add_msg,
                    api_name="add_example")
    c.th_btn.click(w.guard(_add_theme), inputs=[c.th_id, c.th_name, c.th_def, c.th_cues, c.th_examples, c.reviewer],
                   outputs=[c.th_msg, c.ann_themes, c.new_themes], api_name="add_theme")
    c.export_btn.click(w.guard(_export), inputs=c.reviewer, outputs=c.export_file, api_name="export_annotations")
    w.on_load(w.guard(_recent), [c.recent], api_name="recent_edits")
    w.on_load(w.guard(lambda: h.corpus_summary(res)), [c.counts], api_name="corpus_counts")
    w.on_load(w.guard(lambda: (gr.update(choices=h.theme_choices()),) * 2), [c.ann_themes, c.new_themes])
