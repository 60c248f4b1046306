"""Unit names (shared knowledge): where a name ends, enumerations, names with commas."""

from __future__ import annotations

import pytest

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
