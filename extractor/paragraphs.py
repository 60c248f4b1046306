"""Rebuild paragraphs from lines: text layers (TXT exported from PDF, PDF) wrap every line,
and page breaks cut sentences; DOCX paragraphs are already whole.

The result is the document text that every span points into: paragraphs joined by "\\n".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from itertools import pairwise

from .letterhead import NUMBER_LINE, PLACE_DATE, is_rule
from .normalise import Line, NormalisedDocument
from .unitnames import mentions
from .vntext import fold
from .vocab import table


@dataclass(frozen=True, slots=True)
class Label:
    kind: str  # article, part, roman, num, letter, dash, plus, dot
    text: str  # as written, e.g. "1.2.", "đ)", "-"
    value: str  # the bare label: "1.2", "đ", "-"

    @property
    def depth(self) -> int:
        return self.value.count(".") + 1 if self.kind == "num" else 1


@dataclass(frozen=True, slots=True)
class Paragraph:
    index: int
    text: str
    start: int  # offset of the paragraph in the document text
    page: int | None
    label: Label | None
    kind: str = "paragraph"  # or "table_row"
    cells: tuple[str, ...] = ()
    line_starts: tuple[int, ...] = ()  # document offsets where source lines began
    line_blocks: tuple[int, ...] = ()  # the parser block of each of those lines

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def body(self) -> str:
        """The text without its label."""
        return self.text[len(self.label.text):].lstrip() if self.label else self.text

    @property
    def body_start(self) -> int:
        return self.end - len(self.body)


@dataclass(frozen=True, slots=True)
class Layout:
    text: str
    paragraphs: tuple[Paragraph, ...]


def _label_patterns() -> list[tuple[str, re.Pattern[str], bool]]:
    return [(p["kind"], re.compile(p["regex"]), bool(p.get("nonempty"))) for p in table("labels")["patterns"]]


_PATTERNS = _label_patterns()
_PAGE_NUMBER = re.compile(r"^(?:-\s*)?\d{1,3}(?:\s*-)?$")
_TERMINAL = re.compile(r"(?:[.;:!?]|\./\.|\.\))[\"”'’)]*$")
# Lines that open a new paragraph whatever precedes them (header and closing blocks).
# Capitalised as written: "số 206/KH-UBND" wrapped onto a new line opens nothing.
_OPENERS = re.compile(
    r"^(?:Số\s*:|Số\s+\d|(?i:V/v)\b|Kính\s+gửi|Nơi\s+nhận|Căn\s+cứ\b|(?:TM|KT|TL|TUQ|Q)\.\s"
    r"|[^\W\d][\w .]{0,40},\s*ngày\b.{0,30}\bnăm\b)"
)


@lru_cache(maxsize=8192)
def find_label(text: str) -> Label | None:
    for kind, pattern, nonempty in _PATTERNS:
        m = pattern.match(text)
        if m and (not nonempty or m.group(1)):
            return Label(kind=kind, text=m.group(0), value=m.group(1))
    return None


def _is_upper(text: str) -> bool:
    """All capitals (a title or the issuer's name), at least three letters."""
    return text.isupper() and len(text) >= 3


def _starts_lower(text: str) -> bool:
    first = next((c for c in text if c.isalnum()), "")
    return first.islower()


def _starts_sentence(text: str) -> bool:
    """A line opening with a capitalised common word, not a unit or document name."""
    if not text[:1].isupper() or text[:2].isupper():
        return False
    names = table("units")["head_nouns"] + table("doc_types")["types"] + ["Thông tư", "Nghị định", "Luật", "Văn bản", "Điều"]
    return not any(text.startswith(n) for n in names) and text.split()[0].rstrip(",;:").isalpha()


def names_only(text: str) -> bool:
    """Whether ``text`` is nothing but unit names joined by ",", "và", "/", ";"."""
    rest = text
    for m in reversed(mentions(text)):
        rest = rest[:m.start] + rest[m.end:]
    return bool(text.strip()) and not re.sub(r"\b(?:và|các)\b|[,;/\s]", "", rest)


@cache
def _type_titles() -> frozenset[str]:
    return frozenset(fold(t) for t in table("doc_types")["types"] + table("doc_types")["legal_types"])


# Nghị định 30/2020 (Phụ lục I) sets a paragraph's first line in by 1 to 1.27 cm; laid-out pages
# give each line's indent, in points. A document is set so when enough of its lines start that
# far in; in such a document a line at the left margin opens no paragraph.
FIRST_LINE_INDENT = (14.0, 71.0)  # 0.5 to 2.5 cm: the prescribed indent, and what drafts use
AT_MARGIN = 4.0  # points: a line this close to the text block's left edge starts at the margin
FULL_LINE = 20.0  # points: a line that stops this close to the right edge filled its line
_INDENTED_SHARE = 0.12  # of the measured lines: first lines in a text of paragraphs a few lines long


def _indented(lines: tuple[Line, ...]) -> bool:
    """Whether the document sets its paragraphs' first lines in (measured lines only)."""
    measured = [line.indent for line in lines if line.kind == "line" and line.indent is not None]
    first = sum(FIRST_LINE_INDENT[0] <= indent <= FIRST_LINE_INDENT[1] for indent in measured)
    return first >= 3 and first >= _INDENTED_SHARE * len(measured)


def _wrapped(previous: Line, line: Line) -> bool:
    """In a document whose paragraphs are indented: ``previous`` filled its line and ``line``
    starts at the margin, so the sentence that ended there goes on in the same paragraph."""
    return (previous.short_by is not None and previous.short_by <= FULL_LINE
            and line.indent is not None and line.indent <= AT_MARGIN)


def _continues(group: list[Line], line: Line, wrap_width: int, open_brackets: int = 0, *, indented: bool = False) -> bool:
    """Whether ``line`` continues the paragraph whose lines so far are ``group``, in which
    ``open_brackets`` "(" are not closed yet (kept by the caller: rebuilding the paragraph for
    every line made joining quadratic in the length of an unpunctuated run); ``indented``: the
    document sets first lines in (:func:`_indented`)."""
    prev = group[-1].text
    text = line.text
    # (a number line as written, capitalised: "số 206/KH-UBND" wrapped onto a line opens nothing)
    if line.kind == "table_row" or _OPENERS.match(text) or (text[:1] != "s" and NUMBER_LINE.match(text)) \
            or is_rule(text) or is_rule(prev):
        return False
    if len(group) == 1 and prev[-4:].isdigit() and PLACE_DATE.match(prev):
        return False  # "Cần Thơ, ngày 15 tháng 9 năm 2025" is a line of its own
    if len(group) == 1 and _is_upper(prev) and fold(prev).strip() in _type_titles():
        return False  # the type's title stands alone ("NGHỊ QUYẾT"); the subject below is its own
    if group[0].text.startswith("(") and prev.endswith(")"):
        return False  # a parenthetical note such as "(Gửi kèm: …)" ends with its bracket
    label = find_label(text)
    if label:
        if open_brackets > 0:
            return True  # "(Gửi kèm: 1. …;" then "2. Báo cáo …": numbers inside brackets are no items
        if label.kind == "dash" and _starts_lower(text[len(label.text):]) and not _TERMINAL.search(prev):
            return True  # "kinh tế" / "- xã hội": a hyphenated phrase wrapped at its hyphen
        # "… theo quy định tại\nĐiều 17 Thông tư …" is a citation wrapped onto a new line, not
        # a new article; other labels at a line start always open an item.
        return label.kind in ("article", "part") and line.kind == "line" and not line.blank_before and not (
            _TERMINAL.search(prev) or _is_upper(prev))
    if prev.endswith(",") or re.search(r"\s(?:và|của|các|với|tại|theo|về|[Gg]iao|đề nghị|yêu cầu)$", prev):
        return True  # a sentence cannot end on a comma or a connecting word
    if group[0].text.startswith("Kính gửi") and len(prev) < 0.75 * wrap_width and not _starts_lower(text):
        return False  # "Kính gửi: Bộ Xây dựng" then the body
    heading_label = find_label(prev) if len(group) == 1 else None
    if heading_label and heading_label.kind not in ("dash", "plus", "dot") and len(prev) < 0.8 * wrap_width \
            and not _starts_lower(text):
        # A labelled line that stops short of the wrap width (by more than a word or two) is a heading.
        return False
    first_label = find_label(group[0].text) if len(group) <= 3 else None
    if first_label and first_label.kind not in ("dash", "plus", "dot") and not _TERMINAL.search(prev) \
            and _starts_sentence(text) and names_only(" ".join(g.text for g in group)[len(first_label.text):]):
        # "1. Công an tỉnh, …, Ủy ban nhân dân các xã, phường" then "Theo chức năng, …": a
        # heading that only names units, then its body.
        return False
    if _is_upper(prev) != _is_upper(text):
        return False
    if _TERMINAL.search(prev):
        # A sentence ended; a new one on a new line is a new paragraph unless it is lower-case
        # (the sentence went on after an abbreviation, a colon or a page break), or the page
        # shows it went on: not set in, after a full line, where paragraphs are set in.
        if prev.endswith("./."):
            return False
        return _starts_lower(text) or (indented and _wrapped(group[-1], line))
    if line.blank_before or line.kind == "paragraph":
        # An author's paragraph break, or a page break inside a sentence ("giải\n\nquyết").
        return _starts_lower(text)
    return True


def _wrap_width(lines: tuple[Line, ...]) -> int:
    """The usual length of a wrapped line: long lines are cut about there."""
    lengths = sorted(len(line.text) for line in lines if line.kind == "line")
    return lengths[int(len(lengths) * 0.8)] if lengths else 0


def _paragraphs_are_lines(lines: tuple[Line, ...]) -> bool:
    """Word files converted from PDF keep one paragraph per printed line: many paragraphs then
    stop mid-sentence and the next goes on in lower case. Such paragraphs are rejoined like
    the lines of a text layer."""
    paras = [line for line in lines if line.kind == "paragraph"]
    if len(paras) < 10:
        return False
    cut = sum(1 for a, b in pairwise(paras)
              if not _TERMINAL.search(a.text) and _starts_lower(b.text) and not find_label(b.text))
    return cut >= 0.1 * len(paras)


def build_layout(doc: NormalisedDocument) -> Layout:
    lines = doc.lines
    if _paragraphs_are_lines(lines):
        lines = tuple(replace(line, kind="line") if line.kind == "paragraph" else line for line in lines)
        doc = replace(doc, lines=lines)
    width = _wrap_width(doc.lines)
    indented = _indented(doc.lines)
    groups: list[list[Line]] = []
    balance = 0  # "(" not yet closed in the last group
    for i, line in enumerate(doc.lines):
        if line.kind != "table_row" and _PAGE_NUMBER.match(line.text) and groups and i + 1 < len(doc.lines):
            # A bare page number between two pieces of running text.
            nxt = doc.lines[i + 1]
            if not _TERMINAL.search(groups[-1][-1].text) or _starts_lower(nxt.text) or nxt.page != line.page \
                    or line.kind == "paragraph" or (line.kind == "line" and line.blank_before and nxt.blank_before):
                continue  # (a number alone between blank lines, or as a Word paragraph, is a page number)
        if groups and groups[-1][-1].kind != "table_row" and _continues(groups[-1], line, width, balance, indented=indented):
            groups[-1].append(line)
            balance += line.text.count("(") - line.text.count(")")
        else:
            groups.append([line])
            balance = line.text.count("(") - line.text.count(")")

    paragraphs: list[Paragraph] = []
    pieces: list[str] = []
    offset = 0
    for index, group in enumerate(groups):
        starts = []
        parts: list[str] = []
        length = 0
        for line in group:
            if parts and not (parts[-1].endswith("-") and parts[-1][-2:-1].isalnum() and line.text[:1].isupper()):
                # "…số 134/KH-" + "UBND …": a symbol cut at its hyphen joins without a space.
                parts.append(" ")
                length += 1
            starts.append(offset + length)
            parts.append(line.text)
            length += len(line.text)
        text = "".join(parts)  # joined once: appending to one string was quadratic in long runs
        first = group[0]
        label = None if first.kind == "table_row" else find_label(text)
        paragraphs.append(Paragraph(
            index=index, text=text, start=offset, page=first.page, label=label,
            kind=first.kind if first.kind == "table_row" else "paragraph",
            cells=first.cells, line_starts=tuple(starts), line_blocks=tuple(line.block for line in group),
        ))
        pieces.append(text)
        offset += len(text) + 1
    return Layout(text="\n".join(pieces), paragraphs=tuple(paragraphs))


def source_of(layout: Layout, offset: int) -> tuple[int, int] | None:
    """Where a document-text offset came from: (parser block index, offset in that block's
    cleaned text). Cleaning collapses white space, so offsets inside a block are those of its
    cleaned text."""
    for p in layout.paragraphs:
        if p.start <= offset <= p.end:
            k = max((i for i, s in enumerate(p.line_starts) if s <= offset), default=0)
            return p.line_blocks[k], offset - p.line_starts[k]
    return None
