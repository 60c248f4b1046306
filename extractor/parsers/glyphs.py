"""Repair of a PDF text layer whose fonts map glyphs to the wrong characters.

Signed PDFs from provincial systems often embed subset fonts with no (or a wrong) ToUnicode
map: the page *shows* "SỞ CÔNG THƯƠNG" but its text layer reads "6Ӣ CÔNG 7+ѬѪ1*". The glyph
codes are still consistent, though: within one font, one code is always one character. So the
text layer is a substitution cipher, and OCR of the page is a noisy reading of its plain text.

The repair:

1. **Votes.** Each OCR'd word is laid over the characters of the text layer that fall inside
   its box; where the counts agree, each (font, code) gets a vote for the character OCR read
   there. A page's votes add up over the whole document.
2. **Decoding.** Each code takes the character that best explains both its votes and the words
   it appears in: a Vietnamese syllable model (:func:`.ocr.syllable_score`) scores every word
   the code occurs in, with each candidate spelling. Tesseract's confusions ("nổ" read as
   "nỗ", "nô" or "nồ") differ from place to place, while a code is one character everywhere,
   so the words outvote the misreadings: "nổ mìn", "bổ sung", "cổ phần" agree on "ổ".
3. **Coverage.** A page is rebuilt from its repaired text layer only when every code on it
   was decoded; otherwise the OCR reading stands (see :mod:`.pdf`).

The result keeps the text layer's exact characters, positions and line structure, and reads
figures, names and symbols as printed, which OCR alone gets wrong now and then.
"""

from __future__ import annotations

import difflib
import math
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

GlyphKey = tuple[str, int]  # (font name, character code as the text layer reports it)

_VOTE_WEIGHT = 2.0  # weight of log(vote share) against the syllable model's log-probabilities
_MIN_SHARE = 0.05  # candidate characters need at least this share of a code's votes...
_SIBLING_SHARE = 0.34  # ...or, for another tone/diacritic of the leader, a leader this unsure


def _base(char: str) -> str:
    """The letter under all diacritics ("ổ" -> "o", "đ" -> "d")."""
    stripped = "".join(c for c in unicodedata.normalize("NFD", char.lower()) if not unicodedata.combining(c))
    return stripped.replace("đ", "d")


