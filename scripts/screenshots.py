"""The README's pictures of `serve`, taken from the running application (``make screenshots``).

A register is filled with the bundled Lào Cai notices (corpus/txt), a few tasks are marked done
as a clerk would, the application is served on a free port of 127.0.0.1 with a fixed "today"
(so that the pictures show every status), and headless Chromium (Debian's chromium and
chromium-driver, through Selenium) photographs the register, a notice with one task followed
to its place in the text, and the dashboard, into docs/screenshots/.

Usage: python scripts/screenshots.py [--out docs/screenshots] [--today 2026-06-10]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from extractor import extract_file
from extractor.errors import ExtractionError
from extractor.register import Register, TaskFilter
from extractor.validate import to_json
from extractor.web.app import create_app

ROOT = Path(__file__).resolve().parent.parent
NOTICE = "laocai-tb-vp-ket-luan-ct-ubnd-cum-cong-nghiep"  # a chairman's conclusions: many units and limits
WIDTH, HEIGHT = 1400, 1000


def fill(register: Register, today: dt.date) -> str:
    """File every corpus text; mark two tasks done. The featured notice's id."""
    featured = ""
    for path in sorted((ROOT / "corpus" / "txt").glob("*.txt")):
        try:
            record = json.loads(to_json(extract_file(path)))
        except ExtractionError:  # the corpus keeps one unreadable text on purpose
            continue
        result = register.add(record, received=dt.datetime(2026, 6, 1, 8))
        if path.stem == NOTICE:
            featured = result.notice_id
    overdue = register.tasks(TaskFilter(status="overdue"), today=today)
    for task in overdue[1:2] + register.tasks(TaskFilter(status="open"), today=today)[:1]:  # some of each status
        register.set_done(task.id, True, "Đã báo cáo", at=dt.datetime(2026, 6, 5, 9))
    return featured


def start(app: object) -> tuple[uvicorn.Server, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def browser() -> webdriver.Chrome:
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver:
        raise SystemExit("screenshots: install chromium and chromium-driver (make system-deps)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={WIDTH},{HEIGHT}",
                     "--hide-scrollbars", "--lang=vi"):
        options.add_argument(argument)
    return webdriver.Chrome(options=options, service=Service(executable_path=driver))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date(2026, 6, 10))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        register = Register(str(Path(tmp) / "register.db"))
        featured = fill(register, args.today)
        server, base = start(create_app(register, uploads=Path(tmp) / "uploads", today=lambda: args.today))
        chrome = browser()
        try:
            chrome.get(f"{base}/")
            chrome.save_screenshot(str(args.out / "register.png"))
            chrome.get(f"{base}/notices/{featured}")
            links = chrome.find_elements(By.CSS_SELECTOR, ".tasklist li.task p.head a")
            links[min(1, len(links) - 1)].click()  # the second task: its span lit in the text
            time.sleep(0.3)
            chrome.save_screenshot(str(args.out / "notice.png"))
            chrome.get(f"{base}/dashboard")
            chrome.save_screenshot(str(args.out / "dashboard.png"))
        finally:
            chrome.quit()
            server.should_exit = True
            register.close()
    for name in ("register", "notice", "dashboard"):
        print(args.out / f"{name}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
