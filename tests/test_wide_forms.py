"""Forms that documents of every issuer take in the wild (issue: real notices from any issuer):
portal lines before the letterhead, Markdown exports, flattened headers, Party number lines,
damaged mottos. Each test builds its own small document; none copies a corpus file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from extractor import extract_file
from extractor.errors import NotANoticeError


def write(tmp_path: Path, text: str, name: str = "doc.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_portal_lines_before_the_letterhead_are_left_out(tmp_path: Path) -> None:
    path = write(tmp_path, "\n".join([
        "Hệ thống pháp luật",
        "Đang tải nội dung, vui lòng chờ giây lát...",
        "Lượt xem: 1234",
        "",
        "BỘ XÂY DỰNG",
        "-------",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 215/BXD-QLN",
        "V/v rà soát quỹ nhà ở",
        "Hà Nội, ngày 07 tháng 3 năm 2024",
        "Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.",
        "Đề nghị Ủy ban nhân dân các tỉnh, thành phố rà soát quỹ nhà ở, báo cáo Bộ Xây dựng trước ngày 30/4/2024./.",
    ]))
    record = extract_file(path)
    n = record.notice
    assert (n.number, n.symbol, n.place, str(n.issued_date), n.doc_type) == ("215", "BXD-QLN", "Hà Nội", "2024-03-07", "Công văn")
    assert n.issuer == "BỘ XÂY DỰNG"
    assert len(record.tasks) == 1 and "Đang tải" not in record.tasks[0].text


def test_markdown_export_with_a_header_table_and_an_incoming_stamp(tmp_path: Path) -> None:
    path = write(tmp_path, "\n".join([
        "# CÔNG VĂN SỐ 88/BTC-QLCS",
        "",
        "| **BỘ TÀI CHÍNH** <br><br> Số: 88 /BTC-QLCS <br> V/v báo cáo tài sản công | "
        "**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM** <br> **Độc lập - Tự do - Hạnh phúc** <br><br> *Hà Nội, ngày 02 tháng 10 năm 2025* |",
        "| :--- | :--- |",
        "",
        "> **SỞ TÀI CHÍNH**  ",
        "> **ĐẾN** Số: 512  ",
        "> Ngày: 05/10/2025  ",
        "",
        "**Kính gửi:** Sở Tài chính các tỉnh, thành phố.",
        "",
        "Đề nghị Sở Tài chính các tỉnh, thành phố báo cáo tình hình quản lý tài sản công trước ngày 31/10/2025./.",
    ]), name="letter.md")
    n = extract_file(path).notice
    assert (n.number, n.symbol, n.place, str(n.issued_date)) == ("88", "BTC-QLCS", "Hà Nội", "2025-10-02")
    assert n.subject == "báo cáo tài sản công"


def test_flattened_header_gives_the_place_name_only(tmp_path: Path) -> None:
    path = write(tmp_path, "\n".join([
        "ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "TỈNH ĐẮK NÔNG\tĐộc lập - Tự do - Hạnh phúc",
        "Số: /KH-UBND Đắk Nông, ngày tháng 4 năm 2025",
        "KẾ HOẠCH",
        "Triển khai công tác phòng cháy năm 2025",
        "I. TỔ CHỨC THỰC HIỆN",
        "1. Công an tỉnh chủ trì kiểm tra công tác phòng cháy tại các chợ.",
    ]))
    n = extract_file(path).notice
    assert (n.number, n.symbol, n.place, n.issued_date, n.doc_type) == (None, "KH-UBND", "Đắk Nông", None, "Kế hoạch")


@pytest.mark.parametrize(("line", "number", "symbol"), [
    ("Số 12-TB/TU", "12", "TB/TU"),
    ("Số           -TB/BCĐ", None, "TB/BCĐ"),
    ("Số: 59/1999/QĐ-UB", "59", "QĐ-UB"),
    ("Nghị quyết số: 110/2023/QH15", "110", "QH15"),
    ("Số:42582 /BTC - TCT", "42582", "BTC-TCT"),
])
def test_number_lines_of_every_form(tmp_path: Path, line: str, number: str | None, symbol: str) -> None:
    path = write(tmp_path, "\n".join([
        "TỈNH ỦY GIA LAI", "*", "ĐẢNG CỘNG SẢN VIỆT NAM", line, "Gia Lai, ngày 03 tháng 6 năm 2025", "THÔNG BÁO",
        "Kết luận của Thường trực Tỉnh ủy", "Thường trực Tỉnh ủy kết luận như sau:",
        "1. Ban Tuyên giáo Tỉnh ủy chủ trì tổng kết công tác tuyên truyền.",
    ]))
    n = extract_file(path).notice
    assert (n.number, n.symbol) == (number, symbol)


def test_damaged_motto_is_enough_not_to_refuse(tmp_path: Path) -> None:
    """OCR loses diacritics and spaces; the document is still a document."""
    path = write(tmp_path, "CONG HOA XA HOI CH.Ủ NGHIA VIET NAM\nDoc lap - Tu do - Hanh phuc\n\nBẢN ĐÁNH GIÁ\n"
                           "Việc thực hiện chính sách trong năm qua đạt kết quả tích cực.\n")
    record = extract_file(path)
    assert record.tasks == [] and any(w.code == "no_tasks" for w in record.warnings)


def test_text_without_any_mark_of_a_document_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "Bản tin thuế tháng 2\nChính sách thuế đối với hàng hóa khuyến mại được cập nhật.\n")
    with pytest.raises(NotANoticeError):
        extract_file(path)


def test_a_portal_citation_line_identifies_a_partial_copy(tmp_path: Path) -> None:
    path = write(tmp_path, "Ý KIẾN CHỈ ĐẠO\nUBND tỉnh có ý kiến như sau:\n"
                           "Giao Sở Xây dựng chủ trì, hoàn thành trước ngày 15/12/2023./.\n"
                           "(Theo Công văn số 6110/UBND-KT, ngày 23/11/2023)\n")
    record = extract_file(path)
    n = record.notice
    assert (n.doc_type, n.number, n.symbol, str(n.issued_date)) == ("Công văn", "6110", "UBND-KT", "2023-11-23")
    assert [d.date for t in record.tasks for d in t.deadlines] == [dt.date(2023, 12, 15)]


@pytest.mark.parametrize(("glued", "spaced"), [
    ("Kínhgửi: Bộ Tài chính", "Kính gửi: Bộ Tài chính"),
    ("ngày 05tháng 4 năm2020", "ngày 05 tháng 4 năm 2020"),
    ("Phó Thủ tướng HoàngTrung Hải", "Phó Thủ tướng Hoàng Trung Hải"),
    ("VIỆT NAMĐộc lập", "VIỆT NAM Độc lập"),
    ("Bộ Văn hóa, Thể thaovà Du lịch", "Bộ Văn hóa, Thể thao và Du lịch"),
    # Words and names stay: acronyms, symbols, rare syllables, ASCII (English, or lost diacritics).
    ("HĐND QĐ-UBND TTg QyĐ BGDĐT-KHCNTT CTr", "HĐND QĐ-UBND TTg QyĐ BGDĐT-KHCNTT CTr"),
    ("Hoàng Văn Thuân, Tằng Loỏng, nguoi, Darussalam, COVID-19", "Hoàng Văn Thuân, Tằng Loỏng, nguoi, Darussalam, COVID-19"),
])
def test_words_glued_by_web_copies_are_spaced(glued: str, spaced: str) -> None:
    from extractor.vntext import unglue

    assert unglue(glued) == spaced


def test_a_list_distributed_over_its_head(tmp_path: Path) -> None:
    path = write(tmp_path, "\n".join([
        "VĂN PHÒNG CHÍNH PHỦ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 100/VPCP-KTTH", "Hà Nội, ngày 02 tháng 3 năm 2020",
        "Kính gửi: Các Bộ: Tài chính, Giao thông vận tải.",
        "Xét đề nghị của Ủy ban nhân dân tỉnh Bình Định, Phó Thủ tướng giao các Bộ: Tài chính, Giao thông vận tải, "
        "Nông nghiệp và Phát triển nông thôn xem xét, xử lý theo thẩm quyền, trả lời địa phương trước ngày 30/3/2020.",
        "Văn phòng Chính phủ xin thông báo để các cơ quan biết, thực hiện./.",
    ]))
    tasks = extract_file(path).tasks
    assert [list(t.responsible_units) for t in tasks] == [
        ["Bộ Tài chính", "Bộ Giao thông vận tải", "Bộ Nông nghiệp và Phát triển nông thôn"]]


def test_work_assigned_to_posts_and_through_an_introducing_item(tmp_path: Path) -> None:
    path = write(tmp_path, "\n".join([
        "TỈNH ỦY NINH BÌNH", "BAN CHỈ ĐẠO", "*", "ĐẢNG CỘNG SẢN VIỆT NAM", "Số 05-TB/BCĐ", "Ninh Bình, ngày 02 tháng 4 năm 2025",
        "THÔNG BÁO", "Phân công nhiệm vụ thành viên Ban Chỉ đạo",
        "- Căn cứ Quyết định số 10-QĐ/TU ngày 01/3/2025 của Ban Thường vụ Tỉnh ủy;",
        "Ban Chỉ đạo phân công nhiệm vụ cho các thành viên như sau:",
        "1. Đồng chí Giám đốc Sở Y tế, Thành viên Ban Chỉ đạo: Theo dõi công tác y tế cơ sở.",
        "2. Về công tác tuyên truyền: Giao Sở Văn hóa, Thể thao và Du lịch chủ trì, có trách nhiệm:",
        "- Xây dựng kế hoạch tuyên truyền năm 2025.",
    ]))
    tasks = extract_file(path).tasks
    assert [list(t.responsible_units) for t in tasks] == [["Giám đốc Sở Y tế"], ["Sở Văn hóa, Thể thao và Du lịch"]]


def test_guidance_letter_items_go_to_those_it_guides(tmp_path: Path) -> None:
    """"Bộ … hướng dẫn các cơ sở đào tạo … như sau:" hands its items to the guided; a heading
    "Nội dung triển khai" holds tasks like any other; incoming stamps stay in the header."""
    path = write(tmp_path, "\n".join([
        "BỘ Y TẾ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 512/BYT-KCB", "V/v cập nhật dữ liệu khám bệnh",
        "Hà Nội, ngày 10 tháng 3 năm 2026",
        "> **BỆNH VIỆN ĐA KHOA TỈNH**", "> **ĐẾN** Số: 77", "> Ngày: 12/3/2026", "> Chuyển: ......",
        "Kính gửi: Các cơ sở khám bệnh, chữa bệnh.",
        "Để bảo đảm dữ liệu đầy đủ, Bộ Y tế hướng dẫn các cơ sở khám bệnh, chữa bệnh thực hiện như sau:",
        "### 1. Nội dung triển khai",
        "- Rà soát, chuẩn hóa dữ liệu khám bệnh trước ngày 30/4/2026.",
        "- Cập nhật mã định danh người bệnh trên hệ thống.",
        "Bộ Y tế trân trọng cảm ơn./.",
    ]))
    record = extract_file(path)
    assert [(t.text.split()[1], t.responsible_units) for t in record.tasks] == [
        ("Rà", ["các cơ sở khám bệnh, chữa bệnh"]), ("Cập", ["các cơ sở khám bệnh, chữa bệnh"])]
    assert str(record.notice.issued_date) == "2026-03-10" and record.notice.number == "512"


def test_decision_articles_that_issue_or_approve_are_no_tasks(tmp_path: Path) -> None:
    path = write(tmp_path, "\n".join([
        "ỦY BAN NHÂN DÂN", "TỈNH PHÚ THỌ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 45/QĐ-UBND",
        "Phú Thọ, ngày 05 tháng 01 năm 2026", "QUYẾT ĐỊNH", "Phê duyệt Kế hoạch chuyển đổi số năm 2026",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ", "Căn cứ Luật Tổ chức chính quyền địa phương;", "QUYẾT ĐỊNH:",
        "Điều 1. Phê duyệt kèm theo Quyết định này Kế hoạch chuyển đổi số năm 2026.",
        "Điều 2. Giao Sở Khoa học và Công nghệ chủ trì, hướng dẫn, kiểm tra việc thực hiện Kế hoạch.",
        "Điều 3. Quyết định này có hiệu lực kể từ ngày ký.",
    ]))
    record = extract_file(path)
    assert [t.responsible_units for t in record.tasks] == [["Sở Khoa học và Công nghệ"]]
    assert record.notice.subject == "Phê duyệt Kế hoạch chuyển đổi số năm 2026"


def test_plan_items_described_by_who_carries_them_out(tmp_path: Path) -> None:
    """Under a plan's "II. NỘI DUNG", an item with "Cơ quan chủ trì:" is a task; "Thời gian thực
    hiện" is no unit; OCR's "- a)" and two attributes on one line are read."""
    path = write(tmp_path, "\n".join([
        "ỦY BAN NHÂN DÂN", "THÀNH PHỐ HUẾ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 88/KH-UBND",
        "Huế, ngày 02 tháng 6 năm 2025", "KẾ HOẠCH", "Thực hiện công tác dân vận năm 2025",
        "II. NỘI DUNG",
        "1. Rà soát các văn bản về công tác dân vận của thành phố.",
        "- a) Cơ quan chủ trì: Sở Nội vụ",
        "b) Cơ quan phối hợp: Các sở, ngành",
        "c) Thời gian thực hiện: Năm 2025",
        "2. Tổ chức tập huấn cho cán bộ làm công tác dân vận.",
        "a) Cơ quan thực hiện: Sở Tư pháp b) Thời gian thực hiện: Quý III",
    ]))
    record = extract_file(path)
    assert [t.responsible_units for t in record.tasks] == [["Sở Nội vụ"], ["Sở Tư pháp"]]


