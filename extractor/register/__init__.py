"""The office's register of notices and tasks (see :mod:`.store`)."""

from .status import STATUSES, Status
from .store import AddResult, Event, Register, TaskFilter, TaskView, UnitCount, database_url, notice_label

__all__ = ["STATUSES", "AddResult", "Event", "Register", "Status", "TaskFilter", "TaskView", "UnitCount",
           "database_url", "notice_label"]
