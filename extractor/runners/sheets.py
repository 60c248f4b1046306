"""The batch's tabular outputs: ``tasks.jsonl``, ``tasks.csv``, ``tasks.xlsx``, ``failures.jsonl``
and the counts behind ``summary.json``.

Rows are streamed: the caller feeds one record (or one failure) at a time, in input order, and
nothing but a few counters is kept, so memory does not grow with the archive. Every file is
written to a temporary name beside its target and renamed into place by :meth:`Tables.commit`:
a crash never leaves a half-written table under its real name.

Formats:

* ``tasks.jsonl``: one task per line, ``{"notice_id", "number", "symbol", "issued_date",
  "issuer", "source", "copy_of", "task": {...the task object as in the notice's JSON...}}``:
  everything, for programs; ``copy_of`` names the first file of the same notice when this
  record is a copy of it (another format, another name), else null.
* ``tasks.csv`` and ``tasks.xlsx``: the task sheet people read and print, nine columns (see
  :mod:`.tasksheet`, which writes both and which other exports reuse). Trạng thái depends on
  the day the sheet is made for (``today``; ``batch --today``). Each notice's tasks appear
  once: a copy of a notice already in the sheet (the same notice as TXT, DOCX, PDF and scan; the
  same file under two names) adds no rows, and is counted in ``merged`` (see
  :mod:`extractor.register.copies`); the summary's task counts are of these rows.

Besides the counters, one small entry per distinct notice is kept to recognise its copies.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

from ..register.copies import CopyIndex
from ..register.units import canonical_unit, locality_of
from .tasksheet import HEADERS, OVERDUE, STATUS_COLUMN, PendingFile, TaskSheet, csv_value, open_task_csv, task_row

TASKS_JSONL = "tasks.jsonl"
TASKS_CSV = "tasks.csv"
TASKS_XLSX = "tasks.xlsx"
FAILURES_JSONL = "failures.jsonl"
__all__ = ["FAILURES_JSONL", "HEADERS", "TASKS_CSV", "TASKS_JSONL", "TASKS_XLSX", "Tables"]


class Tables:
    """Streams the batch's tables; :meth:`commit` renames them all into place at the end."""

    def __init__(self, out_dir: Path, today: dt.date | None = None) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.out_dir = out_dir
        self.today = today or dt.date.today()
        self._pending: list[PendingFile] = []
        self._book: TaskSheet | None = None
        try:
            self._jsonl = self._open(TASKS_JSONL)
            self._failures = self._open(FAILURES_JSONL)
            self._csv_file, self._csv = open_task_csv(out_dir / TASKS_CSV)
            self._pending.append(self._csv_file)
            self._xlsx_file = self._open(TASKS_XLSX, text=False)
            self._book = TaskSheet()
        except BaseException:
            self.discard()
            raise
        self.documents = self.succeeded = self.failed = self.tasks = self.overdue = self.notices = self.merged = 0
        self._copies = CopyIndex()
        self.units: Counter[str] = Counter()  # by the register's key of each unit
        self._unit_names: dict[str, str] = {}
        self.without_unit = 0
        self.months: Counter[str] = Counter()

    def _open(self, name: str, **kwargs: Any) -> PendingFile:
        pending = PendingFile(self.out_dir / name, **kwargs)
        self._pending.append(pending)
        return pending

    def add_record(self, record: dict[str, Any]) -> None:
        """A succeeded notice: one row per task in every table (a copy: in tasks.jsonl only)."""
        notice = record["notice"]
        copy_of = self._copies.copy_of(record)
        head = {
            "notice_id": notice["id"],
            "number": notice.get("number"),
            "symbol": notice.get("symbol"),
            "issued_date": notice.get("issued_date"),
            "issuer": notice.get("issuer"),
            "source": notice["source"]["path"],
            "copy_of": copy_of,
        }
        assert self._jsonl.fh is not None
        self.documents += 1
        self.succeeded += 1
        if copy_of is not None:
            self.merged += 1
            for task in record["tasks"]:
                self._jsonl.fh.write(json.dumps({**head, "task": task}, ensure_ascii=False) + "\n")
            return
        self.notices += 1
        locality = locality_of(notice.get("issuer"), notice.get("place"))
        for task in record["tasks"]:
            self.tasks += 1
            self._jsonl.fh.write(json.dumps({**head, "task": task}, ensure_ascii=False) + "\n")
            cells = task_row(self.tasks, notice, task, self.today, record.get("text") or "")
            self._csv.writerow([csv_value(v) for v in cells])
            assert self._book is not None
            self._book.append(cells)
            self.overdue += cells[STATUS_COLUMN] == OVERDUE
            # Counted under the register's name of each unit (one unit written two ways is one;
            # persons and fragments are no units).
            units = [u for u in (canonical_unit(name, locality) for name in task.get("responsible_units") or []) if u]
            for unit in units:
                self._unit_names.setdefault(unit.key, unit.name)  # shown as first written
            self.units.update({unit.key for unit in units})
            if not units:
                self.without_unit += 1
            self.months.update(d["date"][:7] for d in task.get("deadlines") or [] if d.get("date"))

    def add_failure(self, path: str, stage: str | None, error: str | None) -> None:
        assert self._failures.fh is not None
        self._failures.fh.write(json.dumps({"path": path, "stage": stage, "error": error}, ensure_ascii=False) + "\n")
        self.documents += 1
        self.failed += 1

    def counts(self) -> dict[str, Any]:
        """The deterministic part of summary.json."""
        return {
            "documents": self.documents,
            "succeeded": self.succeeded,
            "failed": self.failed,
            "notices": self.notices,
            "merged": self.merged,
            "tasks": self.tasks,
            "tasks_per_responsible_unit": {self._unit_names[key]: n for key, n in
                                           sorted(self.units.items(), key=lambda kv: (-kv[1], kv[0]))},
            "tasks_without_responsible_unit": self.without_unit,
            "deadlines_per_month": dict(sorted(self.months.items())),
            "status_date": self.today.isoformat(),
            "tasks_overdue": self.overdue,
        }

    def commit(self) -> None:
        """Finish every file, then rename them into place."""
        try:
            assert self._book is not None
            self._book.save(self._xlsx_file.tmp)
            for pending in self._pending:
                pending.finish()
            for pending in self._pending:
                pending.commit()
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        if self._book is not None:
            self._book.abandon()
        for pending in self._pending:
            pending.discard()