def test_a_conclusions_assessment_item_before_its_tasks_heading_is_no_task(tmp_path: Path) -> None:
    path = write(tmp_path, "\n".join([
        "VĂN PHÒNG CHÍNH PHỦ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 300/TB-VPCP", "Hà Nội, ngày 10 tháng 6 năm 2025",
        "THÔNG BÁO", "Kết luận của Phó Thủ tướng tại buổi kiểm tra dự án",
        "Sau khi nghe báo cáo của các bộ, địa phương, Phó Thủ tướng kết luận như sau:",
        "1. Dự án có ý nghĩa quan trọng; thời gian qua các địa phương đã nỗ lực, khối lượng thi công đạt khoảng 60% "
        "so với kế hoạch, nhiều gói thầu vượt tiến độ.",
        "2. Nhiệm vụ cần triển khai trong thời gian tới",
        "a) Bộ Xây dựng chủ trì, đôn đốc các chủ đầu tư hoàn thành gói thầu trước ngày 30/9/2025.",
        "b) Ủy ban nhân dân các tỉnh hoàn thành giải phóng mặt bằng trong tháng 7/2025.",
    ]))
    tasks = extract_file(path).tasks
    assert [t.responsible_units for t in tasks] == [["Bộ Xây dựng"], ["Ủy ban nhân dân các tỉnh"]]


