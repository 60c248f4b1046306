"""Images (PNG, JPEG, TIFF) read by OCR: end to end on a rendered corpus page, and bad input."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from extractor.errors import InputError
from extractor.parsers import ocr, parse_file

from .conftest import CORPUS

SEED_PDF = CORPUS / "rendered" / "pdf" / "bac-son-tb-cchc-2023.pdf"


def _page_images(count: int, dpi: int = 200) -> list[Image.Image]:
    document = pdfium.PdfDocument(SEED_PDF)
    return [document[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in range(count)]


def test_png_page_is_read_by_ocr(tmp_path: Path, tesseract: None) -> None:
    path = tmp_path / "page.png"
    _page_images(1)[0].save(path, dpi=(200, 200))
    doc = parse_file(path)
    text = "\n".join(b.text for b in doc.blocks)
    assert doc.format == "image" and doc.pages == 1 and doc.ocr_pages == (1,)
    assert "THÔNG BÁO" in text and "Kết luận của đồng chí" in text and "Bắc Sơn, ngày 24 tháng 10 năm 2023" in text
    assert doc.ocr_confidence is not None and doc.ocr_confidence > 80


def test_multipage_tiff_is_one_document_with_a_name_that_lies(tmp_path: Path, tesseract: None) -> None:
    first, second = _page_images(2)
    path = tmp_path / "scan.pdf"  # a TIFF under a .pdf name: the content decides
    first.save(path, format="TIFF", save_all=True, append_images=[second], dpi=(200, 200), compression="tiff_deflate")
    doc = parse_file(path)
    assert doc.format == "image" and doc.pages == 2 and doc.ocr_pages == (1, 2)
    assert {b.page for b in doc.blocks} == {1, 2}


def test_blank_image_is_refused(tmp_path: Path, tesseract: None) -> None:
    path = tmp_path / "blank.png"
    Image.new("L", (1700, 2200), 255).save(path)
    with pytest.raises(InputError, match=r"blank\.png: no text found in the image"):
        parse_file(path)


def test_truncated_image_is_refused(tmp_path: Path, tesseract: None) -> None:
    buffer = io.BytesIO()
    _page_images(1)[0].save(buffer, format="PNG")
    path = tmp_path / "cut.png"
    path.write_bytes(buffer.getvalue()[:5000])
    with pytest.raises(InputError, match=r"cut\.png: corrupt image"):
        parse_file(path)


def test_image_too_large_is_refused_before_decoding(tmp_path: Path, tesseract: None) -> None:
    """A PNG header claiming 50,000 x 50,000 pixels: refused from the header alone."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 50_000, 50_000, 8, 0, 0, 0, 0))
    path = tmp_path / "huge.png"
    path.write_bytes(header + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b""))
    with pytest.raises(InputError, match=r"huge\.png: image is too large to read"):
        parse_file(path)


def test_image_without_ocr_names_the_packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "unavailable_reason", lambda: "tesseract is not installed")
    path = tmp_path / "page.jpg"
    Image.new("L", (100, 100), 255).save(path)
    with pytest.raises(InputError) as caught:
        parse_file(path)
    assert str(caught.value) == (
        f"{path}: image files are read by OCR, which is unavailable here (tesseract is not installed); "
        "install tesseract-ocr and tesseract-ocr-vie to read it"
    )
