"""Unit names (shared knowledge): where a name ends, enumerations, names with commas."""

from __future__ import annotations

import pytest

from extractor.paragraphs import Paragraph, find_label
from extractor.steps.actors import actors_in_text, heading_units
from extractor.unitnames import expand_enumeration, mentions


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
    # A clause after a comma ends a group; a list goes on past a word that is also a verb.
    ("phối hợp với Sở Tư pháp và các cơ quan có liên quan, căn cứ Luật Tổ chức chính quyền địa phương, nghiên cứu",
     ["Sở Tư pháp", "các cơ quan có liên quan"]),
    ("Chủ tịch UBND các xã, phường và các tổ chức, cá nhân có liên quan thực hiện",
     ["Chủ tịch UBND các xã, phường", "các tổ chức, cá nhân có liên quan"]),
    # Asking ends the asker's name; "yêu cầu" before no unit is a noun, inside the name.
    ("Chủ tịch UBND tỉnh yêu cầu Thủ trưởng các Sở, ban, ngành", ["Chủ tịch UBND tỉnh", "Thủ trưởng các Sở, ban, ngành"]),
    ("các đơn vị đặt yêu cầu bài toán cụ thể", ["các đơn vị đặt yêu cầu bài toán cụ thể"]),
])
def test_unit_names_end_where_the_name_ends(text: str, names: list[str]) -> None:
    assert [m.name for m in mentions(text)] == names


@pytest.mark.parametrize(("text", "units"), [
    # Lào Cai (UBND tỉnh), the General Department of Taxation (Tổng cục Thuế): those asked act.
    ("Chủ tịch UBND tỉnh yêu cầu Thủ trưởng các Sở, ban, ngành của tỉnh, Chủ tịch UBND các xã, phường và các tổ "
     "chức, cá nhân có liên quan đến hoạt động khoáng sản trên địa bàn tỉnh nghiêm túc thực hiện.",
     ["Thủ trưởng các Sở, ban, ngành của tỉnh", "Chủ tịch UBND các xã, phường",
      "các tổ chức, cá nhân có liên quan đến hoạt động khoáng sản trên địa bàn tỉnh"]),
    ("Tổng cục Thuế đề nghị Cục Thuế các tỉnh, thành phố triển khai thực hiện.", ["Cục Thuế các tỉnh, thành phố"]),
])
def test_the_units_asked_act_not_the_one_that_asks(text: str, units: list[str]) -> None:
    assert actors_in_text(text).units == units


def test_a_heading_that_asks_names_those_asked() -> None:
    text = "3. Tổng cục Thuế đề nghị Cục Thuế các tỉnh, thành phố"
    heading = Paragraph(index=0, text=text, start=0, page=None, label=find_label(text))
    assert heading.body == text[3:] and heading_units(heading) == ("Cục Thuế các tỉnh, thành phố",)


def test_enumerations_expand() -> None:
    assert expand_enumeration("các Phòng: Nội vụ, Tư pháp)") == ["Phòng Nội vụ", "Phòng Tư pháp"]
    assert expand_enumeration("UBND các phường: Yên Bái, Văn Phú tăng cường") == ["UBND phường Yên Bái", "UBND phường Văn Phú"]
    assert expand_enumeration("Các Sở: Văn hóa, Thể thao và Du lịch, Y tế;") == ["Sở Văn hóa, Thể thao và Du lịch", "Sở Y tế"]


def test_names_with_commas_and_two_bodies() -> None:
    assert [m.name for m in mentions("Trung tâm Văn hóa, Thể thao và Truyền thông huyện.")] == [
        "Trung tâm Văn hóa, Thể thao và Truyền thông huyện"]
    assert [m.name for m in mentions("Sở Công Thương, Sở Tài chính và Sở Xây dựng")] == [
        "Sở Công Thương", "Sở Tài chính", "Sở Xây dựng"]