def test_those_asked_go_on_after_a_semicolon_until_the_verb(tmp_path: Path) -> None:
    path = write(tmp_path, "\n".join([
        "ỦY BAN NHÂN DÂN", "TỈNH KHÁNH HÒA", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 77/UBND-NC",
        "Khánh Hòa, ngày 04 tháng 6 năm 2025", "Kính gửi: Các sở, ngành liên quan.",
        "Yêu cầu Giám đốc các Sở: Tư pháp, Xây dựng; Chủ tịch UBND thành phố Nha Trang khẩn trương tổ chức kiểm "
        "điểm, báo cáo trước ngày 30/6/2025; Sở Nội vụ tổng hợp.",
    ]))
    tasks = extract_file(path).tasks
    assert tasks[0].responsible_units[:3] == ["Sở Tư pháp", "Sở Xây dựng", "Chủ tịch UBND thành phố Nha Trang"]


@pytest.mark.parametrize(("header", "issuer"), [
    # The motto flattened onto the issuer's line, its tone on the last vowel (the older "HOÀ").
    (["BỘ TÀI CHÍNH CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"], "BỘ TÀI CHÍNH"),
    # The rule drawn under the issuer, and OCR's specks around it, are no part of its name.
    (["QUỐC HỘI ******** CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"], "QUỐC HỘI"),
    (["6“ BỘ TÀI CHÍNH CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "D", "Độc lập - Tự do - Hạnh phúc"], "BỘ TÀI CHÍNH"),
    (["BỘ KHOA HỌC VÀ CÔNG NGHỆ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "—====E====E Độc lập - Tự do - Hạnh phúc"],
     "BỘ KHOA HỌC VÀ CÔNG NGHỆ"),
    # A name wrapped after one word still joins it.
    (["ỦY BAN NHÂN", "DÂN", "TỈNH QUẢNG BÌNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], "ỦY BAN NHÂN DÂN TỈNH QUẢNG BÌNH"),
])
def test_the_issuer_is_the_bodys_name_only(tmp_path: Path, header: list[str], issuer: str) -> None:
    body = ["Số: 12/BC-TEST", "Hà Nội, ngày 5 tháng 3 năm 2024", "Kính gửi: Ủy ban nhân dân các tỉnh",
            "Đề nghị Ủy ban nhân dân các tỉnh báo cáo kết quả trước ngày 30/3/2024.", "Nơi nhận:", "- Như trên;"]
    record = extract_file(write(tmp_path, "\n".join([*header, *body])))
    assert record.notice.issuer == issuer
