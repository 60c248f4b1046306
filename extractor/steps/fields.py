"""Field extractors that read one task's text: criteria codes, deadlines, figures and
references to other documents. Each returns plain values with offsets relative to the text
it was given; the caller shifts them into document offsets.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import cache

from ..deadline_rules import Recurrence, Relative, add_days, next_due
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
    date: dt.date | None  # None only for a relative limit counted from receipt (or no known date)
    kind: str
    recurrence: Recurrence | None = None
    relative: Relative | None = None


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


@cache
def _rule_patterns() -> dict[str, re.Pattern[str]]:
    """Limits that recur ("trước ngày 18 hằng tháng", "trước 16 giờ thứ Sáu hằng tuần") or count
    from an event ("trong 10 ngày kể từ ngày nhận")."""
    words = table("deadlines")
    every = alternation(list(words["recurring_every"]), folded=True)
    weekdays = alternation(list(words["weekdays"]), folded=True)
    origins = alternation(list(words["relative_from"]), folded=True)
    return {
        "monthly": re.compile(rf"\b(?:(?:trước|vào|chậm nhất|đến)\s+)?ngày\s+(?P<md>\d{{1,2}})\s+(?:của\s+)?(?P<every>{every})"),
        "weekly": re.compile(rf"\b(?:(?:trước|vào|chậm nhất)\s+)?{_HOUR}?(?:ngày\s+)?(?P<wd>{weekdays})\s+(?P<every>{every})"),
        "relative": re.compile(rf"\btrong\s+(?:vòng\s+|thời hạn\s+)?(?P<rd>\d{{1,3}})\s+ngày(?P<work>\s+làm\s+việc)?\s*,?\s*"
                               rf"(?:kể\s+)?từ\s+(?:ngày\s+)?(?P<origin>{origins})"),
    }


def _every(phrase: str) -> str | None:
    words = table("deadlines")["recurring_every"]
    return next((v for k, v in words.items() if fold(k) == re.sub(r"\s+", " ", phrase)), None)


def _rule_from(key: str, m: re.Match[str], issued: dt.date | None) -> DeadlineFound | None:
    """A recurring limit with its first due date on or after the issue date; a relative one
    with its date when it counts from the issue date."""
    words = table("deadlines")
    if key == "relative":
        origin = next(v for k, v in words["relative_from"].items() if fold(k) == re.sub(r"\s+", " ", m.group("origin")))
        rule = Relative(days=int(m.group("rd")), working_days=bool(m.group("work")), counted_from=origin)
        date = add_days(issued, rule) if issued and origin == "issue" else None
        return DeadlineFound(m.start(), m.end(), "", date, "relative", relative=rule)
    every = _every(m.group("every"))
    if key == "monthly" and every == "month" and 1 <= int(m.group("md")) <= 31:
        recurrence = Recurrence(every="month", day=int(m.group("md")))
    elif key == "weekly" and every == "week":
        weekday = next(v for k, v in words["weekdays"].items() if fold(k) == re.sub(r"\s+", " ", m.group("wd")))
        recurrence = Recurrence(every="week", weekday=weekday)
    else:
        return None
    return DeadlineFound(m.start(), m.end(), "", next_due(recurrence, issued) if issued else None, "recurring",
                         recurrence=recurrence)


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
    for key, pattern in _rule_patterns().items():
        for m in pattern.finditer(folded):
            found = _rule_from(key, m, issued)
            if found is not None and not any(s < m.end() and m.start() < e for s, e in taken):
                taken.append((m.start(), m.end()))
                out.append(replace(found, text=text[m.start():m.end()]))
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
            recurrence = None
            marker = pats["recurring"].search(window)
            if marker and kind == "by_date" and not (m.group("y") or m.group("y2")):
                # "định kỳ hằng năm (trước ngày 10/12)": the day recurs; the date is its first.
                kind = "recurring"
                if any(fold(k) in window for k, v in table("deadlines")["recurring_every"].items() if v == "year"):
                    recurrence = Recurrence(every="year", day=date.day, month=date.month)
            taken.append((m.start(), m.end()))
            out.append(DeadlineFound(m.start(), m.end(), text[m.start():m.end()], date, kind, recurrence=recurrence))
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
