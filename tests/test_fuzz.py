"""What the fuzzers found stays fixed, and every fuzz target still runs (``make fuzz`` runs
them for longer; ``fuzz/fuzz_parsers.py`` says how)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.errors import ExtractionError
from extractor.parsers import parse_file

from .conftest import ROOT

FOUND = ROOT / "tests" / "data" / "fuzz"


@pytest.mark.parametrize("path", sorted(FOUND.iterdir()), ids=lambda p: p.name)
def test_fuzzer_findings_end_in_a_clean_error_or_a_reading(path: Path) -> None:
    """pdf-page-fails-to-load: pdfium refused a page while we asked whether it was blank
    (PdfiumError escaped); html-control-characters: lxml refused a control character while the
    page's furniture was removed (ValueError escaped); docx-zip-version: zipfile refused a zip
    format version it does not read (NotImplementedError escaped, reported as an internal error)."""
    try:
        parsed = parse_file(path)
    except ExtractionError:
        return
    assert parsed.blocks


@pytest.mark.skipif(importlib.util.find_spec("atheris") is None, reason="atheris is a dev dependency")
@pytest.mark.parametrize("target", ["txt", "docx", "pdf", "html", "pipeline"])
def test_fuzz_target_runs_clean_for_a_few_seconds(target: str, tmp_path: Path) -> None:
    # A fresh work folder (seeded from the corpus only): what `make fuzz` kept here is not replayed.
    result = subprocess.run([sys.executable, str(ROOT / "fuzz" / "fuzz_parsers.py"), target, "-max_total_time=4",
                             "-print_final_stats=1"], capture_output=True, text=True, cwd=ROOT, timeout=120,
                            env={**os.environ, "FUZZ_WORK": str(tmp_path)})
    assert result.returncode == 0, result.stderr[-3000:]
    assert "stat::number_of_executed_units" in result.stderr
