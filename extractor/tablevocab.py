"""Tables in notices: what their header cells name, and how a cell's lines read as one value.

Shared knowledge, like :mod:`.letterhead`: every backend (TXT, DOCX, HTML, PDF, scans) decides
with it whether a table is a task table to read row by row, and the extraction stage reads
the same roles to know which cell holds the task, the unit in charge and the deadline. It
lives outside the parsers so that the later stage does not reach into the parse stage.

Two questions are asked of a header row:

* :func:`is_task_header` -- does it name task columns (``data/tables.json``: a content column
  and a responsible, coordinating or time column)? Used to pick task tables out of the other
  tables of a document (letterhead, signature and "Nơi nhận" layout tables);
* :func:`is_header_row` -- does it read like column headers at all (two short cells such as
  "STT", "Họ và tên", "Ghi chú")? A DOCX table whose first row does is a data table, read row
  by row whatever its columns name; others are layout and read as paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache

from .vntext import fold
from .vocab import table


@cache
def _header_words() -> dict[str, list[str]]:
    return {k: [fold(w) for w in v] for k, v in table("tables")["columns"].items()}


@lru_cache(maxsize=4096)
def column_role(cell: str) -> str | None:
    """What a header cell names: 'content', 'responsible', 'coordinating', 'deadline', …"""
    if len(cell) > 90:
        return None  # a header names a column in a few words; long cells are data
    f = re.sub(r"\s+", " ", fold(cell)).strip(" .:()")
    if len(f) > 80 or not f:
        return None
    best: tuple[int, str] | None = None
    for role, words in _header_words().items():
        for w in words:
            named = f == w or f.startswith((w + " ", w + ",")) or (role != "index" and len(f) <= 40 and f" {w}" in f" {f}")
            if named and (best is None or len(w) > best[0]):
                best = (len(w), role)
    return best[1] if best else None


def is_task_header(cells: list[str]) -> bool:
    """A header row that names a content column and a responsible, coordinating or time one."""
    roles = [column_role(c) for c in cells]
    return "content" in roles and any(r in roles for r in ("responsible", "coordinating", "deadline"))


# Words of column headers in general, task tables or not (personnel lists, schedules).
_HEADER_WORDS = re.compile(
    r"^(?:số\s+)?(?:stt|tt)$|nội dung|nhiệm vụ|đơn vị|cơ quan|thời gian|thời hạn|sản phẩm|ghi chú"
    r"|chủ trì|phối hợp|họ và tên|họ tên|chức vụ|tiến độ|kết quả|địa điểm|số lượng|\btên\b|^ngày\b",
    re.IGNORECASE,
)
HEADER_CELL_MAX_CHARS = 60  # a column header is short; a "Nơi nhận" box mentioning "cơ quan" is not


def is_header_row(cells: Iterable[str]) -> bool:
    """At least two short cells that read like column headers ("STT", "Nội dung", "Thời hạn" ...)."""
    hits = sum(1 for c in cells if c and len(c) <= HEADER_CELL_MAX_CHARS and _HEADER_WORDS.search(c.strip()))
    return hits >= 2


def join_cell(lines: list[str]) -> str:
    """A cell's lines as one value: wrapped text joins with a space, separate entries (names,
    one per line) with "; ", so that a cell reads alike from TXT, HTML and PDF."""
    out = ""
    for line in (x.strip() for x in lines):
        if not line:
            continue
        if not out:
            out = line
        elif line[:1].isupper() and not out.endswith((",", "-")):
            out += "; " + line if not out.endswith((";", ".")) else " " + line
        else:
            out += " " + line
    return out
