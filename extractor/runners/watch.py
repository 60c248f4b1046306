"""The clerk's inbox: ``notice-extractor watch INBOX --out DIR``.

Notices are dropped into a shared folder (or a folder of it: clerks sort by sender); each one
should become a JSON record in DIR once, quickly, and never from a half-copied file, and the
clerk must be able to read in the log what became of it. The design is deliberately one worker
thread:

    startup scan ─┐
    fs events ────┼─► queue of candidate paths ─► Settler ─► worker: handle(path) ─► ledger, mover
    rescans ──────┘        (name filter only)     (complete?)   (calls process_file)

* Sources only *name* candidates; all I/O decisions happen in the worker, so the event thread
  can never block the observer and nothing needs a lock (the ledger has one connection). A
  folder that arrives is named too, and the worker scans it.
* When a file is complete: see :mod:`.settle`.
* A file that fails as unreadable (truncated, corrupt) while it is young — changed in the last
  minute — may still be being written by a writer we cannot see: it is retried when it changes,
  or after a back-off (1, 2, 4 … s), and goes to ``failed/`` only once it has stayed unchanged
  that long and still fails.
* Every file that is not a temporary name is the pipeline's to judge: what it cannot read (a
  ``.zip``, an ``.exe``, bytes with no recognisable content) goes to ``failed/`` with its reason
  beside it, like any other failure — nothing stays in the inbox unexplained.
* ``--poll`` replaces events by a periodic scan for network shares that deliver no events; in
  event mode a slow rescan still runs as a net for lost events (inotify queue overflow).
* Work is keyed by content (see :mod:`.ledger`): the same bytes under a new name are recognised
  without parsing; new bytes under an old name are extracted again.
* One log line per file, in the clerk's language (:mod:`.messages`); a document that takes
  long (OCR of a thick scan) is announced every ten seconds by a timer thread, so the clerk
  knows the watcher is working, not stuck.
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
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TextIO

from watchdog.events import (
    DirCreatedEvent,
    DirMovedEvent,
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
from .filing import Filer, RegisterError
from .inputs import kind_of, unique_name
from .ledger import Ledger
from .lock import FolderBusy, OutputLock
from .messages import DEFAULT_LANGUAGE, LANGUAGES, deadline_found, failure_reason, say, tasks_found, warnings_found
from .settle import Settler, backoff, regular_stat

DEFAULT_SETTLE = 0.4  # seconds a file must stay unchanged; well above the gaps of a local copy
RESCAN_SECONDS = 30.0  # event mode: how often the inbox is rescanned in case events were lost
PROGRESS_SECONDS = 10.0  # a document still being read says so this often
DONE, FAILED = "done", "failed"
YOUNG = 60.0  # a file changed this recently may still be written by a writer we cannot see
# Names that are never documents and are left alone: partial downloads and copies, editor
# temporaries (still being written: they will be renamed), and the files Windows keeps in folders.
TEMP_SUFFIXES = (".part", ".partial", ".crdownload", ".download", ".tmp", ".temp", ".swp")
SYSTEM_NAMES = frozenset({"thumbs.db", "desktop.ini"})


def is_candidate(path: Path, inbox: Path, out: Path | None = None) -> bool:
    """True for a file or folder in the inbox that is the watcher's to handle: anywhere below
    it but ``done/``, ``failed/`` and the output folder (when it lies inside), not hidden, not
    an Office lock file (``~$x.docx``), not a temporary name.

    Judged on the name alone (no I/O): it runs on the observer thread for every event.
    """
    try:
        parts = path.relative_to(inbox).parts
    except ValueError:
        return False
    if not parts or parts[0] in (DONE, FAILED) or any(p.startswith((".", "~")) for p in parts):
        return False
    if out is not None and path.is_relative_to(out):
        return False
    lowered = parts[-1].lower()
    return not lowered.endswith(TEMP_SUFFIXES) and lowered not in SYSTEM_NAMES


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


def _is_folder(path: Path) -> bool:
    try:
        return stat_mod.S_ISDIR(path.lstat().st_mode)
    except OSError:
        return False


def _stamp(st: os.stat_result) -> str:
    """Identity of a file version without reading it: changes on write, touch, replace or move."""
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="milliseconds")


# --------------------------------------------------------------------------- event source


class _Events(FileSystemEventHandler):
    """watchdog events → queue of (path, complete, writing). Runs on the observer's thread: no I/O here."""

    def __init__(self, inbox: Path, out: Path, sink: queue.SimpleQueue[tuple[Path, bool, bool]]) -> None:
        super().__init__()
        self.inbox, self.out, self.sink = inbox, out, sink

    def on_any_event(self, event: FileSystemEvent) -> None:
        if isinstance(event, FileMovedEvent | DirMovedEvent):
            raw, complete = event.dest_path, True  # a rename is atomic: the file (or folder) is whole
        else:
            raw, complete = event.src_path, isinstance(event, FileClosedEvent)
        path = Path(os.fsdecode(raw))
        if not is_candidate(path, self.inbox, self.out):
            return
        if event.is_directory:
            self.sink.put((path, True, False))  # a folder arrived: the worker scans it
            return
        # Modified: a writer has it open; it is read once closed. ("Created" alone is also
        # what a rename from outside the inbox looks like: no write follows it.)
        self.sink.put((path, complete, isinstance(event, FileModifiedEvent)))


