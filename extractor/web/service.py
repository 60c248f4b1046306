"""What the pages and the JSON API both ask of the register and the pipeline, said once: the
filters read from a query string, a notice's summary and its tasks, and an upload filed.

The web layer keeps no state of its own besides the uploads folder: every figure comes from
:class:`~extractor.register.Register` (one database, shared with ``watch``), every record from
the pipeline. Extractions run one at a time in a worker thread: a scan's OCR takes both cores
of a small office server, and the pages must stay quick meanwhile.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ..parsers import MAX_INPUT_BYTES
from ..register import STATUSES, Register, TaskFilter, TaskView, notice_label
from ..register.identity import task_ids
from .labels import STATUS_LABELS
from .security import Guard
from .uploads import Extraction, UploadRefused, check_type, discard, into_inbox, keep, safe_name, too_large

FILTER_FIELDS = ("unit", "status", "due_within", "issuer", "month", "words")
MAX_FILTER_CHARS = 300
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$|^(\d{1,2})/(\d{4})$")


@dataclass
class Settings:
    """Everything a request needs, made once when the application is built."""

    register: Register
    guard: Guard
    uploads: Path
    inbox: Path | None = None
    max_bytes: int = MAX_INPUT_BYTES
    today: Callable[[], dt.date] = dt.date.today
    extraction: Extraction = field(default_factory=Extraction)


# --- filters ---------------------------------------------------------------------------------

def parse_filter(params: Mapping[str, str]) -> tuple[TaskFilter, list[str]]:
    """The register's filter from query parameters named as :class:`TaskFilter`'s fields; a
    value that cannot be read is left out and named in the problems (in Vietnamese)."""
    problems: list[str] = []
    values: dict[str, Any] = {}
    for name in FILTER_FIELDS:
        raw = (params.get(name) or "").strip()[:MAX_FILTER_CHARS]
        if not raw:
            continue
        if name == "status":
            if raw in STATUSES:
                values[name] = raw
            else:
                problems.append(f"Trạng thái “{raw}” không có; chọn một trong: {', '.join(STATUS_LABELS.values())}.")
        elif name == "due_within":
            if raw.isdigit() and int(raw) <= 3660:
                values[name] = int(raw)
            else:
                problems.append(f"“Đến hạn trong” phải là số ngày (0–3660), không phải “{raw}”.")
        elif name == "month":
            m = _MONTH.match(raw)
            year, month = (m.group(1), m.group(2)) if m and m.group(1) else ((m.group(4), m.group(3)) if m else ("", ""))
            if m and 1 <= int(month) <= 12:
                values[name] = f"{int(year):04d}-{int(month):02d}"
            else:
                problems.append(f"Tháng phải có dạng mm/yyyy hoặc yyyy-mm, không phải “{raw}”.")
        else:
            values[name] = raw
    return TaskFilter(**values), problems


def is_empty(where: TaskFilter) -> bool:
    return where == TaskFilter()


# --- notices and tasks -----------------------------------------------------------------------

def notice_summary(nid: str, record: dict[str, Any]) -> dict[str, Any]:
    n = record["notice"]
    issued = dt.date.fromisoformat(n["issued_date"]) if n.get("issued_date") else None
    return {"id": nid, "label": notice_label(n.get("number"), n.get("symbol"), issued), "doc_type": n.get("doc_type"),
            "number": n.get("number"), "symbol": n.get("symbol"), "issuer": n.get("issuer"), "issued_date": issued,
            "subject": n.get("subject"), "tasks": len(record["tasks"]), "warnings": len(record["warnings"])}


def notices(s: Settings, where: TaskFilter) -> list[dict[str, Any]]:
    """Every notice (newest first) when nothing is filtered; else the notices of the tasks the
    filter keeps, in the order of their first task's deadline."""
    if is_empty(where):
        ids = s.register.notice_ids()
    else:
        ids = list(dict.fromkeys(t.notice_id for t in s.register.tasks(where, today=s.today())))
    out = []
    for nid in ids:
        record = s.register.record(nid)
        if record is not None:
            out.append(notice_summary(nid, record))
    return out


def register_ids(nid: str, record: dict[str, Any]) -> list[str]:
    """The register's ids of a record's tasks, in the record's order."""
    return task_ids(nid, [t["section"] for t in record["tasks"]])


def notice_tasks(s: Settings, nid: str) -> dict[str, TaskView]:
    return {t.id: t for t in s.register.tasks(today=s.today()) if t.notice_id == nid}


def notice_of_file(s: Settings, sha256: str) -> str | None:
    """The notice a file was filed under (a scan of the register: it is asked once per upload)."""
    if not s.register.knows_file(sha256):
        return None
    for nid in s.register.notice_ids():
        if any(f.sha256 == sha256 for f in s.register.files(nid)):
            return nid
    return None


def task_json(t: TaskView) -> dict[str, Any]:
    return {"id": t.id, "notice_id": t.notice_id, "notice": t.notice, "issuer": t.issuer, "subject": t.subject,
            "issued_date": t.issued_date.isoformat() if t.issued_date else None, "section": t.section, "text": t.text,
            "responsible_units": list(t.responsible), "coordinating_units": list(t.coordinating), "units": list(t.units),
            "deadline": t.deadline, "due": t.due.isoformat() if t.due else None, "status": t.status,
            "status_label": STATUS_LABELS[t.status], "note": t.note, "span": {"start": t.span[0], "end": t.span[1]}}


# --- uploads ---------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Filed:
    filename: str
    sha256: str
    notice_id: str | None  # None: put into the inbox, for watch
    outcome: str  # an AddResult outcome, or "inbox"
    path: Path


async def file_upload(s: Settings, upload: Any) -> Filed:
    """An uploaded file (a form's file field) into the inbox, or extracted and filed in the
    register; :class:`UploadRefused` says why not."""
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise UploadRefused("", "Chưa chọn tệp nào để tải lên.")
    name = safe_name(upload.filename)
    check_type(name)
    if upload.size is not None and upload.size > s.max_bytes:
        raise too_large(name, s.max_bytes)
    if s.inbox is not None:
        saved = await run_in_threadpool(into_inbox, upload.file, name, s.inbox, limit=s.max_bytes)
        return Filed(saved.path.name, saved.sha256, None, "inbox", saved.path)
    saved = await run_in_threadpool(keep, upload.file, name, s.uploads, limit=s.max_bytes)
    known = notice_of_file(s, saved.sha256)
    if known is not None:
        if all(Path(f.path) != saved.path for f in s.register.files(known)):
            discard(saved, s.uploads)  # the register keeps the copy it was first given
        return Filed(name, saved.sha256, known, "known_file", saved.path)
    try:
        record = await run_in_threadpool(s.extraction.record, saved, name)
    except BaseException:
        discard(saved, s.uploads)
        raise
    result = await run_in_threadpool(s.register.add, record)
    return Filed(name, saved.sha256, result.notice_id, result.outcome, saved.path)

