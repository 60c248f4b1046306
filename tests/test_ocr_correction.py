"""The dictionary check of OCR'd words (parsers/ocr/correction.py): what it repairs and what it leaves alone."""

from __future__ import annotations

import pytest

from extractor.parsers import ocr
from extractor.parsers.ocr import OcrWord


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        ("đảm bảo an nỉnh trật tự", "đảm bảo an ninh trật tự"),  # no syllable: the spelling that makes a word
        ("CHỦ NGHIA XÃ HỘI", "CHỦ NGHĨA XÃ HỘI"),  # in a heading in capitals too
        ("Công ty Cổ phần DAP số 2", "Công ty Cổ phần DAP số 2"),  # capitals amid lower case: an acronym
        ("các xã, phường: Âu Lâu", "các xã, phường: Âu Lâu"),  # real syllables are not judged here
        ("ngày 15/4/2026", "ngày 15/4/2026"),
    ],
)
def test_correct_tokens(read: str, expected: str) -> None:
    assert " ".join(ocr.correct_tokens(read.split())) == expected


def _line(text: str, confidences: list[float], line: int = 1) -> list[OcrWord]:
    return [OcrWord(text=t, confidence=c, left=100 * i, top=50 * line, right=100 * i + 80, bottom=50 * line + 30,
                    line=(1, 1, line)) for i, (t, c) in enumerate(zip(text.split(), confidences, strict=True))]


def test_unsure_word_that_breaks_a_collocation_is_respelled() -> None:
    words = _line("có thấm quyền giải quyết", [96, 81, 95, 96, 96])
    assert [w.text for w in ocr.fix_unsure_collocations(words)] == ["có", "thẩm", "quyền", "giải", "quyết"]


def test_word_tesseract_is_sure_of_is_left_alone() -> None:
    # The text sample has "các phương" often and "các phường" never; Tesseract saw "phường".
    words = _line("UBND các phường: Âu Lâu", [96, 97, 97, 96, 96])
    assert [w.text for w in ocr.fix_unsure_collocations(words)] == ["UBND", "các", "phường:", "Âu", "Lâu"]


def test_collocation_reaches_across_a_line_break() -> None:
    words = _line("xử lý theo thẩm", [96, 96, 96, 96], line=1) + _line("quyên giải quyết", [75, 96, 96], line=2)
    fixed = ocr.fix_unsure_collocations(words)
    assert [w.text for w in fixed] == ["xử", "lý", "theo", "thẩm", "quyền", "giải", "quyết"]
    assert fixed[4].confidence == 75 and fixed[4].left == words[4].left  # Tesseract's box and confidence still
    # Another paragraph is not the same sentence.
    apart = words[:4] + [OcrWord(**{**{f: getattr(w, f) for f in OcrWord.__slots__}, "line": (1, 2, 1)}) for w in words[4:]]
    assert ocr.fix_unsure_collocations(apart)[4].text == "quyên"


def test_acronym_misread_once_takes_the_documents_spelling() -> None:
    reference = ["Giấy phép sử dụng VLNCN số 12"] * 3 + ["CHỦ TỊCH"] * 4
    assert ocr.fix_acronyms(["kho VLUNCN", "V. CHẾ ĐỘ BÁO CÁO"], reference) == [
        "kho VLNCN",
        "V. CHẾ ĐỘ BÁO CÁO",  # words in capitals are no acronyms: "CHẾ" is not a misread "CHỦ"
    ]


@pytest.mark.parametrize(
    ("read", "confidences", "expected"),
    [
        ("kiểm soát chặt chế khu vực", [96, 96, 97, 76, 96, 96], "kiểm soát chặt chẽ khu vực"),  # two marks off
        # A dictionary word is the only evidence for "chuyển đổi": it overrules a doubtful reading...
        ("lộ trình chuyển đối mô hình", [97, 97, 96, 70, 97, 96], "lộ trình chuyển đổi mô hình"),
        # ... not a fairly confident one ("địa bàn tỉnh", not the dictionary's "bàn tính").
        ("trên địa bàn tỉnh kịp thời", [97, 97, 97, 93, 97, 97], "trên địa bàn tỉnh kịp thời"),
        ("công nghiệp hóa", [96, 96, 80], "công nghiệp hóa"),  # "hoá" is the same word
    ],
)
def test_collocation_evidence_is_weighed_against_confidence(read: str, confidences: list[float], expected: str) -> None:
    assert " ".join(w.text for w in ocr.fix_unsure_collocations(_line(read, confidences))) == expected


def test_syllable_misread_for_a_document_acronym_takes_the_acronym() -> None:
    reference = ["cụm công nghiệp (CCN) Đông Phố Mới"] + ["các CCN trên địa bàn"] * 4
    assert ocr.fix_acronyms(["danh mục dự án trong CƠN để"], reference) == ["danh mục dự án trong CCN để"]


def test_syllable_in_a_heading_in_capitals_is_no_misread_acronym() -> None:
    reference = ["các CCN trên địa bàn"] * 4
    assert ocr.fix_acronyms(["DANH MỤC CƠN MƯA"], reference) == ["DANH MỤC CƠN MƯA"]


def test_words_across_a_wide_gap_are_not_one_phrase() -> None:
    # A table row read as one Tesseract line: "các" ends one cell, "phường" starts the next.
    far = OcrWord(text="phường", confidence=80, left=900, top=50, right=980, bottom=80, line=(1, 1, 1))
    words = [*_line("UBND các", [96, 96]), far]
    assert [w.text for w in ocr.fix_unsure_collocations(words)] == ["UBND", "các", "phường"]


@pytest.mark.parametrize(("read", "expected"), [
    # A term of public finance (data/terms.json), misread with confidence: nothing else corrects it.
    ("số đơn vị tự đảm bảo chỉ thường xuyên hoặc", "số đơn vị tự đảm bảo chi thường xuyên hoặc"),
    ("đẩy nhanh giải phóng mặt băng", "đẩy nhanh giải phóng mặt bằng"),
    # Too short to be unmistakable: "chỉ thường xuyên" is Vietnamese too.
    ("không chỉ thường xuyên kiểm tra", "không chỉ thường xuyên kiểm tra"),
])
def test_a_long_term_misread_takes_its_diacritics_whatever_the_confidence(read: str, expected: str) -> None:
    assert " ".join(ocr.correct_tokens(read.split())) == expected
