"""The register: one database of notices, their files and versions, tasks, units and events,
on SQLite by default (a file, nothing to start) or on PostgreSQL for an office that shares it.

It reads records as published (the JSON contract), never the pipeline's insides: a record is
filed under its notice's identity (:mod:`.identity`); a copy in another format joins the notice
as one more file; a changed record of the same notice supersedes the current version and keeps
the status and notes of the tasks that are still there. Every change of a task is an event.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.orm import Session, selectinload

from ..vntext import fold
from .identity import Identity, fidelity, identity_of, notice_id, same_content, same_text, task_ids
from .status import Status, due_date, status_of
from .tables import EventRow, FileRow, NoticeRow, TaskRow, TaskUnitRow, UnitRow, UnitSpellingRow, VersionRow
from .units import canonical_unit, locality_of

MIGRATIONS = Path(__file__).parent / "migrations"
Outcome = Literal["new_notice", "new_version", "same_content", "known_file"]


def database_url(value: str) -> str:
    """A URL as given ('postgresql://…' uses psycopg 3), or a path to an SQLite file."""
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser().resolve()}"
    if value.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    return value


def _sqlite_pragmas(dbapi_connection: Any, _: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # the inbox writes while the web pages read
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


@dataclass(frozen=True, slots=True)
class AddResult:
    notice_id: str
    version: int
    outcome: Outcome
    tasks: int


@dataclass(frozen=True, slots=True)
class TaskView:
    id: str
    notice_id: str
    notice: str  # "Số 12/TB-UBND ngày 24/10/2023"
    issuer: str | None
    subject: str | None
    issued_date: dt.date | None
    section: str
    text: str
    responsible: tuple[str, ...]  # as the notice writes them
    coordinating: tuple[str, ...]
    units: tuple[str, ...]  # the register's names of the responsible units
    deadline: str | None  # the phrase
    due: dt.date | None
    status: Status
    note: str
    span: tuple[int, int]


@dataclass(frozen=True, slots=True)
class TaskFilter:
    unit: str | None = None  # a unit's register name or any of its spellings
    status: Status | None = None
    due_within: int | None = None  # days from today (overdue tasks included)
    issuer: str | None = None
    month: str | None = None  # "2026-06": due that month
    words: str | None = None


@dataclass(frozen=True, slots=True)
class Event:
    at: dt.datetime
    kind: str
    task_id: str | None
    note: str


@dataclass(frozen=True, slots=True)
class UnitCount:
    name: str
    open: int
    overdue: int
    done: int


def notice_label(number: str | None, symbol: str | None, issued: dt.date | None) -> str:
    label = f"Số {number or '…'}/{symbol}" if symbol else (f"Số {number}" if number else "Không số")
    return f"{label} ngày {issued.strftime('%d/%m/%Y')}" if issued else label


class Register:
    def __init__(self, url: str) -> None:
        self.url = database_url(url)
        self.engine: Engine = create_engine(self.url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._migrate()

    def _migrate(self) -> None:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def close(self) -> None:
        self.engine.dispose()

    # --- filing records ---------------------------------------------------------------------

    def knows_file(self, sha256: str) -> bool:
        with Session(self.engine) as s:
            return s.get(FileRow, sha256) is not None

    def add(self, record: dict[str, Any], *, received: dt.datetime | None = None) -> AddResult:
        """File one record (as published: the JSON contract, decoded)."""
        now = received or dt.datetime.now().replace(microsecond=0)
        notice, source = record["notice"], record["notice"]["source"]
        with Session(self.engine) as s, s.begin():
            known = s.get(FileRow, source["sha256"])
            if known is not None:
                return AddResult(known.notice_id, known.version, "known_file", 0)
            identity = identity_of(notice, record["text"])
            nid = self._known_as(s, identity, record["text"]) or notice_id(identity.key)
            row = s.get(NoticeRow, nid, options=[selectinload(NoticeRow.versions), selectinload(NoticeRow.tasks)])
            text = json.dumps(record, ensure_ascii=False)
            pairs = [(t["section"], t["text"]) for t in record["tasks"]]
            if row is None:
                row = NoticeRow(id=nid, key=identity.key, received=now.date(), current_version=1)
                s.add(row)
                self._describe(row, notice)
                s.flush()  # the notice before what refers to it
                s.add(VersionRow(notice_id=nid, number=1, record=text, fidelity=fidelity(source), created=now))
                s.add(EventRow(at=now, notice_id=nid, kind="notice", note=source["path"]))
                outcome: Outcome = "new_notice"
                self._sync_tasks(s, row, record, now, announce=False)
            else:
                current = next(v for v in row.versions if v.number == row.current_version)
                old = json.loads(current.record)
                if same_content([(t["section"], t["text"]) for t in old["tasks"]], pairs):
                    outcome = "same_content"
                    if fidelity(source) < current.fidelity:  # a text layer beats a scan's OCR
                        current.record, current.fidelity = text, fidelity(source)
                        self._describe(row, notice)
                        self._sync_tasks(s, row, record, now, announce=False)
                else:
                    outcome = "new_version"
                    current.superseded = now
                    row.current_version += 1
                    s.add(VersionRow(notice_id=nid, number=row.current_version, record=text,
                                     fidelity=fidelity(source), created=now))
                    s.add(EventRow(at=now, notice_id=nid, kind="version", note=f"{row.current_version}: {source['path']}"))
                    self._describe(row, notice)
                    self._sync_tasks(s, row, record, now, announce=True)
            s.add(FileRow(sha256=source["sha256"], notice_id=nid, version=row.current_version, path=source["path"],
                          format=source["format"], received=now))
            return AddResult(nid, row.current_version, outcome, len(record["tasks"]))

    @staticmethod
    def _known_as(s: Session, identity: Identity, text: str) -> str | None:
        """The notice a record belongs to: the same key, else one whose identity it matches
        (another reading of the same letterhead)."""
        same = s.scalars(select(NoticeRow.id).where(NoticeRow.key == identity.key)).first()
        if same is not None:
            return same
        date = dt.date.fromisoformat(identity.date) if identity.date else None
        rows = s.execute(select(NoticeRow.id, NoticeRow.key, NoticeRow.current_version).where(
            NoticeRow.issued_date == date if date else NoticeRow.issued_date.is_(None))).all()
        for nid, key, version in sorted(rows):
            verdict = Identity(*key.split("|")).matches(identity)
            if verdict is None:  # blank number, no subject: the texts decide
                shown = s.scalars(select(VersionRow.record).where(VersionRow.notice_id == nid,
                                                                  VersionRow.number == version)).one()
                verdict = same_text(json.loads(shown)["text"], text)
            if verdict:
                return nid
        return None

    @staticmethod
    def _describe(row: NoticeRow, notice: dict[str, Any]) -> None:
        row.doc_type, row.number, row.symbol = notice.get("doc_type"), notice.get("number"), notice.get("symbol")
        row.issuer, row.subject = notice.get("issuer"), notice.get("subject")
        row.issued_date = dt.date.fromisoformat(notice["issued_date"]) if notice.get("issued_date") else None

    def _sync_tasks(self, s: Session, row: NoticeRow, record: dict[str, Any], now: dt.datetime, *, announce: bool) -> None:
        """The notice's tasks as this record has them; status and notes stay with each id."""
        tasks = record["tasks"]
        ids = task_ids(row.id, [t["section"] for t in tasks])
        existing = {t.id: t for t in row.tasks}
        locality = locality_of(record["notice"].get("issuer"), record["notice"].get("place"))
        events: list[EventRow] = []
        for position, (tid, t) in enumerate(zip(ids, tasks, strict=True)):
            task = existing.get(tid)
            if task is None:
                task = TaskRow(id=tid, notice_id=row.id, state="open", note="", updated=now)
                s.add(task)
                row.tasks.append(task)
                if announce:
                    events.append(EventRow(at=now, notice_id=row.id, task_id=tid, kind="added", note=""))
            elif task.state == "removed":
                task.state = "open"
                events.append(EventRow(at=now, notice_id=row.id, task_id=tid, kind="added", note="back in this version"))
            task.position, task.section, task.text = position, t["section"], t["text"]
            task.span_start, task.span_end = t["span"]["start"], t["span"]["end"]
            task.responsible, task.coordinating = list(t["responsible_units"]), list(t["coordinating_units"])
            task.deadlines = list(t["deadlines"])
            task.units = self._task_units(s, tid, t, locality)
        for tid, task in existing.items():
            if tid not in ids and task.state != "removed":
                task.state, task.updated = "removed", now
                events.append(EventRow(at=now, notice_id=row.id, task_id=tid, kind="removed", note="not in the new version"))
        s.flush()  # the tasks before the events that name them
        s.add_all(events)

    def _task_units(self, s: Session, tid: str, task: dict[str, Any], locality: str | None) -> list[TaskUnitRow]:
        out: list[TaskUnitRow] = []
        seen: set[tuple[int, str]] = set()
        for role, names in (("responsible", task["responsible_units"]), ("coordinating", task["coordinating_units"])):
            for name in names:
                unit = self._unit(s, name, locality)
                if unit is not None and (unit.id, role) not in seen:
                    seen.add((unit.id, role))
                    out.append(TaskUnitRow(task_id=tid, unit_id=unit.id, role=role, position=len(out), unit=unit))
        return out

    @staticmethod
    def _unit(s: Session, spelling: str, locality: str | None) -> UnitRow | None:
        canonical = canonical_unit(spelling, locality)
        if canonical is None:
            return None
        unit = s.scalars(select(UnitRow).where(UnitRow.key == canonical.key)).first()
        if unit is None:
            unit = UnitRow(key=canonical.key, name=canonical.name)
            s.add(unit)
            s.flush()
        if s.get(UnitSpellingRow, spelling) is None:
            s.add(UnitSpellingRow(spelling=spelling, unit_id=unit.id))
        return unit

    # --- reading -----------------------------------------------------------------------------

    def tasks(self, where: TaskFilter = TaskFilter(), *, today: dt.date | None = None) -> list[TaskView]:
        """Tasks of the current versions, filtered, sorted by due date (none last)."""
        today = today or dt.date.today()
        with Session(self.engine) as s:
            rows = s.scalars(select(TaskRow).where(TaskRow.state != "removed").options(
                selectinload(TaskRow.notice), selectinload(TaskRow.units).selectinload(TaskUnitRow.unit))).all()
            unit_key = self._unit_key(s, where.unit) if where.unit else None
            views = [self._view(t, today) for t in rows
                     if unit_key is None or any(u.unit.key == unit_key and u.role == "responsible" for u in t.units)]
        views = [v for v in views if _matches(v, where, today)]
        return sorted(views, key=lambda v: (v.due is None, v.due or dt.date.max, v.notice_id, v.span))

    @staticmethod
    def _unit_key(s: Session, name: str) -> str:
        spelled = s.get(UnitSpellingRow, name)
        if spelled is not None:
            return s.get_one(UnitRow, spelled.unit_id).key
        canonical = canonical_unit(name)
        return canonical.key if canonical else fold(name)

    @staticmethod
    def _view(t: TaskRow, today: dt.date) -> TaskView:
        n = t.notice
        due = due_date(t.deadlines, n.received, today)
        return TaskView(
            id=t.id, notice_id=n.id, notice=notice_label(n.number, n.symbol, n.issued_date), issuer=n.issuer,
            subject=n.subject, issued_date=n.issued_date, section=t.section, text=t.text,
            responsible=tuple(t.responsible), coordinating=tuple(t.coordinating),
            units=tuple(u.unit.name for u in t.units if u.role == "responsible"),
            deadline=t.deadlines[0]["text"] if t.deadlines else None, due=due,
            status=status_of(t.state == "done", due, today), note=t.note, span=(t.span_start, t.span_end))

    def task(self, task_id: str, *, today: dt.date | None = None) -> TaskView | None:
        with Session(self.engine) as s:
            t = s.get(TaskRow, task_id, options=[selectinload(TaskRow.notice),
                                                 selectinload(TaskRow.units).selectinload(TaskUnitRow.unit)])
            return self._view(t, today or dt.date.today()) if t is not None else None

    def record(self, nid: str, version: int | None = None) -> dict[str, Any] | None:
        """The record shown for a notice (its current version unless another is asked for)."""
        with Session(self.engine) as s:
            row = s.get(NoticeRow, nid)
            if row is None:
                return None
            v = s.scalars(select(VersionRow).where(VersionRow.notice_id == nid,
                                                   VersionRow.number == (version or row.current_version))).first()
            return json.loads(v.record) if v else None

    def files(self, nid: str) -> list[FileRow]:
        with Session(self.engine) as s:
            return list(s.scalars(select(FileRow).where(FileRow.notice_id == nid).order_by(FileRow.received)))

    def notice_ids(self) -> list[str]:
        with Session(self.engine) as s:
            return list(s.scalars(select(NoticeRow.id).order_by(NoticeRow.issued_date.desc(), NoticeRow.id)))

    def history(self, task_id: str) -> list[Event]:
        with Session(self.engine) as s:
            rows = s.scalars(select(EventRow).where(EventRow.task_id == task_id).order_by(EventRow.at, EventRow.id))
            return [Event(e.at, e.kind, e.task_id, e.note) for e in rows]

    # --- changing ----------------------------------------------------------------------------

    def set_done(self, task_id: str, done: bool, note: str = "", *, at: dt.datetime | None = None) -> None:
        """Mark a task done (or open again), with a note; the change is kept with its time."""
        at = at or dt.datetime.now().replace(microsecond=0)
        with Session(self.engine) as s, s.begin():
            task = s.get(TaskRow, task_id)
            if task is None or task.state == "removed":
                raise KeyError(task_id)
            task.state = "done" if done else "open"
            task.note, task.updated = note or task.note, at
            s.add(EventRow(at=at, notice_id=task.notice_id, task_id=task_id, kind="done" if done else "reopened",
                           note=note))

    # --- figures for the analyst -------------------------------------------------------------

    def unit_counts(self, *, today: dt.date | None = None) -> list[UnitCount]:
        counts: dict[str, Counter[str]] = {}
        for v in self.tasks(today=today):
            for name in v.units:
                counts.setdefault(name, Counter())[v.status] += 1
        return sorted((UnitCount(name, c["open"] + c["due_soon"], c["overdue"], c["done"]) for name, c in counts.items()),
                      key=lambda u: (-(u.open + u.overdue + u.done), u.name))

    def due_per_month(self, *, today: dt.date | None = None) -> list[tuple[str, int]]:
        months = Counter(v.due.strftime("%Y-%m") for v in self.tasks(today=today) if v.due and v.status != "done")
        return sorted(months.items())


def _matches(v: TaskView, where: TaskFilter, today: dt.date) -> bool:
    if where.status and v.status != where.status:
        return False
    if where.due_within is not None and (v.due is None or v.due > today + dt.timedelta(days=where.due_within)):
        return False
    if where.issuer and fold(where.issuer) not in fold(v.issuer or ""):
        return False
    if where.month and (v.due is None or v.due.strftime("%Y-%m") != where.month):
        return False
    if where.words:
        haystack = fold(" ".join([v.text, v.notice, v.subject or "", *v.responsible, *v.coordinating]))
        if not all(w in haystack for w in fold(where.words).split()):
            return False
    return True
