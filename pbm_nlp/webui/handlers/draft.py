"""起草助手: suggested indicator table, risk forecast, draft check, exports, batch check."""
from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from ... import services
from ...errors import InputError
from ...resources import Resources
from .common import bounded, out_file, table_rows

TABLE_HEADERS = ["一级指标", "二级指标", "三级指标", "指标值", "依据", "理由"]
FINDING_HEADERS = ["级别", "规则", "指标", "问题", "修改建议", "对应评价主题"]
BATCH_HEADERS = ["项目", "级别", "规则", "指标", "问题", "修改建议"]


def kinds() -> list[str]:
    from ...drafting.kinds import KINDS

    return list(KINDS)


def request(res: Resources, project: str, kind: str | None, overview: str, annual_goal: str, budget: Any,
            year: Any) -> dict[str, Any]:
    if not (project or "").strip():
        raise InputError("请填写项目名称。", "the project name is required.")
    req: dict[str, Any] = {"project": bounded(res, project, "项目名称").strip(),
                           "overview": bounded(res, overview, "项目概况").strip(),
                           "annual_goal": bounded(res, annual_goal, "年度目标").strip()}
    if kind:
        req["kind"] = kind
    if budget not in (None, "", 0):
        req["budget"] = float(budget)
    if year not in (None, "", 0):
        req["year"] = int(year)
    return req


def kind_line(result: dict[str, Any], given: str | None) -> str:
    conf = result.get("kind_confidence")
    head = f"**项目类别**：{result['kind']}" + (f"（推断，置信度 {conf:.0%}）" if conf is not None and not given else "")
    others = [k for k, v in (result.get("kind_alternatives") or {}).items()
              if k != result["kind"] and conf is not None and v >= 0.5 * conf]
    if others and not given:
        head += f"；也可能是{'、'.join(others)}，可在“项目类别”中指定后重新生成。"
    return head


def suggest_table(res: Resources, project: str, kind: str | None, overview: str, annual_goal: str,
                  budget: Any = None, year: Any = None) -> tuple[str, list[list[Any]], str, dict]:
    """Suggested indicators as editable rows, the kind line, the risk forecast (escaped HTML)."""
    result = services.drafting.suggest(res, request(res, project, kind, overview, annual_goal, budget, year))
    rows = [[i["level1"], i["level2"], i["name"], i["target"], i.get("basis", ""), i.get("reason", "")]
            for i in result["indicators"]]
    return kind_line(result, kind), rows, risks_html(result.get("risks", [])), result


def risks_html(risks: list[dict]) -> str:
    if not risks:
        return "<p>未发现同类项目的突出问题。</p>"
    out = ["<h4>同类项目曾被指出的问题（风险预测）</h4>"]
    for r in risks:
        ev = "".join(f"<li>{html.escape(str(e.get('project') or ''))}：{html.escape(str(e.get('problem', ''))[:100])}"
                     f"（相似度 {float(e.get('similarity', 0)):.2f}）</li>" for e in r.get("evidence", [])[:3])
        pre = "".join(f"<li>建议指标：{html.escape(str(i.get('name')))} {html.escape(str(i.get('target')))}</li>"
                      for i in r.get("preempt_indicators", []))
        pre += "".join(f"<li>管理措施：{html.escape(str(m))}</li>" for m in r.get("preempt_measures", []))
        out.append(f"<div class='pbm-item'><b>{html.escape(str(r.get('name', r.get('theme'))))}</b> "
                   f"概率 {float(r.get('probability', 0)):.0%}<ul>{ev}</ul><ul>{pre}</ul></div>")
    return "".join(out)


def _severity(sev: str) -> str:
    from ...drafting.rules import SEVERITY_ZH

    return SEVERITY_ZH.get(sev, sev)


def lint_table(res: Resources, project: str, kind: str | None, overview: str, annual_goal: str, budget: Any,
               year: Any, table: Any) -> list[list[Any]]:
    """Check the (edited) table as an evaluator would: one row per finding."""
    req = request(res, project, kind, overview, annual_goal, budget, year)
    req["indicators"] = [{"level1": r[0], "level2": r[1], "name": r[2], "target": r[3]}
                         for r in table_rows(table) if len(r) >= 4 and str(r[2] or "").strip()]
    if not req["indicators"]:
        raise InputError("指标表为空：请先生成或填写指标。", "the indicator table is empty: suggest or fill it first.")
    (report,) = services.drafting.lint(res, [req])
    return [[_severity(f["severity"]), f["rule"], f.get("indicator") or "—", f["message"], f.get("fix") or "",
             f.get("theme") or ""] for f in report["findings"]]


def declaration_from_upload(path: str | None) -> tuple[str, str | None, str, str, Any, Any, list[list[Any]]]:
    """The first 申报表 in an uploaded file, to fill the drafting form."""
    if not path:
        raise InputError("请先上传申报表。", "upload a declaration first.")
    d = services.drafting.declarations_in_file(path)[0]
    kind = next((k for k in kinds() if d.get("kind") and k in d["kind"]), None)
    rows = [[i["level1"], i["level2"] or "", i["name"], i["target"], "原申报表", ""] for i in d["indicators"]]
    return d["project"], kind, d["overview"] or d["total_goal"], d["annual_goal"], d["budget"], d["year"], rows


def lint_file(res: Resources, path: str | None) -> tuple[str, list[list[Any]]]:
    """Every 申报表 in an uploaded file checked together, so that forms reusing one indicator set
    (boilerplate_set) are found as well as each form's own faults."""
    if not path:
        raise InputError("请先上传申报表文件。", "upload a declaration file first.")
    decls = services.drafting.declarations_in_file(path)
    reports = services.drafting.lint(res, decls)
    rows = [[r["project"], _severity(f["severity"]), f["rule"], f.get("indicator") or "—", f["message"],
             f.get("fix") or ""] for r in reports for f in r["findings"]]
    n_err = sum(1 for r in rows if r[1] == "错误")
    name = html.escape(Path(path).name)
    head = (f"{name}：{len(decls)} 份申报表，{len(rows)} 条检查意见（其中错误 {n_err} 条）。" if rows
            else f"{name}：{len(decls)} 份申报表，未发现问题。")
    return head, rows


def export_draft(project: str, kind: str | None, table: Any, findings: Any, fmt: str) -> str:
    """Write the table (and findings) as a 申报表-like .xlsx or .docx; returns the file path."""
    rows = table_rows(table)
    result = {"project": project or "未命名项目", "kind": kind or "",
              "indicators": [{"level1": r[0], "level2": r[1], "name": r[2], "target": r[3],
                              "basis": r[4] if len(r) > 4 else "", "reason": r[5] if len(r) > 5 else ""}
                             for r in rows if len(r) >= 4],
              "findings": [{"severity": f[0], "rule": f[1], "indicator": f[2], "message": f[3], "fix": f[4],
                            "theme": f[5] if len(f) > 5 else ""} for f in table_rows(findings) if len(f) >= 5]}
    safe = "".join(ch for ch in (project or "draft") if ch.isalnum())[:40] or "draft"
    return str(services.drafting.export_draft(result, out_file("draft", f"{safe}.{fmt}")))
