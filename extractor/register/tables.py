"""The register's tables (SQLAlchemy 2). The migrations in ``migrations/`` create them; a test
checks that the two agree on SQLite and on PostgreSQL.

Notices are known by what they are (``key``: issuer, type, number, symbol, date), files by
their bytes, tasks by their notice and place; a notice's versions keep the record each was
read into, and events keep every change of a task's status with its time.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class NoticeRow(Base):
    __tablename__ = "notices"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)
    doc_type: Mapped[str | None] = mapped_column(String(80))
    number: Mapped[str | None] = mapped_column(String(40))
    symbol: Mapped[str | None] = mapped_column(String(80))
    issuer: Mapped[str | None] = mapped_column(String(300))
    issued_date: Mapped[dt.date | None] = mapped_column(Date)
    subject: Mapped[str | None] = mapped_column(Text)
    received: Mapped[dt.date] = mapped_column(Date)  # the day the first file of it came in
    current_version: Mapped[int] = mapped_column(Integer)

    versions: Mapped[list[VersionRow]] = relationship(back_populates="notice", order_by="VersionRow.number")
    tasks: Mapped[list[TaskRow]] = relationship(back_populates="notice", order_by="TaskRow.position")


class VersionRow(Base):
    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("notice_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    notice_id: Mapped[str] = mapped_column(ForeignKey("notices.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    record: Mapped[str] = mapped_column(Text)  # the JSON record shown for this version
    fidelity: Mapped[int] = mapped_column(Integer)  # lower is better: text layer before OCR
    created: Mapped[dt.datetime] = mapped_column(DateTime)
    superseded: Mapped[dt.datetime | None] = mapped_column(DateTime)

    notice: Mapped[NoticeRow] = relationship(back_populates="versions")


class FileRow(Base):
    __tablename__ = "files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    notice_id: Mapped[str] = mapped_column(ForeignKey("notices.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(Text)
    format: Mapped[str] = mapped_column(String(20))
    received: Mapped[dt.datetime] = mapped_column(DateTime)


class UnitRow(Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    name: Mapped[str] = mapped_column(String(300))


class UnitSpellingRow(Base):
    __tablename__ = "unit_spellings"

    spelling: Mapped[str] = mapped_column(String(300), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)


class TaskRow(Base):
    __tablename__ = "tasks"

    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    notice_id: Mapped[str] = mapped_column(ForeignKey("notices.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # order in the current version
    section: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    responsible: Mapped[list[str]] = mapped_column(JSON)  # as written in the notice
    coordinating: Mapped[list[str]] = mapped_column(JSON)
    deadlines: Mapped[list[dict]] = mapped_column(JSON)  # the record's deadlines
    state: Mapped[str] = mapped_column(String(10))  # open | done | removed (not in the current version)
    note: Mapped[str] = mapped_column(Text, default="")
    updated: Mapped[dt.datetime] = mapped_column(DateTime)

    notice: Mapped[NoticeRow] = relationship(back_populates="tasks")
    units: Mapped[list[TaskUnitRow]] = relationship(cascade="all, delete-orphan", order_by="TaskUnitRow.position")


class TaskUnitRow(Base):
    __tablename__ = "task_units"

    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(12), primary_key=True)  # responsible | coordinating
    position: Mapped[int] = mapped_column(Integer)

    unit: Mapped[UnitRow] = relationship()


class EventRow(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    notice_id: Mapped[str] = mapped_column(ForeignKey("notices.id"), index=True)
    task_id: Mapped[str | None] = mapped_column(ForeignKey("tasks.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # notice | version | file | added | removed | done | reopened | note
    note: Mapped[str] = mapped_column(Text, default="")
