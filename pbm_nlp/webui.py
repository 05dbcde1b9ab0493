"""The Gradio UI: plain handler functions first, then ``build_app`` wires them into Blocks.

Handlers take and return plain data, so they are tested without a browser; user-facing errors
become ``gr.Error`` with the Chinese message. Every piece of document text shown as HTML is
escaped first. Trainer-only actions check the caller's role on the server.
"""

import html
import json
import tempfile
from pathlib import Path
from typing import Any

from . import auth
from .errors import PbmError


def _theme_names() -> dict[str, str]:
    from .themes.taxonomy import theme_names

    return theme_names()


def _bounded(text: str | None, what: str) -> str:
    """Pasted text, refused with a clear message when it is longer than one request should be."""
    from . import config
    from .errors import too_long

    text = text or ""
    if len(text) > config.MAX_TEXT_CHARS:
        raise too_long(what, len(text), config.MAX_TEXT_CHARS)
    return text


def _fmt_themes(ids: list[str], names: dict[str, str]) -> str:
    return "、".join(f"{names.get(t, t)}" for t in ids) or "（无主题）"


# ---- corpus overview and parsing ---------------------------------------------------------------

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


# ---- tagging -----------------------------------------------------------------------------------

def highlight(text: str, phrases: list[str]) -> str:
    """Escaped text with the evidence phrases marked (longest first, no nesting)."""
    import re

    phrases = sorted({p for p in phrases if p and len(p) >= 2}, key=len, reverse=True)
    if not phrases:
        return html.escape(text)
    pattern = re.compile("|".join(re.escape(p) for p in phrases))
    out, last = [], 0
    for m in pattern.finditer(text):
        out.append(html.escape(text[last:m.start()]))
        out.append(f"<mark>{html.escape(m.group(0))}</mark>")
        last = m.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def _paths(path: str | list[str] | None) -> list[str]:
    if not path:
        return []
    return [path] if isinstance(path, str) else [str(x) for x in path if x]


def problems_from_input(text: str | None, path: str | list[str] | None) -> list[tuple[str, str]]:
    """(source, statement) pairs from pasted text (a 存在问题 paragraph or one statement per line)
    or from uploaded evaluations (their 存在问题 items, with file and project as the source)."""
    from .text.segment import split_problem_items

    paths = _paths(path)
    if paths:
        from .ingest.registry import parse_file

        out: list[tuple[str, str]] = []
        for one in paths:
            doc = parse_file(one)
            items = [(f"{Path(one).name} · {e.project}", p.text) for e in doc.evaluations for p in e.problems]
            if not items:
                raise PbmError(f"{Path(one).name} 中没有找到“存在问题”条目（它是{doc.doc_type}）。",
                               f"no 存在问题 items found in {Path(one).name} (it is a {doc.doc_type}).")
            out += items
        return out
    text = _bounded(text, "问题文本").strip()
    if not text:
        raise PbmError("请粘贴问题文本或上传评价结果。", "paste problem text or upload an evaluation first.")
    items = split_problem_items(text)
    if len(items) == 1 and "\n" in text:
        items = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return [("粘贴文本", it) for it in items]


TAG_HEADERS = ["序号", "来源", "问题", "主题", "分数", "整改建议"]


def tag_problems(text: str | None, path: str | list[str] | None = None, threshold: float | None = None,
                 with_rectification: bool = True, db: str | None = None) -> tuple[str, list[list[Any]], list[dict]]:
    """Tag each problem; HTML with evidence highlighted, a table, and the raw results."""
    from .themes.service import shared_tagger

    pairs = problems_from_input(text, path)
    items = [t for _, t in pairs]
    names = _theme_names()
    results = shared_tagger().tag(items, threshold=threshold)
    rect = _rectify(items, db) if with_rectification else [None] * len(items)
    blocks, rows = [], []
    for i, ((source, _), r, sug) in enumerate(zip(pairs, results, rect), start=1):
        phrases = [p["phrase"] for ps in r["evidence"]["phrases"].values() for p in ps]
        scores = "，".join(f"{names.get(t, t)} {r['scores'][t]:.2f}" for t in r["themes"]) or "无主题"
        neigh = "".join(f"<li>{html.escape(n['text'][:80])}（{html.escape(_fmt_themes(n['themes'], names))}，"
                        f"相似度 {n['similarity']:.2f}）</li>" for n in r["evidence"]["neighbours"])
        sug_html = f"<p><b>整改建议：</b>{html.escape(sug)}</p>" if sug else ""
        src_html = f"<small>{html.escape(source)}</small>" if source != "粘贴文本" else ""
        blocks.append(f"<div class='pbm-item'>{src_html}<p><b>{i}.</b> {highlight(r['text'], phrases)}</p>"
                      f"<p><b>主题：</b>{html.escape(scores)}</p>{sug_html}"
                      f"<details><summary>相近的已标注样本</summary><ul>{neigh}</ul></details></div>")
        rows.append([i, source, r["text"], _fmt_themes(r["themes"], names),
                     ", ".join(f"{t}:{r['scores'][t]:.2f}" for t in list(r["scores"])[:3]), sug or ""])
        r["rectification"] = sug
        r["source"] = source
    return "".join(blocks), rows, results


