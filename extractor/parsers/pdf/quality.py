"""Whether a PDF text layer reads as Vietnamese or as mojibake.

Signed PDFs from provincial systems often embed fonts whose ToUnicode map is wrong ("6Ӣ CÔNG
7+ѬѪ1*" for "SỞ CÔNG THƯƠNG"). A garbage text layer is worse than none: such pages, and such
lines, are recognised by the share of words that cannot be Vietnamese (odd scripts,
impossible casing, impossible syllables) and are dropped with a warning -- or read by OCR, or
repaired -- rather than passed on as text.

A hidden text layer can also be of another language: a scanner's OCR run in English leaves
Vietnamese words without their marks ("Uy ban nhan dan tinh", "S6: 2496"). Such words are
well-formed syllables, so they pass the mojibake test; but written Vietnamese marks most of its
syllables (two in three words or more on every page of the corpus, a tenth in an English OCR
layer), so a page whose syllables are nearly all bare is not Vietnamese text (:func:`unmarked`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ...syllables import LETTERS, LOAN_LETTERS, SYLLABLE_SHAPE, TONE_MARKS
from ...vntext import WORD_EDGES

# Vietnamese letters without tone marks (and the loan letters of codes and names); tone marks
# are checked separately.
_VN_BASE = frozenset(LETTERS + LOAN_LETTERS)
_WORD_PARTS = re.compile(r"[-/.,:;+&_=()\[\]]+")


@lru_cache(maxsize=1 << 16)
def _word_verdict(token: str) -> str | None:
    """``good`` (a Vietnamese syllable), ``odd`` (cannot be text), ``neutral`` or None.

    Mojibake from a broken ToUnicode map puts Cyrillic, Latin-1 symbols and capitals in the
    middle of words ("OXұW", "ng‡y", "CÙng"); real Vietnamese text, codes and English loans
    included, almost never does (< 2% of words in the corpus, > 75% on broken pages).
    """
    word = token.strip(WORD_EDGES)
    verdicts: list[str] = []
    for part in _WORD_PARTS.split(word):
        if not any(c.isalpha() for c in part):
            continue
        decomposed = unicodedata.normalize("NFD", part)
        tones = sum(c in TONE_MARKS for c in decomposed)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
        lower = base.lower()
        if any(not c.isalnum() or (c.isalpha() and c not in _VN_BASE) for c in lower):
            verdicts.append("odd")
        elif any(c.isdigit() for c in base):
            verdicts.append("neutral")  # codes: 1074/QĐ-BXD, Km2+571
        elif not (base == lower or base == base.upper() or base[1:] == lower[1:]) or tones > 1:
            verdicts.append("odd")  # "CÙng", "NLӇP": capitals inside a word, or two tones
        elif SYLLABLE_SHAPE.fullmatch(lower):
            verdicts.append("good")
        elif base.isascii() or (base == base.upper() and not tones):
            verdicts.append("neutral")  # English words, acronyms (UBND, HĐND)
        else:
            verdicts.append("odd")
    if not verdicts:
        return None
    if "odd" in verdicts:
        return "odd"
    return "good" if "good" in verdicts else "neutral"


@lru_cache(maxsize=1 << 16)
def _marked(token: str) -> bool | None:
    """Whether a Vietnamese syllable carries a mark (a tone, or the letters ă â đ ê ô ơ ư);
    None for anything that is not a syllable (codes, acronyms, mojibake)."""
    if _word_verdict(token) != "good":
        return None
    return any(unicodedata.combining(c) or c == "đ" for c in unicodedata.normalize("NFD", token.lower()))


# At least this many syllables, fewer than this share of them marked: not Vietnamese text.
_MIN_SYLLABLES = 20
_MIN_MARKED_SHARE = 0.3


def unmarked(text: str) -> bool:
    """True when ``text`` has enough syllables to judge and too few of them carry a mark:
    Vietnamese with its marks lost (OCR in another language), not Vietnamese as written."""
    verdicts = [m for token in text.split() if (m := _marked(token)) is not None]
    return len(verdicts) >= _MIN_SYLLABLES and sum(verdicts) < _MIN_MARKED_SHARE * len(verdicts)


def word_counts(text: str) -> tuple[int, int]:
    """(Vietnamese words, impossible words) in ``text``. Verdicts are cached: a notice uses a
    few hundred distinct syllables, so nearly every word is a cache hit."""
    good = odd = 0
    for token in text.split():
        verdict = _word_verdict(token)
        if verdict == "good":
            good += 1
        elif verdict == "odd":
            odd += 1
    return good, odd


def garbled(good: int, odd: int, *, page: bool) -> bool:
    """Whether (good, odd) word counts make a page (or, with ``page`` false, a line) garbage."""
    judged = good + odd
    if page and judged >= 8:
        return odd >= 0.3 * judged
    return odd >= (3 if page else 2) and odd >= 0.5 * judged


def is_garbled(text: str) -> bool:
    """True when a page's text layer reads as mojibake rather than Vietnamese."""
    return garbled(*word_counts(text), page=True)
