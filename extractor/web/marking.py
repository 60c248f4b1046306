"""The notice's text as HTML, with each task's span marked and, inside it, its deadlines and
the names of its responsible units.

Why it is built here and not in a template: marks nest (a deadline inside a task), the text
between them must be escaped piece by piece, and a span that overlaps another cannot be drawn
as an element. The rule is simple and stated once: task spans are drawn unless they overlap an
earlier one; inside a task, deadlines are drawn, then unit names where they do not overlap a
deadline; a deadline outside every task is drawn on its own. Everything not drawn stays plain
text. The text inside a task's mark is exactly ``text[start:end]``, so what is highlighted is
what the record's span says.

Units have no spans in the record: a responsible unit is marked where its name, as the notice
writes it, occurs inside its task's span (letter case aside). Words OCR read with low
confidence (``source.ocr_doubtful_words``) are marked where they are, as deep in the marks as
they fall; a task on a page read by OCR is marked as such.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape


@dataclass
class Mark:
    start: int
    end: int
    tag: str  # "mark" or "span"
    classes: str
    attrs: dict[str, str] = field(default_factory=dict)
    before: Markup = field(default_factory=Markup)  # drawn just before the element (a task's number, a link)
    children: list[Mark] = field(default_factory=list)

    def overlaps(self, other: Mark) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Mark) -> bool:
        return self.start <= other.start and other.end <= self.end


def _fits(text: str, start: int, end: int) -> bool:
    return 0 <= start < end <= len(text)


def unit_places(text: str, start: int, end: int, names: Iterable[str]) -> list[tuple[int, int]]:
    """Where each name occurs in ``text[start:end]``, case aside (a lower-casing that changes a
    string's length is not trusted to keep offsets, and that name is left out)."""
    window = text[start:end]
    lowered = window.lower()
    if len(lowered) != len(window):
        return []
    places = []
    for name in names:
        needle = name.strip().lower()
        if len(needle) < 3 or len(needle) != len(name.strip()):
            continue
        at = lowered.find(needle)
        while at >= 0:
            places.append((start + at, start + at + len(needle)))
            at = lowered.find(needle, at + len(needle))
    return places


def _place(marks: list[Mark], mark: Mark) -> bool:
    """Add ``mark`` among ``marks`` (disjoint) unless it overlaps one."""
    if any(m.overlaps(mark) for m in marks):
        return False
    marks.append(mark)
    return True


def task_marks(text: str, tasks: Sequence[dict[str, Any]], *, numbers: Sequence[int], ocr_pages: Iterable[int] = (),
               low_pages: Iterable[int] = ()) -> list[Mark]:
    """The marks for a record's tasks (``tasks`` as in the record; ``numbers`` their numbers shown)."""
    ocr, low = set(ocr_pages), set(low_pages)
    top: list[Mark] = []
    loose: list[Mark] = []
    for number, task in zip(numbers, tasks, strict=True):
        span = task["span"]
        tid = str(task.get("register_id") or task["id"])
        page = span.get("page")
        classes = "task" + (" ocr" if page in ocr else "") + (" lowconf" if page in low else "")
        mark = Mark(span["start"], span["end"], "mark", classes, {"id": f"span-{tid}", "data-task": tid},
                    before=Markup('<a class="tasknum" href="#task-{0}" title="Nhiệm vụ {1}">{1}</a>').format(tid, number))
        if not _fits(text, mark.start, mark.end) or not _place(top, mark):
            continue
        for d in task.get("deadlines", []):
            inner = Mark(d["span"]["start"], d["span"]["end"], "span", "deadline", {"title": "Thời hạn"})
            if not _fits(text, inner.start, inner.end):
                continue
            if mark.contains(inner):
                _place(mark.children, inner)
            else:
                loose.append(inner)
        for start, end in unit_places(text, mark.start, mark.end, task.get("responsible_units", [])):
            _place(mark.children, Mark(start, end, "span", "unit", {"title": "Đơn vị chủ trì"}))
    for inner in loose:
        _place(top, inner)
    return top


def _nest(marks: list[Mark], mark: Mark) -> bool:
    """Add ``mark`` inside the mark that contains it (as deep as it goes), else beside the
    others, unless it overlaps one."""
    holder = next((m for m in marks if m.contains(mark)), None)
    return _nest(holder.children, mark) if holder is not None else _place(marks, mark)


def doubtful_marks(marks: list[Mark], text: str, words: Iterable[dict[str, Any]]) -> None:
    """Mark the words OCR read with low confidence (the record's ``source.ocr_doubtful_words``)
    wherever they are: inside a task, a deadline or a unit name, or in the plain text."""
    for word in words:
        span = word["span"]
        if _fits(text, span["start"], span["end"]):
            _nest(marks, Mark(span["start"], span["end"], "span", "doubtful",
                              {"title": f"OCR không chắc chắn ({word['confidence']:.0f}%): hãy đối chiếu bản gốc"}))


def render(text: str, marks: list[Mark], start: int = 0, end: int | None = None) -> Markup:
    """``text[start:end]`` escaped, with ``marks`` (disjoint, inside the range) drawn as elements."""
    end = len(text) if end is None else end
    out: list[str] = []
    at = start
    for mark in sorted(marks, key=lambda m: m.start):
        out.append(escape(text[at:mark.start]))
        attrs = "".join(Markup(' {}="{}"').format(k, v) for k, v in mark.attrs.items())
        out.append(mark.before)
        out.append(Markup('<{} class="{}"{}>').format(Markup(mark.tag), mark.classes, Markup(attrs)))
        out.append(render(text, mark.children, mark.start, mark.end))
        out.append(Markup("</{}>").format(Markup(mark.tag)))
        at = mark.end
    out.append(escape(text[at:end]))
    return Markup("").join(out)


def marked_text(record: dict[str, Any], task_ids: Sequence[str | None], *, low_pages: Iterable[int] = ()) -> Markup:
    """The record's text with its tasks marked; ``task_ids`` are the register's ids of the
    record's tasks, in the record's order (None: the task is not in the register)."""
    text: str = record["text"]
    tasks = [{**t, "register_id": tid} for t, tid in zip(record["tasks"], task_ids, strict=True) if tid]
    numbers = [n for n, tid in enumerate(task_ids, start=1) if tid]
    source = record["notice"]["source"]
    marks = task_marks(text, tasks, numbers=numbers, ocr_pages=source.get("ocr_pages", []), low_pages=low_pages)
    doubtful_marks(marks, text, source.get("ocr_doubtful_words", []))
    return render(text, marks)
