"""The inbox as a clerk meets it: one readable line per file in English or Vietnamese, folders
of the inbox read, files the program cannot read sent to failed/ with their reason, and a
long document announced while it is read. Real filesystem events in temporary folders."""

from __future__ import annotations

import io
import json
import os
import re
import string
import time
import zipfile
from pathlib import Path

import pytest

import extractor.runners.watch as watch_module
from extractor.runners.common import DocumentResult
from extractor.runners.messages import LANGUAGES, MESSAGES, WARNING_GLOSSES, failure_reason
from extractor.runners.watch import watch

from .test_watch import DOCX, PDF, SETTLE, TXT, running, valid_record, wait_for


def drop(source: Path, inbox: Path, name: str, data: bytes | None = None) -> Path:
    """Deliver a file as a careful copier does (written beside the inbox, renamed in), into a
    folder of the inbox when ``name`` has one."""
    tmp = inbox.parent / "staging" / name
    tmp.parent.mkdir(parents=True, exist_ok=True)
    tmp.write_bytes(source.read_bytes() if data is None else data)
    (inbox / name).parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, inbox / name)
    return inbox / name


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_exists_in_both_languages_with_the_same_blanks() -> None:
    for key, texts in MESSAGES.items():
        assert set(texts) == set(LANGUAGES), key
        assert all(texts[lang].strip() for lang in LANGUAGES), key
        assert _fields(texts["en"]) == _fields(texts["vi"]), key
    assert all(code.islower() and gloss for code, gloss in WARNING_GLOSSES.items())


def _no_number(data: bytes) -> bytes:
    """The seed notice without its 'Số:' line: read, with a no_number warning."""
    return data.replace("Số: /TB-UBND\n".encode(), b"", 1)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_one_line_per_file_says_what_a_clerk_needs(tmp_path: Path, lang: str) -> None:
    with running(tmp_path, json_log=False, lang=lang, retry=0.5) as run:
        drop(TXT, run.inbox, "seed.txt")
        wait_for(lambda: len(run.stdout.getvalue().splitlines()) >= 1)
        drop(TXT, run.inbox, "nonum.txt", _no_number(TXT.read_bytes()))
        drop(TXT, run.inbox, "again.txt")
        drop(PDF, run.inbox, "broken.pdf", PDF.read_bytes()[:3000])
        wait_for(lambda: len(run.stdout.getvalue().splitlines()) >= 4)
    lines = run.stdout.getvalue().splitlines()
    assert len(lines) == 4
    record = valid_record(run.out / "seed.json")
    earliest = min(d["date"] for t in record["tasks"] for d in t["deadlines"] if d["date"])
    tasks = len(record["tasks"])
    by_file = {line.split()[3]: line for line in lines}
    for line in lines:
        assert re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d  \S", line) and re.search(r"\(\d+ ms\)$", line), line
    if lang == "en":
        assert f"  ok         seed.txt  {tasks} tasks, earliest deadline {earliest}, no warnings -> seed.json" \
            in by_file["seed.txt"]
        assert f"nonum.txt  {tasks} tasks, earliest deadline {earliest}, 1 warning(s), first: no_number -> nonum.json" \
            in by_file["nonum.txt"]
        assert f"  duplicate  again.txt  same content as seed.txt; {tasks} tasks, " in by_file["again.txt"]
        assert "  failed     broken.pdf  the file cannot be read: " in by_file["broken.pdf"]
        assert by_file["broken.pdf"].split("  (")[0].endswith("[parse] -> failed/broken.pdf")
    else:
        day = "/".join(reversed(earliest.split("-")))
        assert f"  xong       seed.txt  {tasks} nhiệm vụ, thời hạn sớm nhất {day}, không có cảnh báo -> seed.json" \
            in by_file["seed.txt"]
        assert (f"nonum.txt  {tasks} nhiệm vụ, thời hạn sớm nhất {day}, 1 cảnh báo, đầu tiên: no_number "
                f"({WARNING_GLOSSES['no_number']}) -> nonum.json") in by_file["nonum.txt"]
        assert f"  trùng      again.txt  trùng nội dung với seed.txt; {tasks} nhiệm vụ, " in by_file["again.txt"]
        assert f"  lỗi        broken.pdf  {failure_reason('parse', 'vi')}: " in by_file["broken.pdf"]
        assert "đã dừng (2 xong, 1 trùng, 1 lỗi)" in run.stderr.getvalue()
    report = json.loads((run.inbox / "failed" / "broken.pdf.error.json").read_text(encoding="utf-8"))
    assert report["reason"] == failure_reason("parse", lang) and report["stage"] == "parse" and report["cause"]


