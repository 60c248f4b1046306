"""DOCX backend: reading order, tables, list numbering, pages, hostile input, corpus round trip."""

from __future__ import annotations

import collections
import difflib
import importlib.util
import io
import struct
import sys
import time
import warnings
import zipfile
from pathlib import Path

import docx
import pytest

from extractor.errors import InputError
from extractor.parsers import ooxml, parse_file
from extractor.parsers.base import Block, ParsedDocument
from extractor.parsers.docx import DocxParser
from extractor.parsers.docx import body as docx_body
from extractor.parsers.docx.numbering import format_number
from extractor.parsers.txt import TextParser
from extractor.tablevocab import is_header_row

ROOT = Path(__file__).resolve().parent.parent
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
NS = f'xmlns:w="{W_NS}" xmlns:mc="{MC_NS}"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# --- fixture builders -----------------------------------------------------------------------
def package(
    body: str = "",
    *,
    numbering: str | None = None,
    styles: str | None = None,
    document: str | None = None,
    extra: dict[str, str | bytes] | None = None,
) -> bytes:
    """A minimal but complete DOCX zip written by hand, so every XML detail is under control."""
    rels = [f'<Relationship Id="rId1" Type="{REL}/styles" Target="styles.xml"/>']
    if numbering is not None:
        rels.append(f'<Relationship Id="rId2" Type="{REL}/numbering" Target="numbering.xml"/>')
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "_rels/.rels": f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
        f'Type="{REL}/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/_rels/document.xml.rels": f'<Relationships xmlns="{PKG_REL}">{"".join(rels)}</Relationships>',
        "word/document.xml": document or f"<w:document {NS}><w:body>{body}</w:body></w:document>",
        "word/styles.xml": styles or f"<w:styles {NS}/>",
    }
    if numbering is not None:
        parts["word/numbering.xml"] = numbering
    parts.update(extra or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def p(text: str = "", *, num: int | None = None, ilvl: int | None = None, style: str | None = None,
      runs: str | None = None, ppr: str = "") -> str:
    num_pr = ""
    if num is not None or ilvl is not None:
        num_pr = "<w:numPr>"
        num_pr += f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else ""
        num_pr += f'<w:numId w:val="{num}"/>' if num is not None else ""
        num_pr += "</w:numPr>"
    style_xml = f'<w:pStyle w:val="{style}"/>' if style else ""
    content = runs if runs is not None else f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'
    return f"<w:p><w:pPr>{style_xml}{num_pr}{ppr}</w:pPr>{content}</w:p>"


def lvl(ilvl: int, fmt: str, text: str, *, start: int = 1, extra: str = "") -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>')


def numbering(abstracts: dict[int, str], nums: dict[int, int | tuple[int, str]]) -> str:
    """``abstracts``: id -> levels XML; ``nums``: numId -> abstract id, or (abstract id, overrides XML)."""
    xml = "".join(f'<w:abstractNum w:abstractNumId="{a}">{levels}</w:abstractNum>' for a, levels in abstracts.items())
    for num_id, target in nums.items():
        abstract, overrides = target if isinstance(target, tuple) else (target, "")
        xml += f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/>{overrides}</w:num>'
    return f"<w:numbering {NS}>{xml}</w:numbering>"


def cell(*paragraphs: str, tcpr: str = "") -> str:
    return f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{''.join(paragraphs) or p()}</w:tc>"


def row(*cells: str) -> str:
    return f"<w:tr>{''.join(cells)}</w:tr>"


def table(*rows: str) -> str:
    return f"<w:tbl><w:tblPr/>{''.join(rows)}</w:tbl>"


def parse(data: bytes) -> ParsedDocument:
    return DocxParser().parse(Path("fixture.docx"), data)


def texts(data: bytes) -> list[str]:
    return [b.text for b in parse(data).blocks]


def refused(data: bytes) -> str:
    with pytest.raises(InputError) as caught:
        parse(data)
    message = str(caught.value)
    assert "\n" not in message
    return message


# --- reading order and run text ---------------------------------------------------------------
def test_paragraphs_and_tables_in_document_order_without_headers_or_footers(tmp_path: Path) -> None:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "HEADER TEXT"
    document.sections[0].footer.paragraphs[0].text = "Trang 1"
    document.add_paragraph("Đoạn một")
    grid = document.add_table(rows=1, cols=2)
    grid.cell(0, 0).text = "Trái"
    grid.cell(0, 1).text = "Phải"
    document.add_paragraph("Đoạn hai")
    path = tmp_path / "order.docx"
    document.save(path)
    parsed = parse_file(path)
    assert parsed.format == "docx"
    assert [b.text for b in parsed.blocks] == ["Đoạn một", "Trái", "Phải", "Đoạn hai"]
    assert all(b.kind == "paragraph" for b in parsed.blocks)
    assert parsed.pages == 1 and {b.page for b in parsed.blocks} == {1}
    assert len(parsed.sha256) == 64


def test_run_text_includes_links_fields_and_insertions_but_not_deletions_or_hidden_text() -> None:
    runs = (
        '<w:r><w:t>Xem</w:t></w:r><w:r><w:tab/></w:r>'
        '<w:hyperlink w:anchor="x"><w:r><w:t>liên kết</w:t></w:r></w:hyperlink>'
        '<w:r><w:t xml:space="preserve"> trang </w:t></w:r>'
        '<w:fldSimple w:instr="PAGE"><w:r><w:t>3</w:t></w:r></w:fldSimple>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>DATE \\@ "d/M"</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>, 5/6</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:del w:id="1" w:author="a"><w:r><w:delText>XÓA</w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="a"><w:r><w:t> thêm</w:t></w:r></w:ins>'
        '<w:r><w:rPr><w:vanish/></w:rPr><w:t>ẨN</w:t></w:r>'
        '<w:r><w:br/><w:t>dòng</w:t><w:noBreakHyphen/><w:t>mới</w:t></w:r>'
        '<w:sdt><w:sdtContent><w:r><w:t> (điều khiển)</w:t></w:r></w:sdtContent></w:sdt>'
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:t> A</w:t></mc:Choice>'
        '<mc:Fallback><w:t> B</w:t></mc:Fallback></mc:AlternateContent></w:r>'
        '<w:r><w:drawing><w:txbxContent><w:p><w:r><w:t>HỘP</w:t></w:r></w:p></w:txbxContent></w:drawing></w:r>'
    )
    assert texts(package(p(runs=runs))) == ["Xem liên kết trang 3, 5/6 thêm dòng-mới (điều khiển) A"]


def test_block_level_content_controls_are_read_and_empty_paragraphs_skipped() -> None:
    body = p("Trước") + p("") + f"<w:sdt><w:sdtContent>{p('Trong sdt')}</w:sdtContent></w:sdt>" + p("   ")
    assert texts(package(body)) == ["Trước", "Trong sdt"]


def test_document_without_text_is_refused() -> None:
    assert "no text" in refused(package(p("")))


def test_strict_ooxml_namespace_is_read() -> None:
    strict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
    document = f'<w:document xmlns:w="{strict}"><w:body><w:p><w:r><w:t>Strict</w:t></w:r></w:p></w:body></w:document>'
    assert texts(package(document=document)) == ["Strict"]


# --- pages --------------------------------------------------------------------------------------
def test_hard_page_break_splits_the_paragraph_and_counts_pages() -> None:
    runs = '<w:r><w:t>trang một</w:t><w:br w:type="page"/><w:t>trang hai</w:t></w:r>'
    parsed = parse(package(p("đầu") + p(runs=runs) + p("cuối")))
    assert [(b.text, b.page) for b in parsed.blocks] == [
        ("đầu", 1), ("trang một", 1), ("trang hai", 2), ("cuối", 2),
    ]
    assert parsed.pages == 2


def test_rendered_page_breaks_win_and_are_not_double_counted() -> None:
    # Word leaves a lastRenderedPageBreak after a hard break: that is one new page, not two.
    body = (
        p(runs='<w:r><w:t>một</w:t><w:br w:type="page"/></w:r>')
        + p(runs="<w:r><w:lastRenderedPageBreak/><w:t>hai</w:t></w:r>")
        + p(runs="<w:r><w:t>vẫn hai, rồi </w:t><w:lastRenderedPageBreak/><w:t>ba</w:t></w:r>")
        + p("ba")
    )
    parsed = parse(package(body))
    assert [(b.text, b.page) for b in parsed.blocks] == [("một", 1), ("hai", 2), ("vẫn hai, rồi ba", 2), ("ba", 3)]
    assert parsed.pages == 3


def test_section_breaks_and_page_break_before() -> None:
    # A section's w:type says how *it* starts, and it is written at the section's end.
    body = (
        p("một", ppr="<w:sectPr/>")  # ends section 1; section 2 is continuous: same page
        + p("vẫn một", ppr='<w:sectPr><w:type w:val="continuous"/></w:sectPr>')  # section 3: new page
        + p("hai")
        + p("ba", ppr="<w:pageBreakBefore/>")
        + "<w:sectPr/>"
    )
    parsed = parse(package(body))
    assert [(b.text, b.page) for b in parsed.blocks] == [("một", 1), ("vẫn một", 1), ("hai", 2), ("ba", 3)]
    assert parsed.pages == 3


# --- layout tables ------------------------------------------------------------------------------
def test_two_row_letterhead_reads_issuer_motto_number_date() -> None:
    letterhead = table(
        row(cell(p("UBND TỈNH LÀO CAI"), p("SỞ CÔNG THƯƠNG")),
            cell(p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), p("Độc lập - Tự do - Hạnh phúc"))),
        row(cell(p("Số: 12/SCT-CN"), p("V/v báo cáo")), cell(p("Lào Cai, ngày 3 tháng 4 năm 2026"))),
    )
    parsed = parse(package(letterhead + p("Kính gửi: Các đơn vị")))
    assert [b.text for b in parsed.blocks] == [
        "UBND TỈNH LÀO CAI", "SỞ CÔNG THƯƠNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", "Số: 12/SCT-CN", "V/v báo cáo", "Lào Cai, ngày 3 tháng 4 năm 2026",
        "Kính gửi: Các đơn vị",
    ]
    assert {b.kind for b in parsed.blocks} == {"paragraph"}


