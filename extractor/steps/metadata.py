"""Notice metadata (Nghị định 30/2020/NĐ-CP): number and symbol, place and date, type and
subject, issuer, signer, recipients, and for meeting conclusions the meeting date and chair."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from ..letterhead import AUTHORITY, NUMBER_LINE, PLACE_DATE, SUBJECT_LINE, is_motto_piece, is_signer_title, without_motto
from ..paragraphs import Paragraph
from ..structure import Structure
from ..syllables import is_syllable_shape
from ..vnnum import safe_date
from ..vntext import fold
from ..vocab import alternation, table

_MOTTO_PHRASE = re.compile(r"Độc\s+lập\s*[-–]\s*Tự\s+do\s*[-–]\s*Hạnh\s+phúc\s*", re.IGNORECASE)
_BARE_DATE = re.compile(r"\s*,?\s*ng[aà]y\s+(?P<d>\d{1,2})\s+th[aá]ng\s+(?P<m>\d{1,2})\s+n[aă]m\s+(?P<y>\d{4})",
                        re.IGNORECASE)
_MOTTO_TAIL = re.compile(r"^.*(?:Hạnh phúc|Hạnh Phúc|HẠNH PHÚC)\s*")
# A web portal's own line naming the document it shows: "(Theo Công văn số 2052/UBND-KT, ngày 06/5/2024)".
_PORTAL_CITATION = re.compile(
    r"^\(?\s*Theo\s+(?P<type>[^\d(]{3,20}?)\s+số\s+(?P<num>\d+[a-zA-Z]?)\s*/\s*(?P<sym>[^\s,;)]+)\s*,?\s*"
    r"ngày\s+(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})\s*\)?\.?$")


def place_name(raw: str) -> str | None:
    """The place of a place-date line is the place name only: the trailing run of capitalised
    words before ", ngày" ("Số: /KH-UBND Bình Thuận" → "Bình Thuận"). Names are written with
    capitals on each syllable; an issuer flattened onto the line is all capitals."""
    tokens = _MOTTO_TAIL.sub("", raw).strip(" -|").split()
    kept: list[str] = []
    for tok in reversed(tokens):
        capital = tok[:1].isupper() or (tok in ("-", "–") and kept)
        if not capital or (kept and tok.isupper() and len(tok) > 1 and not all(k.isupper() for k in kept)):
            break
        kept.append(tok)
    while kept and kept[-1] in ("-", "–"):
        kept.pop()
    return " ".join(reversed(kept)) or None
# A signer's title on its own line when no "TM./KT./TL." precedes it.
_PERSON = re.compile(r"^(?:[A-ZĐÀ-Ỹ][a-zà-ỹđ]+)(?:\s+[A-ZĐÀ-Ỹ][a-zà-ỹđ]+){1,4}$")


@dataclass
class NoticeMeta:
    doc_type: str | None = None
    number: str | None = None
    symbol: str | None = None
    issuer: str | None = None
    parent_body: str | None = None
    place: str | None = None
    issued_date: dt.date | None = None
    issued_year: int | None = None
    subject: str | None = None
    signer_name: str | None = None
    signer_title: str | None = None
    signer_authority: str | None = None
    recipients: list[str] = field(default_factory=list)
    meeting_date: dt.date | None = None
    meeting_chair: str | None = None


def _lines(p: Paragraph, text: str) -> list[str]:
    bounds = [*p.line_starts[1:], p.end + 1]
    return [text[s:e - 1].strip() if i + 1 < len(bounds) else text[s:p.end].strip()
            for i, (s, e) in enumerate(zip(p.line_starts, bounds, strict=False))] if p.line_starts else [p.text]


def read_metadata(structure: Structure, addressees: list[str]) -> NoticeMeta:
    meta = NoticeMeta()
    text = structure.layout.text
    header = structure.header
    types = table("doc_types")
    # Whole paragraphs too: a narrow column wraps "Lào Cai, ngày tháng năm" / "2026".
    head_lines = [line for p in header for line in [*_lines(p, text), p.text]]
    # A two-column header read row by row puts the motto inside the place-date line
    # ("Quảng Bình, Độc lập - Tự do - Hạnh phúc ngày 25 tháng 5 năm 2015").
    head_lines += [_MOTTO_PHRASE.sub("", line) for line in head_lines if _MOTTO_PHRASE.search(line)]
    number_rest = ""  # what follows the symbol on the number line
    for line in head_lines:
        m = NUMBER_LINE.match(line)
        if m and meta.symbol is None:
            meta.number = m.group("num")
            symbol = m.group("sym")
            # "59/1999/QĐ-UB": the letters after the year; Party "12-TB/TU": all of it.
            symbol = re.sub(r"\s+", "", symbol)
            meta.symbol = (symbol.split("/")[-1] if m.group("sep") == "/" else symbol).strip(" .,")
            number_rest = line[m.end():]
        m = PLACE_DATE.search(line)
        # A narrow column wraps the year onto the next line: the whole paragraph then has it.
        if m and meta.issued_year is None and (meta.place is None or m.group("y")):
            meta.place = place_name(m.group("place"))
            meta.issued_year = int(m.group("y")) if m.group("y") else None
            if m.group("d") and m.group("m") and m.group("y"):
                meta.issued_date = safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    if meta.issued_date is None and (m := _BARE_DATE.match(number_rest)):
        # A two-column header read row by row, the place wrapped away: "Số: 08/CT-UBND ngày 25
        # tháng 5 năm 2015" / "Quảng Bình,". The number line's date is the issue date.
        meta.issued_year = int(m.group("y"))
        meta.issued_date = safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    for i, p in enumerate(header):
        f = fold(p.text)
        if p.text.isupper() and meta.doc_type is None:
            for t in sorted(types["types"], key=len, reverse=True):
                if f.startswith(fold(t)) and len(f) > len(t) + 12 and f[len(t)] == " " and (
                        i + 1 == len(header) or fold(header[i + 1].text).startswith(("căn cứ", "kính gửi"))):
                    # "QUYẾT ĐỊNH BAN HÀNH QUY CHẾ …": title and subject wrapped into one paragraph.
                    meta.doc_type, meta.subject = t, p.text[len(t):].strip()
                    break
                if f.startswith(fold(t)) and len(f) < len(t) + 12:
                    meta.doc_type = t
                    nxt = header[i + 1] if i + 1 < len(header) else None
                    if nxt is not None and not fold(nxt.text).startswith(("kính gửi", "căn cứ")) and not nxt.label:
                        meta.subject = nxt.text
                    break
        v = SUBJECT_LINE.match(p.text)
        if v and meta.subject is None:
            meta.subject = p.text[v.end():].strip(" :")
    if meta.symbol is None:
        _read_portal_citation(meta, structure)
    if meta.doc_type is None and meta.symbol:
        prefix = meta.symbol.split("-")[0]
        prefixes = types["symbol_prefixes"]
        # OCR and ASCII copies write "CD-TTg", "QD-UBND" for "CĐ", "QĐ": the exact prefix first.
        by_ascii = {k.replace("Đ", "D"): v for k, v in prefixes.items() if "Đ" in k and k.replace("Đ", "D") not in prefixes}
        meta.doc_type = prefixes.get(prefix) or by_ascii.get(prefix) or ("Công văn" if meta.subject or addressees else None)
    if meta.doc_type is None and meta.subject:
        meta.doc_type = "Công văn"
    # Issuer: the capitalised lines before the national motto.
    issuer_lines: list[str] = []
    for line in (x for p in header for x in _lines(p, text)):
        if NUMBER_LINE.match(line) or PLACE_DATE.search(line):
            break
        line = without_motto(line)  # "BỘ TÀI CHÍNH CỘNG HÒA XÃ HỘI …": both columns on one line
        if not line.strip() or fold(line).startswith(("cộng h", "độc lập")) or is_motto_piece(line):
            continue  # the national motto, read between the issuer's lines in a two-column header
        if line.isupper() and any(c.isalpha() for c in line):
            line = _NOT_A_NAME_AT_ENDS.sub("", line)
            if issuer_lines and (_locality_start().match(line) or _one_syllable(line)):
                # "ỦY BAN NHÂN DÂN" / "HUYỆN BẮC SƠN" is one name; so is "ỦY BAN NHÂN" / "DÂN"
                issuer_lines[-1] += " " + line
            elif sum(any(c.isalpha() for c in word) for word in line.split()) >= 2:
                issuer_lines.append(line)  # (one token is no body's name: "D", "TNCN", a rule OCR read "E====E")
    if issuer_lines:
        meta.issuer = issuer_lines[-1]
        meta.parent_body = issuer_lines[-2] if len(issuer_lines) > 1 else None
    if meta.symbol and meta.issuer:
        meta.symbol = _symbol_with_issuer_initials(meta.symbol, meta.issuer)
    _read_signature(meta, structure)
    meta.recipients = list(dict.fromkeys([*addressees, *_distribution(structure)]))
    _read_meeting(meta, structure)
    return meta


@cache
def _localities() -> str:
    units = table("units")
    return alternation([w.upper() for w in units["localities"] + units["area_localities_extra"]])


@cache
def _locality_start() -> re.Pattern[str]:
    """An issuer line that goes on with its locality: "ỦY BAN NHÂN DÂN" / "HUYỆN BẮC SƠN"."""
    return re.compile(rf"^(?:{_localities()})\b")


# What frames an issuer's line without being part of its name: the rule drawn under it
# ("-----", "********"), table bars, OCR's specks and quotes ("6“ BỘ TÀI CHÍNH", "BỘ TÀI CHÍNH `").
_NOT_A_NAME_AT_ENDS = re.compile(r"^(?:[^\w(]|[\d_])+|(?:[^\w)]|_)+$")


def _one_syllable(line: str) -> bool:
    """A line that is one Vietnamese syllable ("DÂN"): the end of a name wrapped after it; not
    OCR's reading of a rule or a speck ("—====E====E", "D") nor an acronym ("TNCN")."""
    return " " not in line and line.isalpha() and len(line) > 1 and is_syllable_shape(line.lower())


