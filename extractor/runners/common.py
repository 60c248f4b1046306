"""One document through the pipeline, as plain data a runner can write, ship or log."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import ExtractionError
from ..models import NoticeRecord
from ..pipeline import extract_file
from ..validate import validated_json
from .inputs import regular_file_problem


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """The outcome for one input file. Exactly one of ``json`` and ``error`` is set.

    ``json`` is the validated record, serialised byte-for-byte as it is written; plain
    strings and numbers only, so the result pickles cheaply across processes and clusters.
    """

    path: str
    sha256: str | None
    json: str | None = None
    tasks: int = 0
    error: str | None = None
    stage: str | None = None
    milliseconds: float = 0.0
    deadline: str | None = None  # the earliest dated deadline of any task (ISO), for the log
    warnings: tuple[str, ...] = ()  # the record's warning codes, in order

    @property
    def ok(self) -> bool:
        return self.json is not None


def shown(path: str | Path) -> str:
    """A file name as one printable line: a newline, a TAB or an escape sequence in a name would
    break the one-line error or drive the terminal; they are written as Python escapes."""
    text = str(path)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def content_hash(path: Path) -> str | None:
    """SHA-256 of a regular file's bytes, or None when it cannot be read (a named pipe is
    never opened: that would wait for a writer forever)."""
    if regular_file_problem(path):
        return None
    try:
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None


def process_file(path: str | Path) -> DocumentResult:
    """Extract one file; never raises for bad input (the error is in the result)."""
    path = Path(path)
    started = time.perf_counter()
    problem = regular_file_problem(path)
    if problem:
        return DocumentResult(path=str(path), sha256=None, error=problem, stage="parse")
    sha = content_hash(path)
    try:
        record: NoticeRecord = extract_file(path)
        text = validated_json(record)
        dates = [d.date for t in record.tasks for d in t.deadlines if d.date is not None]
        return DocumentResult(path=str(path), sha256=record.notice.source.sha256, json=text,
                              tasks=len(record.tasks), milliseconds=(time.perf_counter() - started) * 1000,
                              deadline=min(dates).isoformat() if dates else None,
                              warnings=tuple(w.code for w in record.warnings))
    except ExtractionError as exc:
        return DocumentResult(path=str(path), sha256=sha, error=exc.message, stage=exc.stage,
                              milliseconds=(time.perf_counter() - started) * 1000)
    except Exception as exc:  # a bug must not take the other files down; report it as such
        return DocumentResult(path=str(path), sha256=sha, error=f"internal error ({type(exc).__name__}: {exc})",
                              stage="internal", milliseconds=(time.perf_counter() - started) * 1000)


_WARM_NOTICE = """ỦY BAN NHÂN DÂN TỈNH LÀO CAI
Số: 1/TB-UBND
Lào Cai, ngày 02 tháng 01 năm 2024
THÔNG BÁO
Kết luận của Chủ tịch UBND tỉnh tại cuộc họp về cải cách hành chính
Kính gửi: Sở Công Thương.
1. Giao Sở Công Thương chủ trì, phối hợp với Sở Tài chính rà soát hồ sơ, hoàn thành trước ngày 31/12/2024.
2. Văn phòng UBND tỉnh theo dõi, đôn đốc thực hiện Tiêu chí 3.2 theo Kế hoạch số 206/KH-UBND ngày 28/6/2023.
Nơi nhận:
- Như trên;
TL. CHỦ TỊCH
CHÁNH VĂN PHÒNG
Nguyễn Văn A
"""


def warm() -> None:
    """Load lexicons, word lists and the schema validator once, before the first real file."""
    from ..parsers.txt import TextParser
    from ..pipeline import extract_document
    from ..vntext import syllables

    syllables()  # (only a glued word would load it otherwise: the first real one would pay)
    try:
        data = _WARM_NOTICE.encode("utf-8")
        validated_json(extract_document(TextParser().parse(Path("warm-up.txt"), data)))
    except Exception:  # warming is an optimisation; a real file will report any real problem
        pass
