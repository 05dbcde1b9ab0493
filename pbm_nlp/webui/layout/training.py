"""样本审阅 tab, second half: retrain (a model worse on the dev set waits for the trainer's choice),
the before/after figures, versions, activation and rollback."""
from ..handlers import retrain as rt
from ..handlers import review as h
from .wiring import Wiring


def build(w: Wiring, reviewer) -> None:
    import gradio as gr

    res = w.res
    gr.Markdown("### 训练与版本")
    retrain_btn = gr.Button("重新训练", variant="primary", elem_id="retrain-btn")
    retrain_msg = gr.Markdown(elem_id="retrain-msg")
    with gr.Row(visible=False) as confirm:
        accept_btn = gr.Button("仍然启用新版本", variant="stop", elem_id="accept-candidate")
        keep_btn = gr.Button("保留当前版本", variant="primary", elem_id="keep-current")
    candidate = gr.State(None)
    compare = gr.Dataframe(headers=h.METRIC_HEADERS, interactive=False, elem_id="metrics-table", max_height=800,
                           label="各主题 F1：当前版本（前）与新训练版本（后）")
    versions = gr.Dataframe(headers=h.VERSION_HEADERS, interactive=False, elem_id="versions", label="模型版本")
    with gr.Row():
        pick = gr.Dropdown(label="选择版本", choices=rt.version_choices(res), scale=3, elem_id="version-pick")
        activate_btn = gr.Button("启用所选版本", scale=1)
        rollback_btn = gr.Button("回滚到上一版本", scale=1, elem_id="rollback-btn")

    def _versions():
        return h.version_rows(res), gr.update(choices=rt.version_choices(res))

    def _retrain(typed, request: gr.Request, progress=gr.Progress()):
        table, msg, waiting = rt.retrain(res, w.actor(request, typed), progress=lambda f, m: progress(f, desc=m))
        return (table, msg, waiting, gr.update(visible=waiting is not None), *_versions())

    def _accept(version, typed, request: gr.Request):
        msg, table = rt.activate_candidate(res, w.actor(request, typed), version)
        return (msg, table, None, gr.update(visible=False), *_versions())

    def _keep(version):
        return rt.keep_current(version), None, gr.update(visible=False)

    def _activate(version, typed, request: gr.Request):
        msg, table = rt.activate_version(res, w.actor(request, typed), version)
        return (msg, table, *_versions())

    def _rollback(typed, request: gr.Request):
        msg, table = rt.rollback(res, w.actor(request, typed))
        return (msg, table, *_versions())

    listing = [versions, pick]
    retrain_btn.click(w.guard(_retrain), inputs=reviewer,
                      outputs=[compare, retrain_msg, candidate, confirm] + listing, api_name="retrain",
                      concurrency_limit=1)
    accept_btn.click(w.guard(_accept), inputs=[candidate, reviewer],
                     outputs=[retrain_msg, compare, candidate, confirm] + listing, api_name="activate_candidate")
    keep_btn.click(w.guard(_keep), inputs=candidate, outputs=[retrain_msg, candidate, confirm],
                   api_name="keep_current")
    activate_btn.click(w.guard(_activate), inputs=[pick, reviewer], outputs=[retrain_msg, compare] + listing,
                       api_name="activate_version")
    rollback_btn.click(w.guard(_rollback), inputs=reviewer, outputs=[retrain_msg, compare] + listing,
                       api_name="rollback")
    w.on_load(w.guard(lambda: h.current_metrics_rows(res)), [compare], api_name="current_metrics")
    w.on_load(w.guard(lambda: h.version_rows(res)), [versions], api_name="version_rows")
    w.on_load(w.guard(lambda: gr.update(choices=rt.version_choices(res))), [pick])
