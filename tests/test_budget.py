"""A time budget per document: one slow document fails cleanly and the rest go on; a watcher
stops within a moment even in the middle of a document (issue: nothing lost, nothing stuck)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from .conftest import CORPUS, ROOT

TXT = CORPUS / "txt" / "bac-son-tb-cchc-2023.txt"


def slow_notice(path: Path, megabytes: float = 4.0) -> Path:
    """A real letterhead over megabytes of run-on items: seconds of honest work."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_linear import notice

    path.write_text(notice(megabytes), encoding="utf-8")
    return path


def cli(*args: str, timeout: float = 120) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "extractor", *args], capture_output=True, text=True, cwd=ROOT,
                            timeout=timeout)
    return result, time.monotonic() - started


def test_extract_stops_a_document_at_its_budget_and_goes_on(tmp_path: Path) -> None:
    slow = slow_notice(tmp_path / "slow.txt")
    result, seconds = cli("extract", str(slow), str(TXT), "--out", str(tmp_path / "out"), "--budget", "0.5")
    assert result.returncode == 1
    assert f"error: {slow}: stopped after its time budget of 0.5 s (--budget) [budget]" in result.stderr
    assert (tmp_path / "out" / "bac-son-tb-cchc-2023.json").is_file() and not (tmp_path / "out" / "slow.json").exists()
    assert seconds < 15  # the slow one alone takes several seconds more than its budget on any machine


def test_batch_reports_the_document_over_budget_and_writes_the_rest(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    slow_notice(archive / "slow.txt")
    (archive / "seed.txt").write_bytes(TXT.read_bytes())
    result, _ = cli("batch", str(archive), "--out", str(tmp_path / "out"), "--budget", "0.5", "--jobs", "1")
    assert result.returncode == 1
    failures = [json.loads(line) for line in (tmp_path / "out" / "failures.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(Path(f["path"]).name, f["stage"]) for f in failures] == [("slow.txt", "budget")]
    assert (tmp_path / "out" / "seed.json").is_file()


def test_watch_fails_a_document_over_budget_and_remembers_it(tmp_path: Path) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    slow = slow_notice(tmp_path / "slow.txt")
    proc = subprocess.Popen([sys.executable, "-m", "extractor", "watch", str(inbox), "--out", str(out), "--json-log",
                             "--budget", "0.5", "--settle", "0.1"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1.5)  # started and warm
        slow.rename(inbox / "slow.txt")
        logs = [json.loads(proc.stdout.readline())]  # type: ignore[union-attr]
        assert (logs[0]["status"], logs[0]["stage"]) == ("failed", "budget")
        # The same content again under another name: remembered, not run for another budget.
        (inbox / "again.txt").write_bytes((inbox / "failed" / "slow.txt").read_bytes())
        logs.append(json.loads(proc.stdout.readline()))  # type: ignore[union-attr]
        assert (logs[1]["status"], logs[1]["stage"]) == ("failed", "budget") and logs[1]["ms"] < 400
    finally:
        proc.kill()
        proc.wait()
    assert [e["file"] for e in logs] == ["slow.txt", "again.txt"]


def test_sigterm_in_the_middle_of_a_document_stops_the_watcher_within_two_seconds(tmp_path: Path) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "extractor", "watch", str(inbox), "--out", str(out), "--json-log",
                             "--budget", "0", "--settle", "0.1"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1.5)  # started and warm
        slow_notice(tmp_path / "slow.txt", 8.0).rename(inbox / "slow.txt")  # several seconds of work
        time.sleep(1.0)  # it is now reading it
        proc.send_signal(signal.SIGTERM)
        sent = time.monotonic()
        code = proc.wait(timeout=20)
        waited = time.monotonic() - sent
    finally:
        proc.kill()
        proc.wait()
    assert waited < 2.0 and code == 0
    assert (inbox / "slow.txt").exists() and not list(out.glob("*.json"))  # left for the next run
    assert "stays in the inbox" in proc.stderr.read()  # type: ignore[union-attr]
