"""Filing records into the register from the runners: `watch` always, `extract` and `batch`
when given ``--db``. Records are filed as published (the JSON each run writes), so the register
holds exactly what the outputs say; a file the register has seen (by its bytes) is not filed
twice. A register that cannot be opened or written is one clear error, never a traceback.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..register import AddResult


class RegisterError(Exception):
    """The register cannot be opened or written; ``str()`` is one line for a user."""


# What opening or writing a database can raise besides bugs: driver and SQL errors, migration
# errors, the file system.
def _database_errors() -> tuple[type[BaseException], ...]:
    from alembic.util.exc import CommandError
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    return SQLAlchemyError, ArgumentError, CommandError, OSError, ModuleNotFoundError


class Filer:
    def __init__(self, db: str) -> None:
        from ..register import Register  # (the store and its database drivers load only when a register is used)

        self.db = db
        try:
            self.register = Register(db)
        except _database_errors() as exc:
            raise RegisterError(f"cannot open the register {db} ({_first_line(exc)})") from None

    def file(self, record: dict[str, Any] | str) -> AddResult:
        data = json.loads(record) if isinstance(record, str) else record
        try:
            return self.register.add(data)
        except _database_errors() as exc:
            raise RegisterError(f"cannot file into the register {self.db} ({_first_line(exc)})") from None

    def close(self) -> None:
        self.register.close()


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
