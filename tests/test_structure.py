"""Structure: header, body and closing; the section tree; which parts are directive."""

from __future__ import annotations

from extractor.structure import build_structure

from .builders import NOTICE, layout


def test_parts_and_directive_sections() -> None:
    s = build_structure(layout(*NOTICE))
    assert s.header[-1].text.startswith("Kết luận") and s.closing[0].text.startswith("UBND huyện thông báo")
    by_title = {n.paragraph.text[:14]: n for n in s.root.walk() if n.paragraph}
    assert not by_title["I. ĐÁNH GIÁ CH"].directive and by_title["II. NHIỆM VỤ T"].directive
    assert [c.label.text for c in by_title["1. Phòng Tài c"].children] == ["a)", "b)"]
