"""The runners file their records into the register: `watch` always, `extract` and `batch`
with --db; a register that cannot be used is one clear error."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from extractor.register import Register

from .conftest import CORPUS

LETTER = "laocai-cv-vp-ubnd-de-nghi-bao-cao-kcn-ccn"
FORMATS = [CORPUS / "txt" / f"{LETTER}.txt", CORPUS / "rendered" / "docx" / f"{LETTER}.docx"]
SEED = CORPUS / "txt" / "bac-son-tb-cchc-2023.txt"


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "extractor", *args], capture_output=True, text=True, timeout=300)


def test_extract_files_two_formats_of_a_notice_as_one(tmp_path: Path) -> None:
    db = tmp_path / "office.db"
    result = cli("extract", *map(str, FORMATS), "--out", str(tmp_path / "out"), "--db", str(db), "-q")
    assert result.returncode == 0, result.stderr
    register = Register(str(db))
    (nid,) = register.notice_ids()
    assert sorted(f.format for f in register.files(nid)) == ["docx", "txt"] and len(register.tasks()) == 4
    again = cli("extract", str(FORMATS[0]), "--out", str(tmp_path / "out2"), "--db", str(db), "-q")
    assert again.returncode == 0 and len(register.files(nid)) == 2  # the same bytes are not filed twice


def test_a_register_that_cannot_be_opened_is_one_clear_error(tmp_path: Path) -> None:
    bad = "postgresql://nobody@/none?host=/nonexistent-socket-dir"
    result = cli("extract", str(SEED), "--out", str(tmp_path / "out"), "--db", bad)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"notice-extractor extract: cannot open the register {bad} (")


def test_batch_files_in_input_order_and_resume_files_nothing_twice(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    for path in (*FORMATS, SEED):
        shutil.copy(path, archive / path.name)
    db = tmp_path / "office.db"
    out = tmp_path / "out"
    first = cli("batch", str(archive), "--out", str(out), "--db", str(db), "--jobs", "1")
    assert first.returncode == 0, first.stderr
    register = Register(str(db))
    assert len(register.notice_ids()) == 2 and len(register.tasks()) == 4 + 27
    again = cli("batch", str(archive), "--out", str(out), "--db", str(db), "--resume")
    assert again.returncode == 0, again.stderr
    assert len(register.tasks()) == 4 + 27 and sum(len(register.files(n)) for n in register.notice_ids()) == 3


def test_watch_fills_its_register_always(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    shutil.copy(SEED, inbox / SEED.name)
    result = cli("watch", str(inbox), "--out", str(out), "--once")
    assert result.returncode == 0, result.stderr
    register = Register(str(out / "register.db"))
    assert len(register.tasks()) == 27 and (inbox / "done" / SEED.name).exists()
