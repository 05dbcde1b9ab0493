"""A real browser: headless Debian Chromium driven by Selenium through the three jobs.

Fills the drafting form, gets suggestions, visits every tab, corrects one label in the review tab
and checks in SQLite that the correction persisted. Screenshots go to test-artefacts/.
"""
from __future__ import annotations

import json
import shutil
import sqlite3
import time

import pytest

from pbm_nlp import config

from .conftest import start_app

ARTEFACTS = config.PROJECT_ROOT / "test-artefacts"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser_app(app_copy):
    db, models, root = app_copy
    proc, url = start_app(db, models, root / "browser.log")
    yield url, db
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
                "--window-size=1400,2000", f"--user-data-dir={tmp_path_factory.mktemp('chrome')}"):
        opts.add_argument(arg)
    drv = webdriver.Chrome(service=Service(chromedriver), options=opts)
    drv.set_page_load_timeout(120)
    yield drv
    drv.quit()


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


def _tab(driver, label):
    from selenium.webdriver.common.by import By

    button = _wait(lambda: next(b for b in driver.find_elements(By.CSS_SELECTOR, "button[role='tab']")
                                if label in b.text), what=f"tab {label}")
    button.click()
    time.sleep(1)


def _shot(driver, name):
    ARTEFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTEFACTS / f"{name}.png"))


def _textarea(driver, label):
    from selenium.webdriver.common.by import By

    return _wait(lambda: next(el for el in driver.find_elements(
        By.XPATH, f"//label[.//span[contains(normalize-space(), '{label}')]]//textarea | "
                  f"//label[.//span[contains(normalize-space(), '{label}')]]//input")
        if el.is_displayed()), what=f"field {label}")


def test_three_jobs_in_a_real_browser(browser_app, driver):
    from selenium.webdriver.common.by import By

    url, db = browser_app
    driver.get(url)
    _wait(lambda: "pbm-nlp" in driver.page_source, what="the page")

    # drafter: fill the form, get suggestions
    _tab(driver, "起草助手")
    _textarea(driver, "项目名称").send_keys("长者食堂补贴项目")
    _textarea(driver, "项目概况").send_keys("为全区45家长者食堂提供运营补贴，全年服务老年人约60万人次。")
    driver.find_element(By.ID, "suggest-btn").click()
    _wait(lambda: "≥45家" in driver.find_element(By.ID, "draft-table").text, what="suggested indicators")
    table_text = driver.find_element(By.ID, "draft-table").text
    assert "满意度" in table_text and "60万人次" in table_text
    _shot(driver, "1-drafting")

    # evaluator: tag problems
    _tab(driver, "问题标注")
    _textarea(driver, "问题文本").send_keys("1、项目终期验收资料不完整。2、系统上线后无人负责日常巡检。")
    next(b for b in driver.find_elements(By.TAG_NAME, "button") if b.text.strip() == "标注").click()
    _wait(lambda: "验收不规范" in driver.page_source and "<mark>" in driver.page_source, what="tags")
    _shot(driver, "2-tagging")

    # evaluator: mine recurring problems across the store and the corpus
    _tab(driver, "问题挖掘")
    driver.find_element(By.ID, "mine-btn").click()
    _wait(lambda: "条问题陈述" in driver.find_element(By.ID, "mine-summary").text, what="mining result",
          driver=driver)
    _wait(lambda: len([im for im in driver.find_elements(By.CSS_SELECTOR, "img") if im.is_displayed()
                       and im.get_attribute("naturalWidth") not in (None, "0")]) >= 4, what="charts", driver=driver)
    assert "运维" in driver.find_element(By.ID, "mine-clusters").text
    _shot(driver, "3-mining")

    # trainer: correct one label in the review queue
    _tab(driver, "样本审阅")
    _wait(lambda: "macro-F1" in driver.find_element(By.ID, "metrics-table").text, what="current model figures")
    next(b for b in driver.find_elements(By.TAG_NAME, "button") if b.text.strip() == "刷新审阅队列").click()
    queue = driver.find_element(By.ID, "review-queue")  # not the figures table, whose F1 may read "1"
    cell = _wait(lambda: next(td for td in queue.find_elements(By.CSS_SELECTOR, "[role=gridcell], td")
                              if td.is_displayed() and td.text.strip().isdigit()), what="the review queue",
                 timeout=120, driver=driver)
    annotation_id = int(cell.text.strip())
    cell.click()
    _wait(lambda: _textarea(driver, "样本编号").get_attribute("value") == str(annotation_id), what="selection")
    _textarea(driver, "审阅人").send_keys("浏览器测试员")
    box = next(el for el in driver.find_elements(By.XPATH, "//label[contains(., '（staffing）')]//input")
               if el.is_displayed())
    was_checked = box.is_selected()
    driver.execute_script("arguments[0].click();", box)
    next(b for b in driver.find_elements(By.TAG_NAME, "button") if b.text.strip() == "保存标签").click()
    _wait(lambda: "已保存样本" in driver.page_source, what="save confirmation")
    _shot(driver, "4-review")

    _tab(driver, "语料概况")
    _shot(driver, "5-corpus")

    conn = sqlite3.connect(db)
    themes, by = conn.execute("SELECT themes, labeled_by FROM annotations WHERE id=?", (annotation_id,)).fetchone()
    logged = conn.execute("SELECT reviewer FROM annotation_log WHERE annotation_id=?", (annotation_id,)).fetchall()
    conn.close()
    assert by == "浏览器测试员" and ("浏览器测试员",) in logged
    assert ("staffing" in json.loads(themes)) == (not was_checked)  # the click toggled it, and it persisted
    for name in ("1-drafting", "2-tagging", "3-mining", "4-review", "5-corpus"):
        assert (ARTEFACTS / f"{name}.png").stat().st_size > 10_000