def start_observer(inbox: Path, out: Path, sink: queue.SimpleQueue[tuple[Path, bool, bool]]) -> BaseObserver:
    """Native events (inotify, FSEvents, ReadDirectoryChangesW) on the inbox and its folders."""
    observer = Observer()
    # Only what can signal new or finished content: our own reads (open, close-nowrite) are noise.
    observer.schedule(_Events(inbox, out, sink), str(inbox), recursive=True,
                      event_filter=[FileCreatedEvent, FileModifiedEvent, FileClosedEvent, FileMovedEvent,
                                    DirCreatedEvent, DirMovedEvent])
    observer.daemon = True
    observer.start()
    return observer


# --------------------------------------------------------------------------- the worker


@dataclass
class Counts:
    ok: int = 0
    duplicate: int = 0
    failed: int = 0


class _Ticker:
    """While a document is read, a timer thread calls ``tell(seconds)`` every ``every`` seconds
    (never the pipeline: it knows nothing of logs). Joined on exit, so that no "still working"
    line can follow the file's own line."""

    def __init__(self, every: float, tell: Callable[[float], None]) -> None:
        self.every, self.tell = every, tell
        self.done = threading.Event()
        self.thread: threading.Thread | None = None

    def __enter__(self) -> _Ticker:
        if self.every > 0:
            self.thread = threading.Thread(target=self._run, name="watch-progress", daemon=True)
            self.thread.start()
        return self

    def _run(self) -> None:
        started = time.monotonic()
        for k in itertools.count(1):
            if self.done.wait(max(0.0, started + k * self.every - time.monotonic())):
                return
            self.tell(time.monotonic() - started)

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.done.set()
        if self.thread is not None:
            self.thread.join()


