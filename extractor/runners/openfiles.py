"""Is a file still open for writing by some process on this machine?

Filesystem events tell when a writer closes a file; a scan (``watch --poll``, files found at
start-up) does not. On Linux ``/proc/PID/fd`` and ``/proc/PID/fdinfo`` answer the question
for every process we may look at, whatever the writer's pauses. Elsewhere, or for a writer on
another machine (a network share), the answer is "unknown" and the settle time decides.
"""

from __future__ import annotations

import os
from pathlib import Path

_PROC = Path("/proc")
_WRITE_MODES = (os.O_WRONLY, os.O_RDWR)


def open_for_writing(path: Path) -> bool | None:
    """True when a process holds ``path`` open for writing, False when none does, None when
    this machine cannot tell."""
    if not (_PROC / "self" / "fdinfo").is_dir():
        return None
    try:
        target = path.stat()
    except OSError:
        return False
    try:
        pids = [p for p in os.listdir(_PROC) if p.isdigit()]  # (this process only ever reads inputs)
    except OSError:
        return None
    for pid in pids:
        fd_dir = _PROC / pid / "fd"
        try:
            fds = os.listdir(fd_dir)
        except OSError:
            continue  # gone, or not ours to look at
        for fd in fds:
            try:
                st = os.stat(fd_dir / fd)
            except OSError:
                continue
            if st.st_ino != target.st_ino or st.st_dev != target.st_dev:
                continue
            try:
                flags_line = next(line for line in (_PROC / pid / "fdinfo" / fd).read_text().splitlines()
                                  if line.startswith("flags:"))
            except (OSError, StopIteration):
                return True  # it is open and we cannot see how: assume the worst
            if int(flags_line.split()[1], 8) & os.O_ACCMODE in _WRITE_MODES:
                return True
    return False
