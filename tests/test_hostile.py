"""Hostile and careless input (issue 16): every probe ends in a clear zh/en message, no traceback,
bounded time and memory, nothing lost, the rest of a batch processed.

Bombs are built small on disk (tests/hostile_files.py) and read in a child process under a 2 GB
address-space limit, so a regression fails the test instead of the machine. Speed and memory
figures are measured by benchmarks/bombs.py, not here.
"""
from __future__ import annotations

import codecs
import json
import logging
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from pbm_nlp import services
from pbm_nlp.auth import LoginThrottle
from pbm_nlp.config import ReadLimits, Settings
from pbm_nlp.errors import InputError, LimitExceeded, PbmError
from pbm_nlp.ingest.readers import decode_text, read_bytes
from pbm_nlp.ingest.registry import parse_file
from pbm_nlp.services import validate
from pbm_nlp.services.schema import MineRequest, TagRequest
from pbm_nlp.store import Store
from pbm_nlp.text.jsonl import MAX_DEPTH, loads
from pbm_nlp.webui.security import Gatekeeper, allowed_hosts, check_hosts, host_of

from . import hostile_files as h
from .conftest import SEED_000, SEED_003, seed_text

PBM = [sys.executable, "-m", "pbm_nlp.cli"]
GB4 = 4_000_000_000
DEEP = "[" * 1000 + "]" * 1000
DEEP_OBJ = '{"a":' * 1000 + "1" + "}" * 1000


