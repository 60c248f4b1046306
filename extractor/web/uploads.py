"""A document sent through the upload form or the API goes the way of every other document.

With ``--inbox`` the file is put into the inbox that ``watch`` reads, atomically (written under
a hidden ``.part`` name that ``watch`` ignores, then renamed, which ``watch`` sees as a whole
file), and ``watch`` extracts it. Without an inbox it is kept in the uploads folder (so that the
register can offer the original for download) and extracted here, by the same call that
`extract`, `watch` and `batch` make for a document (:func:`~extractor.runners.budget.process_within_or_exit`:
the pipeline and validation within the time budget), in one worker process of its own
(:class:`Extraction`): a hostile upload (a 2,000-page drawing sent to OCR, a decompression
bomb) fails past its budget or takes its worker down, never the server. No extraction logic
lives in the web package.

Limits come first and from the parsers' own: the size (:data:`~extractor.parsers.MAX_INPUT_BYTES`,
counted while the body arrives, so a huge upload is cut off rather than spooled to disk) and
the type (:data:`~extractor.parsers.SUPPORTED_SUFFIXES`, by the name's suffix; the parsers then
check that the content matches).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import re
import tempfile
import threading
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from starlette.requests import Request
from starlette.types import Message

from ..parsers import MAX_INPUT_BYTES, SUPPORTED_SUFFIXES
from ..runners.budget import DEFAULT_BUDGET, process_within_or_exit
from ..runners.common import warm
from ..write import FILE_MODE
from .labels import STAGE_CAUSES, size_label

FORM_OVERHEAD = 64 * 1024  # the multipart headers and the other fields around the file
MAX_NAME_CHARS = 120


class UploadRefused(Exception):
    """An upload that is not filed: ``cause`` (Vietnamese) says why; ``detail`` is the
    pipeline's own message when it has one; ``status`` is the HTTP status to answer with."""

    def __init__(self, filename: str, cause: str, *, detail: str = "", status: int = 400, stage: str = "") -> None:
        super().__init__(cause)
        self.filename, self.cause, self.detail, self.status, self.stage = filename, cause, detail, status, stage


class BodyTooLarge(Exception):
    """The request body passed the limit while it was arriving."""


def limited(request: Request, limit: int) -> Request:
    """The same request, whose body is cut off (:class:`BodyTooLarge`) past ``limit`` bytes.
    A Content-Length over the limit is refused before anything is read."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    seen = 0
    receive = request.receive

    async def receiving() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge
        return message

    return Request(request.scope, receiving)


def too_large(filename: str, limit: int) -> UploadRefused:
    return UploadRefused(filename, f"Tệp quá lớn: giới hạn là {size_label(limit)} cho mỗi tệp.", status=413)


def safe_name(filename: str | None) -> str:
    """The name's last part, printable, without a leading dot (a hidden file is never read by
    ``watch``) and not too long; the suffix is kept."""
    name = unicodedata.normalize("NFC", (filename or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(c for c in name if c.isprintable()).strip().lstrip(".~ ")
    name = re.sub(r"\s+", " ", name)
    stem, suffix = os.path.splitext(name)
    if len(name) > MAX_NAME_CHARS:
        name = stem[: MAX_NAME_CHARS - len(suffix)] + suffix
    return name if stem else f"van-ban{suffix}"


def check_type(filename: str) -> None:
    suffix = Path(filename).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix or "(không có phần mở rộng)"
        raise UploadRefused(filename, f"Loại tệp {shown} không được hỗ trợ. Các loại được nhận: "
                                      f"{', '.join(sorted(SUPPORTED_SUFFIXES))}.", status=415)


@dataclass(frozen=True, slots=True)
class Saved:
    path: Path
    sha256: str


def _copy(source: IO[bytes], folder: Path, limit: int, filename: str) -> tuple[Path, str]:
    """Copy ``source`` to a hidden temporary file in ``folder``: (its path, the bytes' SHA-256)."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".upload-", suffix=".part", dir=folder)
    digest, size = hashlib.sha256(), 0
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as out:
            source.seek(0)
            for chunk in iter(lambda: source.read(1 << 20), b""):
                size += len(chunk)
                if size > limit:
                    raise too_large(filename, limit)
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise UploadRefused(filename, "Tệp rỗng (0 byte).")
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp), digest.hexdigest()