class Watcher:
    """Handles complete candidates one at a time: hash, dedupe, extract, write, record, move."""

    def __init__(self, inbox: Path, out: Path, *, keep: bool, json_log: bool, stdout: TextIO, stderr: TextIO,
                 young: float = YOUNG, budget: float | None = DEFAULT_BUDGET, lang: str = DEFAULT_LANGUAGE,
                 progress_every: float = PROGRESS_SECONDS, filer: Filer | None = None) -> None:
        self.inbox, self.out, self.keep, self.json_log, self.young = inbox, out, keep, json_log, young
        self.filer = filer
        self.out_resolved = out.resolve()
        self.stdout, self.stderr = stdout, stderr
        self.lang, self.progress_every = lang, progress_every
        self.ledger = Ledger(out)
        self.counts = Counts()
        self.refused: set[Path] = set()
        self.attempts: dict[Path, int] = {}  # failed reads of files that may still be being written
        self.budget = budget
        self.busy = False  # a document is being extracted (a stop request abandons it)
        self._print_lock = threading.Lock()  # the progress thread prints too

    def close(self) -> None:
        self.ledger.close()

    def say(self, key: str, **values: object) -> None:
        """A service line on stderr, in the clerk's language."""
        self._print(say(key, self.lang, **values), self.stderr)

    def _print(self, line: str, stream: TextIO) -> None:
        with self._print_lock:
            print(line, file=stream, flush=True)

    def rel(self, path: Path) -> str:
        """The file as the clerk knows it: its path inside the inbox."""
        try:
            return path.relative_to(self.inbox).as_posix()
        except ValueError:
            return path.name

    def candidates(self, top: Path | None = None) -> Iterator[Path]:
        """Files now in the inbox (or in ``top``, a folder of it) that are the watcher's to handle,
        minus files already handled and unchanged; links and pipes found on the way are refused."""
        top = top or self.inbox

        def unreadable(exc: OSError) -> None:
            self.say("cannot_list", folder=shown(exc.filename or top), cause=exc.strerror or exc)

        for dirpath, dirnames, filenames in os.walk(top, onerror=unreadable):
            folder = Path(dirpath)
            kept = []
            for name in sorted(dirnames):
                path = folder / name
                if not is_candidate(path, self.inbox, self.out_resolved):
                    continue
                if path.is_symlink():
                    self.refuse(path)  # (os.walk does not follow it; the clerk must hear of it)
                else:
                    kept.append(name)
            dirnames[:] = kept
            for name in sorted(filenames):
                path = folder / name
                if not is_candidate(path, self.inbox, self.out_resolved):
                    continue
                st = regular_stat(path)
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
                         time.perf_counter(), cause=cause, stage="parse", kind="link")
            self.refused.discard(path)
        else:
            self.say("skipped", file=shown(self.rel(path)), cause=cause)

    def handle(self, path: Path) -> str | None:
        """Process one complete file. Returns the status logged, "retry" when the file changed
        while it was read (so it is not complete after all), "later" when it may still be
        written, or None when there was nothing to do."""
        started = time.perf_counter()
        st = regular_stat(path)
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
            deadline, warnings = self._record_summary(known.output)
            self._log("duplicate", path, tasks=known.tasks, started=started, output=known.output, moved=moved,
                      sha=sha, same_as=Path(known.first_path).name, deadline=deadline, warnings=warnings)
            return "duplicate"
        if known is not None and known.stage == "budget":
            # Remembered: it ran past its budget before; running it again would block the inbox again.
            result = DocumentResult(path=str(path), sha256=sha, error=known.error, stage="budget")
            return self._failed(path, result, stamp, started, cause=f"{known.error} (seen before)", stage="budget",
                                kind="budget_before")
        self.busy = True
        try:
            with _Ticker(self.progress_every, lambda seconds: self._working(path, seconds)):
                result = process_within(path, self.budget)
        finally:
            self.busy = False
        if result.sha256 != sha:
            if regular_stat(path) is None:
                return None  # removed while we read it
            return "retry"
        if result.ok:
            self.attempts.pop(path, None)
            return self._succeeded(path, result, stamp, started)
        # A name the pipeline has no reader for, and whose content it did not recognise either:
        # waiting will not make it readable.
        unsupported = result.stage == "parse" and path.suffix.lower() not in SUPPORTED_SUFFIXES
        if result.stage == "parse" and not unsupported and self._may_still_be_written(path, st):
            # Truncated or corrupt, and changed a moment ago: perhaps the writer paused.
            self.attempts[path] = self.attempts.get(path, 0) + 1
            return "later"
        self.attempts.pop(path, None)
        return self._failed(path, result, stamp, started, cause=result.error or "unknown error", stage=result.stage,
                            kind="unsupported" if unsupported else (result.stage or "internal"))

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
            if self.filer is not None:
                self.filer.file(result.json)
        except (OSError, RegisterError) as exc:
            # The document is fine, our output folder or register is not: leave the input where it is.
            self.ledger.remember(str(path), stamp, result.sha256)
            self.counts.failed += 1
            error = str(exc) if isinstance(exc, RegisterError) else f"cannot write {self.out / name} ({exc.strerror or exc})"
            self._log("failed", path, tasks=0, started=started, sha=result.sha256, kind="write", error=error,
                      stage="register" if isinstance(exc, RegisterError) else "write")
            return "failed"
        self.ledger.record(result.sha256, status="ok", output=name, tasks=result.tasks, path=str(path), when=_now())
        moved = self._finish(path, DONE, stamp, result.sha256)
        self.counts.ok += 1
        self._log("ok", path, tasks=result.tasks, started=started, output=name, moved=moved, sha=result.sha256,
                  deadline=result.deadline, warnings=result.warnings)
        return "ok"

    def _failed(self, path: Path, result: DocumentResult, stamp: str, started: float, *, cause: str,
                stage: str | None, kind: str) -> str:
        """Move the file to failed/ with ``NAME.error.json`` beside it: the one record of a failure."""
        sha = result.sha256
        moved = self._finish(path, FAILED, stamp, sha)
        rel = Path(self.rel(path))
        sidecar = moved.with_name(moved.name + ".error.json") if moved else \
            self.inbox / FAILED / rel.parent / f"{rel.name}.error.json"
        report = {"file": rel.as_posix(), "path": str(path), "moved_to": str(moved) if moved else None,
                  "reason": failure_reason(kind, self.lang), "cause": cause, "stage": stage, "time": _now(),
                  "sha256": sha}
        try:
            write_atomic(sidecar, json.dumps(report, ensure_ascii=False, indent=2) + "\n")
        except OSError as exc:
            self.say("cannot_write", path=shown(sidecar), cause=exc.strerror or exc)
        if sha:
            self.ledger.record(sha, status="failed", error=cause, stage=stage, path=str(path), when=_now())
        self.counts.failed += 1
        self._log("failed", path, tasks=0, started=started, moved=moved, sha=sha, error=cause, stage=stage, kind=kind)
        return "failed"

    def _output_name(self, path: Path, sha: str, text: str) -> str:
        """The name ``extract`` would give the file (its folders in the inbox mirrored under DIR:
        ``a/x.pdf`` → ``a/x.json``), unless another content owns it; then the next of
        :func:`.inputs.unique_name` (``x.pdf.json``, ``x.2.pdf.json`` …) that is free.

        A file on disk the ledger does not know (an older ``extract`` run, or a crash between
        write and record) is only reused when it holds exactly these bytes.
        """
        rel = Path(self.rel(path)).with_suffix(".json")
        tried: set[Path] = set()
        while True:
            try:
                name = unique_name(rel, path, tried).as_posix()
            except RuntimeError:  # ten thousand versions of one name: name it after its content
                return (rel.parent / f"{path.stem}.{sha}.json").as_posix()
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

    def _finish(self, path: Path, folder: str, stamp: str, sha: str | None) -> Path | None:
        """Move the input out of the way, into the same place under done/ or failed/ (or, with
        --keep, remember it as handled)."""
        if self.keep:
            self.ledger.remember(str(path), stamp, sha)
            return None
        where = self.inbox / folder / Path(self.rel(path)).parent
        try:
            dest = move_no_clobber(path, where, sidecar=folder == FAILED)
        except OSError as exc:
            # Remember it so that it is not handled again in a loop; a change to it re-arms it.
            self.say("cannot_move", file=shown(self.rel(path)), folder=folder, cause=exc.strerror or exc)
            self.ledger.remember(str(path), stamp, sha)
            return None
        self.ledger.forget(str(path))
        return dest

    def _record_summary(self, output: str | None) -> tuple[str | None, tuple[str, ...]]:
        """Earliest deadline and warning codes of a record already written (for a duplicate)."""
        try:
            data = json.loads((self.out / (output or "")).read_text(encoding="utf-8"))
            dates = [d["date"] for t in data["tasks"] for d in t["deadlines"] if d.get("date")]
            return (min(dates) if dates else None), tuple(w["code"] for w in data["warnings"])
        except (OSError, ValueError, KeyError, TypeError):
            return None, ()

    def _working(self, path: Path, seconds: float) -> None:
        if self.json_log:
            line = json.dumps({"time": _now(), "file": self.rel(path), "status": "working",
                               "seconds": round(seconds, 1)}, ensure_ascii=False)
        else:
            line = (f"{datetime.now():%Y-%m-%d %H:%M:%S}  "
                    f"{say('still_working', self.lang, file=shown(self.rel(path)), seconds=f'{seconds:.0f}')}")
        self._print(line, self.stdout)

    def _log(self, status: str, path: Path, *, tasks: int, started: float, output: str | None = None,
             moved: Path | None = None, sha: str | None = None, error: str | None = None,
             stage: str | None = None, same_as: str | None = None, kind: str | None = None,
             deadline: str | None = None, warnings: tuple[str, ...] = ()) -> None:
        """One line per file on stdout — what was found or why it failed, in the clerk's
        language — or one JSON object with --json-log."""
        ms = (time.perf_counter() - started) * 1000
        moved_to = moved.relative_to(self.inbox).as_posix() if moved else None
        reason = failure_reason(kind, self.lang) if status == "failed" and kind else None
        if self.json_log:
            entry = {"time": _now(), "file": self.rel(path), "status": status, "tasks": tasks,
                     "deadline": deadline, "warnings": len(warnings), "first_warning": warnings[0] if warnings else None,
                     "ms": round(ms, 1), "output": output, "moved_to": moved_to, "sha256": sha, "reason": reason,
                     "error": error, "stage": stage, "same_as": same_as}
            self._print(json.dumps(entry, ensure_ascii=False), self.stdout)
            return
        lang = self.lang
        if status == "failed":
            detail = f"{reason}: {error} [{stage}]"
            if moved_to:
                detail += " " + say("output", lang, output=shown(moved_to))
        else:
            found = ", ".join((tasks_found(tasks, lang), deadline_found(deadline, lang), warnings_found(warnings, lang)))
            if status == "duplicate":
                found = say("same_as", lang, file=shown(same_as or "?")) + "; " + found
            detail = f"{found} {say('output', lang, output=output)}"
        line = (f"{datetime.now():%Y-%m-%d %H:%M:%S}  {say(f'status.{status}', lang):<10} "
                f"{shown(self.rel(path))}  {detail}  ({ms:.0f} ms)")
        self._print(line, self.stdout)


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
            os.link(src, dest, follow_symlinks=False)  # a link is moved as the link, never as its target
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
          stdout: TextIO | None = None, stderr: TextIO | None = None, started: threading.Event | None = None,
          lang: str = DEFAULT_LANGUAGE, progress_every: float = PROGRESS_SECONDS, db: str | None = None) -> int:
    """Run the inbox until ``stop`` is set (or, with ``once``, until the inbox is drained).

    Importable so tests and embedding code can run it in a thread; signals are the caller's
    business (see :func:`run`). ``started`` is set once events are live and the startup scan
    is queued. Returns 1 when ``once`` saw a failure, else 0.
    """
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    with OutputLock(out, "watch"):  # FolderBusy when another run writes ``out``
        inbox = inbox.resolve()
        filer = Filer(db) if db else None  # RegisterError when it cannot be opened
        watcher = Watcher(inbox, out, keep=keep, json_log=json_log, stdout=stdout, stderr=stderr,
                          young=0 if once else retry,  # --once (cron) does not wait to retry unreadable files
                          budget=budget, lang=lang, progress_every=progress_every, filer=filer)
        try:
            return _watch_locked(watcher, settle=settle, poll=poll, once=once, stop=stop or threading.Event(),
                                 on_watcher=on_watcher, started=started)
        finally:
            watcher.close()
            if filer is not None:
                filer.close()


