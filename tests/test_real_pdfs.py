"""Real PDF files as offices send them (issue "Real notices from any issuer", family 9).

Each fixture is built at test time from the corpus, with pypdfium2, the way such files come
about: a scan under a hidden OCR layer (in English, or in Vietnamese), a notice whose second
page was scanned, blank back pages from a duplex scanner, a font whose ToUnicode map is wrong
for a few letters ("ng‡y", "th·ng"), and the signed originals whose number and date are drawn
by signature widgets. Nothing binary is committed.
"""

from __future__ import annotations

import ctypes
import io
import re
import shutil
import subprocess
import unicodedata
import zlib
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from extractor import extract_file
from extractor.models import NoticeRecord
from extractor.parsers.pdf import adapter as pdf_adapter

from .conftest import CORPUS

PDF = CORPUS / "rendered" / "pdf"
SCAN = CORPUS / "rendered" / "scan"
ORIGINALS = CORPUS / "originals"
CV_2496 = "laocai-cv-2496-ubnd-kt-giao-sct-gp-van-chuyen-hhnh"  # one page: number, date, one task
TWO_PAGES = "laocai-cv-sct-don-doc-tien-do-ha-tang-ccn"  # its tasks run over the page break
SIGNED = {  # stem -> (number, issued_date), as in ../shared/eval/dev
    "laocai-cv-193-ubnd-kt-quan-ly-vlncn": ("193", "2026-01-10"),
    CV_2496: ("2496", "2026-04-06"),
    "laocai-cv-7432-ubnd-xd-trien-khai-qd-1074-pccc": ("7432", "2026-07-21"),
}
FIRST_TASK = "Giao Sở Công Thương chủ trì, phối hợp với các cơ quan, đơn vị, địa phương triển khai"


# --- builders ---------------------------------------------------------------------------------
Word = tuple[str, float, float, float]  # text, x, baseline y (PDF user space), font size


def _save(document: pdfium.PdfDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _words(page: pdfium.PdfPage) -> list[Word]:
    """Every word of a page's text layer with where it starts: what an OCR layer places."""
    textpage = page.get_textpage()
    raw = textpage.raw
    x, y = ctypes.c_double(), ctypes.c_double()
    words: list[Word] = []
    current: list[tuple[str, float, float, float]] = []

    def flush() -> None:
        if current:
            words.append(("".join(c for c, *_ in current), *current[0][1:]))
            current.clear()

    for index in range(textpage.count_chars()):
        char = chr(pdfium_c.FPDFText_GetUnicode(raw, index) or 32)
        if char.isspace() or char == "\ufffe" or pdfium_c.FPDFText_IsGenerated(raw, index):
            flush()
            continue
        pdfium_c.FPDFText_GetCharOrigin(raw, index, ctypes.byref(x), ctypes.byref(y))
        if current and abs(y.value - current[-1][2]) > 1:
            flush()
        current.append((char, x.value, y.value, pdfium_c.FPDFText_GetFontSize(raw, index)))
    flush()
    textpage.close()
    return words


def _serif() -> Path:
    """Liberation Serif (fonts-liberation2, a system dependency): a TrueType font with every
    Vietnamese letter, embedded by pdfium with its ToUnicode map."""
    found = shutil.which("fc-match")
    path = Path(subprocess.run([found, "-f", "%{file}", "Liberation Serif"], capture_output=True, text=True).stdout
                ) if found else Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
    if not path.is_file() or "Liberation" not in path.name:
        pytest.skip("Liberation Serif is not installed (fonts-liberation2)")
    return path


class _Writer:
    """Text objects in one embedded TrueType font, drawn or invisible (render mode 3: what an
    OCR layer over a scan is)."""

    def __init__(self, document: pdfium.PdfDocument) -> None:
        data = _serif().read_bytes()
        self._data = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)  # pdfium reads it until saved
        self._document = document
        self._font = pdfium_c.FPDFText_LoadFont(document.raw, self._data, len(data), pdfium_c.FPDF_FONT_TRUETYPE, True)

    def write(self, page: pdfium.PdfPage, words: list[Word], *, invisible: bool) -> None:
        for text, x, y, size in words:
            obj = pdfium_c.FPDFPageObj_CreateTextObj(self._document.raw, self._font, ctypes.c_float(size))
            wide = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
            pdfium_c.FPDFText_SetText(obj, ctypes.cast(wide, pdfium_c.FPDF_WIDESTRING))
            if invisible:
                pdfium_c.FPDFTextObj_SetTextRenderMode(obj, pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE)
            pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
            pdfium_c.FPDFPage_InsertObject(page.raw, obj)
        assert pdfium_c.FPDFPage_GenerateContent(page.raw)


