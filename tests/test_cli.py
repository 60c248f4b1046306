"""The command line: folder walking, output names, byte-identical reruns, schema output."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import CORPUS

SEED = CORPUS / "txt" / "bac-son-tb-cchc-2023.txt"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "extractor", *args], capture_output=True, text=True, timeout=120)


def test_folders_mirror_their_layout_and_reruns_are_byte_identical(tmp_path: Path) -> None:
    (tmp_path / "in" / "a" / "deep").mkdir(parents=True)
    (tmp_path / "in" / "b").mkdir()
    shutil.copy(SEED, tmp_path / "in" / "a" / "deep" / "seed.txt")
    shutil.copy(CORPUS / "rendered" / "docx" / "bac-son-tb-cchc-2023.docx", tmp_path / "in" / "b" / "seed.docx")
    (tmp_path / "in" / "b" / "notes.xyz").write_text("ignored", encoding="utf-8")
    out1, out2 = tmp_path / "o1", tmp_path / "o2"
    for out in (out1, out2):
        result = run_cli("extract", str(tmp_path / "in" / "a"), str(tmp_path / "in" / "b"), "--out", str(out))
        assert result.returncode == 0, result.stderr
    assert sorted(p.relative_to(out1).as_posix() for p in out1.rglob("*.json")) == ["a/deep/seed.json", "b/seed.json"]
    for p in out1.rglob("*.json"):
        assert p.read_bytes() == (out2 / p.relative_to(out1)).read_bytes()


def test_same_stem_twice_gets_two_outputs(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "seed.txt")
    shutil.copy(CORPUS / "rendered" / "docx" / "bac-son-tb-cchc-2023.docx", tmp_path / "seed.docx")
    result = run_cli("extract", str(tmp_path / "seed.docx"), str(tmp_path / "seed.txt"), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["seed.json", "seed.txt.json"]


def test_schema_command_prints_the_committed_schema() -> None:
    result = run_cli("schema")
    committed = json.loads((CORPUS.parent / "schemas" / "notice.schema.json").read_text(encoding="utf-8"))
    assert result.returncode == 0 and json.loads(result.stdout) == committed


def test_no_inputs_is_an_error(tmp_path: Path) -> None:
    result = run_cli("extract", str(tmp_path), "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "no input files" in result.stderr


def test_usage_error_exits_2() -> None:
    assert run_cli("extract").returncode == 2
