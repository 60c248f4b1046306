"""The JSON API over HTTP, from a running `notice-extractor serve` (tests/server.py): documents
posted as a downstream system posts them, tasks read back with filters, a task marked done and
still done after the server restarts, and uploads handed to a running `watch` through its inbox."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from .conftest import CORPUS, ROOT
from .server import serve
from .test_budget import slow_notice

SEED = CORPUS / "txt" / "bac-son-tb-cchc-2023.txt"  # limits of 2023: overdue
LETTER = "laocai-cv-vp-ubnd-de-nghi-bao-cao-kcn-ccn"  # due 12/6/2026: due soon
SCT = "laocai-cv-sct-don-doc-tien-do-ha-tang-ccn"  # due at the end of 2026: open
TODAY = dt.date(2026, 6, 10)
TOKEN = "a-long-enough-token-for-http"
BEARER = {"authorization": f"Bearer {TOKEN}"}


def post(api: httpx.Client, path: Path) -> httpx.Response:
    return api.post("/api/documents", files={"file": (path.name, path.read_bytes())})


def test_documents_posted_over_http_are_read_back_filtered_marked_and_kept(tmp_path: Path) -> None:
    db, uploads = tmp_path / "register.db", tmp_path / "uploads"
    inputs = [SEED, CORPUS / "rendered" / "docx" / f"{LETTER}.docx", CORPUS / "rendered" / "pdf" / f"{SCT}.pdf"]
    with serve(db, uploads=uploads, token=TOKEN, today=TODAY) as base, \
            httpx.Client(base_url=base, headers=BEARER, timeout=120) as api:
        assert httpx.post(f"{base}/api/documents", files={"file": (SEED.name, SEED.read_bytes())}).status_code == 401
        posted = []
        for path in inputs:
            response = post(api, path)
            assert response.status_code == 201, response.text
            body = response.json()
            assert body["outcome"] == "new_notice" and body["record"]["notice"]["source"]["format"] == path.suffix[1:]
            posted.append(body)
        everything = api.get("/api/tasks").json()
        assert everything["count"] == sum(len(b["record"]["tasks"]) for b in posted) > 0
        assert [t["due"] or "9999" for t in everything["tasks"]] == sorted(t["due"] or "9999" for t in everything["tasks"])

        # Another format of a notice already filed adds a file, not a notice or tasks.
        again = post(api, CORPUS / "txt" / f"{LETTER}.txt")
        assert again.status_code == 200 and again.json()["outcome"] == "same_content"
        assert again.json()["notice_id"] == posted[1]["notice_id"]
        assert sorted(f["format"] for f in again.json()["files"]) == ["docx", "txt"]
        assert api.get("/api/tasks").json()["count"] == everything["count"]
        assert api.get("/api/notices").json()["count"] == 3

        by_status = {st: api.get("/api/tasks", params={"status": st}).json() for st in ("overdue", "due_soon", "open")}
        assert {t["notice_id"] for t in by_status["overdue"]["tasks"]} == {posted[0]["notice_id"]}
        assert {t["notice_id"] for t in by_status["due_soon"]["tasks"]} == {posted[1]["notice_id"]}
        assert posted[2]["notice_id"] in {t["notice_id"] for t in by_status["open"]["tasks"]}
        sct_unit = posted[2]["tasks"][0]["units"][0]  # the register's name of the unit
        by_unit = api.get("/api/tasks", params={"unit": sct_unit}).json()
        assert by_unit["count"] and all(sct_unit in t["units"] for t in by_unit["tasks"])

        tid = by_status["overdue"]["tasks"][0]["id"]
        marked = api.post(f"/api/tasks/{tid}/status", json={"done": True, "note": "Đã gửi báo cáo"})
        assert marked.status_code == 200 and marked.json()["status"] == "done"

    with serve(db, uploads=uploads, token=TOKEN, today=TODAY) as base, \
            httpx.Client(base_url=base, headers=BEARER, timeout=60) as api:
        task = api.get(f"/api/tasks/{tid}").json()
        assert task["status"] == "done" and [(e["kind"], e["note"]) for e in task["history"]] == [("done", "Đã gửi báo cáo")]
        overdue = api.get("/api/tasks", params={"status": "overdue"}).json()
        assert overdue["count"] == by_status["overdue"]["count"] - 1


def test_with_an_inbox_an_upload_is_filed_by_the_running_watch(tmp_path: Path) -> None:
    inbox, out, db = tmp_path / "inbox", tmp_path / "out", tmp_path / "register.db"
    inbox.mkdir()
    watch = subprocess.Popen([sys.executable, "-m", "extractor", "watch", str(inbox), "--out", str(out), "--db", str(db)],
                             cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with serve(db, inbox=inbox, today=TODAY) as base, httpx.Client(base_url=base, timeout=60) as api:
            queued = post(api, SEED)
            assert queued.status_code == 202 and queued.json()["status"] == "queued"
            check = queued.json()["check"]
            deadline = time.monotonic() + 90
            while (state := api.get(check).json())["status"] == "pending" and time.monotonic() < deadline:
                time.sleep(0.5)
            assert state["status"] == "filed", "watch did not file the upload within 90 s"
            tasks = api.get(f"/api/notices/{state['notice_id']}").json()["tasks"]
            assert len(tasks) == 27 and (inbox / "done" / SEED.name).is_file()
    finally:
        watch.terminate()
        watch.wait(timeout=15)


def test_an_upload_over_its_budget_is_refused_and_the_server_goes_on(tmp_path: Path) -> None:
    slow = slow_notice(tmp_path / "slow.txt")  # seconds of work, against half a second
    with serve(tmp_path / "register.db", uploads=tmp_path / "uploads", today=TODAY, budget=0.5) as base, \
            httpx.Client(base_url=base, timeout=120) as api:
        started = time.monotonic()
        refused = post(api, slow)
        assert refused.status_code == 422 and refused.json()["stage"] == "budget", refused.text
        assert time.monotonic() - started < 30
        assert post(api, SEED).status_code == 201  # the next upload is extracted as ever
        assert api.get("/api/notices").json()["count"] == 1