def english_ocr(word: str) -> str:
    """A Vietnamese word as an OCR engine for English leaves it: the letters without their marks
    (tesseract -l eng on the scan of CV 2496 reads "Uy ban nhan dan tinh nhan du¢c Van ban s6")."""
    decomposed = unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def scan_with_ocr_layer(stem: str, reading: Callable[[str], str]) -> bytes:
    """The scan of a notice under an invisible text layer: each word of its text rendering,
    as ``reading`` gives it, where the word is on the page."""
    scan = pdfium.PdfDocument((SCAN / f"{stem}.pdf").read_bytes())
    text = pdfium.PdfDocument((PDF / f"{stem}.pdf").read_bytes())
    writer = _Writer(scan)
    for index in range(len(scan)):
        writer.write(scan[index], [(reading(w), x, y, size) for w, x, y, size in _words(text[index])], invisible=True)
    return _save(scan)


def hybrid(stem: str, scanned: set[int]) -> bytes:
    """A notice whose pages in ``scanned`` (1-based) come from its scan, the others from its
    text rendering: a page printed, signed and scanned back in."""
    text = pdfium.PdfDocument((PDF / f"{stem}.pdf").read_bytes())
    scan = pdfium.PdfDocument((SCAN / f"{stem}.pdf").read_bytes())
    out = pdfium.PdfDocument.new()
    for index in range(len(text)):
        out.import_pages(scan if index + 1 in scanned else text, [index])
    return _save(out)


def with_empty_pages(data: bytes, positions: list[int]) -> bytes:
    """``data`` with an empty page put at each 0-based position of the original."""
    document = pdfium.PdfDocument(data)
    width, height = document[0].get_size()
    for position in sorted(positions, reverse=True):
        document.new_page(width, height, index=position)
    return _save(document)


def with_scanned_back(data: bytes) -> bytes:
    """``data`` with, after its page 1, that sheet's blank back as a duplex scanner leaves it:
    white paper, the front faintly showing through (mirrored), the sensor's noise."""
    import numpy as np
    from PIL import Image

    document = pdfium.PdfDocument(data)
    width, height = document[0].get_size()
    front = document[0].render(scale=200 / 72, grayscale=True).to_pil().convert("L")
    pixels = np.asarray(front.transpose(Image.Transpose.FLIP_LEFT_RIGHT), dtype=np.float32)
    pixels = 250 - (255 - pixels) * 0.05 + np.random.default_rng(9).normal(0, 2.0, pixels.shape)
    jpeg = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(jpeg, format="JPEG", quality=75)
    jpeg.seek(0)
    page = document.new_page(width, height, index=1)
    image = pdfium.PdfImage.new(document)
    image.load_jpeg(jpeg)
    image.set_matrix(pdfium.PdfMatrix().scale(width, height))
    page.insert_obj(image)
    page.gen_content()
    return _save(document)


def _cmap(text: str) -> dict[int, str]:
    """A ToUnicode CMap's code -> text, from its bfchar and bfrange entries."""
    found: dict[int, str] = {}

    def utf16(hexa: str) -> str:
        return bytes.fromhex(hexa).decode("utf-16-be")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for code, target in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            found[int(code, 16)] = utf16(target)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for low, high, target in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]+>)", block):
            start = int(low, 16)
            if target.startswith("["):
                for offset, each in enumerate(re.findall(r"<([0-9A-Fa-f]+)>", target)):
                    found[start + offset] = utf16(each)
            else:
                first = utf16(target[1:-1])
                for offset in range(int(high, 16) - start + 1):
                    found[start + offset] = first[:-1] + chr(ord(first[-1]) + offset)
    return found


def _cmap_stream(mapping: dict[int, str]) -> bytes:
    items = sorted(mapping.items())
    chunks = []
    for start in range(0, len(items), 100):
        part = items[start:start + 100]
        lines = "\n".join(f"<{code:04X}> <{target.encode('utf-16-be').hex().upper()}>" for code, target in part)
        chunks.append(f"{len(part)} beginbfchar\n{lines}\nendbfchar")
    return ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo\n<</Registry (Adobe)\n"
            "/Ordering (UCS)\n/Supplement 0\n>> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" + "\n".join(chunks)
            + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n").encode("ascii")