def test_letterhead_spread_over_rows_keeps_issuer_and_motto_together() -> None:
    # As in the corpus originals: one line per row, issuer and motto lines interleaved by row.
    letterhead = table(
        row(cell(p("UBND TỈNH LÀO CAI")), cell(p("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"))),
        row(cell(p("SỞ CÔNG THƯƠNG")), cell(p("Độc lập – Tự do – Hạnh phúc"))),
        row(cell(p("Số: /SCT-CN")), cell(p("Lào Cai, ngày  tháng 4 năm 2026"))),
    )
    assert texts(package(letterhead)) == [
        "UBND TỈNH LÀO CAI", "SỞ CÔNG THƯƠNG", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập – Tự do – Hạnh phúc", "Số: /SCT-CN", "Lào Cai, ngày  tháng 4 năm 2026",
    ]


def test_signature_box_is_flattened_left_then_right_with_nested_tables() -> None:
    nested = table(row(cell(p("(đã ký)"))))
    box = table(row(
        cell(p("Nơi nhận:"), p("- Như trên;"), p("- Các cơ quan chuyên môn;"), p("- Lưu: VT.")),
        cell(p("KT. GIÁM ĐỐC"), p("PHÓ GIÁM ĐỐC"), nested, p("Hoàng Văn Thuân")),
    ))
    assert texts(package(box)) == [
        "Nơi nhận:", "- Như trên;", "- Các cơ quan chuyên môn;", "- Lưu: VT.",
        "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "(đã ký)", "Hoàng Văn Thuân",
    ]


