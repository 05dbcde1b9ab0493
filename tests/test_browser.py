"""A real browser at 1400 px: headless Debian Chromium, set to US English, driven by Selenium through
the three jobs — drafter, evaluator, trainer — as issue 14 lists them. Screenshots go to
test-artefacts/ (kept as the run's artefacts).

The app is started as a user starts it (`python app.py`) on a private copy of a trained store.
"""
from __future__ import annotations

import datetime
import json
import shutil
import sqlite3
import time
import urllib.request

import pytest

from pbm_nlp import config

from .conftest import SEED_000, SEED_001, SEED_003, start_app

ARTEFACTS = config.PROJECT_ROOT / "test-artefacts"
WIDTH = 1400

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser_app(app_copy):
    db, models, root = app_copy
    log = root / "browser.log"
    proc, url = start_app(db, models, log)
    yield url, db, log
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium = shutil.which("chromium")
    chromedriver = shutil.which("chromedriver")
    assert chromium and chromedriver, "Debian's chromium and chromium-driver are needed (make test installs them)"
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--lang=en-US", f"--window-size={WIDTH},2000", f"--user-data-dir={tmp_path_factory.mktemp('chrome')}"):
        opts.add_argument(arg)
    opts.add_experimental_option("prefs", {"intl.accept_languages": "en-US,en"})  # an English browser
    drv = webdriver.Chrome(service=Service(chromedriver), options=opts)
    drv.set_page_load_timeout(120)
    yield drv
    drv.quit()


# ---- helpers ---------------------------------------------------------------------------------------

def _wait(fn, timeout=180, what="condition", driver=None):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            value = fn()
            if value:
                return value
        except Exception:  # noqa: BLE001, S110 - the element is not there yet: poll again
            pass
        time.sleep(0.5)
    if driver is not None:
        _shot(driver, "timeout")
    raise AssertionError(f"timed out waiting for {what} (see test-artefacts/timeout.png)")


def _open(driver, url):
    driver.get(url)
    _wait(lambda: "pbm-nlp" in driver.page_source and driver.find_elements("id", "suggest-btn"), what="the page")
    time.sleep(2)


def _tab(driver, label):
    from selenium.webdriver.common.by import By

    button = _wait(lambda: next(b for b in driver.find_elements(By.CSS_SELECTOR, "button[role='tab']")
                                if label in b.text), what=f"tab {label}")
    button.click()
    time.sleep(1)


def _shot(driver, name):
    ARTEFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTEFACTS / f"{name}.png"))


def _field(driver, label):
    from selenium.webdriver.common.by import By

    return _wait(lambda: next(el for el in driver.find_elements(
        By.XPATH, f"//label[.//span[contains(normalize-space(), '{label}')]]//textarea | "
                  f"//label[.//span[contains(normalize-space(), '{label}')]]//input")
        if el.is_displayed()), what=f"field {label}")


def _click(driver, text):
    from selenium.webdriver.common.by import By

    button = _wait(lambda: next(b for b in driver.find_elements(By.TAG_NAME, "button")
                                if b.text.strip() == text and b.is_displayed()), what=f"button {text}")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    button.click()


def _text(driver, elem_id):
    return driver.find_element("id", elem_id).text


def _upload(driver, elem_id, *paths):
    """Files into a gr.File, clearing what it held."""
    from selenium.webdriver.common.by import By

    root = driver.find_element(By.ID, elem_id)
    for clear in root.find_elements(By.CSS_SELECTOR, "button[aria-label='清除']"):
        if clear.is_displayed():
            clear.click()
            time.sleep(1)
    box = _wait(lambda: root.find_element(By.CSS_SELECTOR, "input[type=file]"), what=f"upload box {elem_id}")
    box.send_keys("\n".join(str(p) for p in paths))


#: Elements inside a component that scroll sideways because their content is wider than they are.
OVERFLOW = """const root = document.getElementById(arguments[0]);
return [root, ...root.querySelectorAll('*')].filter(e => {
  const s = getComputedStyle(e);
  return (s.overflowX === 'auto' || s.overflowX === 'scroll') && e.scrollWidth > e.clientWidth + 2;
}).length;"""


#: The visible height of a component's scrolling part, or a large number when nothing scrolls.
TALL = """const root = document.getElementById(arguments[0]);
const scrolling = [root, ...root.querySelectorAll('*')].filter(e => {
  const s = getComputedStyle(e);
  return (s.overflowY === 'auto' || s.overflowY === 'scroll') && e.scrollHeight > e.clientHeight + 2;
});
return scrolling.length ? Math.min(...scrolling.map(e => e.clientHeight)) : 100000;"""


def _fits(driver, elem_id):
    """Every column of the table shows at this width: nothing inside scrolls sideways."""
    return driver.execute_script(OVERFLOW, elem_id) == 0


