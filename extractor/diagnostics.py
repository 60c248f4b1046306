"""Structured warnings: what a stage noticed but could live with.

Every stage reports the same shape, so that downstream systems (and tests) can match a
stable ``code`` instead of a sentence, and a clerk still gets a readable ``message``.
``pages`` names the 1-based pages concerned, when the problem sits on pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Stage = Literal["parse", "normalise", "structure", "extract", "assemble"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    message: str
    stage: Stage
    pages: tuple[int, ...] = ()


def pages_text(numbers: list[int] | tuple[int, ...]) -> str:
    """'page 3' or 'pages 2, 4': how messages name the pages concerned."""
    if len(numbers) == 1:
        return f"page {numbers[0]}"
    return "pages " + ", ".join(str(n) for n in numbers)


def legacy_warning(encoding: str) -> Diagnostic:
    return parse_warning("legacy_encoding", f"text was in the legacy {encoding.upper()} encoding; converted to Unicode")


def parse_warning(code: str, message: str, pages: list[int] | tuple[int, ...] = ()) -> Diagnostic:
    """A parser's warning; the message is prefixed with the pages it names."""
    pages = tuple(pages)
    return Diagnostic(code, f"{pages_text(pages)}: {message}" if pages else message, "parse", pages)