# --- data tables --------------------------------------------------------------------------------
def test_data_table_rows_with_merged_cells_and_nested_table() -> None:
    span2 = '<w:gridSpan w:val="2"/>'
    grid = table(
        row(cell(p("PHỤ LỤC NHIỆM VỤ"), tcpr='<w:gridSpan w:val="4"/>')),  # caption row
        row(cell(p("STT")), cell(p("Nội dung")), cell(p("Đơn vị chủ trì")), cell(p("Thời hạn"))),
        row(cell(p("1")), cell(p("Rà soát"), p("quy hoạch")), cell(p("Sở Công Thương"), tcpr='<w:vMerge w:val="restart"/>'),
            cell(p("Quý III"))),
        row(cell(p("2")), cell(p("Kiểm tra")), cell(tcpr="<w:vMerge/>"), cell(p("Quý IV"))),
        row(cell(p("3")), cell(p("Báo cáo tổng hợp"), tcpr=span2), cell(table(row(cell(p("Hằng")), cell(p("tháng")))))),
        row(cell(), cell(), cell(), cell()),  # an empty row says nothing
    )
    blocks = parse(package(grid)).blocks
    assert [b.cells for b in blocks] == [
        ("PHỤ LỤC NHIỆM VỤ",),
        ("STT", "Nội dung", "Đơn vị chủ trì", "Thời hạn"),
        ("1", "Rà soát quy hoạch", "Sở Công Thương", "Quý III"),
        ("2", "Kiểm tra", "Sở Công Thương", "Quý IV"),  # vertical merge: the value above repeats
        ("3", "Báo cáo tổng hợp", "Hằng tháng"),  # a spanned cell appears once
    ]
    assert all(b.kind == "table_row" and b.text == " | ".join(b.cells) for b in blocks)


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["STT", "Nội dung công việc", "Thời gian"], True),
        (["TT", "Tên nhiệm vụ", "Ghi chú"], True),
        (["Số TT", "Họ và tên"], True),
        (["UBND TỈNH LÀO CAI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], False),
        (["Số: 12/UBND", "Lào Cai, ngày 3 tháng 4 năm 2026"], False),
        (["Nơi nhận: - Như trên; - Các cơ quan, đơn vị liên quan; - Thời gian lưu trữ: VT.", "KT. CHỦ TỊCH"], False),
    ],
)
def test_header_row_recognition(cells: list[str], expected: bool) -> None:
    assert is_header_row(cells) is expected