def _place(tmp: Path, target: Path) -> Path:
    """Rename ``tmp`` to ``target``, or to 'name (2).ext' … when that name is taken."""
    stem, suffix = target.stem, target.suffix
    for n in range(1, 1000):
        candidate = target if n == 1 else target.with_name(f"{stem} ({n}){suffix}")
        if not candidate.exists():
            os.rename(tmp, candidate)  # a rename: watch sees a whole file
            return candidate
    raise UploadRefused(target.name, "Không tìm được tên trống cho tệp trong thư mục nhận.")


def into_inbox(source: IO[bytes], filename: str, inbox: Path, *, limit: int = MAX_INPUT_BYTES) -> Saved:
    """Put the upload into the watched inbox, whole or not at all."""
    check_type(filename)
    tmp, sha = _copy(source, inbox, limit, filename)
    try:
        return Saved(_place(tmp, inbox / filename), sha)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def keep(source: IO[bytes], filename: str, uploads: Path, *, limit: int = MAX_INPUT_BYTES) -> Saved:
    """Keep the upload under ``uploads/<first 16 hex of its SHA-256>/<its name>``: the same bytes
    land in the same folder, and the name (hence the type) is the one it was sent with."""
    check_type(filename)
    tmp, sha = _copy(source, uploads, limit, filename)
    try:
        target = uploads / sha[:16] / filename
        target.parent.mkdir(exist_ok=True)
        if target.exists():
            tmp.unlink()
            return Saved(target, sha)
        os.replace(tmp, target)
        return Saved(target, sha)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class Extraction:
    """Uploads extracted one at a time in a worker process, each within ``budget`` seconds
    (None or 0: no limit). The process is started with the server, or at the first upload
    (spawned: the server's threads are not forked), and kept; one that died is replaced at the
    next upload."""

    def __init__(self, budget: float | None = DEFAULT_BUDGET) -> None:
        self.budget = budget
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def record(self, saved: Saved, filename: str) -> dict[str, Any]:
        """The validated record of a kept upload, decoded; :class:`UploadRefused` with a
        Vietnamese cause when the pipeline refuses it. Blocking: call it in a worker thread."""
        with self._lock:
            try:
                result = self._started().submit(process_within_or_exit, str(saved.path), self.budget).result()
            except BrokenProcessPool:
                self._pool = None
                raise UploadRefused(filename, STAGE_CAUSES["budget"], status=422, stage="budget",
                                    detail="the extraction process ended before the document was done "
                                           "(over its time budget, or out of memory)") from None
        if result.json is None:
            cause = STAGE_CAUSES.get(result.stage or "", "Không xử lý được tệp.")
            raise UploadRefused(filename, cause, detail=result.error or "", status=422, stage=result.stage or "")
        return json.loads(result.json)

    def start(self) -> None:
        """Start the worker now (the server starts), so that the first upload finds it warm."""
        with self._lock:
            self._started().submit(os.getpid)

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # Word lists and the validator load before the first budget starts (runners.common.warm).
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=warm)
        return self._pool

    def close(self) -> None:
        """Stop the worker (the server is shutting down); a document in hand is abandoned."""
        pool, self._pool = self._pool, None
        if pool is not None:
            processes = list((getattr(pool, "_processes", None) or {}).values())  # (shutdown forgets them)
            pool.shutdown(wait=False, cancel_futures=True)  # an idle worker ends by itself
            for process in processes:
                process.join(timeout=0.5)
                if process.is_alive():  # busy with a document: not left running past the server
                    process.terminate()
                    process.join(timeout=5)


def discard(saved: Saved, uploads: Path) -> None:
    """Remove a kept upload the register did not take (and its folder, when empty)."""
    saved.path.unlink(missing_ok=True)
    if saved.path.parent.parent == uploads:
        with contextlib.suppress(OSError):
            saved.path.parent.rmdir()  # only when nothing else is in it
