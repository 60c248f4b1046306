"""The output contract. These models are the single source of truth: ``schemas/*.json`` is
generated from them (``notice-extractor schema``) and a test keeps the two in sync.

Offsets (``start``/``end``) are character offsets into ``NoticeRecord.text``, the extracted
and normalised text of the document that the record carries, so that every value can be
traced to its place.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"


class Contract(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Span(Contract):
    start: int = Field(ge=0, description="Offset of the first character in the record's text.")
    end: int = Field(ge=0, description="Offset just past the last character.")
    page: int | None = Field(default=None, ge=1, description="1-based page where the span starts, when known.")


class Source(Contract):
    path: str = Field(description="The input path as given.")
    format: Literal["txt", "docx", "pdf", "image", "office", "html"]
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    pages: int | None = Field(default=None, ge=1)
    ocr_pages: list[int] = Field(default_factory=list, description="Pages whose text was read by OCR.")
    ocr_confidence: float | None = Field(default=None, ge=0, le=100, description="Mean OCR word confidence on those pages.")


class Signer(Contract):
    name: str | None = None
    title: str | None = Field(default=None, description="e.g. 'PHÓ CHỦ TỊCH', 'CHÁNH VĂN PHÒNG'.")
    authority: str | None = Field(default=None, description="Signing authority: TM., KT., TL., TUQ., Q. with its body.")


class Reference(Contract):
    """A cited document: 'Kế hoạch số 206/KH-UBND ngày 28/6/2023'."""

    text: str
    doc_type: str | None = None
    number: str | None = None
    symbol: str | None = None
    date: dt.date | None = None
    span: Span


class Meeting(Contract):
    date: dt.date | None = None
    chair: str | None = None


class Notice(Contract):
    id: str = Field(description="Stable id: derived from the content hash.")
    source: Source
    doc_type: str | None = Field(default=None, description="Type name in sentence case: 'Thông báo', 'Công văn'.")
    number: str | None = Field(default=None, description="The number before the slash, as written; null when blank.")
    symbol: str | None = Field(default=None, description="The letters after the number: 'TB-UBND'.")
    issuer: str | None = None
    parent_body: str | None = Field(default=None, description="The issuer's governing body (cơ quan chủ quản).")
    place: str | None = None
    issued_date: dt.date | None = None
    subject: str | None = Field(default=None, description="Trích yếu: the line after the type, or 'V/v …'.")
    signer: Signer = Signer()
    recipients: list[str] = Field(default_factory=list, description="'Kính gửi' addressees, then 'Nơi nhận'.")
    meeting: Meeting | None = None
    references: list[Reference] = Field(default_factory=list)


class Criterion(Contract):
    code: str = Field(pattern=r"^\d+(\.\d+)*$")
    text: str
    span: Span


class Deadline(Contract):
    date: dt.date = Field(description="The last day of the period named.")
    text: str = Field(description="The phrase as written.")
    kind: Literal["by_date", "within_period", "end_of_year", "recurring", "relative"] = "by_date"
    span: Span


class Figure(Contract):
    value: float
    unit: str | None = Field(default=None, description="'%', 'hồ sơ', 'doanh nghiệp', 'đồng' …")
    text: str
    span: Span


class Task(Contract):
    id: str = Field(description="Stable across runs: notice id + section path + ordinal.")
    section: str = Field(description="Labels from the root to this task, e.g. '1.2/b)'.")
    headings: list[str] = Field(default_factory=list, description="Texts of the enclosing headings.")
    text: str
    responsible_units: list[str] = Field(default_factory=list)
    coordinating_units: list[str] = Field(default_factory=list)
    criteria: list[Criterion] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    span: Span


class RecordWarning(Contract):
    """Something a stage noticed and could live with: match ``code``, show ``message``."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$",
                      description="Stable machine-readable code, e.g. 'ocr_low_confidence', 'no_tasks'.")
    message: str = Field(description="One line for a person, in English.")
    stage: Literal["parse", "normalise", "structure", "extract", "assemble"] = Field(
        description="The pipeline stage that raised it.")
    pages: list[int] = Field(default_factory=list, description="1-based pages concerned, when it sits on pages.")


class NoticeRecord(Contract):
    model_config = ConfigDict(extra="forbid", frozen=True, title="NoticeRecord")

    schema_version: Literal["1.0"] = SCHEMA_VERSION
    extractor_version: str
    notice: Notice
    tasks: list[Task]
    warnings: list[RecordWarning] = Field(default_factory=list)
    text: str = Field(description="The extracted, normalised text that every span points into.")
