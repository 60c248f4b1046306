"""OCR of page images with Tesseract's Vietnamese model: words with boxes and confidences.

Used for scans (PDF pages without a text layer, PNG/JPEG/TIFF files) and for PDF pages whose
text layer is garbage (a broken ToUnicode map: the glyphs are right, the text behind them is
not). What comes out is geometry, not blocks: :mod:`.pdf` turns words into lines and reads them
in the same order, with the same furniture and task-table handling, as a text layer.

Why it is built this way:

* **The tesseract CLI, one process per page.** No Python binding to build or pin; the TSV
  output gives every word with its box, its line/paragraph/block and its confidence. The image
  goes in through stdin as PGM (no encoding cost), nothing touches the disk. Each run is bounded
  by a timeout, and ``OMP_THREAD_LIMIT=1``: Tesseract's OpenMP threads make it 2-7x *slower*
  on small machines, and batch runs already use every core with one process each.
* **Bounded input.** Pages are rendered or scaled to at most :data:`MAX_PIXELS` (an A3 page at
  300 dpi); larger images are refused before they are decoded (:data:`MAX_IMAGE_PIXELS`).
* **Ruled tables are found in the pixels** (:func:`find_rulings`): long straight runs of ink,
  which become the same edges that pdfium's path objects give for a text PDF, so task tables in
  scans are read cell by cell too. The rulings are whitened before OCR: Tesseract reads a cell
  border next to a word as "|", "l" or "1".
* **A page the wrong way up** (a scan fed sideways) reads as junk with low confidence; then
  Tesseract's orientation detection is asked, and the page read again turned upright.
* **Italic type is read again upright** (:mod:`.reread`): runs of slanted words are sheared
  upright and read once more, and each word keeps its more confident reading ("8.1.1" in an
  italic heading was read "6.1.1"). Lines with a word Tesseract could barely read get the same
  second look, as they stand.
* **Tesseract's fast Vietnamese model confuses stacked diacritics** ("nỗ"/"nổ", "chế"/"chẽ",
  "quyên"/"quyền"). A word that is no syllable takes the spelling (other diacritics) that
  forms a word with a neighbour (underthesea's Viet74K dictionary). A real syllable that breaks
  a collocation its other spelling makes ("chặt chế") is respelled only where Tesseract was
  unsure of it: the syllable-pair statistics come from news text, and overrule a confident
  reading wrongly more often than rightly ("các phường" is no "các phương").
  Acronyms misread once ("VLUNCN") take the spelling the document uses elsewhere ("VLNCN").
"""

from __future__ import annotations

import io
import itertools
import math
import os
import re
import shutil
import subprocess
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from ..syllables import (
    all_marks,
    domain_phrases,
    is_syllable_shape,
    lexicon,
    marks_apart,
    model,
    places,
    skeleton,
)
from .reread import reread, stack, text_lines

if TYPE_CHECKING:
    from PIL import Image

LANGUAGE = "vie"
DPI = 300  # rendering resolution for PDF pages
PAGE_TIMEOUT = 60.0  # seconds of Tesseract per page (a dense A4 page takes 1-3 s)
MAX_PIXELS = 36_000_000  # what is OCR'd at most: A3 at 300 dpi; larger pages are scaled down
MAX_IMAGE_PIXELS = 120_000_000  # an image file larger than this is refused before decoding
LOW_CONFIDENCE = 60.0  # pages below this mean word confidence are named in a warning
INSTALL_HINT = "install tesseract-ocr and tesseract-ocr-vie to read it"

# Punctuation-only "words" below this confidence are specks, not text; any word below _GUESS
# is a guess at something Tesseract could not read (its ink is read again, see _recover).
_JUNK = 55.0
_GUESS = 30.0
# A run of ink at least this long (points) is a ruling, not part of a letter.
_MIN_RULE_H = 20.0
_MIN_RULE_V = 14.0
_MAX_RULE_THICKNESS = 4.0  # points; thicker dark runs are shapes (a black border, a photo)
_MAX_RUNS = 60_000  # more long runs than this: a photo or halftone, not a document with tables


class OcrError(Exception):
    """OCR could not read a page; ``str()`` is one line fit for a user."""


class OcrUnavailable(OcrError):
    """Tesseract or its Vietnamese model is not installed."""


@dataclass(frozen=True, slots=True)
class OcrWord:
    text: str
    confidence: float  # 0-100
    left: float
    top: float
    right: float
    bottom: float
    line: tuple[int, int, int]  # Tesseract's (block, paragraph, line): words of one text line


