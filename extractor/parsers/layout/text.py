"""Text clean-up at page level: control characters, pdfium's hyphen marker, words split over lines.

Nothing here joins wrapped lines into paragraphs: a later stage does that for every format.
Only a word that certainly ran over a line end is joined again (:func:`rejoin_hyphens`).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from typing import TYPE_CHECKING

from ...syllables import SYLLABLE_SHAPE

if TYPE_CHECKING:
    from .model import Line

# pdfium joins a line ending in "letter-" to the next one starting lower-case, writing U+FFFE
# for the hyphen and no line break; the PDF backend splits there again and keeps the marker
# until here, where it becomes the hyphen it was.
JOINED_HYPHEN = "\ufffe"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")
_SOFT_HYPHENS = ("\u00ad", "\x02")


def clean(text: str) -> str:
    """NFC, tabs as spaces, pdfium's hyphen marker as "-", other control characters as spaces."""
    text = text.replace("\t", " ").replace(JOINED_HYPHEN, "-")
    return _CONTROL.sub(" ", unicodedata.normalize("NFC", text)).strip()


_HARD_HYPHEN_END = re.compile(r"(?:^|\s)([a-z]{2,})-$")
_WORD_START = re.compile(r"^([a-z]+)(?=$|[\s.,;:!?)])")


def rejoin_hyphens(lines: list[Line]) -> None:
    """Rejoin a word split across two lines when that is certain: after a soft hyphen, or after
    a hard hyphen between two plain lower-case Latin fragments the first of which cannot be a
    Vietnamese syllable ("infor-" / "mation"). Vietnamese syllables are not hyphenated."""
    body = [line for line in lines if not line.furniture and (line.text or line.rows is not None)]
    for first, second in itertools.pairwise(body):
        if first.rows is not None or second.rows is not None:
            continue  # no word runs into or out of a table
        text = first.text
        if text.endswith(_SOFT_HYPHENS) and len(text) > 1 and text[-2].isalpha():
            match = re.match(r"^(\w+)(.*)$", second.text)
            if match and match.group(1)[0].islower():
                first.text = text[:-1] + match.group(1)
                second.text = match.group(2).lstrip()
            continue
        end = _HARD_HYPHEN_END.search(text)
        start = _WORD_START.match(second.text)
        if end and start and not SYLLABLE_SHAPE.fullmatch(end.group(1)):
            first.text = text[:-1] + start.group(1)
            second.text = second.text[start.end() :].lstrip()
