"""A time budget per document, and a stop that does not wait for the current document.

One document must never hold a run hostage: a 2,000-page drawing sent to OCR, a pathological
text. Each document gets a budget (``--budget SECONDS``, default five minutes); past it, the
document fails with a clear cause and the run goes on. The budget is a real-time alarm
(SIGALRM) in the process that extracts: Python code is interrupted at once, a Tesseract or
LibreOffice child is killed by the ``subprocess`` call it runs under. Where no alarm can be set
(a thread other than the main one: a Dask worker, a test), the document runs without one;
``batch`` workers also have a hard stop (see :mod:`.batch`).

A stop request (SIGTERM, SIGINT) during a document abandons that document the same way, so a
watcher exits within a moment; the abandoned file is left where it was and read again later.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .common import DocumentResult, content_hash, process_file

DEFAULT_BUDGET = 300.0


class BudgetExceeded(BaseException):
    """Raised inside the extraction when its time is up (BaseException: no handler swallows it)."""


class StopRequested(BaseException):
    """Raised inside the extraction when the run was asked to stop."""


def alarms_available() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise :class:`BudgetExceeded` in this (main) thread after ``seconds``; no-op otherwise."""
    if not seconds or seconds <= 0 or not alarms_available():
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise BudgetExceeded

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def over_budget(path: str | Path, seconds: float, sha: str | None = None) -> DocumentResult:
    return DocumentResult(path=str(path), sha256=sha if sha is not None else content_hash(Path(path)),
                          error=f"stopped after its time budget of {seconds:g} s (--budget)", stage="budget",
                          milliseconds=seconds * 1000)


def process_within(path: str | Path, seconds: float | None = DEFAULT_BUDGET) -> DocumentResult:
    """:func:`process_file` with a time budget; never raises for the document's sake
    (:class:`StopRequested` still propagates: the caller asked for it)."""
    try:
        with time_budget(seconds):
            return process_file(path)
    except BudgetExceeded:
        return over_budget(path, seconds or 0.0)


HARD_GRACE = 30.0  # a batch worker still busy this long past the budget is ended outright
OVER_BUDGET_EXIT = 75  # exit status of a worker ended for it


def process_within_or_exit(path: str, seconds: float | None = DEFAULT_BUDGET) -> DocumentResult:
    """For a batch worker process: the budget, and should code that no alarm interrupts (a long
    C call) run on past it, the worker ends itself; the pool then reports the file alone."""
    if not seconds or seconds <= 0:
        return process_file(path)
    killer = threading.Timer(seconds + HARD_GRACE, os._exit, args=(OVER_BUDGET_EXIT,))
    killer.daemon = True
    killer.start()
    try:
        return process_within(path, seconds)
    finally:
        killer.cancel()
