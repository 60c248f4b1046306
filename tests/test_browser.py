"""A clerk's day in a real browser: headless Chromium (Debian's, through chromium-driver and
Selenium) on a running `notice-extractor serve`. Three notices are uploaded through the page
(one of them a scan, OCR'd by the server), their tasks appear in the register, a notice's task
is followed to its highlighted span, a task is marked done, the register is filtered to the
overdue tasks, and that view is exported to xlsx."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait

from extractor.letterhead import letters_only

from .conftest import CORPUS
from .server import serve

TODAY = dt.date(2026, 6, 10)  # the seed's limits of 2023 are overdue; 12/6/2026 is due soon
UPLOADS = [
    CORPUS / "txt" / "bac-son-tb-cchc-2023.txt",
    CORPUS / "rendered" / "docx" / "laocai-cv-sct-don-doc-tien-do-ha-tang-ccn.docx",
    CORPUS / "rendered" / "scan" / "laocai-cv-vp-ubnd-de-nghi-bao-cao-kcn-ccn.pdf",  # two scanned pages
]
RED = "rgba(179, 38, 30, 1)"  # style.css: --red
WAIT_SECONDS = 240  # the scan is OCR'd while the upload waits


@pytest.fixture
def browser(chromium: tuple[str, str], tmp_path: Path) -> Iterator[WebDriver]:
    binary, driver = chromium
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000",
                     "--lang=vi"):
        options.add_argument(argument)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    chrome = webdriver.Chrome(options=options, service=Service(executable_path=driver))
    chrome.set_page_load_timeout(WAIT_SECONDS)
    chrome.downloads = downloads  # type: ignore[attr-defined]
    try:
        yield chrome
    finally:
        chrome.quit()


def click_and_load(chrome: WebDriver, element: WebElement) -> None:
    """Click what leaves the page (a link, a form's button) and wait for the next page, loaded.
    (The old page is known by a mark left on its window: asking whether its element went stale
    races with the navigation, and Chromium may answer with an inspector error instead.)"""
    chrome.execute_script("window.__leaving = true")
    element.click()

    def loaded(c: WebDriver) -> bool:
        try:
            return bool(c.execute_script("return !window.__leaving && document.readyState === 'complete'"))
        except WebDriverException:  # between two pages
            return False

    WebDriverWait(chrome, WAIT_SECONDS).until(loaded)


def upload(chrome: WebDriver, base: str, path: Path) -> int:
    """Upload ``path`` through the page; the number of tasks its notice page lists."""
    chrome.get(f"{base}/upload")
    chrome.find_element(By.CSS_SELECTOR, 'input[type="file"]').send_keys(str(path))
    click_and_load(chrome, chrome.find_element(By.CSS_SELECTOR, "form.upload button[type=submit]"))
    assert "/notices/" in chrome.current_url, chrome.find_element(By.TAG_NAME, "main").text
    return len(chrome.find_elements(By.CSS_SELECTOR, ".tasklist li.task"))


def register_rows(chrome: WebDriver) -> list[tuple[str, str]]:
    """(status, task id) of every row of the register page shown."""
    return [(row.get_attribute("class").split()[1], row.get_attribute("data-task"))
            for row in chrome.find_elements(By.CSS_SELECTOR, "table.tasks tbody tr.task")]


def wait_for_file(folder: Path, suffix: str) -> Path:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        done = [p for p in folder.iterdir() if p.suffix == suffix]  # not .crdownload
        if done:
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} downloaded into {folder}")


def test_a_clerk_uploads_reads_marks_filters_and_exports(browser: WebDriver, tesseract: None, tmp_path: Path) -> None:
    with serve(tmp_path / "register.db", uploads=tmp_path / "uploads", today=TODAY, log=tmp_path / "serve.log") as base:
        counts = [upload(browser, base, path) for path in UPLOADS]
        assert all(counts), counts
        scan_page = browser.find_element(By.CSS_SELECTOR, "p.ocr-note").text
        assert "OCR" in scan_page  # the scanned notice says it was read by OCR

        # The register lists every task of the three notices, by deadline.
        browser.get(base + "/")
        rows = register_rows(browser)
        assert len(rows) == sum(counts)
        assert len({a.get_attribute("href").split("#")[0]
                    for a in browser.find_elements(By.CSS_SELECTOR, "td.notice a")}) == 3

        # A notice opened from the register; its first task followed to its span in the text.
        click_and_load(browser, browser.find_element(By.CSS_SELECTOR, "tr.task.overdue td.notice a"))
        first = browser.find_element(By.CSS_SELECTOR, ".tasklist li.task")
        task_text = first.find_element(By.CSS_SELECTOR, "p.text").text
        first.find_element(By.CSS_SELECTOR, "p.head a").click()
        assert browser.current_url.split("#")[1].startswith("span-")
        span = browser.find_element(By.ID, browser.current_url.split("#")[1])
        assert span.tag_name == "mark" and "task" in span.get_attribute("class").split()
        others = [m for m in browser.find_elements(By.CSS_SELECTOR, ".doctext mark.task") if m.id != span.id]
        assert others and span.value_of_css_property("background-color") != others[0].value_of_css_property(
            "background-color")  # the one followed stands out
        assert letters_only(task_text) in letters_only(span.text) or letters_only(span.text) in letters_only(task_text)

        # Marked done with a note, from the notice page.
        task_id = first.get_attribute("data-task")
        first.find_element(By.CSS_SELECTOR, "input[name=note]").send_keys("Đã gửi báo cáo")
        click_and_load(browser, first.find_element(By.CSS_SELECTOR, "form.status button[type=submit]"))
        marked = browser.find_element(By.ID, f"task-{task_id}")
        assert "done" in marked.get_attribute("class").split()
        assert "Đã gửi báo cáo" in marked.find_element(By.CSS_SELECTOR, "details.history").text

        # The register filtered to the overdue tasks: the done one is not among them.
        browser.get(base + "/")
        Select(browser.find_element(By.NAME, "status")).select_by_value("overdue")
        click_and_load(browser, browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]"))
        overdue = register_rows(browser)
        assert overdue and {status for status, _ in overdue} == {"overdue"}
        assert task_id not in {tid for _, tid in overdue}
        assert {cell.value_of_css_property("color") for cell in browser.find_elements(By.CSS_SELECTOR, "tr.task td.text")} \
            == {RED}  # overdue in red

        # The view exported: the sheet holds the rows shown, in their order.
        browser.find_element(By.LINK_TEXT, "Excel (xlsx)").click()
        sheet = openpyxl.load_workbook(wait_for_file(browser.downloads, ".xlsx")).active
        header = [c.value for c in sheet[1]]
        assert header == ["STT", "Văn bản", "Trích yếu", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn",
                          "Trạng thái", "Ghi chú"]
        body = [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] is not None]
        assert len(body) == len(overdue)
        assert {row[header.index("Trạng thái")] for row in body} == {"Quá hạn"}
