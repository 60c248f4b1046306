"""Legacy word-processor files (.doc, .rtf, .odt), converted to DOCX by LibreOffice and read by
the DOCX backend.

LibreOffice runs headless, one conversion at a time per process, with a private profile (so it
neither uses nor waits for a user's running instance), on a copy of the input in a temporary
folder (the input's own folder is never written to), under a time limit after which the whole
process group is killed. Without LibreOffice these formats are refused with a message naming
the package to install.

An OLE container is either a Word 97-2003 document (it holds a "WordDocument" stream) or, for
our purposes, an encrypted OOXML file (an "EncryptedPackage" stream): the second gets the
"encrypted" error, as before, and never reaches LibreOffice.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import ClassVar

from ..errors import InputError
from .base import Backend, ParsedDocument
from .docx import DocxParser
from .ooxml import OLE_MAGIC

CONVERT_TIMEOUT = float(os.environ.get("NOTICE_OFFICE_TIMEOUT", "120"))  # seconds per file
PACKAGE = "libreoffice-writer-nogui"
ODT_MIME = b"mimetypeapplication/vnd.oasis.opendocument.text"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_WORD_STREAM = "WordDocument".encode("utf-16-le")

_lock = threading.Lock()  # one LibreOffice at a time per process: they would share the profile
_profiles: dict[int, str] = {}  # pid -> private profile folder


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _profile() -> str:
    """This process's LibreOffice profile (created on first use, removed at exit). Keyed by
    pid, so a forked worker makes its own instead of sharing its parent's."""
    pid = os.getpid()
    if pid not in _profiles:
        folder = tempfile.mkdtemp(prefix="notice-office-profile-")
        _profiles[pid] = folder
        atexit.register(shutil.rmtree, folder, True)
    return _profiles[pid]


def kind_of(head: bytes) -> str | None:
    """"doc", "rtf" or "odt" from the first bytes (OLE files are "doc" until read in full)."""
    if head.startswith(OLE_MAGIC):
        return "doc"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"PK\x03\x04") and head[30:30 + len(ODT_MIME)] == ODT_MIME:
        return "odt"
    return None


def _check_ole(data: bytes) -> None:
    if _ENCRYPTED_STREAM in data:
        raise InputError("encrypted DOCX (password-protected Office file; not a legacy .doc): remove the password and save it as .docx")
    if _WORD_STREAM not in data:
        raise InputError("OLE file that is not a Word document (no WordDocument stream): .xls, .ppt and .msg are not supported")


def convert_to_docx(data: bytes, kind: str, timeout: float = CONVERT_TIMEOUT) -> bytes:
    """DOCX bytes of a .doc/.rtf/.odt file's content, by LibreOffice."""
    soffice = find_soffice()
    if soffice is None:
        raise InputError(
            f"cannot read .{kind} files: LibreOffice is not installed "
            f"(install the Debian package {PACKAGE}, e.g. with `make system-deps`)"
        )
    with tempfile.TemporaryDirectory(prefix="notice-office-") as work:
        source = Path(work) / f"document.{kind}"
        source.write_bytes(data)
        outdir = Path(work) / "out"
        command = [
            soffice, f"-env:UserInstallation={Path(_profile()).as_uri()}", "--headless", "--invisible",
            "--norestore", "--nolockcheck", "--nodefault", "--nologo",
            "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outdir), str(source),
        ]
        with _lock:
            stderr = _run(command, timeout, cwd=work)
        result = outdir / "document.docx"
        if not result.is_file() or result.stat().st_size == 0:
            detail = stderr.strip().splitlines()[-1][:200] if stderr.strip() else "no output"
            raise InputError(f"LibreOffice could not convert the .{kind} file (corrupt or password-protected?): {detail}")
        return result.read_bytes()


def _run(command: list[str], timeout: float, cwd: str) -> str:
    """Run LibreOffice in its own process group; on time-out kill the group (soffice.bin too)."""
    try:
        process = subprocess.Popen(
            command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, start_new_session=True,
        )
    except OSError as exc:
        raise InputError(f"LibreOffice could not be started ({exc.strerror or exc})") from None
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        # A killed LibreOffice may leave its profile locked or half-written: start afresh.
        stale = _profiles.pop(os.getpid(), None)
        if stale:
            shutil.rmtree(stale, ignore_errors=True)
        raise InputError(f"LibreOffice did not convert the file within {timeout:.0f} s") from None
    return stderr.decode("utf-8", "replace")


class OfficeParser(Backend):
    format: ClassVar[str] = "office"
    suffixes: ClassVar[tuple[str, ...]] = (".doc", ".rtf", ".odt")

    def sniff(self, head: bytes) -> bool:
        # Every OLE file is claimed: read() tells .doc from encrypted DOCX with the whole file.
        return kind_of(head) is not None

    def read(self, data: bytes) -> ParsedDocument:
        """The DOCX that LibreOffice makes of ``data``, read by the DOCX backend; stamped as the
        original file, in format "office"."""
        kind = kind_of(data[:8192])
        if kind is None:
            raise InputError("not a .doc, .rtf or .odt file (content does not match)")
        if kind == "doc":
            _check_ole(data)
        converted = convert_to_docx(data, kind)
        try:
            return DocxParser().read(converted)
        except InputError as exc:
            raise InputError(f".{kind} converted by LibreOffice: {exc.message}") from None
