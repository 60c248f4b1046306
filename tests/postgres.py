"""A real PostgreSQL server for the tests, started in a temporary folder and stopped after.

Debian's `postgresql` package provides the binaries (CI installs it with `make system-deps`);
the server refuses to run as root, so as root it runs as the `postgres` user the package
creates. It listens on a Unix socket only.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path


def _bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    return next((str(v / name) for v in versions if (v / name).exists()), None)


def unavailable_reason() -> str | None:
    if _bin("initdb") is None or _bin("pg_ctl") is None:
        return "PostgreSQL is not installed (apt install postgresql)"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser"
    return None


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """Yield a SQLAlchemy URL of a fresh, empty server."""
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    assert initdb and pg_ctl
    root = Path(tempfile.mkdtemp(prefix="notice-pg-"))
    data, socket = root / "data", root / "socket"
    socket.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(socket, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    root.chmod(0o755)
    run = lambda *args: subprocess.run([*as_user, *args], check=True, capture_output=True, timeout=120)  # noqa: E731
    try:
        run(initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        run(pg_ctl, "-D", str(data), "-l", str(root / "log"), "-w", "-t", "60",
            "-o", f"-k {socket} -c listen_addresses='' -p 5433 -c fsync=off", "start")
        yield f"postgresql+psycopg://postgres@/postgres?host={socket}&port=5433"
    finally:
        with contextlib.suppress(Exception):
            run(pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)
