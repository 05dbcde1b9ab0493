"""The store under faults: a bad --db, a full disk, concurrent label edits, duplicate examples."""
from __future__ import annotations

import itertools
import json
import resource
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from pbm_nlp.errors import InputError, StaleEdit, StoreError
from pbm_nlp.store import Store
from pbm_nlp.store.repository import storage_error

from .conftest import SEED_000, SEED_001, SEED_003, ingest

PBM = [sys.executable, "-m", "pbm_nlp.cli"]


def pbm(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(PBM + list(args), check=False, capture_output=True, text=True, timeout=300, **kw)


# ---- opening a store ---------------------------------------------------------------------------------

def test_a_folder_is_not_a_store(tmp_path):
    with pytest.raises(StoreError, match="is a folder"):
        Store(tmp_path)


def test_a_file_that_is_not_sqlite_is_named_with_the_cause(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("这不是数据库 not a database\n" * 50, encoding="utf-8")
    with pytest.raises(StoreError, match="not an SQLite database") as err:
        Store(bad)
    assert str(bad) in err.value.zh and str(bad) in err.value.en


def test_a_corrupt_store_is_named_with_the_cause(tmp_path):
    db = tmp_path / "pbm.db"
    ingest(db, SEED_000, SEED_001)
    with Store(db) as store:
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db.read_bytes())
    for off in range(3 * 4096, len(data), 4096):  # keep the header and schema page, scramble the rest
        data[off + 100:off + 400] = bytes((i * 37) % 251 for i in range(300))
    db.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="corrupt|malformed") as err, Store(db) as store:
        store.evaluations()
        store.declarations()
    assert str(db) in err.value.en and err.value.disk


def test_a_missing_store_is_refused_unless_creating(tmp_path):
    missing = tmp_path / "typo" / "pbm.db"
    with pytest.raises(StoreError, match="no store at"):
        Store(missing, create=False)
    assert not missing.parent.exists()  # no folder, no empty database
    Store(missing).close()
    assert missing.exists()


def test_cli_refuses_a_mistyped_db_but_ingest_creates_one(tmp_path):
    typo = tmp_path / "typo" / "pbm.db"
    for args in (("export", "--kind", "problems"), ("mine",), ("train", "--no-dense"), ("models",)):
        out = pbm(*args, "--db", str(typo))
        assert out.returncode == 2 and "no store at" in out.stderr and "Traceback" not in out.stderr, args
    assert not typo.parent.exists()
    out = pbm("ingest", str(SEED_003), "--db", str(typo))
    assert out.returncode == 0 and typo.exists()


def test_cli_names_a_db_that_is_a_folder_or_not_a_database(tmp_path):
    notdb = tmp_path / "x.db"
    notdb.write_bytes(b"\x89PNG\r\n" + b"\x00" * 5000)
    for db in (tmp_path, notdb):
        out = pbm("ingest", str(SEED_003), "--db", str(db))
        assert out.returncode == 2 and str(db) in out.stderr and "Traceback" not in out.stderr


# ---- a full disk during ingest -----------------------------------------------------------------------

def _limit_file_size(limit: int):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_disk_full_stops_the_batch_cleanly_and_keeps_what_was_stored(tmp_path):
    db = tmp_path / "pbm.db"
    assert ingest(db, SEED_003).added == 1
    with Store(db) as store:
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        before = store.counts()
    # no file may grow past 40 KB: room for the shared-memory index (32 KB), but the write-ahead
    # log of SEED_001 (4 declarations, 40 indicators) does not fit
    limit = 40_000
    out = subprocess.run(PBM + ["ingest", str(SEED_001), str(SEED_000), "--db", str(db), "--json"], check=False,
                         capture_output=True, text=True, timeout=300, preexec_fn=_limit_file_size(limit))
    assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr
    report = json.loads(out.stdout)
    assert report["stopped"]["error"].startswith(f"the store {db} cannot be used")
    assert report["not_processed"] == [str(SEED_000)]
    assert "stopped" in out.stderr
    with Store(db) as store:
        assert store.counts() == before  # nothing half-written
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_record_fault_is_the_files_and_the_batch_goes_on(tmp_path):
    """A constraint or an oversized value is one record's problem; the disk's are not."""
    record = sqlite3.IntegrityError("UNIQUE constraint failed")
    record.sqlite_errorname = "SQLITE_CONSTRAINT_UNIQUE"
    assert storage_error(tmp_path, record).disk is False
    assert storage_error(tmp_path, sqlite3.DataError("string or blob too big")).disk is False
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorname = "SQLITE_FULL"
    err = storage_error(tmp_path / "pbm.db", full)
    assert err.disk and "disk is full" in err.en and "磁盘已满" in err.zh


# ---- label edits ------------------------------------------------------------------------------------

def _one_example(db: Path) -> int:
    with Store(db) as store:
        store.upsert_annotations([{"id": "x-1", "text": "项目终期验收不规范", "themes": ["acceptance"]}])
        return store.annotations()[0]["id"]


def test_a_stale_edit_is_refused_and_names_who_changed_it(db_path):
    aid = _one_example(db_path)
    with Store(db_path) as store:
        seen = store.annotation(aid)["version"]
        store.set_themes(aid, ["staffing"], reviewer="甲", expected_version=seen)
        with pytest.raises(StaleEdit, match="甲") as err:
            store.set_themes(aid, ["process_mgmt"], reviewer="乙", expected_version=seen)
        assert "staffing" in err.value.zh
        assert store.annotation(aid)["themes"] == ["staffing"]
        assert store.conn.execute("SELECT COUNT(*) FROM annotation_log").fetchone()[0] == 1
        with pytest.raises(InputError, match="no example"):
            store.set_themes(999, ["staffing"], reviewer="乙", expected_version=0)


def test_concurrent_edits_log_the_labels_they_really_replaced(db_path):
    """Each logged old_themes is the previous edit's new_themes: no transition is lost or invented."""
    aid = _one_example(db_path)
    choices = [["staffing"], ["acceptance"], ["process_mgmt"], ["om_mechanism"], ["perf_mgmt"]]

    def editor(k: int) -> None:
        with Store(db_path) as store:
            for j in range(12):
                store.set_themes(aid, choices[(k + j) % len(choices)] + [f"t{k}-{j}"], reviewer=f"r{k}")

    threads = [threading.Thread(target=editor, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with Store(db_path) as store:
        log = store.conn.execute("SELECT old_themes, new_themes FROM annotation_log ORDER BY id").fetchall()
        final = store.annotation(aid)
    assert len(log) == 48 and final["version"] == 48
    assert json.loads(log[0][0]) == ["acceptance"]
    assert all(prev[1] == cur[0] for prev, cur in itertools.pairwise(log))
    assert json.loads(log[-1][1]) == final["themes"]


def test_a_duplicate_example_is_reported_not_added(db_path):
    with Store(db_path) as store:
        store.upsert_annotations([{"id": "dev-1", "text": "项目终期验收不规范", "themes": ["acceptance"]}], split="dev")
        aid, created = store.add_example("trainer-abc", "项目终期验收不规范", ["staffing"], "甲")
        assert not created and store.annotation(aid)["themes"] == ["acceptance"]
        assert store.counts()["annotations"] == 1
        assert store.conn.execute("SELECT COUNT(*) FROM annotation_log").fetchone()[0] == 0
        new, created = store.add_example("trainer-def", "另一条问题", ["staffing"], "甲")
        assert created and new != aid
