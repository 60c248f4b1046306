"""Copies of one notice among the records of a run, known in memory the way the register knows
them in its database (:mod:`.identity`): the same issuer, type, number, symbol and date (or,
for a blank number, the same subject or text), and the same tasks in the same places.

An archive holds the same notice as TXT, DOCX, PDF and scan, and as copies under other names;
its task sheet and counts must hold each task once. What is kept per notice is its identity and
the first letters of each task (enough to compare two readings of it), plus the first letters
of the text when the number is blank: a few kilobytes per notice, not the records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..letterhead import letters_only
from .identity import Identity, identity_of, same_content, same_text

# Letters of a task kept to compare it with another reading (same_content looks at letters).
TASK_LETTERS = 400
TEXT_LETTERS = 6000  # same_text reads this much


@dataclass(frozen=True, slots=True)
class _Seen:
    identity: Identity
    tasks: tuple[tuple[str, str], ...]  # (section, the task's first letters)
    text: str  # the text's first letters, for a blank number only
    path: str  # the first file it came in


class CopyIndex:
    """The notices seen so far; :meth:`copy_of` says whether a record is a copy of one."""

    def __init__(self) -> None:
        self._by_date: dict[str, list[_Seen]] = {}

    def copy_of(self, record: dict[str, Any]) -> str | None:
        """The path of the first file of the same notice with the same tasks, if this record is
        a copy of one seen before; else None, and the record is remembered."""
        notice, text = record["notice"], record.get("text") or ""
        identity = identity_of(notice, text)
        tasks = tuple((t["section"], letters_only(t["text"])[:TASK_LETTERS]) for t in record["tasks"])
        letters = letters_only(text)[:TEXT_LETTERS] if not identity.number else ""
        seen = self._by_date.setdefault(identity.date, [])
        for other in seen:
            verdict = other.identity.matches(identity)
            if verdict is None:  # blank number, no subject: the texts decide
                verdict = same_text(other.text, letters)
            if verdict and same_content(list(other.tasks), list(tasks)):
                return other.path
        seen.append(_Seen(identity, tasks, letters, notice["source"]["path"]))
        return None