def _initials(issuer: str) -> str:
    """'SỞ CÔNG THƯƠNG' -> 'SCT', 'ỦY BAN NHÂN DÂN TỈNH LÀO CAI' -> 'UBND': first letters
    without tone marks (Đ stays Đ); the locality after the body's name is left out."""
    name = issuer
    if m := re.search(rf"\s(?:{_localities()})\b", issuer):
        name = issuer[:m.start()]
    connectors = {fold(c) for c in table("units")["connectors"]}  # "SỞ GIÁO DỤC VÀ ĐÀO TẠO": SGDĐT
    words = [w for w in name.split() if w[:1].isalpha() and fold(w) not in connectors]
    firsts = (w[0] if w[0] in "Đđ" else unicodedata.normalize("NFD", w[0])[0] for w in words)
    return "".join(firsts).upper()


def _symbol_with_issuer_initials(symbol: str, issuer: str) -> str:
    """A symbol part one OCR confusion away from the issuer's initials is those initials."""
    initials = _initials(issuer)
    pairs = {frozenset(p) for p in table("doc_types")["ocr_confusable_capitals"]}
    parts = symbol.split("-")
    for i, part in enumerate(parts):
        if len(part) != len(initials) or part == initials or len(initials) < 2:
            continue
        differ = [(a, b) for a, b in zip(part, initials, strict=True) if a != b]
        if len(differ) == 1 and frozenset(differ[0]) in pairs:
            parts[i] = initials
    return "-".join(parts)


