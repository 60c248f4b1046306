from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
# The scorer lives beside the project (../shared/eval); tests use it when it is there.
EVAL = SHARED / "eval"
if EVAL.is_dir():
    sys.path.insert(0, str(EVAL))


@pytest.fixture(scope="session")
def seed_gold() -> dict:
    path = EVAL / "dev" / "bac-son-tb-cchc-2023.gold.json"
    if not path.exists():
        pytest.skip("../shared/eval is not beside the project")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def tesseract() -> None:
    """OCR tests need Tesseract with its Vietnamese model; CI installs them (make system-deps),
    so there a missing one is a failure, not a silent skip."""
    import os

    from extractor.parsers import ocr

    reason = ocr.unavailable_reason()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"OCR is unavailable: {reason}")
        pytest.skip(f"OCR is unavailable: {reason}")
