"""The clerk's inbox: ``notice-extractor watch INBOX --out DIR``.

Notices are dropped into a shared folder; each one should become a JSON record in DIR once,
quickly, and never from a half-copied file. The design is deliberately one worker thread:

    startup scan ─┐
    fs events ────┼─► queue of candidate paths ─► Settler ─► worker: handle(path) ─► ledger, mover
    rescans ──────┘        (name filter only)     (complete?)   (calls process_file)

* Sources only *name* candidates; all I/O decisions happen in the worker, so the event thread
  can never block the observer and nothing needs a lock (the ledger has one connection).
* A file is complete when the writer closed it (inotify close-write) or renamed it into place —
  both end a write. A file seen being written (created or modified events) is not read until it
  is closed, however long the writer pauses (a scanner, a slow network copy); without events
  (``--poll``, files found by a scan) it must stay unchanged for the settle time, which grows to
  twice the longest pause seen while the file grew.
* A file that fails as unreadable (truncated, corrupt) while it is young — changed in the last
  minute — may still be being written by a writer we cannot see: it is retried when it changes,
  or after a back-off (1, 2, 4 … s), and goes to ``failed/`` only once it has stayed unchanged
  that long and still fails.
* ``--poll`` replaces events by a periodic scan for network shares that deliver no events; in
  event mode a slow rescan still runs as a net for lost events (inotify queue overflow).
* Work is keyed by content (see :mod:`.ledger`): the same bytes under a new name are recognised
  without parsing; new bytes under an old name are extracted again.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import queue
import shutil
import signal
import sqlite3
import stat as stat_mod
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TextIO

from watchdog.events import (
    FileClosedEvent,
    FileCreatedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from ..parsers import SUPPORTED_SUFFIXES
from ..write import write_atomic
from .budget import DEFAULT_BUDGET, StopRequested, process_within
from .common import DocumentResult, content_hash, shown, warm
from .inputs import kind_of
from .ledger import Ledger
from .lock import FolderBusy, OutputLock
from .openfiles import open_for_writing

DEFAULT_SETTLE = 0.4  # seconds a file must stay unchanged; well above the gaps of a local copy
RESCAN_SECONDS = 30.0  # event mode: how often the inbox is rescanned in case events were lost
EMPTY_GRACE = 5.0  # copy tools create the file first; an empty file is only failed after this long
DONE, FAILED = "done", "failed"
WRITING_CAP = 600.0  # a file seen being written is read after this long unchanged even if never closed
SETTLE_CAP = 30.0  # the grown settle time never exceeds this
YOUNG = 60.0  # a file changed this recently may still be written by a writer we cannot see
FIRST_BACKOFF = 1.0  # seconds before the first retry of a young file that failed as unreadable
# Names that are never documents: partial downloads/copies and editor temp files. Most already
# fail the suffix test; listed so that the intent survives new supported suffixes.
TEMP_SUFFIXES = (".part", ".partial", ".crdownload", ".download", ".tmp", ".temp", ".swp")


def is_candidate(path: Path, inbox: Path) -> bool:
    """True for a visible, supported document at the top level of the inbox.

    Judged on the name alone (no I/O): it runs on the observer thread for every event.
    ``done/`` and ``failed/`` are excluded because only the top level counts.
    """
    name = path.name
    if path.parent != inbox or name.startswith((".", "~")):  # hidden, Office lock files "~$x.docx"
        return False
    lowered = name.lower()
    return not lowered.endswith(TEMP_SUFFIXES) and path.suffix.lower() in SUPPORTED_SUFFIXES


def _stat(path: Path) -> os.stat_result | None:
    """A regular file's own stat, or None when it is gone, is a symbolic link (never followed:
    a link in the inbox could publish a private file from elsewhere) or is no regular file."""
    try:
        st = path.lstat()
    except OSError:
        return None
    return st if stat_mod.S_ISREG(st.st_mode) else None


def _not_a_document(path: Path) -> str | None:
    """Why an inbox entry is not read at all (a link, a pipe, a device), or None."""
    try:
        st = path.lstat()
    except OSError:
        return None
    if stat_mod.S_ISLNK(st.st_mode):
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        return f"symbolic link (to {target}): not followed; copy or move the file itself into the inbox"
    kind = kind_of(st.st_mode)
    return f"not a regular file ({kind})" if kind else None


def _stamp(st: os.stat_result) -> str:
    """Identity of a file version without reading it: changes on write, touch, replace or move."""
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="milliseconds")


def backoff(attempt: int) -> float:
    """Seconds before retry ``attempt`` (1, 2, 3 …) of a file that failed as unreadable: 1, 2, 4 … 32."""
    return FIRST_BACKOFF * 2 ** min(attempt - 1, 5)


# --------------------------------------------------------------------------- completeness


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
        st = _stat(path)
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
            st = _stat(path)
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


# --------------------------------------------------------------------------- event source


class _Events(FileSystemEventHandler):
    """watchdog events → queue of (path, complete). Runs on the observer's thread: no I/O here."""

    def __init__(self, inbox: Path, sink: queue.SimpleQueue[tuple[Path, bool, bool]]) -> None:
        super().__init__()
        self.inbox, self.sink = inbox, sink

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory:
            return
        if isinstance(event, FileMovedEvent):
            raw, complete = event.dest_path, True  # a rename is atomic: the file is whole
        else:
            raw, complete = event.src_path, isinstance(event, FileClosedEvent)
        path = Path(os.fsdecode(raw))
        if is_candidate(path, self.inbox):
            # Modified: a writer has it open; it is read once closed. ("Created" alone is also
            # what a rename from outside the inbox looks like: no write follows it.)
            self.sink.put((path, complete, isinstance(event, FileModifiedEvent)))


