"""Human-readable output of a mining result: the terminal table and the report folder
(charts, a Markdown summary and the JSON)."""
from __future__ import annotations

import json
from pathlib import Path

from ..text.normalize import display_width
from .miner import MiningResult


def _pad(text: str, width: int) -> str:
    """Pad or cut to a display width (a Chinese character takes two cells), keeping one blank cell
    between columns."""
    text = text.replace("\n", " ")
    if display_width(text) < width:
        return text + " " * (width - display_width(text))
    out, used = "", 0
    for ch in text:
        w = display_width(ch) or 1
        if used + w > width - 2:
            break
        out += ch
        used += w
    return out + "…" + " " * (width - used - 1)


def _themes_text(result: MiningResult, cid: int) -> str:
    shares = result.theme_shares[cid] if cid < len(result.theme_shares) else {}
    return "、".join(f"{result.theme_names.get(t, t)} {s:.0%}" for t, s in shares.items()) or "—"


def format_table(result: MiningResult, examples: bool = False) -> str:
    """The plain-text view of `pbm mine`: clusters, themes, copies."""
    agg = result.aggregates
    lines = [(f"问题聚类 clusters: {len(result.clusters)}；未归类 unclustered: {len(result.unclustered)}；"
              f"共 {agg['statements']} 条问题 statements，{agg['evaluations']} 个评价 evaluations"), ""]
    lines.append(f"{_pad('#', 4)}{_pad('规模', 6)}{_pad('标签 label', 34)}{_pad('主题 themes', 30)}关键词 keywords")
    for c in result.clusters:
        lines.append(f"{_pad(str(c['id']), 4)}{_pad(str(c['size']), 6)}{_pad(c['label'], 34)}"
                     f"{_pad(_themes_text(result, c['id']), 30)}{'、'.join(c['keywords'][:6])}")
        if examples:
            lines += [f"      · {_pad(e, 100).rstrip()}" for e in c["examples"]]
    if examples and result.leftovers:
        lines += ["", "未归类 unclustered (最近的聚类 nearest cluster — 原因 why):"]
        for e in result.leftovers[:20]:
            lines.append(f"  [{e['index']}] {_pad(result.statements[e['index']].text, 60).rstrip()}")
            near = f"{e['nearest']}「{e['nearest_label']}」 — " if e["nearest"] is not None else ""
            lines.append(f"      → {near}{e['why']}")
    if "themes" in agg:
        lines += ["", "主题 themes (问题条数 statements / 评价占比 share of evaluations):"]
        lines += [f"  {_pad(r['name'], 26)}{r['statements']:>6}{r['share_of_evaluations']:>8.0%}"
                  for r in agg["themes"] if r["statements"]]
    lines += ["", f"复制文本 copied text: {len(result.copies)}"]
    for cp in result.copies:
        kind = "整段存在问题 section" if cp["kind"] == "section" else "问题陈述 statement"
        lines.append(f"  [{kind}] 相似度 {cp['similarity']:.2f}  项目 {'；'.join(cp['projects'])}  "
                     f"条目 members {cp['members']}")
        lines.append(f"      共有段落 shared: {_pad(cp['shared'], 100).rstrip()}")
    return "\n".join(lines)


def _md_escape(text: str) -> str:
    return text.replace("|", "｜").replace("\n", " ")


def summary_markdown(result: MiningResult, charts: list[Path]) -> str:
    agg = result.aggregates
    out = ["# 问题挖掘报告 / Issue mining report", "",
           (f"- 问题陈述 statements: {agg['statements']}；评价 evaluations: {agg['evaluations']}；"
            f"项目 projects: {agg['projects']}"),
           (f"- 聚类 clusters: {len(result.clusters)}（平均相似度阈值 {agg['clustering']['min_similarity']}，"
            f"最小规模 {agg['clustering']['min_cluster_size']}）；未归类 unclustered: {len(result.unclustered)}"),
           f"- 复制文本 copied text: {len(result.copies)}", ""]
    out += [f"![{p.stem}]({p.name})" for p in charts] + [""]
    if "themes" in agg:
        out += ["## 主题 Themes", "", "| 主题 | 条数 | 涉及评价 | 评价占比 |", "|---|---:|---:|---:|"]
        out += [f"| {r['name']} | {r['statements']} | {r['evaluations']} | {r['share_of_evaluations']:.0%} |"
                for r in agg["themes"]]
        out.append("")
    out += ["## 反复出现的问题 Top recurring problems", "", "| 聚类 | 标签 | 条数 | 涉及评价 | 涉及单位 | 年度 |",
            "|---:|---|---:|---:|---:|---|"]
    out += [f"| {r['cluster']} | {_md_escape(r['label'])} | {r['size']} | {r['evaluations']} | {r['units']} | "
            f"{r['years_span'] or '—'} |" for r in agg["top_problems"]]
    out += ["", "## 聚类 Clusters", ""]
    for c in result.clusters:
        out += [f"### {c['id']}. {c['label']}（{c['size']} 条）", "",
                f"- 关键词：{'、'.join(c['keywords']) or '—'}",
                f"- 主题：{_themes_text(result, c['id'])}", "- 代表性陈述："]
        out += [f"  - {_md_escape(e)}" for e in c["examples"]]
        out.append("")
    out += ["## 复制文本 Copied text", ""]
    if not result.copies:
        out.append("未发现跨项目复用的文本。")
    for cp in result.copies:
        kind = "整段存在问题" if cp["kind"] == "section" else "问题陈述"
        out += [(f"- **{kind}**，相似度 {cp['similarity']:.2f}，项目：{'；'.join(cp['projects'])}"
                 f"（条目 {cp['members']}）"), f"  > {_md_escape(cp['shared'])}"]
    out += ["", "## 未归类 Unclustered", ""]
    for e in result.leftovers[:50]:
        near = f"最近的聚类 {e['nearest']}「{_md_escape(e['nearest_label'])}」：" if e["nearest"] is not None else ""
        out.append(f"- [{e['index']}] {_md_escape(result.statements[e['index']].text[:120])}  \n  *{near}{e['why']}*")
    if len(result.leftovers) > 50:
        out.append(f"- …另有 {len(result.leftovers) - 50} 条，见 mine.json")
    return "\n".join(out) + "\n"


def write_report(result: MiningResult, folder: str | Path) -> list[Path]:
    """Charts (PNG), summary.md and mine.json in ``folder``; returns the files written."""
    from .charts import write_charts

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    charts = write_charts(result, folder)
    md = folder / "summary.md"
    md.write_text(summary_markdown(result, charts), encoding="utf-8")
    js = folder / "mine.json"
    js.write_text(json.dumps(result.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    return charts + [md, js]
