"""The `pbm` command: argument parsing only; the work lives in pipeline and the packages."""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from .errors import PbmError

DESCRIPTION = """pbm-nlp：预算绩效管理文本工具 / Chinese public-finance performance-management toolkit.

读取申报表与评价结果入库；问题主题标注；指标建议与申报表检查；整改建议；问题挖掘。
Reads declarations and evaluations into SQLite, tags problem themes, suggests and checks
indicator tables, writes rectification advice and mines recurring problems."""


def _add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", help="SQLite 数据库路径 / database path (default: corpora/pbm.db or $PBM_DB)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pbm", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("ingest", help="读入文档到数据库 / parse documents into the store",
                       description="Parse .txt (UTF-8/GBK), .docx, .xlsx or .pdf files, or folders of them, "
                                   "into the store. Re-ingesting the same content changes nothing.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    _add_db(p)
    p.add_argument("--json", action="store_true", help="print a JSON summary with the counts")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("export", help="导出记录为 JSON Lines / export records as JSON Lines",
                       description="Write one JSON object per line on stdout.")
    p.add_argument("--kind", required=True, choices=["declarations", "evaluations", "problems"])
    _add_db(p)
    p.add_argument("--json", action="store_true", help="JSON Lines (the only format; accepted for clarity)")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("prepare", help="准备内置语料与模型 / load the bundled corpus, build models if missing",
                       description="Idempotent set-up used by `make app`: ingest corpora/seeds into the store.")
    _add_db(p)
    p.set_defaults(func=cmd_prepare)
    p = sub.add_parser("train", help="训练问题主题模型 / train the theme tagger",
                       description="Fit the theme tagger on every training annotation, write a new model version "
                                   "under models/ with its metrics and model card, and make it active. A failed "
                                   "training leaves the previous model active.")
    _add_db(p)
    p.add_argument("--no-dense", action="store_true", help="sparse model only (no encoder)")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("evaluate", help="交叉验证与基线比较 / cross-validate against the baselines",
                       description="Repeated stratified k-fold on the training corpus, plus the held-out dev set; "
                                   "tagger vs keyword rules vs TF-IDF + logistic regression.")
    _add_db(p)
    p.add_argument("--json", action="store_true")
    p.add_argument("--repeats", type=int, default=2)
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--no-dense", action="store_true", help="evaluate the sparse model only")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("tag", help="给问题文本标注主题 / tag problem statements with themes",
                       description="Input: lines of text, or JSON Lines with a \"text\" field, from FILE or stdin (-). "
                                   "Output: one JSON object per input line {text, themes, scores, evidence}. A line "
                                   "holding a numbered 存在问题 paragraph is tagged item by item (\"items\").")
    p.add_argument("file", nargs="?", default="-", metavar="FILE|-")
    p.add_argument("--json", action="store_true", help="JSON Lines output (default when stdout is not a terminal)")
    p.add_argument("--threshold", type=float, help="one threshold for every theme instead of the tuned ones")
    p.add_argument("--no-evidence", action="store_true")
    p.set_defaults(func=cmd_tag)

    p = sub.add_parser("models", help="模型版本与回滚 / list model versions, roll back",
                       description="List the theme-tagger versions; --rollback activates the previous one, "
                                   "--activate V a given one.")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--rollback", action="store_true")
    g.add_argument("--activate", metavar="VERSION")
    p.set_defaults(func=cmd_models)

    # Sub-commands owned by other packages (drafting assistant, issue mining) register themselves.
    import importlib

    for module in COMMAND_MODULES:
        importlib.import_module(module).register(sub)
    return parser


#: Packages that add their own sub-commands through ``register(subparsers)``.
COMMAND_MODULES = ("pbm_nlp.drafting.commands", "pbm_nlp.mine.commands")


def _read_input(file: str) -> tuple[str, str]:
    """Text from FILE or stdin, decoded (UTF-8 or GBK); binary input is refused."""
    from .ingest.readers import decode_text, read_path

    if file == "-":
        from . import config

        data = sys.stdin.buffer.read(config.MAX_FILE_BYTES + 1)
        if len(data) > config.MAX_FILE_BYTES:
            from .errors import too_large

            raise too_large("标准输入 stdin", len(data), config.MAX_FILE_BYTES)
        if not data.strip():
            from .errors import empty_input

            raise empty_input("标准输入")
        return decode_text(data, "stdin").text, "stdin"
    raw = read_path(file)
    return raw.text, file


def _texts_from_lines(text: str) -> tuple[list[str], int]:
    """Lines of text or JSON Lines with "text"; returns the texts and how many empty lines were skipped."""
    texts, skipped = [], 0
    for line in text.splitlines():
        s = line.strip()
        if not s:
            skipped += 1
            continue
        if s.startswith("{"):
            try:
                obj = json.loads(s)
            except json.JSONDecodeError:
                obj = None
            if isinstance(obj, dict):
                s = str(obj.get("text", "")).strip()
                if not s:
                    skipped += 1
                    continue
        texts.append(s)
    return texts, skipped


