"""起草助手 tab: the form, the suggested table, the check, exports, the batch check."""
from ..handlers import draft as h
from .wiring import Wiring


def build(w: Wiring) -> None:
    import gradio as gr

    res = w.res
    with gr.Tab("起草助手", id="draft"):
        gr.Markdown("填写新项目信息（或上传已有申报表），生成建议的绩效指标表；表格可直接编辑，"
                    "再按评价人员的视角检查，并导出为 Excel / Word 申报表。")
        with gr.Row():
            with gr.Column(scale=3):
                project = gr.Textbox(label="项目名称", placeholder="例如：河道保洁养护项目")
                with gr.Row():
                    kind = gr.Dropdown(label="项目类别（可不选，自动推断）", choices=[""] + h.kinds(), value="")
                    budget = gr.Number(label="预算（元）", value=None)
                    year = gr.Number(label="年度", value=None, precision=0)
                overview = gr.Textbox(label="项目概况", lines=4,
                                      placeholder="例如：对全区32条河道开展日常保洁养护，保洁面积约120万平方米……")
                goal = gr.Textbox(label="年度目标", lines=2)
            with gr.Column(scale=2):
                upload = gr.File(label="或上传申报表（.docx/.xlsx/.pdf/.txt）", type="filepath")
        with gr.Row():
            suggest_btn = gr.Button("生成指标建议", variant="primary", elem_id="suggest-btn")
            lint_btn = gr.Button("检查指标表", elem_id="lint-btn")
        kind_line = gr.Markdown()
        table = gr.Dataframe(headers=h.TABLE_HEADERS, interactive=True, wrap=True, elem_id="draft-table",
                             column_count=6, column_limits=(6, 6))
        risks = gr.HTML()
        findings = gr.Dataframe(headers=h.FINDING_HEADERS, interactive=False, wrap=True)
        with gr.Row():
            xlsx_btn = gr.Button("导出 Excel")
            docx_btn = gr.Button("导出 Word")
        out = gr.File(label="导出文件")
        with gr.Accordion("批量检查：上传含多份申报表的文件，一并检查（含跨项目套用指标）", open=False):
            b_file = gr.File(label="申报表文件（.docx/.xlsx/.pdf/.txt）", type="filepath")
            b_btn = gr.Button("检查文件中的全部申报表", elem_id="lint-file-btn")
            b_head = gr.Markdown()
            b_table = gr.Dataframe(headers=h.BATCH_HEADERS, interactive=False, wrap=True, elem_id="lint-file-table")

    def _suggest(p, k, o, g, b, y):
        head, rows, risk, _ = h.suggest_table(res, p, k or None, o, g, b, y)
        return head, rows, risk

    def _load(path):
        p, k, o, g, b, y, rows = h.declaration_from_upload(path)
        return p, k or "", o, g, b, y, rows

    inputs = [project, kind, overview, goal, budget, year]
    suggest_btn.click(w.guard(_suggest), inputs=inputs, outputs=[kind_line, table, risks], api_name="suggest")
    lint_btn.click(w.guard(lambda p, k, o, g, b, y, t: h.lint_table(res, p, k or None, o, g, b, y, t)),
                   inputs=inputs + [table], outputs=findings, api_name="lint")
    upload.upload(w.guard(_load), inputs=upload, outputs=inputs + [table], api_name="load_declaration")
    xlsx_btn.click(w.guard(lambda p, k, t, f: h.export_draft(p, k, t, f, "xlsx")),
                   inputs=[project, kind, table, findings], outputs=out, api_name="export_xlsx")
    docx_btn.click(w.guard(lambda p, k, t, f: h.export_draft(p, k, t, f, "docx")),
                   inputs=[project, kind, table, findings], outputs=out, api_name="export_docx")
    b_btn.click(w.guard(lambda path: h.lint_file(res, path)), inputs=b_file, outputs=[b_head, b_table],
                api_name="lint_file")
