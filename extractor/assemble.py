"""Assemble: turn drafts and found values into the output contract, with stable ids."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re

from .diagnostics import Diagnostic
from .models import (
    Criterion,
    Deadline,
    DoubtfulWord,
    Figure,
    Meeting,
    Notice,
    NoticeRecord,
    RecordWarning,
    Recurrence,
    Reference,
    RelativeLimit,
    Signer,
    Source,
    Span,
    Task,
)
from .paragraphs import Layout
from .parsers.base import ParsedDocument
from .steps.extract import TaskFields
from .steps.fields import DeadlineFound, ReferenceFound
from .steps.metadata import NoticeMeta
from .version import __version__
from .vntext import WORD_EDGES


def _page_at(layout: Layout, offset: int) -> int | None:
    page = None
    for p in layout.paragraphs:
        if p.start > offset:
            break
        page = p.page
    return page


_WORD = re.compile(r"\S+")


def _page_ranges(doc: ParsedDocument, layout: Layout) -> dict[int, list[tuple[int, int]]]:
    """Where each page's lines are in ``layout.text``: a line's page is its parser block's."""
    ranges: dict[int, list[tuple[int, int]]] = {}
    for p in layout.paragraphs:
        ends = [*p.line_starts[1:], p.end]
        for start, end, block in zip(p.line_starts, ends, p.line_blocks, strict=False):
            page = doc.blocks[block].page if 0 <= block < len(doc.blocks) else None
            if page is not None and end > start:
                ranges.setdefault(page, []).append((start, end))
    return ranges


def doubtful_words(doc: ParsedDocument, layout: Layout) -> list[DoubtfulWord]:
    """The words OCR was unsure of, found again in ``layout.text``: on their page, the one of
    the words of the same text that OCR read in the same place among them. A word the
    dictionary check respelled is no longer there, and one whose namesakes on the page are
    not all found again cannot be told from them: both are left out."""
    if not doc.doubtful_words:
        return []
    ranges = _page_ranges(doc, layout)
    places: dict[tuple[int, str], list[tuple[int, int]]] = {}
    for page in {w.page for w in doc.doubtful_words}:
        for start, end in ranges.get(page, []):
            for m in _WORD.finditer(layout.text, start, end):
                word = m.group().strip(WORD_EDGES)
                if word:
                    at = m.start() + m.group().index(word)
                    places.setdefault((page, word), []).append((at, at + len(word)))
    out = []
    for w in doc.doubtful_words:
        word = w.text.strip(WORD_EDGES)
        found = places.get((w.page, word), [])
        if len(found) == w.count or (len(found) == 1 and w.count == 1):
            start, end = found[w.rank]
            out.append(DoubtfulWord(text=layout.text[start:end], confidence=w.confidence,
                                    span=Span(start=start, end=end, page=w.page)))
    return out


def notice_id(sha256: str) -> str:
    return f"notice-{sha256[:16]}"


def task_id(nid: str, section: str, ordinal: int) -> str:
    digest = hashlib.sha256(f"{nid}|{section}|{ordinal}".encode()).hexdigest()[:12]
    return f"{nid}-t{ordinal:03d}-{digest}"


def assemble(doc: ParsedDocument, layout: Layout, meta: NoticeMeta, tasks: list[TaskFields],
             references: list[ReferenceFound], warnings: list[Diagnostic]) -> NoticeRecord:
    """Every offset given is into ``layout.text``; ``references`` are the notice's own."""
    nid = notice_id(doc.sha256)

    def span(start: int, end: int) -> Span:
        return Span(start=start, end=end, page=_page_at(layout, start))

    def deadline(x: DeadlineFound) -> Deadline:
        recurrence = Recurrence(**dataclasses.asdict(x.recurrence)) if x.recurrence else None
        relative = RelativeLimit(**dataclasses.asdict(x.relative)) if x.relative else None
        return Deadline(date=x.date, text=x.text, kind=x.kind, recurrence=recurrence, relative=relative,
                        span=span(x.start, x.end))

    def ref(r: ReferenceFound) -> Reference:
        return Reference(text=r.text, doc_type=r.doc_type, number=r.number, symbol=r.symbol, date=r.date,
                         span=span(r.start, r.end))

    out_tasks = []
    for i, t in enumerate(tasks, start=1):
        d = t.draft
        out_tasks.append(Task(
            id=task_id(nid, d.section, i), section=d.section, headings=list(d.headings),
            text=layout.text[d.start:d.end],
            responsible_units=list(d.responsible), coordinating_units=list(d.coordinating),
            criteria=[Criterion(code=c.code, text=c.text, span=span(c.start, c.end)) for c in t.criteria],
            deadlines=[deadline(x) for x in t.deadlines],
            figures=[Figure(value=f.value, unit=f.unit, text=f.text, span=span(f.start, f.end)) for f in t.figures],
            references=[ref(r) for r in t.references],
            span=span(d.start, d.end),
        ))
    notice = Notice(
        id=nid,
        # Absolute, so the same file gives the same record from any working directory.
        source=Source(path=os.path.abspath(doc.path), format=doc.format, sha256=doc.sha256, pages=doc.pages,
                      ocr_pages=list(doc.ocr_pages), ocr_confidence=doc.ocr_confidence,
                      ocr_doubtful_words=doubtful_words(doc, layout)),
        doc_type=meta.doc_type, number=meta.number, symbol=meta.symbol, issuer=meta.issuer,
        parent_body=meta.parent_body, place=meta.place, issued_date=meta.issued_date, subject=meta.subject,
        signer=Signer(name=meta.signer_name, title=meta.signer_title, authority=meta.signer_authority),
        recipients=meta.recipients,
        meeting=Meeting(date=meta.meeting_date, chair=meta.meeting_chair) if meta.meeting_chair else None,
        references=[ref(r) for r in references],
    )
    return NoticeRecord(
        extractor_version=__version__, notice=notice, tasks=out_tasks,
        warnings=[RecordWarning(code=w.code, message=w.message, stage=w.stage, pages=list(w.pages)) for w in warnings],
        text=layout.text,
    )
