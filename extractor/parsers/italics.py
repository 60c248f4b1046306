"""Italic text in page images, made upright and read again.

Tesseract's Vietnamese model reads slanted type worse than upright: in the italic criterion
headings of a scanned notice it takes "8.1.1" for "6.1.1" and "phân bổ" for "phân bồ", with
confidences that do not give it away. Those headings are exactly what the extractor quotes, so
after the page is read:

1. **Find the slant** of each word: the horizontal shear that stacks its ink into the fewest,
   tallest columns (upright strokes). One word is weak evidence ("cơ" has no straight stroke),
   so each word is judged with its neighbours on the line, and an upright-looking word between
   two italic ones is taken as italic too (a run of italics is one phrase).
2. **Deslant** each run of italic words on a line by that shear and stack the runs into one
   strip, which Tesseract reads in one call (a page with no italics costs nothing more).
3. **Keep the more confident reading** of each word, where the upright one is the same word
   read differently: one word for one word, the same number of letters and digits, the same
   punctuation. A re-read that splits, joins or loses a word is ignored. (Upright is not always
   better: the italic "năm" of a date line may come back as a less confident "nắm".)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image

    from .ocr import OcrWord

# Shears tried (horizontal shift per unit of height): italic book faces lean 10-17 degrees.
SLANTS = (0.0, 0.1, 0.15, 0.2, 0.25, 0.3)
# A run is italic when its best shear packs the ink this much tighter than no shear.
_ITALIC_GAIN = 1.15
_NEIGHBOURS = 1  # words on each side that share in a word's slant estimate
_MIN_INK = 20  # pixels; less is a speck or a dot, whose slant means nothing
_MIN_CONFIDENCE = 60.0  # a re-read less confident than this is never taken


@dataclass(frozen=True, slots=True)
class ItalicRun:
    """Consecutive italic words of one text line (indexes into the page's words) and their shear."""

    words: tuple[int, ...]
    slant: float


def _packing(ink: np.ndarray) -> np.ndarray:
    """For each shear in :data:`SLANTS`: the sum of squared column counts of the sheared ink
    (higher when upright strokes stand in single columns)."""
    import numpy as np

    ys, xs = np.nonzero(ink)
    if xs.size < _MIN_INK:
        return np.zeros(len(SLANTS))
    height = ink.shape[0]
    scores = []
    for slant in SLANTS:
        columns = np.round(xs + slant * (ys - (height - 1))).astype(np.int64)
        counts = np.bincount(columns - columns.min()).astype(np.float64)
        scores.append(float((counts * counts).sum()))
    return np.asarray(scores)


def italic_runs(ink: np.ndarray, words: Sequence[OcrWord]) -> list[ItalicRun]:
    """The italic run of each line that has one: its first italic word to its last. ``ink`` is the page as a boolean array (True =
    ink), in the coordinates of ``words``."""
    import numpy as np

    lines: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    for index, word in enumerate(words):
        lines[word.line].append(index)
    runs: list[ItalicRun] = []
    for members in lines.values():
        members.sort(key=lambda i: words[i].left)
        packing = [_packing(ink[max(0, int(words[i].top)): int(words[i].bottom),
                                max(0, int(words[i].left)): int(words[i].right)]) for i in members]
        slants: list[float] = []
        for position in range(len(members)):
            total = sum(packing[max(0, position - _NEIGHBOURS): position + _NEIGHBOURS + 1])
            best = int(np.argmax(total))
            slants.append(SLANTS[best] if total[0] > 0 and total[best] >= _ITALIC_GAIN * total[0] else 0.0)
        italic = [p for p, s in enumerate(slants) if s]
        if italic:
            # Words between two italic ones belong to the same italic phrase.
            run = members[italic[0]: italic[-1] + 1]
            slant = float(np.median([slants[p] for p in italic]))
            runs.append(ItalicRun(words=tuple(run), slant=slant))
    return runs


def deslant(image: Image.Image, slant: float) -> Image.Image:
    """``image`` sheared upright about its middle row (which keeps its x coordinates)."""
    from PIL import Image as PILImage

    middle = image.height / 2
    # Output pixel (x, y) takes input (x + slant * (middle - y), y): rows above the middle
    # come from further right, where the italic ink leans.
    return image.transform(image.size, PILImage.Transform.AFFINE, (1, -slant, slant * middle, 0, 1, 0),
                           resample=PILImage.Resampling.BICUBIC, fillcolor=255)


def _same_word(old: str, new: str) -> bool:
    """``new`` reads the same letters and digits as ``old``, some of them differently, and adds
    or drops no punctuation."""
    def letters(text: str) -> list[str]:
        return [c for c in text if c.isalnum()]

    def punctuation(text: str) -> list[str]:
        return [c for c in text if not c.isalnum()]

    return new != old and len(letters(new)) == len(letters(old)) and punctuation(new) == punctuation(old)


def reread_italics(image: Image.Image, words: list[OcrWord], read: Callable[[Image.Image], list[OcrWord]]) -> list[OcrWord]:
    """``words`` with the italic ones read again upright, where that reads them differently.

    ``image`` is the page as read (8-bit gray); ``read`` runs Tesseract on an image."""
    import numpy as np
    from PIL import Image as PILImage

    if not words:
        return words
    runs = italic_runs(np.asarray(image) < 128, words)
    if not runs:
        return words
    heights = sorted(w.bottom - w.top for w in words if any(c.isalpha() for c in w.text))
    line = max(int(heights[len(heights) // 2]) if heights else 8, 8)
    crops: list[tuple[ItalicRun, int, Image.Image]] = []
    for run in runs:
        members = [words[i] for i in run.words]
        top = max(0, int(min(w.top for w in members)) - line // 4)
        bottom = min(image.height, int(max(w.bottom for w in members)) + line // 4)
        reach = int(run.slant * line) + line // 4  # room for the lean of the first and last letter
        left = max(0, int(members[0].left) - reach)
        right = min(image.width, int(members[-1].right) + reach)
        crops.append((run, left, deslant(image.crop((left, top, right, bottom)), run.slant)))
    margin = line
    offsets: list[int] = []
    height = margin
    for _, _, crop in crops:
        offsets.append(height)
        height += crop.height + margin
    strip = PILImage.new("L", (max(crop.width for _, _, crop in crops) + 2 * margin, height), 255)
    for (_, _, crop), top in zip(crops, offsets, strict=True):
        strip.paste(crop, (margin, top))

    readings: dict[int, list[OcrWord]] = defaultdict(list)
    for found in read(strip):
        middle = (found.top + found.bottom) / 2
        row = min(range(len(crops)), key=lambda r: abs(offsets[r] + crops[r][2].height / 2 - middle))
        run, left, _ = crops[row]
        x = (found.left + found.right) / 2 - margin + left
        slack = 0.3 * line  # the lean of an italic word's box
        inside = [i for i in run.words if words[i].left - slack <= x <= words[i].right + slack]
        if inside:
            readings[min(inside, key=lambda i: abs((words[i].left + words[i].right) / 2 - x))].append(found)
    out = list(words)
    for index, found_words in readings.items():
        if len(found_words) != 1:
            continue  # split or joined: a different segmentation, not a better reading
        found = found_words[0]
        if found.confidence > max(words[index].confidence, _MIN_CONFIDENCE) and _same_word(words[index].text, found.text):
            out[index] = replace(words[index], text=found.text, confidence=found.confidence)
    return out
