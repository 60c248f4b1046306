"""The analyst's archive: ``notice-extractor batch ARCHIVE... --out DIR`` (issue 3).

Folders are walked as ``extract`` walks them (same suffixes, same mirrored output names); every
file goes through :func:`process_file` in a pool of worker processes (``--engine local``) or on
a Dask cluster (``--engine dask --scheduler ADDRESS``). Only this process writes: each record
is written atomically under its name in DIR as soon as it arrives, then a line is appended (and
fsync'd) to the journal ``DIR/.batch-journal.jsonl``. Nothing else is kept per document but a
short journal entry, so memory stays flat over any archive.

The tables (``tasks.jsonl``, ``tasks.csv``, ``tasks.xlsx``, ``failures.jsonl``; see :mod:`.sheets`)
are assembled by re-reading the records from DIR in input order (sorted paths), never completion
order: a frontier follows the first input whose outcome is still unknown, so this work overlaps
the extraction, and the files are renamed into place at the end, then ``summary.json`` is
written. Outputs are the same from run to run, engine to engine, interrupted or not;
``wall_time_seconds`` and ``documents_per_second`` (files extracted by this invocation per
second) in summary.json are the only figures that change.

Resuming: a run killed at any moment (SIGKILL included) continues with ``--resume``. A file is
skipped when the journal holds a success for its output name from the same path and the same
content (sha256 of the input now), and that output exists; anything else (never reached, failed,
changed since) is extracted again. A torn last journal line is ignored. Without ``--resume`` a
DIR that holds a journal is refused (exit 2) rather than mixed with a new run. The journal is
kept after the run: ``--resume`` later on a grown archive extracts only what is new or changed.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import json
import multiprocessing
import os
import signal
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..parsers import SUPPORTED_SUFFIXES
from ..write import FILE_MODE, write_atomic
from .budget import DEFAULT_BUDGET, process_within, process_within_or_exit
from .common import DocumentResult, content_hash, shown, warm
from .filing import Filer, RegisterError
from .inputs import Skipped, plan_inputs, unique_name
from .lock import FolderBusy, OutputLock
from .sheets import Tables

JOURNAL_NAME = ".batch-journal.jsonl"
INPUTS_NAME = ".batch-inputs.json"  # what this folder's run reads: --resume must name the same
SUMMARY_NAME = "summary.json"
WORKER_DIED = "the worker process died while extracting this file (crash, out of memory, or stuck past its time budget)"


class UsageError(Exception):
    """A problem with how batch was called or where it was pointed: exit status 2."""


@dataclass(frozen=True, slots=True)
class Item:
    source: Path
    out: str  # output name relative to DIR, POSIX separators


@dataclass(frozen=True, slots=True)
class Entry:
    """One journal line: the outcome for one output name."""

    out: str
    path: str
    sha256: str | None
    ok: bool
    tasks: int = 0
    error: str | None = None
    stage: str | None = None

    def line(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- inputs


def plan(paths: list[str]) -> tuple[list[Item], list[Skipped]]:
    """Inputs in order, with the names ``extract`` would give them; ``summary.json`` is reserved."""
    planned = plan_inputs(paths)
    used = {Path(SUMMARY_NAME)}
    return [Item(source, unique_name(rel, source, used).as_posix()) for source, rel in planned.inputs], planned.skipped


# --------------------------------------------------------------------------- journal


def load_journal(path: Path) -> dict[str, Entry]:
    """The last entry per output name; unreadable lines (a torn last line) are skipped."""
    entries: dict[str, Entry] = {}
    try:
        fh = path.open(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return entries
    with fh:
        for line in fh:
            try:
                entry = Entry(**json.loads(line))
            except (ValueError, TypeError):
                continue
            entries[entry.out] = entry
    return entries


class Journal:
    """Append-only, one fsync per line: what is in it survives any crash."""

    def __init__(self, path: Path, entries: Iterable[Entry]) -> None:
        """Start from ``entries`` (compacted, atomically replacing any previous journal)."""
        self.path = path
        self.rewrite(entries)
        self._fh = path.open("a", encoding="utf-8", newline="\n")

    def rewrite(self, entries: Iterable[Entry]) -> None:
        """Streamed to a temporary file, fsync'd, renamed over the journal."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        try:
            os.fchmod(fd, FILE_MODE)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                for entry in entries:
                    fh.write(entry.line())
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def append(self, entry: Entry) -> None:
        self._fh.write(entry.line())
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        self._fh.close()


