"""`pbm tag`, `pbm train`, `pbm evaluate`, `pbm models`: the theme tagger."""
from __future__ import annotations

import argparse
import json
import sys

from .. import services
from ..services.schema import EvaluateRequest, TagRequest, TrainRequest
from .io import add_db, add_file, log, read_input, resources


def register(sub) -> None:
    p = sub.add_parser("tag", help="给问题文本标注主题 / tag problem statements with themes",
                       description="Input: lines of text, or JSON Lines with a \"text\" field, from FILE or stdin (-). "
                                   "Output: one JSON object per input line {text, themes, scores, evidence}. A line "
                                   "holding a numbered 存在问题 paragraph is tagged item by item (\"items\"). Each "
                                   "line is taken to be a problem statement and gets at least its most likely theme; "
                                   "with --allow-none, text that states no problem gets no theme.")
    add_file(p)
    p.add_argument("--json", action="store_true", help="JSON Lines output (default when stdout is not a terminal)")
    p.add_argument("--threshold", type=_unit_interval, help="one threshold in [0, 1] for every theme")
    p.add_argument("--no-evidence", action="store_true")
    p.add_argument("--allow-none", action="store_true",
                   help="the input may hold text without a problem (mixed text): allow the answer 'no theme'")
    p.set_defaults(func=cmd_tag)

    p = sub.add_parser("train", help="训练问题主题模型 / train the theme tagger",
                       description="Fit the theme tagger on every training annotation, write a new model version "
                                   "under models/ with its metrics and model card, and make it active. A failed "
                                   "training leaves the previous model active.")
    add_db(p)
    p.add_argument("--no-dense", action="store_true", help="sparse model only (no encoder)")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("evaluate", help="交叉验证与基线比较 / cross-validate against the baselines",
                       description="Repeated k-fold on the training corpus, plus the held-out dev sets; "
                                   "tagger vs keyword rules vs TF-IDF + logistic regression.")
    add_db(p)
    p.add_argument("--json", action="store_true")
    p.add_argument("--repeats", type=int, default=2)
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--no-dense", action="store_true", help="evaluate the sparse model only")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("models", help="模型版本与回滚 / list model versions, roll back",
                       description="List the theme-tagger versions; --rollback activates the previous one, "
                                   "--activate V a given one.")
    add_db(p)
    g = p.add_mutually_exclusive_group()
    g.add_argument("--rollback", action="store_true")
    g.add_argument("--activate", metavar="VERSION")
    p.set_defaults(func=cmd_models)


def _unit_interval(value: str) -> float:
    try:
        x = float(value)
    except ValueError:
        x = float("nan")
    if not 0.0 <= x <= 1.0:  # also refuses nan
        raise argparse.ArgumentTypeError(f"阈值应在 0 到 1 之间 / must be a number in [0, 1], got {value!r}")
    return x


def texts_from_lines(text: str) -> tuple[list[str], int, list[str]]:
    """Lines of text, or JSON Lines objects with a "text" string: (texts, empty lines skipped,
    problems with other lines, each naming its line number)."""
    texts, skipped, bad = [], 0, []
    for n, line in enumerate(text.splitlines(), start=1):
        s = line.strip()
        if not s:
            skipped += 1
            continue
        if s.startswith("{"):
            try:
                obj = json.loads(s)
            except json.JSONDecodeError as exc:
                bad.append(f"第 {n} 行不是合法的 JSON（{exc.msg}）/ line {n} is not valid JSON ({exc.msg})")
                continue
            value = obj.get("text") if isinstance(obj, dict) else None
            if not isinstance(value, str) or not value.strip():
                bad.append(f"第 {n} 行缺少文本字段 \"text\" / line {n} has no \"text\" string")
                continue
            s = value.strip()
        texts.append(s)
    return texts, skipped, bad


def cmd_tag(args: argparse.Namespace) -> int:
    res = resources(args)
    text, _ = read_input(args.file, res)
    texts, skipped, bad = texts_from_lines(text)
    if skipped:
        log(f"跳过 {skipped} 个空行 / skipped {skipped} empty lines")
    for b in bad:
        log(f"错误 error: {b}")
    as_json = args.json or not sys.stdout.isatty()
    results = services.tagging.tag(res, TagRequest(texts, threshold=args.threshold, evidence=not args.no_evidence,
                                                   allow_none=args.allow_none)) if texts else []
    for r in results:
        if as_json:
            sys.stdout.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
        else:
            top = ", ".join(f"{k} {r.scores[k]:.2f}" for k in r.themes) or "无主题 no theme"
            print(f"{r.text[:60]}{'…' if len(r.text) > 60 else ''}\n  → {top}")
    return 1 if bad else 0


def cmd_train(args: argparse.Namespace) -> int:
    services.training.train_tagger(resources(args), TrainRequest(use_dense=not args.no_dense, log=log))
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    result = services.training.evaluate(resources(args), EvaluateRequest(
        repeats=args.repeats, folds=args.folds, use_dense=not args.no_dense, log=log))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    _print_evaluation(result)
    return 0


def _print_evaluation(result: dict) -> None:
    """Dev sets first (real leads), then cross-validation; problem mode unless said otherwise."""
    models = ("tagger", "tfidf_logreg", "keyword_rules")
    print(f"{'dev set (problem mode)':<26}" + "".join(f"{m:>22}" for m in models) + "   (macro-F1 ≥3 / all / micro)")
    for name, by_model in result.get("dev", {}).items():
        cells = []
        for m in models:
            pm = by_model[m].get("problem_mode")
            cells.append(f"{pm['macro_f1_min3']:.3f}/{pm['macro_f1']:.3f}/{pm['micro_f1']:.3f}" if pm else "-")
        print(f"{name + ' (n=' + str(by_model['tagger']['n_problems']) + ')':<26}" + "".join(f"{c:>22}" for c in cells))
    if result.get("neutral"):
        print("statements without a problem left untagged (--allow-none): " + ", ".join(
            f"{m} {v['untagged']:.0%}" for m, v in result["neutral"].items() if v["untagged"] is not None))
    cv = result["cross_validation"]
    print(f"\n{cv['scheme']}, n={cv['n']} ({cv['n_real_problems']} real problem statements)")
    for kind in ("real", "authored"):
        key = f"problem_mode_{kind}"
        print(f"{kind + ' statements':<26}" + "".join(
            f"{cv[m][key]['macro_f1_min3']:.3f}/{cv[m][key]['macro_f1']:.3f}/{cv[m][key]['micro_f1']:.3f}".rjust(22)
            if key in cv[m] else f"{'-':>22}" for m in models))
    real = result.get("dev", {}).get("real", {}).get("tagger", {}).get("problem_mode")
    if real:
        print("\nper theme, real dev set (tagger):")
        for lab, m in real["per_theme"].items():
            print(f"  {lab:<22}P {m['precision']:.2f} R {m['recall']:.2f} F1 {m['f1']:.2f}  n={m['support']}")


def cmd_models(args: argparse.Namespace) -> int:
    res = resources(args)
    if args.rollback:
        print(f"已回滚到 rolled back to {services.training.rollback(res)}")
    elif args.activate:
        services.training.activate(res, args.activate)
        print(f"已启用 activated {args.activate}")
    for v in services.training.model_versions(res):
        print(f"{'*' if v.active else ' '} {v.version}  real dev macro-F1 {v.summary.get('real_dev_macro_f1')}  "
              f"micro-F1 {v.summary.get('real_dev_micro_f1')}")
    return 0
