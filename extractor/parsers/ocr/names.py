"""A raw reading of the lines that are a person's name: the signer above all.

Read within the page, Tesseract's Vietnamese model pulls a rare syllable of a name towards a
common word with the same letters: the signer "Hoàng Văn Thuân" of four scanned notices came
back "Thuần" (confidence 70), and a name has no neighbours to set it right by context. Read
alone as a raw line (Tesseract's ``--psm 13``, no layout analysis), the same crop gives
"Thuân" at 93. Raw lines lose spaces more often ("QuangHiến"), so the raw reading is only a
second opinion, word for word:

* a name is two to five words in a row on a line, each a capitalised Vietnamese syllable (no
  digits, no punctuation): "Hoàng Văn Thuân", "Lê Trí Hà"; only the run is cut out and read;
* a raw word replaces the page's only when the run splits into the same number of words, it
  has the same letters (only its diacritics differ: a name is misread by its tone marks, not
  its letters), and Tesseract is sure of it (80) and not much less sure than of the page's
  word. Not "surer": in one notice the page's "Thuần" scored 93, as sure as the raw "Thuân".
  On the 29 scanned signature lines of both sets (Lào Cai and wide), wherever the two readings
  split the name alike and differed, the raw one was right (five of five).

One short call per name line (a notice has one or two); at most :data:`MAX_LINES` a page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from ...syllables import is_syllable_shape, skeleton
from .reread import text_lines

if TYPE_CHECKING:
    from PIL import Image

    from .types import OcrWord

MAX_LINES = 6  # name lines read again per page
_NAME_WORDS = (2, 5)  # words in a line that is a name
_SLACK = 5.0  # how much less sure the raw reading of a word may be than the page's
_MIN_CONFIDENCE = 80.0


def _is_name_word(text: str) -> bool:
    return (len(text) > 1 and text.isalpha() and text[0].isupper() and text[1:].islower()
            and is_syllable_shape(text.lower()))


def name_lines(words: Sequence[OcrWord]) -> list[list[int]]:
    """The runs of name words (word indexes, left to right) that are a person's name, bottom of
    the page first. A run is a whole line, or the part of one beside another column: in the
    signature block Tesseract often reads the name on one line with the recipients' last line
    ("- Lưu: VT, CN. Hoàng Văn Thuân")."""
    found: list[list[int]] = []
    for members in text_lines(words).values():
        run: list[int] = []
        for i in [*members, -1]:
            if i >= 0 and _is_name_word(words[i].text):
                run.append(i)
                continue
            if _NAME_WORDS[0] <= len(run) <= _NAME_WORDS[1]:
                found.append(run)
            run = []
    found.sort(key=lambda run: -words[run[0]].top)
    return found[:MAX_LINES]


def _better(old: OcrWord, new: OcrWord) -> bool:
    return (new.text != old.text and _is_name_word(new.text) and skeleton(new.text) == skeleton(old.text)
            and new.confidence >= max(old.confidence - _SLACK, _MIN_CONFIDENCE))


def reread_names(image: Image.Image, words: list[OcrWord], read_line: Callable[[Image.Image], list[OcrWord]]) -> list[OcrWord]:
    """``words`` with the words of name lines that a raw reading of their line gets surer."""
    out = list(words)
    for members in name_lines(words):
        line = [words[i] for i in members]
        height = max(w.bottom - w.top for w in line)
        box = (max(0, int(min(w.left for w in line) - height)), max(0, int(min(w.top for w in line) - height / 2)),
               min(image.width, int(max(w.right for w in line) + height)),
               min(image.height, int(max(w.bottom for w in line) + height / 2)))
        if box[2] <= box[0] or box[3] <= box[1]:
            continue
        raw = [w for w in read_line(image.crop(box)) if any(c.isalpha() for c in w.text)]  # not the edges' specks
        if len(raw) != len(members):
            continue  # split or joined differently: no word-for-word second opinion
        for index, new in zip(members, raw, strict=True):
            if _better(words[index], new):
                out[index] = replace(words[index], text=new.text, confidence=new.confidence)
    return out
