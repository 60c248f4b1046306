"""One writer per output folder.

Two runs writing one folder step on each other: a second ``batch --resume`` would delete the
first one's temporary tables, two archives would leave tables of one and records of both. A run
that writes a folder holds an exclusive ``flock`` on ``DIR/.notice-extractor.lock`` for its whole
life; the kernel releases it when the process ends, even by ``kill -9``, so a stale lock never
blocks. The file says who holds it, for the message the second run prints.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from pathlib import Path

LOCK_NAME = ".notice-extractor.lock"


class FolderBusy(Exception):
    """Another run holds the folder."""


class OutputLock:
    def __init__(self, out_dir: Path, command: str) -> None:
        self.path = out_dir / LOCK_NAME
        self.command = command
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _describe(fd)
            os.close(fd)
            raise FolderBusy(f"{self.path.parent} is being written by another notice-extractor run{holder}; wait for it "
                             "to finish or choose another --out") from None
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps({"pid": os.getpid(), "command": self.command,
                                 "since": time.strftime("%Y-%m-%dT%H:%M:%S%z")}).encode() + b"\n")
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing releases the lock; the file stays (removing it would race)
            self._fd = None


def _describe(fd: int) -> str:
    try:
        info = json.loads(os.pread(fd, 4096, 0).decode() or "{}")
        return f" ({info['command']}, pid {info['pid']}, since {info['since']})"
    except (OSError, ValueError, KeyError, UnicodeDecodeError):
        return ""
