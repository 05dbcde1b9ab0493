"""起草助手 tab: the form (or an uploaded 申报表, one of several), the suggested table, the check,
exports, the batch check of many forms."""
import datetime
from types import SimpleNamespace

from ..handlers import draft as h
from .wiring import Wiring

#: Widths that keep the key columns readable at 1400 px (the long texts wrap).
TABLE_WIDTHS = ["10%", "11%", "19%", "12%", "18%", "30%"]
FINDING_WIDTHS = ["6%", "12%", "14%", "30%", "26%", "12%"]
BATCH_WIDTHS = ["10%", "12%", "6%", "11%", "12%", "26%", "23%"]


def build(w: Wiring) -> None:
    c = _components()
    _wire(w, c)


def _components() -> SimpleNamespace:
    import gradio as gr

    with gr.Tab("起草助手", id="draft"):
        gr.Markdown("填写新项目信息（或上传已有申报表），生成建议的绩效指标表；表格可直接编辑，"
                    "再按评价人员的视角检查，并导出为 Excel / Word 申报表（导出的文件可再次上传继续修改）。")
        with gr.Row():
            with gr.Column(scale=3):
                project = gr.Textbox(label="项目名称", placeholder="例如：河道保洁养护项目")
                with gr.Row():
                    kind = gr.Dropdown(label="项目类别（可不选，自动推断）", choices=[""] + h.kinds(), value="")
                    budget = gr.Number(label="预算（元）", value=None)
                    year = gr.Number(label="年度", value=lambda: datetime.date.today().year, precision=0)
                overview = gr.Textbox(label="项目概况", lines=4,
                                      placeholder="例如：对全区32条河道开展日常保洁养护，保洁面积约120万平方米……")
                goal = gr.Textbox(label="年度目标", lines=2)
            with gr.Column(scale=2):
                upload = gr.File(label="或上传申报表（.docx/.xlsx/.pdf/.txt）", type="filepath", elem_id="draft-upload")
                pick = gr.Dropdown(label="选择申报表", choices=[], visible=False, elem_id="form-pick")
                upload_note = gr.Markdown(elem_id="upload-note")
        with gr.Row():
            suggest_btn = gr.Button("生成指标建议", variant="primary", elem_id="suggest-btn")
            lint_btn = gr.Button("检查指标表", elem_id="lint-btn")
        kind_line = gr.Markdown(elem_id="kind-line")
        table = gr.Dataframe(headers=h.TABLE_HEADERS, interactive=True, wrap=True, elem_id="draft-table",
                             column_count=6, column_limits=(6, 6), column_widths=TABLE_WIDTHS, max_height=720)
        risks = gr.HTML(elem_id="risks")
        lint_status = gr.Markdown(elem_id="lint-status")
        findings = gr.Dataframe(headers=h.FINDING_HEADERS, interactive=False, wrap=True, elem_id="findings",
                                column_widths=FINDING_WIDTHS, max_height=600)
        with gr.Row():
            xlsx_btn = gr.Button("导出 Excel")
            docx_btn = gr.Button("导出 Word")
        out = gr.File(label="导出文件", elem_id="draft-export")
        with gr.Accordion("批量检查：上传含多份申报表的文件（可多选），一并检查（含跨项目套用指标）", open=False,
                          elem_id="batch-check"):
            b_files = gr.File(label="申报表文件（.docx/.xlsx/.pdf/.txt，可多选）", type="filepath",
                              file_count="multiple", elem_id="lint-files")
            b_btn = gr.Button("检查文件中的全部申报表", elem_id="lint-file-btn")
            b_head = gr.Markdown(elem_id="lint-file-head")
            b_table = gr.Dataframe(headers=h.BATCH_HEADERS, interactive=False, wrap=True, elem_id="lint-file-table",
                                   column_widths=BATCH_WIDTHS, max_height=720)
        forms = gr.State([])
    return SimpleNamespace(**{k: v for k, v in locals().items() if k != "gr"})


def _wire(w: Wiring, c: SimpleNamespace) -> None:
    import gradio as gr

    res = w.res
    cleared = ("", "", "", [], None)  # kind line, risks, check summary, findings, export file

    def _suggest(p, k, o, g, b, y):
        head, rows, risk, _ = h.suggest_table(res, p, k or None, o, g, b, y)
        return head, rows, risk, "", [], None

    def _fields(form):
        p, k, o, g, b, y, rows = h.form_fields(form)
        return p, k or "", o, g, b, y, rows

    def _load(path):
        choices, forms, note = h.forms_in_upload(path)
        pick = gr.update(choices=choices, value=0, visible=len(forms) > 1)
        return (*_fields(forms[0]), *cleared, pick, forms, note)

    def _pick(index, forms):
        return (*_fields(forms[int(index or 0)]), *cleared)

    inputs = [c.project, c.kind, c.overview, c.goal, c.budget, c.year]
    resets = [c.kind_line, c.risks, c.lint_status, c.findings, c.out]
    c.suggest_btn.click(w.guard(_suggest), inputs=inputs,
                        outputs=[c.kind_line, c.table, c.risks, c.lint_status, c.findings, c.out], api_name="suggest")
    c.lint_btn.click(w.guard(lambda p, k, o, g, b, y, t: h.lint_table(res, p, k or None, o, g, b, y, t)),
                     inputs=inputs + [c.table], outputs=[c.lint_status, c.findings], api_name="lint")
    c.upload.upload(w.guard(_load), inputs=c.upload, outputs=inputs + [c.table] + resets + [c.pick, c.forms,
                                                                                            c.upload_note],
                    api_name="load_declaration")
    c.pick.input(w.guard(_pick), inputs=[c.pick, c.forms], outputs=inputs + [c.table] + resets,
                 api_visibility="private")
    export_inputs = [c.project, c.kind, c.table, c.findings, c.year, c.budget, c.overview, c.goal]
    for btn, fmt in ((c.xlsx_btn, "xlsx"), (c.docx_btn, "docx")):
        btn.click(w.guard(_exporter(fmt)), inputs=export_inputs, outputs=c.out, api_name=f"export_{fmt}")
    c.b_btn.click(w.guard(lambda files: h.lint_files(res, files)), inputs=c.b_files, outputs=[c.b_head, c.b_table],
                  api_name="lint_file")


def _exporter(fmt: str):
    def export(project, kind, table, findings, year, budget, overview, goal):
        return h.export_draft(project, kind, table, findings, fmt, year, budget, overview, goal)
    export.__name__ = f"export_{fmt}"
    return export
