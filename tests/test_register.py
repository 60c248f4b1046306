"""The register: notices known by what they are, versions that keep the clerks' work, deadline
status, merged units; on SQLite and on a real PostgreSQL server that the tests start."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from extractor import extract_file
from extractor.register import Register, TaskFilter
from extractor.register.tables import Base
from extractor.register.units import canonical_unit
from extractor.validate import to_json

from . import postgres
from .conftest import CORPUS

SEED = "bac-son-tb-cchc-2023"
LETTER = "laocai-cv-vp-ubnd-de-nghi-bao-cao-kcn-ccn"


def record_of(path: Path) -> dict:
    return json.loads(to_json(extract_file(path)))


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    reason = postgres.unavailable_reason()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    with postgres.postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def register(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Register]:
    if request.param == "sqlite":
        reg = Register(str(tmp_path / "register.db"))
    else:
        url = request.getfixturevalue("pg_url")
        reg = Register(url)
        with reg.engine.begin() as c:  # each test starts from an empty register
            for table in reversed(Base.metadata.sorted_tables):
                c.execute(table.delete())
    yield reg
    reg.close()


@pytest.fixture(scope="module")
def seed() -> dict:
    return record_of(CORPUS / "txt" / f"{SEED}.txt")


def test_migrations_create_what_the_models_describe(register: Register) -> None:
    with register.engine.connect() as c:
        assert compare_metadata(MigrationContext.configure(c), Base.metadata) == []


def test_one_notice_in_three_formats_is_one_notice_with_three_files(register: Register) -> None:
    paths = [CORPUS / "txt" / f"{LETTER}.txt", CORPUS / "rendered" / "docx" / f"{LETTER}.docx",
             CORPUS / "rendered" / "pdf" / f"{LETTER}.pdf"]
    results = [register.add(record_of(p)) for p in paths]
    assert [r.outcome for r in results] == ["new_notice", "same_content", "same_content"]
    assert len({r.notice_id for r in results}) == 1 and register.notice_ids() == [results[0].notice_id]
    assert sorted(f.format for f in register.files(results[0].notice_id)) == ["docx", "pdf", "txt"]
    assert len(register.tasks()) == 4  # not 12
    assert register.add(record_of(paths[0])).outcome == "known_file"  # the same bytes are filed once


# A meeting's conclusions whose scan misread its Roman headings ("II.", "III." for "I.", "II."):
# the tasks' places must agree for the four files to be one notice.
CONCLUSIONS = "laocai-tb-vp-ket-luan-ct-ubnd-cum-cong-nghiep"


@pytest.fixture(scope="module")
def four_formats(tesseract: None) -> list[dict]:
    return [record_of(p) for p in (CORPUS / "txt" / f"{CONCLUSIONS}.txt",
                                   CORPUS / "rendered" / "docx" / f"{CONCLUSIONS}.docx",
                                   CORPUS / "rendered" / "pdf" / f"{CONCLUSIONS}.pdf",
                                   CORPUS / "rendered" / "scan" / f"{CONCLUSIONS}.pdf")]


def test_one_notice_as_txt_docx_pdf_and_scan_is_one_notice_with_one_task_set(register: Register,
                                                                             four_formats: list[dict]) -> None:
    first = register.add(four_formats[0], received=dt.datetime(2026, 5, 4, 9))
    done = register.tasks(today=dt.date(2026, 5, 4))[0]
    register.set_done(done.id, True, "Đã xong", at=dt.datetime(2026, 5, 5, 9))
    results = [first] + [register.add(r, received=dt.datetime(2026, 5, 6, 9)) for r in four_formats[1:]]
    assert [r.outcome for r in results] == ["new_notice", "same_content", "same_content", "same_content"]
    assert register.notice_ids() == [first.notice_id] and {r.version for r in results} == {1}
    assert sorted(f.format for f in register.files(first.notice_id)) == ["docx", "pdf", "pdf", "txt"]
    tasks = register.tasks(today=dt.date(2026, 5, 6))
    assert len(tasks) == len(four_formats[0]["tasks"])  # one set, not four
    assert next(t for t in tasks if t.id == done.id).status == "done"  # the clerk's mark stays


def test_a_new_version_keeps_the_clerks_work_on_the_tasks_still_there(register: Register, seed: dict) -> None:
    first = register.add(seed, received=dt.datetime(2023, 10, 25, 9))
    tasks = register.tasks(today=dt.date(2023, 10, 25))
    kept, dropped = tasks[0], tasks[-1]
    register.set_done(kept.id, True, "Đã gửi báo cáo", at=dt.datetime(2023, 10, 26, 10))

    corrected = copy.deepcopy(seed)
    corrected["notice"]["source"]["sha256"] = "f" * 64
    gone = next(t for t in corrected["tasks"] if register.task(dropped.id) and t["text"] == dropped.text)
    corrected["tasks"].remove(gone)
    corrected["tasks"][1]["text"] = "Nội dung đã sửa hoàn toàn: tổ chức hội nghị sơ kết công tác cải cách hành chính."
    second = register.add(corrected, received=dt.datetime(2023, 10, 27, 8))

    assert (second.notice_id, second.outcome, second.version) == (first.notice_id, "new_version", 2)
    after = {t.id: t for t in register.tasks(today=dt.date(2023, 10, 27))}
    assert after[kept.id].status == "done" and after[kept.id].note == "Đã gửi báo cáo"
    assert dropped.id not in after and len(after) == len(tasks) - 1
    assert [e.kind for e in register.history(kept.id)] == ["done"]
    assert [e.kind for e in register.history(dropped.id)] == ["removed"]
    assert register.record(first.notice_id, version=1)["tasks"] == seed["tasks"]  # the old version stays


def test_a_fixed_typo_keeps_the_task_ids(register: Register, seed: dict) -> None:
    register.add(seed)
    before = [t.id for t in register.tasks()]
    fixed = copy.deepcopy(seed)
    fixed["notice"]["source"]["sha256"] = "e" * 64
    fixed["tasks"][0]["text"] = fixed["tasks"][0]["text"].replace("CCHC", "CCHC ", 1)
    assert register.add(fixed).outcome == "same_content"
    assert [t.id for t in register.tasks()] == before


def test_an_issuer_not_read_is_no_other_issuer(register: Register, seed: dict) -> None:
    letter = copy.deepcopy(seed)
    letter["notice"]["number"], letter["notice"]["issuer"] = "12", "ỦY BAN NHÂN DÂN HUYỆN BẮC SƠN"
    first = register.add(letter)
    unread = copy.deepcopy(letter)
    unread["notice"]["source"]["sha256"], unread["notice"]["issuer"] = "d" * 64, None
    assert register.add(unread).notice_id == first.notice_id
    other = copy.deepcopy(unread)
    other["notice"]["source"]["sha256"], other["notice"]["number"] = "c" * 64, "999"
    assert register.add(other).outcome == "new_notice"  # another number is another notice


def test_status_against_the_day_with_recurring_and_relative_limits(register: Register, seed: dict) -> None:
    record = copy.deepcopy(seed)
    span = {"start": 0, "end": 1, "page": None}
    record["tasks"][0]["deadlines"] = [{"date": "2023-11-18", "text": "trước ngày 18 hằng tháng", "kind": "recurring",
                                        "recurrence": {"every": "month", "day": 18, "month": None, "weekday": None},
                                        "relative": None, "span": span}]
    record["tasks"][1]["deadlines"] = [{"date": None, "text": "trong 10 ngày kể từ ngày nhận", "kind": "relative",
                                        "recurrence": None, "span": span,
                                        "relative": {"days": 10, "working_days": False, "counted_from": "receipt"}}]
    register.add(record, received=dt.datetime(2023, 10, 25, 9))
    by_id = {t.text: t for t in register.tasks(today=dt.date(2023, 12, 10))}
    recurring, relative = by_id[record["tasks"][0]["text"]], by_id[record["tasks"][1]["text"]]
    assert (recurring.due, recurring.status) == (dt.date(2023, 12, 18), "open")  # next occurrence, never overdue
    assert (relative.due, relative.status) == (dt.date(2023, 11, 4), "overdue")  # 10 days from receipt
    dated = [t for t in register.tasks(today=dt.date(2023, 10, 25)) if t.deadline == "chậm nhất ngày 27/10/2023"]
    assert dated and all(t.status == "due_soon" for t in dated)
    assert register.tasks(TaskFilter(status="overdue"), today=dt.date(2023, 10, 28))


def test_units_are_merged_and_persons_are_not_units(register: Register, seed: dict) -> None:
    record = copy.deepcopy(seed)
    record["tasks"][0]["responsible_units"] = ["UBND các xã, thị trấn"]
    record["tasks"][1]["responsible_units"] = ["Ủy ban nhân dân các xã, thị trấn"]
    record["tasks"][2]["responsible_units"] = ["Đỗ Mạnh Cường"]
    register.add(record)
    names = {u.name for u in register.unit_counts()}
    assert "Ủy ban nhân dân các xã, thị trấn" in names and "UBND các xã, thị trấn" not in names
    assert not any("Cường" in n for n in names)
    both = register.tasks(TaskFilter(unit="UBND các xã, thị trấn"))
    assert {t.text for t in both} >= {record["tasks"][0]["text"], record["tasks"][1]["text"]}


@pytest.mark.parametrize(("name", "locality", "shown"), [
    ("Công an tỉnh Lào Cai", "tỉnh lào cai", "Công an tỉnh"),  # the issuer's locality, with its level
    ("Công an tỉnh Lào Cai", "lào cai", "Công an tỉnh"),  # only the place line's name
    ("Công an tỉnh Yên Bái", "lào cai", "Công an tỉnh Yên Bái"),  # another province stays
    ("UBND huyện Bắc Sơn", "huyện bắc sơn", "Ủy ban nhân dân huyện"),
    ("Giám đốc Sở Nội vụ", None, "Sở Nội vụ"),
])
def test_the_notices_own_locality_adds_nothing_to_a_unit(name: str, locality: str | None, shown: str) -> None:
    unit = canonical_unit(name, locality)
    assert unit is not None and unit.name == shown


def test_filters(register: Register, seed: dict) -> None:
    register.add(seed)
    today = dt.date(2023, 10, 25)
    everything = register.tasks(today=today)
    assert [t.due for t in everything if t.due] == sorted(t.due for t in everything if t.due)  # by deadline
    assert {t.status for t in register.tasks(TaskFilter(due_within=3), today=today)} == {"due_soon"}
    assert register.tasks(TaskFilter(words="sáng kiến"), today=today)
    assert all("sáng kiến" in t.text.lower() for t in register.tasks(TaskFilter(words="sang kien"), today=today))
    assert register.tasks(TaskFilter(month="2023-10"), today=today)
    assert register.tasks(TaskFilter(issuer="không có"), today=today) == []
