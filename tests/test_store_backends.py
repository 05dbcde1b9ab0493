"""Several processes on one store, on both back ends: what a department's shared server must do.

Two processes (as two app servers would, through the review service) see each other's label
edits and the store's revision moves for both; processes editing at once lose no edit and log
each transition once; the schema-version guard and connection errors name the store. The
PostgreSQL cases run on a throw-away cluster (``pg_server``); the rest of the store's tests are
parametrized over both back ends in tests/test_store.py.
"""
from __future__ import annotations

import itertools
import json
import multiprocessing as mp

import pytest

from pbm_nlp.errors import PbmError, StaleEdit, StoreError
from pbm_nlp.resources import Resources
from pbm_nlp.services import review
from pbm_nlp.services.schema import Actor, LabelEdit
from pbm_nlp.store import Store
from pbm_nlp.store.migrations import SCHEMA_VERSION
from pbm_nlp.store.postgres import redact

from .conftest import free_port, make_settings

CHOICES = [["staffing"], ["acceptance"], ["process_mgmt"], ["om_mechanism"], ["perf_mgmt"]]


def _seed_examples(db, n: int = 3) -> list[int]:
    with Store(db) as store:
        store.upsert_annotations([{"id": f"x-{k}", "text": f"项目终期验收不规范{k}", "themes": ["acceptance"]}
                                  for k in range(n)])
        return [a["id"] for a in store.annotations()]


def _app(db, tmp, name: str, inbox, outbox) -> None:
    """A second app process: relabels through the review service and reports what it reads."""
    res = Resources(make_settings(tmp, db=db))
    me = Actor(name, "trainer")
    while (msg := inbox.get()) is not None:
        op, aid, themes = msg
        if op == "edit":
            review.relabel(res, LabelEdit(aid, themes, me))
        with res.store() as store:
            outbox.put((store.annotation(aid)["themes"], store.revision()))


def test_two_app_processes_see_each_others_label_edits(store_db, tmp_path):
    aid = _seed_examples(store_db)[0]
    ctx = mp.get_context("spawn")
    inbox, outbox = ctx.Queue(), ctx.Queue()
    other = ctx.Process(target=_app, args=(store_db, tmp_path / "b", "乙", inbox, outbox))
    other.start()
    try:
        res = Resources(make_settings(tmp_path / "a", db=store_db))
        with res.store() as store:
            before, seen = store.revision(), store.annotation(aid)["version"]
        inbox.put(("edit", aid, ["staffing"]))  # the other process edits …
        themes, rev_b = outbox.get(timeout=120)
        with res.store() as store:  # … and this one sees it, with a newer revision
            assert themes == store.annotation(aid)["themes"] == ["staffing"]
            assert store.revision() == rev_b > before
        with pytest.raises(StaleEdit, match="乙"):  # an edit made on what this process saw before is refused
            review.relabel(res, LabelEdit(aid, ["perf_mgmt"], Actor("甲", "trainer"), version=seen))
        review.relabel(res, LabelEdit(aid, ["acceptance", "process_mgmt"], Actor("甲", "trainer")))
        inbox.put(("read", aid, None))  # this process edits, the other one sees it
        themes, rev_b2 = outbox.get(timeout=120)
        assert themes == ["acceptance", "process_mgmt"] and rev_b2 > rev_b
    finally:
        inbox.put(None)
        other.join(60)
    with Store(store_db) as store:
        log = store.edit_history()
    assert [(e["reviewer"], json.loads(e["new_themes"])) for e in reversed(log)] == [
        ("乙", ["staffing"]), ("甲", ["acceptance", "process_mgmt"])]


def _editor(db, k: int, ids: list[int], rounds: int) -> None:
    with Store(db) as store:
        for j in range(rounds):
            store.set_themes(ids[0], CHOICES[(k + j) % len(CHOICES)] + [f"t{k}-{j}"], reviewer=f"r{k}")
            store.set_themes(ids[1 + k % (len(ids) - 1)], [f"own{k}-{j}"], reviewer=f"r{k}")


def test_concurrent_edits_from_processes_lose_nothing(store_db):
    """Four processes relabel one shared example and their own ones at once: every edit is applied
    and logged once, each logged old label is the previous edit's new one, the revision counts all."""
    ids = _seed_examples(store_db, n=5)
    with Store(store_db) as store:
        r0 = store.revision()
    ctx = mp.get_context("spawn")
    rounds = 10
    _run_all([ctx.Process(target=_editor, args=(store_db, k, ids, rounds)) for k in range(4)])
    with Store(store_db) as store:
        shared = store.conn.execute("SELECT old_themes, new_themes FROM annotation_log WHERE annotation_id=? "
                                    "ORDER BY id", (ids[0],)).fetchall()
        assert len(shared) == 4 * rounds and store.annotation(ids[0])["version"] == 4 * rounds
        assert all(prev[1] == cur[0] for prev, cur in itertools.pairwise(shared))
        assert json.loads(shared[-1][1]) == store.annotation(ids[0])["themes"]
        for k in range(4):  # each process's own example holds its last edit
            assert store.annotation(ids[1 + k])["themes"] == [f"own{k}-{rounds - 1}"]
        assert store.revision() == r0 + 2 * 4 * rounds


