"""Model versions as the store knows them: which exists, with what data, and which is active."""
from __future__ import annotations

import json
from typing import Any

from .backend import Connection


class ModelRecords:
    """Mixin of :class:`~pbm_nlp.store.Store`: needs ``self.conn`` and ``self.write()``."""

    conn: Connection

    def record_model_version(self, name: str, version: str, path: str, data_hash: str,
                             summary: dict[str, Any]) -> None:
        with self.write() as c:
            c.execute("""INSERT INTO model_versions (name, version, path, data_hash, metrics) VALUES (?,?,?,?,?)
                         ON CONFLICT (name, version) DO UPDATE SET path=excluded.path,
                         data_hash=excluded.data_hash, metrics=excluded.metrics""",
                      (name, version, path, data_hash, json.dumps(summary, ensure_ascii=False)))

    def set_active_model(self, name: str, version: str) -> None:
        """Mark one version active (and the others not), in one transaction."""
        with self.write() as c:
            c.execute("UPDATE model_versions SET active = (CASE WHEN version=? THEN 1 ELSE 0 END) WHERE name=?",
                      (version, name))

    def active_model_version(self, name: str) -> str | None:
        row = self.conn.execute("SELECT version FROM model_versions WHERE name=? AND active=1", (name,)).fetchone()
        return row[0] if row else None

    def model_versions(self, name: str) -> list[dict[str, Any]]:
        rows = self.conn.execute("SELECT * FROM model_versions WHERE name=? ORDER BY version", (name,)).fetchall()
        return [dict(r) | {"metrics": json.loads(r["metrics"])} for r in rows]