@dataclass(frozen=True, slots=True)
class Ruling:
    """A straight ruling in pixels: horizontal (``top == bottom``) or vertical (``left == right``)."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        return self.top == self.bottom


@dataclass(frozen=True, slots=True)
class OcrPage:
    """One page read by OCR. Coordinates are pixels of the image as read (turned upright if it
    had to be); ``dpi`` converts them to points."""

    width: int
    height: int
    dpi: float
    words: tuple[OcrWord, ...]
    rulings: tuple[Ruling, ...] = ()
    rotated: int = 0  # degrees the image was turned (clockwise) before it was read

    @property
    def confidence(self) -> float | None:
        """Mean word confidence (0-100), or None when no word was read."""
        if not self.words:
            return None
        return sum(w.confidence for w in self.words) / len(self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


# --------------------------------------------------------------------------- availability


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


def available() -> bool:
    return unavailable_reason() is None


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    return env


# --------------------------------------------------------------------------- images


_BAND_ROWS = 512  # rows converted at a time: temporaries stay a band's size, not a page's


def grayscale(image: Image.Image) -> Image.Image:
    """8-bit grayscale on white, whatever the mode (alpha, palette, 16-bit, bilevel, CMYK).

    Converted band by band into one 8-bit array: the page is held once as decoded and once as
    the result, never as the 32-bit or RGBA intermediates that PIL's own conversions make (a
    100-megapixel RGBA scan would need 2 GB that way)."""
    import numpy as np
    from PIL import Image as PILImage

    if image.mode == "L":
        return image
    width, height = image.size
    out = np.empty((height, width), dtype=np.uint8)
    sixteen = image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F")
    alpha = "A" in image.mode or (image.mode == "P" and "transparency" in image.info)
    low, span = 0.0, 1.0
    if sixteen:
        extrema = image.getextrema()
        low, high = float(extrema[0]), float(extrema[1])  # type: ignore[index, arg-type]
        span = max(high - low, 1.0)
    for top in range(0, height, _BAND_ROWS):
        band = image.crop((0, top, width, min(height, top + _BAND_ROWS)))
        if sixteen:
            values = np.asarray(band, dtype=np.float32)
            out[top:top + values.shape[0]] = ((values - low) * (255.0 / span)).clip(0, 255).astype(np.uint8)
        elif alpha:
            rgba = np.asarray(band.convert("RGBA"), dtype=np.uint16)
            gray = (rgba[..., 0] * 299 + rgba[..., 1] * 587 + rgba[..., 2] * 114) // 1000
            a = rgba[..., 3]
            out[top:top + rgba.shape[0]] = ((gray * a + 255 * (255 - a)) // 255).astype(np.uint8)  # on white
        else:
            out[top:top + band.size[1]] = np.asarray(band.convert("L"))
    return PILImage.fromarray(out, mode="L")


def fit(image: Image.Image, dpi: float) -> tuple[Image.Image, float]:
    """The image scaled down to at most :data:`MAX_PIXELS`, and its resolution after that."""
    from PIL import Image as PILImage

    width, height = image.size
    if width * height <= MAX_PIXELS:
        return image, dpi
    factor = math.sqrt(MAX_PIXELS / (width * height))
    size = (max(1, int(width * factor)), max(1, int(height * factor)))
    return image.resize(size, PILImage.Resampling.LANCZOS), dpi * factor


# --------------------------------------------------------------------------- rulings


def _runs(mask, min_length: int):  # type: ignore[no-untyped-def]
    """(row, start, end) of horizontal runs of True at least ``min_length`` long."""
    import numpy as np

    rows, width = mask.shape
    padded = np.zeros((rows, width + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    steps = np.diff(padded, axis=1)
    start_rows, starts = np.nonzero(steps == 1)
    _, ends = np.nonzero(steps == -1)
    long = (ends - starts) >= min_length
    return start_rows[long], starts[long], ends[long]


def _segments(rows, starts, ends, max_thickness: float) -> list[tuple[float, float, float, float]]:  # type: ignore[no-untyped-def]
    """Runs in consecutive rows that overlap make one stroke: (along0, along1, across0, across1).
    Thick filled strokes (a black band, a photo) are dropped; a slightly skewed thin ruling
    (a staircase of runs) is kept."""
    strokes: list[list[float]] = []  # [start, end, first row, last row, ink]
    open_strokes: list[list[float]] = []
    for row, start, end in zip(rows.tolist(), starts.tolist(), ends.tolist(), strict=True):
        open_strokes = [s for s in open_strokes if s[3] >= row - 1]
        for stroke in open_strokes:
            if stroke[3] < row and min(stroke[1], end) - max(stroke[0], start) >= 0.5 * min(stroke[1] - stroke[0], end - start):
                stroke[0], stroke[1] = min(stroke[0], start), max(stroke[1], end)
                stroke[3] = row
                stroke[4] += end - start
                break
        else:
            stroke = [start, end, row, row, end - start]
            strokes.append(stroke)
            open_strokes.append(stroke)
    out = []
    for start, end, first, last, ink in strokes:
        thickness = last - first + 1
        if thickness > max_thickness and ink / ((end - start) * thickness) > 0.5:
            continue
        # The ruling's position across: the middle of its ink (for a staircase, of its extent).
        middle = (first + last + 1) / 2
        out.append((start, end, middle, thickness))
    return out


def find_rulings(image: Image.Image, dpi: float) -> list[Ruling]:
    """Long thin straight strokes of ink: the borders of ruled tables (and underlines, which
    form no grid and are ignored later)."""
    import numpy as np

    pixels = np.asarray(image, dtype=np.uint8)
    ink = pixels < 128
    per_point = dpi / 72
    rulings: list[Ruling] = []
    for horizontal in (True, False):
        mask = ink if horizontal else ink.T
        rows, starts, ends = _runs(mask, int((_MIN_RULE_H if horizontal else _MIN_RULE_V) * per_point))
        if len(rows) > _MAX_RUNS:
            return []
        for start, end, middle, _ in _segments(rows, starts, ends, _MAX_RULE_THICKNESS * per_point):
            if horizontal:
                rulings.append(Ruling(left=start, top=middle, right=end, bottom=middle))
            else:
                rulings.append(Ruling(left=middle, top=start, right=middle, bottom=end))
    return rulings


def erase_rulings(image: Image.Image, rulings: list[Ruling], dpi: float) -> Image.Image:
    """A copy with the rulings painted white, so that Tesseract does not read them as letters."""
    from PIL import ImageDraw

    if not rulings:
        return image
    cleaned = image.copy()
    draw = ImageDraw.Draw(cleaned)
    half = max(2.0, 0.8 * dpi / 72)  # rulings are ~0.5-1 pt; a little more takes anti-aliasing
    for r in rulings:
        draw.rectangle((r.left - half, r.top - half, r.right + half, r.bottom + half), fill=255)
    return cleaned


# --------------------------------------------------------------------------- tesseract


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


def recognise(image: Image.Image, dpi: float, *, timeout: float = PAGE_TIMEOUT, tables: bool = True) -> OcrPage:
    """Read one page image. Raises :class:`OcrUnavailable` or :class:`OcrError`."""
    if (reason := unavailable_reason()) is not None:
        raise OcrUnavailable(reason)
    image, dpi = fit(grayscale(image), dpi)
    page = _read(image, dpi, timeout, tables=tables)
    if _doubtful(page):
        # Sideways or upside down? Ask OSD, and keep the better reading.
        turn = _orientation(image, timeout)
        if turn:
            from PIL import Image as PILImage

            turned = image.transpose({90: PILImage.Transpose.ROTATE_270, 180: PILImage.Transpose.ROTATE_180,
                                      270: PILImage.Transpose.ROTATE_90}[turn])
            again = replace(_read(turned, dpi, timeout, tables=tables), rotated=turn)
            if len(again.words) >= len(page.words) / 2 and (again.confidence or 0) > (page.confidence or 0) + 10:
                page = again
    return page


def _read_strip(strip: Image.Image, dpi: float, timeout: float) -> list[OcrWord]:
    """A strip of words to read again; nothing when Tesseract fails on it (the page's own
    reading stands)."""
    try:
        return _tesseract_words(strip, dpi, timeout, psm=6)
    except OcrError:
        return []


def _doubtful(page: OcrPage) -> bool:
    return bool(page.words) and (page.confidence or 0) < 50


def _read(image: Image.Image, dpi: float, timeout: float, *, tables: bool) -> OcrPage:
    rulings = find_rulings(image, dpi) if tables else []
    cleaned = erase_rulings(image, rulings, dpi)
    words = _tesseract_words(cleaned, dpi, timeout)
    words += _recover(cleaned, words, dpi, timeout)
    words = reread(cleaned, words, lambda strip: _read_strip(strip, dpi, timeout))
    return OcrPage(width=image.width, height=image.height, dpi=dpi, words=tuple(words), rulings=tuple(rulings))


# Tesseract's page layout analysis now and then drops a whole line (often one beside a column
# gap, as in a signature block) or a lone number in a table cell. Ink that no word covers is
# cut out, the pieces are stacked into one strip, and the strip is read as a block of text.
_MAX_REGIONS = 80
_RECOVER_CONFIDENCE = 50.0


def _regions(cleaned: Image.Image, words: list[OcrWord], dpi: float) -> tuple[list[tuple[int, int, int, int]], int]:
    """Boxes (x0, y0, x1, y1) around ink that no word covers, and the line height used."""
    import numpy as np

    heights = sorted(w.bottom - w.top for w in words if any(c.isalpha() for c in w.text))
    line = int(heights[len(heights) // 2]) if heights else int(12 * dpi / 72)
    line = max(line, 8)
    ink = np.asarray(cleaned, dtype=np.uint8) < 128
    pad = max(2, line // 5)
    for w in words:
        ink[max(0, int(w.top) - pad): int(w.bottom) + pad, max(0, int(w.left) - pad): int(w.right) + pad] = False
    rows = np.flatnonzero(ink.sum(axis=1) >= 2)
    if rows.size == 0:
        return [], line
    regions: list[tuple[int, int, int, int]] = []
    bands: list[list[int]] = [[int(rows[0]), int(rows[0])]]
    for y in rows[1:].tolist():
        if y - bands[-1][1] <= max(2, line // 4):
            bands[-1][1] = y
        else:
            bands.append([y, y])
    for y0, y1 in bands:
        height = y1 - y0 + 1
        if height < 0.35 * line or height > 4 * line:
            continue  # a speck, a rule left over, or a picture (stamp, signature, logo)
        columns = np.flatnonzero(ink[y0 : y1 + 1].any(axis=0))
        groups: list[list[int]] = [[int(columns[0]), int(columns[0])]]
        for x in columns[1:].tolist():
            if x - groups[-1][1] <= 1.5 * line:
                groups[-1][1] = x
            else:
                groups.append([x, x])
        for x0, x1 in groups:
            patch = ink[y0 : y1 + 1, x0 : x1 + 1]
            if x1 - x0 + 1 >= 0.3 * line and patch.sum() >= 0.05 * line * line:
                regions.append((x0, y0, x1 + 1, y1 + 1))
    return regions[:_MAX_REGIONS], line


def _recover(cleaned: Image.Image, words: list[OcrWord], dpi: float, timeout: float) -> list[OcrWord]:
    """Words in the ink the page reading left out (see above)."""

    regions, line = _regions(cleaned, words, dpi)
    if not regions:
        return []
    margin = line
    strip, offsets = stack([cleaned.crop(region) for region in regions], margin)
    found = _read_strip(strip, dpi, timeout)
    out = []
    for word in found:
        middle = (word.top + word.bottom) / 2
        index = min(range(len(regions)), key=lambda i: abs(offsets[i] + (regions[i][3] - regions[i][1]) / 2 - middle))
        x0, y0, _, _ = regions[index]
        if word.confidence < _RECOVER_CONFIDENCE:
            continue
        dx, dy = x0 - margin, y0 - offsets[index]
        moved = replace(word, left=word.left + dx, right=word.right + dx, top=word.top + dy, bottom=word.bottom + dy,
                        line=(100_000 + index, 0, word.line[2]))
        if any(_abut(moved, other, 0.12 * line) for other in words):
            continue  # the rest of a word that was read (a letter its box left out)
        if len(moved.text) == 1 and moved.text.isalpha() and any(
                _abut(moved, other, 0.6 * line) and other.right <= moved.left for other in words):
            continue  # a letter just after a word: the end of that word ("UBND" read as "UBN")
        out.append(moved)
    return out


def _abut(word: OcrWord, other: OcrWord, reach: float) -> bool:
    """``word`` is within ``reach`` of ``other`` on the same text line."""
    if min(word.bottom, other.bottom) - max(word.top, other.top) < 0.3 * min(word.bottom - word.top, other.bottom - other.top):
        return False
    return word.left - other.right < reach and other.left - word.right < reach


# --------------------------------------------------------------------------- correction
#
# Tesseract's fast Vietnamese model gets most words right but confuses stacked diacritics
# ("nỗ"/"nổ", "thấm"/"thẩm", "dần"/"dân"), glues words where a justified line has narrow spaces
# ("triệtsâu") and splits a capital off its word ("N guyễn"). Its confidences do not tell these
# apart (a wrong "Tông" scores 97), so the check is by context: two neighbouring syllables that
# form a known word. The vocabulary is general -- underthesea's Viet74K dictionary, the national
# list of place names shipped with it -- plus the phrases the extractor itself looks for.

_EDGE = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)


def _core(token: str) -> tuple[str, str, str]:
    """(leading punctuation, the word, trailing punctuation)."""
    match = _EDGE.match(token)
    assert match is not None
    return match.group(1), match.group(2), match.group(3)


def _recase(template: str, word: str) -> str:
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def clean_word(text: str) -> str:
    """Character-level repairs: the Icelandic eth Tesseract writes for "Đ" (once for it, or
    next to it: "QĐÐ"), the fraction slash it writes for "/" ("1105⁄KH-ĐKT"), and the space it
    loses after a comma in italics ("Cai,ngày")."""
    text = text.replace("ĐÐ", "Đ").replace("ÐĐ", "Đ").replace("Ð", "Đ").replace("ð", "đ")
    text = text.replace("\u2044", "/").replace("\u2215", "/")
    return re.sub(r"(?<=[^\W\d_]),(?=[^\W\d_])", ", ", text)


_COMMON = 5  # occurrences in the text sample that make a syllable common


def _split_glued(token: str, syllables: frozenset[str]) -> list[str]:
    """"triệtsâu" -> "triệt sâu", "UBNDcác" -> "UBND các", "dụngVLNCN" -> "dụng VLNCN": a
    word that cannot be one syllable, made of two common ones (or an acronym and one)."""
    lead, core, trail = _core(token)
    if len(core) < 4 or not core.isalpha() or is_syllable_shape(core.lower()):
        return [token]
    unigrams = model()[0]
    for cut in range(2, len(core) - 1):
        left, right = core[:cut], core[cut:]
        if left.isupper() and right.islower() and unigrams[right] >= 4 * _COMMON:
            return [lead + left, right + trail]  # UBNDcác
        if left.islower() and right.isupper() and unigrams[left] >= 4 * _COMMON:
            return [lead + left, right + trail]  # dụngVLNCN
    if core.islower() or (core[:1].isupper() and core[1:].islower()):
        cuts = [c for c in range(2, len(core) - 1)
                if unigrams[core[:c].lower()] >= _COMMON and unigrams[core[c:]] >= _COMMON]
        if len(cuts) == 1:
            return [lead + core[: cuts[0]], core[cuts[0] :] + trail]
    return [token]


def _join_split(tokens: list[str], syllables: frozenset[str]) -> list[str]:
    """"N guyễn" -> "Nguyễn": a lone capital before a piece that is no syllable, which with it is."""
    out: list[str] = []
    for token in tokens:
        if out and len(out[-1]) == 1 and out[-1].isupper() and token.isalpha() and token.islower() \
                and token not in syllables and (out[-1] + token).lower() in syllables:
            out[-1] += token
        else:
            out.append(token)
    return out


def _plain(token: str | None, *, side: str) -> str | None:
    """The lower-case word of a neighbouring token, if nothing separates it on ``side``."""
    if token is None:
        return None
    lead, core, trail = _core(token)
    if not core.isalpha() or (trail if side == "before" else lead):
        return None
    return core.lower()


def correct_tokens(tokens: list[str], before: str | None = None, after: str | None = None) -> list[str]:
    """One OCR'd line, its words repaired; ``before``/``after`` are the words that precede and
    follow it in reading order (the end of the line above, the start of the one below).

    Glued and split words are cut and joined; a word that is no Vietnamese syllable takes the
    spelling of its letters (other diacritics) that forms a word with a neighbour ("an nỉnh" ->
    "an ninh", "CHỦ NGHIA" -> "CHỦ NGHĨA"), the nearest such spelling if several do. Words
    that are syllables are left alone here even where they look wrong: "thấm" for "thẩm" is a
    real word too (see :func:`fix_unsure_collocations`, which weighs Tesseract's confidence)."""
    pairs, by_skeleton, syllables = lexicon()
    if not syllables:
        return tokens
    unigrams = model()[0]
    tokens = _join_split([piece for token in tokens for piece in _split_glued(token, syllables)], syllables)
    out = list(tokens)
    for index, token in enumerate(tokens):
        lead, core, trail = _core(token)
        if not core.isalpha() or core.lower() in syllables:
            continue
        word = core.lower()
        previous = out[index - 1] if index else before
        following = tokens[index + 1] if index + 1 < len(tokens) else after
        if core[:1].isupper() and not core.isupper() and _named(previous, following):
            continue  # beside other capitalised words: perhaps a name, which no dictionary knows
        if len(core) > 1 and core.isupper() and not _shouted(previous, following):
            continue  # capitals amid lower case: an acronym ("Công ty DAP số 2"), not a word
        left = None if lead else _plain(previous, side="before")
        right = None if trail else _plain(following, side="after")
        scored = []
        for option in by_skeleton.get(skeleton(word), ()):
            score = int((left, option) in pairs) + int((option, right) in pairs)
            if score:
                scored.append((-score, marks_apart(word, option), -unigrams[option], option))
        if not scored:
            continue
        scored.sort()
        if len(scored) > 1 and scored[0][:3] == scored[1][:3]:
            continue
        out[index] = lead + _recase(core, scored[0][3]) + trail
    out = _fix_case(out, before, after, syllables)
    return _fix_dates(_fix_phrases(out), after)


# Characters OCR reads for the "I" of a Roman numeral (shared with the PDF heading repair).
ROMAN_LOOKALIKE = str.maketrans({"l": "I", "1": "I", "|": "I", "[": "I", "]": "I", "!": "I", "H": "I"})
_QUARTER = re.compile(r"^([IVXHl1|\[\]!]{1,4})(?=$|[/.,;:)])")


def _fix_dates(tokens: list[str], after: str | None) -> list[str]:
    """The words of a date or quarter, whose diacritics or numerals OCR lost: "ngay 15/4/2026",
    "thang 6", "nam 2026", "Quý II1/2026" -> "ngày", "tháng", "năm", "Quý III/2026"."""
    out = list(tokens)
    for index, token in enumerate(out):
        lead, core, trail = _core(token)
        following = out[index + 1] if index + 1 < len(out) else after
        if not core.isalpha() or following is None or trail:
            continue
        bare, nxt = skeleton(core), following.lstrip("(")
        if bare == "ngay" and re.match(r"\d{1,2}(?:[/.-]\d{1,2}|$|\b)", nxt):
            word = "ngày"
        elif bare == "thang" and re.match(r"(?:0?[1-9]|1[0-2])(?!\d)", nxt):
            word = "tháng"
        elif bare == "nam" and re.match(r"(?:19|20)\d\d(?!\d)", nxt):
            word = "năm"
        elif bare == "quy" and (m := _QUARTER.match(nxt)) is not None:
            numeral = m.group(1).translate(ROMAN_LOOKALIKE)
            if numeral in ("I", "II", "III", "IV") and index + 1 < len(out):
                out[index + 1] = out[index + 1].replace(m.group(1), numeral, 1)
            word = "quý"
        else:
            continue
        out[index] = lead + _recase(core, word) + trail
    return out


_COLLOCATION = 8  # times a word pair must occur in the text sample to count as a collocation
# Tesseract is this sure of a word: leave it be. On the scanned corpus every collocation
# "fix" of a word read at 96 or more undid a right reading ("các phường" -> "các phương",
# "trục chính" -> "trục chỉnh"): the text sample is news, not administrative prose.
_SURE = 96.0
# A dictionary word alone (no pair in the text sample) is weaker evidence: "bàn tính" is a
# word, yet "địa bàn tỉnh" is what a notice says. It overrules only a word read below this.
_SURE_AGAINST_DICTIONARY = 90.0
_PHRASE_GAP = 1.5  # line heights: words further apart on a line are not one phrase


def fix_unsure_collocations(words: Sequence[OcrWord]) -> list[OcrWord]:
    """The words of one page, each one Tesseract was unsure of checked against its neighbours
    (:func:`_fix_collocations`). Neighbours are the words beside it on its text line, not
    across a gap wider than :data:`_PHRASE_GAP` line heights (a table's next cell, another
    column), and the last and first word of the lines above and below in its paragraph."""
    lines = text_lines(words)
    out = list(words)
    for (block, paragraph, line), members in lines.items():
        phrases: list[list[int]] = [[members[0]]]
        for previous, index in itertools.pairwise(members):
            height = max(words[previous].bottom - words[previous].top, words[index].bottom - words[index].top, 1.0)
            if words[index].left - words[previous].right > _PHRASE_GAP * height:
                phrases.append([])
            phrases[-1].append(index)
        above, below = lines.get((block, paragraph, line - 1)), lines.get((block, paragraph, line + 1))
        for number, phrase in enumerate(phrases):
            before = out[above[-1]].text if above and number == 0 else None
            after = words[below[0]].text if below and number == len(phrases) - 1 else None
            tokens = [words[i].text for i in phrase]
            fixed = _fix_collocations(tokens, before, after, [words[i].confidence for i in phrase])
            for index, old, new in zip(phrase, tokens, fixed, strict=True):
                if new != old:
                    out[index] = replace(words[index], text=new)
    return out


def _fix_collocations(tokens: list[str], before: str | None, after: str | None,
                      confidences: Sequence[float]) -> list[str]:
    """A word that is a syllable but never follows (or precedes) its neighbour, while the same
    letters with one or two diacritics changed form a collocation with it -- a word of the
    dictionary, or a pair the text sample has often ("chặt chế" -> "chặt chẽ", "chuyển đối"
    -> "chuyển đổi", "người dần" -> "người dân") -- and nothing on its other side speaks
    against it. ``confidences`` are Tesseract's for the tokens (see :data:`_SURE`)."""
    dictionary, by_skeleton, syllables = lexicon()
    _, bigrams, _ = model()
    out = list(tokens)
    for index, token in enumerate(tokens):
        lead, core, trail = _core(token)
        word = core.lower()
        confidence = confidences[index]
        if not core.isalpha() or word not in syllables or confidence >= _SURE:
            continue

        trust_dictionary = confidence < _SURE_AGAINST_DICTIONARY

        def strength(pair: tuple[str, str], trust_dictionary: bool = trust_dictionary) -> int:
            return bigrams[pair] + (_COLLOCATION if trust_dictionary and pair in dictionary else 0)

        previous = out[index - 1] if index else before
        following = tokens[index + 1] if index + 1 < len(tokens) else after
        if core[:1].isupper() and not core.isupper() and _named(previous, following):
            continue
        left = None if lead else _plain(previous, side="before")
        right = None if trail else _plain(following, side="after")
        best = None
        for option in by_skeleton.get(skeleton(word), ()):
            apart = marks_apart(word, option)
            if option == word or apart > 2 or all_marks(option) == all_marks(word):
                continue  # the same, or the same marks placed elsewhere ("hóa", "hoá")
            for near, far in ((left, right), (right, left)):
                if near is None:
                    continue
                pair = (near, option) if near is left else (option, near)
                mine = (near, word) if near is left else (word, near)
                if strength(pair) < _COLLOCATION or strength(mine):
                    continue
                if far is not None:
                    other = (far, option) if far is left else (option, far)
                    other_mine = (far, word) if far is left else (word, far)
                    if strength(other_mine) > strength(other):
                        continue
                rank = (-apart, strength(pair))  # the nearest spelling first, then the strongest pair
                if best is None or rank > best[0]:
                    best = (rank, option)
        if best is not None:
            out[index] = lead + _recase(core, best[1]) + trail
    return out


# Letters whose capital is the small letter drawn larger: OCR guesses their case from the
# line's height, and gets a short bold line ("vực có") or a label ("c)") wrong.
_SAME_SHAPE = frozenset("cosuvwxz")


def _fix_case(tokens: list[str], before: str | None, after: str | None, syllables: frozenset[str]) -> list[str]:
    out = list(tokens)
    if out and re.fullmatch(r"[COSVXZ]\)", out[0]):
        out[0] = out[0].lower()  # list labels are small letters: "a)", "b)", "c)"
    for index, token in enumerate(out):
        lead, core, trail = _core(token)
        if len(core) < 2 or not core.isalpha() or not core.isupper() or core.lower() not in syllables:
            continue
        if not set(skeleton(core)) <= _SAME_SHAPE:
            continue
        previous = out[index - 1] if index else before
        following = out[index + 1] if index + 1 < len(out) else after
        if any(t is not None and _core(t)[1][:1].islower() for t in (previous, following)):
            out[index] = lead + core.lower() + trail
    return out


@lru_cache(maxsize=1)
def _phrase_table() -> tuple[dict[tuple[str, ...], tuple[str, ...] | None], dict[str, list[tuple[str, ...]]], int]:
    """Multi-word terms the extractor looks for (unit names, document types, section words) by
    the skeletons of their syllables; province names by their first syllable."""
    terms: dict[tuple[str, ...], tuple[str, ...] | None] = {}

    for phrase in domain_phrases():
        words = tuple(unicodedata.normalize("NFC", phrase).lower().split())
        if len(words) < 3 or not all(w.isalpha() for w in words):
            continue  # two syllables can spell two real words ("tuyến đường", "tuyên dương")
        key = tuple(skeleton(w) for w in words)
        if key in terms and terms[key] != words:
            terms[key] = None  # two terms differ only in diacritics: no telling which
        else:
            terms[key] = words
    provinces: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    mapping = places()
    for key in ("province_names", "old_province_names"):
        for entry in mapping.get(key, {}).values():
            words = tuple(unicodedata.normalize("NFC", entry.get("short", "")).lower().split())
            if len(words) >= 2 and words not in provinces[words[0]]:
                provinces[words[0]].append(words)
    longest = max((len(k) for k in terms), default=0)
    return terms, provinces, longest


def _breaks_words(words: tuple[str, ...], term: tuple[str, ...], tokens: list[str], index: int) -> bool:
    """Whether reading ``words`` as ``term`` would undo a word they form, inside or with a
    neighbour ("văn bản chỉ đạo" is no "Ban Chỉ đạo")."""
    pairs = lexicon()[0]
    previous = _plain(tokens[index - 1], side="before") if index and not _core(tokens[index])[0] else None
    end = index + len(words)
    following = _plain(tokens[end], side="after") if end < len(tokens) and not _core(tokens[end - 1])[2] else None
    old = [previous, *words, following]
    new = [previous, *term, following]
    return any((a, b) in pairs and (c, d) not in pairs
               for (a, b), (c, d) in zip(itertools.pairwise(old), itertools.pairwise(new), strict=True))


def _near(a: str, b: str) -> bool:
    """One letter inside the word differs: "cui" / "cai"."""
    return len(a) == len(b) >= 3 and a[0] == b[0] and a[-1] == b[-1] and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def _fix_phrases(tokens: list[str]) -> list[str]:
    """Runs of words that spell a known term but for their diacritics take its diacritics
    ("Tống công ty" -> "Tổng công ty"); a province name with one letter misread in its last
    syllable ("Lào Cũi") is that province."""
    terms, provinces, longest = _phrase_table()
    out = list(tokens)
    cores = [_core(t) for t in out]
    index = 0
    while index < len(out):
        done = 1
        for size in range(min(longest, len(out) - index), 1, -1):
            window = cores[index : index + size]
            if any(c[2] for c in window[:-1]) or any(c[0] for c in window[1:]) or not all(c[1].isalpha() for c in window):
                continue
            words = tuple(c[1].lower() for c in window)
            term = terms.get(tuple(skeleton(w) for w in words))
            if term and term != words and not _breaks_words(words, term, out, index):
                for offset, (lead, core, trail) in enumerate(window):
                    out[index + offset] = lead + _recase(core, term[offset]) + trail
                done = size
                break
        else:
            lead, core, trail = cores[index]
            for name in provinces.get(core.lower(), ()) if core[:1].isupper() else ():
                window = cores[index : index + len(name)]
                if len(window) < len(name) or any(c[2] for c in window[:-1]) or any(c[0] for c in window[1:]):
                    continue
                words = [c[1].lower() for c in window]
                last = words[-1]
                if words[:-1] == list(name[:-1]) and last != name[-1] and window[-1][1][:1].isupper() \
                        and _near(skeleton(last), skeleton(name[-1])):
                    lead, core, trail = window[-1]
                    out[index + len(name) - 1] = lead + _recase(core, name[-1]) + trail
        index += done
    return out


def _shouted(previous: str | None, following: str | None) -> bool:
    """A neighbour is a word in capitals: the line is a heading in capitals."""
    return any(t is not None and (core := _core(t)[1]).isalpha() and len(core) > 1 and core.isupper()
               for t in (previous, following))


def _named(previous: str | None, following: str | None) -> bool:
    return any(t is not None and _core(t)[1][:1].isupper() and not _core(t)[1].isupper()
               and not _core(t)[0] for t in (previous, following))


_PARTS = re.compile(r"([-/.])")


def _acronyms(token: str) -> list[str]:
    """The parts of a token in capitals that may be acronyms ("SGT" in "12/SGT-CN")."""
    return [part for part in _PARTS.split(_core(token)[1]) if len(part) >= 3 and part.isalpha() and part.isupper()]


def fix_acronyms(texts: list[str], reference: list[str]) -> list[str]:
    """An all-capitals word (or part of a code: "SGT" in "12/SGT-CN") one letter away from an
    acronym that ``reference`` (the whole document) uses at least three times as often, and at
    least three times, is that acronym: "VLUNCN" among "VLNCN"s, "CƠN" among "CCN"s. Words of
    Vietnamese are no acronyms: "CHỦ" in headings is not one for "CHẾ" to become, and in a
    heading in capitals ("V. CHẾ ĐỘ BÁO CÁO") a syllable is read as the word it is."""
    syllables = lexicon()[2]
    counts: Counter[str] = Counter(a for text in reference for token in text.split() for a in _acronyms(token))
    common = [a for a, n in counts.items() if n >= 3 and a.lower() not in syllables]
    if not common:
        return texts
    out = []
    for text in texts:
        tokens = text.split(" ")
        for index, token in enumerate(tokens):
            for part in _acronyms(token):
                if part.lower() in syllables and _shouted(tokens[index - 1] if index else None,
                                                           tokens[index + 1] if index + 1 < len(tokens) else None):
                    continue
                close = sorted((a for a in common if counts[a] >= 3 * counts[part] and _one_edit(a, part)),
                               key=lambda a: -counts[a])
                if close and (len(close) == 1 or counts[close[0]] >= 3 * counts[close[1]]):
                    token = re.sub(rf"(?<![^\W\d_]){re.escape(part)}(?![^\W\d_])", close[0], token, count=1)
            tokens[index] = token
        out.append(" ".join(tokens))
    return out


def _one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