def test_files_it_cannot_read_go_to_failed_with_their_reason_at_once(tmp_path: Path) -> None:
    """Never left silently in the inbox, nor kept waiting for the retry window (60 s here)."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("thong-bao.txt", TXT.read_bytes())
    with running(tmp_path) as run:
        (run.inbox / "sub").mkdir()
        drop(TXT, run.inbox, "bundle.zip", archive.getvalue())
        drop(TXT, run.inbox, "setup.exe", b"MZ\x90\x00" + bytes(range(256)) * 40)
        drop(TXT, run.inbox, "sub/noise", os.urandom(4096))
        drop(PDF, run.inbox, "letter.scan")  # an unknown name, but the content is a PDF: read
        logs = run.wait_logs(4)
    by_file = {e["file"]: e for e in logs}
    assert sorted(by_file) == ["bundle.zip", "letter.scan", "setup.exe", "sub/noise"]
    assert by_file["letter.scan"]["status"] == "ok" and (run.out / "letter.json").is_file()
    for name in ("bundle.zip", "setup.exe", "sub/noise"):
        entry = by_file[name]
        assert (entry["status"], entry["stage"], entry["moved_to"]) == ("failed", "parse", f"failed/{name}")
        assert entry["reason"] == failure_reason("unsupported")
        report = json.loads((run.inbox / "failed" / f"{name}.error.json").read_text(encoding="utf-8"))
        assert report["reason"] == entry["reason"] and report["cause"] == entry["error"] and report["file"] == name
        assert (run.inbox / "failed" / name).exists()
    assert "unsupported file type '.zip'" in by_file["bundle.zip"]["error"]
    left = sorted(p.relative_to(run.inbox).as_posix() for p in run.inbox.rglob("*") if p.is_file())
    assert not [p for p in left if not p.startswith(("done/", "failed/"))], left


@pytest.mark.parametrize("mode", ["events", "poll"])
def test_folders_of_the_inbox_are_read_and_mirrored_without_collisions(tmp_path: Path, mode: str) -> None:
    options = {"poll": 0.1} if mode == "poll" else {}
    with running(tmp_path, **options) as run:
        for folder in ("a", "b"):
            (run.inbox / folder).mkdir()
        drop(TXT, run.inbox, "a/x.txt")
        drop(TXT, run.inbox, "b/x.txt", TXT.read_bytes() + "\nGhi chú.\n".encode())  # same name, other content
        run.wait_logs(2)
        drop(DOCX, run.inbox, "a/x.docx")  # same stem, same folder: named as extract names it
        staging = tmp_path / "staging" / "c"
        (staging / "deeper").mkdir(parents=True)
        (staging / "deeper" / "x.pdf").write_bytes(PDF.read_bytes())
        os.replace(staging, run.inbox / "c")  # a whole folder moved in at once
        logs = run.wait_logs(4)
    assert sorted((e["file"], e["status"], e["output"]) for e in logs) == [
        ("a/x.docx", "ok", "a/x.docx.json"), ("a/x.txt", "ok", "a/x.json"), ("b/x.txt", "ok", "b/x.json"),
        ("c/deeper/x.pdf", "ok", "c/deeper/x.json")]
    for entry in logs:
        valid_record(run.out / entry["output"])
        assert entry["moved_to"] == f"done/{entry['file']}" and (run.inbox / entry["moved_to"]).is_file()
    assert valid_record(run.out / "a/x.json") != valid_record(run.out / "b/x.json")


def test_an_output_folder_inside_the_inbox_is_left_alone(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "seed.txt").write_bytes(TXT.read_bytes())
    out = inbox / "records"
    stdout = io.StringIO()
    assert watch(inbox, out, once=True, settle=SETTLE, json_log=True, stdout=stdout, stderr=io.StringIO()) == 0
    assert watch(inbox, out, once=True, settle=SETTLE, json_log=True, stdout=stdout, stderr=io.StringIO()) == 0
    assert [json.loads(line)["file"] for line in stdout.getvalue().splitlines()] == ["seed.txt"]
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["seed.json"]


def test_a_long_document_says_it_is_still_working(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = watch_module.process_within

    def slow(path: Path, seconds: float | None) -> DocumentResult:  # an OCR of a thick scan
        time.sleep(1.2)
        return real(path, seconds)

    monkeypatch.setattr(watch_module, "process_within", slow)
    with running(tmp_path, progress_every=0.3) as run:
        drop(TXT, run.inbox, "scan.txt")
        wait_for(lambda: any(e["status"] == "ok" for e in run.logs()))
        time.sleep(0.5)  # nothing more after the file's own line
    logs = run.logs()
    working = [e for e in logs if e["status"] == "working"]
    assert logs[-1]["status"] == "ok" and len(working) == len(logs) - 1 >= 3
    assert all(e["file"] == "scan.txt" for e in working)
    assert [e["seconds"] for e in working] == sorted(e["seconds"] for e in working) and working[0]["seconds"] >= 0.3


def test_still_working_lines_in_vietnamese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = watch_module.process_within

    def slow(path: Path, seconds: float | None) -> DocumentResult:
        time.sleep(0.7)
        return real(path, seconds)

    monkeypatch.setattr(watch_module, "process_within", slow)
    with running(tmp_path, progress_every=0.3, json_log=False, lang="vi") as run:
        drop(TXT, run.inbox, "scan.txt")
        wait_for(lambda: " xong " in run.stdout.getvalue())
    lines = run.stdout.getvalue().splitlines()
    assert len(lines) >= 2 and all(re.search(r"  vẫn đang xử lý scan\.txt \(\d+ giây\)$", line) for line in lines[:-1])
    assert lines[-1].split()[2:4] == ["xong", "scan.txt"]
