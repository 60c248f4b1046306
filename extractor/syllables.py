"""Vietnamese syllables: shared knowledge of what one looks like and how likely it is.

Vietnamese is written syllable by syllable, each an onset, a vowel group and a coda, with at
most one tone mark. Several stages lean on that: the OCR word check (:mod:`.parsers.ocr`),
the repair of broken PDF fonts (:mod:`.parsers.pdf.glyphs`), the check that a PDF text layer
is not mojibake (:mod:`.parsers.pdf.quality`), the recognition of legacy encodings
(:mod:`.parsers.legacy_encodings`) and the ungluing of words in :mod:`.vntext`. They all read
the alphabet, the tone marks, the syllable shapes and the syllable model from here, so that
one spelling rule is written once. Nothing here imports the parsers or any later stage.

**Where the model's data comes from, and why it fails loudly.** The dictionary check and the
syllable bigram model are built from three data files that the ``underthesea`` package ships
(its Viet74K word list, its place-name mapping and the tagged VLSP 2013 sample of its POS
model). They are internal files of that package, not an API: a release may move them. They
used to be skipped silently when missing, which left OCR correction quietly worse; now the
first use raises :class:`LanguageDataMissing`, naming the file and the installed version, and
``tests/test_syllables.py`` checks that every file is where we expect. We do not copy the
counts into ``extractor/data`` at build time: the sample alone is over 1 MB of news text under
underthesea's licence, and a derived copy would have to be regenerated and re-licensed with
every upgrade, while the check costs nothing.
"""

from __future__ import annotations

import contextlib
import importlib.util
import itertools
import json
import math
import re
import unicodedata
from collections import Counter, defaultdict
from functools import cache, lru_cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any

# --------------------------------------------------------------------------- the alphabet