@dataclass
class GlyphVotes:
    """What OCR read for each glyph code, over all pages of one document."""

    counts: dict[GlyphKey, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    def add_word(self, keys: Sequence[GlyphKey], read: str) -> bool:
        """One OCR'd word over the glyph codes under it; False when they do not line up."""
        chars = list(unicodedata.normalize("NFC", read))
        if len(chars) != len(keys) or not chars:
            return False
        for key, char in zip(keys, chars, strict=True):
            self.counts[key][char] += 1
        return True

    def add_loose(self, keys: Sequence[GlyphKey], read: str, known: dict[GlyphKey, str]) -> None:
        """A word whose length differs from the codes under it (an ellipsis read as three dots,
        a stray mark): the codes are decoded as far as ``known`` goes and lined up with the OCR
        reading; codes in stretches of equal length get votes."""
        read = unicodedata.normalize("NFC", read).replace("...", "\u2026")
        decoded = "".join(known.get(key, "\ufffd") for key in keys)
        matcher = difflib.SequenceMatcher(None, decoded, read, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op in ("equal", "replace") and i2 - i1 == j2 - j1:
                for key, char in zip(keys[i1:i2], read[j1:j2], strict=True):
                    if op == "replace" and key in known:
                        continue  # a code already read elsewhere: this is OCR noise
                    self.counts[key][char] += 1


def _subset_tag_free(font: str) -> str:
    """The font's name without its subset tag ("XKNDLD+TimesNewRomanPSMT" -> "TimesNewRomanPSMT")."""
    tag, plus, rest = font.partition("+")
    return rest if plus and len(tag) == 6 and tag.isupper() else font


def _fill_unvoted(mapping: dict[GlyphKey, str], keys: Iterable[GlyphKey]) -> None:
    """Codes no OCR word covered, where the font's other codes leave no doubt:

    * a font whose voted ASCII characters sit at one fixed distance from their codes (0 when
      only some of its characters are broken; 29 for subset TrueType fonts written by glyph
      index, whose glyphs follow the standard Macintosh order) gives its other ASCII codes
      that distance too;
    * subsets of one font (same name but for the tag) that agree wherever both were voted
      share their decodings."""
    wanted = sorted({key for key in keys if key not in mapping}, key=repr)
    if not wanted:
        return
    offsets: dict[str, Counter[int]] = defaultdict(Counter)
    for (font, code), char in mapping.items():
        if 32 < ord(char) < 127:
            offsets[font][ord(char) - code] += 1
    by_family: dict[str, list[str]] = defaultdict(list)
    for font in sorted({font for font, _ in mapping}):
        by_family[_subset_tag_free(font)].append(font)
    for font, code in wanted:
        counted = offsets.get(font)
        if counted:
            offset, agreeing = counted.most_common(1)[0]
            total = sum(counted.values())
            if ((agreeing >= 3 and agreeing >= 0.9 * total) or agreeing == total >= 2) and 32 < code + offset < 127:
                mapping[font, code] = chr(code + offset)
                continue
        for other in by_family[_subset_tag_free(font)]:
            if other == font or (other, code) not in mapping:
                continue
            shared = [c for (f, c) in mapping if f == font and (other, c) in mapping]
            if len(shared) >= 5 and all(mapping[font, c] == mapping[other, c] for c in shared):
                mapping[font, code] = mapping[other, code]
                break


def _candidates(votes: Counter[str]) -> list[str]:
    total = sum(votes.values())
    leader, top = votes.most_common(1)[0]
    options = {c for c, n in votes.items() if n >= _MIN_SHARE * total}
    if top < (1 - _SIBLING_SHARE) * total or len(options) > 1:
        # OCR is unsure of this glyph: its other diacritics are candidates too.
        base = _base(leader)
        if base.isalpha() and len(base) == 1:
            options.update(_SIBLINGS.get(base, ()))
            if leader.isupper():
                options = {c.upper() for c in options}
    return sorted(options)


def _siblings() -> dict[str, tuple[str, ...]]:
    letters = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
    marks = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
    table: dict[str, set[str]] = defaultdict(set)
    for letter in letters:
        for mark in marks:
            composed = unicodedata.normalize("NFC", letter + mark)
            if len(composed) == 1:
                table[_base(composed)].add(composed)
    return {k: tuple(sorted(v)) for k, v in table.items()}


_SIBLINGS = _siblings()


def decode(
    votes: GlyphVotes,
    words: Iterable[Sequence[GlyphKey]],
    syllable_score: Callable[[str, str | None, str | None], float],
    *,
    rounds: int = 2,
) -> dict[GlyphKey, str]:
    """The character of every voted code. ``words`` are the text layer's words as code
    sequences, in reading order (neighbours give the syllable model its context)."""
    mapping = {key: counter.most_common(1)[0][0] for key, counter in votes.counts.items() if counter}
    sequence = [tuple(w) for w in words if w]
    occurrences: dict[GlyphKey, list[int]] = defaultdict(list)
    for position, word in enumerate(sequence):
        for key in set(word):
            occurrences[key].append(position)

    def spell(position: int) -> str | None:
        if not 0 <= position < len(sequence):
            return None
        text = "".join(mapping.get(key, "\ufffd") for key in sequence[position])
        return text.lower() if text.isalpha() else None

    for _ in range(rounds):
        changed = False
        for key in sorted(mapping, key=repr):
            counter = votes.counts[key]
            options = _candidates(counter)
            if len(options) < 2:
                continue
            total = sum(counter.values())
            best, best_score = mapping[key], -math.inf
            for option in options:
                mapping[key] = option
                score = _VOTE_WEIGHT * math.log((counter[option] + 0.5) / (total + 0.5))
                for position in occurrences[key]:
                    word = spell(position)
                    if word is not None:
                        score += syllable_score(word, spell(position - 1), spell(position + 1))
                if score > best_score:
                    best, best_score = option, score
            changed = changed or best != mapping[key]
            mapping[key] = best
        if not changed:
            break
    _fill_unvoted(mapping, (key for word in sequence for key in word))
    return mapping
