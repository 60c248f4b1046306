"""The office's register on the web (`serve`): what a clerk sees and may do, what the API
answers, and what is refused (forms from elsewhere, files of the wrong kind or size, markup in
a notice, a server open to the network without a token)."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import html
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from starlette.routing import Mount
from starlette.testclient import TestClient

from extractor import extract_file
from extractor.cli import main
from extractor.register import Register, TaskFilter
from extractor.runners.tasksheet import csv_value
from extractor.validate import to_json
from extractor.web.app import create_app
from extractor.web.security import listen_problem

from .conftest import CORPUS

SEED = CORPUS / "txt" / "bac-son-tb-cchc-2023.txt"  # 27 tasks, two dated in 2023
LETTER = CORPUS / "txt" / "laocai-cv-vp-ubnd-de-nghi-bao-cao-kcn-ccn.txt"  # due 12/6/2026
SCT = CORPUS / "txt" / "laocai-cv-sct-don-doc-tien-do-ha-tang-ccn.txt"  # SỞ CÔNG THƯƠNG, due end of 2026
UPLOADED = CORPUS / "txt" / "laocai-cv-2496-ubnd-kt-giao-sct-gp-van-chuyen-hhnh.txt"
TODAY = dt.date(2026, 6, 10)  # the 2023 limits are past, 12/6/2026 is near, the end of 2026 is far
TOKEN = "a-long-enough-token"
LABELS = {"open": "Chưa đến hạn", "due_soon": "Sắp đến hạn", "overdue": "Quá hạn", "done": "Đã hoàn thành"}
ROW = re.compile(r'<tr class="task (\w+)" id="task-([^"]+)"')
CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


def record_of(path: Path) -> dict:
    return json.loads(to_json(extract_file(path)))


@pytest.fixture(scope="module")
def records() -> dict[str, dict]:
    return {p.name: record_of(p) for p in (SEED, LETTER, SCT)}


@pytest.fixture
def register(tmp_path: Path, records: dict[str, dict]) -> Iterator[Register]:
    reg = Register(str(tmp_path / "register.db"))
    for record in records.values():
        reg.add(record)
    yield reg
    reg.close()


def client_for(register: Register, tmp_path: Path, **options) -> TestClient:
    options.setdefault("uploads", tmp_path / "uploads")
    return TestClient(create_app(register, today=lambda: TODAY, **options), follow_redirects=False)


@pytest.fixture
def client(register: Register, tmp_path: Path) -> TestClient:
    return client_for(register, tmp_path)


def rows(page: str) -> list[tuple[str, str]]:
    """(status class, task id) of each row of the register page, in order."""
    return ROW.findall(page)


def csrf_of(page: str) -> str:
    return CSRF.search(page).group(1)


def seed_id(register: Register) -> str:
    return next(t.notice_id for t in register.tasks(today=TODAY) if t.issuer is None)


# --- the register page ---------------------------------------------------------------------------

def test_the_register_lists_every_task_by_deadline_with_its_status_in_vietnamese(client: TestClient,
                                                                                  register: Register) -> None:
    page = client.get("/").text
    expected = register.tasks(today=TODAY)
    shown = rows(page)
    assert [tid for _, tid in shown] == [t.id for t in expected]
    dues = [t.due for t in expected]
    dated = [d for d in dues if d]
    assert dated == sorted(dated) and dues[: len(dated)] == dated  # by deadline, undated last
    assert {cls for cls, _ in shown} == {"overdue", "due_soon", "open"}
    for t in expected:
        row = page[page.index(f'id="task-{t.id}"'):]
        row = row[: row.index("</tr>")]
        assert f'<span class="badge {t.status}">{LABELS[t.status]}</span>' in row
        if t.due:
            assert t.due.strftime("%d/%m/%Y") in row
    overdue = [t for t in expected if t.status == "overdue"]
    assert overdue and all(f'<tr class="task overdue" id="task-{t.id}"' in page for t in overdue)
    assert "tr.overdue td { color: var(--red); }" in client.get("/static/style.css").text  # drawn in red


@pytest.mark.parametrize(("field", "value"), [
    ("unit", "Sở Công Thương"),
    ("status", "overdue"),
    ("due_within", "30"),
    ("issuer", "sở công thương"),
    ("month", "2026-06"),
    ("words", "sáng kiến"),
])
def test_each_filter_narrows_the_list(client: TestClient, register: Register, field: str, value: str) -> None:
    everything = [t.id for t in register.tasks(today=TODAY)]
    wanted = TaskFilter(**{field: int(value) if field == "due_within" else value})
    expected = [t.id for t in register.tasks(wanted, today=TODAY)]
    shown = [tid for _, tid in rows(client.get("/", params={field: value}).text)]
    assert shown == expected
    assert 0 < len(shown) < len(everything)


def test_a_filter_that_cannot_be_read_is_named_not_a_crash(client: TestClient) -> None:
    page = client.get("/", params={"due_within": "soon", "month": "June"}).text
    assert "“Đến hạn trong” phải là số ngày" in page and "Tháng phải có dạng mm/yyyy" in page
    assert client.get("/export.csv", params={"status": "late"}).status_code == 400


def test_the_exports_hold_the_rows_of_the_filtered_view(client: TestClient, register: Register) -> None:
    params = {"due_within": "400"}
    expected = register.tasks(TaskFilter(due_within=400), today=TODAY)
    assert 0 < len(expected) < len(register.tasks(today=TODAY))

    response = client.get("/export.xlsx", params=params)
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    table = list(sheet.iter_rows(values_only=True))
    header, body = table[0], table[1:]
    assert header[:4] == ("STT", "Văn bản", "Trích yếu", "Nhiệm vụ")
    column = {name: i for i, name in enumerate(header)}
    assert len(body) == len(expected)
    for row, task in zip(body, expected, strict=True):
        assert row[column["Văn bản"]] == task.notice
        assert row[column["Thời hạn"]].date() == task.due
        assert row[column["Trạng thái"]] == LABELS[task.status]
        assert row[column["Đơn vị chủ trì"]] == "; ".join(task.responsible)

    text = client.get("/export.csv", params=params).content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert tuple(lines[0]) == header and len(lines) - 1 == len(expected)
    assert [line[column["Thời hạn"]] for line in lines[1:]] == [t.due.isoformat() for t in expected]
    # the same text, but a cell that Excel would run as a formula ('- Rà soát …') is defused
    assert [line[column["Nhiệm vụ"]] for line in lines[1:]] == [csv_value(row[column["Nhiệm vụ"]]) for row in body]
    assert any(line[column["Nhiệm vụ"]].startswith("'-") for line in lines[1:])


# --- a notice ------------------------------------------------------------------------------------

def test_the_notice_page_marks_each_task_span_with_its_exact_text(client: TestClient, register: Register,
                                                                  records: dict[str, dict]) -> None:
    nid = seed_id(register)
    record = records[SEED.name]
    page = client.get(f"/notices/{nid}").text
    marks = dict(re.findall(r'<mark class="task[^"]*" id="span-([^"]+)"[^>]*>(.*?)</mark>', page, re.S))
    views = {t.id: t for t in register.tasks(today=TODAY) if t.notice_id == nid}
    assert len(marks) == len(record["tasks"]) == len(views)
    by_span = {t.span: tid for tid, t in views.items()}
    for task in record["tasks"]:
        start, end = task["span"]["start"], task["span"]["end"]
        tid = by_span[(start, end)]
        assert html.unescape(re.sub(r"<[^>]+>", "", marks[tid])) == record["text"][start:end]
        assert f'<li id="task-{tid}"' in page and f'href="#span-{tid}"' in page  # text ↔ list, without JS
        for deadline in task["deadlines"]:
            assert f'<span class="deadline" title="Thời hạn">{html.escape(deadline["text"])}</span>' in marks[tid]
    assert '<span class="unit" title="Đơn vị chủ trì">Văn phòng HĐND và UBND huyện</span>' in page
    assert html.escape(record["notice"]["subject"]) in page


def test_pages_read_by_ocr_are_marked_with_their_confidence(client: TestClient, register: Register,
                                                             records: dict[str, dict]) -> None:
    scanned = copy.deepcopy(records[SEED.name])
    scanned["notice"]["source"].update(sha256="b" * 64, format="pdf", pages=2, ocr_pages=[1], ocr_confidence=64.2)
    scanned["warnings"] = [{"code": "ocr_low_confidence", "message": "read by OCR with low confidence (64 of 100)",
                            "stage": "parse", "pages": [1]}]
    scanned["notice"].update(number="99", symbol="OCR-UBND", subject="Bản quét")  # another notice
    result = register.add(scanned)
    assert result.outcome == "new_notice"
    nid = result.notice_id
    page = client.get(f"/notices/{nid}").text
    assert "Trang 1 được đọc bằng nhận dạng ảnh (OCR)" in page and "độ tin cậy trung bình 64%" in page
    assert "<code>ocr_low_confidence</code> read by OCR with low confidence (64 of 100) (trang 1)" in page
    marks = re.findall(r'<mark class="([^"]+)" id="span-', page)
    assert marks and all(m == "task ocr lowconf" for m in marks)  # every task of the seed is on page 1


def test_words_ocr_was_unsure_of_are_underlined_where_they_are(client: TestClient, register: Register,
                                                                records: dict[str, dict]) -> None:
    scanned = copy.deepcopy(records[SEED.name])
    text, task = scanned["text"], scanned["tasks"][0]
    inside = text.index(" ", task["span"]["start"] + 5) + 1  # a word inside the first task
    outside = text.index("THÔNG BÁO")  # and one in the letterhead, outside every task
    words = [{"text": text[at:text.index(" ", at)], "confidence": c, "span": {"start": at, "end": text.index(" ", at), "page": 1}}
             for at, c in ((inside, 41.0), (outside, 23.6))]
    scanned["notice"]["source"].update(sha256="c" * 64, format="pdf", ocr_pages=[1], ocr_confidence=88.0,
                                       ocr_doubtful_words=words)
    scanned["notice"].update(number="98", symbol="OCR-UBND", subject="Bản quét khác")
    nid = register.add(scanned).notice_id
    page = client.get(f"/notices/{nid}").text
    found = re.findall(r'<span class="doubtful" title="OCR không chắc chắn \((\d+)%\)[^"]*">([^<]+)</span>', page)
    assert found == [("24", html.escape(words[1]["text"])), ("41", html.escape(words[0]["text"]))]
    assert "2 từ OCR đọc không chắc chắn" in page
    task_mark = page[page.index('id="span-'):]
    assert '<span class="doubtful" title="OCR không chắc chắn (41%)' in task_mark.split("</mark>")[0]  # inside the task


def test_markup_in_a_notice_is_shown_as_text(client: TestClient, register: Register, records: dict[str, dict]) -> None:
    hostile = copy.deepcopy(records[LETTER.name])
    hostile["notice"]["source"]["sha256"] = "a" * 64
    hostile["notice"]["symbol"] = "XSS-UBND"
    hostile["notice"]["subject"] = "<script>alert(1)</script>"
    hostile["text"] += "\n<script>alert(1)</script>"
    hostile["tasks"][0]["responsible_units"] = ['Sở Tư pháp <b onmouseover="alert(2)">x</b>']
    nid = register.add(hostile).notice_id
    pages = [client.get(f"/notices/{nid}").text, client.get("/").text, client.get("/notices").text,
             client.get("/dashboard").text]
    for page in pages:
        assert "<script>alert(1)" not in page and "<b onmouseover" not in page
    assert pages[0].count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 2  # the subject and the text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[1]
    assert "&lt;b onmouseover=&#34;alert(2)&#34;&gt;" in pages[3]  # the unit's name in the chart
    assert "script-src 'self'" in client.get("/").headers["content-security-policy"]


def test_marking_a_task_done_needs_the_form_token_and_is_kept_in_its_history(client: TestClient,
                                                                              register: Register) -> None:
    nid = seed_id(register)
    task = register.tasks(TaskFilter(status="overdue"), today=TODAY)[0]
    page = client.get(f"/notices/{nid}").text
    form = {"done": "1", "note": "Đã gửi báo cáo số 15/BC-VP", "back": f"/notices/{nid}"}

    refused = client.post(f"/tasks/{task.id}/status", data=form)
    assert refused.status_code == 403 and "Biểu mẫu không hợp lệ" in refused.text
    forged = client.post(f"/tasks/{task.id}/status", data={**form, "csrf": "0" * 64})
    assert forged.status_code == 403
    assert register.task(task.id, today=TODAY).status == "overdue"

    done = client.post(f"/tasks/{task.id}/status", data={**form, "csrf": csrf_of(page)})
    assert done.status_code == 303 and done.headers["location"] == f"/notices/{nid}#task-{task.id}"
    assert register.task(task.id, today=TODAY).status == "done"
    page = client.get(f"/notices/{nid}").text
    item = page[page.index(f'<li id="task-{task.id}"'):]
    item = item[: item.index("</li>\n")]
    assert '<span class="badge done">Đã hoàn thành</span>' in item
    assert "Đánh dấu hoàn thành: Đã gửi báo cáo số 15/BC-VP" in item

    again = client.post(f"/tasks/{task.id}/status", data={"done": "0", "note": "Thiếu phụ lục", "back": "/",
                                                          "csrf": csrf_of(page)})
    assert again.headers["location"] == f"/#task-{task.id}"
    assert [(e.kind, e.note) for e in register.history(task.id)] == [("done", "Đã gửi báo cáo số 15/BC-VP"),
                                                                     ("reopened", "Thiếu phụ lục")]
    assert register.task(task.id, today=TODAY).status == "overdue"
    elsewhere = client.post(f"/tasks/{task.id}/status", data={"done": "1", "back": "//evil.example/",
                                                              "csrf": csrf_of(page)})
    assert elsewhere.headers["location"].startswith("/#task-")  # never sent to another site


def test_a_post_from_another_site_is_refused(client: TestClient, register: Register) -> None:
    task = register.tasks(today=TODAY)[0]
    csrf = csrf_of(client.get("/").text)
    response = client.post(f"/tasks/{task.id}/status", data={"done": "1", "csrf": csrf},
                           headers={"origin": "http://evil.example"})
    assert response.status_code == 403
    api = client.post(f"/api/tasks/{task.id}/status", json={"done": True}, headers={"origin": "http://evil.example"})
    assert api.status_code == 403
    assert register.task(task.id, today=TODAY).status != "done"


# --- uploads -------------------------------------------------------------------------------------

def test_an_uploaded_notice_is_filed_and_opens_on_its_page(client: TestClient, register: Register, tmp_path: Path) -> None:
    csrf = csrf_of(client.get("/upload").text)
    data = UPLOADED.read_bytes()
    response = client.post("/upload", data={"csrf": csrf}, files={"file": ("../../công văn 2496.txt", data, "text/plain")})
    assert response.status_code == 303
    nid = re.fullmatch(r"/notices/([^?]+)\?filed=new_notice", response.headers["location"]).group(1)
    page = client.get(response.headers["location"]).text
    assert "Đã vào sổ: văn bản mới." in page
    record = register.record(nid)
    assert record is not None and html.escape(record["notice"]["subject"]) in page
    kept = Path(record["notice"]["source"]["path"])
    assert kept.parent.parent == tmp_path / "uploads" and kept.name == "công văn 2496.txt"
    assert not list((tmp_path / "uploads").rglob(".upload-*"))  # no half-written file left
    sha = record["notice"]["source"]["sha256"]
    assert client.get(f"/notices/{nid}/files/{sha}").content == data  # the original, to download

    again = client.post("/upload", data={"csrf": csrf}, files={"file": ("copy.txt", data, "text/plain")})
    assert again.headers["location"] == f"/notices/{nid}?filed=known_file"
    assert not (kept.parent / "copy.txt").exists()


@pytest.mark.parametrize(("name", "data", "status", "says"), [
    ("setup.exe", b"MZ\x90\x00" * 100, 415, "Loại tệp .exe không được hỗ trợ"),
    ("big.txt", "Thông báo ".encode() * 500, 413, "Tệp quá lớn: giới hạn là 1 KB"),
    ("scan.pdf", b"this is no PDF at all", 422, "Không đọc được tệp"),
    ("empty.txt", b"", 400, "Tệp rỗng"),
])
def test_a_file_that_cannot_be_filed_gets_a_clear_page(register: Register, tmp_path: Path, name: str, data: bytes,
                                                       status: int, says: str) -> None:
    client = client_for(register, tmp_path, max_bytes=1024)
    csrf = csrf_of(client.get("/upload").text)
    response = client.post("/upload", data={"csrf": csrf}, files={"file": (name, data, "application/octet-stream")})
    assert response.status_code == status
    assert says in response.text
    if status != 413:
        assert f"Không nhận được tệp “{name}”" in response.text
    assert "Traceback" not in response.text
    assert not [p for p in (tmp_path / "uploads").rglob("*") if p.is_file()]  # nothing kept


def test_with_an_inbox_the_upload_is_left_for_watch(register: Register, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "cv.txt").write_text("already here", encoding="utf-8")
    client = client_for(register, tmp_path, inbox=inbox)
    csrf = csrf_of(client.get("/upload").text)
    data = UPLOADED.read_bytes()
    response = client.post("/upload", data={"csrf": csrf}, files={"file": ("cv.txt", data, "text/plain")})
    assert response.status_code == 303 and response.headers["location"].startswith("/uploads/")
    assert sorted(p.name for p in inbox.iterdir()) == ["cv (2).txt", "cv.txt"]  # renamed in whole, nothing clobbered
    assert (inbox / "cv (2).txt").read_bytes() == data
    waiting = client.get(response.headers["location"])
    assert waiting.status_code == 200 and 'http-equiv="refresh"' in waiting.text
    nid = register.add(record_of(inbox / "cv (2).txt")).notice_id  # what watch, filing into the register, does
    assert client.get(response.headers["location"]).headers["location"] == f"/notices/{nid}"


def test_an_original_is_served_only_while_it_is_where_it_was_read(client: TestClient, register: Register,
                                                                   tmp_path: Path) -> None:
    copy_path = tmp_path / "letter.txt"
    copy_path.write_bytes(LETTER.read_bytes() + b"\n")
    record = record_of(copy_path)
    nid = register.add(record).notice_id
    sha = record["notice"]["source"]["sha256"]
    assert client.get(f"/notices/{nid}/files/{sha}").content == copy_path.read_bytes()
    assert client.get(f"/notices/{nid}/files/{'0' * 64}").status_code == 404
    assert client.get(f"/notices/{nid}/files/..%2F..%2Fetc%2Fpasswd").status_code == 404
    copy_path.write_bytes(b"changed")
    assert client.get(f"/notices/{nid}/files/{sha}").status_code == 409
    copy_path.unlink()
    gone = client.get(f"/notices/{nid}/files/{sha}")
    assert gone.status_code == 410 and "không còn" in gone.text


# --- the dashboard -------------------------------------------------------------------------------

def test_the_dashboard_draws_one_bar_per_unit_and_offers_the_same_figures(client: TestClient, register: Register) -> None:
    counts = register.unit_counts(today=TODAY)
    page = client.get("/dashboard").text
    bars = re.findall(r'<g class="bar" data-unit="([^"]+)">', page)
    assert [html.unescape(b) for b in bars] == [c.name for c in counts]
    months = register.due_per_month(today=TODAY)
    assert re.findall(r'<g class="bar" data-month="([^"]+)">', page) == [m for m, _ in months]

    book = openpyxl.load_workbook(io.BytesIO(client.get("/dashboard.xlsx").content))
    units = list(book["Theo đơn vị"].iter_rows(min_row=2, values_only=True))
    assert units == [(c.name, c.open, c.overdue, c.done, c.open + c.overdue + c.done) for c in counts]
    lines = list(csv.reader(io.StringIO(client.get("/dashboard/months.csv").content.decode("utf-8-sig"))))
    assert lines[1:] == [[m, str(n)] for m, n in months]
    assert client.get("/dashboard/other.csv").status_code == 404


# --- the API and the token -----------------------------------------------------------------------

def test_the_api_lists_and_marks_tasks_with_a_bearer_token(register: Register, tmp_path: Path) -> None:
    client = client_for(register, tmp_path, token=TOKEN)
    bearer = {"authorization": f"Bearer {TOKEN}"}
    assert client.get("/api/tasks").status_code == 401
    assert client.get("/api/tasks", headers={"authorization": "Bearer wrong-token-value"}).status_code == 401
    listed = client.get("/api/tasks", params={"status": "overdue"}, headers=bearer).json()
    expected = register.tasks(TaskFilter(status="overdue"), today=TODAY)
    assert [t["id"] for t in listed["tasks"]] == [t.id for t in expected] and listed["count"] == len(expected)
    assert {t["status_label"] for t in listed["tasks"]} == {"Quá hạn"}

    tid = expected[0].id
    assert client.post(f"/api/tasks/{tid}/status", json={"done": True}).status_code == 401
    marked = client.post(f"/api/tasks/{tid}/status", json={"done": True, "note": "xong"}, headers=bearer)
    assert marked.status_code == 200 and marked.json()["status"] == "done" and marked.json()["note"] == "xong"
    history = client.get(f"/api/tasks/{tid}", headers=bearer).json()["history"]
    assert [(e["kind"], e["note"]) for e in history] == [("done", "xong")]
    assert client.post(f"/api/tasks/{tid}/status", json={"done": "yes"}, headers=bearer).status_code == 400
    assert client.post("/api/tasks/nope/status", json={"done": True}, headers=bearer).status_code == 404

    notices = client.get("/api/notices", headers=bearer).json()
    assert notices["count"] == 3 and {n["id"] for n in notices["notices"]} == set(register.notice_ids())
    one = client.get(f"/api/notices/{notices['notices'][0]['id']}", headers=bearer).json()
    assert one["record"]["text"] and len(one["tasks"]) == len(one["record"]["tasks"])


def test_the_api_files_a_posted_document_and_returns_its_record(client: TestClient, register: Register) -> None:
    data = UPLOADED.read_bytes()
    response = client.post("/api/documents", files={"file": (UPLOADED.name, data, "text/plain")})
    assert response.status_code == 201
    body = response.json()
    assert body["outcome"] == "new_notice" and body["record"]["tasks"]
    assert register.record(body["notice_id"]) == body["record"]
    assert client.post("/api/documents", files={"file": ("x.txt", data, "text/plain")}).json()["outcome"] == "known_file"
    refused = client.post("/api/documents", files={"file": ("x.exe", b"MZ", "application/octet-stream")})
    assert refused.status_code == 415 and refused.json()["error"] == "unsupported_type"


def test_pages_ask_for_the_token_once_then_carry_a_cookie(register: Register, tmp_path: Path) -> None:
    client = client_for(register, tmp_path, token=TOKEN)
    first = client.get("/dashboard")
    assert first.status_code == 303 and first.headers["location"] == "/login?next=%2Fdashboard"
    login = client.get(first.headers["location"]).text
    wrong = client.post("/login", data={"token": "not-the-token", "next": "/dashboard", "csrf": csrf_of(login)})
    assert wrong.status_code == 401 and "Mã truy cập không đúng" in wrong.text
    right = client.post("/login", data={"token": TOKEN, "next": "/dashboard", "csrf": csrf_of(login)})
    assert right.status_code == 303 and right.headers["location"] == "/dashboard"
    assert TOKEN not in right.headers["set-cookie"] and "HttpOnly" in right.headers["set-cookie"]
    assert client.get("/dashboard").status_code == 200
    assert client.get("/api/tasks").status_code == 401  # the API takes the bearer token, never the cookie
    page = client.get("/").text
    assert client.post("/logout", data={"csrf": csrf_of(page)}).status_code == 303
    assert client.get("/").status_code == 303


def test_openapi_describes_the_api_routes(register: Register, tmp_path: Path) -> None:
    app = create_app(register, token=TOKEN, uploads=tmp_path / "uploads")
    schema = TestClient(app).get("/api/openapi.json").json()  # readable without the token
    assert schema["openapi"].startswith("3.")
    api = next(r for r in app.routes if isinstance(r, Mount) and r.path == "/api")
    assert set(schema["paths"]) == {r.path for r in api.routes}
    assert "post" in schema["paths"]["/tasks/{tid}/status"] and "post" in schema["paths"]["/documents"]


# --- where it listens ----------------------------------------------------------------------------

def test_it_will_not_listen_beyond_this_computer_without_a_token(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTICE_EXTRACTOR_TOKEN", raising=False)
    assert main(["serve", "--db", str(tmp_path / "r.db"), "--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert "refusing to listen on 0.0.0.0 without a token" in err and "--token" in err
    assert not (tmp_path / "r.db").exists()  # refused before anything was opened
    assert main(["serve", "--db", str(tmp_path / "r.db"), "--host", "0.0.0.0", "--token", "short"]) == 2
    assert "too short" in capsys.readouterr().err
    assert listen_problem("127.0.0.1", None) is None and listen_problem("::1", None) is None
    assert listen_problem("localhost", None) is None and listen_problem("192.168.1.10", TOKEN) is None
    assert listen_problem("192.168.1.10", None) is not None


def test_on_loopback_only_loopback_host_names_are_answered(register: Register, tmp_path: Path) -> None:
    client = TestClient(create_app(register, uploads=tmp_path / "u", allowed_hosts=frozenset({"127.0.0.1", "localhost"})),
                        base_url="http://127.0.0.1:8000")
    assert client.get("/").status_code == 200
    assert client.get("/", headers={"host": "rebound.evil.example:8000"}).status_code == 400
