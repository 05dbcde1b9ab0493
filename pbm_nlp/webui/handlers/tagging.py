"""问题标注: tag pasted or uploaded problems, evidence highlighted, rectification, export."""
from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from ... import services
from ...errors import InputError
from ...resources import Resources
from ...services.schema import Tagged, TagRequest
from .common import bounded, fmt_themes, highlight, out_file, paths, table_rows, theme_names

TAG_HEADERS = ["序号", "来源", "问题", "主题", "分数", "整改建议"]


def problems_from_input(res: Resources, text: str | None, upload: str | list[str] | None
                        ) -> tuple[list[tuple[str, str]], list[str]]:
    """(source, statement) pairs from uploads (their 存在问题 items) or pasted text, and one line per
    uploaded file: how many problems it gave, or why it gave none (the other files are still tagged)."""
    files = paths(upload)
    if files:
        pairs, errors = services.tagging.problems_in_files(files)
        failed = {e.file: e.zh for e in errors}
        lines = []
        for path in files:
            name = Path(path).name
            n = sum(1 for source, _ in pairs if source.split(" · ")[0] == name)
            lines.append(f"✗ {name}：{failed[name]}" if name in failed else f"✓ {name}：{n} 条问题")
        if not pairs:
            raise InputError("上传的文件中没有可标注的问题：" + "；".join(lines), "no problems found in the uploads.")
        return pairs, lines
    text = bounded(res, text, "问题文本").strip()
    if not text:
        raise InputError("请粘贴问题文本或上传评价结果。", "paste problem text or upload an evaluation first.")
    return [("粘贴文本", t) for t in services.tagging.problems_in_text(text)], []


def _block(i: int, t: Tagged, names: dict[str, str]) -> str:
    phrases = [p["phrase"] for ps in (t.evidence or {}).get("phrases", {}).values() for p in ps]
    scores = "，".join(f"{names.get(k, k)} {t.scores[k]:.2f}" for k in t.themes) or "无主题"
    neigh = "".join(f"<li>{html.escape(n['text'][:80])}（{html.escape(fmt_themes(n['themes'], names))}，"
                    f"相似度 {n['similarity']:.2f}）</li>" for n in (t.evidence or {}).get("neighbours", []))
    sug = f"<p><b>整改建议：</b>{html.escape(t.rectification)}</p>" if t.rectification else ""
    src = f"<small>{html.escape(t.source)}</small>" if t.source != "粘贴文本" else ""
    return (f"<div class='pbm-item'>{src}<p><b>{i}.</b> {highlight(t.text, phrases)}</p>"
            f"<p><b>主题：</b>{html.escape(scores)}</p>{sug}"
            f"<details><summary>相近的已标注样本</summary><ul>{neigh}</ul></details></div>")


def tag_problems(res: Resources, text: str | None, upload: str | list[str] | None = None,
                 threshold: float | None = None, rectify: bool = True, allow_none: bool = False
                 ) -> tuple[str, list[list[Any]], list[dict]]:
    """Tag each problem: HTML with evidence highlighted, a table, and the raw results. Problem mode
    (each statement gets its likeliest theme) unless ``allow_none``."""
    pairs, notes = problems_from_input(res, text, upload)
    tagged = services.tagging.tag(res, TagRequest([t for _, t in pairs], threshold=threshold, split_items=False,
                                                  rectify=rectify, sources=[s for s, _ in pairs],
                                                  allow_none=allow_none))
    names = theme_names()
    blocks = ["<ul class='pbm-files'>" + "".join(f"<li>{html.escape(n)}</li>" for n in notes) + "</ul>"] if notes else []
    blocks += [_block(i, t, names) for i, t in enumerate(tagged, start=1)]
    rows = [[i, t.source, t.text, fmt_themes(t.themes, names),
             "，".join(f"{names.get(k, k)} {v:.2f}" for k, v in list(t.scores.items())[:3]), t.rectification or ""]
            for i, t in enumerate(tagged, start=1)]
    return "".join(blocks), rows, [t.to_dict() for t in tagged]


def export_tagged(table: Any) -> str:
    """The tagging table as an .xlsx an evaluator can file or sort."""
    from ...sheets import write_table

    rows = table_rows(table)
    if not rows:
        raise InputError("没有可导出的标注结果：请先标注。", "nothing to export: tag some problems first.")
    out = out_file("tags", "问题标注结果.xlsx")
    return str(write_table(TAG_HEADERS, rows, out, "问题标注结果", widths=(6, 30, 60, 24, 30, 60)))