def export_tagged(table: Any) -> str:
    """The tagging table as an .xlsx an evaluator can file or sort."""
    from .sheets import write_table

    rows = _table_rows(table)
    if not rows:
        raise PbmError("没有可导出的标注结果：请先标注。", "nothing to export: tag some problems first.")
    out = Path(tempfile.mkdtemp(prefix="pbm-tags-")) / "问题标注结果.xlsx"
    return str(write_table(TAG_HEADERS, rows, out, "问题标注结果", widths=(6, 30, 60, 24, 30, 60)))


def _rectify(items: list[str], db: str | None = None) -> list[str | None]:
    from .drafting.context import drafting_context
    from .drafting.rectify.writer import Rectifier

    writer = Rectifier(drafting_context(db))
    return [writer.rectify({"problem": it}).get("suggestion") for it in items]


# ---- drafting assistant -----------------------------------------------------------------------

KINDS = ("信息化建设", "信息化运维", "会议", "培训", "宣传", "课题调研", "后勤服务", "政府购买服务", "设备购置", "基本建设",
         "补助补贴", "运维养护")
TABLE_HEADERS = ["一级指标", "二级指标", "三级指标", "指标值", "依据", "理由"]


def _request(project: str, kind: str | None, overview: str, annual_goal: str, budget: Any, year: Any) -> dict:
    if not (project or "").strip():
        raise PbmError("请填写项目名称。", "the project name is required.")
    req: dict[str, Any] = {"project": _bounded(project, "项目名称").strip(),
                           "overview": _bounded(overview, "项目概况").strip(),
                           "annual_goal": _bounded(annual_goal, "年度目标").strip()}
    if kind:
        req["kind"] = kind
    if budget not in (None, "", 0):
        req["budget"] = float(budget)
    if year not in (None, "", 0):
        req["year"] = int(year)
    return req


def suggest_table(project: str, kind: str | None, overview: str, annual_goal: str, budget: Any = None,
                  year: Any = None, db: str | None = None) -> tuple[str, list[list[Any]], str, dict]:
    """Suggested indicators as editable rows, the kind line, the risk forecast (escaped HTML)."""
    from .drafting.context import drafting_context
    from .drafting.suggest import suggest

    result = suggest(_request(project, kind, overview, annual_goal, budget, year), drafting_context(db))
    conf = result.get("kind_confidence")
    head = f"**项目类别**：{result['kind']}" + (f"（推断，置信度 {conf:.0%}）" if conf is not None and not kind else "")
    others = [k for k, v in (result.get("kind_alternatives") or {}).items()
              if k != result["kind"] and conf is not None and v >= 0.5 * conf]
    if others and not kind:
        head += f"；也可能是{'、'.join(others)}，可在“项目类别”中指定后重新生成。"
    rows = [[i["level1"], i["level2"], i["name"], i["target"], i.get("basis", ""), i.get("reason", "")]
            for i in result["indicators"]]
    return head, rows, risks_html(result.get("risks", [])), result


def risks_html(risks: list[dict]) -> str:
    if not risks:
        return "<p>未发现同类项目的突出问题。</p>"
    out = ["<h4>同类项目曾被指出的问题（风险预测）</h4>"]
    for r in risks:
        ev = "".join(f"<li>{html.escape(str(e.get('project') or ''))}：{html.escape(str(e.get('problem', ''))[:100])}"
                     f"（相似度 {float(e.get('similarity', 0)):.2f}）</li>" for e in r.get("evidence", [])[:3])
        inds = r.get("preempt_indicators", [])
        meas = r.get("preempt_measures", [])
        pre_html = "".join(f"<li>建议指标：{html.escape(str(i.get('name')))} {html.escape(str(i.get('target')))}</li>"
                           for i in inds) + "".join(f"<li>管理措施：{html.escape(str(m))}</li>" for m in meas)
        out.append(f"<div class='pbm-item'><b>{html.escape(str(r.get('name', r.get('theme'))))}</b> "
                   f"概率 {float(r.get('probability', 0)):.0%}<ul>{ev}</ul><ul>{pre_html}</ul></div>")
    return "".join(out)


def _table_rows(table: Any) -> list[list[Any]]:
    if table is None:
        return []
    if hasattr(table, "values"):
        return [list(r) for r in table.values.tolist()]
    if isinstance(table, dict) and "data" in table:
        return table["data"]
    return [list(r) for r in table]


