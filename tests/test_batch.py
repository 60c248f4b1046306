"""`notice-extractor batch`: outputs, tables, exit codes, crash-safe resume, the Dask engine.

Real processes throughout: the CLI runs as ``python -m extractor batch`` in a subprocess over an
archive of corpus files (TXT, DOCX, PDF, in folders) and a few bad files. One uninterrupted run
is the reference; a run killed with SIGKILL and resumed, and a run on a Dask cluster, must give
the same outputs byte for byte (the spreadsheet by cell values; summary.json but its timings).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from extractor import cli
from extractor.register.units import canonical_unit, locality_of
from extractor.runners import batch
from extractor.runners.common import DocumentResult, content_hash, process_file
from extractor.runners.lock import LOCK_NAME
from extractor.runners.sheets import HEADERS

from .conftest import CORPUS

TIMINGS = ("wall_time_seconds", "documents_per_second")
BAD = {  # name in the archive -> stage it fails at (made here: corpus files may become readable)
    "bad/binary.txt": "parse",
    "bad/empty.txt": "parse",
    "bad/fake.docx": "parse",
    "bad/not-a-notice.txt": "structure",
    "bad/truncated.pdf": "parse",
}
BROKEN = ("mojibake", ".signed.")  # corpus files with a broken text layer: left out, their fate may change
TODAY = "2026-03-01"  # Trạng thái is judged on this day: runs compared byte for byte must agree on it


def run_batch(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "extractor", "batch", *args, "--today", TODAY], capture_output=True,
                          text=True, timeout=timeout)


def start_batch(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "extractor", "batch", *args, "--today", TODAY],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != LOCK_NAME}  # (the lock says who holds it: pid, time)


def cells(path: Path) -> list[tuple]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        return [tuple(row) for row in book.active.iter_rows(values_only=True)]
    finally:
        book.close()


def assert_same_outputs(expected: Path, actual: Path) -> None:
    """Every file byte for byte (tasks.xlsx too: its time stamps are fixed), but summary.json
    (timings aside); every file with the same mode."""
    want, got = tree(expected), tree(actual)
    assert sorted(got) == sorted(want)
    modes = {(actual / name).stat().st_mode & 0o777 for name in got}
    assert len(modes) == 1, modes
    for name, data in want.items():
        if name == "tasks.xlsx":
            assert cells(actual / name) == cells(expected / name)
            assert got[name] == data, name
        elif name == "summary.json":
            a, b = json.loads(data), json.loads(got[name])
            assert set(TIMINGS) <= set(a) and set(TIMINGS) <= set(b)
            assert {k: v for k, v in a.items() if k not in TIMINGS} == {k: v for k, v in b.items() if k not in TIMINGS}
        else:
            assert got[name] == data, name


@pytest.fixture(scope="session")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """~60 notices in folders, all three formats, same stems side by side, and bad files."""
    root = tmp_path_factory.mktemp("batch") / "archive"
    for folder, target, pattern in (("txt", "txt", "*.txt"), ("rendered/docx", "docx/rendered", "*.docx"),
                                    ("originals", "originals", "*")):
        (root / target).mkdir(parents=True)
        for source in sorted((CORPUS / folder).glob(pattern)):
            if not any(b in source.name for b in BROKEN):
                shutil.copy(source, root / target / source.name)
    (root / "bad").mkdir()
    (root / "bad" / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (root / "bad" / "empty.txt").write_bytes(b"")
    (root / "bad" / "fake.docx").write_text("not a zip at all", encoding="utf-8")
    (root / "bad" / "not-a-notice.txt").write_text("Danh sách mua sắm:\nbút bi, giấy A4, mực in.\n", encoding="utf-8")
    pdf = (CORPUS / "rendered" / "pdf" / "bac-son-tb-cchc-2023.pdf").read_bytes()
    (root / "bad" / "truncated.pdf").write_bytes(pdf[: len(pdf) // 3])
    # A file named like the summary must not overwrite it.
    shutil.copy(CORPUS / "txt" / "bac-son-tb-cchc-2023.txt", root / "summary.txt")
    return root


@pytest.fixture(scope="session")
def reference(archive: Path) -> tuple[Path, subprocess.CompletedProcess[str]]:
    out = archive.parent / "reference"
    result = run_batch(str(archive), "--out", str(out), "--jobs", "2")
    return out, result


def test_outputs_tables_and_exit_status(archive: Path, reference: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    out, result = reference
    assert result.returncode == 1, result.stderr
    inputs = sorted(p for p in archive.rglob("*") if p.is_file())
    bad = [archive / name for name in sorted(BAD)]
    # Per-notice JSON: exactly what process_file gives, under extract's names.
    for source in (archive / "txt" / "bac-son-tb-cchc-2023.txt", archive / "originals" / "laocai-cv-193-ubnd-kt-quan-ly-vlncn.pdf"):
        rel = source.relative_to(archive).with_suffix(".json")
        assert (out / rel).read_text(encoding="utf-8") == process_file(source).json
    assert (out / "summary.txt.json").is_file()  # renamed away from summary.json
    assert (out / "originals" / "laocai-cv-193-ubnd-kt-quan-ly-vlncn.json").is_file()
    assert not (out / "bad" / "empty.json").exists()

    # failures.jsonl and stderr: the bad files, in input order, with their stages.
    failures = [json.loads(line) for line in (out / "failures.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(f["path"], f["stage"]) for f in failures] == [(str(p), BAD[p.relative_to(archive).as_posix()]) for p in bad]
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors == [f"error: {f['path']}: {f['error']} [{f['stage']}]" for f in failures]
    assert "\r" not in result.stderr  # no progress bar when stderr is not a terminal

    # tasks.jsonl: every task of every record, records in input order; a copy names its first file.
    records = [json.loads((out / e["out"]).read_text(encoding="utf-8"))
               for e in map(json.loads, (out / batch.JOURNAL_NAME).read_text(encoding="utf-8").splitlines()) if e["ok"]]
    lines = [json.loads(line) for line in (out / "tasks.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(t["source"], t["task"]) for t in lines] == [(r["notice"]["source"]["path"], t) for r in records for t in r["tasks"]]
    assert [r["notice"]["source"]["path"] for r in records] == [str(p) for p in inputs if p not in bad]
    first = lines[0]
    notice = records[0]["notice"]
    assert (first["notice_id"], first["number"], first["symbol"], first["issued_date"], first["issuer"], first["copy_of"]) == (
        notice["id"], notice["number"], notice["symbol"], notice["issued_date"], notice["issuer"], None)
    copy_of = {line["source"]: line["copy_of"] for line in lines}
    # The archive holds each notice as TXT, rendered DOCX and, for some, the original DOCX/PDF:
    # the seed's text is a copy of its DOCX rendering (read first: docx/ sorts before txt/), and
    # the first file of a notice is never a copy.
    assert copy_of[str(archive / "txt" / "bac-son-tb-cchc-2023.txt")] == str(archive / "docx" / "rendered" / "bac-son-tb-cchc-2023.docx")
    assert all(copy_of.get(first) is None for first in set(copy_of.values()) if first)

    # summary.json counts: each notice once, however many files it came in (a file's stem names
    # its notice here: the same notice in each folder).
    distinct = [r for r in records if copy_of.get(r["notice"]["source"]["path"]) is None and r["tasks"]]
    tasks = [t for r in distinct for t in r["tasks"]]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["documents"] == len(inputs) and summary["failed"] == len(bad)
    assert summary["succeeded"] == len(records) == len(inputs) - len(bad)
    notices = {Path(r["notice"]["source"]["path"]).name.split(".")[0] for r in records} - {"summary"}  # the seed's copy
    assert summary["notices"] == len(notices) < len(records) and summary["merged"] == len(records) - len(notices)
    assert summary["tasks"] == len(tasks) > 250
    units: Counter[str] = Counter()  # by the register's key of each unit
    for r in distinct:
        locality = locality_of(r["notice"]["issuer"], r["notice"]["place"])
        for t in r["tasks"]:
            units.update({u.key for u in (canonical_unit(n, locality) for n in t["responsible_units"]) if u})
    counted = summary["tasks_per_responsible_unit"]
    assert {canonical_unit(name).key: n for name, n in counted.items()} == dict(units)
    assert list(counted.values()) == sorted(units.values(), reverse=True)
    assert not {"Đỗ Mạnh Cường", "Công an tỉnh Lào Cai"} & set(counted)  # a person is no unit; one unit, one name
    months = Counter(d["date"][:7] for t in tasks for d in t["deadlines"] if d["date"])
    assert summary["deadlines_per_month"] == dict(sorted(months.items())) and months
    firsts = [min((d["date"] for d in t["deadlines"] if d["date"]), default=None) for t in tasks]
    assert summary["status_date"] == TODAY
    assert summary["tasks_overdue"] == sum(1 for f in firsts if f and f < TODAY) > 0
    assert summary["wall_time_seconds"] > 0 and summary["documents_per_second"] > 0

    # tasks.csv: BOM, the spreadsheet's Vietnamese headers, one row per task, ISO dates.
    raw = (out / "tasks.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + "STT,Văn bản,Trích yếu,Nhiệm vụ,Đơn vị chủ trì".encode())
    import csv
    with (out / "tasks.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == len(tasks) + 1 and tuple(rows[0]) == HEADERS
    task_col, deadline_col = HEADERS.index("Nhiệm vụ"), HEADERS.index("Thời hạn")
    assert all(not r[task_col].startswith("-") for r in rows[1:])  # a bulleted task is not a formula in Excel
    assert [r[deadline_col] for r in rows[1:] if r[deadline_col][:1].isdigit()] == [f for f in firsts if f]


def test_the_spreadsheet(reference: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    """Read back with openpyxl: it prints (A4 landscape, one page wide, header on every page),
    columns in the tracking order, real dates, labels a reader writes, no table pipes."""
    import datetime as dt

    from openpyxl import load_workbook

    out, _ = reference
    sheet = load_workbook(out / "tasks.xlsx").active
    assert [c.value for c in sheet[1]] == ["STT", "Văn bản", "Trích yếu", "Nhiệm vụ", "Đơn vị chủ trì",
                                           "Đơn vị phối hợp", "Thời hạn", "Trạng thái", "Ghi chú"] == list(HEADERS)
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize) == ("landscape", int(sheet.PAPERSIZE_A4))
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$1:$1" and sheet.freeze_panes == "A2" and all(c.font.b for c in sheet[1])
    assert sheet.auto_filter.ref == f"A1:I{sheet.max_row}"
    assert sheet.column_dimensions["D"].width >= 40 and sheet.column_dimensions["A"].width <= 6

    lines = [json.loads(line) for line in (out / "tasks.jsonl").read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line["copy_of"] is None]  # the sheet holds each notice once
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == len(lines) and [r[0].value for r in rows[:4]] == [1, 2, 3, 4]
    col = {name: n for n, name in enumerate(HEADERS)}
    today = dt.date.fromisoformat(TODAY)
    for row, line in zip(rows, lines, strict=True):
        task = line["task"]
        first = min((d["date"] for d in task["deadlines"] if d["date"]), default=None)
        deadline, status = row[col["Thời hạn"]], row[col["Trạng thái"]].value
        if first:
            assert isinstance(deadline.value, dt.datetime) and deadline.is_date and deadline.number_format == "dd/mm/yyyy"
            assert deadline.value.date() == dt.date.fromisoformat(first)
            assert status == ("Quá hạn" if deadline.value.date() < today else "Chưa hoàn thành")
        else:
            assert status == "Chưa hoàn thành"
        assert all(" | " not in str(c.value) for c in row if c.value is not None)
        assert row[col["Nhiệm vụ"]].alignment.wrap_text
        note = row[col["Ghi chú"]].value or ""
        assert "¶" not in note and "table/" not in note and not note.startswith(("1./", "I./"))
        number = line["number"]
        assert number is None or number in row[col["Văn bản"]].value
    notes = [r[col["Ghi chú"]].value or "" for r in rows]
    assert any(n.startswith("Mục ") for n in notes) and any(n.startswith("Bảng, dòng ") for n in notes)
    assert {r[col["Trạng thái"]].value for r in rows} == {"Quá hạn", "Chưa hoàn thành"}
    # Rows are as tall as their longest cell (a sheet printed with one-line rows cuts tasks off).
    heights = [sheet.row_dimensions[r[0].row].height for r in rows]
    assert all(h and h >= 13 for h in heights) and max(heights) > 100


def test_the_spreadsheet_prints_one_page_wide_in_landscape_with_the_header_on_every_page(
        reference: tuple[Path, subprocess.CompletedProcess[str]], soffice: str, tmp_path: Path) -> None:
    """Printed by LibreOffice Calc to PDF: A4 landscape pages, each with the whole header (one
    page wide: no page holds only some columns), and every task's text printed whole (its row
    is tall enough: nothing is cut off at the cell's edge)."""
    import pdfplumber
    from openpyxl import load_workbook

    from extractor.letterhead import letters_only

    out, _ = reference
    done = subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                           "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out / "tasks.xlsx")],
                          capture_output=True, text=True, timeout=300)
    printed = tmp_path / "tasks.pdf"
    assert done.returncode == 0 and printed.is_file(), f"LibreOffice Calc (libreoffice-calc-nogui): {done.stderr[-400:]}"
    rows = list(load_workbook(out / "tasks.xlsx").active.iter_rows(min_row=2, values_only=True))
    task_column = []
    with pdfplumber.open(printed) as pdf:
        assert len(pdf.pages) < len(rows) / 2  # not hundreds of pages of row numbers
        for page in pdf.pages:
            assert (round(page.width), round(page.height)) == (842, 595)  # A4 landscape, in points
            header = page.extract_text().splitlines()[0]
            assert header == " ".join(HEADERS)  # every column, on every page
            borders = sorted({round(e["x0"]) for e in page.edges if e["orientation"] == "v"})
            assert len(borders) == len(HEADERS) + 1
            task = HEADERS.index("Nhiệm vụ")
            task_column.append(page.crop((borders[task], 0, borders[task + 1], page.height)).extract_text())
    printed_tasks = letters_only(" ".join(task_column))
    cut = [row[0] for row in rows if letters_only(row[HEADERS.index("Nhiệm vụ")]) not in printed_tasks]
    assert cut == [], f"tasks not printed whole (STT): {cut[:10]}"