def test_a_newer_schema_is_refused_on_postgresql(pg_server):
    from .conftest import new_pg_database

    url = new_pg_database(pg_server)
    with Store(url) as store:
        assert store.schema_version == SCHEMA_VERSION and store.backend.name == "postgresql"
        store.conn.execute("INSERT INTO pbm_schema (version) VALUES (?)", (SCHEMA_VERSION + 1,))
    with pytest.raises(PbmError, match="newer"):
        Store(url)


def test_postgresql_errors_name_the_server_without_the_password(pg_server):
    port = free_port()  # nothing listens there
    with pytest.raises(StoreError, match="cannot be reached") as err:
        Store(f"postgresql://ann:secret@127.0.0.1:{port}/pbm")
    assert "secret" not in err.value.zh + err.value.en and f"ann@127.0.0.1:{port}/pbm" in err.value.en
    with pytest.raises(StoreError, match="does not exist"):
        Store(f"{pg_server}/no_such_database")
    assert redact("postgresql://u:p%40ss@h:5432/db") == "postgresql://u@h:5432/db"


def test_two_processes_create_the_schema_at_once(pg_server):
    """Two workers starting on an empty database: the migration lock lets one apply each step."""
    from .conftest import new_pg_database

    url = new_pg_database(pg_server)
    ctx = mp.get_context("spawn")
    _run_all([ctx.Process(target=_open, args=(url,)) for _ in range(3)])
    with Store(url) as store:
        versions = [r[0] for r in store.conn.execute("SELECT version FROM pbm_schema ORDER BY version")]
    assert versions == list(range(1, SCHEMA_VERSION + 1))


def _open(url: str) -> None:
    Store(url).close()


def _run_all(procs: list) -> None:
    """Start the processes together, wait for them, and require that each one succeeded."""
    for p in procs:
        p.start()
    for p in procs:
        p.join(300)
    assert all(p.exitcode == 0 for p in procs)


def _contents(db) -> dict:
    with Store(db) as store:
        return {"evaluations": store.evaluations(), "declarations": store.declarations(),
                "problems": store.problems(), "annotations": store.annotations(None),
                "log": store.edit_history(), "models": store.model_versions("theme-tagger"),
                "tags": store.problem_tags("v1"), "counts": store.counts()}


def test_a_desk_store_copies_onto_postgresql_and_back(seeded_db, pg_server, tmp_path):
    import shutil
    import subprocess
    import sys

    from pbm_nlp import config

    from .conftest import SEED_004, ingest, new_pg_database

    desk = tmp_path / "desk.db"
    shutil.copy(seeded_db, desk)
    aid = _seed_examples(desk)[0]
    with Store(desk) as store:
        store.set_themes(aid, ["staffing"], reviewer="甲")
        store.record_model_version("theme-tagger", "v1", "/m/v1", "h", {"f1": 0.8})
        store.save_problem_tags("v1", [(1, ["acceptance"], {"acceptance": 0.9})])
    url = new_pg_database(pg_server)
    env = {**__import__("os").environ, "PYTHONPATH": str(config.PROJECT_ROOT)}
    out = subprocess.run([sys.executable, "-m", "pbm_nlp.cli", "copy-store", "--db", str(desk), "--to", url],
                         capture_output=True, text=True, env=env, timeout=300, check=False)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["problems"] == 12
    assert _contents(url) == _contents(desk)
    again = subprocess.run([sys.executable, "-m", "pbm_nlp.cli", "copy-store", "--db", str(desk), "--to", url],
                           capture_output=True, text=True, env=env, timeout=300, check=False)
    assert again.returncode == 2 and "not empty" in again.stderr
    assert ingest(url, SEED_004).added == 0  # already there: ids and uniqueness carried over
    with Store(url) as store:  # new rows continue after the copied ids
        new_id, created = store.add_example("x-new", "新的问题表述", ["staffing"], "乙")
        assert created and new_id > aid
    from pbm_nlp.services.ingest import copy_store

    back = tmp_path / "back.db"
    copy_store(Resources(make_settings(tmp_path, db=url)), str(back))
    assert _contents(back)["counts"] == _contents(url)["counts"]
