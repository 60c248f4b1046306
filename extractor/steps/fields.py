"""Field extractors that read one task's text: criteria codes, deadlines, figures and
references to other documents. Each returns plain values with offsets relative to the text
it was given; the caller shifts them into document offsets.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from ..vnnum import end_of_month, end_of_quarter, parse_number, quarter_number, resolve_day_month, safe_date
from ..vntext import fold
from ..vocab import alternation, table


@dataclass(frozen=True, slots=True)
class Found:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class CriterionFound(Found):
    code: str


@dataclass(frozen=True, slots=True)
class DeadlineFound(Found):
    date: dt.date
    kind: str


@dataclass(frozen=True, slots=True)
class FigureFound(Found):
    value: float
    unit: str | None


@dataclass(frozen=True, slots=True)
class ReferenceFound(Found):
    doc_type: str | None
    number: str | None
    symbol: str | None
    date: dt.date | None


# --- criteria -----------------------------------------------------------------------------

_CODE = r"\d{1,2}(?:\.\d{1,2}){0,3}(?![\d/])"


@cache
def _criterion() -> re.Pattern[str]:
    cues = alternation(table("fields")["criterion_cues"], folded=True)
    return re.compile(rf"\b(?:{cues})\s+(?P<code>{_CODE})((?:\s*(?:,|và)\s*{_CODE}(?!\s*(?:%|ha\b|ngày|tháng|năm)))*)")


def find_criteria(text: str) -> list[CriterionFound]:
    folded = fold(text)
    out: list[CriterionFound] = []
    for m in _criterion().finditer(folded):
        out.append(CriterionFound(m.start(), m.end("code"), text[m.start():m.end("code")], m.group("code").rstrip(".")))
        for extra in re.finditer(_CODE, folded[m.end("code"):m.end()]):
            s = m.end("code") + extra.start()
            code = extra.group().rstrip(".")
            if "." in code:  # a bare "9" after a comma is more often a count than a code
                out.append(CriterionFound(s, s + len(extra.group()), text[s:s + len(extra.group())], code))
    return out


# --- dates and deadlines ------------------------------------------------------------------

_HOUR = r"(?:\d{1,2}\s*(?:h|giờ)\s*\d{0,2}\s*(?:phút)?\s*(?:’|')?\s*,?\s*)"
_DMY = r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})(?:\s*[/.-]\s*(?P<y>\d{4}))?(?![\d/])"
_LONG = r"(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})(?:\s*,?\s*năm\s*(?P<y2>\d{4}))?"
_DATE = rf"(?:ngày\s+)?{_HOUR}?(?:ngày\s+)?(?:thứ\s+\S+\s*,?\s*)?(?:ngày\s+)?(?:{_DMY}|{_LONG})"
_MONTH = r"tháng\s+(?P<mm>\d{1,2})\s*(?:/|năm)\s*(?P<my>\d{4})"
_QUARTER = fold("quý") + r"\s+(?P<q>i{1,3}|iv|[1-4])\s*(?:/|năm)\s*(?P<qy>\d{4})"
_HALF = r"(?P<n>6|9|3)\s+tháng\s+(?:đầu|cuối)\s+năm\s+(?P<hy>\d{4})"
_YEAR_END = r"(?:cuối|hết)\s+năm\s+(?P<ey>\d{4})"


@cache
def _deadline_patterns() -> dict[str, re.Pattern[str]]:
    words = table("deadlines")
    by_date = alternation(words["by_date_cues"], folded=True)
    period = alternation(words["period_cues"], folded=True)
    return {
        "by_date": re.compile(rf"\b(?:{by_date})\s*(?::\s*)?{_DATE}"),
        "period": re.compile(rf"\b(?:{period})\s+(?:{_MONTH}|{_QUARTER}|{_HALF})"),
        "year_end": re.compile(rf"\b{_YEAR_END}"),
        "attribute": re.compile(rf"\b(?:{alternation(words['attribute_cues'], folded=True)})\s*:\s*(?:(?:xong|hoàn thành)\s+)?(?:trong\s+)?"
                                rf"(?:{_DATE}|{_MONTH}|{_QUARTER}|{_YEAR_END}|năm\s+(?P<ay>\d{{4}}))"),
        "recurring": re.compile(rf"(?:{alternation(words['recurring_markers'], folded=True)})"),
    }


def _date_from(m: re.Match[str], issued: dt.date | None, year: int | None) -> tuple[dt.date | None, str]:
    g = m.groupdict()
    anchor = issued or (dt.date(year, 1, 1) if year else None)
    if g.get("d") or g.get("d2"):
        day = int(g.get("d") or g.get("d2"))
        month = int(g.get("m") or g.get("m2"))
        y = g.get("y") or g.get("y2")
        return resolve_day_month(day, month, int(y) if y else None, anchor), "by_date"
    if g.get("mm"):
        return end_of_month(int(g["my"]), int(g["mm"])), "within_period"
    if g.get("q"):
        q = quarter_number(g["q"])
        return (end_of_quarter(int(g["qy"]), q) if q else None), "within_period"
    if g.get("n"):
        n = int(g["n"])
        return end_of_month(int(g["hy"]), n if "đầu" in m.group() else 12), "within_period"
    if g.get("ey"):
        return safe_date(int(g["ey"]), 12, 31), "end_of_year"
    if g.get("ay"):  # "Thời gian hoàn thành: năm 2026" — a year stated as the time limit
        return safe_date(int(g["ay"]), 12, 31), "end_of_year"
    return None, "by_date"


def find_deadlines(text: str, issued: dt.date | None, year: int | None = None) -> list[DeadlineFound]:
    folded = fold(text)
    pats = _deadline_patterns()
    out: list[DeadlineFound] = []
    taken: list[tuple[int, int]] = []
    for key in ("attribute", "by_date", "period", "year_end"):
        for m in pats[key].finditer(folded):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            before = folded[max(0, m.start() - 30):m.start()]
            if any(fold(w) in before for w in table("deadlines")["status_markers"]):
                continue
            date, kind = _date_from(m, issued, year)
            if date is None:
                continue
            window = folded[max(0, m.start() - 40):m.end() + 5]
            if pats["recurring"].search(window) and kind == "by_date" and not (m.group("y") or m.group("y2")):
                kind = "recurring"
            taken.append((m.start(), m.end()))
            out.append(DeadlineFound(m.start(), m.end(), text[m.start():m.end()], date, kind))
    out.sort(key=lambda d: d.start)
    return out


# --- references to other documents --------------------------------------------------------

@cache
def _reference_pattern() -> re.Pattern[str]:
    types = table("doc_types")["types"] + ["Văn bản", "Nghị định", "Thông tư", "Luật", "Quyết định", "Chỉ thị",
                                            "Nghị quyết", "Kết luận", "Đề án", "Tờ trình", "Thông báo kết luận"]
    return re.compile(
        rf"(?P<type>{alternation([fold(t) for t in types])})\s+(?:số\s+)?(?P<num>\d+[a-z]?)\s*/\s*(?P<sym>(?:\d{{4}}/)?[\wđ]+(?:[-–][\wđ]+)*)"
        rf"(?:\s+ngày\s+(?:{_DMY}|{_LONG}))?"
    )


def find_references(text: str) -> list[ReferenceFound]:
    folded = fold(text)
    out = []
    for m in _reference_pattern().finditer(folded):
        g = m.groupdict()
        date = None
        if g.get("d") or g.get("d2"):
            y = g.get("y") or g.get("y2")
            if y:
                date = safe_date(int(y), int(g.get("m") or g.get("m2")), int(g.get("d") or g.get("d2")))
        raw = text[m.start():m.end()]
        sym_start = m.start("sym")
        symbol = text[sym_start:m.end("sym")]
        out.append(ReferenceFound(m.start(), m.end(), raw, text[m.start("type"):m.end("type")], g["num"], symbol, date))
    return out


# --- figures -------------------------------------------------------------------------------

# A number, not part of a code or a date; a measure unit may be glued on ("75ha", "10km").
@cache
def _figure_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """A number (not part of a code or a date; a measure may be glued on: "75ha"), a length of
    time after it, and the words before it that make it no quantity."""
    words = table("fields")
    glued = "|".join(re.escape(w) for w in words["glued_measures"])
    number = re.compile(r"(?<![\w.,/:+\-–])(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)"
                        rf"(?!(?!(?:{glued})\b)[\w/:]|[.,]\d|\s*[/]\s*\d)")
    duration = re.compile(rf"^\s*(?:{alternation(words['duration_words'], folded=True)})(?![^\W\d_])")
    not_after = re.compile(rf"(?:{alternation(words['not_figure_after'], folded=True)})\s*$")
    return number, duration, not_after


_UNIT = re.compile(r"^\s*(%|[^\W\d_][^\s,;:.()]*(?:\s+[^\W\d_A-ZĐ][^\s,;:.()]*)?)")


# A number right before an item label counts nothing: OCR reads a bullet as "6" ("6 b) …").
# Nor one followed by another number: a figure is followed by what it counts ("4 16 b)": a stray
# page number).
_LABEL_AFTER = re.compile(r"^\s+(?:[a-zđ]\)\s|\d)")
# Later numbers of a list of document numbers: "các công văn số 614, 615, 616-CV/VPTW".
_NUMBER_LIST = re.compile(fold(r"\bsố\s+\d+[a-z]?(?:\s*[,;]\s*\d+[a-z]?)*\s*(?:,|;|và)\s*$"))


def find_figures(text: str, masked: list[tuple[int, int]]) -> list[FigureFound]:
    """Quantities; ``masked`` spans (dates, codes, references, labels) are not figures."""
    folded = fold(text)
    out = []
    number, duration, not_after = _figure_patterns()
    for m in number.finditer(text):
        s, e = m.span(1)
        if any(a <= s < b for a, b in masked):
            continue
        value = parse_number(m.group(1))
        if value is None:
            continue
        before = folded[max(0, s - 16):s]
        after = folded[e:e + 12]
        percent = after.lstrip().startswith("%")
        if not percent and (not_after.search(before) or duration.match(after)
                            or _NUMBER_LIST.search(folded[max(0, s - 40):s]) or _LABEL_AFTER.match(after)):
            continue
        if 1900 <= value <= 2100 and "," not in m.group(1) and not after.lstrip().startswith("%"):
            continue  # a year
        prev_word = re.search(r"(\S+)\s+$", text[max(0, s - 30):s])
        if prev_word and prev_word.group(1)[:1].isupper() and not after.lstrip().startswith("%") \
                and prev_word.group(1).rstrip(",;:") == prev_word.group(1) and not prev_word.group(1).isupper():
            continue  # a number inside a name: "Cụm công nghiệp Phú Thịnh 1", "Bảo Hưng 2"
        unit_m = _UNIT.match(text[e:e + 40])
        unit = unit_m.group(1) if unit_m else None
        if unit and unit != "%" and unit[:1].isupper():
            unit = None
        out.append(FigureFound(s, e, m.group(1), value, unit))
    return out