def _log(browser_app):
    return browser_app[2].read_text(encoding="utf-8")


# ---- everyone: the page is Chinese, errors too ---------------------------------------------------

def test_page_is_chinese_in_an_english_browser(browser_app, driver):
    url = browser_app[0]
    _open(driver, url)
    assert driver.execute_script("return navigator.language") == "zh-CN"  # the browser said en-US
    assert "将文件拖放到此处" in driver.page_source and "Drop File Here" not in driver.page_source
    assert _field(driver, "年度").get_attribute("value") == str(datetime.date.today().year)
    driver.find_element("id", "suggest-btn").click()  # no project name: a user's mistake
    toast = _wait(lambda: next(t for t in driver.find_elements("css selector", ".toast-title") if t.is_displayed()),
                  what="the error toast", driver=driver)
    _wait(lambda: toast.text.strip().startswith("错误"), what="a Chinese toast title", driver=driver)
    assert "请填写项目名称" in driver.page_source
    _shot(driver, "0-chinese-error")
    log = _log(browser_app)
    assert log.count("user input refused in _suggest") == 1 and "Traceback" not in log


# ---- drafter ---------------------------------------------------------------------------------------

def _suggest(driver, project, overview):
    _tab(driver, "起草助手")
    name = _field(driver, "项目名称")
    name.clear()
    name.send_keys(project)
    box = _field(driver, "项目概况")
    box.clear()
    box.send_keys(overview)
    driver.find_element("id", "suggest-btn").click()


def test_drafter_suggests_checks_exports_and_reads_the_export_back(browser_app, driver, tmp_path):
    from pbm_nlp.webui.handlers.names import RULE_NAMES

    _open(driver, browser_app[0])
    _suggest(driver, "长者食堂补贴项目", "为全区45家长者食堂提供运营补贴，全年服务老年人约60万人次。")
    _wait(lambda: "≥45家" in _text(driver, "draft-table"), what="suggested indicators", driver=driver)
    assert "满意度" in _text(driver, "draft-table") and "60万人次" in _text(driver, "draft-table")
    assert "项目类别" in _text(driver, "kind-line")
    driver.find_element("id", "lint-btn").click()
    _wait(lambda: "检查意见" in _text(driver, "lint-status") or "未发现问题" in _text(driver, "lint-status"),
          what="the check", driver=driver)
    findings = _text(driver, "findings")
    assert not any(rule in findings for rule in RULE_NAMES)  # rules by their Chinese names only
    assert _fits(driver, "draft-table") and _fits(driver, "findings")
    _shot(driver, "1-drafting")

    _click(driver, "导出 Word")
    link = _wait(lambda: driver.find_element("css selector", "#draft-export a[href]"), what="the export",
                 driver=driver)
    exported = tmp_path / "长者食堂补贴项目.docx"
    with urllib.request.urlopen(link.get_attribute("href"), timeout=30) as r:
        exported.write_bytes(r.read())
    _suggest(driver, "河道保洁养护项目", "对全区32条河道开展日常保洁养护。")  # something else on screen first
    _wait(lambda: "≥45家" not in _text(driver, "draft-table"), what="the other project", driver=driver)
    _upload(driver, "draft-upload", exported)
    _wait(lambda: _field(driver, "项目名称").get_attribute("value") == "长者食堂补贴项目", what="the export read back",
          driver=driver)
    assert "45家长者食堂" in _field(driver, "项目概况").get_attribute("value")
    assert "≥45家" in _text(driver, "draft-table") and _text(driver, "kind-line") == ""
    _shot(driver, "2-export-read-back")


def test_drafter_picks_one_of_many_forms_and_sees_no_stale_results(browser_app, driver, tmp_path):
    from selenium.webdriver.common.by import By

    from pbm_nlp.drafting.export import write

    from .test_lint import CLEAN_DRAFTS

    _open(driver, browser_app[0])
    _suggest(driver, "区政务服务中心窗口升级改造", "升级改造32个服务窗口，配置自助终端20台。")
    _wait(lambda: "32" in _text(driver, "draft-table"), what="suggestions", driver=driver)
    _upload(driver, "draft-upload", SEED_003)
    _wait(lambda: _field(driver, "项目名称").get_attribute("value") == "疫情防控专项经费", what="the first form",
          driver=driver)
    assert "14" in _text(driver, "upload-note")
    assert _text(driver, "kind-line") == "" and _text(driver, "risks") == ""  # the old project's results are gone
    driver.find_element(By.CSS_SELECTOR, "#form-pick input").click()
    option = _wait(lambda: next(o for o in driver.find_elements(By.CSS_SELECTOR, "[role=option]")
                                if o.text.startswith("3.")), what="the form list", driver=driver)
    third = option.text.split(". ", 1)[1].split("（")[0]
    option.click()
    _wait(lambda: _field(driver, "项目名称").get_attribute("value") == third, what="the third form", driver=driver)
    _shot(driver, "3-one-of-fourteen-forms")

    clean = write(dict(CLEAN_DRAFTS[1], risks=[]), tmp_path / "clean.xlsx")
    _upload(driver, "draft-upload", clean)
    _wait(lambda: _field(driver, "项目名称").get_attribute("value") == CLEAN_DRAFTS[1]["project"], what="the draft")
    driver.find_element("id", "lint-btn").click()
    _wait(lambda: "未发现问题" in _text(driver, "lint-status"), what="未发现问题", driver=driver)
    _shot(driver, "4-no-findings")