def _read_portal_citation(meta: NoticeMeta, structure: Structure) -> None:
    """A page that shows only part of a document names it in a line of its own:
    "(Theo Công văn số 6202/UBND-KT, ngày 23/11/2023)"."""
    types = {fold(t): t for t in table("doc_types")["types"]}
    for p in structure.layout.paragraphs:
        m = _PORTAL_CITATION.match(p.text.strip())
        if m and fold(m.group("type")) in types:
            meta.doc_type = meta.doc_type or types[fold(m.group("type"))]
            meta.number, meta.symbol = m.group("num"), m.group("sym")
            if meta.issued_year is None:
                meta.issued_year = int(m.group("y"))
                meta.issued_date = safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            return


def _read_signature(meta: NoticeMeta, structure: Structure) -> None:
    text = structure.layout.text
    closing = structure.closing
    lines = [(line, p) for p in closing for line in _lines(p, text)]
    auth_index = None
    for i, (line, _) in enumerate(lines):
        if AUTHORITY.match(line) or is_signer_title(line, exact=True):
            auth_index = i
            break
        if fold(line).startswith(("phụ lục", "biểu")) and i > 0:
            break
    if auth_index is None:
        return  # no "TM./KT./TL." line: no signature block to read (a draft or a report)
    start = auth_index
    titles: list[str] = []
    authority: list[str] = []
    for line, _ in lines[start:]:
        if re.match(r"^(?:TM|KT|TL|TUQ|Q)\.\s", line):
            parts = re.split(r"\s+(?=(?:KT|TL|TUQ|Q)\.\s)", line)
            authority.extend(parts)
            continue
        if line.isupper() and len(line) < 60:
            titles.append(line)
            continue
        if _PERSON.match(line.strip()) and not line.isupper():
            meta.signer_name = line.strip()
            break
        if fold(line).startswith(("phụ lục", "biểu", "nơi nhận")) and auth_index is not None:
            break
    if authority:
        # "TL. CHỦ TỊCH CHÁNH VĂN PHÒNG" on one line: the authority is "TL. CHỦ TỊCH", the rest the title.
        last = authority[-1]
        known = re.match(r"^((?:TM|KT|TL|TUQ|Q)\.\s+(?:ỦY BAN NHÂN DÂN|UBND|CHỦ TỊCH|GIÁM ĐỐC|BỘ TRƯỞNG|CHÁNH VĂN PHÒNG|"
                         r"TRƯỞNG BAN|TRƯỞNG PHÒNG|[^\s]+))\s*(.*)$", last)
        meta.signer_authority = " ".join([*authority[:-1], known.group(1) if known else last])
        rest = known.group(2).strip() if known else ""
        if rest:
            titles.insert(0, rest)
    if titles:
        meta.signer_title = " ".join(titles)