def lint_table(project: str, kind: str | None, overview: str, annual_goal: str, budget: Any, year: Any,
               table: Any, db: str | None = None) -> list[list[Any]]:
    """Check the (edited) table as an evaluator would: one row per finding."""
    from .drafting.context import drafting_context
    from .drafting.lint import lint
    from .drafting.rules import SEVERITY_ZH

    req = _request(project, kind, overview, annual_goal, budget, year)
    req["indicators"] = [{"level1": r[0], "level2": r[1], "name": r[2], "target": r[3]}
                         for r in _table_rows(table) if len(r) >= 4 and str(r[2] or "").strip()]
    if not req["indicators"]:
        raise PbmError("指标表为空：请先生成或填写指标。", "the indicator table is empty: suggest or fill it first.")
    (report,) = lint([req], drafting_context(db))
    return [[SEVERITY_ZH.get(f["severity"], f["severity"]), f["rule"], f.get("indicator") or "—", f["message"],
             f.get("fix") or "", f.get("theme") or ""] for f in report["findings"]]


def declaration_from_upload(path: str | None) -> tuple[str, str | None, str, str, Any, Any, list[list[Any]]]:
    """The first 申报表 in an uploaded file, to fill the drafting form."""
    from .ingest.registry import parse_file

    if not path:
        raise PbmError("请先上传申报表。", "upload a declaration first.")
    doc = parse_file(path)
    if not doc.declarations:
        raise PbmError(f"{Path(path).name} 不是绩效目标申报表。", f"{Path(path).name} is not a declaration.")
    d = doc.declarations[0]
    kind = next((k for k in KINDS if d.kind and k in d.kind), None)
    rows = [[i.level1, i.level2 or "", i.name, i.target, "原申报表", ""] for i in d.indicators]
    return d.project, kind, d.overview or d.total_goal, d.annual_goal, d.budget, d.year, rows


def lint_file(path: str | None, db: str | None = None) -> tuple[str, list[list[Any]]]:
    """Every 申报表 in an uploaded file checked together, so that forms reusing one indicator set
    (boilerplate_set) are found as well as each form's own faults."""
    from .drafting.context import drafting_context
    from .drafting.lint import lint
    from .drafting.rules import SEVERITY_ZH
    from .ingest.registry import parse_file
    from .schema import to_dict

    if not path:
        raise PbmError("请先上传申报表文件。", "upload a declaration file first.")
    doc = parse_file(path)
    if not doc.declarations:
        raise PbmError(f"{Path(path).name} 中没有绩效目标申报表（它是{doc.doc_type}）。",
                       f"{Path(path).name} holds no declaration (it is a {doc.doc_type}).")
    decls = [to_dict(d) | {"kind": d.kind} for d in doc.declarations]
    reports = lint(decls, drafting_context(db))
    rows = [[r["project"], SEVERITY_ZH.get(f["severity"], f["severity"]), f["rule"], f.get("indicator") or "—", f["message"],
             f.get("fix") or ""] for r in reports for f in r["findings"]]
    n_err = sum(1 for r in rows if r[1] == "错误")
    head = (f"{html.escape(Path(path).name)}：{len(decls)} 份申报表，{len(rows)} 条检查意见（其中错误 {n_err} 条）。"
            if rows else f"{html.escape(Path(path).name)}：{len(decls)} 份申报表，未发现问题。")
    return head, rows


def export_draft(project: str, kind: str | None, table: Any, findings: Any, fmt: str) -> str:
    """Write the table (and findings) as a 申报表-like .xlsx or .docx; returns the file path."""
    from .drafting.export import write

    rows = _table_rows(table)
    result = {"project": project or "未命名项目", "kind": kind or "",
              "indicators": [{"level1": r[0], "level2": r[1], "name": r[2], "target": r[3],
                              "basis": r[4] if len(r) > 4 else "", "reason": r[5] if len(r) > 5 else ""}
                             for r in rows if len(r) >= 4],
              "findings": [{"severity": f[0], "rule": f[1], "indicator": f[2], "message": f[3], "fix": f[4],
                            "theme": f[5] if len(f) > 5 else ""} for f in _table_rows(findings) if len(f) >= 5]}
    safe = "".join(ch for ch in (project or "draft") if ch.isalnum())[:40] or "draft"
    out = Path(tempfile.mkdtemp(prefix="pbm-draft-")) / f"{safe}.{fmt}"
    write(result, out)
    return str(out)


# ---- issue mining -------------------------------------------------------------------------------

def mining_statements(db: str | None, include_corpus: bool) -> list:
    """The store's problem statements, plus the labelled training corpus when asked (kinds, no years)."""
    from .mine.records import from_store
    from .store import Store

    with Store(db) as store:
        return from_store(store, corpus=include_corpus)


def _facets(st) -> tuple[str, str, str]:
    from .mine.records import UNKNOWN, project_kind

    return (str(st.year) if st.year else UNKNOWN, st.unit or UNKNOWN, project_kind(st))


