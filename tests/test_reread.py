"""The second reading of doubtful words in page images (parsers/ocr/reread.py): italic runs found by
their slant and sheared upright, lines with a barely read word; the better reading kept."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw

from extractor.parsers import ocr
from extractor.parsers.ocr import OcrWord, names, recognition, reread
from extractor.parsers.ocr import tesseract as tesseract_engine

from .conftest import CORPUS

LINE_HEIGHT = 40
SLANT = 0.2  # an italic face's lean: 0.2 px right per px up


def _word(text: str, left: int, top: int, right: int, line: int, confidence: float = 90.0) -> OcrWord:
    return OcrWord(text=text, confidence=confidence, left=left, top=top, right=right, bottom=top + LINE_HEIGHT,
                   line=(1, 1, line))


def _page(slants: list[list[float]]) -> tuple[Image.Image, list[OcrWord]]:
    """A page of "words" made of upright strokes, one text line per entry of ``slants``, each
    word leaning by its slant; and the words' boxes as OCR would give them."""
    image = Image.new("L", (1200, 120 * len(slants) + 60), 255)
    draw = ImageDraw.Draw(image)
    words = []
    for number, line in enumerate(slants, start=1):
        top = 60 + 120 * (number - 1)
        bottom = top + LINE_HEIGHT
        for position, slant in enumerate(line):
            left = 40 + 150 * position
            for stroke in range(5):
                x = left + 20 * stroke
                lean = slant * LINE_HEIGHT
                draw.polygon([(x, bottom), (x + 5, bottom), (x + 5 + lean, top), (x + lean, top)], fill=0)
            words.append(_word(f"w{number}{position}", left, top, left + 100 + int(slant * LINE_HEIGHT), number))
    return image, words


def test_italic_runs_are_found_per_line_with_their_slant() -> None:
    image, words = _page([[0, 0, 0, 0], [SLANT, SLANT, SLANT, 0], [0, SLANT, SLANT, 0, SLANT, SLANT, 0]])
    runs = reread.italic_runs(np.asarray(image) < 128, words)
    assert [[words[i].text for i in run.words] for run in runs] == [
        ["w20", "w21", "w22"],
        # Between italic words, an upright-looking one is part of the same italic phrase.
        ["w31", "w32", "w33", "w34", "w35"],
    ]
    assert all(run.slant == pytest.approx(SLANT) for run in runs)


def test_deslant_stands_leaning_strokes_upright() -> None:
    image, _ = _page([[SLANT]])
    crop = image.crop((0, 40, 300, 120))
    upright = reread.deslant(crop, SLANT)
    ink = np.asarray(upright) < 128
    columns = np.flatnonzero(ink.any(axis=0))
    # Five strokes 5 px wide: upright they cover about 25 columns, leaning about 65.
    assert len(columns) < 40 < len(np.flatnonzero((np.asarray(crop) < 128).any(axis=0)))


class FakeTesseract:
    """Reads the given words where the strip has ink (left to right, each 30 px wide, from the
    ink's middle), and counts its calls."""

    def __init__(self, *texts: str, confidence: float = 96.0, width: float = 30.0) -> None:
        self.texts, self.confidence, self.width, self.calls = texts, confidence, width, 0

    def __call__(self, strip: Image.Image) -> list[OcrWord]:
        self.calls += 1
        ink = np.asarray(strip) < 128
        rows, columns = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
        middle = (columns.min() + columns.max()) / 2
        return [OcrWord(text=text, confidence=self.confidence, left=middle - 40 + 40 * i, top=rows.min(),
                        right=middle - 40 + 40 * i + self.width, bottom=rows.max(), line=(1, 1, 1))
                for i, text in enumerate(self.texts)]


def _texts(words: list[OcrWord]) -> list[str]:
    return [w.text for w in words]


