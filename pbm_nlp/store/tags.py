"""The tagger's themes for stored problems, per model version: mining and the drafting context
reuse them instead of tagging the same statements again."""
from __future__ import annotations

import json
from collections.abc import Iterable

from .backend import Connection


class ProblemTags:
    """Mixin of :class:`~pbm_nlp.store.Store`: needs ``self.conn`` and ``self.write()``."""

    conn: Connection

    def save_problem_tags(self, model_version: str,
                          tags: Iterable[tuple[int, list[str], dict[str, float]]]) -> int:
        rows = [(pid, model_version, json.dumps(themes, ensure_ascii=False), json.dumps(scores))
                for pid, themes, scores in tags]
        with self.write(bump=False) as c:  # derived data: caches built from the store stay valid
            c.executemany("""INSERT INTO problem_tags (problem_id, model_version, themes, scores) VALUES (?,?,?,?)
                             ON CONFLICT (problem_id, model_version) DO UPDATE SET themes=excluded.themes,
                             scores=excluded.scores""", rows)
        return len(rows)

    def problem_tags(self, model_version: str) -> dict[int, tuple[list[str], dict[str, float]]]:
        rows = self.conn.execute("SELECT problem_id, themes, scores FROM problem_tags WHERE model_version=?",
                                 (model_version,))
        return {pid: (json.loads(t), json.loads(s)) for pid, t, s in rows}
