"""语料概况: what the store holds; parse an upload without storing it."""
from __future__ import annotations

import html
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ... import services
from ...errors import InputError
from ...resources import Resources

LABELS = {"documents": "文档", "projects": "项目", "evaluations": "评价结果", "problems": "存在问题",
          "suggestions": "整改建议", "declarations": "申报表", "indicators": "绩效指标",
          "annotations": "标注样本", "model_versions": "模型版本"}


def store_overview(res: Resources) -> list[list[Any]]:
    with res.store() as store:
        counts = store.counts()
    return [[LABELS[k], v] for k, v in counts.items()]


def parse_upload(path: str | None) -> tuple[str, str]:
    """Parse an uploaded document without storing it: a summary (escaped HTML) and the records as JSON."""
    from ...ingest.registry import label_of

    if not path:
        raise InputError("请先上传文件。", "upload a file first.")
    doc = services.ingest.parse_document(path)
    lines = [f"<b>{html.escape(Path(path).name)}</b>：{html.escape(label_of(doc.doc_type))}，{doc.n_records} 条记录"]
    lines += [f"申报表 · {html.escape(d.project)}（{d.year or '—'}）：{len(d.indicators)} 个指标" for d in doc.declarations]
    lines += [f"评价 · {html.escape(e.project)}：{e.score} 分，{len(e.problems)} 个问题" for e in doc.evaluations]
    records = [asdict(r) for r in doc.declarations + doc.evaluations]
    return "<br>".join(lines), json.dumps(records, ensure_ascii=False, indent=1)


def warm_up(res: Resources) -> None:
    """Load the tagger, the encoder and the drafting context in the background after start-up, so
    that the first user does not wait for them. Failures are left for the handlers to report."""
    import logging

    try:
        res.tagger.tag(["项目验收资料不完整。"])
        res.drafting_context()
    except Exception as exc:  # noqa: BLE001 - the handler that needs the part will say what is wrong
        logging.getLogger(__name__).info("warm-up skipped: %s", exc)
