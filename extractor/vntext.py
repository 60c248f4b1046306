"""Vietnamese text helpers shared by every stage: line cleaning and the matching fold.

``fold`` gives one spelling to old/new tone placement ("hoà"/"hòa", "uỷ"/"ủy"), to look-alike
letters ("Ð"/"Đ") and to dashes, and lower-cases; it keeps the length of NFC text, so an offset
found in folded text is an offset in the real text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad\r]")
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))
_LOOKALIKES = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111", "\u0189": "\u0110"})
# A tone mark written on the second vowel of "oa", "oe", "uy" (new style) moves to the first
# (old style) or back: we fold both to the old style, which is what score tools also use.
_TONE_ON_SECOND = re.compile(r"([oOuU])([aAeEyY])([\u0300\u0301\u0303\u0309\u0323])(?![\u0300-\u036f])")


_UNCLEAN = re.compile(r"[\t\u00a0\u1680\u2000-\u200d\u202f\u205f\u2060\u3000\ufeff\u00ad\r]|  ")


def clean_line(text: str) -> str:
    """NFC, one kind of space, no invisible characters; line-level only."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _UNCLEAN.search(text):  # most lines are clean already: skip the rewrites
        text = _INVISIBLE.sub("", text)
        text = _SPACES.sub(" ", text)
        text = re.sub(r" {2,}", " ", text)
    return text.strip()


@lru_cache(maxsize=65536)  # the same short phrases are folded over and over (hot path)
def fold(text: str) -> str:
    """Matching key of NFC ``text`` with the same length (see module docstring)."""
    folded = unicodedata.normalize("NFC", _TONE_ON_SECOND.sub(r"\1\3\2", unicodedata.normalize("NFD", text)))
    folded = folded.translate(_DASHES).translate(_LOOKALIKES).lower()
    if len(folded) != len(text):
        # Only exotic characters (e.g. "İ") change length when lower-cased: fold char by char.
        folded = "".join(low if len(low := c.lower()) == 1 else c for c in text.translate(_DASHES))
    return folded
