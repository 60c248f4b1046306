"""Vietnamese text helpers shared by every stage: line cleaning, the matching fold, ungluing.

``fold`` gives one spelling to old/new tone placement ("hoà"/"hòa", "uỷ"/"ủy"), to look-alike
letters ("Ð"/"Đ") and to dashes, and lower-cases; it keeps the length of NFC text, so an offset
found in folded text is an offset in the real text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .syllables import is_syllable_shape, syllables, toned_letters

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


def _camel_cut(word: str) -> str:
    """"HoàngTrung" -> "Hoàng Trung", "NAMĐộc" -> "NAM Độc": a capital that opens a word
    inside a token (after two lower-case letters, or after capitals when lower case follows)."""
    out, start = [], 0
    for i in range(2, len(word) - 1):
        c = word[i]
        if c.isupper() and word[i + 1].islower() and (word[i - 2:i].islower() or word[i - 2:i].isupper()) \
                and (word[i - 2:i].islower() or word[i + 1:i + 3].islower()):
            out.append(word[start:i])
            start = i
    return " ".join([*out, word[start:]]) if out else word
_DIGIT_GLUE = re.compile(r"(\d)((?:tháng|năm|ngày)\b)|\b(tháng|năm|ngày)(\d)", re.IGNORECASE)


def _split_glued(word: str) -> str:
    """"thaovà" -> "thao và", "Kínhgửi" -> "Kính gửi": a word that is no syllable but two
    syllables without their space. Only words with Vietnamese letters are tried (ASCII words
    may be English or text that lost its diacritics); the split must be the only one."""
    lower = word.lower()
    if lower in syllables() or word.isascii() or is_syllable_shape(lower):
        return word  # a word, or one that could be (names, rare syllables: "Thuân", "Loỏng")
    words = syllables()
    cuts = [i for i in range(2, len(word) - 1) if lower[:i] in words and lower[i:] in words]
    return f"{word[:cuts[0]]} {word[cuts[0]:]}" if len(cuts) == 1 else word


def _letter_classes() -> tuple[str, str, str]:
    """Regex classes of Vietnamese vowels (every tone), lower-case and upper-case letters."""
    vowels, lower = toned_letters(), set("abcdefghijklmnopqrstuvwxyzđ")
    lower.update(vowels)
    vowel_class = "".join(sorted(set(vowels + [v.upper() for v in vowels])))
    return vowel_class, "".join(sorted(lower)), "".join(sorted(c.upper() for c in lower))


_VOWEL, _LOWER, _UPPER = _letter_classes()
# Punctuation that clings to a word's ends and is no part of it ("(Sở", "VT,", "“nóng”").
WORD_EDGES = "\"'“”‘’()[]{}<>«».,;:!?…*"
UPPER_LETTERS = _UPPER  # every Vietnamese capital, for a regex class: "[" + UPPER_LETTERS + "]"
_TWO_VOWEL_GROUPS = re.compile(rf"[{_VOWEL}][^\W\d_{_VOWEL}]+[{_VOWEL}]")
_CAPITAL_INSIDE = re.compile(rf"[{_LOWER}{_UPPER}][{_UPPER}][{_LOWER}]")
_DIGIT_NEXT_TO_LETTER = re.compile(r"\d[^\W\d_]|[^\W\d_]\d")
# A token worth a look: two vowel groups with a consonant between (a syllable has one), or a
# capital inside a word. Most tokens are neither, and are passed over by the regex alone.
_SUSPECT = re.compile(
    rf"(?<![^\W\d_])[^\W\d_]*(?:[{_VOWEL}][^\W\d_{_VOWEL}]+[{_VOWEL}]|[{_LOWER}{_UPPER}][{_UPPER}][{_LOWER}])[^\W\d_]*")


@lru_cache(maxsize=16384)
def _unglue_word(word: str) -> str:
    return " ".join(_split_glued(w) for w in _camel_cut(word).split(" "))


def unglue(text: str) -> str:
    """Put back the spaces web copies and exports lose between words: "Kínhgửi", "ngày
    05tháng", "HoàngTrung", "VIỆT NAMĐộc lập", "Thể thaovà" (Nghị định 30/2020 text is
    written syllable by syllable, so two syllables in one token are two words)."""
    if _DIGIT_NEXT_TO_LETTER.search(text):
        text = _DIGIT_GLUE.sub(lambda m: " ".join(g for g in m.groups() if g), text)
    if not (_TWO_VOWEL_GROUPS.search(text) or _CAPITAL_INSIDE.search(text)):
        return text  # nearly every line: nothing to look at
    return _SUSPECT.sub(lambda m: _unglue_word(m.group()) if len(m.group()) >= 4 else m.group(), text)
