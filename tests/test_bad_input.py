"""Bad input: one clear line naming the file and the cause, exit 1, other files unharmed."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from extractor import extract_file
from extractor.errors import InputError

from .conftest import CORPUS

SEED = (CORPUS / "txt" / "bac-son-tb-cchc-2023.txt").read_text(encoding="utf-8")


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "extractor", *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(("name", "content", "cause"), [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"   \n\n  ", "no text"),
    ("sheet.xlsx", b"PK\x03\x04" + b"\x00" * 64, "unsupported"),
    ("fake.pdf", b"this is not a pdf", "not a valid PDF"),
    ("fake.docx", b"plain words", "not a valid DOCX"),
])
def test_bad_files_get_one_clear_line_and_others_still_land(tmp_path: Path, name: str, content: bytes, cause: str) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text(SEED, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("extract", str(bad), str(good), "--out", str(out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 1 and str(bad) in error_lines[0] and cause in error_lines[0], result.stderr
    assert (out / "good.json").exists() and not (out / Path(name).with_suffix(".json").name).exists()
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_missing_file(tmp_path: Path) -> None:
    result = run_cli("extract", str(tmp_path / "nope.txt"), "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "file not found" in result.stderr and "Traceback" not in result.stderr


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Word wrote it: base letters precomposed, tones combining."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append((base + "".join(c for c in parts if c in tones)).encode("cp1258"))
    return b"".join(out)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1258"])
def test_text_encodings_are_read(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "seed.txt"
    path.write_bytes(to_cp1258(SEED) if encoding == "cp1258" else SEED.encode(encoding))
    record = extract_file(path)
    assert record.notice.signer.name == "Vũ Quang Hiến"
    assert any("Phòng Tài chính - Kế hoạch" in t.responsible_units for t in record.tasks)


def test_markdown_emphasis_does_not_leak(tmp_path: Path) -> None:
    path = tmp_path / "seed.md"
    path.write_text("# Văn bản\n\n" + SEED, encoding="utf-8")
    record = extract_file(path)
    assert "*" not in record.text and record.notice.signer.authority == "TL. CHỦ TỊCH"


def test_text_without_directive_part_yields_no_tasks_and_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text("BÁO CÁO\nTình hình kinh tế\nTrong năm, sản xuất công nghiệp tăng 12%, thu ngân sách đạt kế hoạch.\n",
                    encoding="utf-8")
    record = extract_file(path)
    assert record.tasks == [] and any(w.code == "no_tasks" for w in record.warnings)


def test_text_that_is_not_a_notice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "novel.txt"
    path.write_text("It was a bright cold day in April, and the clocks were striking thirteen.\n" * 5, encoding="utf-8")
    result = run_cli("extract", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "not an administrative notice" in result.stderr and str(path) in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out" / "novel.json").exists()


def test_binary_garbage_named_txt_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "garbage.txt"
    path.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(InputError):
        extract_file(path)


def test_validate_command(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("extract", str(CORPUS / "txt" / "bac-son-tb-cchc-2023.txt"), "--out", str(out)).returncode == 0
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema_version": "1.0"}', encoding="utf-8")
    result = run_cli("validate", str(out / "bac-son-tb-cchc-2023.json"), str(broken))
    assert result.returncode == 1 and "valid" in result.stdout and "broken.json" in result.stderr
