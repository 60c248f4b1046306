"""Paragraphs: labels, wrapped lines rejoined, offsets into the text and back to the blocks."""

from __future__ import annotations

import pytest

from extractor.paragraphs import find_label, source_of

from .builders import layout


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