def _watch_locked(watcher: Watcher, *, settle: float, poll: float | None, once: bool, stop: threading.Event,
                  on_watcher: Callable[[Watcher], None] | None, started: threading.Event | None) -> int:
    inbox = watcher.inbox
    events: queue.SimpleQueue[tuple[Path, bool, bool]] = queue.SimpleQueue()
    if on_watcher is not None:
        on_watcher(watcher)
    if watcher.budget:
        warm()  # word lists load before the first budget starts
    settler = Settler(settle, poll=poll is not None or once)
    observer = None
    if not once and poll is None:
        try:
            observer = start_observer(inbox, watcher.out_resolved, events)
        except OSError as exc:  # e.g. the inotify watch limit: scanning still works
            poll = 2.0
            settler.poll = True
            watcher.say("events_unavailable", cause=exc, seconds=f"{poll:g}")
    mode = say("mode.once", watcher.lang) if once else (
        say("mode.poll", watcher.lang, seconds=f"{poll:g}") if poll else say("mode.events", watcher.lang))
    watcher.say("started", inbox=inbox, out=watcher.out, mode=mode, settle=f"{settle:g}",
                keep=say("keep", watcher.lang) if watcher.keep else "")
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
                    if item[1] and _is_folder(item[0]):  # a folder moved or created in: what is in it
                        for path in watcher.candidates(item[0]):
                            settler.note(path)
                    elif not settler.note(*item):
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
                    watcher.say("stopped_during", file=shown(watcher.rel(path)))
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
    c = watcher.counts
    watcher.say("stopped", ok=c.ok, duplicate=c.duplicate, failed=c.failed)
    return 1 if once and c.failed else 0


def _seconds(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError("must be a positive number of seconds")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inbox", help="folder to watch, with its subfolders (done/ and failed/ are created inside)")
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
    parser.add_argument("--db", "--register", metavar="PATH_OR_URL",
                        help="the register every record is filed into (default: OUT/register.db; postgresql://… to share)")
    parser.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE,
                        help="language of the log lines: en (default) or vi (tiếng Việt)")
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
        print(say("signal", args.lang, signal=signal.Signals(signum).name), file=sys.stderr, flush=True)
        stop.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)  # a second Ctrl-C interrupts at once
        if current and current[0].busy:
            raise StopRequested  # abandon the document in hand: it is read again on the next start

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        return watch(inbox, Path(args.out), settle=args.settle, poll=args.poll, keep=args.keep, once=args.once,
                     json_log=args.json_log, stop=stop, retry=args.retry, budget=args.budget or None,
                     on_watcher=current.append, lang=args.lang, db=args.db or str(Path(args.out) / "register.db"))
    except (FolderBusy, RegisterError) as exc:
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
