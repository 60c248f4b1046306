"""The office's register of notices and tasks (see :mod:`.store`).

The store (SQLAlchemy and Alembic: a quarter of a second to import) is loaded when one of its
names is first used, so that what only needs the register's pure parts (identity, copies,
units; ``batch`` counting notices once) or runs without a register does not pay for it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .status import STATUSES, Status

if TYPE_CHECKING:
    from .store import AddResult, Event, Register, TaskFilter, TaskView, UnitCount, database_url, notice_label

_FROM_STORE = frozenset({"AddResult", "Event", "Register", "TaskFilter", "TaskView", "UnitCount", "database_url",
                         "notice_label"})

__all__ = ["STATUSES", "AddResult", "Event", "Register", "Status", "TaskFilter", "TaskView", "UnitCount",
           "database_url", "notice_label"]


def __getattr__(name: str) -> Any:
    if name in _FROM_STORE:
        return getattr(importlib.import_module(".store", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
