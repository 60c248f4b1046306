"""The output contract. These models are the single source of truth: ``schemas/*.json`` is
generated from them (``notice-extractor schema``) and a test keeps the two in sync.

Offsets (``start``/``end``) are character offsets into ``NoticeRecord.text``, the extracted
and normalised text of the document that the record carries, so that every value can be
traced to its place.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

# Moves with every change of the contract; tests/test_pipeline.py keeps a fingerprint of each
# published schema, so a change that forgets to move it fails.
SCHEMA_VERSION = "1.3"


class Contract(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Span(Contract):
    start: int = Field(ge=0, description="Offset of the first character in the record's text.")
    end: int = Field(ge=0, description="Offset just past the last character.")
    page: int | None = Field(default=None, ge=1, description="1-based page where the span starts, when known.")


class DoubtfulWord(Contract):
    """A word OCR read with low confidence: a place a reader should check against the original."""

    text: str = Field(description="The word as it stands in the record's text; its span slices the text to it.")
    confidence: float = Field(ge=0, le=100, description="OCR's confidence in the word (0-100).")
    span: Span = Field(description="Where the word is in the record's text.")


class Source(Contract):
    path: str = Field(description="Absolute path of the file read, so that the same file gives the same record "
                                  "from any working directory.")
    format: Literal["txt", "docx", "pdf", "image", "office", "html"] = Field(
        description="The reader used, chosen by content: 'office' is a legacy format (.doc, .odt, .rtf) converted "
                    "by LibreOffice; 'txt' includes Markdown.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the file's bytes.")
    pages: int | None = Field(default=None, ge=1, description="Number of pages, when the format has pages.")
    ocr_pages: list[int] = Field(default_factory=list, description="Pages whose text was read by OCR.")
    ocr_confidence: float | None = Field(default=None, ge=0, le=100, description="Mean OCR word confidence on those pages.")
    ocr_doubtful_words: list[DoubtfulWord] = Field(
        default_factory=list, description="Words of those pages that OCR read with low confidence (under 60), found "
                                          "again in the record's text; words the dictionary check respelled, or that "
                                          "could not be told from their namesakes, are left out.")


class Signer(Contract):
    """Who signed, from the signature block."""

    name: str | None = Field(default=None, description="The signer's name as printed under the signature.")
    title: str | None = Field(default=None, description="e.g. 'PHÓ CHỦ TỊCH', 'CHÁNH VĂN PHÒNG'.")
    authority: str | None = Field(default=None, description="Signing authority: TM., KT., TL., TUQ., Q. with its body.")


class Reference(Contract):
    """A cited document: 'Kế hoạch số 206/KH-UBND ngày 28/6/2023'."""

    text: str = Field(description="The citation as written; its span slices the record's text to it.")
    doc_type: str | None = Field(default=None, description="Type of the cited document: 'Kế hoạch', 'Nghị định' …")
    number: str | None = Field(default=None, description="Its number, as written: '206'.")
    symbol: str | None = Field(default=None, description="Its symbol: 'KH-UBND'.")
    date: dt.date | None = Field(default=None, description="Its date of issue, when the citation gives one.")
    span: Span = Field(description="Where the citation is in the record's text.")


class Meeting(Contract):
    """The meeting a Thông báo kết luận reports on."""

    date: dt.date | None = Field(default=None, description="Day of the meeting.")
    chair: str | None = Field(default=None, description="Who chaired it (chủ trì), with the title as written.")


class Notice(Contract):
    id: str = Field(description="Stable id: derived from the content hash.")
    source: Source = Field(description="The file read.")
    doc_type: str | None = Field(default=None, description="Type name in sentence case: 'Thông báo', 'Công văn'.")
    number: str | None = Field(default=None, description="The number before the slash, as written; null when blank.")
    symbol: str | None = Field(default=None, description="The letters after the number: 'TB-UBND'.")
    issuer: str | None = Field(default=None, description="The issuing body, from the letterhead: 'ỦY BAN NHÂN DÂN "
                                                        "HUYỆN BẮC SƠN'.")
    parent_body: str | None = Field(default=None, description="The issuer's governing body (cơ quan chủ quản).")
    place: str | None = Field(default=None, description="Place name of the place-date line: 'Bắc Sơn'.")
    issued_date: dt.date | None = Field(default=None, description="Date of issue; null when left blank (drafts).")
    subject: str | None = Field(default=None, description="Trích yếu: the line after the type, or 'V/v …'.")
    signer: Signer = Field(default=Signer(), description="The signature block.")
    recipients: list[str] = Field(default_factory=list, description="'Kính gửi' addressees, then 'Nơi nhận'.")
    meeting: Meeting | None = Field(default=None, description="For conclusions of a meeting: its date and chair.")
    references: list[Reference] = Field(default_factory=list, description="Documents the notice cites, in order.")


class Criterion(Contract):
    """A numbered criterion the task is measured against ('tiêu chí 1.3')."""

    code: str = Field(pattern=r"^\d+(\.\d+)*$", description="The criterion's code: '1.3', '5.5.1'.")
    text: str = Field(description="The mention as written.")
    span: Span = Field(description="Where the mention is in the record's text.")


class Recurrence(Contract):
    """How a recurring limit recurs: "trước ngày 18 hằng tháng" is every month on day 18."""

    every: Literal["week", "month", "quarter", "year"] = Field(description="The period it recurs in.")
    day: int | None = Field(default=None, ge=1, le=31, description="Day of the month (monthly, quarterly, yearly).")
    month: int | None = Field(default=None, ge=1, le=12, description="Month of the year (yearly).")
    weekday: int | None = Field(default=None, ge=1, le=7, description="Day of the week, 1 = Monday … 7 = Sunday (weekly).")


class RelativeLimit(Contract):
    """A limit counted from an event: "trong 10 ngày làm việc kể từ ngày nhận"."""

    days: int = Field(ge=0, description="How many days.")
    working_days: bool = Field(description="Working days (Saturdays and Sundays not counted).")
    counted_from: Literal["issue", "receipt"] = Field(description="From the notice's date, or from the day it is received.")


class Deadline(Contract):
    """A time limit on the task."""

    date: dt.date | None = Field(description="The last day of the period named; for a recurring limit its first due "
                                             "date after the notice's date; null only for a recurring or relative "
                                             "limit with no date to count from ('trong 10 ngày kể từ ngày nhận').")
    text: str = Field(description="The phrase as written.")
    kind: Literal["by_date", "within_period", "end_of_year", "recurring", "relative"] = Field(
        default="by_date", description="by_date: a day; within_period: a month, quarter or half-year; end_of_year; "
                                       "recurring: every week/month/…; relative: counted from an event.")
    recurrence: Recurrence | None = Field(default=None, description="For a recurring limit, how it recurs, when read.")
    relative: RelativeLimit | None = Field(default=None, description="For a relative limit, what it counts from.")
    span: Span = Field(description="Where the phrase is in the record's text.")

    @model_validator(mode="after")
    def _dated_unless_recurring_or_relative(self) -> Deadline:
        if self.date is None and self.kind not in ("recurring", "relative"):
            raise ValueError(f"a {self.kind} deadline needs a date")
        if (self.kind == "relative") != (self.relative is not None):
            raise ValueError("a relative deadline, and only one, says what it counts from")
        if self.recurrence is not None and self.kind != "recurring":
            raise ValueError("only a recurring deadline recurs")
        return self


class Figure(Contract):
    """A quantity stated in the task, read in Vietnamese notation ('39.079' is 39079, '86,45' is 86.45)."""

    value: float = Field(description="The number.")
    unit: str | None = Field(default=None, description="'%', 'hồ sơ', 'doanh nghiệp', 'đồng' …")
    text: str = Field(description="The quantity as written.")
    span: Span = Field(description="Where it is in the record's text.")


class Task(Contract):
    id: str = Field(description="Stable across runs: notice id + section path + ordinal.")
    section: str = Field(description="Labels from the root to this task, e.g. '1.2/b)'.")
    headings: list[str] = Field(default_factory=list, description="Texts of the enclosing headings.")
    text: str = Field(description="The task as written, its label included.")
    responsible_units: list[str] = Field(default_factory=list, description="Units that must act (chủ trì), "
                                                                            "as named in the notice.")
    coordinating_units: list[str] = Field(default_factory=list, description="Units that assist (phối hợp).")
    criteria: list[Criterion] = Field(default_factory=list, description="Criteria the task is measured against.")
    deadlines: list[Deadline] = Field(default_factory=list, description="Time limits, in the order written.")
    figures: list[Figure] = Field(default_factory=list, description="Quantities stated in the task.")
    references: list[Reference] = Field(default_factory=list, description="Documents the task cites.")
    span: Span = Field(description="Where the task is in the record's text; it slices the text to ``text``.")


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

    schema_version: Literal["1.3"] = Field(default=SCHEMA_VERSION, description="Version of this contract.")
    extractor_version: str = Field(description="Version of notice-extractor that wrote the record.")
    notice: Notice = Field(description="The document: what it is, who issued and signed it.")
    tasks: list[Task] = Field(description="The work the notice assigns, in document order.")
    warnings: list[RecordWarning] = Field(default_factory=list, description="What the stages noticed and could "
                                                                            "live with.")
    text: str = Field(description="The extracted, normalised text that every span points into.")