def mining_choices(db: str | None, include_corpus: bool = True) -> tuple[list[str], list[str], list[str]]:
    """The years, units and project kinds present, for the filters."""
    try:
        facets = [_facets(s) for s in mining_statements(db, include_corpus)]
    except PbmError:
        return [], [], []
    return tuple(sorted({f[i] for f in facets}) for i in range(3))  # type: ignore[return-value]


def filter_statements(statements: list, years: list[str] | None, units: list[str] | None,
                      kinds: list[str] | None) -> list:
    """Keep the statements whose year, unit and kind are among the chosen ones (none chosen: all)."""
    wanted = [set(years or ()), set(units or ()), set(kinds or ())]
    return [s for s in statements if all(not w or f in w for w, f in zip(wanted, _facets(s)))]


def mine_view(db: str | None, years: list[str] | None = None, units: list[str] | None = None,
              kinds: list[str] | None = None, include_corpus: bool = True, log=None
              ) -> tuple[str, list[list[Any]], list[str | None], list[list[Any]], dict]:
    """Mine the filtered statements: a summary, the cluster table, chart files (theme frequency,
    theme × year, theme × kind, cluster sizes), the copied-text table and the raw result."""
    from .mine import mine
    from .mine.charts import write_charts
    from .mine.report import _themes_text

    statements = filter_statements(mining_statements(db, include_corpus), years, units, kinds)
    if len(statements) < 2:
        raise PbmError(f"筛选后只剩 {len(statements)} 条问题陈述，无法聚类：请放宽年度、单位或类别筛选。",
                       f"only {len(statements)} statements match the filters: widen them to mine.")
    result = mine(statements, log=log)
    folder = Path(tempfile.mkdtemp(prefix="pbm-mine-"))
    charts = {p.stem: str(p) for p in write_charts(result, folder)}
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
    paths = [charts.get(k) for k in ("theme_frequency", "theme_year", "theme_kind", "clusters")]
    return summary, rows, paths, copies, result.to_dict()


def ingest_uploads(db: str | None, paths: list[str] | None, progress=None) -> str:
    """Store uploaded evaluation results / declarations; a bad file is reported, the rest go in."""
    from .pipeline import ingest_paths
    from .store import Store

    if not paths:
        raise PbmError("请先选择要导入的文件。", "choose files to import first.")
    done = [0]

    def step(path: Path) -> None:
        done[0] += 1
        if progress:
            progress(done[0] / len(paths), f"{path.name}")

    with Store(db) as store:
        report = ingest_paths(paths, store, progress=step)
    r = report.records
    lines = [(f"导入 {report.files} 个文件：新增 {report.added}，已存在 {report.unchanged}，失败 {len(report.errors)}；"
              f"新增评价 {r['evaluations']} 个、问题 {r['problems']} 条、申报表 {r['declarations']} 份。")]
    lines += [f"- {html.escape(Path(e['file']).name)}：{html.escape(e['错误'])}" for e in report.errors]
    return "\n".join(lines)


# ---- trainer's review loop ---------------------------------------------------------------------

def review_rows(db: str | None = None, limit: int = 50) -> list[list[Any]]:
    from .store import Store
    from .themes.review import review_queue
    from .themes.service import shared_tagger

    names = _theme_names()
    with Store(db) as store:
        queue = review_queue(store, shared_tagger(), limit=limit)
    return [[q["annotation_id"], q["reason"], _fmt_themes(q["themes"], names), _fmt_themes(q["predicted"], names),
             q["text"]] for q in queue]


def save_labels(db: str | None, annotation_id: Any, themes: list[str], reviewer: str) -> str:
    from .store import Store
    from .themes.review import correct_labels

    if annotation_id in (None, ""):
        raise PbmError("请先在队列中选择一个样本。", "select an example in the queue first.")
    with Store(db) as store:
        correct_labels(store, int(annotation_id), themes, reviewer)
    return (f"已保存样本 {int(annotation_id)} 的标签：{_fmt_themes(themes, _theme_names())}（审阅人 {html.escape(reviewer)}）；"
            "该样本已移出审阅队列。")


def annotation_themes(db: str | None, annotation_id: Any) -> tuple[str, list[str]]:
    from .store import Store

    with Store(db) as store:
        row = store.conn.execute("SELECT text, themes FROM annotations WHERE id=?", (int(annotation_id),)).fetchone()
    if row is None:
        raise PbmError(f"没有编号为 {annotation_id} 的样本", f"no annotation {annotation_id}")
    return row["text"], json.loads(row["themes"])