@pytest.mark.parametrize(
    ("reread_as", "expected"),
    [
        ("8.1.1", "8.1.1"),  # same shape, one digit read differently, more confident: taken
        ("8.1.", "6.1.1"),  # a digit lost
        ("8.1.1,", "6.1.1"),  # punctuation added
        ("8.1 1", "6.1.1"),  # split in two
    ],
)
def test_italic_word_takes_only_a_reading_of_the_same_shape(reread_as: str, expected: str) -> None:
    image, words = _page([[SLANT, SLANT, SLANT]])
    words[1] = replace(words[1], text="6.1.1", confidence=75.0)
    tesseract = FakeTesseract(*reread_as.split(" "))
    out = reread.reread(image, words, tesseract)
    assert tesseract.calls == 1
    assert _texts(out) == ["w10", expected, "w12"]
    assert (out[1].confidence == 96.0) == (expected != "6.1.1")


@pytest.mark.parametrize(("confidence", "expected"), [(88.0, "năm"), (98.0, "nắm")])
def test_italic_word_keeps_the_more_confident_reading(confidence: float, expected: str) -> None:
    image, words = _page([[SLANT, SLANT]])
    words[0] = replace(words[0], text="năm", confidence=96.0)
    tesseract = FakeTesseract("nắm", confidence=confidence)
    out = reread.reread(image, words, tesseract)
    assert tesseract.calls == 1 and _texts(out) == [expected, "w11"]


@pytest.mark.parametrize(
    ("reread_as", "confidence", "expected"),
    [
        ("II/2026", 76.0, "II/2026"),  # a letter more, far more confident: taken
        ("II/2026", 50.0, "I/2026"),  # not confident enough
        ("III/2026", 90.0, "I/2026"),  # two letters more: another word
        ("I-2026", 90.0, "I/2026"),  # other punctuation
    ],
)
def test_barely_read_word_is_read_again_on_its_line(reread_as: str, confidence: float, expected: str) -> None:
    image, words = _page([[0]])
    words[0] = replace(words[0], text="I/2026", confidence=36.0)
    tesseract = FakeTesseract(reread_as, confidence=confidence)
    assert _texts(reread.reread(image, words, tesseract)) == [expected]
    assert tesseract.calls == 1


def test_only_the_barely_read_word_of_an_upright_line_changes() -> None:
    image, words = _page([[0, 0, 0]])
    words[0] = replace(words[0], text="Bác", confidence=43.0)
    words[1] = replace(words[1], text="đo", confidence=90.0)

    def tesseract(strip: Image.Image) -> list[OcrWord]:
        # The strip holds the line as it stands, three words 150 px apart from its left margin.
        ink = np.asarray(strip) < 128
        rows, columns = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
        return [OcrWord(text=text, confidence=95.0, left=columns.min() + 150 * i, top=rows.min(),
                        right=columns.min() + 150 * i + 100, bottom=rows.max(), line=(1, 1, 1))
                for i, text in enumerate(("25", "đô", "w12"))]

    assert _texts(reread.reread(image, words, tesseract)) == ["25", "đo", "w12"]


def test_two_words_read_as_one_are_left_alone() -> None:
    image, words = _page([[0, 0]])
    words[0] = replace(words[0], text="l", confidence=40.0)
    words[1] = replace(words[1], text="à", confidence=90.0)

    def tesseract(strip: Image.Image) -> list[OcrWord]:
        ink = np.asarray(strip) < 128
        rows, columns = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
        return [OcrWord(text="là", confidence=80.0, left=columns.min(), top=rows.min(), right=columns.max(),
                        bottom=rows.max(), line=(1, 1, 1))]

    assert _texts(reread.reread(image, words, tesseract)) == ["l", "à"]


def test_failed_second_reading_keeps_the_first(monkeypatch: pytest.MonkeyPatch) -> None:
    image, words = _page([[SLANT, SLANT, SLANT]])

    def tesseract(image: Image.Image, dpi: float, timeout: float, *, psm: int = 3) -> list[OcrWord]:
        if psm == 3:
            return list(words)  # the page
        raise ocr.OcrError("OCR timed out after 60 s")  # the strip of words to read again

    monkeypatch.setattr(tesseract_engine, "_tesseract_words", tesseract)
    page = recognition._read(image, 300, 60, tables=False)
    assert [w.text for w in page.words] == ["w10", "w11", "w12"]