def cmd_tag(args: argparse.Namespace) -> int:
    from .themes.service import Tagger

    text, _ = _read_input(args.file)
    texts, skipped = _texts_from_lines(text)
    if skipped:
        print(f"跳过 {skipped} 个空行 / skipped {skipped} empty lines", file=sys.stderr)
    tagger = Tagger()
    as_json = args.json or not sys.stdout.isatty()
    for t in texts:
        rec = tagger.tag_paragraph(t, threshold=args.threshold, evidence=not args.no_evidence)
        if as_json:
            sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
        else:
            top = ", ".join(f"{k} {rec['scores'][k]:.2f}" for k in rec["themes"]) or "无主题 no theme"
            print(f"{t[:60]}{'…' if len(t) > 60 else ''}\n  → {top}")
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from .pipeline import load_annotations, train_tagger_from_store
    from .store import Store

    with Store(args.db) as store:
        load_annotations(store)
        train_tagger_from_store(store, use_dense=not args.no_dense, log=lambda m: print(m, file=sys.stderr))
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    import time

    from . import config
    from .pipeline import load_annotations
    from .store import Store
    from .themes.evaluation import evaluate
    from .themes.tagger import TaggerConfig
    from .themes.taxonomy import load_themes

    with Store(args.db) as store:
        load_annotations(store)
        train = store.annotations("train")
        dev = store.annotations("dev")
    encoder = None
    if not args.no_dense:
        from .features.encoder import shared_encoder

        encoder = shared_encoder()
    result = evaluate([r["text"] for r in train], [r["themes"] for r in train], load_themes(), encoder=encoder,
                      dev=([r["text"] for r in dev], [r["themes"] for r in dev]), repeats=args.repeats,
                      folds=args.folds, config=TaggerConfig(use_dense=not args.no_dense),
                      log=lambda m: print(m, file=sys.stderr))
    result["created"] = time.strftime("%Y-%m-%d %H:%M:%S")
    config.MODELS_DIR.mkdir(parents=True, exist_ok=True)
    (config.MODELS_DIR / "evaluation.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    cv = result["cross_validation"]
    print(f"{cv['scheme']}, n={cv['n']}")
    print(f"{'model':<16}{'micro-F1':>10}{'macro-F1':>10}" + ("   dev micro   dev macro" if "dev" in result else ""))
    for m in ("tagger", "tfidf_logreg", "keyword_rules"):
        line = f"{m:<16}{cv[m]['micro_f1']:>10.3f}{cv[m]['macro_f1']:>10.3f}"
        if "dev" in result:
            line += f"{result['dev'][m]['micro_f1']:>12.3f}{result['dev'][m]['macro_f1']:>12.3f}"
        print(line)
    print("\nper theme (tagger, CV | dev):")
    for lab, m in cv["tagger"]["per_theme"].items():
        d = result.get("dev", {}).get("tagger", {}).get("per_theme", {}).get(lab)
        extra = f" | P {d['precision']:.2f} R {d['recall']:.2f} F1 {d['f1']:.2f}" if d else ""
        print(f"  {lab:<22}P {m['precision']:.2f} R {m['recall']:.2f} F1 {m['f1']:.2f}{extra}")
    return 0


def cmd_models(args: argparse.Namespace) -> int:
    from .themes.registry import TAGGER, activate, list_versions, rollback

    if args.rollback:
        print(f"已回滚到 rolled back to {rollback(TAGGER)}")
    elif args.activate:
        activate(TAGGER, args.activate)
        print(f"已启用 activated {args.activate}")
    for v in list_versions(TAGGER):
        s = v["summary"]
        print(f"{'*' if v['active'] else ' '} {v['version']}  oof macro-F1 {s.get('oof_macro_f1')}  "
              f"dev macro-F1 {s.get('dev_macro_f1')}")
    return 0


def cmd_prepare(args: argparse.Namespace) -> int:
    from .pipeline import prepare
    from .store import Store

    with Store(args.db) as store:
        prepare(store, log=lambda msg: print(msg, file=sys.stderr))
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from .pipeline import expand_paths, ingest_paths
    from .store import Store

    with Store(args.db) as store:
        files = expand_paths(args.paths)
        bar = None
        if sys.stderr.isatty() and not args.json:
            from tqdm import tqdm

            bar = tqdm(total=len(files), unit="file", desc="ingest")
        report = ingest_paths(files, store, progress=(lambda _p: bar.update(1)) if bar else None)
        if bar:
            bar.close()
        summary = report.as_dict(store)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        r = report.records
        print(f"{report.files} 个文件 / files: {report.added} 新增 added, {report.unchanged} 未变 unchanged, "
              f"{len(report.errors)} 失败 failed")
        print(f"新增 added: {r['evaluations']} evaluations ({r['problems']} problems, {r['suggestions']} "
              f"suggestions), {r['declarations']} declarations ({r['indicators']} indicators)")
        print(f"数据库 store: {summary['db']}")
    for err in report.errors:
        print(f"错误 error: {err['错误']} / {err['error']}", file=sys.stderr)
    return 1 if report.errors else 0


def cmd_export(args: argparse.Namespace) -> int:
    from .store import Store

    with Store(args.db) as store:
        if args.kind == "declarations":
            rows = [{k: d[k] for k in ("project", "year", "kind", "unit", "overview", "annual_goal", "budget",
                                       "indicators", "source")} for d in store.declarations()]
        elif args.kind == "evaluations":
            rows = [{k: e[k] for k in ("project", "year", "unit", "amount", "amount_unit", "score", "grade",
                                       "achievements", "problems", "suggestions", "source")}
                    for e in store.evaluations()]
        else:
            rows = [{k: p[k] for k in ("text", "heading", "number", "project", "year", "unit", "source")}
                    for p in store.problems()]
    out = sys.stdout
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except PbmError as exc:
        print(f"错误：{exc.zh}\nerror: {exc.en}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断 / interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