def _distribution(structure: Structure) -> list[str]:
    """The "Nơi nhận" list as written (the archive copy "Lưu: …" left out)."""
    out: list[str] = []
    collecting = False
    for p in structure.closing:
        if fold(p.text).startswith("nơi nhận"):
            collecting = True
            rest = p.text.split(":", 1)[1].strip(" -;.") if ":" in p.text else ""
            if rest:
                out.append(rest)
            continue
        if collecting and p.label and p.label.kind in ("dash", "plus", "dot"):
            item = p.body.strip(" ;.")
            if item and not fold(item).startswith(("lưu", "như trên", "như kính gửi")):
                out.append(item)
        elif collecting:
            break
    return out


@cache
def _meeting_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The meeting's day opening the body, and its chair by name or by post."""
    words = table("sections")
    day = re.compile(rf"^(?:{alternation(words['meeting_day_openers'])})\s+"
                     r"(?:(\d{1,2})/(\d{1,2})/(\d{4})|(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4}))")
    conclusion = alternation(words["conclusion_of"])
    titles = alternation(table("units")["person_titles"])
    name = re.compile(rf"(?i:{conclusion})\s+(?i:{titles})\s+(?P<name>[A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*){{1,4}})")
    post = re.compile(rf"(?i:{conclusion})\s+(?:(?i:{titles})\s+)?(?P<post>(?:{alternation(words['chair_posts'])})"
                      r"[^,.;:]{0,40}?)\s+(?:tại|về)\b")
    return day, name, post


def _read_meeting(meta: NoticeMeta, structure: Structure) -> None:
    """A meeting conclusion: the chair (a name, else the post: "Chủ tịch UBND xã") and the
    meeting date ("Ngày 20/10/2023, …" opening the body)."""
    texts = [meta.subject or "", *(p.text for p in structure.body[:3])]
    day, chair_name, chair_post = _meeting_patterns()
    m = next((x for x in map(chair_name.search, texts) if x), None)
    post = next((x for x in map(chair_post.search, texts) if x), None)
    if not m and not post:
        return
    meta.meeting_chair = m.group("name") if m else post.group("post")
    for p in structure.body[:3]:
        d = day.match(p.text)
        if d:
            g = d.groups()
            day, month, year = (g[0], g[1], g[2]) if g[0] else (g[3], g[4], g[5])
            meta.meeting_date = safe_date(int(year), int(month), int(day))
            break

