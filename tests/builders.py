"""Small documents built in code, for the tests of single stages."""

from __future__ import annotations

from extractor.normalise import normalise
from extractor.paragraphs import Layout, build_layout
from extractor.parsers.base import Block, ParsedDocument


def doc(*lines: str, kind: str = "line") -> ParsedDocument:
    return ParsedDocument(path="t.txt", format="txt", sha256="0" * 64, pages=None,
                          blocks=tuple(Block(text=x, page=1, kind=kind) for x in lines))


def layout(*lines: str, kind: str = "line") -> Layout:
    return build_layout(normalise(doc(*lines, kind=kind)))


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
