"""Issue mining over the store (or given statements): recurring problems, trends, copied text."""
from __future__ import annotations

from typing import Any

from ..errors import InputError, ModelNotTrained
from ..resources import Resources
from . import validate
from .schema import MineRequest


def _facets(st) -> tuple[str, str, str]:
    from ..mine.records import UNKNOWN, project_kind

    return (str(st.year) if st.year else UNKNOWN, st.unit or UNKNOWN, project_kind(st))


def store_statements(res: Resources, include_corpus: bool = False) -> list:
    """The store's problem statements, plus the labelled training corpus when asked."""
    from ..mine.records import from_store

    with res.store() as store:
        return from_store(store, corpus=include_corpus)


def facets(res: Resources, include_corpus: bool = False) -> tuple[list[str], list[str], list[str]]:
    """The years, units and project kinds present, for the filters (read afresh on each call)."""
    try:
        found = [_facets(s) for s in store_statements(res, include_corpus)]
    except InputError:
        return [], [], []
    return tuple(sorted({f[i] for f in found}) for i in range(3))  # type: ignore[return-value]


def filter_statements(statements: list, years: list[str] | None, units: list[str] | None,
                      kinds: list[str] | None) -> list:
    """Keep the statements whose year, unit and kind are among the chosen ones (none chosen: all)."""
    wanted = [set(years or ()), set(units or ()), set(kinds or ())]
    return [s for s in statements if all(not w or f in w for w, f in zip(wanted, _facets(s)))]


def stored_tags(res: Resources, statements: list, log=None) -> list[dict[str, Any]] | None:
    """The active tagger's themes for the statements, from the store where it has them: stored
    problems are tagged once per model version and the tags kept, so re-mining a large store tags
    nothing again. None when no statement comes from the store (the miner tags them itself)."""
    from ..mine.miner import tag_statements
    from ..themes.taxonomy import theme_names

    ids = [getattr(s, "problem_id", None) for s in statements]
    if not any(i is not None for i in ids):
        return None
    version = res.tagger.version
    with res.store() as store:
        known = store.problem_tags(version)
    todo = [k for k, i in enumerate(ids) if i is None or i not in known]
    if todo and log:
        log(f"主题标注 tagging {len(todo)} statements (the other {len(ids) - len(todo)} have stored tags) …")
    fresh = tag_statements([statements[k].text for k in todo], res.tagger, list(theme_names())) if todo else []
    new = {k: t for k, t in zip(todo, fresh)}
    with res.store() as store:
        store.save_problem_tags(version, [(ids[k], t["themes"], t["scores"]) for k, t in new.items()
                                          if ids[k] is not None])
    return [new[k] if k in new else {"themes": known[i][0], "scores": known[i][1]} for k, i in enumerate(ids)]


def mine(res: Resources, request: MineRequest) -> Any:
    """Cluster the statements into recurring problems; returns a :class:`~pbm_nlp.mine.MiningResult`."""
    from ..mine.miner import MinerConfig
    from ..mine.miner import mine as run

    validate.unit_interval(request.min_similarity, "最低相似度", "min_similarity")
    validate.positive_int(request.min_cluster_size, "最小聚类规模", "min_cluster_size")
    statements = request.statements
    if statements is None:
        statements = filter_statements(store_statements(res, request.include_corpus), request.years,
                                       request.units, request.kinds)
    if len(statements) < 2:
        raise InputError(f"筛选后只剩 {len(statements)} 条问题陈述，无法聚类：请放宽年度、单位或类别筛选，或导入更多评价结果。",
                         f"only {len(statements)} statements to mine: widen the filters or import more evaluations.")
    cfg = MinerConfig(**{k: v for k, v in (("min_similarity", request.min_similarity),
                                           ("min_cluster_size", request.min_cluster_size)) if v is not None})
    try:
        tags = stored_tags(res, statements, request.log) if request.use_themes else None
        return run(statements, encoder=res.encoder, tagger=res.tagger if request.use_themes else None,
                   tags=tags, use_themes=request.use_themes, config=cfg, log=request.log)
    except ModelNotTrained as exc:
        raise ModelNotTrained(exc.zh + " 或不使用主题（--no-themes）只按文本聚类。",
                              exc.en + " Or mine without themes (--no-themes) to cluster on text alone.") from exc