def test_batch_check_reports_each_file(browser_app, driver, tmp_path):
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 not really a docx")
    _open(driver, browser_app[0])
    header = _wait(lambda: driver.find_element("css selector", "#batch-check button"), what="the batch check")

    def opened():  # a click while the page is still settling can be lost: click until it opens
        if not driver.find_elements("id", "lint-files"):
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", header)
            header.click()
            time.sleep(1)
        return driver.find_elements("id", "lint-files")

    _wait(opened, what="the batch check opened", driver=driver)
    _upload(driver, "lint-files", SEED_001, bad)
    time.sleep(2)
    driver.find_element("id", "lint-file-btn").click()
    _wait(lambda: "共 4 份申报表" in _text(driver, "lint-file-head"), what="the batch check", driver=driver)
    head = _text(driver, "lint-file-head")
    assert f"✓ {SEED_001.name}" in head and "✗ broken.docx" in head
    assert "跨项目套用指标" in _text(driver, "lint-file-table") and _fits(driver, "lint-file-table")
    _shot(driver, "5-batch-check")


# ---- evaluator -------------------------------------------------------------------------------------

def test_evaluator_tags_a_paragraph_numbered_on_one_line_and_several_files(browser_app, driver, tmp_path):
    from selenium.webdriver.common.by import By

    _open(driver, browser_app[0])
    _tab(driver, "问题标注")
    _field(driver, "问题文本").send_keys(
        "（一）项目终期验收资料不完整，未组织专家验收。（二）系统上线后无人负责日常巡检。（三）预算执行率仅为62%。"
        "（四）绩效指标未细化量化。（五）项目仅由1名借调人员兼管。")
    driver.find_element(By.ID, "tag-btn").click()
    _wait(lambda: "验收不规范" in _text(driver, "tag-table"), what="tags", driver=driver)
    rows = driver.find_elements(By.CSS_SELECTOR, "#tag-html .pbm-item")
    assert len(rows) == 5 and not any(r.text.split(" ", 1)[-1].startswith(("（", "(")) for r in rows)
    assert "<mark>" in driver.page_source and _fits(driver, "tag-table")
    _shot(driver, "6-tagging-numbered-paragraph")

    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 not really a docx")
    _field(driver, "问题文本").clear()
    _upload(driver, "tag-files", SEED_000, bad)
    time.sleep(2)
    driver.find_element(By.ID, "tag-btn").click()
    _wait(lambda: "✗ broken.docx" in _text(driver, "tag-html"), what="per-file results", driver=driver)
    assert f"✓ {SEED_000.name}：10 条问题" in _text(driver, "tag-html")
    _shot(driver, "7-tagging-files")


def test_evaluator_mines_with_readable_tables_and_charts(browser_app, driver):
    from selenium.webdriver.common.by import By

    _open(driver, browser_app[0])
    _tab(driver, "问题挖掘")
    _click(driver, "开始挖掘")
    _wait(lambda: "条问题陈述" in _text(driver, "mine-summary"), timeout=600, what="mining result", driver=driver)
    chart = _wait(lambda: next(im for im in driver.find_elements(By.CSS_SELECTOR, "#chart-kind img")
                               if im.get_attribute("naturalWidth") not in (None, "0")), what="charts", driver=driver)
    natural = int(chart.get_attribute("naturalWidth"))
    assert chart.size["width"] >= 0.95 * min(natural, 1200)  # the theme × kind grid is not shrunk to half a page
    assert "运维" in _text(driver, "mine-clusters") and _fits(driver, "mine-clusters")
    # the cluster table shows all its clusters, or at least 600 px of them, before it scrolls
    assert driver.execute_script(TALL, "mine-clusters") >= 600
    _shot(driver, "8-mining")


# ---- trainer ---------------------------------------------------------------------------------------

def _themes_in_db(db, annotation_id):
    conn = sqlite3.connect(db)
    themes, by = conn.execute("SELECT themes, labeled_by FROM annotations WHERE id=?", (annotation_id,)).fetchone()
    conn.close()
    return json.loads(themes), by


