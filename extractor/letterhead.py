"""The lines of a document's letterhead (Nghị định 30/2020/NĐ-CP, Phụ lục I; Hướng dẫn
36-HD/VPTW for Party documents), as several stages recognise them: shared knowledge, like
``unitnames``. Paragraph building must not join them to their neighbours; structure finds the
header by them; metadata reads number, symbol, place and date from them.

Each form is written as documents of every issuer write it, and as copies damage it: a
portal's title before the letterhead, OCR's lost diacritics and colons, flattened columns.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from .vocab import alternation, table

_TYPES = alternation(table("doc_types")["types"] + table("doc_types")["legal_types"])

# "Số: 59/1999/QĐ-UB", "Số: /TB-UBND" (left blank in a draft), "Số 12-TB/TU" and "Số -TB/BCĐ"
# (Party documents: number, hyphen, symbol). The type may lead, with the colon ("Nghị quyết số:
# 110/2023/QH15"; a portal's title "Quyết định số 1961/2019/QĐ-UBND tỉnh Kiên Giang" is no
# number line); OCR reads the colon as "l" or ";"; a symbol may be spaced ("Số:42582 /BTC - TCT").
# A blank number's slash may be lost to OCR ("Số: KH-UBND"; after the colon only).
NUMBER_LINE = re.compile(
    rf"^(?:(?:{_TYPES})\s+số\s*:|[Ss]ố\s*[:;l]?)\s*"
    r"(?:(?P<num>\d+[a-zA-Z]?)?\s*(?P<sep>[/-])|(?<=:)\s*(?=[A-ZĐ]{1,8}-[A-ZĐ]{2}))\s*(?P<sym>[\dA-ZĐ][^\s|,]*(?:\s+-\s+[A-ZĐ][^\s|,]*)*)")

# "Hà Nội, ngày 05 tháng 4 năm 2024"; a draft leaves day, month or year blank ("ngày … tháng 4
# năm 2025", "ngày tháng năm"); OCR and web copies lose diacritics ("thang", "nam").
PLACE_DATE = re.compile(
    r"(?P<place>[^\W\d_][^,|\n]{1,60}?)\s*,\s*ng[aà]y[\s.…]*(?P<d>\d{1,2})?[\s.…]*th[aá]ng[\s.…]*(?P<m>\d{1,2})?[\s.…]*"
    r"n[aă]m\b\s*(?P<y>\d{4})?", re.IGNORECASE)

# The subject line of a letter, also as OCR reads it ("Viv:", "V/V", "V.v").
SUBJECT_LINE = re.compile(r"^(?:[Vv]\s*[/.]\s*[vV]|Viv|VIV)\b\s*:?\s*")

# A document's number and symbol as cited: "59/1999/QĐ-UB", "568/QĐ-TCT", "12-TB/TU".
NUMBER_AND_SYMBOL = re.compile(r"(?<![\w/])\d+[a-z]?(?:/\d{4})?[/-][A-ZĐ][A-ZĐa-z]*[-/][A-ZĐ][\wĐ-]*")
TYPE_WORDS = re.compile(rf"^(?:{_TYPES})\s+(?:số\s*)?")

# The line under an appendix title that ties it to its document.
ANNEX_LINES = ("(ban hành kèm theo", "(kèm theo")

# The signer's authority: "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "TL.", "TUQ.", "Q.".
AUTHORITY_WORDS = ("TM", "KT", "TL", "TUQ", "Q")
AUTHORITY = re.compile(rf"^(?:{'|'.join(AUTHORITY_WORDS)})\.\s")
# "Kính gửi:" opens the addressees.
SALUTATION = re.compile(r"^Kính\s+gửi", re.IGNORECASE)


@cache
def _signer_title() -> re.Pattern[str]:
    titles = alternation(table("sections")["signer_titles"])
    return re.compile(rf"^(?:PHÓ\s+)?(?:{titles})(?P<rest>\s[^a-zà-ỹ]*)?$")


def is_signer_title(line: str, *, exact: bool = False) -> bool:
    """A signer's title on its own line ("PHÓ CHỦ TỊCH"; unless ``exact``, with more capitals
    after it: "GIÁM ĐỐC SỞ CÔNG THƯƠNG")."""
    m = _signer_title().match(line)
    return m is not None and not (exact and m.group("rest"))


def opens_signature(line: str) -> bool:
    """The first line of a signature block: an authority ("KT. CHỦ TỊCH") or a title."""
    return AUTHORITY.match(line) is not None or is_signer_title(line)


def letters_only(text: str) -> str:
    """Lower-case ASCII letters of ``text``: OCR and legacy fonts lose diacritics and spaces
    ("CONG HOA XÃ HOI CH.Ủ NGHIA"), the motto's letters stay."""
    plain = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return re.sub(r"[^a-z]", "", plain.lower())


@cache
def _mottos() -> tuple[str, ...]:
    return tuple(letters_only(m) for m in table("sections")["letterhead_mottos"])


@lru_cache(maxsize=8192)  # the same header lines are asked about by several stages
def has_motto(text: str) -> bool:
    """The national motto or the Party's ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự
    do - Hạnh phúc", "ĐẢNG CỘNG SẢN VIỆT NAM"), however damaged its diacritics and spaces."""
    letters = letters_only(text[:300])
    return any(m in letters for m in _mottos())


# (The tone of "HÒA" is also put on its last vowel: "CỘNG HOÀ", the older placement.)
_MOTTO_START = re.compile(r"\s*(?:C[OÔỘ]NG\s*H(?:[OÒ]A|OÀ)|Độc\s+lập|ĐỘC\s+LẬP|Doc\s+lap|ĐẢNG\s+CỘNG\s+SẢN)\b.*$")


def without_motto(line: str) -> str:
    """An issuer line with the motto flattened onto it cut off ("BỘ TÀI CHÍNH CỘNG HÒA XÃ HỘI …"),
    also when the motto wraps after a few words ("VĂN PHÒNG CHÍNH PHỦ CỘNG HOÀ XÃ HỘI CHỦ")."""
    if has_motto(line):
        return _MOTTO_START.sub("", line)
    m = _MOTTO_START.search(line)
    start = letters_only(m.group()) if m else ""
    return line[:m.start()] if m and len(start) >= 7 and any(k.startswith(start) for k in _mottos()) else line


def is_motto_piece(line: str) -> bool:
    """A line that is only a piece of a motto wrapped over lines in a narrow column ("NGHĨA
    VIỆT NAM", "HỘI CHỦ NGHĨA VIỆT NAM", "VIỆT NAM"): no issuer's name."""
    letters = letters_only(line)
    return len(letters) >= 6 and any(letters in m for m in _mottos())


def is_rule(text: str) -> bool:
    """A rule under the issuer or the motto ("-------", "*****", "———"): no letters or digits."""
    return bool(text.strip()) and _ALNUM.search(text) is None


_ALNUM = re.compile(r"[^\W_]")