def _journal_lines(out: Path) -> int:
    try:
        return (out / batch.JOURNAL_NAME).read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def _kill_when(proc: subprocess.Popen[bytes], out: Path, lines: int) -> None:
    deadline = time.monotonic() + 60
    while proc.poll() is None and _journal_lines(out) < lines and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_workers_do_not_outlive_a_killed_batch(archive: Path, tmp_path: Path) -> None:
    """Killed while its workers are still starting (the hardest moment), or while they work."""
    for moment in ("starting", "working"):
        out = tmp_path / moment
        proc = start_batch(str(archive), "--out", str(out), "--jobs", "2")
        deadline = time.monotonic() + 30
        workers: set[int] = set()
        while time.monotonic() < deadline and len(workers) < 2:
            workers = {pid for pid in _children(proc.pid)
                       if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()} if proc.poll() is None else workers
            time.sleep(0.002)
        if moment == "working":
            while _journal_lines(out) < 2 and time.monotonic() < deadline:
                time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert len(workers) == 2
        deadline = time.monotonic() + 5
        while _alive(workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(workers), moment


def test_killed_twice_and_resumed_equals_an_uninterrupted_run(
        archive: Path, reference: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path) -> None:
    seed = int(os.environ.get("BATCH_KILL_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    total = sum(1 for p in archive.rglob("*") if p.is_file())
    first, second = sorted(rng.sample(range(1, total - 2), 2))
    out = tmp_path / "out"
    args = (str(archive), "--out", str(out), "--jobs", "2")
    _kill_when(start_batch(*args), out, first)
    refused = run_batch(*args)
    assert refused.returncode == 2 and "--resume" in refused.stderr  # no silent restart over a run
    _kill_when(start_batch(*args, "--resume"), out, second)
    with (out / batch.JOURNAL_NAME).open("a") as fh:
        fh.write('{"out": "txt/bac-son-tb-cch')  # a torn last line too
    result = run_batch(*args, "--resume")
    assert result.returncode == 1, f"seed {seed}: {result.stderr}"
    assert_same_outputs(reference[0], out)


def test_resume_redoes_only_what_is_missing_or_changed(tmp_path: Path) -> None:
    archive = tmp_path / "in"
    archive.mkdir()
    for name in ("bac-son-tb-cchc-2023.txt", "laocai-cv-193-ubnd-kt-quan-ly-vlncn.txt", "laocai-cv-sct-don-doc-bao-cao-hoa-chat.txt"):
        shutil.copy(CORPUS / "txt" / name, archive / name)
    out = tmp_path / "out"
    assert run_batch(str(archive), "--out", str(out), "--jobs", "1").returncode == 0
    before = tree(out)
    (out / "bac-son-tb-cchc-2023.json").unlink()  # lost output
    (out / ".tasks.csv.x1y2z3.tmp").write_text("left by a killed run")  # stray temporary
    changed = archive / "laocai-cv-193-ubnd-kt-quan-ly-vlncn.txt"
    changed.write_bytes(changed.read_bytes() + b"\n")  # changed input
    result = run_batch(str(archive), "--out", str(out), "--jobs", "1", "--resume")
    assert result.returncode == 0 and "(2 extracted, 1 already done)" in result.stderr, result.stderr
    after = tree(out)
    assert sorted(after) == sorted(before)
    record = json.loads(after["laocai-cv-193-ubnd-kt-quan-ly-vlncn.json"])
    assert record["notice"]["source"]["sha256"] == content_hash(changed)
    assert after["bac-son-tb-cchc-2023.json"] == before["bac-son-tb-cchc-2023.json"]
    assert after["laocai-cv-sct-don-doc-bao-cao-hoa-chat.json"] == before["laocai-cv-sct-don-doc-bao-cao-hoa-chat.json"]


def test_resume_with_a_folder_added_keeps_what_is_done(tmp_path: Path) -> None:
    """An analyst adds a folder to the command: what the first run did is recognised, though
    its output names move under the folders' common parent; the copy in the new folder is
    merged; leaving a folder of the first run out is refused."""
    first, added = tmp_path / "2023", tmp_path / "2024"
    for folder, names in ((first, ("bac-son-tb-cchc-2023.txt", "laocai-cv-193-ubnd-kt-quan-ly-vlncn.txt")),
                          (added, ("laocai-cv-sct-don-doc-bao-cao-hoa-chat.txt", "bac-son-tb-cchc-2023.txt"))):
        folder.mkdir()
        for name in names:
            shutil.copy(CORPUS / "txt" / name, folder / name)
    out = tmp_path / "out"
    assert run_batch(str(first), "--out", str(out), "--jobs", "1").returncode == 0
    done = (out / "laocai-cv-193-ubnd-kt-quan-ly-vlncn.json").read_bytes()
    result = run_batch(str(first), str(added), "--out", str(out), "--jobs", "1", "--resume")
    assert result.returncode == 0 and "(2 extracted, 2 already done)" in result.stderr, result.stderr
    assert "3 notices (1 copies or other formats of one merged)" in result.stderr
    assert (out / "2023" / "laocai-cv-193-ubnd-kt-quan-ly-vlncn.json").read_bytes() == done
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("[!.]*.json") if p.name != "summary.json") == [
        "2023/bac-son-tb-cchc-2023.json", "2023/laocai-cv-193-ubnd-kt-quan-ly-vlncn.json",
        "2024/bac-son-tb-cchc-2023.json", "2024/laocai-cv-sct-don-doc-bao-cao-hoa-chat.json"]
    again = run_batch(str(first), str(added), "--out", str(out), "--jobs", "1", "--resume")
    assert "(0 extracted, 4 already done)" in again.stderr, again.stderr
    left = run_batch(str(added), "--out", str(out), "--resume")
    assert left.returncode == 2 and f"{first} is not given" in left.stderr


def test_dask_engine_equals_the_local_engine(archive: Path, reference: tuple[Path, subprocess.CompletedProcess[str]],
                                              tmp_path: Path) -> None:
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        result = run_batch(str(archive), "--out", str(tmp_path / "out"), "--scheduler", cluster.scheduler_address)
    assert result.returncode == 1, result.stderr
    assert_same_outputs(reference[0], tmp_path / "out")


def crash_on_purpose(path: str) -> DocumentResult:
    """A stand-in for process_file whose worker dies on one file (a segfault, the OOM killer)."""
    if "crash" in Path(path).name:
        os._exit(9)
    return process_file(path)


def test_a_dying_worker_fails_its_file_only(tmp_path: Path) -> None:
    names = ["a.txt", "crash.txt", "c.txt", "d.txt"]
    for name in names:
        shutil.copy(CORPUS / "txt" / "bac-son-tb-cchc-2023.txt", tmp_path / name)
    seen: dict[str, DocumentResult] = {}
    todo = [batch.Item(tmp_path / n, n) for n in names]
    batch.run_local(todo, 2, lambda item, result: seen.setdefault(item.out, result), extract=crash_on_purpose)
    assert sorted(seen) == sorted(names)
    assert seen["crash.txt"].stage == "internal" and seen["crash.txt"].error == batch.WORKER_DIED
    assert all(seen[n].ok for n in names if n != "crash.txt")


def test_all_good_is_exit_0(tmp_path: Path) -> None:
    shutil.copy(CORPUS / "rendered" / "docx" / "bac-son-tb-cchc-2023.docx", tmp_path / "seed.docx")
    result = run_batch(str(tmp_path / "seed.docx"), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "seed.json").is_file() and (tmp_path / "out" / "failures.jsonl").read_text() == ""


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    seed = str(CORPUS / "txt" / "bac-son-tb-cchc-2023.txt")
    out = str(tmp_path / "out")
    assert cli.main(["batch", str(tmp_path), "--out", out]) == 2
    assert "no input files" in capsys.readouterr().err
    assert cli.main(["batch", seed, "--out", out, "--engine", "dask"]) == 2
    assert "--scheduler" in capsys.readouterr().err
    assert cli.main(["batch", seed, "--out", out, "--engine", "local", "--scheduler", "tcp://x:1"]) == 2
    for bad in ("0", "-3", "two"):
        with pytest.raises(SystemExit) as exc:
            cli.main(["batch", seed, "--out", out, "--jobs", bad])
        assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        cli.main(["batch", seed, "--out", out, "--today", "31/12/2026"])
    assert exc.value.code == 2 and "not a date YYYY-MM-DD: '31/12/2026'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        cli.main(["batch", seed])  # --out is required
    assert exc.value.code == 2
    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # as if dask were not installed
    assert cli.main(["batch", seed, "--out", out, "--scheduler", "tcp://127.0.0.1:9"]) == 2
    assert "notice-extractor[cluster]" in capsys.readouterr().err


def test_unreachable_scheduler_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dask = pytest.importorskip("dask")
    seed = str(CORPUS / "txt" / "bac-son-tb-cchc-2023.txt")
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        assert cli.main(["batch", seed, "--out", str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:9"]) == 2
    assert "cannot reach the Dask scheduler" in capsys.readouterr().err
