"""The extraction steps: named, declaring what they read and write, in an order that is checked."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import pytest

from extractor import extract_file
from extractor.normalise import normalise
from extractor.paragraphs import build_layout
from extractor.steps.actors import addressee_units
from extractor.steps.document import DOCUMENT_STEPS, DocumentFields
from extractor.steps.extract import TASK_STEPS, TaskFields
from extractor.steps.mechanism import check_order, run, step
from extractor.steps.metadata import read_metadata
from extractor.steps.tasks import draft_tasks, table_drafts
from extractor.structure import build_structure

from .builders import NOTICE, doc, layout
from .conftest import CORPUS


def test_the_pipelines_are_in_an_order_that_gives_each_step_what_it_reads() -> None:
    assert [s.name for s in DOCUMENT_STEPS] == [
        "addressees", "metadata", "is_a_notice", "notice_references", "drafts", "task_fields"]
    assert [s.name for s in TASK_STEPS] == ["criteria", "references", "deadlines", "figures"]
    check_order(DOCUMENT_STEPS, given=("structure",), state_type=DocumentFields)
    check_order(TASK_STEPS, given=("draft",), state_type=TaskFields)


def test_a_step_moved_before_what_it_reads_is_refused() -> None:
    figures_first = (TASK_STEPS[3], *TASK_STEPS[:3])
    with pytest.raises(ValueError, match=r"step 'figures' reads \['criteria', 'deadlines', 'references'\]"):
        check_order(figures_first, given=("draft",), state_type=TaskFields)
    with pytest.raises(ValueError, match="step 'drafts' reads \\['addressees'\\]"):
        check_order(DOCUMENT_STEPS[4:], given=("structure",), state_type=DocumentFields)


@dataclass(frozen=True)
class _State:
    a: int = 0
    b: int = 0


def test_a_step_that_writes_what_it_did_not_declare_is_refused() -> None:
    @step("sneaky", reads=("a",), writes=("a",))
    def sneaky(s: _State, ctx: None) -> Mapping[str, Any]:
        return {"a": 1, "b": 2}

    @step("honest", reads=("a",), writes=("b",))
    def honest(s: _State, ctx: None) -> Mapping[str, Any]:
        return {"b": s.a + 1}

    assert run(_State(a=4), [honest], None) == _State(a=4, b=5)
    with pytest.raises(RuntimeError, match=r"step 'sneaky' wrote \['a', 'b'\], but declares \['a'\]"):
        run(_State(), [sneaky], None)
    with pytest.raises(ValueError, match=r"names fields \['c'\]"):
        check_order([step("odd", reads=("c",), writes=())(lambda s, c: {})], given=("a",), state_type=_State)


def test_offsets_are_document_absolute_after_the_steps() -> None:
    """Deadlines stated once on an enclosing item, cited documents and table cells all end up
    as spans of the record's own text."""
    for name in ("bac-son-tb-cchc-2023.txt", "laocai-kh-ubnd-trien-khai-chi-thi-11-khoang-san.txt"):
        record = extract_file(CORPUS / "txt" / name)
        values = [v for t in record.tasks for v in (*t.criteria, *t.deadlines, *t.figures, *t.references)]
        assert values and all(record.text[v.span.start:v.span.end] == v.text for v in values)


