"""When a file dropped into the inbox is complete, so that ``watch`` never reads half a copy.

A file is complete when its writer closed it (inotify close-write) or renamed it into place —
both end a write. A file seen being written (created or modified events) is not read until it
is closed, however long the writer pauses (a scanner, a slow network copy); without events
(``--poll``, files found by a scan) it must stay unchanged for the settle time, which grows to
twice the longest pause seen while the file grew. A retry (a young file that failed as
unreadable) is held back for a back-off. No I/O but ``stat`` and ``/proc``: it runs on the
watcher's one worker thread.
"""

from __future__ import annotations

import os
import stat as stat_mod
import time
from dataclasses import dataclass, field
from pathlib import Path

from .openfiles import open_for_writing

EMPTY_GRACE = 5.0  # copy tools create the file first; an empty file is only failed after this long
WRITING_CAP = 600.0  # a file seen being written is read after this long unchanged even if never closed
SETTLE_CAP = 30.0  # the grown settle time never exceeds this
FIRST_BACKOFF = 1.0  # seconds before the first retry of a young file that failed as unreadable


def regular_stat(path: Path) -> os.stat_result | None:
    """A regular file's own stat, or None when it is gone, is a symbolic link (never followed:
    a link in the inbox could publish a private file from elsewhere) or is no regular file."""
    try:
        st = path.lstat()
    except OSError:
        return None
    return st if stat_mod.S_ISREG(st.st_mode) else None


def backoff(attempt: int) -> float:
    """Seconds before retry ``attempt`` (1, 2, 3 …) of a file that failed as unreadable: 1, 2, 4 … 32."""
    return FIRST_BACKOFF * 2 ** min(attempt - 1, 5)


@dataclass(slots=True)
class _Pending:
    key: tuple[int, int]  # (size, mtime_ns) at the last look
    since: float  # monotonic time the key last changed
    complete: bool = False  # closed after writing, or renamed into place, since the last change
    writing: bool = False  # seen opened for writing (created/modified events) and not closed since
    longest_pause: float = 0.0  # longest time the file stayed unchanged between two changes
    not_before: float = 0.0  # monotonic time before which it is not handed out (a retry's back-off)


@dataclass
class Settler:
    """Decides when a candidate is complete; holds candidates in arrival order."""

    settle: float
    pending: dict[Path, _Pending] = field(default_factory=dict)
    poll: bool = False  # no close events arrive: ask /proc whether the writer is done

    def note(self, path: Path, complete: bool = False, writing: bool = False) -> bool:
        """A source says ``path`` appeared or changed; ``complete`` if the write is known to be
        over (closed, renamed in), ``writing`` if an event says it is being written. False when
        it is no regular file (gone, a link, a pipe)."""
        st = regular_stat(path)
        if st is None:
            self.pending.pop(path, None)
            return False
        key = (st.st_size, st.st_mtime_ns)
        now = time.monotonic()
        entry = self.pending.get(path)
        if entry is None:
            self.pending[path] = _Pending(key, now, complete, writing and not complete)
            return True
        if entry.key != key:
            entry.longest_pause = max(entry.longest_pause, now - entry.since)
            entry.key, entry.since, entry.complete, entry.not_before = key, now, False, 0.0
        if complete:
            entry.complete, entry.writing = True, False
        elif writing:
            entry.writing, entry.complete = True, False
        return True

    def retry_later(self, path: Path, attempt: int) -> None:
        """Hand ``path`` out again after a back-off (sooner if it changes)."""
        self.note(path)
        entry = self.pending.get(path)
        if entry is not None:
            entry.complete = False
            entry.not_before = time.monotonic() + backoff(attempt)

    def ready(self) -> list[Path]:
        """Candidates that are complete now, oldest first. Vanished ones are dropped."""
        now = time.monotonic()
        out: list[Path] = []
        for path, entry in list(self.pending.items()):
            st = regular_stat(path)
            if st is None:
                del self.pending[path]
                continue
            key = (st.st_size, st.st_mtime_ns)
            if key != entry.key:  # still being written: restart the clock
                entry.longest_pause = max(entry.longest_pause, now - entry.since)
                entry.key, entry.since, entry.complete, entry.not_before = key, now, False, 0.0
                continue
            if now < entry.not_before:
                continue
            quiet = now - entry.since
            settle = min(SETTLE_CAP, max(self.settle, 2 * entry.longest_pause))
            if entry.writing:
                if quiet >= WRITING_CAP or (quiet >= settle and self.poll and open_for_writing(path) is False):
                    # Never closed (a writer on another machine): read it anyway; or, with no
                    # events to tell, the writer we saw has closed it since.
                    entry.writing = False
                    out.append(path)
            elif key[0] == 0:  # created but no byte yet: wait longer, then let it fail as empty
                if quiet >= max(EMPTY_GRACE, settle):
                    out.append(path)
            elif entry.complete or quiet >= settle:
                if not entry.complete and open_for_writing(path):
                    entry.writing = True  # a writer on this machine holds it open: wait for the close
                    continue
                out.append(path)
        return out

    def discard(self, path: Path) -> None:
        self.pending.pop(path, None)