# The five tone marks as combining characters (grave, acute, tilde, hook above, dot below).
TONES = ("\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
TONE_MARKS = frozenset(TONES)
# The Vietnamese alphabet's 29 letters, and the loan letters that codes and names add.
LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
LOAN_LETTERS = "fjwz"
VOWELS = "aăâeêioôơuưy"

_ONSET = r"(?:ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdđghklmnprstvx])?"
_CODA = r"(?:ch|ng|nh|[cmnpt])?"
# One Vietnamese syllable, tone marks aside: onset, one to three vowels, coda. Loose on
# purpose: it says whether a word *could* be a syllable (names, rare syllables pass).
SYLLABLE_SHAPE = re.compile(rf"{_ONSET}[{VOWELS}]{{1,3}}{_CODA}")
# The same with only the vowel groups Vietnamese spells: whether a word is *well formed*
# (legacy-encoding statistics count these, where a loose shape would let junk score).
_NUCLEUS = (
    r"(?:iêu|yêu|oai|oay|oeo|uây|uôi|ươi|ươu|uya|uyê|uyu|"
    r"ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|ôi|ơi|oo|ua|uâ|uê|ui|uô|uơ|ưa|ưi|ưu|ươ|uy|ya|yê|"
    r"[aăâeêioôơuưy])"
)
WELL_FORMED_SYLLABLE = re.compile(rf"{_ONSET}{_NUCLEUS}{_CODA}")

_STRIP = str.maketrans("ăâđêôơư", "aadeoou")


def strip_tones(text: str) -> str:
    """``text`` (NFC) without its tone marks; letter modifiers (circumflex, breve, horn) stay."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))


def tone_count(text: str) -> int:
    """How many tone marks ``text`` carries (a syllable has at most one)."""
    return sum(c in TONE_MARKS for c in unicodedata.normalize("NFD", text))


def is_syllable_shape(word: str) -> bool:
    """Whether lower-case ``word`` could be one Vietnamese syllable."""
    return bool(SYLLABLE_SHAPE.fullmatch(strip_tones(word)))


@cache
def is_well_formed_syllable(word: str) -> bool:
    """A lower-case NFC word spelled like one Vietnamese syllable (at most one tone mark)."""
    if tone_count(word) > 1:
        return False
    return WELL_FORMED_SYLLABLE.fullmatch(strip_tones(word)) is not None


def skeleton(text: str) -> str:
    """The letters without any diacritic, lower case: "nổ", "nỗ", "nô" -> "no"; "Đ" -> "d"."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base.translate(_STRIP)


def toned_letters() -> list[str]:
    """Every vowel with every tone (and none), lower case, NFC."""
    return [unicodedata.normalize("NFC", base + tone) for base in VOWELS for tone in ("", *TONES)]


def all_marks(word: str) -> list[str]:
    """Every diacritic of a word, wherever it sits ("hóa" and "hoá" have the same)."""
    return sorted(c for c in unicodedata.normalize("NFD", word) if unicodedata.combining(c))


def marks(char: str) -> tuple[frozenset[str], str]:
    """(letter modifiers: circumflex, breve, horn, stroke; the tone mark or "")."""
    decomposed = unicodedata.normalize("NFD", char)
    modifiers = {c for c in decomposed if unicodedata.combining(c) and c not in TONE_MARKS}
    if char in "đĐ":
        modifiers.add("stroke")
    return frozenset(modifiers), "".join(c for c in decomposed if c in TONE_MARKS)


def marks_apart(a: str, b: str) -> int:
    """How many diacritics differ between two spellings of one skeleton (a tone mark for
    another counts once)."""
    total = 0
    for x, y in zip(a, b, strict=False):
        (mods_x, tone_x), (mods_y, tone_y) = marks(x), marks(y)
        total += len(mods_x ^ mods_y) + (tone_x != tone_y)
    return total


# --------------------------------------------------------------------------- underthesea's data

VIET74K = "corpus/data/Viet74K.txt"  # the word list: one word (syllables spaced) a line
PLACES = "address/data/mapping.json"  # provinces, old provinces, wards
VLSP_SAMPLE = "pipeline/pos_tag/models/pos_crf_vlsp2013_20230303/test_output.txt"  # tagged news text
UNDERTHESEA_FILES = (VIET74K, PLACES, VLSP_SAMPLE)


class LanguageDataMissing(RuntimeError):
    """A data file of underthesea that the syllable model is built from is not installed where
    this code expects it (see the module docstring)."""


def _underthesea_version() -> str:
    try:
        return metadata.version("underthesea")
    except metadata.PackageNotFoundError:
        return "(not installed)"


@cache
def _underthesea_dir() -> Path | None:
    """Where underthesea is installed, found without importing it (its package imports its
    NLP pipeline: 0.4 s that every process would pay for two data files)."""
    spec = importlib.util.find_spec("underthesea")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    return Path(locations[0]) if locations else None


@cache
def _missing(relative: str) -> str | None:
    """Why ``relative`` cannot be read from underthesea, or None. Checked once per file."""
    root = _underthesea_dir()
    if root is None:
        return "underthesea is not installed (pip install 'underthesea>=6.8')"
    path = root / relative
    if not path.is_file():
        return (f"underthesea {_underthesea_version()} has no data file {relative} (looked for {path}); "
                "the Vietnamese syllable model is built from it: install a release that ships it")
    return None


def underthesea_text(relative: str) -> str:
    """The text of one of underthesea's data files (UTF-8); :class:`LanguageDataMissing` if
    it is not where we expect it."""
    if (reason := _missing(relative)) is not None:
        raise LanguageDataMissing(reason)
    root = _underthesea_dir()
    assert root is not None
    return (root / relative).read_text(encoding="utf-8")


@cache
def syllables() -> frozenset[str]:
    """Vietnamese syllables, lower case (from underthesea's word list, Viet74K)."""
    return frozenset(w for line in underthesea_text(VIET74K).splitlines() for w in line.strip().lower().split())


def _strings(value: object) -> list[str]:
    """Every string in a JSON value (keys starting with "_" are comments)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        return [s for k, v in value.items() if not k.startswith("_") for s in _strings(v)]
    return []


@lru_cache(maxsize=1)
def domain_phrases() -> tuple[str, ...]:
    """The terms of the extractor's own data files: unit names, section words, deadline
    phrases, document types, terms of public administration."""
    data = resources.files("extractor").joinpath("data")
    phrases: list[str] = []
    for name in ("units.json", "sections.json", "deadlines.json", "doc_types.json", "terms.json"):
        with contextlib.suppress(FileNotFoundError, OSError, ValueError):
            phrases += _strings(json.loads(data.joinpath(name).read_text(encoding="utf-8")))
    return tuple(phrases)


def places() -> dict[str, Any]:
    """underthesea's mapping of provinces and wards (parsed anew: it is large and read twice)."""
    return json.loads(underthesea_text(PLACES))


def _phrases() -> list[str]:
    """Vietnamese words and names, lower case, syllables separated by spaces."""
    out = underthesea_text(VIET74K).splitlines()
    mapping = places()
    for key in ("province_names", "old_province_names"):
        for entry in mapping.get(key, {}).values():
            out += [entry.get("name", ""), entry.get("short", "")]
    for row in mapping.get("ward_mapping", []):
        out += [v for k, v in row.items() if not k.endswith(("_key", "_type")) and isinstance(v, str)]
    return [*out, *domain_phrases()]


# --------------------------------------------------------------------------- the syllable model


@lru_cache(maxsize=1)
def lexicon() -> tuple[frozenset[tuple[str, str]], dict[str, tuple[str, ...]], frozenset[str]]:
    """Two-syllable sequences found in Vietnamese words and names; the syllables of each
    skeleton; all syllables."""
    pairs: set[tuple[str, str]] = set()
    by_skeleton: dict[str, set[str]] = defaultdict(set)
    for phrase in _phrases():
        words = unicodedata.normalize("NFC", phrase).lower().replace(",", " ").split()
        if not words or not all(s.isalpha() for s in words):
            continue
        for s in words:
            by_skeleton[skeleton(s)].add(s)
        pairs.update(itertools.pairwise(words))
    known = frozenset(s for group in by_skeleton.values() for s in group)
    return frozenset(pairs), {k: tuple(sorted(v)) for k, v in by_skeleton.items()}, known


@lru_cache(maxsize=1)
def model() -> tuple[Counter[str], Counter[tuple[str, str]], int]:
    """Syllable and syllable-pair counts of running Vietnamese text (the tagged VLSP sample that
    underthesea ships), with every dictionary word and name counted once more."""
    unigrams: Counter[str] = Counter()
    bigrams: Counter[tuple[str, str]] = Counter()
    previous: str | None = None
    for row in underthesea_text(VLSP_SAMPLE).splitlines():
        token = row.split("\t", 1)[0]
        if not token.strip():
            previous = None
            continue
        for syllable in unicodedata.normalize("NFC", token).lower().split():
            if not syllable.isalpha():
                previous = None
                continue
            unigrams[syllable] += 1
            if previous is not None:
                bigrams[previous, syllable] += 1
            previous = syllable
    pairs, _, known = lexicon()
    unigrams.update(known)
    bigrams.update(pairs)
    return unigrams, bigrams, sum(unigrams.values())


# The weight of the unigram model where a syllable pair was never seen.
_BACKOFF = 2.0


def syllable_score(word: str, left: str | None, right: str | None) -> float:
    """How likely ``word`` (lower case) is between ``left`` and ``right`` in Vietnamese text:
    log P(word | left) + log P(right | word) under an interpolated bigram model (neighbours
    may be None)."""
    unigrams, bigrams, total = model()
    vocabulary = len(unigrams)

    def p_uni(w: str) -> float:
        return (unigrams[w] + 0.1) / (total + 0.1 * vocabulary)

    def p_bi(a: str, b: str) -> float:
        seen = unigrams[a]
        return (bigrams[a, b] + _BACKOFF * p_uni(b)) / (seen + _BACKOFF)

    score = math.log(p_bi(left, word)) if left is not None else math.log(p_uni(word))
    if right is not None:
        score += math.log(p_bi(word, right))
    return score