def retyped_with_wrong_map(stem: str, wrong: dict[str, str]) -> bytes:
    """The notice's text drawn in Liberation Serif, word by word where it stands, its ToUnicode
    map then made to give ``wrong``'s characters for some glyphs: the glyphs print right, the
    text layer says "ng‡y" for "ngày", as in files from provincial document systems."""
    source = pdfium.PdfDocument((PDF / f"{stem}.pdf").read_bytes())
    document = pdfium.PdfDocument.new()
    writer = _Writer(document)
    for index in range(len(source)):
        width, height = source[index].get_size()
        writer.write(document.new_page(width, height), _words(source[index]), invisible=False)
    data = _save(document)
    out, position = bytearray(), 0
    for match in re.finditer(rb"<</Filter/FlateDecode/Length (\d+)>>stream\r?\n", data):
        start, length = match.end(), int(match.group(1))
        try:
            plain = zlib.decompress(data[start:start + length]).decode("latin-1")
        except zlib.error:
            continue
        if "begincmap" in plain:
            stream = zlib.compress(_cmap_stream({c: wrong.get(t, t) for c, t in _cmap(plain).items()}))
            out += data[position:match.start()] + b"<</Filter/FlateDecode/Length %d>>stream\r\n" % len(stream) + stream
            position = start + length
    out += data[position:]
    return _save(pdfium.PdfDocument(bytes(out)))  # saved again: offsets and lengths made right


# --- helpers ----------------------------------------------------------------------------------
@pytest.fixture
def no_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine without Tesseract."""
    from extractor.parsers import ocr

    monkeypatch.setattr(ocr, "unavailable_reason", lambda: "tesseract is not installed")


def record_of(tmp_path: Path, data: bytes, name: str = "notice.pdf") -> NoticeRecord:
    path = tmp_path / name
    path.write_bytes(data)
    return extract_file(path)


def warned(record: NoticeRecord) -> list[tuple[str, list[int]]]:
    return [(w.code, list(w.pages)) for w in record.warnings]


def task_texts(record: NoticeRecord) -> list[str]:
    return [task.text for task in record.tasks]


# --- a) hidden OCR layers ---------------------------------------------------------------------
def test_a_scan_under_an_english_ocr_layer_is_read_by_ocr(tmp_path: Path, tesseract: None) -> None:
    """The layer is Vietnamese without its marks ("Uy ban nhan dan", "So: 2496"): the number
    and the task would be lost. The page is read as a scan, and a warning says why."""
    record = record_of(tmp_path, scan_with_ocr_layer(CV_2496, english_ocr))
    assert (record.notice.number, record.notice.symbol, str(record.notice.issued_date)) == ("2496", "UBND-KT", "2026-04-06")
    assert len(record.tasks) == 1 and record.tasks[0].text.startswith(FIRST_TASK)
    assert record.notice.source.ocr_pages == [1]
    assert warned(record) == [("text_layer_not_vietnamese", [1])]
    assert record.warnings[0].message.endswith("not Vietnamese (words without their marks: OCR in another "
                                               "language?); read by OCR instead")


def test_an_english_ocr_layer_without_ocr_is_read_with_a_warning(tmp_path: Path, no_ocr: None) -> None:
    """Without Tesseract the layer is all there is: read, and named as not Vietnamese."""
    record = record_of(tmp_path, scan_with_ocr_layer(CV_2496, english_ocr))
    assert warned(record)[0] == ("text_layer_not_vietnamese", [1])
    assert "only its text layer was read; install tesseract-ocr" in record.warnings[0].message
    assert record.notice.source.ocr_pages == []


def test_a_vietnamese_ocr_layer_is_the_text(tmp_path: Path, no_ocr: None) -> None:
    """A proper OCR layer in Vietnamese is read as the text: no OCR needed, nothing to warn."""
    record = record_of(tmp_path, scan_with_ocr_layer(CV_2496, lambda word: word))
    assert (record.notice.number, str(record.notice.issued_date)) == ("2496", "2026-04-06")
    assert len(record.tasks) == 1 and record.tasks[0].text.startswith(FIRST_TASK)
    assert record.notice.source.ocr_pages == [] and record.warnings == []


# --- b) hybrid files --------------------------------------------------------------------------
def test_a_notice_with_its_second_page_scanned_is_read_whole(tmp_path: Path, tesseract: None) -> None:
    record = record_of(tmp_path, hybrid(TWO_PAGES, {2}))
    assert record.notice.source.ocr_pages == [2]
    assert task_texts(record) == task_texts(extract_file(PDF / f"{TWO_PAGES}.pdf"))
    assert record.warnings == []


# --- c) blank back pages ----------------------------------------------------------------------
def test_empty_pages_between_and_after_change_no_task(tmp_path: Path) -> None:
    """What a clerk wants: the same tasks, and one warning that names the blank pages -- nothing
    more. A blank page is mostly a back page, but the extractor cannot tell it from a page that
    lost its content (a damaged content stream draws nothing: test_lossy), so it says which pages
    held nothing; a task running over a blank page is still one task."""
    original = (PDF / f"{TWO_PAGES}.pdf").read_bytes()
    record = record_of(tmp_path, with_empty_pages(original, [1, 2]))
    assert task_texts(record) == task_texts(extract_file(PDF / f"{TWO_PAGES}.pdf"))
    assert warned(record) == [("page_blank", [2, 4])]


def test_a_scanned_blank_back_page_is_blank_without_ocr() -> None:
    """A sheet scanned blank is an image, but an image without ink where text would be."""
    document = pdfium.PdfDocument(with_scanned_back((SCAN / f"{CV_2496}.pdf").read_bytes()))
    assert pdf_adapter.is_blank(document, 1)
    assert not pdf_adapter.is_blank(document, 0)
    last = pdfium.PdfDocument((SCAN / "laocai-cv-7432-ubnd-xd-trien-khai-qd-1074-pccc.pdf").read_bytes())
    assert not pdf_adapter.is_blank(last, 3)  # the corpus's emptiest page of text: a few lines


def test_a_duplex_scan_warns_of_its_blank_back_only(tmp_path: Path, tesseract: None) -> None:
    """Not "OCR failed" on the back page (what OCR makes of show-through): it is blank."""
    record = record_of(tmp_path, with_scanned_back((SCAN / f"{CV_2496}.pdf").read_bytes()))
    assert warned(record) == [("page_blank", [2])]
    assert record.notice.source.ocr_pages == [1]
    assert len(record.tasks) == 1 and record.tasks[0].text.startswith(FIRST_TASK)


# --- d) partial font-mapping errors -----------------------------------------------------------
WRONG = {"à": "\u2021", "á": "\u00b7"}  # "ng‡y", "th·ng": a few words a line


@pytest.fixture(scope="module")
def wrong_map() -> bytes:
    return retyped_with_wrong_map(CV_2496, WRONG)


def test_the_fixture_has_a_partly_wrong_text_layer(wrong_map: bytes) -> None:
    text = pdfium.PdfDocument(wrong_map)[0].get_textpage().get_text_range()
    assert "L\u2021o Cai, ng\u2021y 06 th\u00b7ng 4 năm 2026" in text
    assert "Sở Công Thương" in text


def test_a_partly_wrong_font_map_is_repaired(tmp_path: Path, wrong_map: bytes, tesseract: None) -> None:
    """The date line ("L‡o Cai, ng‡y 06 th·ng 4 năm 2026") is the one the notice cannot do
    without: the wrong glyphs are decoded with OCR's votes, and the text is as printed."""
    record = record_of(tmp_path, wrong_map)
    assert (record.notice.number, record.notice.symbol, str(record.notice.issued_date)) == ("2496", "UBND-KT", "2026-04-06")
    assert record.notice.place == "Lào Cai"
    assert len(record.tasks) == 1 and record.tasks[0].text.startswith(FIRST_TASK)
    assert not any(c in record.tasks[0].text for c in WRONG.values())
    assert warned(record) == [("text_layer_repaired", [1])]
    assert record.notice.source.ocr_pages == [1]


