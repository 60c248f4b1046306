"""Word list numbering: the labels ("1.", "1.1.", "a)", "II.") Word shows but does not store.

Definitions come from ``numbering.xml`` (abstract lists, their instances and overrides) and
``styles.xml`` (style-linked lists); the running counters are kept as the body is walked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from lxml import etree

from ...vnnum import roman_numeral
from .wordml import MC_ALTERNATE, MC_CHOICE, MC_NS, PPR, RPR, VAL, child_val, on, on_attr, w, xml_int


@dataclass(frozen=True)
class Style:
    """A paragraph style as far as list numbering goes: its base style and its list, if any."""

    style_id: str
    based_on: str | None
    num_id: str | None
    ilvl: str | None


def load_styles(root: etree._Element | None) -> tuple[dict[str, Style], str | None]:
    """Paragraph styles (for style-linked lists) and the id of the default paragraph style."""
    styles: dict[str, Style] = {}
    default: str | None = None
    if root is None:
        return styles, default
    for style in root.iter(w("style")):
        style_id = style.get(w("styleId"))
        if not style_id:
            continue
        num_pr = style.find(f"{PPR}/{w('numPr')}")
        styles[style_id] = Style(
            style_id=style_id,
            based_on=child_val(style, "basedOn"),
            num_id=child_val(num_pr, "numId"),
            ilvl=child_val(num_pr, "ilvl"),
        )
        if style.get(w("type")) == "paragraph" and on_attr(style.get(w("default"))):
            default = style_id
    return styles, default


@dataclass(frozen=True)
class _Level:
    start: int
    fmt: str
    text: str
    restart: int | None  # w:lvlRestart (1-based level after which to restart; 0 = never)
    is_legal: bool
    pstyle: str | None
    hidden: bool
    pad: int  # zero-padding width of custom formats such as "001, 002, 003, ..."


def _parse_level(lvl: etree._Element) -> _Level:
    # Word 2010+ writes custom formats ("001, 002, 003, ...") inside mc:AlternateContent.
    fmt_el = next(
        (e for e in (lvl.find(w("numFmt")), lvl.find(f"{MC_ALTERNATE}/{MC_CHOICE}/{w('numFmt')}"),
                     lvl.find(f"{MC_ALTERNATE}/{{{MC_NS}}}Fallback/{w('numFmt')}")) if e is not None),
        None,
    )
    fmt = fmt_el.get(VAL, "decimal") if fmt_el is not None else "decimal"
    pad = 0
    if fmt == "custom" and fmt_el is not None:
        first = (fmt_el.get(w("format")) or "").split(",")[0].strip()
        pad, fmt = (len(first), "decimal") if first.isdigit() else (0, "decimal")
    restart = child_val(lvl, "lvlRestart")
    return _Level(
        start=xml_int(child_val(lvl, "start"), 0),
        fmt=fmt,
        text=child_val(lvl, "lvlText") or "",
        restart=None if restart is None else xml_int(restart, 0, 0, 9),
        is_legal=on(lvl.find(w("isLgl"))),
        pstyle=child_val(lvl, "pStyle"),
        hidden=on(lvl.find(f"{RPR}/{w('vanish')}")),
        pad=pad,
    )


def _levels(parent: etree._Element) -> dict[int, _Level]:
    return {xml_int(lvl.get(w("ilvl")), 0, 0, 8): _parse_level(lvl) for lvl in parent.findall(w("lvl"))}


@dataclass(frozen=True)
class _Num:
    abstract_id: str
    start_overrides: dict[int, int]
    level_overrides: dict[int, _Level]




def format_number(n: int, fmt: str, pad: int = 0) -> str:
    """Render one counter as Word shows it.

    Letters follow Word's Latin sequence a, b, c, d, e, f, ...: Vietnamese drafting uses
    a, b, c, d, đ, e, g, ... but Word cannot count that way, and we report what Word shows.
    Absurd counters (hostile ``w:start``) fall back to decimal so output stays small.
    """
    if fmt == "none":
        return ""
    if fmt in ("lowerLetter", "upperLetter") and 1 <= n <= 26 * 30:
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("lowerRoman", "upperRoman") and 1 <= n < 4000:
        return roman_numeral(n).lower() if fmt == "lowerRoman" else roman_numeral(n)
    if fmt == "decimalZero":
        pad = max(pad, 2)
    return str(n).zfill(pad) if n >= 0 else str(n)


class Numbering:
    """Word list numbering: definitions from numbering.xml plus the running counters.

    Counters are kept per abstract list, so several ``w:num`` instances of one abstract list
    continue each other (what Word does), except that a ``w:num`` carrying a
    ``w:startOverride`` restarts that level the first time it is used.
    """

    def __init__(self, root: etree._Element | None, styles: dict[str, Style]) -> None:
        self.abstracts: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, _Num] = {}
        self.styles = styles
        self.counters: dict[str, list[int | None]] = {}
        self.used_overrides: set[tuple[str, int]] = set()
        if root is not None:
            self._load(root)

    def _load(self, root: etree._Element) -> None:
        links: dict[str, str] = {}
        for abstract in root.iter(w("abstractNum")):
            abstract_id = abstract.get(w("abstractNumId")) or ""
            self.abstracts[abstract_id] = _levels(abstract)
            link = child_val(abstract, "numStyleLink")
            if link:
                links[abstract_id] = link
        for num in root.iter(w("num")):
            overrides: dict[int, int] = {}
            level_overrides: dict[int, _Level] = {}
            for override in num.findall(w("lvlOverride")):
                ilvl = xml_int(override.get(w("ilvl")), 0, 0, 8)
                start = child_val(override, "startOverride")
                if start is not None:
                    overrides[ilvl] = xml_int(start, 0)
                lvl = override.find(w("lvl"))
                if lvl is not None:
                    level_overrides[ilvl] = _parse_level(lvl)
            abstract_id = child_val(num, "abstractNumId") or ""
            self.nums[num.get(w("numId")) or ""] = _Num(abstract_id, overrides, level_overrides)
        # An abstract list that only says "use numbering style X" (w:numStyleLink) is that
        # style's list: same levels and the same counters.
        alias: dict[str, str] = {}
        for abstract_id, style_id in links.items():
            style = self.styles.get(style_id)
            target = self.nums.get(style.num_id or "") if style else None
            if target and target.abstract_id in self.abstracts and target.abstract_id != abstract_id:
                alias[abstract_id] = target.abstract_id
        self.nums = {
            num_id: replace(num, abstract_id=alias.get(num.abstract_id, num.abstract_id))
            for num_id, num in self.nums.items()
        }

    def resolve(self, p_pr: etree._Element | None, style_id: str | None) -> tuple[str, int] | None:
        """(numId, ilvl) for a paragraph: its own w:numPr, else its style chain's."""
        num_pr = p_pr.find(w("numPr")) if p_pr is not None else None
        num_id = child_val(num_pr, "numId")
        ilvl = child_val(num_pr, "ilvl")
        chain = self._style_chain(style_id)
        for style in chain:
            num_id = style.num_id if num_id is None else num_id
            ilvl = style.ilvl if ilvl is None else ilvl
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return None
        if ilvl is None:  # style-linked list: the level whose w:pStyle names this style (or a base)
            levels = self.abstracts.get(self.nums[num_id].abstract_id, {})
            by_style = {lv.pstyle: i for i, lv in levels.items() if lv.pstyle}
            ilvl = next((str(by_style[s.style_id]) for s in chain if s.style_id in by_style), "0")
        return num_id, xml_int(ilvl, 0, 0, 8)

    def _style_chain(self, style_id: str | None) -> list[Style]:
        """The style and its w:basedOn ancestors, nearest first (cycles cut)."""
        chain: list[Style] = []
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self.styles:
            seen.add(style_id)
            chain.append(self.styles[style_id])
            style_id = self.styles[style_id].based_on
        return chain

    def _level(self, num: _Num, ilvl: int) -> _Level | None:
        return num.level_overrides.get(ilvl) or self.abstracts.get(num.abstract_id, {}).get(ilvl)

    def _start(self, num: _Num, ilvl: int) -> int:
        if ilvl in num.start_overrides:
            return num.start_overrides[ilvl]
        level = self._level(num, ilvl)
        return level.start if level else 0

    def next_label(self, num_id: str, ilvl: int) -> str | None:
        """Advance the counter for this paragraph and return the label Word displays."""
        num = self.nums[num_id]
        level = self._level(num, ilvl)
        if level is None:
            return None
        counters = self.counters.setdefault(num.abstract_id, [None] * 9)
        if ilvl in num.start_overrides and (num_id, ilvl) not in self.used_overrides:
            self.used_overrides.add((num_id, ilvl))
            counters[ilvl] = None
        current = counters[ilvl]
        counters[ilvl] = self._start(num, ilvl) if current is None else current + 1
        for deeper in range(ilvl + 1, 9):
            deeper_level = self._level(num, deeper)
            restart_after = deeper if deeper_level is None or deeper_level.restart is None else deeper_level.restart
            if ilvl < restart_after:  # w:lvlRestart="0" never restarts; default: any shallower level
                counters[deeper] = None
        if level.hidden:
            return None
        return self._render(num, level, counters)

    def _render(self, num: _Num, level: _Level, counters: list[int | None]) -> str | None:
        if level.fmt == "bullet":
            glyph = level.text.strip()
            return None if not glyph else ("+" if glyph == "+" else "-")

        def placeholder(match: re.Match[str]) -> str:
            ref = int(match.group(1)) - 1
            ref_level = self._level(num, ref)
            value = counters[ref]
            value = self._start(num, ref) if value is None else value
            if level.is_legal:
                return str(value)
            return format_number(value, ref_level.fmt if ref_level else "decimal", ref_level.pad if ref_level else 0)

        label = re.sub(r"%([1-9])", placeholder, level.text).strip()
        return label or None
