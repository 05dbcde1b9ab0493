"""Orchestration shared by the CLI and the app: files → parsers → store."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import PbmError, UnreadableFile
from .ingest.readers import SUPPORTED
from .ingest.registry import parse_file
from .store import Store


@dataclass
class IngestReport:
    files: int = 0
    added: int = 0
    unchanged: int = 0
    records: dict[str, int] = field(default_factory=lambda: {
        "evaluations": 0, "problems": 0, "suggestions": 0, "declarations": 0, "indicators": 0})
    errors: list[dict[str, str]] = field(default_factory=list)
    documents: list[dict[str, object]] = field(default_factory=list)

    def as_dict(self, store: Store | None = None) -> dict[str, object]:
        out: dict[str, object] = {
            "files": self.files, "added_documents": self.added, "unchanged_documents": self.unchanged,
            "added": self.records, "errors": self.errors, "documents": self.documents,
        }
        if store is not None:
            out["store"] = store.counts()
            out["db"] = str(store.path)
        return out


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; folders contribute their supported files (sorted, recursively)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED))
        else:
            out.append(p)
    return out


def ingest_paths(
    paths: Iterable[str | Path],
    store: Store,
    progress: Callable[[Path], None] | None = None,
) -> IngestReport:
    """Parse and store every file; a bad file is reported and the others go on."""
    report = IngestReport()
    for path in expand_paths(paths):
        report.files += 1
        try:
            doc = parse_file(path)
        except PbmError as exc:
            report.errors.append({"file": str(path), "error": exc.en, "错误": exc.zh})
        except Exception as exc:  # noqa: BLE001 - a parser bug must not lose the rest of the batch
            err = UnreadableFile(f"读取 {path.name} 时出错：{exc}", f"failed to read {path.name}: {exc}")
            report.errors.append({"file": str(path), "error": err.en, "错误": err.zh})
        else:
            added = store.add_document(doc)
            entry = {"file": str(path), "doc_type": doc.doc_type, "records": doc.n_records, "added": added}
            report.documents.append(entry)
            if added:
                report.added += 1
                r = report.records
                r["evaluations"] += len(doc.evaluations)
                r["problems"] += sum(len(e.problems) for e in doc.evaluations)
                r["suggestions"] += sum(len(e.suggestions) for e in doc.evaluations)
                r["declarations"] += len(doc.declarations)
                r["indicators"] += sum(len(d.indicators) for d in doc.declarations)
            else:
                report.unchanged += 1
        if progress:
            progress(path)
    return report


def load_annotations(store: Store) -> dict[str, int]:
    """The labelled corpus (corpora/annotations) and the dev set (corpora/dev) into the store."""
    from .themes.corpus import load_into_store
    from .themes.taxonomy import theme_ids

    return load_into_store(store, set(theme_ids()))


def prepare(store: Store, log: Callable[[str], None] = print, train: bool = True) -> dict[str, object]:
    """Everything the app needs, idempotently: bundled seeds and annotations in the store, and
    the theme tagger trained if there is no active model."""
    from . import config
    from .errors import ModelNotTrained
    from .themes.registry import TAGGER, active_dir

    report = ingest_paths([config.SEEDS_DIR], store)
    if report.errors:
        raise PbmError(
            "内置语料解析失败：" + "; ".join(e["错误"] for e in report.errors),
            "the bundled corpus failed to parse: " + "; ".join(e["error"] for e in report.errors),
        )
    log(f"语料 corpus: {report.added} 新增 added, {report.unchanged} 未变 unchanged ({store.path})")
    added = load_annotations(store)
    log(f"标注 annotations: {added['train']} 新增训练样本 new training examples, {added['dev']} 新增开发集 new dev")
    trained = None
    if train:
        try:
            stale = encoder_changed(active_dir(TAGGER))
            why = f"编码器已更换，重新训练 the encoder changed ({stale}), retraining …" if stale else None
        except ModelNotTrained:
            why = "训练中 training the theme tagger …"
        if why:
            log(f"模型 model: {why}")
            trained = train_tagger_from_store(store, log=log)
        else:
            log("模型 model: 已存在 active model found")
    return {"ingest": report.as_dict(), "annotations": added, "trained": trained}


def encoder_changed(model_dir: Path) -> str | None:
    """Why the active model no longer fits the configured encoder (other weights or precision,
    e.g. PBM_ENCODER or PBM_ENCODER_INT8 changed), or None when it fits."""
    import json

    from .features.encoder import Encoder

    meta = json.loads((model_dir / "metrics.json").read_text(encoding="utf-8"))
    trained_with = meta.get("encoder_id")
    if not meta.get("encoder"):  # a sparse-only model does not depend on the encoder
        return None
    current = Encoder().model_id
    return None if trained_with == current else f"{trained_with} → {current}"


def train_tagger_from_store(store: Store, use_dense: bool = True, progress=None,
                            log: Callable[[str], None] = print) -> dict:
    from .themes.tagger import TaggerConfig
    from .themes.training import train_tagger

    encoder = None
    if use_dense:
        from .features.encoder import shared_encoder

        encoder = shared_encoder()
    return train_tagger(store, encoder=encoder, config=TaggerConfig(use_dense=use_dense),
                        progress=progress, log=log)