def test_tasks_units_and_metadata() -> None:
    s = build_structure(layout(*NOTICE))
    drafts = draft_tasks(s, addressee_units(s.header))
    assert [(d.section, d.responsible) for d in drafts] == [
        ("II./1./a)", ("Phòng Tài chính - Kế hoạch",)),
        ("II./1./b)", ("Phòng Tài chính - Kế hoạch",)),
        ("II./2.", ("Phòng Nội vụ",)),
    ]
    assert drafts[2].coordinating == ("Văn phòng HĐND và UBND huyện",)
    meta = read_metadata(s, [])
    assert (meta.doc_type, meta.number, meta.symbol, meta.place, meta.issued_date.isoformat()) == (
        "Thông báo", "12", "TB-UBND", "Bắc Sơn", "2023-10-24")
    assert (meta.signer_authority, meta.signer_title, meta.signer_name) == ("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "Vũ Quang Hiến")
    assert (meta.issuer, meta.parent_body) == ("ỦY BAN NHÂN DÂN HUYỆN BẮC SƠN", None)


def test_no_directive_part_gives_no_tasks() -> None:
    s = build_structure(layout("BÁO CÁO", "Tình hình kinh tế", "I. KẾT QUẢ", "1. Sản xuất công nghiệp tăng 12%."))
    assert draft_tasks(s, []) == []


def _letter(issuer: str, number_line: str) -> tuple[str, ...]:
    return ("UBND TỈNH LÀO CAI", issuer, number_line, "Lào Cai, ngày 24 tháng 10 năm 2023",
            "V/v đôn đốc báo cáo", "Kính gửi: Các doanh nghiệp", "Đề nghị các doanh nghiệp báo cáo.",
            "Nơi nhận:", "- Như trên;", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Hoàng Văn Thuân")


@pytest.mark.parametrize(("issuer", "number_line", "symbol"), [
    ("SỞ CÔNG THƯƠNG", "Số: 12/SGT-CN", "SCT-CN"),  # OCR read C as G: the issuer's initials say SCT
    ("SỞ CÔNG THƯƠNG", "Số: 12/SCT-CN", "SCT-CN"),
    ("SỞ GIAO THÔNG VẬN TẢI", "Số: 12/SGTVT-QLCL", "SGTVT-QLCL"),  # the initials themselves
    ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Số: 12/SGDĐT-VP", "SGDĐT-VP"),
    ("SỞ CÔNG THƯƠNG", "Số: 12/SXD-CN", "SXD-CN"),  # two letters apart: another body's code, kept
])
def test_a_symbol_part_one_ocr_confusion_from_the_issuers_initials_is_read_as_them(
        issuer: str, number_line: str, symbol: str) -> None:
    s = build_structure(layout(*_letter(issuer, number_line)))
    meta = read_metadata(s, addressee_units(s.header))
    assert (meta.issuer, meta.symbol) == (issuer, symbol)


def test_words_ocr_was_unsure_of_are_found_again_on_their_page() -> None:
    """The parse stage names the doubtful words as read (page, text, place among namesakes);
    the record gives their spans in its text. One respelled since ("C)" is now "c)"), and one
    whose namesakes were not all found again, are left out rather than guessed."""
    from dataclasses import replace

    from extractor.parsers.base import DoubtfulWord
    from extractor.pipeline import extract_document

    blocks = [replace(b, page=1 if n < 12 else 2) for n, b in enumerate(doc(*NOTICE).blocks)]
    parsed = replace(doc(*NOTICE), blocks=tuple(blocks), pages=2, ocr_pages=(1, 2), doubtful_words=(
        DoubtfulWord(page=1, text="đồng", rank=1, count=2, confidence=41.0),  # the second "đồng" on page 1
        DoubtfulWord(page=2, text="kiểm", rank=0, count=1, confidence=55.5),
        DoubtfulWord(page=2, text="C)", rank=0, count=1, confidence=30.0),  # no longer in the text
        DoubtfulWord(page=1, text="ngày", rank=0, count=5, confidence=20.0),  # 5 read, 1 found: which?
    ))
    record = extract_document(parsed)
    words = record.notice.source.ocr_doubtful_words
    assert [(w.text, w.confidence, w.span.page) for w in words] == [("đồng", 41.0, 1), ("kiểm", 55.5, 2)]
    assert record.text[words[0].span.start:].startswith("đồng chí Chủ tịch đã")  # the second "đồng" of page 1
    assert record.text[words[1].span.start:].startswith("kiểm tra công tác")


def test_the_row_that_numbers_a_tables_columns_is_no_task_even_misread() -> None:
    header = "STT | Tên nhiệm vụ | Sở, ngành chủ trì | Đơn vị phối hợp | Thời gian thực hiện"
    rows = [header, "(1) | (2) | (3) | (4) | (5)", " | q) | (3) | (4) | (5)",  # as typed, and as OCR read it
            "1 | Tổ chức quán triệt Chỉ thị | Sở Nông nghiệp và Môi trường | Các sở, ngành | Quý II/2026",
            "2 | Rà soát quy hoạch khoáng sản | Sở Công Thương | 12 | 2026"]
    lines = [*NOTICE[:5], "Kế hoạch thực hiện", *rows]
    parsed = doc(*lines)
    blocks = tuple(replace(b, kind="table_row", cells=tuple(c.strip() for c in b.text.split("|"))) if "|" in b.text else b
                   for b in parsed.blocks)
    drafts = table_drafts(build_structure(build_layout(normalise(replace(parsed, blocks=blocks)))))
    assert [d.section for d in drafts] == ["table/1", "table/2"]