def start_observer(inbox: Path, sink: queue.SimpleQueue[tuple[Path, bool, bool]]) -> BaseObserver:
    """Native events (inotify, FSEvents, ReadDirectoryChangesW) on the inbox's top level."""
    observer = Observer()
    # Only what can signal new or finished content: our own reads (open, close-nowrite) are noise.
    observer.schedule(_Events(inbox, sink), str(inbox), recursive=False,
                      event_filter=[FileCreatedEvent, FileModifiedEvent, FileClosedEvent, FileMovedEvent])
    observer.daemon = True
    observer.start()
    return observer


# --------------------------------------------------------------------------- the worker


@dataclass
class Counts:
    ok: int = 0
    duplicate: int = 0
    failed: int = 0


class Watcher:
    """Handles complete candidates one at a time: hash, dedupe, extract, write, record, move."""

    def __init__(self, inbox: Path, out: Path, *, keep: bool, json_log: bool, stdout: TextIO, stderr: TextIO,
                 young: float = YOUNG, budget: float | None = DEFAULT_BUDGET) -> None:
        self.inbox, self.out, self.keep, self.json_log, self.young = inbox, out, keep, json_log, young
        self.stdout, self.stderr = stdout, stderr
        self.ledger = Ledger(out)
        self.counts = Counts()
        self.refused: set[Path] = set()
        self.attempts: dict[Path, int] = {}  # failed reads of files that may still be being written
        self.budget = budget
        self.busy = False  # a document is being extracted (a stop request abandons it)

    def close(self) -> None:
        self.ledger.close()

    def candidates(self) -> Iterator[Path]:
        """Top-level candidates now in the inbox, minus files already handled and unchanged."""
        try:
            entries = sorted(os.scandir(self.inbox), key=lambda e: e.name)
        except OSError as exc:
            print(f"watch: cannot list {self.inbox} ({exc.strerror or exc})", file=self.stderr, flush=True)
            return
        for entry in entries:
            path = Path(entry.path)
            if not is_candidate(path, self.inbox):
                continue
            st = _stat(path)
            if st is None:
                self.refuse(path)
            elif not self.ledger.seen(str(path), _stamp(st)):
                yield path

    def refuse(self, path: Path) -> None:
        """A link is moved to failed/ with its cause (so the clerk sees it); a pipe, socket or
        device cannot be moved like a document and is logged once."""
        cause = _not_a_document(path)
        if cause is None or path in self.refused:
            return
        self.refused.add(path)
        if cause.startswith("symbolic link"):
            self._failed(path, DocumentResult(path=str(path), sha256=None, error=cause, stage="parse"), "",
                         time.perf_counter(), cause=cause, stage="parse")
            self.refused.discard(path)
        else:
            print(f"watch: skipped {shown(path.name)}: {cause}", file=self.stderr, flush=True)

    def handle(self, path: Path) -> str | None:
        """Process one complete file. Returns the status logged, "retry" when the file changed
        while it was read (so it is not complete after all), or None when there was nothing to do."""
        started = time.perf_counter()
        st = _stat(path)
        if st is None:
            self.refuse(path)
            return None
        stamp = _stamp(st)
        if self.ledger.seen(str(path), stamp):  # kept file, already handled
            return None
        sha = content_hash(path)
        known = self.ledger.get(sha) if sha else None
        if known is not None and known.status == "ok":
            moved = self._finish(path, DONE, stamp, sha)
            self.counts.duplicate += 1
            self._log("duplicate", path, tasks=known.tasks, started=started, output=known.output, moved=moved,
                      sha=sha, same_as=Path(known.first_path).name)
            return "duplicate"
        if known is not None and known.stage == "budget":
            # Remembered: it ran past its budget before; running it again would block the inbox again.
            result = DocumentResult(path=str(path), sha256=sha, error=known.error, stage="budget")
            return self._failed(path, result, stamp, started, cause=f"{known.error} (seen before)", stage="budget")
        self.busy = True
        try:
            result = process_within(path, self.budget)
        finally:
            self.busy = False
        if result.sha256 != sha:
            if _stat(path) is None:
                return None  # removed while we read it
            return "retry"
        if result.ok:
            self.attempts.pop(path, None)
            return self._succeeded(path, result, stamp, started)
        if result.stage == "parse" and self._may_still_be_written(path, st):
            # Truncated or corrupt, and changed a moment ago: perhaps the writer paused.
            self.attempts[path] = self.attempts.get(path, 0) + 1
            return "later"
        self.attempts.pop(path, None)
        return self._failed(path, result, stamp, started, cause=result.error or "unknown error", stage=result.stage)

    def _may_still_be_written(self, path: Path, st: os.stat_result) -> bool:
        """Whether the file changed so recently that a writer may come back to it, and it has
        not yet been given its full back-off."""
        if self.young <= 0:
            return False
        attempt = self.attempts.get(path, 0)
        young = time.time() - st.st_mtime < self.young
        waited = sum(backoff(a) for a in range(1, attempt + 1))
        return young or waited < self.young / 4  # (a copy that kept an old mtime gets a few tries)

    def _succeeded(self, path: Path, result: DocumentResult, stamp: str, started: float) -> str:
        assert result.json is not None and result.sha256 is not None
        name = self._output_name(path, result.sha256, result.json)
        try:
            write_atomic(self.out / name, result.json)
        except OSError as exc:
            # The document is fine, our output folder is not: leave the input where it is.
            self.ledger.remember(str(path), stamp, result.sha256)
            self.counts.failed += 1
            self._log("failed", path, tasks=0, started=started, sha=result.sha256,
                      error=f"cannot write {self.out / name} ({exc.strerror or exc})", stage="write")
            return "failed"
        self.ledger.record(result.sha256, status="ok", output=name, tasks=result.tasks, path=str(path), when=_now())
        moved = self._finish(path, DONE, stamp, result.sha256)
        self.counts.ok += 1
        self._log("ok", path, tasks=result.tasks, started=started, output=name, moved=moved, sha=result.sha256)
        return "ok"

    def _failed(self, path: Path, result: DocumentResult, stamp: str, started: float, *, cause: str,
                stage: str | None) -> str:
        sha = result.sha256
        moved = self._finish(path, FAILED, stamp, sha)
        sidecar = moved.with_name(moved.name + ".error.json") if moved else self.inbox / FAILED / f"{path.name}.error.json"
        report = {"file": path.name, "path": str(path), "moved_to": str(moved) if moved else None,
                  "cause": cause, "stage": stage, "time": _now(), "sha256": sha}
        try:
            write_atomic(sidecar, json.dumps(report, ensure_ascii=False, indent=2) + "\n")
        except OSError as exc:
            print(f"watch: cannot write {sidecar} ({exc.strerror or exc})", file=self.stderr, flush=True)
        if sha:
            self.ledger.record(sha, status="failed", error=cause, stage=stage, path=str(path), when=_now())
        self.counts.failed += 1
        self._log("failed", path, tasks=0, started=started, moved=moved, sha=sha, error=cause, stage=stage)
        return "failed"

    def _output_name(self, path: Path, sha: str, text: str) -> str:
        """``stem.json`` unless another content owns it; then ``stem.<sha8>.json`` (deterministic).

        A file on disk the ledger does not know (an older ``extract`` run, or a crash between
        write and record) is only reused when it holds exactly these bytes.
        """
        stem = path.stem
        names = (f"{stem}.json", f"{stem}.{sha[:8]}.json")
        for name in names:
            owner = self.ledger.owner_of(name)
            if owner is not None and owner != sha:
                continue
            target = self.out / name
            if owner is None and target.exists():
                try:
                    if target.read_bytes() != text.encode("utf-8"):
                        continue
                except OSError:
                    continue
            return name
        return f"{stem}.{sha}.json"  # named after the content itself: only this content can own it

    def _finish(self, path: Path, folder: str, stamp: str, sha: str | None) -> Path | None:
        """Move the input out of the way (or, with --keep, remember it as handled)."""
        if self.keep:
            self.ledger.remember(str(path), stamp, sha)
            return None
        try:
            dest = move_no_clobber(path, self.inbox / folder, sidecar=folder == FAILED)
        except OSError as exc:
            # Remember it so that it is not handled again in a loop; a change to it re-arms it.
            print(f"watch: cannot move {path.name} to {folder}/ ({exc.strerror or exc}); left in place",
                  file=self.stderr, flush=True)
            self.ledger.remember(str(path), stamp, sha)
            return None
        self.ledger.forget(str(path))
        return dest

    def _log(self, status: str, path: Path, *, tasks: int, started: float, output: str | None = None,
             moved: Path | None = None, sha: str | None = None, error: str | None = None,
             stage: str | None = None, same_as: str | None = None) -> None:
        """One line per file on stdout: human columns, or one JSON object with --json-log."""
        ms = (time.perf_counter() - started) * 1000
        when = _now()
        if self.json_log:
            entry = {"time": when, "file": path.name, "status": status, "tasks": tasks, "ms": round(ms, 1),
                     "output": output, "moved_to": str(moved.relative_to(self.inbox)) if moved else None,
                     "sha256": sha, "error": error, "stage": stage, "same_as": same_as}
            line = json.dumps(entry, ensure_ascii=False)
        else:
            if status == "failed":
                detail = f"{error} [{stage}]"
            elif status == "duplicate":
                detail = f"same content as {same_as} -> {output}"
            else:
                detail = f"-> {output}"
            line = f"{when}  {status:<9}  {path.name}  {tasks} tasks  {ms:.0f} ms  {detail}"
        print(line, file=self.stdout, flush=True)