def test_upright_page_costs_no_second_reading() -> None:
    image, words = _page([[0, 0, 0], [0, 0]])
    tesseract = FakeTesseract("x")
    assert reread.reread(image, words, tesseract) == words and tesseract.calls == 0


def test_italic_criterion_heading_in_a_page_image_reads_its_number(tesseract: None) -> None:
    """The seed's third page as a 300 dpi image: its italic criterion headings hold "8.1.1" and
    "phân bổ", which Tesseract reads as "6.1.1" and "phân bồ" while they lean."""
    document = pdfium.PdfDocument(CORPUS / "rendered" / "pdf" / "bac-son-tb-cchc-2023.pdf")
    image = document[2].render(scale=300 / 72, grayscale=True).to_pil()
    text = ocr.recognise(image, 300).text
    assert "Tiêu chí thành phần 8.1.1 mức độ phát triển doanh nghiệp" in text
    assert "được phân bổ để thực hiện tự chủ" in text


# --- names read again as raw lines (parsers/ocr/names.py) ---------------------------------------

def _signature(name: str, confidence: float = 93.0) -> list[OcrWord]:
    """The recipients' last line and the signer's name read as one text line (two columns)."""
    words = [_word("-", 100, 900, 110, 7), _word("Lưu:", 120, 900, 200, 7), _word("VT.", 210, 900, 260, 7)]
    left = 900
    for part in name.split():
        words.append(_word(part, left, 900, left + 40 * len(part), 7, confidence))
        left += 40 * len(part) + 30
    return words


def _raw_reader(text: str, confidence: float = 93.0) -> Callable[[Image.Image], list[OcrWord]]:
    return lambda crop: [_word("_", 0, 5, 10, 1, 60.0)] + [
        _word(part, 20 + 100 * n, 5, 100 + 100 * n, 1, confidence) for n, part in enumerate(text.split())]


@pytest.mark.parametrize(("raw", "confidence", "expected"), [
    ("Hoàng Văn Thuân", 93.0, "Hoàng Văn Thuân"),  # only a tone mark differs, and it is sure: taken
    ("Hoàng Văn Thuân", 70.0, "Hoàng Văn Thuần"),  # not sure enough
    ("Hoàng VănThuân", 93.0, "Hoàng Văn Thuần"),  # split otherwise: no word-for-word second opinion
    ("Hoàng Văn Thuận", 60.0, "Hoàng Văn Thuần"),
    ("Hoàng Văn Thuấn", 93.0, "Hoàng Văn Thuấn"),
    ("Hoàng Văn Thuyên", 93.0, "Hoàng Văn Thuần"),  # other letters: not the same word
])
def test_a_name_read_again_as_a_raw_line_keeps_its_letters(raw: str, confidence: float, expected: str) -> None:
    words = _signature("Hoàng Văn Thuần")
    assert [[words[i].text for i in run] for run in names.name_lines(words)] == [["Hoàng", "Văn", "Thuần"]]
    out = names.reread_names(Image.new("L", (2000, 1200), 255), words, _raw_reader(raw, confidence))
    assert " ".join(w.text for w in out[3:]) == expected
    assert [w.text for w in out[:3]] == ["-", "Lưu:", "VT."]


def test_lines_that_are_no_name_are_not_read_again() -> None:
    words = [_word("Sở", 100, 100, 150, 1), _word("Công", 160, 100, 250, 1), _word("Thương", 260, 100, 400, 1),
             _word("chủ", 410, 100, 480, 1), _word("trì", 490, 100, 540, 1),
             _word("Ngày", 100, 200, 200, 2), _word("15/5/2026", 210, 200, 400, 2)]
    assert [[words[i].text for i in run] for run in names.name_lines(words)] == [["Sở", "Công", "Thương"]]
    assert names.name_lines(words[5:]) == []
