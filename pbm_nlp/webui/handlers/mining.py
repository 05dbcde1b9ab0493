"""问题挖掘: recurring problems in the store, charts, copied text, importing more evaluations."""
from __future__ import annotations

import html
import tempfile
from pathlib import Path
from typing import Any

from ... import services
from ...errors import InputError
from ...resources import Resources
from ...services.schema import Actor, IngestRequest, MineRequest

CLUSTER_HEADERS = ["编号", "标签", "条数", "主题", "关键词", "代表性陈述"]
COPY_HEADERS = ["类型", "相似度", "项目", "复用文本"]


def choices(res: Resources, include_corpus: bool = False) -> tuple[list[str], list[str], list[str]]:
    return services.mining.facets(res, include_corpus)


def mine_view(res: Resources, years: list[str] | None = None, units: list[str] | None = None,
              kinds: list[str] | None = None, include_corpus: bool = False, log=None
              ) -> tuple[str, list[list[Any]], list[str | None], list[list[Any]], dict]:
    """Mine the filtered statements: a summary, the cluster table, chart files (theme frequency,
    theme × year, theme × kind, cluster sizes), the copied-text table and the raw result."""
    from ...mine.charts import write_charts
    from ...mine.report import _themes_text

    statements = services.mining.filter_statements(services.mining.store_statements(res, include_corpus),
                                                   years, units, kinds)
    result = services.mining.mine(res, MineRequest(statements=statements, log=log or (lambda _m: None)))
    charts = {p.stem: str(p) for p in write_charts(result, Path(tempfile.mkdtemp(prefix="pbm-mine-")))}
    agg = result.aggregates
    top = "".join(f"\n{i}. {html.escape(r['label'])}（{r['size']} 条，涉及 {r['evaluations']} 个评价）"
                  for i, r in enumerate(agg["top_problems"][:5], start=1))
    n_eval = len({st.evaluation for st in statements if st.evaluation})
    n_corpus = sum(1 for st in statements if not st.evaluation)
    source = f"来自 **{n_eval}** 个评价" + (f"，另有已标注语料 {n_corpus} 条" if n_corpus else "")
    summary = (f"**{agg['statements']}** 条问题陈述（{source}）；"
               f"聚为 **{len(result.clusters)}** 类，未归类 {len(result.unclustered)} 条；"
               f"复用文本 {len(result.copies)} 处。\n\n**反复出现的问题**：{top}")
    rows = [[c["id"], c["label"], c["size"], _themes_text(result, c["id"]), "、".join(c["keywords"]),
             "\n".join(f"· {e}" for e in c["examples"])] for c in result.clusters]
    copies = [["整段存在问题" if cp["kind"] == "section" else "问题陈述", round(cp["similarity"], 2),
               "；".join(cp["projects"]), cp["shared"]] for cp in result.copies]
    chart_paths = [charts.get(k) for k in ("theme_frequency", "theme_year", "theme_kind", "clusters")]
    return summary, rows, chart_paths, copies, result.to_dict()


def ingest_uploads(res: Resources, actor: Actor, files: list[str] | None, progress=None) -> str:
    """Store uploaded evaluation results / declarations; a bad file is reported, the rest go in."""
    from ...ingest.registry import label_of

    if not files:
        raise InputError("请先选择要导入的文件。", "choose files to import first.")
    done = [0]

    def step(path: Path) -> None:
        done[0] += 1
        if progress:
            progress(done[0] / len(files), path.name)

    report = services.ingest.ingest(res, IngestRequest(list(files), progress=step), actor=actor)
    r = report.records
    lines = [(f"导入 {report.files} 个文件：新增 {report.added}，已存在 {report.unchanged}，失败 {len(report.errors)}；"
              f"新增评价 {r['evaluations']} 个、问题 {r['problems']} 条、申报表 {r['declarations']} 份。")]
    lines += [f"- ✓ {html.escape(Path(d['file']).name)}：{html.escape(label_of(d['doc_type']))}，{d['records']} 条记录"
              f"{'' if d['added'] else '（库中已有）'}" for d in report.documents]
    lines += [f"- ✗ {html.escape(Path(e.file).name)}：{html.escape(e.zh)}" for e in report.errors]
    if report.stopped:
        lines.append(f"\n导入已中止：{html.escape(report.stopped[0])} 未处理的文件："
                     + "、".join(html.escape(Path(p).name) for p in report.not_processed))
    return "\n".join(lines)
