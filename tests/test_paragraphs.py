"""Paragraphs: labels, wrapped lines rejoined, offsets into the text and back to the blocks."""

from __future__ import annotations

import pytest

from extractor.normalise import normalise
from extractor.paragraphs import Layout, build_layout, find_label, source_of
from extractor.parsers.base import Block, ParsedDocument

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


def _laid_out(*lines: tuple[str, float, float]) -> Layout:
    """Lines of a laid-out page: (text, indent, short_by) in points."""
    blocks = tuple(Block(text=text, page=1, kind="line", indent=indent, short_by=short) for text, indent, short in lines)
    return build_layout(normalise(ParsedDocument(path="t.pdf", format="pdf", sha256="0" * 64, pages=1, blocks=blocks)))


INDENTED = (  # Nghị định 30: first lines set in by about 1 cm (28 pt); a body line fills its line
    ("Sở Công Thương đề nghị các chủ đầu tư nghiêm túc triển khai thực hiện.", 28.0, 0.3),
    ("Khó khăn, vướng mắc phản ánh kịp thời về Sở Công Thương để được hướng dẫn.", 0.0, 60.0),
    ("Các chủ đầu tư báo cáo kết quả thực hiện về Sở Công Thương trước ngày 30 hằng tháng,", 28.0, 0.5),
    ("tổng hợp kết quả báo cáo Ủy ban nhân dân tỉnh.", 0.0, 200.0),
    ("Thủ trưởng các đơn vị chịu trách nhiệm thực hiện nội dung trên.", 28.0, 150.0),
)


def test_a_sentence_that_fills_its_line_goes_on_where_paragraphs_are_set_in() -> None:
    texts = [p.text for p in _laid_out(*INDENTED).paragraphs]
    assert texts == [INDENTED[0][0] + " " + INDENTED[1][0], INDENTED[2][0] + " " + INDENTED[3][0], INDENTED[4][0]]


def test_without_set_in_first_lines_a_new_sentence_on_a_new_line_is_a_new_paragraph() -> None:
    flush = tuple((text, 0.0, short) for text, _, short in INDENTED)  # block paragraphs: nothing set in
    assert len(_laid_out(*flush).paragraphs) == 4
    short = ((INDENTED[0][0], 28.0, 90.0), *INDENTED[1:])  # the sentence stopped well short of the edge
    assert len(_laid_out(*short).paragraphs) == 4


def test_a_rendered_pdf_keeps_the_texts_paragraphs_where_a_sentence_ends_at_a_line_end() -> None:
    """"… triển khai thực hiện." fills its line in the PDF and "Khó khăn, vướng mắc …" goes on
    at the margin: one paragraph, as in the text (the PDF read them as two, and a task more)."""
    from extractor import extract_file

    from .conftest import CORPUS

    name = "laocai-cv-sct-don-doc-tien-do-ha-tang-ccn"
    pdf, txt = extract_file(CORPUS / "rendered" / "pdf" / f"{name}.pdf"), extract_file(CORPUS / "txt" / f"{name}.txt")
    assert [(t.section, t.text) for t in pdf.tasks] == [(t.section, t.text) for t in txt.tasks]