def _address_space(limit: int = 2_000_000_000):
    return lambda: resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def pbm(*args: str, stdin: str | None = None, env: dict[str, str] | None = None,
        limit: int | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(PBM + list(args), input=stdin, capture_output=True, text=True, timeout=300, check=False,
                          env={**os.environ, **(env or {})}, preexec_fn=_address_space(limit) if limit else None)


def clean(out: subprocess.CompletedProcess) -> bool:
    """A user-facing failure: a zh and an en line, no traceback."""
    return "Traceback" not in out.stderr and "错误" in out.stderr and "error" in out.stderr


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("bombs")
    secret = d / "secret.txt"
    secret.write_text("TOP-SECRET-LINE", encoding="utf-8")
    return {
        "docx_4gb": h.docx_bomb(d / "bomb.docx", GB4),
        "docx_liar": h.docx_bomb(d / "liar.docx", GB4, lie=12_000_000),
        "docx_ratio": h.docx_bomb(d / "dense.docx", 24_000_000),
        "docx_parts": h.many_parts(d / "parts.docx", 3000),
        "xlsx_4gb": h.xlsx_bomb(d / "bomb.xlsx", GB4),
        "xlsx_liar": h.xlsx_bomb(d / "liar.xlsx", GB4, lie=12_000_000),
        "pdf_4gb": h.pdf_bomb(d / "bomb.pdf", GB4),
        "pdf_pages": h.pdf_pages(d / "pages.pdf", 2000),
        "pdf_dense": h.pdf_dense_page(d / "dense.pdf", 3_000_000),
        "laughs": h.entity_expansion(d / "laughs.docx"),
        "xxe": h.external_entity(d / "xxe.docx", secret),
        "far_cell": h.xlsx_far_cell(d / "far.xlsx"),
    }


PROBE = """
import json, sys, time
from pbm_nlp.ingest.registry import parse_file
from pbm_nlp.errors import PbmError

def peak_mb():  # this process image's peak (ru_maxrss would include the parent's, inherited at exec)
    line = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024

for f in sys.argv[1:]:
    t = time.perf_counter()
    try:
        doc = parse_file(f)
        out = {"ok": doc.doc_type}
    except PbmError as e:
        out = {"error": type(e).__name__, "zh": e.zh, "en": e.en}
    out |= {"file": f, "seconds": time.perf_counter() - t, "maxrss_mb": peak_mb()}
    print(json.dumps(out, ensure_ascii=False), flush=True)
"""


def test_bombs_are_refused_with_the_file_and_the_limit_named(bombs):
    """docx/xlsx/pdf inflating to 4 GB, parts lying about their size (with matching CRCs), 3,000
    parts, 2,000 pages, a page of 3 MB of drawing instructions: each refused, in a child process
    that may not map more than 2 GB."""
    names = [k for k in bombs if k not in ("laughs", "xxe", "far_cell")]
    out = subprocess.run([sys.executable, "-c", PROBE, *(str(bombs[k]) for k in names)], capture_output=True,
                         text=True, timeout=300, check=False, preexec_fn=_address_space())
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr[-2000:]
    results = dict(zip(names, map(json.loads, out.stdout.splitlines())))
    assert len(results) == len(names)
    expected = {"docx_4gb": "PBM_MAX_INFLATED_BYTES", "xlsx_4gb": "PBM_MAX_INFLATED_BYTES",
                "docx_liar": "beyond the size it declares", "xlsx_liar": "beyond the size it declares",
                "docx_ratio": "PBM_MAX_RATIO", "docx_parts": "PBM_MAX_PARTS", "pdf_pages": "PBM_MAX_PAGES",
                "pdf_4gb": "PBM_MAX_PAGE_CONTENT_BYTES", "pdf_dense": "PBM_MAX_PAGE_CONTENT_BYTES"}
    for key, fragment in expected.items():
        r = results[key]
        assert r.get("error") == "LimitExceeded", (key, r)
        assert fragment in r["en"] and bombs[key].name in r["en"] and bombs[key].name in r["zh"], (key, r)
        assert r["maxrss_mb"] < 1000  # the child was never near its 2 GB ceiling


def test_entities_are_neither_expanded_nor_resolved(bombs):
    with pytest.raises(PbmError) as err:
        parse_file(bombs["laughs"])
    assert "laughs.docx" in err.value.en
    with pytest.raises(PbmError) as err:  # the document holds no form; the secret file was not read
        parse_file(bombs["xxe"])
    assert "TOP-SECRET" not in err.value.zh + err.value.en


def test_a_sheet_claiming_the_whole_grid_is_read_by_its_cells(bombs):
    """A1:XFD1048576 declared: the reader does not pad 17 billion cells (it used to run for 40 min)."""
    raw = read_bytes(bombs["far_cell"].read_bytes(), "far.xlsx", ReadLimits(seconds=60))
    assert raw.text.startswith("绩效目标申报表") and raw.text.rstrip().endswith("末尾")


def test_the_time_budget_stops_one_document_and_the_thread_goes_on(tmp_path):
    slow = h.pdf_dense_page(tmp_path / "slow.pdf", 400_000)  # under the size limits, slow to extract
    with pytest.raises(LimitExceeded, match="PBM_DOC_SECONDS") as err:
        parse_file(slow, ReadLimits(seconds=1))
    assert "slow.pdf" in err.value.en
    assert sum(range(10)) == 45  # no exception left pending in this thread


def test_a_batch_with_bombs_stores_the_good_files_and_reports_the_rest(bombs, tmp_path):
    db = tmp_path / "pbm.db"
    files = [bombs["docx_4gb"], SEED_000, bombs["xlsx_liar"], bombs["pdf_4gb"], SEED_003]
    out = pbm("ingest", *map(str, files), "--db", str(db), "--json", limit=2_000_000_000)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    report = json.loads(out.stdout)
    assert report["added_documents"] == 2 and len(report["errors"]) == 3
    assert {Path(e["file"]).name for e in report["errors"]} == {"bomb.docx", "liar.xlsx", "bomb.pdf"}
    with Store(db) as store:
        assert store.counts()["documents"] == 2


def test_reading_dev_zero_stops_at_the_size_limit(tmp_path):
    out = pbm("ingest", "/dev/zero", "--db", str(tmp_path / "pbm.db"), "--json", env={"PBM_MAX_FILE_BYTES": "2000000"})
    assert out.returncode == 1 and "more than 2 MB" in out.stdout
    out = pbm("tag", "/dev/zero", env={"PBM_MAX_FILE_BYTES": "2000000"})
    assert out.returncode == 2 and clean(out) and "more than 2 MB" in out.stderr


# ---- text encodings --------------------------------------------------------------------------------

@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "utf-16-le"])
def test_utf16_and_utf32_are_decoded(tmp_path, codec):
    """With a byte-order mark, and UTF-16 without one (Notepad's "Unicode" saved by some tools)."""
    text = seed_text(SEED_000)
    path = tmp_path / "results.txt"
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    path.write_bytes(data)
    assert parse_file(path).text_hash == parse_file(SEED_000).text_hash