# --- numbering ----------------------------------------------------------------------------------
def labelled(body: str, numbering_xml: str, styles: str | None = None) -> list[tuple[str | None, str]]:
    return [(b.list_label, b.text) for b in parse(package(body, numbering=numbering_xml, styles=styles)).blocks]


def test_multilevel_decimal_and_letters_restart_under_each_parent() -> None:
    levels = lvl(0, "decimal", "%1.") + lvl(1, "decimal", "%1.%2.") + lvl(2, "lowerLetter", "%3)")
    body = "".join(p(t, num=1, ilvl=i) for t, i in [
        ("A", 0), ("B", 1), ("C", 1), ("D", 2), ("E", 2), ("F", 0), ("G", 1), ("H", 2),
    ]) + p("thường") + p("I", num=1, ilvl=0)
    assert labelled(body, numbering({0: levels}, {1: 0})) == [
        ("1.", "1. A"), ("1.1.", "1.1. B"), ("1.2.", "1.2. C"), ("a)", "a) D"), ("b)", "b) E"),
        ("2.", "2. F"), ("2.1.", "2.1. G"), ("a)", "a) H"), (None, "thường"), ("3.", "3. I"),
    ]


def test_letters_follow_words_latin_sequence_not_vietnamese() -> None:
    body = "".join(p(str(i), num=1) for i in range(6))
    labels = [label for label, _ in labelled(body, numbering({0: lvl(0, "lowerLetter", "%1)")}, {1: 0}))]
    assert labels == ["a)", "b)", "c)", "d)", "e)", "f)"]  # Word shows e) where Vietnamese writes đ)


@pytest.mark.parametrize(
    ("fmt", "text", "start", "expected"),
    [
        ("upperRoman", "%1.", 1, ["I.", "II.", "III."]),
        ("lowerRoman", "(%1)", 4, ["(iv)", "(v)", "(vi)"]),
        ("decimalZero", "%1.", 9, ["09.", "10.", "11."]),
        ("upperLetter", "%1.", 25, ["Y.", "Z.", "AA."]),
        ("decimal", "Điều %1.", 1, ["Điều 1.", "Điều 2.", "Điều 3."]),
        ("bullet", "\uf0b7", 1, ["-", "-", "-"]),
        ("bullet", "•", 1, ["-", "-", "-"]),
        ("bullet", "+", 1, ["+", "+", "+"]),
        ("bullet", "", 1, [None, None, None]),
        ("none", "", 1, [None, None, None]),
        ("ordinalText", "%1.", 1, ["1.", "2.", "3."]),  # unknown formats fall back to decimal
        ("lowerRoman", "%1.", 999_999, ["999999.", "1000000.", "1000001."]),  # hostile start: bounded
    ],
)
def test_number_formats(fmt: str, text: str, start: int, expected: list[str | None]) -> None:
    body = "".join(p(f"x{i}", num=1) for i in range(3))
    labels = [label for label, _ in labelled(body, numbering({0: lvl(0, fmt, text, start=start)}, {1: 0}))]
    assert labels == expected


