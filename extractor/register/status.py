"""A task's status against a day: open, due soon, overdue or done.

Recurring limits are due on their next occurrence from that day (they are never overdue by
themselves: each occurrence is a new report); a relative limit counted from receipt is due so
many days after the notice came in.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ..deadline_rules import Recurrence, Relative, add_days, next_due

Status = Literal["open", "due_soon", "overdue", "done"]
STATUSES: tuple[Status, ...] = ("open", "due_soon", "overdue", "done")
DUE_SOON_DAYS = 7


def due_date(deadlines: list[dict[str, Any]], received: dt.date, today: dt.date) -> dt.date | None:
    """The date a task is next due: the earliest of its limits, recurring ones from today."""
    dates = []
    for d in deadlines:
        if d.get("recurrence"):
            due = next_due(Recurrence(**d["recurrence"]), today)
        elif d.get("relative") and d["relative"]["counted_from"] == "receipt":
            due = add_days(received, Relative(**d["relative"]))
        else:
            due = dt.date.fromisoformat(d["date"]) if d.get("date") else None
        if due is not None:
            dates.append(due)
    return min(dates) if dates else None


def status_of(done: bool, due: dt.date | None, today: dt.date, soon: int = DUE_SOON_DAYS) -> Status:
    if done:
        return "done"
    if due is None or due > today + dt.timedelta(days=soon):
        return "open"
    return "overdue" if due < today else "due_soon"
