"""End to end: the seed notice against its gold, determinism, the schema contract."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from extractor import extract_file
from extractor.models import SCHEMA_VERSION, Deadline, Span
from extractor.validate import json_schema, to_json, validate_document

from .conftest import CORPUS, ROOT

SEED_TXT = CORPUS / "txt" / "bac-son-tb-cchc-2023.txt"


def _score(gold: dict, record_json: str) -> dict:
    import score  # ../shared/eval/score.py

    tallies = {k: score.Tally() for k in ("task", "units", "criteria", "deadlines", "figures", "meta")}
    lines = score.score_doc(gold, json.loads(record_json), tallies, verbose=True)
    return {k: v for k, v in tallies.items()} | {"lines": lines}


def test_seed_scores_perfectly(seed_gold: dict) -> None:
    tallies = _score(seed_gold, to_json(extract_file(SEED_TXT)))
    for key in ("task", "units", "criteria", "deadlines", "figures"):
        assert tallies[key].f1() == 1.0, (key, tallies["lines"])
    assert tallies["meta"].fn == 0, tallies["lines"]


def test_seed_records_carry_traceable_values() -> None:
    record = extract_file(SEED_TXT)
    text = record.text
    task = next(t for t in record.tasks if "Đối với tiêu chí 1.5" in t.text)
    assert task.responsible_units == ["Phòng Nội vụ", "Văn phòng HĐND và UBND huyện", "Phòng Tài chính - Kế hoạch",
                                      "Phòng Văn hóa và Thông tin", "Phòng Tư pháp"]
    assert [d.date.isoformat() for d in task.deadlines] == ["2023-10-27"]
    assert text[task.span.start:task.span.end] == task.text
    for value in [*task.criteria, *task.deadlines, *task.figures]:
        assert text[value.span.start:value.span.end] == value.text
    assert record.notice.signer.name == "Vũ Quang Hiến" and record.notice.number is None
    assert record.notice.meeting is not None and record.notice.meeting.chair == "Phùng Thị Thanh Nga"


def test_output_is_deterministic_and_valid() -> None:
    first = to_json(extract_file(SEED_TXT))
    second = to_json(extract_file(SEED_TXT))
    assert first == second
    assert validate_document(json.loads(first)) == []
    ids = [t["id"] for t in json.loads(first)["tasks"]]
    assert len(ids) == len(set(ids))


def test_committed_schema_matches_the_models() -> None:
    committed = json.loads((ROOT / "schemas" / "notice.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), "run `make schema` and commit schemas/notice.schema.json"


# Each published contract's fingerprint: a change of the schema must move SCHEMA_VERSION.
PUBLISHED_SCHEMAS = {
    "1.0": "1ba1e084980976bea50d451d8b25a3781286171dad3681181ece70782d032433",
    "1.1": "5920d5a0220d8a5929fa79b898b122d8d804f204ec5d91281fff051ab8646142",
    "1.2": "e58a94e15f3ab692dd15ddb2e228e8dc35d78d95afd4731764bc2d04ef0a3537",
    "1.3": "006b3263af6684799844cb9949b03ca967bd1e4e3073c463a01fab4419f0870b",
}


def test_schema_version_moves_with_the_schema() -> None:
    fingerprint = hashlib.sha256(json.dumps(json_schema(), sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    assert PUBLISHED_SCHEMAS.get(SCHEMA_VERSION) == fingerprint, (
        f"the contract changed (fingerprint {fingerprint}): move SCHEMA_VERSION in extractor/models.py and record "
        "the new version's fingerprint here")


def test_every_schema_property_is_described() -> None:
    schema = json_schema()
    bare = [f"{name}.{prop}" for name, node in [("NoticeRecord", schema), *schema["$defs"].items()]
            for prop, value in node.get("properties", {}).items() if not value.get("description")]
    assert bare == []


def test_a_deadline_without_a_date_must_be_recurring_or_relative() -> None:
    span = Span(start=0, end=5)
    assert Deadline(date=None, text="hằng tháng", kind="recurring", span=span).date is None
    with pytest.raises(ValidationError, match="a by_date deadline needs a date"):
        Deadline(date=None, text="trước", kind="by_date", span=span)


def test_schema_rejects_a_broken_record() -> None:
    record = json.loads(to_json(extract_file(SEED_TXT)))
    record["tasks"][0]["deadlines"] = [{"date": "not a date"}]
    assert validate_document(record)


def test_a_decision_assigns_work_in_its_articles_only() -> None:
    """GUIDELINES rule 7: the article that assigns work is a task; entry into force and the
    enforcement clause are not."""
    record = extract_file(Path(__file__).parent / "data" / "decision-articles.txt")
    assert record.notice.doc_type == "Quyết định" and record.notice.number == "1234"
    assert [(t.section, t.responsible_units, t.coordinating_units) for t in record.tasks] == [
        ("Điều 1.", ["Sở Công Thương"], ["Công an tỉnh"])]
    assert [d.date.isoformat() for d in record.tasks[0].deadlines] == ["2026-09-30"]


def test_a_commune_conclusion_with_posts_and_village_heads() -> None:
    """Units other than offices: posts ("Cán bộ Địa chính - Nông nghiệp"), stations, villages."""
    record = extract_file(Path(__file__).parent / "data" / "commune-conclusion.txt")
    assert [(t.responsible_units, t.coordinating_units) for t in record.tasks] == [
        (["Cán bộ Địa chính - Nông nghiệp"], []), (["Ban Thú y xã"], ["các thôn"]),
        (["Công chức Văn hóa - Xã hội"], []), (["Trạm Y tế xã"], []), (["Các thôn trưởng"], [])]
    assert [[d.date.isoformat() for d in t.deadlines] for t in record.tasks] == [
        ["2024-03-15"], [], [], ["2024-04-30"], []]
    assert record.notice.meeting is not None and record.notice.meeting.date.isoformat() == "2024-03-01"


def test_a_letter_asks_its_addressees() -> None:
    """GUIDELINES rule 8: "Quý cơ quan" means the addressees; a request inside a "Thực hiện
    Công văn …" paragraph is still a request; the closing formula is not a task."""
    record = extract_file(Path(__file__).parent / "data" / "letter-quy-co-quan.txt")
    assert [(t.responsible_units, [d.date.isoformat() for d in t.deadlines]) for t in record.tasks] == [
        (["Các phòng, ban thuộc Sở", "Kho bạc Nhà nước tỉnh"], ["2024-06-20"]),
        (["Kho bạc Nhà nước tỉnh"], ["2024-06-25"]),
    ]
    assert (record.notice.issuer, record.notice.parent_body) == ("SỞ TÀI CHÍNH", "UBND TỈNH LẠNG SƠN")


def test_a_markdown_plan_with_attribute_items_and_a_task_table() -> None:
    """GUIDELINES rules 5 and 6: items described by "Đơn vị chủ trì:", "Thời gian hoàn
    thành:" lines are tasks with those attributes; each row of a task table is a task."""
    record = extract_file(Path(__file__).parent / "data" / "plan-attributes-and-table.md")
    got = [(t.responsible_units, t.coordinating_units, [d.date.isoformat() for d in t.deadlines]) for t in record.tasks]
    assert got == [
        (["Trung tâm Văn hóa, Thể thao và Truyền thông huyện"], [], ["2024-12-31"]),
        (["Phòng Nội vụ"], ["Văn phòng HĐND và UBND huyện"], ["2024-06-30"]),
        (["Văn phòng HĐND và UBND huyện"], ["Phòng Nội vụ"], ["2024-03-31"]),
        (["Phòng Nội vụ"], ["Phòng Văn hóa và Thông tin", "UBND các xã, thị trấn"], ["2024-09-30"]),
    ]
    assert (record.notice.signer.authority, record.notice.signer.name) == ("KT. TRƯỞNG PHÒNG", "Nông Thị Hoa")
    assert "*" not in record.text