@pytest.mark.parametrize(
    ("n", "fmt", "expected"),
    [(4, "lowerLetter", "d"), (5, "lowerLetter", "e"), (27, "lowerLetter", "aa"), (1994, "upperRoman", "MCMXCIV"),
     (3, "decimalZero", "03"), (0, "lowerLetter", "0"), (10**6, "upperLetter", "1000000"), (7, "none", "")],
)
def test_format_number(n: int, fmt: str, expected: str) -> None:
    assert format_number(n, fmt) == expected


def test_legal_numbering_shows_arabic_numbers() -> None:
    levels = lvl(0, "upperRoman", "%1.") + lvl(1, "decimal", "%1.%2.", extra="<w:isLgl/>")
    plain = lvl(0, "upperRoman", "%1.") + lvl(1, "decimal", "%1.%2.")
    body = p("a", num=1, ilvl=0) + p("b", num=1, ilvl=1) + p("c", num=2, ilvl=0) + p("d", num=2, ilvl=1)
    labels = [label for label, _ in labelled(body, numbering({0: levels, 1: plain}, {1: 0, 2: 1}))]
    assert labels == ["I.", "1.1.", "I.", "I.1."]


def test_start_override_restarts_and_num_instances_share_their_abstract_list() -> None:
    restart = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
    from_five = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride>'
    nums = {1: 0, 2: 0, 3: (0, restart), 4: (0, from_five)}
    body = "".join(p(t, num=n) for t, n in [("a", 1), ("b", 1), ("c", 2), ("d", 3), ("e", 3), ("f", 4), ("g", 4)])
    labels = [label for label, _ in labelled(body, numbering({0: lvl(0, "decimal", "%1.")}, nums))]
    # numId 2 has no override: it continues the list of numId 1 (same abstract list), as Word does.
    assert labels == ["1.", "2.", "3.", "1.", "2.", "5.", "6."]


def test_numid_zero_and_unknown_ids_are_unnumbered() -> None:
    styles = (f'<w:styles {NS}><w:style w:type="paragraph" w:styleId="List"><w:pPr><w:numPr>'
              '<w:numId w:val="1"/></w:numPr></w:pPr></w:style></w:styles>')
    body = p("theo kiểu", style="List") + p("tắt", style="List", num=0) + p("lạ", num=99)
    assert labelled(body, numbering({0: lvl(0, "decimal", "%1.")}, {1: 0}), styles) == [
        ("1.", "1. theo kiểu"), (None, "tắt"), (None, "lạ"),
    ]


def test_style_linked_lists_follow_based_on_chains_and_level_styles() -> None:
    styles = (
        f'<w:styles {NS}>'
        '<w:style w:type="paragraph" w:styleId="Heading1"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="Heading2"><w:basedOn w:val="Heading1"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Custom"><w:basedOn w:val="Heading2"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Loop"><w:basedOn w:val="Loop"/></w:style>'
        "</w:styles>"
    )
    levels = lvl(0, "upperRoman", "%1.", extra='<w:pStyle w:val="Heading1"/>') + lvl(
        1, "decimal", "%2.", extra='<w:pStyle w:val="Heading2"/>'
    )
    body = p("Mục", style="Heading1") + p("Tiểu mục", style="Heading2") + p("Kế", style="Custom") + p("Vòng", style="Loop")
    assert labelled(body, numbering({0: levels}, {1: 0}), styles) == [
        ("I.", "I. Mục"), ("1.", "1. Tiểu mục"), ("2.", "2. Kế"), (None, "Vòng"),
    ]  # "Custom" inherits Heading2's list and, through it, Heading2's level


def test_lvl_restart_zero_never_restarts_and_level_overrides_apply() -> None:
    levels = lvl(0, "decimal", "%1.") + lvl(1, "lowerLetter", "%2)", extra='<w:lvlRestart w:val="0"/>')
    override = '<w:lvlOverride w:ilvl="0">' + lvl(0, "upperRoman", "%1.") + "</w:lvlOverride>"
    body = "".join(p(t, num=1, ilvl=i) for t, i in [("a", 0), ("b", 1), ("c", 0), ("d", 1)]) + p("e", num=2)
    labels = [label for label, _ in labelled(body, numbering({0: levels}, {1: 0, 2: (0, override)}))]
    assert labels == ["1.", "a)", "2.", "b)", "III."]


