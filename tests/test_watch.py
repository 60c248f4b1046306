"""The watched inbox: real filesystem events in temporary folders, bounded waits throughout."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest

from extractor.runners.ledger import LEDGER_NAME
from extractor.runners.watch import is_candidate, watch
from extractor.validate import validate_document

from .conftest import CORPUS, ROOT

TXT = CORPUS / "txt" / "bac-son-tb-cchc-2023.txt"
PDF = CORPUS / "rendered" / "pdf" / "laocai-cv-2496-ubnd-kt-giao-sct-gp-van-chuyen-hhnh.pdf"
SETTLE = 0.15
TIMEOUT = 10.0


def wait_for(predicate: Callable[[], object], timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the watcher")
        time.sleep(0.02)


class Run:
    """A watcher running in a thread, with its JSON log lines at hand."""

    def __init__(self, inbox: Path, out: Path) -> None:
        self.inbox, self.out = inbox, out
        self.stdout, self.stderr = io.StringIO(), io.StringIO()
        self.stop, self.started = threading.Event(), threading.Event()
        self.code: int | None = None

    def logs(self) -> list[dict]:
        return [json.loads(line) for line in self.stdout.getvalue().splitlines()]

    def wait_logs(self, n: int, timeout: float = TIMEOUT) -> list[dict]:
        wait_for(lambda: len(self.logs()) >= n, timeout)
        return self.logs()


@contextmanager
def running(tmp_path: Path, **options: object) -> Iterator[Run]:
    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir(exist_ok=True)
    run = Run(inbox, out)

    options = {"settle": SETTLE, "json_log": True, **options}

    def target() -> None:
        run.code = watch(inbox, out, stop=run.stop, stdout=run.stdout, stderr=run.stderr, started=run.started,
                         **options)  # type: ignore[arg-type]

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    assert run.started.wait(TIMEOUT), run.stderr.getvalue()
    try:
        yield run
    finally:
        run.stop.set()
        thread.join(TIMEOUT)
        assert not thread.is_alive(), "watcher did not stop"
    assert run.code == 0, run.stderr.getvalue()


def drop(source: Path, inbox: Path, name: str, data: bytes | None = None) -> Path:
    """Deliver a file the way a careful copier does: write beside the inbox, then rename in."""
    staging = inbox.parent / "staging"
    staging.mkdir(exist_ok=True)
    tmp = staging / name
    tmp.write_bytes(source.read_bytes() if data is None else data)
    os.replace(tmp, inbox / name)
    return inbox / name


def valid_record(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert validate_document(data) == []
    return data


def ledger_rows(out: Path) -> list[tuple]:
    with sqlite3.connect(out / LEDGER_NAME) as db:
        return db.execute("SELECT sha256, output, status FROM documents ORDER BY first_seen").fetchall()


def test_candidates_are_visible_finished_files_anywhere_but_done_failed_and_out(tmp_path: Path) -> None:
    inbox = tmp_path
    # Any name, supported or not: what the pipeline cannot read goes to failed/ with its reason.
    for name in ("a.pdf", "B.DOCX", "c.txt", "d.md", "x.xlsx", "x.zip", "x", "sub/a.pdf", "sub/deeper/x.exe", "sub"):
        assert is_candidate(inbox / name, inbox), name
    for name in (".hidden.txt", "~$x.docx", "x.pdf.part", "x.pdf.crdownload", "x.tmp", "x.docx.tmp", "Thumbs.db",
                 "sub/.hidden/a.pdf", "sub/x.pdf.part", "done/a.pdf", "failed/a.pdf", "failed/sub/a.pdf", "done"):
        assert not is_candidate(inbox / name, inbox), name
    assert not is_candidate(tmp_path.parent / "elsewhere.pdf", inbox)
    out = inbox / "records"  # an output folder inside the inbox: its JSON must never be taken for input
    assert not is_candidate(out / "a.json", inbox, out) and is_candidate(out / "a.json", inbox)


def test_dropped_files_become_valid_json_and_move_to_done(tmp_path: Path) -> None:
    with running(tmp_path) as run:
        shutil.copy(TXT, run.inbox / "seed.txt")  # plain copy: created, written, closed in place
        drop(PDF, run.inbox, "letter.pdf")  # atomic rename into the inbox
        logs = run.wait_logs(2)
        (run.inbox / "done" / "ignored.txt").write_bytes(TXT.read_bytes())  # done/ is not watched
        time.sleep(3 * SETTLE)
    assert sorted(e["file"] for e in logs) == ["letter.pdf", "seed.txt"]
    assert len(run.logs()) == 2
    for entry in logs:
        assert entry["status"] == "ok" and entry["tasks"] > 0 and entry["ms"] >= 0
        datetime.fromisoformat(entry["time"])
    assert valid_record(run.out / "seed.json")["tasks"] and valid_record(run.out / "letter.json")
    assert sorted(p.name for p in (run.inbox / "done").iterdir()) == ["ignored.txt", "letter.pdf", "seed.txt"]
    assert sorted(p.name for p in run.inbox.iterdir()) == ["done"]


def test_partial_write_is_read_only_once_complete(tmp_path: Path) -> None:
    data = PDF.read_bytes()
    settle = 0.5
    with running(tmp_path, settle=settle) as run:
        with (run.inbox / "slow.pdf").open("wb") as fh:
            fh.write(data[: len(data) // 2])
            fh.flush()
            time.sleep(0.1)  # well under the settle time; the writer still holds the file open
            fh.write(data[len(data) // 2:])
        logs = run.wait_logs(1)
        time.sleep(settle)
    assert [(e["file"], e["status"]) for e in run.logs()] == [("slow.pdf", "ok")]
    assert logs[0]["sha256"] == ledger_rows(run.out)[0][0]
    assert valid_record(run.out / "slow.json")["notice"]["source"]["pages"] >= 1
    assert not (run.inbox / "failed").exists()


def test_same_content_twice_is_extracted_once_and_new_content_again(tmp_path: Path) -> None:
    with running(tmp_path) as run:
        drop(TXT, run.inbox, "a.txt")
        run.wait_logs(1)
        drop(TXT, run.inbox, "b.txt")
        run.wait_logs(2)
        drop(TXT, run.inbox, "a.txt")  # same name, same content again: done/a.txt must survive
        run.wait_logs(3)
        drop(TXT, run.inbox, "a.txt", TXT.read_bytes() + "\nGhi chú thêm.\n".encode())  # changed content
        logs = run.wait_logs(4)
    assert [(e["file"], e["status"], e["output"]) for e in logs[:3]] == [
        ("a.txt", "ok", "a.json"), ("b.txt", "duplicate", "a.json"), ("a.txt", "duplicate", "a.json")]
    assert logs[1]["same_as"] == "a.txt" and logs[1]["tasks"] == logs[0]["tasks"]
    changed = logs[3]
    assert changed["status"] == "ok" and changed["output"] == "a.txt.json"  # as extract names a second a.txt
    assert sorted(p.name for p in run.out.glob("*.json")) == sorted(["a.json", changed["output"]])
    valid_record(run.out / changed["output"])
    assert sorted(p.name for p in (run.inbox / "done").iterdir()) == ["a.1.txt", "a.2.txt", "a.txt", "b.txt"]
    assert [row[2] for row in ledger_rows(run.out)] == ["ok", "ok"]


def test_corrupt_file_goes_to_failed_with_its_reason_and_the_watcher_carries_on(tmp_path: Path) -> None:
    broken = PDF.read_bytes()[:3000]
    with running(tmp_path, retry=0.5) as run:  # unreadable and unchanged for 0.5 s: given up
        drop(PDF, run.inbox, "broken.pdf", broken)
        first = run.wait_logs(1)[0]
        drop(PDF, run.inbox, "broken.pdf", broken[:2000])  # another broken one with the same name
        run.wait_logs(2)
        drop(TXT, run.inbox, "good.txt")
        logs = run.wait_logs(3)
    assert [e["status"] for e in logs] == ["failed", "failed", "ok"]
    assert first["error"] and first["stage"] and first["moved_to"] == "failed/broken.pdf"
    failed = run.inbox / "failed"
    assert sorted(p.name for p in failed.iterdir()) == [
        "broken.1.pdf", "broken.1.pdf.error.json", "broken.pdf", "broken.pdf.error.json"]
    report = json.loads((failed / "broken.pdf.error.json").read_text(encoding="utf-8"))
    assert report["cause"] == first["error"] and report["stage"] == first["stage"]
    assert report["sha256"] == first["sha256"] and datetime.fromisoformat(report["time"]).tzinfo is not None
    assert (failed / "broken.pdf").read_bytes() == broken
    valid_record(run.out / "good.json")
    assert not list(run.out.glob("broken*.json"))


def test_files_waiting_at_start_are_processed(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(TXT, inbox / "early.txt")
    with running(tmp_path) as run:
        drop(PDF, run.inbox, "late.pdf")
        logs = run.wait_logs(2)
    assert sorted((e["file"], e["status"]) for e in logs) == [("early.txt", "ok"), ("late.pdf", "ok")]


def cli(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "extractor", "watch", *args], capture_output=True, text=True,
                          timeout=60, cwd=ROOT, **kwargs)  # type: ignore[call-overload]


def test_once_processes_what_is_waiting_and_reports_failures(tmp_path: Path) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    shutil.copy(TXT, inbox / "a.txt")
    shutil.copy(PDF, inbox / "b.pdf")
    (inbox / "c.pdf").write_bytes(b"%PDF-1.7 truncated")
    first = cli(str(inbox), "--out", str(out), "--once", "--settle", "0.1")
    assert first.returncode == 1, first.stderr
    lines = first.stdout.splitlines()
    assert len(lines) == 3 and sum(" ok " in line for line in lines) == 2 and " failed " in lines[2]
    assert "a.txt  27 tasks, earliest deadline " in lines[0] and lines[0].endswith(" ms)")
    assert "c.pdf  the file cannot be read: " in lines[2] and lines[2].endswith(" ms)") and "-> failed/c.pdf" in lines[2]
    shutil.copy(TXT, inbox / "again.txt")  # a later cron run: only the new file, a duplicate
    second = cli(str(inbox), "--out", str(out), "--once", "--settle", "0.1", "--json-log")
    assert second.returncode == 0, second.stderr
    assert [json.loads(line)["status"] for line in second.stdout.splitlines()] == ["duplicate"]
    assert sorted(p.name for p in out.glob("*.json")) == ["a.json", "b.json"]


def test_poll_mode_picks_up_new_files(tmp_path: Path) -> None:
    with running(tmp_path, poll=0.1) as run:
        drop(TXT, run.inbox, "polled.txt")
        shutil.copy(PDF, run.inbox / "copied.pdf")
        logs = run.wait_logs(2)
    assert "polling every 0.1 s" in run.stderr.getvalue()
    assert sorted((e["file"], e["status"]) for e in logs) == [("copied.pdf", "ok"), ("polled.txt", "ok")]
    valid_record(run.out / "polled.json")


def test_keep_leaves_inputs_and_never_reprocesses_them(tmp_path: Path) -> None:
    with running(tmp_path, keep=True, retry=0.5) as run:
        drop(TXT, run.inbox, "kept.txt")
        drop(PDF, run.inbox, "broken.pdf", b"%PDF-1.7 truncated")
        run.wait_logs(2)
        time.sleep(3 * SETTLE)
    assert sorted(e["status"] for e in run.logs()) == ["failed", "ok"]
    assert sorted(p.name for p in run.inbox.iterdir()) == ["broken.pdf", "failed", "kept.txt"]
    assert (run.inbox / "failed" / "broken.pdf.error.json").exists()
    with running(tmp_path, keep=True) as again:  # a restart sees both again and does nothing
        time.sleep(3 * SETTLE)
    assert again.logs() == []
    assert watch(again.inbox, again.out, keep=True, once=True, settle=SETTLE, stdout=io.StringIO(),
                 stderr=io.StringIO()) == 0


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigterm_finishes_and_exits_zero(tmp_path: Path) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "extractor", "watch", str(inbox), "--out", str(out),
                             "--settle", "0.1", "--json-log"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None and proc.stdout is not None
        assert "watch:" in proc.stderr.readline()  # events are live once this is printed
        drop(TXT, inbox, "signal.txt")
        entry = json.loads(proc.stdout.readline())
        assert entry["status"] == "ok" and (out / "signal.json").exists()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=TIMEOUT) == 0
        assert "stopped (1 ok" in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


# --------------------------------------------------------------------------- writers that pause

DOCX = CORPUS / "rendered" / "docx" / "laocai-cv-2496-ubnd-kt-giao-sct-gp-van-chuyen-hhnh.docx"
FORMATS = {"txt": TXT, "pdf": PDF, "docx": DOCX}


def slow_write(target: Path, data: bytes, pause: float, pieces: int = 2) -> None:
    """A scanner or a network copy: the file is written in place, with pauses, then closed."""
    step = len(data) // pieces + 1
    with target.open("wb") as fh:
        for k in range(0, len(data), step):
            fh.write(data[k:k + step])
            fh.flush()
            os.fsync(fh.fileno())
            if k + step < len(data):
                time.sleep(pause)


@pytest.mark.parametrize("mode", ["events", "poll"])
@pytest.mark.parametrize(("fmt", "pause"), [("txt", 0.6), ("txt", 5.0), ("pdf", 0.6), ("pdf", 2.5), ("docx", 0.6),
                                            ("docx", 2.5)])
def test_a_writer_that_pauses_longer_than_the_settle_time_loses_nothing(tmp_path: Path, fmt: str, pause: float,
                                                                         mode: str) -> None:
    """Paused 0.5-5 s mid-file (the settle time is 0.15 s): never read half-written, never failed,
    one record of the whole file."""
    source = FORMATS[fmt]
    options = {"poll": 0.1} if mode == "poll" else {}
    with running(tmp_path, **options) as run:
        slow_write(run.inbox / f"scan.{fmt}", source.read_bytes(), pause)
        logs = run.wait_logs(1, timeout=TIMEOUT + pause)
        time.sleep(0.5)
    assert [(e["file"], e["status"]) for e in run.logs()] == [(f"scan.{fmt}", "ok")], run.stderr.getvalue()
    record = json.loads((run.out / "scan.json").read_text(encoding="utf-8"))
    assert record["notice"]["source"]["sha256"] == logs[0]["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    assert not (run.inbox / "failed").exists() and (run.inbox / "done" / f"scan.{fmt}").read_bytes() == source.read_bytes()


def test_a_file_appended_after_it_failed_is_read_again_whole(tmp_path: Path) -> None:
    """The first half is closed and fails as truncated; the writer comes back and appends the
    rest: one record, no file in failed/, no second broken file."""
    data = PDF.read_bytes()
    with running(tmp_path, poll=0.1) as run:
        target = run.inbox / "scan.pdf"
        target.write_bytes(data[: len(data) // 2])
        time.sleep(0.8)  # read, failed as truncated, kept for a retry
        with target.open("ab") as fh:
            fh.write(data[len(data) // 2:])
        logs = run.wait_logs(1)
        time.sleep(0.5)
    assert [(e["file"], e["status"]) for e in run.logs()] == [("scan.pdf", "ok")]
    assert logs[0]["sha256"] == hashlib.sha256(data).hexdigest()
    assert not (run.inbox / "failed").exists()