def metrics_table(before: dict | None, after: dict | None) -> list[list[Any]]:
    """Per-theme F1 (out-of-fold and dev) before and after a retrain, then micro/macro; either side
    may be missing (no model yet, or no retrain yet)."""
    names = _theme_names()

    def part(m: dict | None, split: str) -> dict:
        return (m or {}).get(split) or {}

    labels = list(part(after, "out_of_fold").get("per_theme") or part(before, "out_of_fold").get("per_theme") or {})
    rows = [[f"{names.get(lab, lab)} ({lab})"] + [(part(m, split).get("per_theme") or {}).get(lab, {}).get("f1")
                                                  for split in ("out_of_fold", "dev") for m in (before, after)]
            for lab in labels]
    rows += [[zh] + [part(m, split).get(key) for split in ("out_of_fold", "dev") for m in (before, after)]
             for key, zh in (("micro_f1", "micro-F1"), ("macro_f1", "macro-F1"))]
    return rows if labels else []


def current_metrics_rows() -> list[list[Any]]:
    """The active model's figures in the "before" columns, so the trainer sees them before retraining."""
    return metrics_table(active_metrics(), None)


def active_metrics() -> dict | None:
    from .themes.registry import TAGGER, active_dir

    try:
        return json.loads((active_dir(TAGGER) / "metrics.json").read_text(encoding="utf-8"))
    except PbmError:
        return None


def retrain(db: str | None, progress=None) -> tuple[list[list[Any]], str]:
    from .pipeline import load_annotations, train_tagger_from_store
    from .store import Store

    before = active_metrics()
    with Store(db) as store:
        load_annotations(store)
        after = train_tagger_from_store(store, progress=progress, log=lambda _m: None)
    msg = (f"新版本 {after['version']}：开发集 macro-F1 "
           f"{(after.get('dev') or {}).get('macro_f1', '—')}（此前 {((before or {}).get('dev') or {}).get('macro_f1', '—')}）")
    return metrics_table(before, after), msg


def version_rows() -> list[list[Any]]:
    from .themes.registry import TAGGER, list_versions

    return [["●" if v["active"] else "", v["version"], v["created"], v["summary"].get("oof_macro_f1"),
             v["summary"].get("dev_macro_f1")] for v in reversed(list_versions(TAGGER))]


def warm_up(db: str | None = None) -> None:
    """Load the tagger, the encoder and the drafting context in the background after start-up, so
    that the first user does not wait for them. Failures are left for the handlers to report."""
    try:
        from .drafting.context import drafting_context
        from .themes.service import shared_tagger

        shared_tagger().tag(["项目验收资料不完整。"])
        drafting_context(db)
    except Exception as exc:  # noqa: BLE001 - the handler that needs the part will say what is wrong
        import logging

        logging.getLogger(__name__).info("warm-up skipped: %s", exc)


# ---- wiring ------------------------------------------------------------------------------------

CSS = """
.pbm-item {border-left: 3px solid #4a7bd0; padding: 4px 10px; margin: 8px 0;}
mark {background: #ffe08a; padding: 0 1px;}
"""