def test_num_style_link_uses_the_linked_list_and_its_counters() -> None:
    styles = (f'<w:styles {NS}><w:style w:type="numbering" w:styleId="Outline"><w:pPr><w:numPr>'
              '<w:numId w:val="5"/></w:numPr></w:pPr></w:style></w:styles>')
    xml = numbering(
        {10: '<w:numStyleLink w:val="Outline"/>', 11: '<w:styleLink w:val="Outline"/>' + lvl(0, "decimal", "%1.")},
        {5: 11, 6: 10},
    )
    labels = [label for label, _ in labelled(p("a", num=6) + p("b", num=5) + p("c", num=6), xml, styles)]
    assert labels == ["1.", "2.", "3."]


def test_numbered_paragraphs_inside_tables_count_too() -> None:
    grid = table(row(cell(p("một", num=1)), cell(p("hai", num=1))))
    body = grid + p("ba", num=1)
    assert [label for label, _ in labelled(body, numbering({0: lvl(0, "decimal", "%1.")}, {1: 0}))] == ["1.", "2.", "3."]


def test_custom_zero_padded_format_from_alternate_content() -> None:
    fmt = (f'<mc:AlternateContent {NS}><mc:Choice Requires="w14"><w:numFmt w:val="custom" w:format="001, 002, 003, ..."/>'
           '</mc:Choice><mc:Fallback><w:numFmt w:val="decimal"/></mc:Fallback></mc:AlternateContent>')
    levels = f'<w:lvl w:ilvl="0"><w:start w:val="1"/>{fmt}<w:lvlText w:val="%1."/></w:lvl>'
    body = p("a", num=1) + p("b", num=1)
    assert [label for label, _ in labelled(body, numbering({0: levels}, {1: 0}))] == ["001.", "002."]


# --- hostile and broken input -----------------------------------------------------------------
def _patch_zip(data: bytes, name: str, *, size: int | None = None, flags: int | None = None) -> bytes:
    """Rewrite a member's declared uncompressed size and/or flag bits in both zip headers."""
    out = bytearray(data)
    encoded = name.encode()
    for signature, size_at, flag_at, name_len_at, header in ((b"PK\x03\x04", 22, 6, 26, 30),
                                                              (b"PK\x01\x02", 24, 8, 28, 46)):
        start = 0
        while (start := out.find(signature, start)) != -1:
            name_len = struct.unpack_from("<H", out, start + name_len_at)[0]
            if out[start + header:start + header + name_len] == encoded:
                if size is not None:
                    struct.pack_into("<I", out, start + size_at, size)
                if flags is not None:
                    struct.pack_into("<H", out, start + flag_at, flags)
            start += 4
    return bytes(out)