def _remove_temporaries(out_dir: Path) -> None:
    """Hidden ``.NAME.XXXX.tmp`` files that a killed run's atomic writes left behind."""
    for tmp in out_dir.rglob(".*.tmp"):
        if tmp.is_file():
            tmp.unlink(missing_ok=True)


# --------------------------------------------------------------------------- workers

def _exit_with_parent(parent: int) -> None:
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:  # the batch process is gone (even SIGKILL): do not linger
            os._exit(0)


def _init_worker(parent: int) -> None:
    """``parent`` is the batch process's pid, passed in: if it died while this worker was still
    starting, getppid() already names another process, and the worker must not wait forever."""
    if os.getppid() != parent:
        os._exit(0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    warm()


def _died(item: Item) -> DocumentResult:
    return DocumentResult(path=str(item.source), sha256=content_hash(item.source), error=WORKER_DIED, stage="internal")


def run_local(todo: list[Item], jobs: int, handle: Callable[[Item, DocumentResult], None], *,
              extract: Callable[[str], DocumentResult] = process_within_or_exit) -> None:
    """A process pool; a bounded number of files in flight. When a worker dies (segfault, OOM
    killer), the pool breaks: the files it held are retried one at a time in a fresh pool, so
    that only the file that kills a worker again is reported, and the rest carry on.
    ``extract`` is :func:`.budget.process_within_or_exit` with the run's budget (tests pass a
    stand-in; it must be importable)."""
    context = multiprocessing.get_context("spawn")  # clean workers, no inherited threads or locks
    pending = deque(todo)
    suspects: deque[Item] = deque()

    def new_pool(workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(os.getpid(),))

    while pending or suspects:
        if suspects:
            with new_pool(1) as pool:
                while suspects:
                    item = suspects.popleft()
                    try:
                        result = pool.submit(extract, str(item.source)).result()
                    except BrokenProcessPool:
                        handle(item, _died(item))
                        break  # this pool is broken; the next suspect gets a fresh one
                    handle(item, result)
            continue
        window = 2 * jobs + 2
        pool = new_pool(min(jobs, len(pending)))
        in_flight: dict[Future[DocumentResult], Item] = {}
        try:
            while pending or in_flight:
                while pending and len(in_flight) < window:
                    item = pending.popleft()
                    in_flight[pool.submit(extract, str(item.source))] = item
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    item = in_flight.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        suspects.append(item)
                        continue
                    except Exception as exc:  # e.g. a result that cannot be sent back
                        result = DocumentResult(path=str(item.source), sha256=content_hash(item.source),
                                                error=f"internal error ({type(exc).__name__}: {exc})", stage="internal")
                    handle(item, result)
                if suspects:
                    suspects.extend(in_flight.values())
                    in_flight.clear()
                    break
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def connect(address: str) -> Any:
    """A Dask client for ``address``; UsageError when dask is missing or the scheduler is not there."""
    try:
        from dask.distributed import Client
    except ImportError:
        raise UsageError("the dask engine needs dask.distributed: pip install 'notice-extractor[cluster]'") from None
    try:
        client = Client(address, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address} ({exc})") from None
    try:
        client.run(warm)
    except ImportError as exc:
        client.close()
        raise UsageError(f"the Dask workers cannot import the extractor ({exc}); install notice-extractor on them") from None
    except Exception:  # no workers yet, or one refused: they warm up on their first file instead
        pass
    return client


def run_dask(client: Any, todo: list[Item], handle: Callable[[Item, DocumentResult], None], budget: float | None = None) -> None:
    """The same process_file on the cluster, a bounded number in flight; this process writes."""
    from dask.distributed import as_completed

    window = max(4, 2 * sum(client.nthreads().values()) + 2)
    waiting = iter(todo)
    items: dict[str, Item] = {}

    def submit(batch: list[Item]) -> list[Any]:
        futures = client.map(process_within, [str(i.source) for i in batch], seconds=budget, pure=False)
        items.update((f.key, i) for f, i in zip(futures, batch, strict=True))
        return futures

    first = [item for _, item in zip(range(window), waiting, strict=False)]
    completed = as_completed(submit(first), loop=client.loop)
    for future in completed:
        item = items.pop(future.key)
        try:
            result = future.result()
        except Exception as exc:  # KilledWorker: the file took down every worker it was tried on
            result = DocumentResult(path=str(item.source), sha256=content_hash(item.source),
                                    error=f"{WORKER_DIED}: {type(exc).__name__}: {exc}", stage="internal")
        future.release()
        handle(item, result)
        following = next(waiting, None)
        if following is not None:
            completed.update(submit([following]))


# --------------------------------------------------------------------------- the run


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def iso_day(text: str) -> dt.date:
    """An argparse type: a date written YYYY-MM-DD (`--today` of batch and serve)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="ARCHIVE",
                        help=f"files ({', '.join(sorted(SUPPORTED_SUFFIXES))}) or folders (searched recursively)")
    parser.add_argument("--out", "-o", required=True, metavar="DIR",
                        help="folder for the records, the journal, tasks.jsonl/csv/xlsx, failures.jsonl, summary.json")
    parser.add_argument("--jobs", "-j", type=_jobs, default=None, metavar="N",
                        help=f"worker processes for the local engine (default: the CPUs available, here {default_jobs()})")
    parser.add_argument("--resume", action="store_true",
                        help="continue or update the run in DIR: skip files whose record is done and unchanged")
    parser.add_argument("--budget", type=float, default=DEFAULT_BUDGET, metavar="SECONDS",
                        help=f"time allowed per document; past it the document fails and the run goes on "
                             f"(default {DEFAULT_BUDGET:g}; 0: no limit; not enforced on Dask workers)")
    parser.add_argument("--db", "--register", metavar="PATH_OR_URL",
                        help="also file every record into this register, in input order: an SQLite file or "
                             "postgresql://… (a run cut short files the rest on --resume)")
    parser.add_argument("--today", type=iso_day, default=None, metavar="YYYY-MM-DD",
                        help="the day Trạng thái in tasks.xlsx/csv is judged on: a task whose earliest deadline is "
                             "before it is 'Quá hạn' (default: today's date)")
    parser.add_argument("--engine", choices=("local", "dask"), default=None,
                        help="local process pool (default) or a Dask cluster (needs --scheduler)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (implies --engine dask); the workers need "
                             "notice-extractor installed and must see the input paths (shared storage, absolute paths)")


def _entry(item: Item, result: DocumentResult) -> Entry:
    if result.ok:
        return Entry(item.out, str(item.source), result.sha256, True, result.tasks)
    return Entry(item.out, str(item.source), result.sha256, False, 0, result.error, result.stage)


def _finished(item: Item, entry: Entry | None, out_dir: Path) -> bool:
    return (entry is not None and entry.ok and entry.path == str(item.source) and (out_dir / item.out).is_file()
            and content_hash(item.source) == entry.sha256)


def _left_out(inputs_path: Path, given: list[str]) -> str | None:
    """An input of the run in ``inputs_path`` that ``given`` neither names nor holds in a folder."""
    try:
        before = json.loads(inputs_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return str(inputs_path)
    return next((p for p in before if not any(Path(p).is_relative_to(g) for g in given)), None)


def _renamed(items: list[Item], entries: dict[str, Entry], previous: dict[str, Entry], out_dir: Path) -> dict[str, Entry]:
    """Inputs done by the previous run under another output name: a folder added to the command
    moves every name under the folders' common parent ("x.json" becomes "txt/x.json"). Their
    records are moved to the new names (through temporary names: an old name may be a new
    one) and they count as done; the journal follows."""
    done = {(str(Path(e.path).resolve()), e.sha256): e for e in previous.values() if e.ok}
    moves: list[tuple[Entry, Item]] = []
    for item in items:
        if item.out in entries:
            continue
        entry = done.get((str(item.source.resolve()), content_hash(item.source)))
        if entry is not None and entry.out != item.out and (out_dir / entry.out).is_file():
            moves.append((entry, item))
    staged = []
    for n, (entry, item) in enumerate(moves):
        tmp = out_dir / f".{JOURNAL_NAME}.move-{n}.tmp"  # (a killed run leaves it to _remove_temporaries)
        os.replace(out_dir / entry.out, tmp)
        staged.append((tmp, entry, item))
    out: dict[str, Entry] = {}
    for tmp, entry, item in staged:
        (out_dir / item.out).parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, out_dir / item.out)
        out[item.out] = Entry(item.out, str(item.source), entry.sha256, True, entry.tasks)
    return out


class Assembler:
    """Feeds the tables in input order while the run goes on: a frontier follows the first
    input whose outcome is not known yet. Records are re-read from DIR (one in memory at a time),
    so the tables never depend on completion order, and the work overlaps the extraction."""

    def __init__(self, out_dir: Path, items: list[Item], entries: dict[str, Entry], today: dt.date | None = None,
                 filer: Filer | None = None) -> None:
        self.out_dir, self.items, self.entries, self.filer = out_dir, items, entries, filer
        self.tables = Tables(out_dir, today)
        self.frontier = 0

    def advance(self, limit: int | None = None) -> None:
        """Emit up to ``limit`` inputs whose outcome is known (all of them when None)."""
        stop = len(self.items) if limit is None else min(len(self.items), self.frontier + limit)
        while self.frontier < stop and self.items[self.frontier].out in self.entries:
            self._emit(self.items[self.frontier])
            self.frontier += 1

    def _emit(self, item: Item) -> None:
        entry = self.entries[item.out]
        if entry.ok:
            try:
                record = json.loads((self.out_dir / item.out).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                entry = Entry(item.out, entry.path, entry.sha256, False, 0,
                              f"cannot read back {self.out_dir / item.out} ({exc})", "write")
                self.entries[item.out] = entry
            else:
                self.tables.add_record(record)
                if self.filer is not None:
                    self.filer.file(record)  # (known files are not filed twice: --resume files the rest)
                return
        self.tables.add_failure(entry.path, entry.stage, entry.error)


def _progress(total: int, initial: int) -> Any:
    from tqdm import tqdm

    # disable=None: no bar when stderr is not a terminal (logs, CI, pipes).
    return tqdm(total=total, initial=initial, unit="doc", desc="batch", disable=None, file=sys.stderr,
                dynamic_ncols=True, smoothing=0.1)


def batch(paths: list[str], out_dir: Path, *, jobs: int, resume: bool = False, scheduler: str | None = None,
          budget: float | None = DEFAULT_BUDGET, today: dt.date | None = None, db: str | None = None) -> int:
    """The whole run; returns the exit status (UsageError for status 2)."""
    started = time.perf_counter()
    items, skipped_inputs = plan(paths)
    for skip in skipped_inputs:
        print(f"skipped: {shown(skip.path)}: {skip.reason}", file=sys.stderr)
    if not items:
        raise UsageError("no input files found")
    try:
        with OutputLock(out_dir, "batch"):
            filer = Filer(db) if db else None
            try:
                return _locked_batch(items, paths, out_dir, started, jobs=jobs, resume=resume, scheduler=scheduler,
                                     budget=budget, today=today or dt.date.today(), filer=filer)
            finally:
                if filer is not None:
                    filer.close()
    except FolderBusy as exc:
        raise UsageError(str(exc)) from None


def _locked_batch(items: list[Item], paths: list[str], out_dir: Path, started: float, *, jobs: int, resume: bool,
                  scheduler: str | None, budget: float | None, today: dt.date, filer: Filer | None = None) -> int:
    """The run, while this process alone writes ``out_dir``."""
    journal_path = out_dir / JOURNAL_NAME
    inputs_path = out_dir / INPUTS_NAME
    given_paths = sorted(str(Path(p).resolve()) for p in paths)
    given = json.dumps(given_paths, ensure_ascii=False, indent=1) + "\n"
    if resume and (left_out := _left_out(inputs_path, given_paths)):
        # Another archive's tables would replace these while its records stayed beside them.
        raise UsageError(f"{out_dir} holds a batch run of other inputs ({INPUTS_NAME}: {shown(left_out)} is not given); "
                         "--resume continues a run and may add inputs, not leave one out: choose another --out")
    if journal_path.exists() and not resume:
        raise UsageError(f"{out_dir} holds a batch run already ({JOURNAL_NAME}); pass --resume to continue or "
                         "update it, or choose another --out")
    client = connect(scheduler) if scheduler else None
    try:
        previous = load_journal(journal_path) if resume else {}
        if resume and journal_path.exists():
            _remove_temporaries(out_dir)
        entries = {i.out: previous[i.out] for i in items if _finished(i, previous.get(i.out), out_dir)}
        entries.update(_renamed(items, entries, previous, out_dir))
        del previous
        todo = [i for i in items if i.out not in entries]
        out_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(inputs_path, given)
        journal = Journal(journal_path, (entries[i.out] for i in items if i.out in entries))
        assembler = Assembler(out_dir, items, entries, today, filer)
        bar = _progress(len(items), len(entries))
        skipped = len(entries)

        def handle(item: Item, result: DocumentResult) -> None:
            if result.ok:
                assert result.json is not None
                try:
                    write_atomic(out_dir / item.out, result.json)
                except OSError as exc:
                    result = DocumentResult(path=result.path, sha256=result.sha256, stage="write",
                                            error=f"cannot write {out_dir / item.out} ({exc.strerror or exc})")
            entry = _entry(item, result)
            journal.append(entry)
            entries[item.out] = entry
            bar.update(1)
            # A few rows at a time: the workers are never kept waiting for a long catch-up.
            assembler.advance(limit=16)

        try:
            if client is not None:
                run_dask(client, todo, handle, budget)
            elif todo:
                run_local(todo, jobs, handle, extract=functools.partial(process_within_or_exit, seconds=budget))
            bar.close()
            assembler.advance()
            assert assembler.frontier == len(items)
            journal.close()
            # Compact the journal into input order (drops superseded lines and files no longer given).
            Journal(journal_path, (entries[i.out] for i in items)).close()
            assembler.tables.commit()
        except BaseException:
            bar.close()
            assembler.tables.discard()
            with contextlib.suppress(OSError):  # the full disk that ended the run fails this flush too
                journal.close()  # (what was fsync'd stays)
            raise
    finally:
        if client is not None:
            client.close()
    tables = assembler.tables
    wall = time.perf_counter() - started
    summary = {**tables.counts(), "wall_time_seconds": round(wall, 3),
               "documents_per_second": round(len(todo) / wall, 3) if wall > 0 else 0.0}
    write_atomic(out_dir / SUMMARY_NAME, json.dumps(summary, ensure_ascii=False, indent=2) + "\n")

    print(f"batch: {tables.documents} documents ({len(todo)} extracted, {skipped} already done), "
          f"{tables.succeeded} succeeded, {tables.failed} failed; {tables.notices} notices "
          f"({tables.merged} copies or other formats of one merged), {tables.tasks} tasks; "
          f"{wall:.1f} s -> {out_dir}", file=sys.stderr)
    for item in items:
        entry = entries[item.out]
        if not entry.ok:
            print(f"error: {shown(entry.path)}: {entry.error} [{entry.stage}]", file=sys.stderr)
    if tables.failed:
        print(f"{tables.failed} of {tables.documents} file(s) failed", file=sys.stderr)
    return 1 if tables.failed else 0


def run(args: argparse.Namespace) -> int:
    engine = args.engine or ("dask" if args.scheduler else "local")
    try:
        if engine == "dask" and not args.scheduler:
            raise UsageError("--engine dask needs --scheduler ADDRESS (a running dask scheduler)")
        if engine == "local" and args.scheduler:
            raise UsageError("--scheduler is for --engine dask")
        return batch(args.paths, Path(args.out), jobs=args.jobs or default_jobs(), resume=args.resume,
                     scheduler=args.scheduler if engine == "dask" else None, budget=args.budget, today=args.today,
                     db=args.db)
    except RegisterError as exc:
        print(f"notice-extractor batch: {exc}; run again with --resume once fixed", file=sys.stderr)
        return 2
    except UsageError as exc:
        print(f"notice-extractor batch: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # DIR not writable, disk full: the journal keeps what was done
        where = shown(exc.filename or args.out)
        print(f"notice-extractor batch: cannot write {where} ({exc.strerror or exc}) [write]; "
              "run again with --resume once fixed", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("batch: interrupted; run again with --resume to continue", file=sys.stderr)
        raise
