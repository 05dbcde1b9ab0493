"""The store on both back ends (SQLite and PostgreSQL: ``store_db``, ``seeded_store``): counts after
ingesting the seeds, idempotence, exports, the audit log; SQLite's WAL mode and schema version."""
from __future__ import annotations

import sqlite3

import pytest

from pbm_nlp.errors import PbmError
from pbm_nlp.store import Store
from pbm_nlp.store.migrations import SCHEMA_VERSION

from .conftest import SEED_003, SEEDS, ingest, new_pg_database


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeded_store(request, seeded_db):
    """The five seeds in a store on each back end."""
    if request.param == "sqlite":
        return seeded_db
    url = new_pg_database(request.getfixturevalue("pg_server"))
    assert not ingest(url, SEEDS).errors
    return url


def test_seed_counts_and_second_ingest_changes_nothing(store_db):
    with Store(store_db) as store:
        first = ingest(store_db, SEEDS)
        counts = store.counts()
        assert first.added == 5 and not first.errors
        assert counts["evaluations"] == 6 and counts["problems"] == 12 and counts["suggestions"] == 12
        assert counts["declarations"] == 23 and counts["indicators"] == 40 + 80 + 124
        second = ingest(store_db, SEEDS)
        assert second.added == 0 and second.unchanged == 5
        assert store.counts() == counts


def test_same_content_in_another_encoding_is_the_same_document(store_db, tmp_path):
    gbk = tmp_path / "copy.txt"
    gbk.write_bytes(SEED_003.read_text(encoding="utf-8").encode("gbk"))
    assert ingest(store_db, SEED_003).added == 1
    assert ingest(store_db, gbk).added == 0


def test_wal_mode_and_schema_version(db_path):
    with Store(db_path) as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.schema_version == SCHEMA_VERSION
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def test_newer_schema_is_refused(db_path):
    Store(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(PbmError, match="newer"):
        Store(db_path)


def test_exported_declaration_has_the_lint_schema(seeded_store):
    with Store(seeded_store) as store:
        decls = store.declarations()
    assert len(decls) == 23
    wechat = decls[0]
    assert wechat["project"] == "上海人大代表服务微信平台建设" and wechat["kind"] == "信息化建设类"
    assert wechat["year"] == 2018 and wechat["budget"] == 1_035_000
    assert wechat["indicators"][4] == {"level1": "产出目标", "level2": None, "name": "信息传递速度",
                                       "target": "≥10000.00kb"}
    hui = next(d for d in decls if "慧" in d["project"])
    assert hui["kind"] == "其他运转类" and hui["source"] == "003_c395438b008f884a.txt"


def test_problems_keep_their_evaluation_context(seeded_store):
    with Store(seeded_store) as store:
        problems = store.problems()
    assert len(problems) == 12
    ops = [p for p in problems if "运维管理机制" in p["heading"]]
    assert {p["project"] for p in ops} == {"上海人大代表服务微信平台建设费", "市人大常委会会务工作智能化平台建设经费"}
    assert all(p["year"] == 2018 for p in ops)


def test_annotation_edits_are_logged(store_db):
    with Store(store_db) as store:
        store.upsert_annotations([{"id": "x-1", "text": "项目终期验收不规范", "themes": ["acceptance"],
                                   "source": "authored", "labeled_by": "tester"}])
        (ann,) = store.annotations()
        store.set_themes(ann["id"], ["acceptance", "process_mgmt"], reviewer="trainer-a")
        (ann,) = store.annotations()
        assert ann["themes"] == ["acceptance", "process_mgmt"] and ann["labeled_by"] == "trainer-a"
        log = store.conn.execute("SELECT reviewer, old_themes, new_themes FROM annotation_log").fetchall()
        assert [tuple(r) for r in log] == [("trainer-a", '["acceptance"]', '["acceptance", "process_mgmt"]')]
        # re-loading the JSON Lines does not overwrite the trainer's edit
        store.upsert_annotations([{"id": "x-1", "text": "项目终期验收不规范", "themes": ["acceptance"]}])
        assert store.annotations()[0]["themes"] == ["acceptance", "process_mgmt"]
