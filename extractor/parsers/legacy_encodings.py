"""Pre-Unicode Vietnamese encodings: TCVN3 (ABC, ``.VnTime`` fonts) and VNI-Windows (``VNI-Times``).

A document typed in a legacy font stores the font's byte codes; Word, LibreOffice and text
editors hand them back as the Windows-1252 characters of those bytes ("C«ng v¨n" for "Công
văn", "Coâng vaên" in VNI). This module turns such text into Unicode, from two kinds of
evidence:

* the **font** of a DOCX/HTML run (``.Vn*`` is TCVN3, ``VNI*`` is VNI; a ``.Vn…H`` font draws
  the lower-case codes as capitals, so its text is upper-cased after conversion);
* **character statistics** for plain text, where no font survives: only lines made of
  Latin-1/Windows-1252 characters can be legacy, and a conversion is taken only when it turns
  clearly more words into well-formed Vietnamese syllables than the text had.

The mapping tables are data (``extractor/data/legacy_encodings.json``). Ordinary UTF-8 text
costs one regex scan: without characters that no Vietnamese Unicode text uses (``¸ µ « ¬ ø
ï û`` ...) nothing else runs.

TCVN3 (the VN3 code page) has no upper-case toned letters: documents drew them with the ``H``
fonts. In plain text that case is gone, and :func:`_restore_case` puts it back from context
(all-capital words and lines, sentence starts, proper names).

Why not the ``viparse`` package (0.1.31, MIT), which has TCVN3/VNI/VISCII/VPS charmaps: on the
corpus renderings its conversion matches the Unicode text in 98.3% of words for TCVN3 plain
text and 99.99% for VNI; this module's, 99.98% and 100%. The gap is the capitals TCVN3 loses,
which viparse leaves lower-case ("THÔNG BáO", "CHủ TịCH"). It is also a whole RAG document
loader (its own PDF, DOCX and OCR engines) to pull in for two tables.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from ..syllables import is_well_formed_syllable
from ..vocab import table

TCVN3 = "tcvn3"
VNI = "vni"

# Font families: ".VnTime", ".VnArial NarrowH", "VnTimeH" (dot lost by some converters) are
# TCVN3; "VNI-Times", "VNI Helve" are VNI. An "H" at the end of a TCVN3 name: capitals.
_TCVN3_FONT = re.compile(r"^(?:\.vn|vn(?:time|arial|avant|helve|univers|courier|book|century|bodoni|black))", re.IGNORECASE)
_VNI_FONT = re.compile(r"^vni[-\s_]?[a-z]", re.IGNORECASE)


def font_encoding(name: str | None) -> tuple[str, bool] | None:
    """``(encoding, upper)`` for a legacy font name, None for any other font."""
    if not name:
        return None
    name = name.split(",")[0].strip().strip("'\"")
    if _TCVN3_FONT.match(name):
        return TCVN3, name.endswith("H")
    if _VNI_FONT.match(name):
        return VNI, False
    return None


# --- the tables -----------------------------------------------------------------------------
@cache
def _tcvn3() -> tuple[dict[int, str], frozenset[str]]:
    mapping: dict[str, str] = table("legacy_encodings")[TCVN3]["map"]
    # Codes of lower-case letters that have no capital code of their own (the toned letters).
    lower_coded = frozenset(k for k, v in mapping.items() if v.islower() and v.upper() not in mapping.values())
    return str.maketrans(mapping), lower_coded


@cache
def _vni() -> tuple[dict[str, str], re.Pattern[str]]:
    mapping: dict[str, str] = table("legacy_encodings")[VNI]["map"]
    keys = sorted(mapping, key=len, reverse=True)  # "oá" (ố) before "o" ... longest first
    return mapping, re.compile("|".join(map(re.escape, keys)))


@cache
def _reverse(encoding: str) -> dict[str, str]:
    mapping: dict[str, str] = table("legacy_encodings")[encoding]["map"]
    return {v: k for k, v in mapping.items()}


def convert(text: str, encoding: str, *, upper: bool = False) -> str:
    """Legacy surface text → NFC Unicode (``upper`` for TCVN3 capital fonts such as ``.VnTimeH``)."""
    if encoding == TCVN3:
        text = text.translate(_tcvn3()[0])
    elif encoding == VNI:
        mapping, pattern = _vni()
        text = pattern.sub(lambda m: mapping[m.group()], text)
    else:
        raise ValueError(f"unknown legacy encoding {encoding!r}")
    text = unicodedata.normalize("NFC", text)
    return text.upper() if upper else text


def encode(text: str, encoding: str) -> str:
    """Unicode → legacy surface text (what a legacy font's document holds), for test data.

    TCVN3 has no upper-case toned letters: they get the lower-case code, as in a ``.VnTimeH``
    run; letters it cannot hold pass through unchanged."""
    reverse = _reverse(encoding)
    out = []
    for ch in unicodedata.normalize("NFC", text):
        code = reverse.get(ch)
        if code is None and encoding == TCVN3 and ch.isupper():
            code = reverse.get(ch.lower())
        out.append(ch if code is None else code)
    return "".join(out)


# --- plausibility ---------------------------------------------------------------------------
_WORD = re.compile(r"[^\W\d_]+")
# Characters of Latin-1 that Vietnamese Unicode text does not use: the fingerprint of TCVN3
# (¸ µ ¶ · ¹ « ¬ ...) and VNI (ø ù û õ ï å ä ...) text. (Vietnamese's own Latin-1 letters
# à á â ã è é ê ì í ò ó ô õ ù ú ý and capitals are left out; õ and ù are Vietnamese too.)
_FOREIGN_LATIN1 = "".join(
    chr(c) for c in range(0xA1, 0x100) if chr(c) not in "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý"
)
_SUSPICIOUS = re.compile(f"[{re.escape(_FOREIGN_LATIN1)}]")
MIN_SUSPICIOUS = 2


def plausibility(text: str) -> int:
    """Well-formed Vietnamese syllables among the words with non-ASCII letters, minus the
    malformed ones and minus the leftover legacy fingerprint characters."""
    score = 0
    for word in _WORD.findall(text):
        if not word.isascii():
            score += 1 if is_well_formed_syllable(word.lower()) else -1
    return score - len(_SUSPICIOUS.findall(text))


def looks_legacy(text: str) -> bool:
    """Cheap gate: does ``text`` hold enough legacy fingerprint characters to be worth a look?"""
    match = _SUSPICIOUS.search(text)
    return match is not None and len(_SUSPICIOUS.findall(text, match.start())) >= MIN_SUSPICIOUS


def _legacy_line(line: str) -> bool:
    """Could this line be legacy text? Such text is Windows-1252 characters only: a line holding
    "ư", "ệ" or any other character outside that code page is Unicode, whatever else it holds."""
    if line.isascii():
        return False
    try:
        line.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def detect(text: str) -> str | None:
    """TCVN3 or VNI when converting the text's legacy-looking lines clearly improves it."""
    if not looks_legacy(text):
        return None
    sample = "\n".join(line for line in text.splitlines() if _legacy_line(line))
    if not looks_legacy(sample):
        return None
    base = plausibility(sample)
    scored = sorted(((plausibility(convert(sample, enc)), enc) for enc in (TCVN3, VNI)), reverse=True)
    best, encoding = scored[0]
    words = sum(1 for w in _WORD.findall(sample) if not w.isascii()) + len(_SUSPICIOUS.findall(sample))
    if best - base >= max(2, 0.2 * words) and best > 0 and best - scored[1][0] >= 2:
        return encoding
    return None


def repair_text(text: str) -> tuple[str, str | None]:
    """Plain text with TCVN3/VNI lines converted, and the encoding found (None: unchanged)."""
    encoding = detect(text)
    if encoding is None:
        return text, None
    lines = text.split("\n")
    # Text with Unicode-only lines (a legacy paste inside a Unicode file) converts only the
    # lines that show legacy evidence themselves: "Công ty" could be either.
    mixed = any(not line.isascii() and not _legacy_line(line) for line in lines)
    out: list[str] = []
    converted: list[tuple[int, str, str]] = []  # (index, source, result)
    for index, line in enumerate(lines):
        if not _legacy_line(line):
            out.append(line)
            continue
        result = convert(line, encoding)
        if mixed and not _SUSPICIOUS.search(line) and plausibility(result) <= plausibility(line):
            out.append(line)
            continue
        converted.append((index, line, result))
        out.append(result)
    if encoding == TCVN3:
        _restore_case(out, converted)
    return "\n".join(out), encoding


# --- TCVN3 capitals -------------------------------------------------------------------------
_TERMINAL = re.compile(r"[.!?:;]\s*$|^\s*$")
_LINE_START = re.compile(r"^\s*(?:[-+*•]\s+|(?:\d{1,2}(?:\.\d{1,2})*|[IVXLC]+|[a-zđ])[.)]\s+|\(\d{1,2}\)\s+)*[(\"“]?")
_SENTENCE_START = re.compile(r"[.!?:]\s+[(\"“]?$")
_PLACE_WORDS = frozenset(("xã", "phường", "thôn", "bản", "huyện", "tỉnh", "quận", "trấn", "phố", "tổ", "khu", "làng", "ấp"))


def _restore_case(lines: list[str], converted: list[tuple[int, str, str]]) -> None:
    """Put back the capitals that TCVN3 plain text loses: a toned letter has only a lower-case
    code, so "SỞ" arrives as "Sở" and "Ủy ban" as "ủy ban". ``lines`` is changed in place.

    Letters other than the toned ones (ASCII, and Ă Â Ê Ô Ơ Ư Đ, which have capital codes) keep
    their case and are the evidence: a word whose known letters are capitals is all capitals;
    a word with one known capital ("Sở"/"SỞ") follows an all-capital Vietnamese neighbour or
    line; a word starting with a toned letter ("ủy") is capitalised at a sentence start, in
    "Ủy ban" and at the end of a name ("xã Xuân Ái;"). What is left ("FDI ấn Độ") stays lower
    case: the text has no trace of it."""
    _, lower_coded = _tcvn3()
    for index, source, line in converted:
        if len(source) != len(line):  # NFC changed lengths (combining marks): leave it
            continue
        masked = [c in lower_coded for c in source]
        words = [(m.start(), m.end()) for m in _WORD.finditer(line)]
        if not any(any(masked[s:e]) for s, e in words):
            continue
        known = []  # per word: (known capitals, known lower-case letters)
        for s, e in words:
            up = sum(1 for i in range(s, e) if not masked[i] and line[i].isupper())
            low = sum(1 for i in range(s, e) if not masked[i] and line[i].islower())
            known.append((up, low))
        caps = [low == 0 and up >= 2 for up, low in known]
        # All-capital Vietnamese words (not abbreviations such as "TB-SCT", "UBND").
        vietnamese_caps = [c and is_well_formed_syllable(line[s:e].lower()) for c, (s, e) in zip(caps, words, strict=True)]
        caps_line = any(vietnamese_caps) and sum(lo for _, lo in known) == 0
        for k, (_, low) in enumerate(known):
            s, e = words[k]
            if caps[k] or low or not any(masked[s:e]):
                continue
            if caps_line:
                caps[k] = vietnamese_caps[k] = True
        for _ in range(2):  # "SỞ CÔNG": an undecided word takes the case of its capital neighbour
            for k, (_, low) in enumerate(known):
                s, e = words[k]
                if caps[k] or low or not any(masked[s:e]):
                    continue
                left = k > 0 and vietnamese_caps[k - 1] and not line[words[k - 1][1]:s].strip()
                right = k + 1 < len(words) and vietnamese_caps[k + 1] and not line[e:words[k + 1][0]].strip()
                if left or right:
                    caps[k] = vietnamese_caps[k] = True
        chars = list(line)
        previous_line = lines[index - 1] if index else ""
        for k, (s, e) in enumerate(words):
            if caps[k]:
                for i in range(s, e):
                    chars[i] = chars[i].upper()
            elif masked[s] and _capitalised(line, words, k, previous_line):
                chars[s] = chars[s].upper()
        lines[index] = "".join(chars)


def _capitalised(line: str, words: list[tuple[int, int]], k: int, previous_line: str) -> bool:
    """Does the word ``k``, whose first letter came as a lower-case code, start with a capital?"""
    s, e = words[k]
    word = line[s:e].lower()
    before = line[:s]
    if _LINE_START.fullmatch(before) and _TERMINAL.search(previous_line):
        return True  # a paragraph's first word
    if _SENTENCE_START.search(before):
        return True
    following = line[e:words[k + 1][0]] if k + 1 < len(words) else line[e:]
    next_word = line[words[k + 1][0]:words[k + 1][1]] if k + 1 < len(words) else ""
    if word == "ủy":
        return next_word == "ban" and not following.strip()  # "Ủy ban", but "Tỉnh ủy", "ủy quyền"

    # The last word of a name: "xã Xuân Ái;", "xã Bảo Ái (...)", "Đông Nam Á".
    def joined(i: int) -> bool:  # words i and i + 1 are separated by spaces only
        return not line[words[i][1]:words[i + 1][0]].strip()

    if k < 2 or not joined(k - 1) or not joined(k - 2) or not line[words[k - 1][0]].isupper():
        return False
    before_name = line[words[k - 2][0]:words[k - 2][1]]
    return before_name.lower() in _PLACE_WORDS or (before_name[0].isupper() and not _LINE_START.fullmatch(line[:words[k - 2][0]]))
