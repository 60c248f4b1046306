"""Whether a PDF text layer reads as Vietnamese or as mojibake.

Signed PDFs from provincial systems often embed fonts whose ToUnicode map is wrong ("6Ӣ CÔNG
7+ѬѪ1*" for "SỞ CÔNG THƯƠNG"). A garbage text layer is worse than none: such pages, and such
lines, are recognised by the share of words that cannot be Vietnamese (odd scripts,
impossible casing, impossible syllables) and are dropped with a warning -- or read by OCR, or
repaired -- rather than passed on as text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ...syllables import LETTERS, LOAN_LETTERS, SYLLABLE_SHAPE, TONE_MARKS

# Vietnamese letters without tone marks (and the loan letters of codes and names); tone marks
# are checked separately.
_VN_BASE = frozenset(LETTERS + LOAN_LETTERS)
_WORD_EDGES = "\"'“”‘’()[]{}<>«».,;:!?…*"
_WORD_PARTS = re.compile(r"[-/.,:;+&_=()\[\]]+")


@lru_cache(maxsize=1 << 16)
def _word_verdict(token: str) -> str | None:
    """``good`` (a Vietnamese syllable), ``odd`` (cannot be text), ``neutral`` or None.

    Mojibake from a broken ToUnicode map puts Cyrillic, Latin-1 symbols and capitals in the
    middle of words ("OXұW", "ng‡y", "CÙng"); real Vietnamese text, codes and English loans
    included, almost never does (< 2% of words in the corpus, > 75% on broken pages).
    """
    word = token.strip(_WORD_EDGES)
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