def move_no_clobber(src: Path, folder: Path, *, sidecar: bool = False) -> Path:
    """Move ``src`` into ``folder`` under its name, or ``stem.N.suffix`` if that is taken.

    A hard link then unlink is the atomic "rename unless it exists" POSIX offers; where links
    are not supported (some network shares) it falls back to check-then-move, which is only racy
    against another process writing into done/ at the same instant.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for n in itertools.count():
        name = src.name if n == 0 else f"{src.stem}.{n}{src.suffix}"
        dest = folder / name
        if sidecar and (folder / f"{name}.error.json").exists():
            continue
        try:
            os.link(src, dest)
        except FileExistsError:
            continue
        except OSError:
            if os.path.lexists(dest):
                continue
            shutil.move(src, dest)
            return dest
        os.unlink(src)
        return dest
    raise AssertionError("unreachable")


# --------------------------------------------------------------------------- the loop


def watch(inbox: Path, out: Path, *, settle: float = DEFAULT_SETTLE, poll: float | None = None, keep: bool = False,
          once: bool = False, json_log: bool = False, stop: threading.Event | None = None, retry: float = YOUNG,
          budget: float | None = DEFAULT_BUDGET, on_watcher: Callable[[Watcher], None] | None = None,
          stdout: TextIO | None = None, stderr: TextIO | None = None, started: threading.Event | None = None) -> int:
    """Run the inbox until ``stop`` is set (or, with ``once``, until the inbox is drained).

    Importable so tests and embedding code can run it in a thread; signals are the caller's
    business (see :func:`run`). ``started`` is set once events are live and the startup scan
    is queued. Returns 1 when ``once`` saw a failure, else 0.
    """
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    with OutputLock(out, "watch"):  # FolderBusy when another run writes ``out``
        return _watch_locked(inbox, out, settle=settle, poll=poll, keep=keep, once=once, json_log=json_log, stop=stop,
                             retry=retry, budget=budget, on_watcher=on_watcher, stdout=stdout, stderr=stderr,
                             started=started)


def _watch_locked(inbox: Path, out: Path, *, settle: float, poll: float | None, keep: bool, once: bool, json_log: bool,
                  stop: threading.Event | None, retry: float, budget: float | None,
                  on_watcher: Callable[[Watcher], None] | None, stdout: TextIO, stderr: TextIO,
                  started: threading.Event | None) -> int:
    stop = stop or threading.Event()
    inbox = inbox.resolve()
    events: queue.SimpleQueue[tuple[Path, bool, bool]] = queue.SimpleQueue()
    # --once (cron) reads what is there and reports; it does not wait to retry unreadable files.
    watcher = Watcher(inbox, out, keep=keep, json_log=json_log, stdout=stdout, stderr=stderr, young=0 if once else retry,
                      budget=budget)
    if on_watcher is not None:
        on_watcher(watcher)
    if budget:
        warm()  # word lists load before the first budget starts
    settler = Settler(settle, poll=poll is not None or once)
    observer = None
    if not once and poll is None:
        try:
            observer = start_observer(inbox, events)
        except OSError as exc:  # e.g. the inotify watch limit: scanning still works
            poll = 2.0
            settler.poll = True
            print(f"watch: filesystem events unavailable ({exc}); polling every {poll:g} s", file=stderr, flush=True)
    mode = "once" if once else (f"polling every {poll:g} s" if poll else "filesystem events")
    print(f"watch: {inbox} -> {out} ({mode}, settle {settle:g} s{', keep inputs' if keep else ''})",
          file=stderr, flush=True)
    # Events are live before the scan, so nothing that arrives in between is missed.
    for path in watcher.candidates():
        settler.note(path)
    rescan_every = poll if poll else RESCAN_SECONDS
    last_scan = time.monotonic()
    tick = min(max(settle / 4, 0.01), 0.1)
    if started is not None:
        started.set()
    try:
        while not stop.is_set():
            if once and not settler.pending:
                break
            # Wait for an event, but not past the next settle check (or the stop check when idle).
            try:
                item = events.get(timeout=tick if settler.pending else 0.2)
                while True:
                    if not settler.note(*item):
                        watcher.refuse(item[0])
                    item = events.get_nowait()
            except queue.Empty:
                pass
            for path in settler.ready():
                if stop.is_set():
                    break
                try:
                    status = watcher.handle(path)
                except StopRequested:
                    print(f"watch: stopped during {shown(path.name)}; it stays in the inbox for the next run",
                          file=stderr, flush=True)
                    break
                if status == "retry":
                    settler.note(path)
                elif status == "later":
                    settler.retry_later(path, watcher.attempts.get(path, 1))
                else:
                    settler.discard(path)
            if not once and time.monotonic() - last_scan >= rescan_every:
                for path in watcher.candidates():
                    settler.note(path)
                last_scan = time.monotonic()
    finally:
        if observer is not None:
            observer.stop()
            observer.join(timeout=5)
        watcher.close()
    c = watcher.counts
    print(f"watch: stopped ({c.ok} ok, {c.duplicate} duplicate, {c.failed} failed)", file=stderr, flush=True)
    return 1 if once and c.failed else 0


def _seconds(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError("must be a positive number of seconds")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inbox", help="folder to watch (top level only; done/ and failed/ are created inside)")
    parser.add_argument("--out", "-o", required=True, help="folder for the JSON records and the ledger")
    parser.add_argument("--poll", type=_seconds, metavar="SECONDS",
                        help="scan every SECONDS instead of using filesystem events (network shares)")
    parser.add_argument("--settle", type=_seconds, default=DEFAULT_SETTLE, metavar="SECONDS",
                        help=f"a file is read once unchanged this long (default {DEFAULT_SETTLE:g})")
    parser.add_argument("--keep", action="store_true", help="leave inputs in the inbox (the ledger prevents reprocessing)")
    parser.add_argument("--retry", type=_seconds, default=YOUNG, metavar="SECONDS",
                        help=f"a file that is unreadable within SECONDS of its last change may still be being written: "
                             f"it is retried until then, with back-off, before it goes to failed/ (default {YOUNG:g})")
    parser.add_argument("--once", action="store_true", help="process what is there and exit (1 if any file failed)")
    parser.add_argument("--json-log", action="store_true", help="one JSON object per file on stdout")
    parser.add_argument("--budget", type=float, default=DEFAULT_BUDGET, metavar="SECONDS",
                        help=f"time allowed per document; past it the file goes to failed/ and is not tried again "
                             f"(default {DEFAULT_BUDGET:g}; 0: no limit)")


def run(args: argparse.Namespace) -> int:
    """CLI entry: SIGINT/SIGTERM finish the current file, then exit 0; a second SIGINT aborts."""
    inbox = Path(args.inbox)
    if not inbox.is_dir():
        print(f"notice-extractor watch: {inbox} is not a folder", file=sys.stderr)
        return 2
    stop = threading.Event()

    current: list[Watcher] = []

    def request_stop(signum: int, frame: object) -> None:
        print(f"watch: {signal.Signals(signum).name} received, stopping", file=sys.stderr, flush=True)
        stop.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)  # a second Ctrl-C interrupts at once
        if current and current[0].busy:
            raise StopRequested  # abandon the document in hand: it is read again on the next start

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        return watch(inbox, Path(args.out), settle=args.settle, poll=args.poll, keep=args.keep, once=args.once,
                     json_log=args.json_log, stop=stop, retry=args.retry, budget=args.budget or None,
                     on_watcher=current.append)
    except FolderBusy as exc:
        print(f"notice-extractor watch: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        where = exc.filename or args.out
        print(f"notice-extractor watch: cannot write to {shown(where)} ({exc.strerror or exc})", file=sys.stderr)
        return 2
    except sqlite3.Error as exc:
        print(f"notice-extractor watch: the ledger in {shown(args.out)} cannot be used ({exc})", file=sys.stderr)
        return 2
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
