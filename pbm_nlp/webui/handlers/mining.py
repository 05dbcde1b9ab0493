"""问题挖掘: recurring problems in the store, charts, copied text, importing more evaluations."""
from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from ... import services
from ...errors import InputError
from ...resources import Resources
from ...services.schema import Actor, IngestRequest, MineRequest
from .common import out_dir

CLUSTER_HEADERS = ["编号", "标签", "条数", "主题", "关键词", "代表性陈述"]
COPY_HEADERS = ["类型", "相似度", "项目", "复用文本"]
#: The drill-down columns shown in the app (the .xlsx has them all, with the texts).
DRILL_KEYS = ("label", "evaluations", "units", "years_span", "year", "unit", "project", "region", "finder",
              "source", "statements")


def choices(res: Resources, include_corpus: bool = False) -> tuple[list[str], list[str], list[str]]:
    return services.mining.facets(res, include_corpus)


def drill_headers() -> list[str]:
    from ...mine.drilldown import COLUMNS

    names = dict(COLUMNS)
    return [names[k] for k in DRILL_KEYS]


def drill_view(result, folder: Path, min_evaluations: int = 2) -> tuple[list[list[Any]], str]:
    """The drill-down rows of problems found in at least ``min_evaluations`` evaluations, and the
    whole table (with the statements' texts) as an .xlsx file."""
    from ...mine.drilldown import drilldown, write_drilldown

    rows = drilldown(result, min_evaluations=min_evaluations)
    path = write_drilldown(result, folder / "反复出现的问题.xlsx", min_evaluations=min_evaluations)
    return [[r[k] if r[k] is not None else "" for k in DRILL_KEYS] for r in rows], str(path)


def _leftover_lines(result) -> str:
    lines = [f"\n- {html.escape(result.statements[e['index']].text[:60])}… → "
             f"{html.escape(e['nearest_label'] or '—')}：{html.escape(e['why'])}" for e in result.leftovers[:5]]
    return ("\n\n**未归类的陈述**（最近的聚类与原因）：" + "".join(lines)) if lines else ""


def mine_view(res: Resources, years: list[str] | None = None, units: list[str] | None = None,
              kinds: list[str] | None = None, include_corpus: bool = False, log=None
              ) -> tuple[str, list[list[Any]], list[str | None], list[list[Any]], list[list[Any]], str, dict]:
    """Mine the filtered statements: a summary, the cluster table, chart files (theme frequency,
    theme × year, theme × kind, cluster sizes), the copied-text table, the drill-down table and its
    .xlsx file, and the raw result."""
    from ...mine.charts import write_charts
    from ...mine.report import _themes_text

    statements = services.mining.filter_statements(services.mining.store_statements(res, include_corpus),
                                                   years, units, kinds)
    result = services.mining.mine(res, MineRequest(statements=statements, log=log or (lambda _m: None)))
    folder = out_dir("mine")
    charts = {p.stem: str(p) for p in write_charts(result, folder)}
    drill, drill_file = drill_view(result, folder)
    agg = result.aggregates
    top = "".join(f"\n{i}. {html.escape(r['label'])}（{r['size']} 条，涉及 {r['evaluations']} 个评价、"
                  f"{r['units']} 个单位{'，' + r['years_span'] if r['years_span'] else ''}）"
                  for i, r in enumerate(agg["top_problems"][:5], start=1))
    n_eval = len({st.evaluation for st in statements if st.evaluation})
    n_corpus = sum(1 for st in statements if not st.evaluation)
    source = f"来自 **{n_eval}** 个评价" + (f"，另有已标注语料 {n_corpus} 条" if n_corpus else "")
    summary = (f"**{agg['statements']}** 条问题陈述（{source}）；"
               f"聚为 **{len(result.clusters)}** 类，未归类 {len(result.unclustered)} 条；"
               f"复用文本 {len(result.copies)} 处。\n\n**反复出现的问题**：{top}{_leftover_lines(result)}")
    rows = [[c["id"], c["label"], c["size"], _themes_text(result, c["id"]), "、".join(c["keywords"]),
             "\n".join(f"· {e}" for e in c["examples"])] for c in result.clusters]
    copies = [["整段存在问题" if cp["kind"] == "section" else "问题陈述", round(cp["similarity"], 2),
               "；".join(cp["projects"]), cp["shared"]] for cp in result.copies]
    chart_paths = [charts.get(k) for k in ("theme_frequency", "theme_year", "theme_kind", "clusters")]
    return summary, rows, chart_paths, copies, drill, drill_file, result.to_dict()


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
