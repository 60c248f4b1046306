"""Each stage on its own: normalise, paragraphs, structure, units, tasks, metadata."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.normalise import normalise
from extractor.paragraphs import build_layout, find_label, source_of
from extractor.parsers.base import Block, ParsedDocument
from extractor.steps.metadata import read_metadata
from extractor.steps.actors import addressee_units
from extractor.steps.tasks import draft_tasks
from extractor.structure import build_structure
from extractor.unitnames import expand_enumeration, mentions
from extractor.vntext import clean_line, fold


def doc(*lines: str, kind: str = "line") -> ParsedDocument:
    return ParsedDocument(path="t.txt", format="txt", sha256="0" * 64, pages=None,
                          blocks=tuple(Block(text=x, page=1, kind=kind) for x in lines))


def layout(*lines: str, kind: str = "line"):
    return build_layout(normalise(doc(*lines, kind=kind)))


# --- normalise ------------------------------------------------------------------------------

def test_fold_gives_one_spelling() -> None:
    assert fold("Hoà") == fold("Hòa") == "hòa"
    assert fold("Uỷ ban") == fold("Ủy ban")
    assert fold("\u00d0ồng") == fold("Đồng")
    assert fold("Tài chính – Kế hoạch") == fold("Tài chính - Kế hoạch")


@given(st.text(alphabet=st.sampled_from("aăâeêioôơuưyAĂÂEÊIOÔƠUƯYđĐ hq–-\u0300\u0301\u0303\u0309\u0323"), max_size=40))
def test_fold_keeps_the_length_of_nfc_text(text: str) -> None:
    nfc = unicodedata.normalize("NFC", text)
    assert len(fold(nfc)) == len(nfc)


def test_clean_line_composes_and_cleans() -> None:
    assert clean_line("Vie\u0302\u0323t\u00a0Nam\u200b\r") == "Việt Nam"


# --- paragraphs -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "kind", "value"), [
    ("I. MỤC ĐÍCH", "roman", "I"), ("1. Sở Công Thương", "num", "1"), ("1.2. Phòng Nội vụ", "num", "1.2"),
    ("đ) Tiêu chí 7.6", "letter", "đ"), ("- Thực hiện", "dash", "-"), ("+ Rà soát", "plus", "+"),
    ("Điều 3. Tổ chức thực hiện", "article", "Điều 3"),
])
def test_labels(text: str, kind: str, value: str) -> None:
    label = find_label(text)
    assert label is not None and (label.kind, label.value) == (kind, value)


@pytest.mark.parametrize("text", ["1.5 là tiêu chí", "Ban hành", "Việc này"])
def test_not_labels(text: str) -> None:
    assert find_label(text) is None


def test_wrapped_lines_and_page_breaks_rejoin() -> None:
    lay = layout("1. Sở Công Thương", "a) Rà soát các quy định hiện hành về quản lý vật liệu nổ và đề xuất,",
                 "kiến nghị cơ quan có thẩm quyền sửa đổi theo quy định tại", "Điều 17 Thông tư số 23/2024/TT-BCT.",
                 "2", "b) Tăng cường công tác kiểm tra.")
    assert [p.text[:20] for p in lay.paragraphs] == ["1. Sở Công Thương", "a) Rà soát các quy đ", "b) Tăng cường công t"]
    assert "đề xuất, kiến nghị" in lay.paragraphs[1].text and "tại Điều 17" in lay.paragraphs[1].text


def test_offsets_point_into_the_text() -> None:
    lay = layout("THÔNG BÁO", "Kết luận của đồng chí Chủ tịch", "1. Giao Sở Tài chính chủ trì.")
    for p in lay.paragraphs:
        assert lay.text[p.start:p.end] == p.text


def test_offsets_map_back_to_parser_blocks() -> None:
    lines = ("THÔNG BÁO", "", "a) Rà soát các quy định hiện hành về quản lý vật liệu nổ và đề xuất,",
             "kiến nghị cơ quan có thẩm quyền.")
    lay = layout(*lines)
    offset = lay.text.index("kiến nghị")
    assert source_of(lay, offset) == (3, 0)
    assert source_of(lay, lay.text.index("quy định")) == (2, lines[2].index("quy định"))


def test_word_files_with_a_paragraph_per_line_rejoin() -> None:
    lines = ["Ủy ban nhân dân tỉnh yêu cầu các sở thực hiện tốt"] + ["các nội dung sau đây trong năm nay và báo cáo"] * 12
    lay = layout(*lines, kind="paragraph")
    assert len(lay.paragraphs) == 1


# --- structure ------------------------------------------------------------------------------

NOTICE = (
    "ỦY BAN NHÂN DÂN", "HUYỆN BẮC SƠN", "Số: 12/TB-UBND", "Bắc Sơn, ngày 24 tháng 10 năm 2023", "THÔNG BÁO",
    "Kết luận của đồng chí Chủ tịch UBND huyện",
    "Ngày 20/10/2023, đồng chí Chủ tịch đã chủ trì cuộc họp.",
    "I. ĐÁNH GIÁ CHUNG", "Kết quả thực hiện các nhiệm vụ đạt yêu cầu.",
    "II. NHIỆM VỤ TRỌNG TÂM", "1. Phòng Tài chính - Kế hoạch",
    "a) Tiêu chí 6.1.1, giải ngân: tham mưu giải ngân đạt 100% kế hoạch.",
    "b) Hướng dẫn các đơn vị xây dựng phương án tự chủ chậm nhất ngày 27/10/2023.",
    "2. Giao Phòng Nội vụ chủ trì, phối hợp với Văn phòng HĐND và UBND huyện kiểm tra công tác cải cách.",
    "UBND huyện thông báo để các cơ quan biết, thực hiện./.",
    "Nơi nhận:", "- Như trên;", "- Lưu: VT.", "TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "Vũ Quang Hiến",
)


def test_parts_and_directive_sections() -> None:
    s = build_structure(layout(*NOTICE))
    assert s.header[-1].text.startswith("Kết luận") and s.closing[0].text.startswith("UBND huyện thông báo")
    by_title = {n.paragraph.text[:14]: n for n in s.root.walk() if n.paragraph}
    assert not by_title["I. ĐÁNH GIÁ CH"].directive and by_title["II. NHIỆM VỤ T"].directive
    assert [c.label.text for c in by_title["1. Phòng Tài c"].children] == ["a)", "b)"]


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


# --- units ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "names"), [
    ("Giao Sở Nông nghiệp và Môi trường chủ trì", ["Sở Nông nghiệp và Môi trường"]),
    ("Phòng Tài chính - Kế hoạch tham mưu", ["Phòng Tài chính - Kế hoạch"]),
    ("Đề nghị Văn phòng HĐND và UBND huyện tham mưu", ["Văn phòng HĐND và UBND huyện"]),
    ("UBND các xã, thị trấn thực hiện", ["UBND các xã, thị trấn"]),
    ("Ban Quản lý Khu kinh tế tỉnh báo cáo", ["Ban Quản lý Khu kinh tế tỉnh"]),
    ("Chi cục Quản lý thị trường: Tăng cường", ["Chi cục Quản lý thị trường"]),
    ("Ban Quản lý dự án đầu tư xây dựng số 1 đẩy nhanh", ["Ban Quản lý dự án đầu tư xây dựng số 1"]),
    ("Công an tỉnh, các sở, ban, ngành, đoàn thể tỉnh và Ủy ban nhân dân các xã, phường",
     ["Công an tỉnh", "các sở, ban, ngành, đoàn thể tỉnh", "Ủy ban nhân dân các xã, phường"]),
    ("Ban hành kế hoạch", []),
])
def test_unit_names_end_where_the_name_ends(text: str, names: list[str]) -> None:
    assert [m.name for m in mentions(text)] == names


def test_enumerations_expand() -> None:
    assert expand_enumeration("các Phòng: Nội vụ, Tư pháp)") == ["Phòng Nội vụ", "Phòng Tư pháp"]
    assert expand_enumeration("UBND các phường: Yên Bái, Văn Phú tăng cường") == ["UBND phường Yên Bái", "UBND phường Văn Phú"]
    assert expand_enumeration("Các Sở: Văn hóa, Thể thao và Du lịch, Y tế;") == ["Sở Văn hóa, Thể thao và Du lịch", "Sở Y tế"]


def test_names_with_commas_and_two_bodies() -> None:
    assert [m.name for m in mentions("Trung tâm Văn hóa, Thể thao và Truyền thông huyện.")] == [
        "Trung tâm Văn hóa, Thể thao và Truyền thông huyện"]
    assert [m.name for m in mentions("Sở Công Thương, Sở Tài chính và Sở Xây dựng")] == [
        "Sở Công Thương", "Sở Tài chính", "Sở Xây dựng"]