def build_app(db: str | None = None, users: dict[str, auth.User] | None = None):
    import gradio as gr

    users = auth.load_users() if users is None else users

    def guard(fn):
        """Turn our errors into gr.Error with the Chinese message (and the English one)."""
        import functools

        @functools.wraps(fn)
        def inner(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except PbmError as exc:
                raise gr.Error(f"{exc.zh}（{exc.en}）") from exc
        return inner

    def who(request: gr.Request | None, typed: str = "") -> str:
        name = getattr(request, "username", None) if request is not None else None
        return name or (typed.strip() or "local")

    def allow(request: gr.Request | None, *roles: str) -> None:
        """Refuse the call on the server unless the signed-in user has one of ``roles``."""
        auth.require(getattr(request, "username", None) if request is not None else None, users, *roles)

    def trainer_only(request: gr.Request | None) -> None:
        allow(request, "trainer")

    theme_choices = lambda: [(f"{n}（{i}）", i) for i, n in _theme_names().items()]

    with gr.Blocks(title="pbm-nlp 预算绩效管理助手") as demo:
        gr.Markdown("# pbm-nlp 预算绩效管理助手\n为起草人、评价人员和模型维护人员提供绩效目标与绩效评价文本分析。")

        with gr.Tab("起草助手", id="draft"):
            gr.Markdown("填写新项目信息（或上传已有申报表），生成建议的绩效指标表；表格可直接编辑，"
                        "再按评价人员的视角检查，并导出为 Excel / Word 申报表。")
            with gr.Row():
                with gr.Column(scale=3):
                    d_project = gr.Textbox(label="项目名称", placeholder="例如：河道保洁养护项目")
                    with gr.Row():
                        d_kind = gr.Dropdown(label="项目类别（可不选，自动推断）", choices=[""] + list(KINDS), value="")
                        d_budget = gr.Number(label="预算（元）", value=None)
                        d_year = gr.Number(label="年度", value=None, precision=0)
                    d_overview = gr.Textbox(label="项目概况", lines=4,
                                            placeholder="例如：对全区32条河道开展日常保洁养护，保洁面积约120万平方米……")
                    d_goal = gr.Textbox(label="年度目标", lines=2)
                with gr.Column(scale=2):
                    d_upload = gr.File(label="或上传申报表（.docx/.xlsx/.pdf/.txt）", type="filepath")
            with gr.Row():
                d_suggest = gr.Button("生成指标建议", variant="primary", elem_id="suggest-btn")
                d_lint = gr.Button("检查指标表", elem_id="lint-btn")
            d_kindline = gr.Markdown()
            d_table = gr.Dataframe(headers=TABLE_HEADERS, interactive=True, wrap=True, elem_id="draft-table",
                                   column_count=6, column_limits=(6, 6))
            d_risks = gr.HTML()
            d_findings = gr.Dataframe(headers=["级别", "规则", "指标", "问题", "修改建议", "对应评价主题"],
                                      interactive=False, wrap=True)
            with gr.Row():
                d_xlsx = gr.Button("导出 Excel")
                d_docx = gr.Button("导出 Word")
            d_file = gr.File(label="导出文件")
            with gr.Accordion("批量检查：上传含多份申报表的文件，一并检查（含跨项目套用指标）", open=False):
                b_file = gr.File(label="申报表文件（.docx/.xlsx/.pdf/.txt）", type="filepath")
                b_btn = gr.Button("检查文件中的全部申报表", elem_id="lint-file-btn")
                b_head = gr.Markdown()
                b_table = gr.Dataframe(headers=["项目", "级别", "规则", "指标", "问题", "修改建议"], interactive=False,
                                       wrap=True, elem_id="lint-file-table")
                b_btn.click(guard(lambda path: lint_file(path, db)), inputs=b_file, outputs=[b_head, b_table],
                            api_name="lint_file")

            @guard
            def _suggest(project, kind, overview, goal, budget, year):
                head, rows, risk, _ = suggest_table(project, kind or None, overview, goal, budget, year, db=db)
                return head, rows, risk

            @guard
            def _lint(project, kind, overview, goal, budget, year, table):
                return lint_table(project, kind or None, overview, goal, budget, year, table, db=db)

            @guard
            def _load(path):
                project, kind, overview, goal, budget, year, rows = declaration_from_upload(path)
                return project, kind or "", overview, goal, budget, year, rows

            d_inputs = [d_project, d_kind, d_overview, d_goal, d_budget, d_year]
            d_suggest.click(_suggest, inputs=d_inputs, outputs=[d_kindline, d_table, d_risks], api_name="suggest")
            d_lint.click(_lint, inputs=d_inputs + [d_table], outputs=d_findings, api_name="lint")
            d_upload.upload(_load, inputs=d_upload, outputs=d_inputs + [d_table], api_name="load_declaration")
            d_xlsx.click(guard(lambda p, k, t, f: export_draft(p, k, t, f, "xlsx")),
                         inputs=[d_project, d_kind, d_table, d_findings], outputs=d_file, api_name="export_xlsx")
            d_docx.click(guard(lambda p, k, t, f: export_draft(p, k, t, f, "docx")),
                         inputs=[d_project, d_kind, d_table, d_findings], outputs=d_file, api_name="export_docx")

        with gr.Tab("问题标注", id="tag"):
            gr.Markdown("粘贴评价报告的“存在问题”段落（或每行一条问题），或上传评价结果文件；逐条标注问题主题，"
                        "高亮判断依据，并给出整改建议。")
            with gr.Row():
                tag_text = gr.Textbox(label="问题文本", lines=8, placeholder="1、项目后续运维管理机制不够健全。……")
                tag_file = gr.File(label="或上传评价结果（.txt/.docx/.xlsx/.pdf，可多选）", type="filepath",
                                   file_count="multiple")
            tag_btn = gr.Button("标注", variant="primary")
            tag_html = gr.HTML()
            tag_table = gr.Dataframe(headers=TAG_HEADERS, interactive=False, wrap=True,
                                     column_widths=["5%", "15%", "30%", "14%", "14%", "22%"])
            tag_json = gr.JSON(label="完整结果", visible=False)
            with gr.Row():
                tag_export = gr.Button("导出 Excel")
                tag_out = gr.File(label="导出文件")

            @guard
            def _tag(text, paths, progress=gr.Progress()):
                progress(0.1, desc="标注中")
                return tag_problems(text, paths, db=db)

            tag_btn.click(_tag, inputs=[tag_text, tag_file], outputs=[tag_html, tag_table, tag_json], api_name="tag")
            tag_export.click(guard(export_tagged), inputs=tag_table, outputs=tag_out, api_name="export_tags")

        with gr.Tab("问题挖掘", id="mine"):
            gr.Markdown("汇总库中的评价结果：把反复出现的问题聚成类（自动确定类数），给出标签、关键词、主题和代表性陈述；"
                        "按年度、项目类别统计主题，并找出跨项目复用的问题文本。可先导入更多评价结果。")
            years0, units0, kinds0 = mining_choices(db)
            with gr.Row():
                m_years = gr.Dropdown(label="年度", choices=years0, multiselect=True)
                m_units = gr.Dropdown(label="单位", choices=units0, multiselect=True)
                m_kinds = gr.Dropdown(label="项目类别", choices=kinds0, multiselect=True)
                m_corpus = gr.Checkbox(label="包含已标注语料", value=True)
            with gr.Row():
                m_btn = gr.Button("开始挖掘", variant="primary", elem_id="mine-btn")
                m_files = gr.File(label="导入评价结果 / 申报表（可多选）", file_count="multiple", type="filepath")
                m_ingest = gr.Button("导入数据库")
            m_ingest_msg = gr.Markdown()
            m_summary = gr.Markdown(elem_id="mine-summary")
            m_clusters = gr.Dataframe(headers=["编号", "标签", "条数", "主题", "关键词", "代表性陈述"], interactive=False,
                                      wrap=True, max_height=480, elem_id="mine-clusters",
                                      column_widths=["6%", "18%", "6%", "16%", "18%", "36%"])
            with gr.Row():
                m_freq = gr.Image(label="问题主题出现频次", type="filepath", interactive=False)
                m_year = gr.Image(label="问题主题 × 年度", type="filepath", interactive=False)
            with gr.Row():
                m_kind = gr.Image(label="问题主题 × 项目类别", type="filepath", interactive=False)
                m_sizes = gr.Image(label="主要问题聚类", type="filepath", interactive=False)
            m_copies = gr.Dataframe(headers=["类型", "相似度", "项目", "复用文本"], interactive=False, wrap=True,
                                    label="跨项目复用的问题文本")
            m_json = gr.JSON(visible=False)

            @guard
            def _mine(years, units, kinds, corpus, progress=gr.Progress()):
                progress(0.05, desc="读取问题陈述")
                summary, rows, charts, copies, raw = mine_view(
                    db, years, units, kinds, corpus, log=lambda m: progress(None, desc=m))
                return (summary, rows, *charts, copies, raw)

            @guard
            def _ingest(paths, request: gr.Request, progress=gr.Progress()):
                allow(request, "evaluator", "trainer")
                msg = ingest_uploads(db, paths, progress=lambda f, m: progress(f, desc=m))
                years, units, kinds = mining_choices(db)
                return msg, gr.update(choices=years), gr.update(choices=units), gr.update(choices=kinds)

            m_btn.click(_mine, inputs=[m_years, m_units, m_kinds, m_corpus],
                        outputs=[m_summary, m_clusters, m_freq, m_year, m_kind, m_sizes, m_copies, m_json],
                        api_name="mine", concurrency_limit=1)
            m_ingest.click(_ingest, inputs=m_files, outputs=[m_ingest_msg, m_years, m_units, m_kinds],
                           api_name="ingest", concurrency_limit=1)

        with gr.Tab("样本审阅", id="review"):
            gr.Markdown("按“疑似标注错误”和“模型不确定”排序的审阅队列。选中一行，修改主题后保存；"
                        "可新增样本或新主题，重新训练并比较前后指标，必要时一键回滚。所有修改记录审阅人和时间。")
            reviewer = gr.Textbox(label="审阅人", value="", placeholder="未登录时填写您的姓名")
            queue = gr.Dataframe(headers=["编号", "原因", "当前标签", "模型预测", "文本"], interactive=False, wrap=True,
                                 max_height=360, column_widths=["6%", "16%", "16%", "16%", "46%"], elem_id="review-queue")
            load_q = gr.Button("刷新审阅队列")
            with gr.Row():
                ann_id = gr.Number(label="样本编号", precision=0)
                ann_text = gr.Textbox(label="样本文本", interactive=False, lines=3)
            ann_themes = gr.CheckboxGroup(label="主题（可多选）", choices=theme_choices())
            save_btn = gr.Button("保存标签", variant="primary")
            save_msg = gr.Markdown()

            @guard
            def _queue():
                return review_rows(db)

            @guard
            def _select(evt: gr.SelectData, table):
                row = evt.index[0]
                aid = int(table.iloc[row, 0]) if hasattr(table, "iloc") else int(table[row][0])
                text, themes = annotation_themes(db, aid)
                return aid, text, themes

            @guard
            def _save(aid, themes, typed, request: gr.Request):
                trainer_only(request)
                return save_labels(db, aid, themes, who(request, typed))

            load_q.click(_queue, outputs=queue, api_name="review_queue")
            queue.select(_select, inputs=queue, outputs=[ann_id, ann_text, ann_themes], api_visibility="private")
            save_btn.click(_save, inputs=[ann_id, ann_themes, reviewer], outputs=save_msg, api_name="save_labels")

            with gr.Accordion("新增样本", open=False):
                new_text = gr.Textbox(label="问题文本", lines=3)
                new_themes = gr.CheckboxGroup(label="主题", choices=theme_choices())
                add_btn = gr.Button("添加样本")
                add_msg = gr.Markdown()

                @guard
                def _add(text, themes, typed, request: gr.Request):
                    from .store import Store
                    from .themes.review import add_example

                    trainer_only(request)
                    with Store(db) as store:
                        aid = add_example(store, text, themes, who(request, typed))
                    return f"已添加样本 {aid}"

                add_btn.click(_add, inputs=[new_text, new_themes, reviewer], outputs=add_msg, api_name="add_example")

            with gr.Accordion("新增主题", open=False):
                with gr.Row():
                    th_id = gr.Textbox(label="主题编号（英文）", placeholder="e.g. asset_idle")
                    th_name = gr.Textbox(label="中文名", placeholder="资产闲置")
                th_def = gr.Textbox(label="定义", lines=2)
                th_cues = gr.Textbox(label="提示词（逗号分隔）")
                th_examples = gr.Textbox(label="示例（每行一条，至少 3 条）", lines=4)
                th_btn = gr.Button("添加主题")
                th_msg = gr.Markdown()

                @guard
                def _add_theme(tid, name, definition, cues, examples, typed, request: gr.Request):
                    from .store import Store
                    from .themes.review import add_new_theme
                    from .themes.taxonomy import Theme

                    trainer_only(request)
                    cue_list = [c.strip() for c in cues.replace("，", ",").split(",") if c.strip()]
                    theme = Theme(tid.strip(), name.strip(), definition.strip(), cue_list, cue_list, "")
                    with Store(db) as store:
                        ids = add_new_theme(store, theme, examples.splitlines(), who(request, typed))
                    choices = theme_choices()
                    msg = f"已添加主题 {html.escape(theme.name)}（{html.escape(theme.id)}）和 {len(ids)} 个示例；请重新训练。"
                    return msg, gr.update(choices=choices), gr.update(choices=choices)

                th_btn.click(_add_theme, inputs=[th_id, th_name, th_def, th_cues, th_examples, reviewer],
                             outputs=[th_msg, ann_themes, new_themes], api_name="add_theme")

            gr.Markdown("### 训练与版本")
            retrain_btn = gr.Button("重新训练", variant="primary")
            retrain_msg = gr.Markdown()
            compare = gr.Dataframe(headers=["主题", "交叉验证F1（前）", "交叉验证F1（后）", "开发集F1（前）", "开发集F1（后）"],
                                   value=current_metrics_rows, interactive=False, elem_id="metrics-table")
            versions = gr.Dataframe(headers=["启用", "版本", "创建时间", "交叉验证 macro-F1", "开发集 macro-F1"],
                                    value=version_rows, interactive=False)
            with gr.Row():
                rollback_btn = gr.Button("回滚到上一版本")
                export_btn = gr.Button("导出标注（JSON Lines）")
            export_file = gr.File(label="导出文件")

            @guard
            def _retrain(request: gr.Request, progress=gr.Progress()):
                trainer_only(request)
                table, msg = retrain(db, progress=lambda f, m: progress(f, desc=m))
                return table, msg, version_rows()

            @guard
            def _rollback(request: gr.Request):
                from .themes.registry import TAGGER, rollback

                trainer_only(request)
                v = rollback(TAGGER)
                return f"已回滚到 {v}", version_rows()

            @guard
            def _export():
                from .store import Store
                from .themes.review import export_annotations

                out = Path(tempfile.mkdtemp(prefix="pbm-export-")) / "annotations.jsonl"
                with Store(db) as store:
                    export_annotations(store, out)
                return str(out)

            retrain_btn.click(_retrain, outputs=[compare, retrain_msg, versions], api_name="retrain",
                              concurrency_limit=1)
            rollback_btn.click(_rollback, outputs=[retrain_msg, versions], api_name="rollback")
            export_btn.click(_export, outputs=export_file, api_name="export_annotations")

        with gr.Tab("语料概况", id="corpus"):
            table = gr.Dataframe(headers=["内容", "数量"], value=lambda: store_overview(db), interactive=False)
            gr.Button("刷新").click(lambda: store_overview(db), outputs=table, api_name="overview")
            upload = gr.File(label="上传申报表或评价结果以查看解析结果（不入库）", type="filepath")
            summary = gr.HTML()
            records = gr.Code(language="json", label="解析结果")
            upload.change(guard(parse_upload), inputs=upload, outputs=[summary, records], api_name="parse")
    return demo


__all__ = ["build_app", "mine_view", "parse_upload", "retrain", "review_rows", "store_overview", "tag_problems"]
