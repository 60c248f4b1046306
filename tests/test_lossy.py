"""Lossy but readable: what a damaged file still holds is read, and a warning says what was
lost (issue: nothing lost, nothing stuck)."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from extractor import extract_file

from .conftest import CORPUS, ROOT

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
    assert any(w.code == "numbering_missing" and "word/numbering.xml" in w.message for w in record.warnings)
    assert not any(w.code == "numbering_missing" for w in extract_file(DOCX).warnings)


def test_pdf_page_with_a_damaged_content_stream_is_named(tmp_path: Path) -> None:
    data = bytearray(PDF.read_bytes())
    second_stream = list(re.finditer(rb"stream\r?\n", bytes(data)))[1].end()
    data[second_stream + 50:second_stream + 90] = b"A" * 40  # the deflated bytes of page 2's content
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(bytes(data))
    record = extract_file(damaged)
    assert 0 < len(record.tasks) < len(extract_file(PDF).tasks)
    assert [w.pages for w in record.warnings if w.code == "page_blank"] == [[2]]


BOMB_CHILD = """
import resource, sys
from extractor.runners.common import process_file
result = process_file(sys.argv[1])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, result.stage or "ok")
"""


@pytest.mark.parametrize("mode", ["RGBA", "I;16"])
def test_image_bombs_stay_under_a_gigabyte(tmp_path: Path, mode: str, tesseract: None) -> None:
    """A few hundred KB of PNG that decodes to 85 megapixels: RGBA (4 bytes a pixel) or 16-bit
    grey. Read band by band into 8-bit grey, the whole document stays under 1 GB."""
    import numpy as np
    from PIL import Image

    path = tmp_path / f"bomb-{mode.replace(';', '')}.png"
    if mode == "RGBA":
        Image.new("RGBA", (9000, 9500), (255, 255, 255, 255)).save(path)
    else:
        Image.fromarray(np.full((9500, 9000), 65535, dtype=np.uint16)).save(path)
    assert path.stat().st_size < 1_000_000
    done = subprocess.run([sys.executable, "-c", BOMB_CHILD, str(path)], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)
    peak_kib, outcome = done.stdout.split()
    assert int(peak_kib) < 1024 * 1024, f"peak RSS {int(peak_kib) // 1024} MiB"
    assert outcome == "parse"  # blank: "no text found in the image", a clean failure
