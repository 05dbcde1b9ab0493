"""The Gradio UI: plain handler functions first, then ``build_app`` wires them into Blocks.

Handlers return plain data so that they can be tested without a browser; user-facing errors
become ``gr.Error`` with the Chinese message.
"""
from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from . import config
from .errors import PbmError


def store_overview(db: str | None = None) -> list[list[Any]]:
    """Rows for the corpus overview table: what the store holds."""
    from .store import Store

    with Store(db) as store:
        counts = store.counts()
    labels = {"documents": "文档", "projects": "项目", "evaluations": "评价结果", "problems": "存在问题",
              "suggestions": "整改建议", "declarations": "申报表", "indicators": "绩效指标",
              "annotations": "标注样本", "model_versions": "模型版本"}
    return [[labels[k], v] for k, v in counts.items()]


def parse_upload(path: str | None) -> tuple[str, str]:
    """Parse an uploaded document without storing it: a summary (escaped HTML) and the records as JSON."""
    from dataclasses import asdict

    from .ingest.registry import parse_file

    if not path:
        raise PbmError("请先上传文件。", "upload a file first.")
    doc = parse_file(path)
    name = html.escape(Path(path).name)
    lines = [f"<b>{name}</b>：{html.escape(doc.doc_type)}，{doc.n_records} 条记录"]
    for d in doc.declarations:
        lines.append(f"申报表 · {html.escape(d.project)}（{d.year or '—'}）：{len(d.indicators)} 个指标")
    for e in doc.evaluations:
        lines.append(f"评价 · {html.escape(e.project)}：{e.score} 分，{len(e.problems)} 个问题")
    records = [asdict(r) for r in doc.declarations + doc.evaluations]
    return "<br>".join(lines), json.dumps(records, ensure_ascii=False, indent=1)


def build_app(db: str | None = None):
    import gradio as gr

    def _overview():
        return store_overview(db)

    def _parse(path):
        try:
            return parse_upload(path)
        except PbmError as exc:
            raise gr.Error(f"{exc.zh}（{exc.en}）") from exc

    with gr.Blocks(title="pbm-nlp 预算绩效管理助手") as demo:
        gr.Markdown("# pbm-nlp 预算绩效管理助手\n为起草人、评价人员和模型维护人员提供绩效目标与绩效评价文本分析。")
        with gr.Tab("语料概况"):
            table = gr.Dataframe(headers=["内容", "数量"], value=_overview, interactive=False)
            gr.Button("刷新").click(_overview, outputs=table, api_name="overview")
        with gr.Tab("文档解析"):
            upload = gr.File(label="上传申报表或评价结果（.txt/.docx/.xlsx/.pdf）", type="filepath")
            summary = gr.HTML()
            records = gr.Code(language="json", label="解析结果")
            upload.change(_parse, inputs=upload, outputs=[summary, records], api_name="parse")
    return demo


__all__ = ["build_app", "parse_upload", "store_overview", "config"]
