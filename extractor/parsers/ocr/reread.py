"""A second reading of the words Tesseract most likely got wrong.

After a page is read, two kinds of words are read once more, and each keeps the more
confident of its readings:

* **Italic type.** Tesseract's Vietnamese model reads slanted type worse than upright: in the
  italic criterion headings of a scanned notice it takes "8.1.1" for "6.1.1" and "phân bổ" for
  "phân bồ", with confidences that do not give it away. Those headings are what the extractor
  quotes. The slant of each word is the horizontal shear that stacks its ink into the fewest,
  tallest columns (upright strokes); one word is weak evidence ("cơ" has no straight stroke),
  so each is judged with its neighbours, and the words between a line's first and last italic
  word are one italic phrase. The phrase is sheared upright before it is read again.
* **Lines with a word Tesseract could barely read** (confidence under 50), as they stand: on
  its own, away from the table rules and columns around it, a line often reads cleanly
  ("Quý II/2026" in a table cell, read "I/2026" at 36 within the page).

All of them are stacked into one strip that Tesseract reads in one call (a page with neither
needs no second call; finding the slant is a little numpy work per word). A new reading is
taken only one word for one word, on the word's own line, with the same punctuation, and more
confident: for an italic word, the same number of letters and digits read differently ("năm"
in an italic date line may come back as a less confident "nắm": kept as "năm"); for a barely
read word, far more confident, with at most one letter or digit more or less ("I/2026" ->
"II/2026"). Other words of a barely read line keep their reading. A re-read that splits or
joins words is ignored.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image

    from .types import OcrWord

# Shears tried (horizontal shift per unit of height): italic book faces lean 10-17 degrees.
SLANTS = (0.0, 0.1, 0.15, 0.2, 0.25, 0.3)
# A run is italic when its best shear packs the ink this much tighter than no shear.
_ITALIC_GAIN = 1.15
_NEIGHBOURS = 1  # words on each side that share in a word's slant estimate
_MIN_INK = 20  # pixels; less is a speck or a dot, whose slant means nothing
_DOUBTFUL = 50.0  # a word read with less confidence than this gets its line read again
_MIN_CONFIDENCE = 60.0  # a re-read less confident than this is never taken
_DOUBTFUL_GAIN = 20.0  # how much more confident the re-read of a barely read word must be
# At most this many runs are read again (a page of junk, e.g. one fed sideways, has a doubtful
# word on every line: it is turned and read again as a whole instead).
_MAX_RUNS = 80


@dataclass(frozen=True, slots=True)
class _Crop:
    """A run cut out of the page (and sheared upright), with its top left corner on the page."""

    run: Run
    left: int
    top: int
    image: Image.Image


@dataclass(frozen=True, slots=True)
class Run:
    """Consecutive words of one text line (indexes into the page's words) to read again, and
    the shear that stands them upright (0 for upright type)."""

    words: tuple[int, ...]
    slant: float


def _packing(ink: np.ndarray, words: Sequence[OcrWord]) -> np.ndarray:
    """For each word of a line (row; sorted left to right) and each shear in :data:`SLANTS`
    (column): the sum of squared column counts of the word's sheared ink, higher when upright
    strokes stand in single columns; zero for a word with too little ink. One set of numpy
    calls per line and shear, not per word: a page has hundreds of words."""
    import numpy as np

    scores = np.zeros((len(words), len(SLANTS)))
    lefts = np.array([max(0, int(w.left)) for w in words])
    rights = np.array([int(w.right) for w in words])
    tops = np.array([max(0, int(w.top)) for w in words])
    bottoms = np.array([int(w.bottom) for w in words])
    top, left = int(tops.min()), int(lefts.min())
    ys, xs = np.nonzero(ink[top: int(bottoms.max()), left: int(rights.max())])
    ys, xs = ys + top, xs + left
    owner = np.searchsorted(lefts, xs, side="right") - 1  # the word whose box starts last before x
    mine = (owner >= 0) & (xs < rights[owner]) & (ys >= tops[owner]) & (ys < bottoms[owner])
    ys, xs, owner = ys[mine], xs[mine], owner[mine]
    enough = np.bincount(owner, minlength=len(words)) >= _MIN_INK
    keep = enough[owner]
    ys, xs, owner = ys[keep], xs[keep] - lefts[owner[keep]], owner[keep]
    if owner.size == 0:
        return scores
    heights = ys - (bottoms[owner] - 1)  # above the word's bottom row (<= 0)
    for column, slant in enumerate(SLANTS):
        sheared = np.round(xs + slant * heights).astype(np.int64)
        sheared -= sheared.min()
        width = int(sheared.max()) + 1
        counts = np.bincount(owner * width + sheared).astype(np.float64)
        scores[:, column] = np.bincount(np.arange(counts.size) // width, weights=counts * counts, minlength=len(words))
    return scores


def stack(pieces: Sequence[Image.Image], margin: int) -> tuple[Image.Image, list[int]]:
    """``pieces`` one below the other on white, ``margin`` pixels around and between them, for
    Tesseract to read in one call; and the y at which each piece was put (x is ``margin``)."""
    from PIL import Image as PILImage

    offsets: list[int] = []
    height = margin
    for piece in pieces:
        offsets.append(height)
        height += piece.height + margin
    strip = PILImage.new("L", (max(piece.width for piece in pieces) + 2 * margin, height), 255)
    for piece, offset in zip(pieces, offsets, strict=True):
        strip.paste(piece, (margin, offset))
    return strip, offsets


def text_lines(words: Sequence[OcrWord]) -> dict[tuple[int, int, int], list[int]]:
    """The indexes of the words on each of Tesseract's text lines, left to right, the lines in
    the order their first words come."""
    lines: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    for index, word in enumerate(words):
        lines[word.line].append(index)
    for members in lines.values():
        members.sort(key=lambda i: words[i].left)
    return lines


def italic_runs(ink: np.ndarray, words: Sequence[OcrWord]) -> list[Run]:
    """The italic run of each line that has one: its first italic word to its last. ``ink`` is
    the page as a boolean array (True = ink), in the coordinates of ``words``."""
    import numpy as np

    runs: list[Run] = []
    for members in text_lines(words).values():
        packing = _packing(ink, [words[i] for i in members])
        slants: list[float] = []
        for position in range(len(members)):
            total = packing[max(0, position - _NEIGHBOURS): position + _NEIGHBOURS + 1].sum(axis=0)
            best = int(np.argmax(total))
            slants.append(SLANTS[best] if total[0] > 0 and total[best] >= _ITALIC_GAIN * total[0] else 0.0)
        italic = [p for p, s in enumerate(slants) if s]
        if italic:
            # Words between two italic ones belong to the same italic phrase.
            run = members[italic[0]: italic[-1] + 1]
            slant = float(np.median([slants[p] for p in italic]))
            runs.append(Run(words=tuple(run), slant=slant))
    return runs


def deslant(image: Image.Image, slant: float) -> Image.Image:
    """``image`` sheared upright about its middle row (which keeps its x coordinates)."""
    from PIL import Image as PILImage

    middle = image.height / 2
    # Output pixel (x, y) takes input (x + slant * (middle - y), y): rows above the middle
    # come from further right, where the italic ink leans.
    return image.transform(image.size, PILImage.Transform.AFFINE, (1, -slant, slant * middle, 0, 1, 0),
                           resample=PILImage.Resampling.BICUBIC, fillcolor=255)


def _letters(text: str) -> int:
    return sum(c.isalnum() for c in text)


def _punctuation(text: str) -> list[str]:
    return [c for c in text if not c.isalnum()]


def _better(old: OcrWord, new: OcrWord, *, italic: bool) -> bool:
    """``new`` is a better reading of the word ``old`` (see the module's notes)."""
    if new.text == old.text or _punctuation(new.text) != _punctuation(old.text):
        return False
    if italic and new.confidence > max(old.confidence, _MIN_CONFIDENCE) and _letters(new.text) == _letters(old.text):
        return True
    return (old.confidence < _DOUBTFUL and new.confidence >= max(old.confidence + _DOUBTFUL_GAIN, _MIN_CONFIDENCE)
            and abs(_letters(new.text) - _letters(old.text)) <= 1)


def doubtful_lines(words: Sequence[OcrWord], skip: set[int]) -> list[Run]:
    """The lines holding a word Tesseract could barely read, but for the words in ``skip``."""
    runs = []
    for line in text_lines(words).values():
        members = [i for i in line if i not in skip]
        if any(words[i].confidence < _DOUBTFUL and any(c.isalnum() for c in words[i].text) for i in members):
            runs.append(Run(words=tuple(members), slant=0.0))
    return runs


def reread(image: Image.Image, words: list[OcrWord], read: Callable[[Image.Image], list[OcrWord]]) -> list[OcrWord]:
    """``words`` with italic runs and barely read lines read again, each word keeping its
    better reading. ``image`` is the page as read (8-bit gray); ``read`` runs Tesseract."""
    import numpy as np

    if not words:
        return words
    runs = italic_runs(np.asarray(image) < 128, words)
    runs += doubtful_lines(words, skip={i for run in runs for i in run.words})
    if not runs:
        return words
    runs = runs[:_MAX_RUNS]
    heights = sorted(w.bottom - w.top for w in words if any(c.isalpha() for c in w.text))
    line = max(int(heights[len(heights) // 2]) if heights else 8, 8)
    crops: list[_Crop] = []
    for run in runs:
        members = [words[i] for i in run.words]
        top = max(0, int(min(w.top for w in members)) - line // 4)
        bottom = min(image.height, int(max(w.bottom for w in members)) + line // 4)
        reach = int(run.slant * line) + line // 4  # room for the lean of the first and last letter
        left = max(0, int(min(w.left for w in members)) - reach)
        right = min(image.width, int(max(w.right for w in members)) + reach)
        if right <= left or bottom <= top:
            continue
        crop = image.crop((left, top, right, bottom))
        crops.append(_Crop(run=run, left=left, top=top, image=deslant(crop, run.slant) if run.slant else crop))
    if not crops:
        return words
    margin = line
    strip, offsets = stack([crop.image for crop in crops], margin)

    readings: dict[int, list[OcrWord]] = defaultdict(list)
    for found in read(strip):
        row = bisect.bisect_right(offsets, (found.top + found.bottom) / 2) - 1
        if row < 0:
            continue
        crop, offset = crops[row], offsets[row]
        # Back to page coordinates (the shear keeps x at the crop's middle row).
        x0, x1 = found.left - margin + crop.left, found.right - margin + crop.left
        y0, y1 = found.top - offset + crop.top, found.bottom - offset + crop.top
        slack = 0.3 * line  # the lean of an italic word's box
        centre = (x0 + x1) / 2
        inside = [i for i in crop.run.words if words[i].left - slack <= centre <= words[i].right + slack
                  and min(y1, words[i].bottom) - max(y0, words[i].top) > 0.5 * (words[i].bottom - words[i].top)]
        if not inside:
            continue  # ink of a neighbouring line at the crop's edge, or a stray mark
        covered = [i for i in crop.run.words if x0 <= (words[i].left + words[i].right) / 2 <= x1]
        if len(covered) > 1:
            for i in covered:
                readings[i].append(found)  # two words read as one: a different segmentation
            continue
        readings[min(inside, key=lambda i: abs((words[i].left + words[i].right) / 2 - centre))].append(found)
    out = list(words)
    italic = {i for crop in crops if crop.run.slant for i in crop.run.words}
    for index, found_words in readings.items():
        # Split or joined: a different segmentation, not a better reading.
        if len(found_words) == 1 and _better(words[index], found_words[0], italic=index in italic):
            out[index] = replace(words[index], text=found_words[0].text, confidence=found_words[0].confidence)
    return out