def test_control_characters_are_removed_with_a_note(tmp_path, caplog):
    text = seed_text(SEED_000)
    dirty = text[:200] + "\x07\x1b[0m" + text[200:400] + "\x00\x08" + text[400:]
    with caplog.at_level(logging.WARNING, logger="pbm_nlp.ingest"):
        raw = decode_text(dirty.encode("utf-8"), "dirty.txt")
    assert raw.text.replace("[0m", "") == text and raw.notes and "control" in raw.notes[0]
    assert "removed 4 control characters" in caplog.text
    with pytest.raises(PbmError, match="binary|cannot decode"):  # still: binary is binary
        decode_text(bytes(range(256)) * 40, "blob.bin")


# ---- JSON and numbers ------------------------------------------------------------------------------

def test_json_depth_is_limited_without_recursion():
    assert loads('{"a": [1, {"b": 2}]}') == {"a": [1, {"b": 2}]}
    for deep in (DEEP, DEEP_OBJ, "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)):
        with pytest.raises(InputError, match="nested too deeply"):
            loads(deep, "x")


@pytest.mark.parametrize("command", ["suggest", "lint", "rectify", "mine", "tag"])
def test_deep_json_gets_a_clear_error_in_every_command(command, tmp_path):
    out = pbm(command, "-", stdin=DEEP_OBJ + "\n", env={"PBM_DB": str(tmp_path / "none.db")})
    assert out.returncode in (1, 2) and "Traceback" not in out.stderr
    assert "nested too deeply" in out.stderr and "嵌套过深" in out.stderr


BAD_BUDGETS = [1e308, -5, float("nan"), float("inf"), float("-inf"), "1e400", 10**30]
BAD_YEARS = [10**30, -5, "1e400", 2025.5, "明年", float("nan")]


def test_implausible_budgets_and_years_are_refused_by_suggest_and_lint(fast_res):
    for budget in BAD_BUDGETS:
        with pytest.raises(InputError, match="budget"):
            services.drafting.suggest(fast_res, {"project": "河道保洁养护", "overview": "保洁", "budget": budget})
        with pytest.raises(InputError, match="budget"):
            services.drafting.lint(fast_res, [{"project": "甲", "indicators": []},
                                              {"project": "乙", "budget": budget, "indicators": []}])
    for year in BAD_YEARS:
        with pytest.raises(InputError, match="year"):
            services.drafting.suggest(fast_res, {"project": "河道保洁养护", "overview": "保洁", "year": year})


@pytest.mark.parametrize("value", ["1e308", "NaN", "-Infinity"])
def test_the_cli_refuses_them_too(value):
    """Python's JSON reads NaN, Infinity and 1e400 (as inf): none of them reaches the drafting code."""
    out = pbm("suggest", "-", stdin=f'{{"project": "河道保洁养护", "overview": "保洁", "budget": {value}}}')
    assert out.returncode == 2 and clean(out) and "budget" in out.stderr


def test_the_boundary_checks_accept_what_people_write():
    assert validate.budget("3,200,000元") == 3_200_000 and validate.budget(0) is None and validate.budget("") is None
    assert validate.year("2025年度") == 2025 and validate.year(2025.0) == 2025 and validate.year(None) is None
    assert validate.unit_interval(0.5, "阈值", "threshold") == 0.5


def test_thresholds_and_mining_settings_must_be_in_range(fast_res):
    for bad in (5, -0.1, float("nan"), float("inf")):
        with pytest.raises(InputError, match="threshold"):
            services.tagging.tag(fast_res, TagRequest(["项目验收资料不完整"], threshold=bad))
        with pytest.raises(InputError, match="min_similarity"):
            services.mining.mine(fast_res, MineRequest(min_similarity=bad))
    with pytest.raises(InputError, match="min_cluster_size"):
        services.mining.mine(fast_res, MineRequest(min_cluster_size=0))
    for bad in ("5", "nan", "-1"):
        out = pbm("tag", "-", "--threshold", bad, stdin="项目验收资料不完整\n")
        assert out.returncode == 2 and "[0, 1]" in out.stderr and "Traceback" not in out.stderr


def test_tag_reports_bad_lines_by_number_and_tags_the_rest(fast_res):
    env = {"PBM_DB": str(fast_res.settings.db), "PBM_MODELS": str(fast_res.settings.models), "PBM_ENCODER": "hashing"}
    lines = ["项目验收资料不完整，未组织专家验收。",       # 1 plain text
             '{"text": null}',                            # 2
             '{"title": "no text field"}',                # 3
             '{"text": "unterminated',                    # 4
             DEEP_OBJ,                                    # 5
             '{"text": "运维管理机制不健全，未明确责任部门。"}',  # 6
             "",                                          # 7 empty: skipped, counted
             '["a list", "not an object"]']               # 8 a JSON array is text, tagged as written
    out = pbm("tag", "-", "--json", stdin="\n".join(lines) + "\n", env=env)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    for n in (2, 3, 4, 5):
        assert f"line {n}" in out.stderr, out.stderr
    assert "line 1 " not in out.stderr and "line 6" not in out.stderr
    tagged = [json.loads(x)["text"] for x in out.stdout.splitlines()]
    assert tagged[:2] == [lines[0], "运维管理机制不健全，未明确责任部门。"] and len(tagged) == 3
    assert "skipped 1 empty" in out.stderr


# ---- settings ----------------------------------------------------------------------------------------

def test_limits_come_from_the_environment_and_bad_values_are_named():
    s = Settings.from_env({"PBM_MAX_PAGES": "20", "PBM_DOC_SECONDS": "2.5", "PBM_WORKERS": "3"})
    assert s.limits.pages == 20 and s.limits.seconds == 2.5 and s.workers == 3
    assert s.max_file_bytes == ReadLimits().file_bytes
    with pytest.raises(InputError, match="PBM_MAX_PARTS"):
        Settings.from_env({"PBM_MAX_PARTS": "many"})


# ---- the app's gate (without a server) ----------------------------------------------------------

def test_host_names_and_origins():
    assert host_of("127.0.0.1:7860") == "127.0.0.1" and host_of("[::1]:7860") == "::1"
    assert host_of("http://Rebind.Evil.Example:80") == "rebind.evil.example" and host_of("localhost") == "localhost"
    hosts = allowed_hosts("127.0.0.1", "pbm.czj.example, 10.0.0.5")
    gate = Gatekeeper(lambda *_: None, hosts)

    def scope(host: str | None, origin: str | None = None) -> dict:
        headers = [(b"host", host.encode())] if host else []
        headers += [(b"origin", origin.encode())] if origin else []
        return {"type": "http", "headers": headers}

    assert gate.host_ok(scope("localhost:7860")) and gate.host_ok(scope("pbm.czj.example"))
    assert gate.host_ok(scope("10.0.0.5:7860", "http://10.0.0.5:7860"))
    assert not gate.host_ok(scope("rebind.evil.example:7860"))
    assert not gate.host_ok(scope("127.0.0.1:7860", "http://evil.example"))
    assert not gate.host_ok(scope("127.0.0.1:7860", "null")) and not gate.host_ok(scope(None))
    assert "0.0.0.0" not in allowed_hosts("0.0.0.0")
    with pytest.raises(InputError, match="PBM_ALLOWED_HOSTS"):
        check_hosts("0.0.0.0", "")


def test_login_throttle_backs_off_per_user_and_per_address():
    now = [0.0]
    t = LoginThrottle(free=3, base=10, most=40, keys=100, clock=lambda: now[0])
    for _ in range(3):
        assert t.failed("user:tom", "addr:1.2.3.4") == 0
    assert t.failed("user:tom", "addr:1.2.3.4") == 10  # the 4th failure locks
    assert t.wait("user:tom") == 10 and t.wait("addr:1.2.3.4") == 10 and t.wait("user:eva") == 0
    now[0] = 11
    assert t.wait("user:tom") == 0 and t.failed("user:tom") == 20  # back-off doubles
    now[0] = 40
    assert t.failed("user:tom") == 40 and t.failed("user:tom") == 40  # up to the most
    t.succeeded("user:tom")
    assert t.wait("user:tom") == 0
    for i in range(500):  # sprayed names do not grow memory without bound
        t.failed(f"user:x{i}")
    assert len(t._failures) <= 100


def test_stored_passwords_are_salted_and_checked_in_constant_time(tmp_path):
    from pbm_nlp.auth import hash_password, load_users

    stored = hash_password("正确的密码", rounds=1000)
    assert stored.startswith("pbkdf2:1000:") and stored != hash_password("正确的密码", rounds=1000)  # salted
    users = tmp_path / "users.json"
    users.write_text(json.dumps({"tom": {"password": stored, "role": "trainer"}}), encoding="utf-8")
    tom = load_users({"PBM_USERS_FILE": str(users)})["tom"]
    assert tom.check("正确的密码") and not tom.check("正确的密") and not tom.check("")
    users.write_text(json.dumps({"tom": {"password": "pbkdf2:bad", "role": "trainer"}}), encoding="utf-8")
    with pytest.raises(InputError, match="pbkdf2:rounds:salt:digest"):
        load_users({"PBM_USERS_FILE": str(users)})


# ---- error pop-ups --------------------------------------------------------------------------------

def test_error_pop_ups_show_document_text_as_text(fast_res, caplog):
    import gradio as gr

    from pbm_nlp.webui.layout.wiring import Wiring

    w = Wiring(fast_res, {})

    def parse_upload():
        raise InputError('文件开头为“<a href="http://evil.example">点此</a><img src=x onerror=alert(1)>”',
                         'it starts with "<a href=http://evil.example>"')

    def broken():
        raise KeyError("secret internal detail <b>")

    with caplog.at_level(logging.WARNING, logger="pbm_nlp.webui"), pytest.raises(gr.Error) as err:
        w.guard(parse_upload)()
    msg = err.value.message
    assert "<a" not in msg and "<img" not in msg and "&lt;a href=" in msg and "&lt;img" in msg
    assert caplog.text.count("user input refused in parse_upload") == 1
    with caplog.at_level(logging.ERROR, logger="pbm_nlp.webui"), pytest.raises(gr.Error) as err:
        w.guard(broken)()
    assert "内部错误" in err.value.message and "secret" not in err.value.message and "KeyError" in caplog.text


def test_download_folders_are_removed_when_old(tmp_path):
    from pbm_nlp.webui.handlers.common import out_dir

    first = out_dir("export", root=tmp_path, keep=3600)
    (first / "a.xlsx").write_bytes(b"x")
    os.utime(first, (1, 1))  # an hour and more ago
    second = out_dir("export", root=tmp_path, keep=3600)
    assert not first.exists() and second.exists() and second.parent == tmp_path


# ---- through the running app (slow tier: a real server, the hashing encoder) -------------------------

USERS = "ann:pw0:drafter;eva:pw1:evaluator;tom:pw2:trainer;zed:pw3:drafter"


def _app_copy(fast_res, root: Path) -> tuple[Path, Path, dict[str, str]]:
    """A private copy of the fast store, models and corpora (adding a theme writes themes.yaml)."""
    import shutil

    from pbm_nlp import config

    shutil.copy(fast_res.settings.db, root / "pbm.db")
    shutil.copytree(fast_res.settings.models, root / "models")
    shutil.copytree(config.CORPORA_DIR, root / "corpora", ignore=shutil.ignore_patterns("cache", "*.db*"))
    return root / "pbm.db", root / "models", {"PBM_ENCODER": "hashing", "PBM_CORPORA": str(root / "corpora")}


@pytest.fixture(scope="module")
def open_app(fast_res, tmp_path_factory):
    """No-login localhost mode: every caller is a trainer, so the host check is what stands."""
    from .conftest import start_app

    root = tmp_path_factory.mktemp("open")
    db, models, env = _app_copy(fast_res, root)
    proc, url = start_app(db, models, root / "app.log", **env)
    yield url, db, root / "app.log"
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def users_app(fast_res, tmp_path_factory):
    from .conftest import start_app

    root = tmp_path_factory.mktemp("users")
    db, models, env = _app_copy(fast_res, root)
    proc, url = start_app(db, models, root / "app.log", PBM_USERS=USERS, **env)
    yield url, db, root / "app.log"
    proc.terminate()
    proc.wait(timeout=30)


def _annotations(db: Path) -> int:
    with Store(db) as store:
        return store.counts()["annotations"]


@pytest.mark.slow
def test_a_rebinding_request_is_refused_and_writes_nothing(open_app):
    import httpx

    url, db, log = open_app
    before = _annotations(db)
    body = {"data": ["评价组发现该项目无专职管理人员。", ["staffing"], "攻击者"]}
    for headers in ({"Host": "rebind.evil.example"}, {"Origin": "http://rebind.evil.example"}):
        r = httpx.post(url + "gradio_api/call/add_example", json=body, headers=headers, timeout=30)
        assert r.status_code == 403 and "host not allowed" in r.text
    assert _annotations(db) == before
    r = httpx.post(url + "gradio_api/call/add_example", json=body, timeout=30)  # the same call from localhost
    assert r.status_code == 200
    with httpx.stream("GET", url + f"gradio_api/call/add_example/{r.json()['event_id']}", timeout=60) as events:
        data = [line[5:] for line in "".join(events.iter_text()).splitlines() if line.startswith("data:")]
    assert "已添加样本" in json.loads(data[-1])[0]
    assert _annotations(db) == before + 1
    assert "refused request for host='rebind.evil.example'" in log.read_text(encoding="utf-8")
    page = httpx.get(url, timeout=30)
    assert page.headers["x-frame-options"] == "SAMEORIGIN" and page.headers["x-content-type-options"] == "nosniff"


@pytest.mark.slow
def test_sign_ins_are_throttled_and_every_refusal_names_the_user(users_app):
    import httpx

    url, _db, log = users_app
    attacker = {"X-Forwarded-For": "203.0.113.7"}  # uvicorn trusts it from 127.0.0.1, as from a local proxy

    def login(password: str, headers=attacker) -> httpx.Response:
        return httpx.post(url + "login", data={"username": "zed", "password": password}, headers=headers, timeout=30)

    codes = [login(f"guess{i}").status_code for i in range(8)]
    assert codes[:5] == [400] * 5 and codes[5] == 400 and codes[6:] == [429, 429]
    locked = login("pw3", headers={"X-Forwarded-For": "198.51.100.1"})  # the right password, another address
    assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 0 and "try again" in locked.text
    ok = httpx.post(url + "login", data={"username": "eva", "password": "pw1"}, timeout=30)
    assert ok.status_code == 200  # another user from another address is not affected
    text = log.read_text(encoding="utf-8")
    assert text.count("login failed: user='zed'") == 6 and "login refused: user='zed'" in text


@pytest.mark.slow
def test_the_labelled_corpus_and_the_queue_are_not_for_drafters(users_app):
    from gradio_client import Client

    url, _db, log = users_app
    drafter = Client(url, auth=("ann", "pw0"), verbose=False)
    for api in ("/export_annotations", "/review_queue"):
        with pytest.raises(Exception, match="权限不足|permission denied"):
            drafter.predict(api_name=api)
    evaluator = Client(url, auth=("eva", "pw1"), verbose=False)
    assert evaluator.predict(api_name="/review_queue")[0]["data"]
    with pytest.raises(Exception, match="权限不足|permission denied"):
        evaluator.predict(api_name="/export_annotations")
    trainer = Client(url, auth=("tom", "pw2"), verbose=False)
    assert Path(trainer.predict(api_name="/export_annotations")).read_text(encoding="utf-8").count("\n") > 50
    assert "permission denied: user=ann role=drafter" in log.read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_stale_label_edit_is_refused_and_shown(users_app):
    from gradio_client import Client

    url, db, _log = users_app
    first = Client(url, auth=("tom", "pw2"), verbose=False)
    second = Client(url, auth=("tom", "pw2"), verbose=False)
    for c in (first, second):
        c.predict(5, api_name="/annotation")  # both open example 5
    assert "已保存" in first.predict(5, ["staffing"], "", api_name="/save_labels")[0]
    with pytest.raises(Exception, match="在您打开后已被") as err:
        second.predict(5, ["acceptance"], "", api_name="/save_labels")
    assert "staffing" in str(err.value)
    with Store(db) as store:
        assert store.annotation(5)["themes"] == ["staffing"]
        log = [r for r in store.edit_history(10) if r["annotation_id"] == 5]
    assert len(log) == 1  # the refused edit left no trace but its refusal


@pytest.mark.slow
def test_an_upload_bomb_and_hostile_markup_get_clear_escaped_errors(users_app, bombs, tmp_path):
    from gradio_client import Client, handle_file

    url, _db, _log = users_app
    client = Client(url, auth=("ann", "pw0"), verbose=False)
    with pytest.raises(Exception, match="PBM_MAX_INFLATED_BYTES"):
        client.predict(handle_file(str(bombs["docx_4gb"])), api_name="/parse")
    page = tmp_path / "notes.txt"
    page.write_text('<a href="http://evil.example">点此领取</a><img src=x onerror=alert(1)> 会议纪要', encoding="utf-8")
    with pytest.raises(Exception) as err:
        client.predict(handle_file(str(page)), api_name="/parse")
    msg = str(err.value)
    assert "&lt;a href=" in msg and "<a " not in msg and "<img" not in msg
    summary, _records = client.predict(handle_file(str(SEED_000)), api_name="/parse")  # still serving
    assert "绩效评价结果信息表" in summary


@pytest.mark.slow
def test_a_year_ingested_later_can_be_mined_without_a_restart(users_app, tmp_path):
    from gradio_client import Client, handle_file

    url, _db, _log = users_app
    later = tmp_path / "results_2031.txt"
    later.write_text(seed_text(SEED_000).replace("2018", "2031"), encoding="utf-8")
    evaluator = Client(url, auth=("eva", "pw1"), verbose=False)
    msg, *_ = evaluator.predict([handle_file(str(later))], api_name="/ingest")
    assert "新增 1" in msg
    fresh = Client(url, auth=("eva", "pw1"), verbose=False)  # another user, the page opened before the import
    *_, raw = fresh.predict(["2031"], [], [], False, api_name="/mine")
    assert raw["aggregates"]["statements"] >= 2 and set(raw["aggregates"]["theme_by_year"].get(
        next(iter(raw["aggregates"]["theme_by_year"])), {})) <= {"2031"}


@pytest.mark.slow
def test_a_new_theme_can_be_used_for_labels_at_once(users_app):
    from gradio_client import Client

    url, db, _log = users_app
    trainer = Client(url, auth=("tom", "pw2"), verbose=False)
    msg, *_ = trainer.predict("asset_idle", "资产闲置", "购置的资产长期闲置、未投入使用", "闲置,未使用",
                              "设备购置后长期闲置。\n采购的终端闲置未用。\n部分资产使用率低、长期闲置。", "",
                              api_name="/add_theme")
    assert "已添加主题" in msg
    assert "已保存" in trainer.predict(7, ["asset_idle"], "", api_name="/save_labels")[0]
    with Store(db) as store:
        assert store.annotation(7)["themes"] == ["asset_idle"]
