"""Only regular files are read, links are not followed out of a folder, and every input gets
its own record: extract, batch and watch alike (issue: nothing lost, nothing stuck)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import CORPUS, ROOT
from .test_watch import running, wait_for

TXT = CORPUS / "txt" / "bac-son-tb-cchc-2023.txt"


def cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "extractor", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=timeout)


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """An archive with a document, a named pipe, a link inside and a link to a private file outside."""
    root = tmp_path / "archive"
    root.mkdir()
    (root / "real.txt").write_bytes(TXT.read_bytes())
    os.mkfifo(root / "pipe.txt")
    (root / "inside.txt").symlink_to("real.txt")
    private = tmp_path / "private"
    private.mkdir()
    secret = private / "secret.txt"
    secret.write_text(TXT.read_text(encoding="utf-8").replace("Bắc Sơn", "Bí Mật"), encoding="utf-8")
    secret.chmod(0o600)
    (root / "secret.txt").symlink_to(secret)
    return root


@pytest.mark.parametrize("command", ["extract", "batch"])
def test_pipes_are_skipped_and_links_not_followed_out_of_the_folder(archive: Path, tmp_path: Path, command: str) -> None:
    out = tmp_path / "out"
    result = cli(command, str(archive), "--out", str(out))  # a pipe opened for reading would hang: timeout fails
    assert result.returncode == 0, result.stderr
    assert f"skipped: {archive / 'pipe.txt'}: not a regular file (a named pipe); skipped" in result.stderr
    assert f"skipped: {archive / 'secret.txt'}: symbolic link to" in result.stderr
    assert sorted(p.name for p in out.glob("[!.]*.json") if p.name != "summary.json") == ["inside.json", "real.json"]
    assert not any("Bí Mật".encode() in p.read_bytes() for p in out.iterdir() if p.is_file())


def test_a_pipe_named_directly_is_an_error_not_a_hang(archive: Path, tmp_path: Path) -> None:
    result = cli("extract", str(archive / "pipe.txt"), "--out", str(tmp_path / "out"), timeout=30)
    assert result.returncode == 1
    assert f"error: {archive / 'pipe.txt'}: not a regular file (a named pipe) [parse]" in result.stderr


@pytest.mark.parametrize("command", ["extract", "batch"])
def test_three_inputs_with_one_name_get_three_records(tmp_path: Path, command: str) -> None:
    sources = []
    for folder in "abc":
        (tmp_path / folder).mkdir()
        source = tmp_path / folder / "x.txt"
        source.write_text(TXT.read_text(encoding="utf-8").replace("24 tháng 10", f"2{'abc'.index(folder)} tháng 10"),
                          encoding="utf-8")
        sources.append(source)
    out = tmp_path / "out"
    result = cli(command, *map(str, sources), "--out", str(out))
    assert result.returncode == 0, result.stderr
    records = {name: json.loads((out / name).read_text(encoding="utf-8")) for name in ("x.json", "x.txt.json", "x.2.txt.json")}
    assert sorted(r["notice"]["issued_date"] for r in records.values()) == ["2023-10-20", "2023-10-21", "2023-10-22"]
    if command == "batch":  # the tables name each record's source, once each
        rows = [json.loads(line) for line in (out / "tasks.jsonl").read_text(encoding="utf-8").splitlines()]
        assert sorted({r["source"] for r in rows}) == sorted(str(s) for s in sources)
        assert len(rows) == 3 * len(records["x.json"]["tasks"])
        assert {r["copy_of"] for r in rows} == {None}  # three dates: three notices, not copies


def test_a_name_with_a_newline_stays_on_one_error_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad\nname\x1b[31m.txt"
    bad.write_text("nothing of a notice here\n", encoding="utf-8")
    result = cli("extract", str(bad), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("error: ") and "bad\\nname\\x1b[31m.txt" in lines[0] and "\x1b" not in result.stderr


def test_inbox_links_go_to_failed_and_pipes_are_skipped(tmp_path: Path) -> None:
    private = tmp_path / "private.txt"
    private.write_bytes(TXT.read_bytes())
    private.chmod(0o600)
    with running(tmp_path) as run:
        os.mkfifo(run.inbox / "pipe.txt")
        (run.inbox / "link.txt").symlink_to(private)
        logs = run.wait_logs(1)
        assert logs[0]["status"] == "failed" and logs[0]["error"].startswith("symbolic link (to ")
        wait_for(lambda: "skipped pipe.txt: not a regular file (a named pipe)" in run.stderr.getvalue())
        time.sleep(0.3)
        assert len(run.logs()) == 1  # the pipe is never opened, nor logged again
    assert (run.inbox / "failed" / "link.txt").is_symlink() and (run.inbox / "pipe.txt").exists()
    assert not list(run.out.glob("*.json"))


def test_a_stray_byte_in_utf8_is_read_with_a_warning(tmp_path: Path) -> None:
    data = TXT.read_bytes()
    cut = data.index("Kết luận".encode())
    path = tmp_path / "stray.txt"
    path.write_bytes(data[:cut] + b"\xff" + data[cut:])
    result = cli("extract", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    record = json.loads((tmp_path / "out" / "stray.json").read_text(encoding="utf-8"))
    assert "\ufffdKết luận" in record["text"] and len(record["tasks"]) == 27
    assert [(w["code"], w["stage"], w["message"]) for w in record["warnings"] if w["code"] == "invalid_utf8"] == [
        ("invalid_utf8", "parse", "1 byte(s) were not valid UTF-8 and were read as \ufffd")]


def test_one_writer_per_output_folder(tmp_path: Path) -> None:
    """A second run on a folder another run is writing is refused, not destructive; --resume
    with other inputs is refused too (the tables would hold one archive, the folder both)."""
    from extractor.runners.lock import FolderBusy, OutputLock

    out = tmp_path / "out"
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "seed.txt").write_bytes(TXT.read_bytes())
    with OutputLock(out, "batch"):  # as a live run holds it
        busy = cli("batch", str(archive), "--out", str(out), "--resume")
        watching = cli("watch", str(archive), "--out", str(out), "--once")
        with pytest.raises(FolderBusy):
            OutputLock(out, "watch").__enter__()
    assert busy.returncode == 2 and "is being written by another notice-extractor run (batch, pid" in busy.stderr
    assert watching.returncode == 2 and "is being written by another notice-extractor run" in watching.stderr
    assert not (out / "seed.json").exists()
    first = cli("batch", str(archive), "--out", str(out))
    assert first.returncode == 0, first.stderr
    other = tmp_path / "other"
    other.mkdir()
    (other / "x.txt").write_bytes(TXT.read_bytes())
    mixed = cli("batch", str(other), "--out", str(out), "--resume")
    assert mixed.returncode == 2 and "holds a batch run of other inputs" in mixed.stderr
    assert cli("batch", str(archive), "--out", str(out), "--resume").returncode == 0


def test_an_unwritable_output_folder_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    out = blocker / "out"  # cannot be created, even by root
    (tmp_path / "in").mkdir()
    result = cli("watch", str(tmp_path / "in"), "--out", str(out), "--once")
    assert result.returncode == 2 and "cannot write to" in result.stderr and str(blocker) in result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture
def full_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A 200 KB filesystem: a batch's outputs do not fit."""
    mount = tmp_path / "small"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root and CAP_SYS_ADMIN)")
    yield mount
    subprocess.run(["umount", str(mount)], capture_output=True)


def test_a_full_disk_is_one_clear_line_not_a_traceback(full_disk: Path) -> None:
    result = cli("batch", str(ROOT / "corpus" / "txt"), "--out", str(full_disk / "out"), "--jobs", "1")
    assert result.returncode == 2
    assert "No space left on device) [write]; run again with --resume once fixed" in result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