def test_a_partly_wrong_font_map_without_ocr_drops_its_lines_with_a_warning(tmp_path: Path, wrong_map: bytes,
                                                                            no_ocr: None) -> None:
    record = record_of(tmp_path, wrong_map)
    assert warned(record)[0] == ("lines_unreadable", [1])
    assert record.notice.source.ocr_pages == []


# --- e) signature widgets ---------------------------------------------------------------------
@pytest.mark.parametrize("stem", sorted(SIGNED))
def test_signed_originals_read_number_and_date_from_their_signature_widgets(stem: str) -> None:
    """In all three the number and the day (and month) are drawn by signature widgets, not in
    the text layer ("Số: /UBND-KT Lào Cai, ngày tháng năm 2026"): their appearances are
    flattened into the page before it is read."""
    document = pdfium.PdfDocument((ORIGINALS / f"{stem}.pdf").read_bytes())
    page = document[0]
    subtypes = {pdfium_c.FPDFAnnot_GetSubtype(pdfium_c.FPDFPage_GetAnnot(page.raw, i))
                for i in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw))}
    number, issued = SIGNED[stem]
    assert subtypes == {pdfium_c.FPDF_ANNOT_WIDGET}
    assert number not in page.get_textpage().get_text_range()  # not in the text layer
    record = extract_file(ORIGINALS / f"{stem}.pdf")
    assert (record.notice.number, str(record.notice.issued_date)) == (number, issued)
