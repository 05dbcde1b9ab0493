"""起草助手: suggested indicator table, risk forecast, draft check, exports, batch check."""
from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from ... import services
from ...errors import InputError
from ...resources import Resources
from .common import bounded, out_file, paths, table_rows
from .names import rule_name, theme_name

TABLE_HEADERS = ["一级指标", "二级指标", "三级指标", "指标值", "依据", "理由"]
FINDING_HEADERS = ["级别", "规则", "指标", "问题", "修改建议", "对应评价主题"]
BATCH_HEADERS = ["文件", "项目", "级别", "规则", "指标", "问题", "修改建议"]
NO_FINDINGS = "未发现问题。"


def kinds() -> list[str]:
    from ...drafting.kinds import kind_names

    return list(kind_names())


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
    others = [result["kind_runner_up"]] if result.get("kind_runner_up") else []
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
               year: Any, table: Any) -> tuple[str, list[list[Any]]]:
    """Check the (edited) table as an evaluator would: a summary line ("未发现问题。" when there is
    nothing to fix) and one row per finding, rules and themes by their Chinese names."""
    req = request(res, project, kind, overview, annual_goal, budget, year)
    req["indicators"] = [{"level1": r[0], "level2": r[1], "name": r[2], "target": r[3]}
                         for r in table_rows(table) if len(r) >= 4 and str(r[2] or "").strip()]
    if not req["indicators"]:
        raise InputError("指标表为空：请先生成或填写指标。", "the indicator table is empty: suggest or fill it first.")
    (report,) = services.drafting.lint(res, [req])
    rows = [[_severity(f["severity"]), rule_name(f["rule"]), f.get("indicator") or "—", f["message"], f.get("fix") or "",
             theme_name(f.get("theme"))] for f in report["findings"]]
    return findings_line(rows, 0), rows


def findings_line(rows: list[list[Any]], severity_col: int) -> str:
    """"未发现问题。" or how many findings of each severity."""
    if not rows:
        return NO_FINDINGS
    counts = {sev: sum(1 for r in rows if r[severity_col] == sev) for sev in ("错误", "警告", "提示")}
    parts = "，".join(f"{sev} {n} 条" for sev, n in counts.items() if n)
    return f"{len(rows)} 条检查意见（{parts}）。"


def forms_in_upload(path: str | None) -> tuple[list[tuple[str, int]], list[dict[str, Any]], str]:
    """Every 申报表 in an uploaded file: dropdown choices (label, index), the forms, and a note
    that says how many there are when there is more than one."""
    if not path:
        raise InputError("请先上传申报表。", "upload a declaration first.")
    forms = services.drafting.declarations_in_file(path)
    choices = [(f"{i}. {d['project']}" + (f"（{d['year']}）" if d.get("year") else ""), i - 1)
               for i, d in enumerate(forms, start=1)]
    note = "" if len(forms) == 1 else (
        f"{html.escape(Path(path).name)} 中有 **{len(forms)}** 份申报表，已载入第 1 份：可在“选择申报表”中切换，"
        "或在下方“批量检查”中一并检查全部。")
    return choices, forms, note


def form_fields(form: dict[str, Any]) -> tuple[str, str | None, str, str, Any, Any, list[list[Any]]]:
    """A parsed 申报表 as the drafting form's fields and table (basis and reason kept when the file
    is one of our exports)."""
    kind = next((k for k in kinds() if form.get("kind") and k in form["kind"]), None)
    rows = [[i["level1"], i["level2"] or "", i["name"], i["target"], i.get("basis") or "原申报表", i.get("reason") or ""]
            for i in form["indicators"]]
    return (form["project"], kind, form["overview"] or form["total_goal"], form["annual_goal"], form["budget"],
            form["year"], rows)


def declaration_from_upload(path: str | None) -> tuple[str, str | None, str, str, Any, Any, list[list[Any]]]:
    """The first 申报表 in an uploaded file, to fill the drafting form."""
    _choices, forms, _note = forms_in_upload(path)
    return form_fields(forms[0])


def lint_files(res: Resources, files: str | list[str] | None) -> tuple[str, list[list[Any]]]:
    """Every 申报表 in the uploaded files checked together, so that forms reusing one indicator set
    (boilerplate_set) are found across files as well as each form's own faults; one line per file
    (its forms, or why it could not be read) and one row per finding."""
    from ...errors import PbmError

    names, decls, lines = [], [], []
    for path in paths(files):
        name = Path(path).name
        try:
            found = services.drafting.declarations_in_file(path)
        except PbmError as exc:
            lines.append(f"- ✗ {html.escape(name)}：{html.escape(exc.zh)}")
            continue
        lines.append(f"- ✓ {html.escape(name)}：{len(found)} 份申报表")
        names += [name] * len(found)
        decls += found
    if not lines:
        raise InputError("请先上传申报表文件。", "upload a declaration file first.")
    reports = services.drafting.lint(res, decls) if decls else []
    rows = [[file, r["project"], _severity(f["severity"]), rule_name(f["rule"]), f.get("indicator") or "—",
             f["message"], f.get("fix") or ""] for file, r in zip(names, reports) for f in r["findings"]]
    head = f"共 {len(decls)} 份申报表：" + (findings_line(rows, 2) if decls else "没有可检查的申报表。")
    return head + "\n\n" + "\n".join(lines), rows


def export_draft(project: str, kind: str | None, table: Any, findings: Any, fmt: str, year: Any = None,
                 budget: Any = None, overview: str = "", annual_goal: str = "") -> str:
    """Write the form, the table (and findings) as a 申报表 .xlsx or .docx the app reads back; returns the path."""
    rows = table_rows(table)
    result = {"project": project or "未命名项目", "kind": kind or "", "year": int(year) if year else None,
              "budget": float(budget) if budget else None, "overview": overview or "", "annual_goal": annual_goal or "",
              "indicators": [{"level1": r[0], "level2": r[1], "name": r[2], "target": r[3],
                              "basis": r[4] if len(r) > 4 else "", "reason": r[5] if len(r) > 5 else ""}
                             for r in rows if len(r) >= 4 and str(r[2] or "").strip()],
              "findings": [{"severity": f[0], "rule": f[1], "indicator": f[2], "message": f[3], "fix": f[4],
                            "theme": f[5] if len(f) > 5 else ""} for f in table_rows(findings) if len(f) >= 5]}
    if not result["indicators"]:
        raise InputError("指标表为空：请先生成或填写指标再导出。", "the indicator table is empty: suggest or fill it first.")
    safe = "".join(ch for ch in (project or "draft") if ch.isalnum())[:40] or "draft"
    return str(services.drafting.export_draft(result, out_file("draft", f"{safe}.{fmt}")))
