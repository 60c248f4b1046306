"""Repair of a PDF text layer whose fonts map glyphs to the wrong characters.

Signed PDFs from provincial systems often embed subset fonts with no (or a wrong) ToUnicode
map: the page *shows* "SỞ CÔNG THƯƠNG" but its text layer reads "6Ӣ CÔNG 7+ѬѪ1*". The glyph
codes are still consistent, though: within one font, one code is always one character. So the
text layer is a substitution cipher, and OCR of the page is a noisy reading of its plain text.

The repair:

1. **Votes.** Each OCR'd word is laid over the characters of the text layer that fall inside
   its box; where the counts agree, each glyph (font, code, shape) gets a vote for the character OCR read
   there. A page's votes add up over the whole document.
2. **Decoding.** Each code takes the character that best explains both its votes and the words
   it appears in: a Vietnamese syllable model (:func:`extractor.syllables.syllable_score`)
   scores every word the code occurs in, with each candidate spelling. Tesseract's confusions ("nổ" read as
   "nỗ", "nô" or "nồ") differ from place to place, while a code is one character everywhere,
   so the words outvote the misreadings: "nổ mìn", "bổ sung", "cổ phần" agree on "ổ".
3. **Coverage.** A page is rebuilt from its repaired text layer only when every code on it
   was decoded; otherwise the OCR reading stands (see :mod:`.backend`; :mod:`.repair` lays the
   OCR words over the text layer's glyph codes).

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

from ...syllables import LETTERS, TONES, skeleton

# (font name, character code as the text layer reports it, the glyph's shape: advance width,
# ink above and below the baseline): a broken map may give two glyphs one code ("Ã" and "Ì"
# both as U+00C3, "ũ" and "ụ" as one); their shapes tell them apart.
GlyphKey = tuple[str, int, tuple[int, ...]]

_VOTE_WEIGHT = 2.0  # weight of log(vote share) against the syllable model's log-probabilities
_PUNCTUATION = "\"'“”‘’()[]{}<>.,;:!?…-–—/*"
_MIN_SHARE = 0.05  # characters OCR read for a glyph less often than this are noise


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
    glyphs_of: dict[str, dict[tuple[int, tuple[int, ...]], str]] = defaultdict(dict)
    for (font, code, shape), char in mapping.items():
        glyphs_of[font][code, shape] = char
        if 32 < ord(char) < 127:
            offsets[font][ord(char) - code] += 1
    by_family: dict[str, list[str]] = defaultdict(list)
    for font in sorted(glyphs_of):
        by_family[_subset_tag_free(font)].append(font)
    for key in wanted:
        font, code, shape = key
        counted = offsets.get(font)
        if counted:
            offset, agreeing = counted.most_common(1)[0]
            total = sum(counted.values())
            if ((agreeing >= 3 and agreeing >= 0.9 * total) or agreeing == total >= 2) and 32 < code + offset < 127:
                mapping[key] = chr(code + offset)
                continue
        mine = glyphs_of.get(font, {})
        for other in by_family[_subset_tag_free(font)]:
            theirs = glyphs_of[other]
            if other == font or (code, shape) not in theirs:
                continue
            shared = [glyph for glyph in mine if glyph in theirs]
            if len(shared) >= 5 and all(mine[glyph] == theirs[glyph] for glyph in shared):
                mapping[key] = theirs[code, shape]
                break


def _candidates(votes: Counter[str]) -> list[str]:
    """What a glyph may be: the characters OCR read for it (but rare misreadings), and every
    other diacritic of their letters. OCR misreads some glyphs the same way every time (a bold
    "Ể" as "Ê"); the words the glyph occurs in decide."""
    total = sum(votes.values())
    options = {c for c, n in votes.items() if n >= _MIN_SHARE * total}
    for char in list(options):
        base = skeleton(char)
        if base.isalpha() and len(base) == 1:
            options.update(c.upper() if char.isupper() else c for c in _SIBLINGS.get(base, ()))
    return sorted(options)


def _siblings() -> dict[str, tuple[str, ...]]:
    table: dict[str, set[str]] = defaultdict(set)
    for letter in LETTERS:
        for mark in ("", *TONES):
            composed = unicodedata.normalize("NFC", letter + mark)
            if len(composed) == 1:
                table[skeleton(composed)].add(composed)
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

    def spell(position: int) -> tuple[str, str, str] | None:
        """(leading punctuation, the word in lower case, trailing punctuation), or None when
        the position holds no word (a number, a code, an undecoded glyph)."""
        if not 0 <= position < len(sequence):
            return None
        text = "".join(mapping.get(key, "\ufffd") for key in sequence[position])
        core = text.strip(_PUNCTUATION)
        if not core.isalpha():
            return None
        start = text.index(core)
        return text[:start], core.lower(), text[start + len(core):]

    def score_at(position: int) -> float:
        word = spell(position)
        if word is None:
            return 0.0
        before, after = spell(position - 1), spell(position + 1)
        # Punctuation between two words breaks the pair ("vũ khí, vật liệu").
        left = before[1] if before is not None and not before[2] and not word[0] else None
        right = after[1] if after is not None and not after[0] and not word[2] else None
        return syllable_score(word[1], left, right)

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
                score += sum(score_at(position) for position in occurrences[key])
                if score > best_score:
                    best, best_score = option, score
            changed = changed or best != mapping[key]
            mapping[key] = best
        if not changed:
            break
    _fill_unvoted(mapping, (key for word in sequence for key in word))
    return mapping