def test_trainer_corrects_undoes_and_finds_an_example_again(browser_app, driver):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    url, db, _log_path = browser_app
    _open(driver, url)
    _tab(driver, "样本审阅")
    _wait(lambda: "macro-F1" in _text(driver, "metrics-table"), what="current model figures", driver=driver)
    _click(driver, "刷新审阅队列")
    cell = _wait(lambda: next(td for td in driver.find_elements(By.CSS_SELECTOR, "#review-queue [role=gridcell], "
                                                                                 "#review-queue td")
                              if td.is_displayed() and td.text.strip().isdigit()), what="the review queue",
                 timeout=120, driver=driver)
    annotation_id = int(cell.text.strip())
    cell.click()
    _wait(lambda: _field(driver, "样本编号").get_attribute("value") == str(annotation_id), what="selection")
    before, _ = _themes_in_db(db, annotation_id)
    assert "staffing" not in _text(driver, "ann-themes")  # theme names in Chinese only, tooltips too
    tips = driver.execute_script("return [...document.querySelectorAll('#ann-themes input')].map(e => e.title)")
    assert tips and not any(t.isascii() for t in tips)
    _field(driver, "审阅人").send_keys("浏览器测试员")
    box = next(el for el in driver.find_elements(By.XPATH, "//*[@id='ann-themes']//label[contains(., '人员配置不足')]//input")
               if el.is_displayed())
    driver.execute_script("arguments[0].click();", box)
    _click(driver, "保存标签")
    _wait(lambda: "已保存样本" in _text(driver, "save-msg"), what="save confirmation", driver=driver)
    saved, by = _themes_in_db(db, annotation_id)
    assert by == "浏览器测试员" and ("staffing" in saved) != ("staffing" in before)
    _wait(lambda: str(annotation_id) in _text(driver, "recent"), what="the recent list", driver=driver)
    _shot(driver, "9-review-saved")

    _click(driver, "撤销该样本最近一次修改")
    _wait(lambda: "已撤销" in _text(driver, "save-msg"), what="undo", driver=driver)
    assert sorted(_themes_in_db(db, annotation_id)[0]) == sorted(before)
    assert "撤销修改" in _text(driver, "recent")
    _shot(driver, "10-review-undone")

    box = _field(driver, "样本编号")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(str(annotation_id - 1), Keys.ENTER)  # lookup by a typed id
    conn = sqlite3.connect(db)
    other = conn.execute("SELECT text FROM annotations WHERE id=?", (annotation_id - 1,)).fetchone()[0]
    conn.close()
    _wait(lambda: _field(driver, "样本文本").get_attribute("value") == other, what="lookup by id", driver=driver)
    _shot(driver, "11-review-lookup")


def test_trainer_is_asked_before_a_worse_model_is_activated(browser_app, driver):
    """Every acceptance example loses its label, so the retrained model is worse on the dev set."""
    url, db, _log_path = browser_app
    conn = sqlite3.connect(db)
    active = conn.execute("SELECT version FROM model_versions WHERE active=1").fetchone()[0]
    saved = conn.execute("SELECT id, themes FROM annotations WHERE split='train' AND themes LIKE '%acceptance%'"
                         ).fetchall()
    conn.executemany("UPDATE annotations SET themes='[]' WHERE id=?", [(i,) for i, _ in saved])
    conn.commit()
    try:
        _open(driver, url)
        _tab(driver, "样本审阅")
        _click(driver, "重新训练")
        _wait(lambda: "尚未启用" in _text(driver, "retrain-msg"), timeout=1500, what="the retrain", driver=driver)
        assert driver.find_element("id", "keep-current").is_displayed()
        _shot(driver, "12-retrain-asks")
        _click(driver, "保留当前版本")
        _wait(lambda: "已保留当前版本" in _text(driver, "retrain-msg"), what="keep current", driver=driver)
        assert not any(b.is_displayed() for b in driver.find_elements("id", "keep-current"))
        assert conn.execute("SELECT version FROM model_versions WHERE active=1").fetchone()[0] == active
        _shot(driver, "13-retrain-kept")
    finally:
        conn.executemany("UPDATE annotations SET themes=? WHERE id=?", [(t, i) for i, t in saved])
        conn.commit()
        conn.close()


def test_screenshots_are_kept():
    for name in ("0-chinese-error", "1-drafting", "2-export-read-back", "3-one-of-fourteen-forms", "4-no-findings",
                 "5-batch-check", "6-tagging-numbered-paragraph", "7-tagging-files", "8-mining", "9-review-saved",
                 "10-review-undone", "11-review-lookup", "12-retrain-asks", "13-retrain-kept"):
        assert (ARTEFACTS / f"{name}.png").stat().st_size > 10_000, name
