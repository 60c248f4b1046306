"""A real `notice-extractor serve` for the tests: the command a clerk runs, in its own process,
on a free port of 127.0.0.1, answered over HTTP; stopped (SIGTERM, then SIGKILL) after.

Tests that use it see what a user sees: the CLI's arguments, uvicorn, the register on disk.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
START_SECONDS = 60.0  # imports and the first request on a busy 2-core machine


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serve(db: Path | str, *, uploads: Path | None = None, token: str | None = None, today: dt.date | None = None,
          inbox: Path | None = None, budget: float | None = None, log: Path | None = None) -> Iterator[str]:
    """Yield the base URL ("http://127.0.0.1:PORT") of a running server over ``db``."""
    port = free_port()
    command = [sys.executable, "-m", "extractor", "serve", "--db", str(db), "--port", str(port)]
    if uploads is not None:
        command += ["--uploads", str(uploads)]
    if inbox is not None:
        command += ["--inbox", str(inbox)]
    if today is not None:
        command += ["--today", today.isoformat()]
    if budget is not None:
        command += ["--budget", str(budget)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("NOTICE_EXTRACTOR_TOKEN", None)
    if token is not None:
        command += ["--token", token]
    log_file = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log_file is not subprocess.DEVNULL:
            log_file.close()


def _wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"serve exited with {process.returncode} before answering")
        try:
            if httpx.get(f"{base}/api/openapi.json", timeout=2).status_code == 200:  # readable without a token
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"serve did not answer on {base} within {START_SECONDS:.0f} s")
