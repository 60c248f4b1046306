"""Tesseract as the OCR engine (:class:`.engine.OcrEngine`): its CLI, one process per image.

**Why the CLI.** No Python binding to build or pin; the TSV output gives every word with its
box, its line/paragraph/block and its confidence. The image goes in through stdin as PGM (no
encoding cost), nothing touches the disk. Each run is bounded by a timeout, and
``OMP_THREAD_LIMIT=1``: Tesseract's OpenMP threads make it 2-7x *slower* on small machines,
and batch runs already use every core with one process each.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

from .correction import clean_word
from .types import OcrError, OcrUnavailable, OcrWord

if TYPE_CHECKING:
    from PIL import Image

LANGUAGE = "vie"
INSTALL_HINT = "install tesseract-ocr and tesseract-ocr-vie to read it"

# Punctuation-only "words" below this confidence are specks, not text; any word below _GUESS
# is a guess at something Tesseract could not read (its ink is read again, see .recover).
_JUNK = 55.0
_GUESS = 30.0


@lru_cache(maxsize=1)
def unavailable_reason() -> str | None:
    """Why OCR cannot run here (one line), or None when Tesseract with ``vie`` is installed."""
    executable = shutil.which("tesseract")
    if executable is None:
        return "tesseract is not installed"
    try:
        listed = subprocess.run(
            [executable, "--list-langs"], capture_output=True, timeout=30, check=False, env=_environment()
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"tesseract does not run ({type(exc).__name__})"
    languages = {line.strip() for line in listed.stdout.decode(errors="replace").splitlines()[1:]}
    if LANGUAGE not in languages:
        return "Tesseract's Vietnamese model (vie) is not installed"
    return None



def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    return env


def _run(arguments: list[str], data: bytes, timeout: float) -> subprocess.CompletedProcess[bytes]:
    executable = shutil.which("tesseract")
    if executable is None:
        raise OcrUnavailable("tesseract is not installed")
    try:
        return subprocess.run(
            [executable, "stdin", "stdout", *arguments],
            input=data, capture_output=True, timeout=timeout, check=False, env=_environment(),
        )
    except subprocess.TimeoutExpired:
        raise OcrError(f"OCR timed out after {timeout:.0f} s") from None
    except OSError as exc:
        raise OcrError(f"tesseract could not be run ({exc.strerror or exc})") from None


def _pgm(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PPM")  # mode L: binary PGM, which Leptonica reads from memory
    return buffer.getvalue()


def _tesseract_words(image: Image.Image, dpi: float, timeout: float, *, psm: int = 3) -> list[OcrWord]:
    done = _run(["-l", LANGUAGE, "--psm", str(psm), "--dpi", str(round(dpi)), "tsv"], _pgm(image), timeout)
    if done.returncode != 0:
        detail = done.stderr.decode(errors="replace").strip().splitlines()
        raise OcrError(f"tesseract failed ({detail[-1] if detail else f'exit status {done.returncode}'})")
    words = []
    for row in done.stdout.decode("utf-8", errors="replace").splitlines()[1:]:
        fields = row.split("\t")
        if len(fields) < 12 or fields[0] != "5":
            continue
        text = unicodedata.normalize("NFC", fields[11]).strip()
        try:
            confidence = float(fields[10])
            block, paragraph, line = int(fields[2]), int(fields[3]), int(fields[4])
            left, top, width, height = (int(v) for v in fields[6:10])
        except ValueError:
            continue
        if not text or confidence < 0:
            continue
        if confidence < _GUESS or (confidence < _JUNK and not any(c.isalnum() for c in text)):
            continue  # a speck or a smudge read as a dash or a quote, or a wild guess (read again below)
        text = clean_word(text)
        words.append(OcrWord(text=text, confidence=max(0.0, min(confidence, 100.0)), left=left, top=top,
                             right=left + width, bottom=top + height, line=(block, paragraph, line)))
    return words


def _orientation(image: Image.Image, timeout: float) -> int:
    """Degrees to turn the page clockwise to make it upright, by Tesseract's OSD (0 if unsure)."""
    try:
        done = _run(["--psm", "0"], _pgm(image), timeout)
    except OcrError:
        return 0
    text = done.stdout.decode(errors="replace")
    rotate = re.search(r"Rotate:\s*(\d+)", text)
    confidence = re.search(r"Orientation confidence:\s*([\d.]+)", text)
    if done.returncode != 0 or not rotate or not confidence or float(confidence.group(1)) < 2.0:
        return 0
    return int(rotate.group(1)) % 360


class TesseractEngine:
    """Tesseract's Vietnamese model, page segmentation 3 (automatic) for pages and 6 (one block)
    for strips read again."""

    name = "tesseract"
    install_hint = INSTALL_HINT

    def unavailable_reason(self) -> str | None:
        """Why Tesseract cannot run here, or None (asked once per process)."""
        return unavailable_reason()

    def read_words(self, image: Image.Image, dpi: float, timeout: float, *, block: bool = False,
                   raw_line: bool = False) -> list[OcrWord]:
        """The words Tesseract reads in ``image`` (see :meth:`.engine.OcrEngine.read_words`)."""
        return _tesseract_words(image, dpi, timeout, psm=13 if raw_line else 6 if block else 3)

    def orientation(self, image: Image.Image, timeout: float) -> int:
        """Degrees to turn the page clockwise, by Tesseract's OSD (0 if unsure)."""
        return _orientation(image, timeout)
