"""Lossy but readable: what a damaged file still holds is read, and a warning says what was
lost (issue: nothing lost, nothing stuck)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from extractor import extract_file

from .conftest import CORPUS

DOCX = CORPUS / "rendered" / "docx" / "bac-son-tb-cchc-2023.docx"
PDF = CORPUS / "rendered" / "pdf" / "bac-son-tb-cchc-2023.pdf"


def test_docx_without_its_numbering_part_warns_that_list_numbers_are_lost(tmp_path: Path) -> None:
    damaged = tmp_path / "nonum.docx"
    with zipfile.ZipFile(DOCX) as source, zipfile.ZipFile(damaged, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "word/numbering.xml":
                target.writestr(info, source.read(info))
    record = extract_file(damaged)
    assert record.tasks  # what the text says is still read
    assert any("word/numbering.xml" in w.message and "list numbers are lost" in w.message for w in record.warnings)
    assert not any("numbering" in w.message for w in extract_file(DOCX).warnings)


def test_pdf_page_with_a_damaged_content_stream_is_named(tmp_path: Path) -> None:
    data = bytearray(PDF.read_bytes())
    second_stream = list(re.finditer(rb"stream\r?\n", bytes(data)))[1].end()
    data[second_stream + 50:second_stream + 90] = b"A" * 40  # the deflated bytes of page 2's content
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(bytes(data))
    record = extract_file(damaged)
    assert 0 < len(record.tasks) < len(extract_file(PDF).tasks)
    assert any(w.message.startswith("page(s) 2: no text (blank, damaged") for w in record.warnings)
