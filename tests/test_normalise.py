"""Normalise: one spelling to match on, the same length so offsets hold."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from extractor.vntext import clean_line, fold


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