def test_not_a_zip_truncated_zip_and_corrupt_xml() -> None:
    good = package(p("xin chào"))
    assert refused(b"hello, not a zip at all").startswith("corrupt DOCX")
    assert refused(good[: len(good) // 2]).startswith("corrupt DOCX")
    broken = package(document=f"<w:document {NS}><w:body><w:p>")
    assert refused(broken).startswith("corrupt DOCX: word/document.xml is not well-formed XML")


def test_zip_without_a_word_document() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert refused(buffer.getvalue()).startswith("not a Word document")
    assert refused(package(document="<other/>")).startswith("not a Word document")


def test_encrypted_docx_and_legacy_doc_are_explained(tmp_path: Path) -> None:
    ole = OLE_MAGIC + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le")
    assert refused(ole) == "encrypted DOCX or legacy .doc (Word 97-2003) file; save it as .docx"
    for name in ("secret.docx", "old.doc"):  # content sniffing routes both to the DOCX backend
        path = tmp_path / name
        path.write_bytes(ole)
        with pytest.raises(InputError, match=r"legacy \.doc"):
            parse_file(path)


def test_password_protected_zip_member() -> None:
    data = _patch_zip(package(p("x")), "word/document.xml", flags=0x1)
    assert "encrypted" in refused(data)


def test_deflate_bomb_refused_from_declared_sizes() -> None:
    data = _patch_zip(package(p("x")), "word/document.xml", size=150 * 2**20)
    assert "zip bomb" in refused(data)


def test_deflate_bomb_refused_by_compression_ratio() -> None:
    data = package(p("x"), extra={"word/media/zeros.bin": b"\0" * (3 * 2**20)})
    assert "compresses" in refused(data)


def test_total_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ooxml, "MAX_RATIO", 10**9)
    data = package(p("x"), extra={f"word/media/{i}.bin": b"y" for i in range(3)})
    for i in range(3):
        data = _patch_zip(data, f"word/media/{i}.bin", size=90 * 2**20)
    assert "would inflate to 270 MiB" in refused(data)


def test_lying_size_header_is_not_trusted() -> None:
    body = "".join(p("nội dung " * 50) for _ in range(200))
    data = _patch_zip(package(body), "word/document.xml", size=1000)
    started = time.perf_counter()
    assert refused(data).startswith(("corrupt DOCX", "DOCX part"))
    assert time.perf_counter() - started < 1


def test_reading_stops_at_the_cap_whatever_the_header_says(monkeypatch: pytest.MonkeyPatch) -> None:
    archive = zipfile.ZipFile(io.BytesIO(package("".join(p("chữ " * 100) for _ in range(50)))))
    monkeypatch.setattr(ooxml, "MAX_PART_BYTES", 2000)
    with pytest.raises(InputError, match="inflates past"):
        ooxml.read_member(archive, "word/document.xml")


def test_member_count_and_duplicate_names() -> None:
    many = package(p("x"), extra={f"customXml/item{i}.xml": "<a/>" for i in range(ooxml.MAX_MEMBERS)})
    assert "zip entries" in refused(many)
    buffer = io.BytesIO(package(p("x")))
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "a") as archive:
        warnings.simplefilter("ignore")
        archive.writestr("word/document.xml", f"<w:document {NS}><w:body>{p('khác')}</w:body></w:document>")
    assert "duplicate" in refused(buffer.getvalue())


def test_tables_nested_absurdly_deep_are_refused() -> None:
    nested = p("đáy")
    for _ in range(docx_body.MAX_TABLE_DEPTH + 5):
        nested = table(row(cell(nested)))
    assert "nested more than" in refused(package(nested))


def test_sniffing_claims_docx_zips_and_ole_files() -> None:
    parser = DocxParser()
    assert parser.sniff(package(p("x"))[:8192])
    assert parser.sniff(OLE_MAGIC + b"\0" * 100)
    assert not parser.sniff(b"%PDF-1.7") and not parser.sniff(b"PK\x03\x04 plain zip")


def test_alt_chunks_are_skipped_with_a_warning() -> None:
    parsed = parse(package(p("văn bản") + '<w:altChunk xmlns:r="x" r:id="rId9"/>'))
    assert [b.text for b in parsed.blocks] == ["văn bản"]
    assert [w.code for w in parsed.warnings] == ["foreign_content_skipped"]


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a0 "ha">'
    + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    + f']><w:document {NS}><w:body><w:p><w:r><w:t>&a9;</w:t></w:r></w:p></w:body></w:document>'
)
XXE = (
    '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    f"<w:document {NS}><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"
)
EXTERNAL_DTD = (
    '<?xml version="1.0"?><!-- a comment first --><!DOCTYPE w:document SYSTEM "file:///etc/passwd">'
    f"<w:document {NS}><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>"
)


@pytest.mark.parametrize("document", [BILLION_LAUGHS, XXE, EXTERNAL_DTD], ids=["billion-laughs", "xxe", "external-dtd"])
def test_any_dtd_in_the_document_is_refused(document: str) -> None:
    started = time.perf_counter()
    message = refused(package(document=document))
    assert "declares a DTD" in message and "root:" not in message
    assert time.perf_counter() - started < 1


