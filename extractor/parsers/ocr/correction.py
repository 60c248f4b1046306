"""The dictionary check of OCR'd words: what the engine misread, repaired by context.

Tesseract's fast Vietnamese model gets most words right but confuses stacked diacritics
("nỗ"/"nổ", "thấm"/"thẩm", "dần"/"dân", "quyên"/"quyền"), glues words where a justified line
has narrow spaces ("triệtsâu") and splits a capital off its word ("N guyễn"). Its confidences
do not tell these apart (a wrong "Tông" scores 97), so the check is by context: two
neighbouring syllables that form a known word. The vocabulary is general -- underthesea's
Viet74K dictionary, the national list of place names shipped with it -- plus the phrases the
extractor itself looks for (:mod:`extractor.syllables` builds it, and the syllable model).

* A word that is no syllable takes the spelling (other diacritics) that forms a word with a
  neighbour (:func:`correct_tokens`).
* A real syllable that breaks a collocation its other spelling makes ("chặt chế") is
  respelled only where Tesseract was unsure of it (:func:`fix_unsure_collocations`): the
  syllable-pair statistics come from news text, and overrule a confident reading wrongly
  more often than rightly ("các phường" is no "các phương").
* Acronyms misread once ("VLUNCN") take the spelling the document uses elsewhere ("VLNCN";
  :func:`fix_acronyms`).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from ...syllables import all_marks, domain_phrases, is_syllable_shape, lexicon, marks_apart, model, places, skeleton
from .reread import text_lines

if TYPE_CHECKING:
    from .types import OcrWord

_EDGE = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)


def _core(token: str) -> tuple[str, str, str]:
    """(leading punctuation, the word, trailing punctuation)."""
    match = _EDGE.match(token)
    assert match is not None
    return match.group(1), match.group(2), match.group(3)


def _recase(template: str, word: str) -> str:
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def clean_word(text: str) -> str:
    """Character-level repairs: the Icelandic eth Tesseract writes for "Đ" (once for it, or
    next to it: "QĐÐ"), the fraction slash it writes for "/" ("1105⁄KH-ĐKT"), and the space it
    loses after a comma in italics ("Cai,ngày")."""
    text = text.replace("ĐÐ", "Đ").replace("ÐĐ", "Đ").replace("Ð", "Đ").replace("ð", "đ")
    text = text.replace("\u2044", "/").replace("\u2215", "/")
    return re.sub(r"(?<=[^\W\d_]),(?=[^\W\d_])", ", ", text)


_COMMON = 5  # occurrences in the text sample that make a syllable common


def _split_glued(token: str, syllables: frozenset[str]) -> list[str]:
    """"triệtsâu" -> "triệt sâu", "UBNDcác" -> "UBND các", "dụngVLNCN" -> "dụng VLNCN": a
    word that cannot be one syllable, made of two common ones (or an acronym and one)."""
    lead, core, trail = _core(token)
    if len(core) < 4 or not core.isalpha() or is_syllable_shape(core.lower()):
        return [token]
    unigrams = model()[0]
    for cut in range(2, len(core) - 1):
        left, right = core[:cut], core[cut:]
        if left.isupper() and right.islower() and unigrams[right] >= 4 * _COMMON:
            return [lead + left, right + trail]  # UBNDcác
        if left.islower() and right.isupper() and unigrams[left] >= 4 * _COMMON:
            return [lead + left, right + trail]  # dụngVLNCN
    if core.islower() or (core[:1].isupper() and core[1:].islower()):
        cuts = [c for c in range(2, len(core) - 1)
                if unigrams[core[:c].lower()] >= _COMMON and unigrams[core[c:]] >= _COMMON]
        if len(cuts) == 1:
            return [lead + core[: cuts[0]], core[cuts[0] :] + trail]
    return [token]


def _join_split(tokens: list[str], syllables: frozenset[str]) -> list[str]:
    """"N guyễn" -> "Nguyễn": a lone capital before a piece that is no syllable, which with it is."""
    out: list[str] = []
    for token in tokens:
        if out and len(out[-1]) == 1 and out[-1].isupper() and token.isalpha() and token.islower() \
                and token not in syllables and (out[-1] + token).lower() in syllables:
            out[-1] += token
        else:
            out.append(token)
    return out


def _plain(token: str | None, *, side: str) -> str | None:
    """The lower-case word of a neighbouring token, if nothing separates it on ``side``."""
    if token is None:
        return None
    lead, core, trail = _core(token)
    if not core.isalpha() or (trail if side == "before" else lead):
        return None
    return core.lower()


def correct_tokens(tokens: list[str], before: str | None = None, after: str | None = None) -> list[str]:
    """One OCR'd line, its words repaired; ``before``/``after`` are the words that precede and
    follow it in reading order (the end of the line above, the start of the one below).

    Glued and split words are cut and joined; a word that is no Vietnamese syllable takes the
    spelling of its letters (other diacritics) that forms a word with a neighbour ("an nỉnh" ->
    "an ninh", "CHỦ NGHIA" -> "CHỦ NGHĨA"), the nearest such spelling if several do. Words
    that are syllables are left alone here even where they look wrong: "thấm" for "thẩm" is a
    real word too (see :func:`fix_unsure_collocations`, which weighs Tesseract's confidence)."""
    pairs, by_skeleton, syllables = lexicon()
    if not syllables:
        return tokens
    unigrams = model()[0]
    tokens = _join_split([piece for token in tokens for piece in _split_glued(token, syllables)], syllables)
    out = list(tokens)
    for index, token in enumerate(tokens):
        lead, core, trail = _core(token)
        if not core.isalpha() or core.lower() in syllables:
            continue
        word = core.lower()
        previous = out[index - 1] if index else before
        following = tokens[index + 1] if index + 1 < len(tokens) else after
        if core[:1].isupper() and not core.isupper() and _named(previous, following):
            continue  # beside other capitalised words: perhaps a name, which no dictionary knows
        if len(core) > 1 and core.isupper() and not _shouted(previous, following):
            continue  # capitals amid lower case: an acronym ("Công ty DAP số 2"), not a word
        left = None if lead else _plain(previous, side="before")
        right = None if trail else _plain(following, side="after")
        scored = []
        for option in by_skeleton.get(skeleton(word), ()):
            score = int((left, option) in pairs) + int((option, right) in pairs)
            if score:
                scored.append((-score, marks_apart(word, option), -unigrams[option], option))
        if not scored:
            continue
        scored.sort()
        if len(scored) > 1 and scored[0][:3] == scored[1][:3]:
            continue
        out[index] = lead + _recase(core, scored[0][3]) + trail
    out = _fix_case(out, before, after, syllables)
    return _fix_dates(_fix_phrases(out), after)


# Characters OCR reads for the "I" of a Roman numeral (shared with the PDF heading repair).
ROMAN_LOOKALIKE = str.maketrans({"l": "I", "1": "I", "|": "I", "[": "I", "]": "I", "!": "I", "H": "I"})
_QUARTER = re.compile(r"^([IVXHl1|\[\]!]{1,4})(?=$|[/.,;:)])")


def _fix_dates(tokens: list[str], after: str | None) -> list[str]:
    """The words of a date or quarter, whose diacritics or numerals OCR lost: "ngay 15/4/2026",
    "thang 6", "nam 2026", "Quý II1/2026" -> "ngày", "tháng", "năm", "Quý III/2026"."""
    out = list(tokens)
    for index, token in enumerate(out):
        lead, core, trail = _core(token)
        following = out[index + 1] if index + 1 < len(out) else after
        if not core.isalpha() or following is None or trail:
            continue
        bare, nxt = skeleton(core), following.lstrip("(")
        if bare == "ngay" and re.match(r"\d{1,2}(?:[/.-]\d{1,2}|$|\b)", nxt):
            word = "ngày"
        elif bare == "thang" and re.match(r"(?:0?[1-9]|1[0-2])(?!\d)", nxt):
            word = "tháng"
        elif bare == "nam" and re.match(r"(?:19|20)\d\d(?!\d)", nxt):
            word = "năm"
        elif bare == "quy" and (m := _QUARTER.match(nxt)) is not None:
            numeral = m.group(1).translate(ROMAN_LOOKALIKE)
            if numeral in ("I", "II", "III", "IV") and index + 1 < len(out):
                out[index + 1] = out[index + 1].replace(m.group(1), numeral, 1)
            word = "quý"
        else:
            continue
        out[index] = lead + _recase(core, word) + trail
    return out


_COLLOCATION = 8  # times a word pair must occur in the text sample to count as a collocation
# Tesseract is this sure of a word: leave it be. On the scanned corpus every collocation
# "fix" of a word read at 96 or more undid a right reading ("các phường" -> "các phương",
# "trục chính" -> "trục chỉnh"): the text sample is news, not administrative prose.
_SURE = 96.0
# A dictionary word alone (no pair in the text sample) is weaker evidence: "bàn tính" is a
# word, yet "địa bàn tỉnh" is what a notice says. It overrules only a word read below this.
_SURE_AGAINST_DICTIONARY = 90.0
_PHRASE_GAP = 1.5  # line heights: words further apart on a line are not one phrase


def fix_unsure_collocations(words: Sequence[OcrWord]) -> list[OcrWord]:
    """The words of one page, each one Tesseract was unsure of checked against its neighbours
    (:func:`_fix_collocations`). Neighbours are the words beside it on its text line, not
    across a gap wider than :data:`_PHRASE_GAP` line heights (a table's next cell, another
    column), and the last and first word of the lines above and below in its paragraph."""
    lines = text_lines(words)
    out = list(words)
    for (block, paragraph, line), members in lines.items():
        phrases: list[list[int]] = [[members[0]]]
        for previous, index in itertools.pairwise(members):
            height = max(words[previous].bottom - words[previous].top, words[index].bottom - words[index].top, 1.0)
            if words[index].left - words[previous].right > _PHRASE_GAP * height:
                phrases.append([])
            phrases[-1].append(index)
        above, below = lines.get((block, paragraph, line - 1)), lines.get((block, paragraph, line + 1))
        for number, phrase in enumerate(phrases):
            before = out[above[-1]].text if above and number == 0 else None
            after = words[below[0]].text if below and number == len(phrases) - 1 else None
            tokens = [words[i].text for i in phrase]
            fixed = _fix_collocations(tokens, before, after, [words[i].confidence for i in phrase])
            for index, old, new in zip(phrase, tokens, fixed, strict=True):
                if new != old:
                    out[index] = replace(words[index], text=new)
    return out


def _fix_collocations(tokens: list[str], before: str | None, after: str | None,
                      confidences: Sequence[float]) -> list[str]:
    """A word that is a syllable but never follows (or precedes) its neighbour, while the same
    letters with one or two diacritics changed form a collocation with it -- a word of the
    dictionary, or a pair the text sample has often ("chặt chế" -> "chặt chẽ", "chuyển đối"
    -> "chuyển đổi", "người dần" -> "người dân") -- and nothing on its other side speaks
    against it. ``confidences`` are Tesseract's for the tokens (see :data:`_SURE`)."""
    dictionary, by_skeleton, syllables = lexicon()
    _, bigrams, _ = model()
    out = list(tokens)
    for index, token in enumerate(tokens):
        lead, core, trail = _core(token)
        word = core.lower()
        confidence = confidences[index]
        if not core.isalpha() or word not in syllables or confidence >= _SURE:
            continue

        trust_dictionary = confidence < _SURE_AGAINST_DICTIONARY

        def strength(pair: tuple[str, str], trust_dictionary: bool = trust_dictionary) -> int:
            return bigrams[pair] + (_COLLOCATION if trust_dictionary and pair in dictionary else 0)

        previous = out[index - 1] if index else before
        following = tokens[index + 1] if index + 1 < len(tokens) else after
        if core[:1].isupper() and not core.isupper() and _named(previous, following):
            continue
        left = None if lead else _plain(previous, side="before")
        right = None if trail else _plain(following, side="after")
        best = None
        for option in by_skeleton.get(skeleton(word), ()):
            apart = marks_apart(word, option)
            if option == word or apart > 2 or all_marks(option) == all_marks(word):
                continue  # the same, or the same marks placed elsewhere ("hóa", "hoá")
            for near, far in ((left, right), (right, left)):
                if near is None:
                    continue
                pair = (near, option) if near is left else (option, near)
                mine = (near, word) if near is left else (word, near)
                if strength(pair) < _COLLOCATION or strength(mine):
                    continue
                if far is not None:
                    other = (far, option) if far is left else (option, far)
                    other_mine = (far, word) if far is left else (word, far)
                    if strength(other_mine) > strength(other):
                        continue
                rank = (-apart, strength(pair))  # the nearest spelling first, then the strongest pair
                if best is None or rank > best[0]:
                    best = (rank, option)
        if best is not None:
            out[index] = lead + _recase(core, best[1]) + trail
    return out


# Letters whose capital is the small letter drawn larger: OCR guesses their case from the
# line's height, and gets a short bold line ("vực có") or a label ("c)") wrong.
_SAME_SHAPE = frozenset("cosuvwxz")


def _fix_case(tokens: list[str], before: str | None, after: str | None, syllables: frozenset[str]) -> list[str]:
    out = list(tokens)
    if out and re.fullmatch(r"[COSVXZ]\)", out[0]):
        out[0] = out[0].lower()  # list labels are small letters: "a)", "b)", "c)"
    for index, token in enumerate(out):
        lead, core, trail = _core(token)
        if len(core) < 2 or not core.isalpha() or not core.isupper() or core.lower() not in syllables:
            continue
        if not set(skeleton(core)) <= _SAME_SHAPE:
            continue
        previous = out[index - 1] if index else before
        following = out[index + 1] if index + 1 < len(out) else after
        if any(t is not None and _core(t)[1][:1].islower() for t in (previous, following)):
            out[index] = lead + core.lower() + trail
    return out


@lru_cache(maxsize=1)
def _phrase_table() -> tuple[dict[tuple[str, ...], tuple[str, ...] | None], dict[str, list[tuple[str, ...]]], int]:
    """Multi-word terms the extractor looks for (unit names, document types, section words) by
    the skeletons of their syllables; province names by their first syllable."""
    terms: dict[tuple[str, ...], tuple[str, ...] | None] = {}

    for phrase in domain_phrases():
        words = tuple(unicodedata.normalize("NFC", phrase).lower().split())
        if len(words) < 3 or not all(w.isalpha() for w in words):
            continue  # two syllables can spell two real words ("tuyến đường", "tuyên dương")
        key = tuple(skeleton(w) for w in words)
        if key in terms and terms[key] != words:
            terms[key] = None  # two terms differ only in diacritics: no telling which
        else:
            terms[key] = words
    provinces: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    mapping = places()
    for key in ("province_names", "old_province_names"):
        for entry in mapping.get(key, {}).values():
            words = tuple(unicodedata.normalize("NFC", entry.get("short", "")).lower().split())
            if len(words) >= 2 and words not in provinces[words[0]]:
                provinces[words[0]].append(words)
    longest = max((len(k) for k in terms), default=0)
    return terms, provinces, longest


def _breaks_words(words: tuple[str, ...], term: tuple[str, ...], tokens: list[str], index: int) -> bool:
    """Whether reading ``words`` as ``term`` would undo a word they form, inside or with a
    neighbour ("văn bản chỉ đạo" is no "Ban Chỉ đạo")."""
    pairs = lexicon()[0]
    previous = _plain(tokens[index - 1], side="before") if index and not _core(tokens[index])[0] else None
    end = index + len(words)
    following = _plain(tokens[end], side="after") if end < len(tokens) and not _core(tokens[end - 1])[2] else None
    old = [previous, *words, following]
    new = [previous, *term, following]
    return any((a, b) in pairs and (c, d) not in pairs
               for (a, b), (c, d) in zip(itertools.pairwise(old), itertools.pairwise(new), strict=True))


def _near(a: str, b: str) -> bool:
    """One letter inside the word differs: "cui" / "cai"."""
    return len(a) == len(b) >= 3 and a[0] == b[0] and a[-1] == b[-1] and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def _fix_phrases(tokens: list[str]) -> list[str]:
    """Runs of words that spell a known term but for their diacritics take its diacritics
    ("Tống công ty" -> "Tổng công ty"); a province name with one letter misread in its last
    syllable ("Lào Cũi") is that province."""
    terms, provinces, longest = _phrase_table()
    out = list(tokens)
    cores = [_core(t) for t in out]
    index = 0
    while index < len(out):
        done = 1
        for size in range(min(longest, len(out) - index), 1, -1):
            window = cores[index : index + size]
            if any(c[2] for c in window[:-1]) or any(c[0] for c in window[1:]) or not all(c[1].isalpha() for c in window):
                continue
            words = tuple(c[1].lower() for c in window)
            term = terms.get(tuple(skeleton(w) for w in words))
            if term and term != words and not _breaks_words(words, term, out, index):
                for offset, (lead, core, trail) in enumerate(window):
                    out[index + offset] = lead + _recase(core, term[offset]) + trail
                done = size
                break
        else:
            lead, core, trail = cores[index]
            for name in provinces.get(core.lower(), ()) if core[:1].isupper() else ():
                window = cores[index : index + len(name)]
                if len(window) < len(name) or any(c[2] for c in window[:-1]) or any(c[0] for c in window[1:]):
                    continue
                words = [c[1].lower() for c in window]
                last = words[-1]
                if words[:-1] == list(name[:-1]) and last != name[-1] and window[-1][1][:1].isupper() \
                        and _near(skeleton(last), skeleton(name[-1])):
                    lead, core, trail = window[-1]
                    out[index + len(name) - 1] = lead + _recase(core, name[-1]) + trail
        index += done
    return out


def _shouted(previous: str | None, following: str | None) -> bool:
    """A neighbour is a word in capitals: the line is a heading in capitals."""
    return any(t is not None and (core := _core(t)[1]).isalpha() and len(core) > 1 and core.isupper()
               for t in (previous, following))


def _named(previous: str | None, following: str | None) -> bool:
    return any(t is not None and _core(t)[1][:1].isupper() and not _core(t)[1].isupper()
               and not _core(t)[0] for t in (previous, following))


_PARTS = re.compile(r"([-/.])")


def _acronyms(token: str) -> list[str]:
    """The parts of a token in capitals that may be acronyms ("SGT" in "12/SGT-CN")."""
    return [part for part in _PARTS.split(_core(token)[1]) if len(part) >= 3 and part.isalpha() and part.isupper()]


def fix_acronyms(texts: list[str], reference: list[str]) -> list[str]:
    """An all-capitals word (or part of a code: "SGT" in "12/SGT-CN") one letter away from an
    acronym that ``reference`` (the whole document) uses at least three times as often, and at
    least three times, is that acronym: "VLUNCN" among "VLNCN"s, "CƠN" among "CCN"s. Words of
    Vietnamese are no acronyms: "CHỦ" in headings is not one for "CHẾ" to become, and in a
    heading in capitals ("V. CHẾ ĐỘ BÁO CÁO") a syllable is read as the word it is."""
    syllables = lexicon()[2]
    counts: Counter[str] = Counter(a for text in reference for token in text.split() for a in _acronyms(token))
    common = [a for a, n in counts.items() if n >= 3 and a.lower() not in syllables]
    if not common:
        return texts
    out = []
    for text in texts:
        tokens = text.split(" ")
        for index, token in enumerate(tokens):
            for part in _acronyms(token):
                if part.lower() in syllables and _shouted(tokens[index - 1] if index else None,
                                                           tokens[index + 1] if index + 1 < len(tokens) else None):
                    continue
                close = sorted((a for a in common if counts[a] >= 3 * counts[part] and _one_edit(a, part)),
                               key=lambda a: -counts[a])
                if close and (len(close) == 1 or counts[close[0]] >= 3 * counts[close[1]]):
                    token = re.sub(rf"(?<![^\W\d_]){re.escape(part)}(?![^\W\d_])", close[0], token, count=1)
            tokens[index] = token
        out.append(" ".join(tokens))
    return out


def _one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
