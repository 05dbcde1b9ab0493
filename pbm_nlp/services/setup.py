"""Set-up of a fresh install, what `make app` and `pbm prepare` run."""
from __future__ import annotations

from ..errors import PbmError
from ..resources import Resources
from .ingest import ingest, load_annotations
from .schema import IngestRequest, Log, PrepareReport, TrainRequest
from .training import encoder_changed, train_tagger


def prepare(res: Resources, log: Log = print, train: bool = True) -> PrepareReport:
    """Everything the app needs, idempotently: the bundled documents (seeds and the real demo
    corpus) and annotations in the store, and the tagger trained if missing or built for another
    encoder."""
    res.registry.sweep()
    folders = [p for p in (res.settings.seeds, res.settings.demo) if p.exists()]
    report = ingest(res, IngestRequest(folders))
    if report.errors:
        raise PbmError("内置语料解析失败：" + "; ".join(e.zh for e in report.errors),
                       "the bundled corpus failed to parse: " + "; ".join(e.en for e in report.errors))
    log(f"语料 corpus: {report.added} 新增 added, {report.unchanged} 未变 unchanged ({report.db})")
    added = load_annotations(res)
    log(f"标注 annotations: {added['train']} 新增训练样本 new training examples, {added['dev']} 新增开发集 new dev")
    trained = None
    if train:
        why = encoder_changed(res)
        if why:
            log(f"模型 model: {why}")
            trained = train_tagger(res, TrainRequest(log=log)).metrics
        else:
            log("模型 model: 已存在 active model found")
    return PrepareReport(report, added, trained)