def test_dtd_in_other_parts_and_utf16_parts_is_refused() -> None:
    hostile_styles = XXE.replace("w:document", "w:styles").replace("<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body>", "")
    numbering_xml = numbering({0: lvl(0, "decimal", "%1.")}, {1: 0})
    assert "word/styles.xml declares a DTD" in refused(package(p("x"), numbering=numbering_xml, styles=hostile_styles))
    hostile_rels = f'<!DOCTYPE r [<!ENTITY e "x">]><Relationships xmlns="{PKG_REL}"/>'
    assert "_rels/.rels declares a DTD" in refused(package(p("x"), extra={"_rels/.rels": hostile_rels}))
    utf16 = ("\ufeff" + XXE.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')).encode("utf-16-le")
    assert "declares a DTD" in refused(package(extra={"word/document.xml": utf16}))


def test_relationship_targets_outside_the_package_are_ignored() -> None:
    rels = (f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
            'Target="../../etc/passwd"/></Relationships>')
    assert texts(package(p("vẫn đọc được"), extra={"_rels/.rels": rels})) == ["vẫn đọc được"]


# --- the corpus ---------------------------------------------------------------------------------
def _load_renderer():  # a module loaded from its path
    spec = importlib.util.spec_from_file_location("render_docx", ROOT / "scripts" / "render_docx.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


CORPUS_TEXTS = sorted(p for p in (ROOT / "corpus" / "txt").glob("*.txt") if "mojibake" not in p.name)
ORIGINALS = sorted((ROOT / "corpus" / "originals").glob("*.docx"))
LETTERHEAD_LINES = 12  # the two-column letterhead may reorder lines within this many


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _item(block: Block) -> str | tuple[str, ...]:
    """A line's collapsed text, or a table row's collapsed cells (a tuple, so that a row never
    equals a line that happens to read the same)."""
    if block.kind == "table_row":
        return tuple(_collapse(cell) for cell in block.cells)
    return _collapse(block.text)


def _text_lines(path: Path) -> list[str | tuple[str, ...]]:
    blocks = TextParser().parse(path, path.read_bytes()).blocks
    return [_item(b) for b in blocks if b.kind == "table_row" or b.text.strip().strip("|").strip()]


@pytest.mark.parametrize("txt", CORPUS_TEXTS, ids=lambda path: path.stem)
def test_rendered_corpus_keeps_every_line(txt: Path) -> None:
    """Every line of the TXT backend's reading comes back from the rendered DOCX, and every task
    table row comes back as a table row with the same cells, in the same order."""
    rendered = ROOT / "corpus" / "rendered" / "docx" / f"{txt.stem}.docx"
    assert rendered.is_file(), "run scripts/render_docx.py"
    expected = _text_lines(txt)
    got = [_item(b) for b in parse(rendered.read_bytes()).blocks]
    expected_rows = [item for item in expected if isinstance(item, tuple)]
    assert [item for item in got if isinstance(item, tuple)] == expected_rows, "table rows differ"
    assert collections.Counter(got) == collections.Counter(expected)
    matcher = difflib.SequenceMatcher(None, expected, got, autojunk=False)
    for op, start, stop, _, _ in matcher.get_opcodes():
        assert op == "equal" or stop <= LETTERHEAD_LINES, f"lines {start}-{stop} out of order: {expected[start:stop]}"


def test_rendered_corpus_uses_real_word_numbering_and_is_up_to_date() -> None:
    renderer = _load_renderer()
    labels: collections.Counter[str] = collections.Counter()
    for txt in CORPUS_TEXTS:
        rendered = (ROOT / "corpus" / "rendered" / "docx" / f"{txt.stem}.docx").read_bytes()
        assert renderer.render(renderer.read_lines(txt)) == rendered, f"{txt.name}: re-run scripts/render_docx.py"
        labels.update(b.list_label for b in parse(rendered).blocks if b.list_label)
    assert labels["1."] and labels["1.1."] and labels["a)"] and labels["b)"] and labels["-"] and labels["I."]
    # "đ)" cannot come from Word numbering: lists that use it stay literal text.
    bac_son = parse((ROOT / "corpus" / "rendered" / "docx" / "bac-son-tb-cchc-2023.docx").read_bytes())
    assert any(b.text.startswith("đ) ") and b.list_label is None for b in bac_son.blocks)


@pytest.mark.parametrize("original", ORIGINALS, ids=lambda path: path.stem)
def test_original_docx_matches_its_text_and_reads_the_letterhead_in_order(original: Path) -> None:
    parsed = parse(original.read_bytes())
    tokens = [t for b in parsed.blocks for t in b.text.split() if t != "|"]
    expected = [t for t in (ROOT / "corpus" / "txt" / f"{original.stem}.txt").read_text().split() if t != "|"]
    assert collections.Counter(tokens) == collections.Counter(expected)
    head = [b.text for b in parsed.blocks[:8]]
    motto = next(i for i, t in enumerate(head) if "CỘNG H" in t.upper())
    assert "Độc lập" in head[motto + 1]  # the motto's two lines are never split by the issuer
    assert parsed.pages and parsed.pages >= 1
