"""What a notice is, whatever file it came in.

Nghị định 30/2020 gives every document an issuer, a type, a number and symbol and a date; two
files that agree on these are the same notice (as TXT and PDF, as a copy, as a scan, as a
corrected version). A notice whose number is left blank (drafts, portal copies) is known by
what it says besides: its subject (trích yếu), else a hash of its text. OCR and legacy fonts
damage diacritics and letters, so parts are compared by their letters only, and alike enough.

Task ids derive from the notice's identity and the task's place (its section path and its
ordinal among tasks at that path), never from its words: a re-scan or a fixed typo keeps them.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass
from typing import Any

from ..letterhead import letters_only

# How alike two readings of the same task must be (letters only) to count as one content:
# OCR misreads a few letters in a hundred; a corrected version changes words.
SAME_TEXT = 0.9


# Two readings of an issuer, a symbol or a subject (letters only) that are this alike are one.
SAME_NAME = 0.85


@dataclass(frozen=True, slots=True)
class Identity:
    issuer: str
    doc_type: str
    number: str
    symbol: str
    date: str
    subject: str  # only for a blank number: the subject's letters, else a hash of the text

    @property
    def key(self) -> str:
        return "|".join((self.issuer, self.doc_type, self.number, self.symbol, self.date, self.subject))

    def matches(self, other: Identity) -> bool | None:
        """The same notice, read from another file: number and date agree, the rest is alike.
        None when only the texts can tell (blank number, no subject). An issuer not read at all
        (a scan's stamp or logo between it and the motto) is no other issuer when the number
        and symbol agree: they name the notice on their own."""
        if (self.number, self.date) != (other.number, other.date):
            return False
        if not all(_alike(a, b) for a, b in ((self.doc_type, other.doc_type), (self.symbol, other.symbol))):
            return False
        if not _alike(self.issuer, other.issuer) and not (self.number and self.symbol and "" in (self.issuer, other.issuer)):
            return False
        if self.number:
            return True
        # A blank number: two plans of one issuer may share most of a subject ("Kiểm tra cấp giấy
        # chứng nhận huấn luyện …" / "Huấn luyện, kiểm tra cấp giấy chứng nhận …"), so the texts
        # decide, once the subjects (when both were read) are alike.
        if self.subject.startswith("text:") or other.subject.startswith("text:"):
            return None
        return None if _alike(self.subject, other.subject) else False


def _alike(a: str, b: str) -> bool:
    """Equal, one cut short of the other (a wrapped subject read in part), one letter misread
    ("sgtcn" for "sctcn"), or alike enough."""
    if a == b or (min(len(a), len(b)) >= 20 and (a.startswith(b) or b.startswith(a))):
        return True
    if len(a) == len(b) >= 4 and sum(x != y for x, y in zip(a, b, strict=True)) == 1:
        return True
    return bool(a) and bool(b) and difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= SAME_NAME


def identity_of(notice: dict[str, Any], text: str) -> Identity:
    number = (notice.get("number") or "").lstrip("0")
    subject = ""
    if not number:
        subject = letters_only(notice.get("subject") or "")[:200] or \
            "text:" + hashlib.sha256(letters_only(text).encode()).hexdigest()[:40]
    return Identity(letters_only(notice.get("issuer") or ""), letters_only(notice.get("doc_type") or ""), number,
                    letters_only(notice.get("symbol") or ""), str(notice.get("issued_date") or ""), subject)


def notice_id(key: str) -> str:
    return "n-" + hashlib.sha256(key.encode()).hexdigest()[:16]


def place(section: str) -> str:
    """A section path without paragraph or row numbers ("1./¶8" -> "1./¶", "table/39" ->
    "table/"): an index depends on how a format breaks lines, the place among the unlabelled
    paragraphs or the rows of a table does not."""
    return re.sub(r"table/[^/]*", "table/", re.sub(r"¶\d+", "¶", section))


def task_ids(nid: str, sections: list[str]) -> list[str]:
    """One id per task: the notice, the section path, and the ordinal at that path."""
    seen: dict[str, int] = {}
    out = []
    for section in map(place, sections):
        seen[section] = seen.get(section, 0) + 1
        digest = hashlib.sha256(f"{nid}|{section}|{seen[section]}".encode()).hexdigest()[:12]
        out.append(f"{nid}-t{digest}")
    return out


def same_text(a: str, b: str) -> bool:
    """Two readings of one document's text: alike in their letters (the first pages suffice)."""
    x, y = letters_only(a)[:6000], letters_only(b)[:6000]
    matcher = difflib.SequenceMatcher(None, x, y, autojunk=False)
    return matcher.real_quick_ratio() >= SAME_TEXT and matcher.quick_ratio() >= SAME_TEXT and matcher.ratio() >= SAME_TEXT


def same_content(old: list[tuple[str, str]], new: list[tuple[str, str]]) -> bool:
    """Whether two records of one notice hold the same tasks: the same places, and texts that
    differ no more than two readings of one page do. (section, text) pairs, in order."""
    if [place(s) for s, _ in old] != [place(s) for s, _ in new]:
        return False
    for (_, a), (_, b) in zip(old, new, strict=True):
        x, y = letters_only(a), letters_only(b)
        if x != y and difflib.SequenceMatcher(None, x, y, autojunk=False).ratio() < SAME_TEXT:
            return False
    return True


def fidelity(source: dict[str, Any]) -> int:
    """Which file of a notice to show: a text layer before OCR (lower is better)."""
    if source.get("ocr_pages"):
        return 2
    return 0 if source.get("format") in ("txt", "docx", "html") else 1
