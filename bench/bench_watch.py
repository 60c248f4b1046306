"""Drop → JSON latency of the watched inbox for a 3-page PDF.

Run from the project root:  .venv/bin/python bench/bench_watch.py [--n 20] [--settle SECONDS]

A real watcher (``python -m extractor watch``, filesystem events, the default settle time unless
``--settle``) runs as a subprocess on a temporary inbox. A 3-page PDF from corpus/rendered/pdf is
dropped N times, one at a time, each copy under a new name with a trailing PDF comment so that
its content (sha256) differs and the ledger does not take it for a duplicate. The clock starts at
the atomic rename into the inbox and stops when the JSON record exists in the output folder
(the watcher writes it by rename, so existing means complete). Two ways of renaming in:

* ``external``: written in a sibling folder, renamed into the inbox. inotify reports a plain
  creation, so the watcher waits out the settle time: the case of most copy tools.
* ``temp_name``: written in the inbox as ``.NAME.part``, renamed to ``NAME``. The rename itself
  says the file is whole, so no settle wait (browsers, rsync, careful scripts).

One untimed drop first loads the models. Target: median under 1 s. Printed and written to
bench/results/watch.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "watch.json"
TARGET_SECONDS = 1.0


def three_page_pdf() -> tuple[Path, int]:
    import pypdfium2 as pdfium

    for path in sorted((ROOT / "corpus" / "rendered" / "pdf").glob("*.pdf")):
        doc = pdfium.PdfDocument(path)
        try:
            pages = len(doc)
        finally:
            doc.close()
        if pages == 3:
            return path, pages
    raise SystemExit("bench_watch: no 3-page PDF in corpus/rendered/pdf")


class Watcher:
    """The watcher subprocess and its JSON log, read on a thread so its pipe never fills."""

    def __init__(self, inbox: Path, out: Path, settle: float | None) -> None:
        cmd = [sys.executable, "-m", "extractor", "watch", str(inbox), "--out", str(out), "--json-log"]
        if settle is not None:
            cmd += ["--settle", str(settle)]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None and self.proc.stderr is not None
        self.banner = self.proc.stderr.readline().strip()  # printed once events are live
        self.log: dict[str, dict[str, Any]] = {}
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            entry = json.loads(line)
            self.log[entry["file"]] = entry

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def drop_and_wait(data: bytes, name: str, inbox: Path, staging: Path, out: Path, mode: str, timeout: float = 30.0) -> float:
    """Seconds from the rename into the inbox until ``out/<stem>.json`` exists."""
    tmp = staging / name if mode == "external" else inbox / f".{name}.part"
    with tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    target = out / (Path(name).stem + ".json")
    start = time.perf_counter()
    os.replace(tmp, inbox / name)
    while not target.exists():
        if time.perf_counter() - start > timeout:
            raise SystemExit(f"bench_watch: no JSON for {name} after {timeout:.0f} s")
        time.sleep(0.001)
    return time.perf_counter() - start


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"median_ms": round(statistics.median(ordered) * 1000, 1),
            "p90_ms": round(ordered[max(0, round(0.9 * len(ordered)) - 1)] * 1000, 1),
            "min_ms": round(ordered[0] * 1000, 1), "max_ms": round(ordered[-1] * 1000, 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20, help="timed drops per mode (default 20)")
    ap.add_argument("--settle", type=float, default=None, help="pass --settle to the watcher (default: its own)")
    args = ap.parse_args()

    pdf, pages = three_page_pdf()
    original = pdf.read_bytes()
    with tempfile.TemporaryDirectory(prefix="bench-watch-") as tmp:
        inbox, out, staging = Path(tmp) / "inbox", Path(tmp) / "out", Path(tmp) / "staging"
        inbox.mkdir()
        staging.mkdir()
        watcher = Watcher(inbox, out, args.settle)
        counter = 0

        def variant() -> tuple[bytes, str]:
            nonlocal counter
            counter += 1  # a PDF comment after %%EOF: same document, different sha256
            return original + f"\n% bench copy {counter}\n".encode(), f"copy-{counter:03d}.pdf"

        try:
            drop_and_wait(*variant(), inbox, staging, out, "external")  # warm-up: models, lexicons, pdfium
            modes: dict[str, Any] = {}
            for mode in ("external", "temp_name"):
                latencies, names = [], []
                for _ in range(args.n):
                    data, name = variant()
                    latencies.append(drop_and_wait(data, name, inbox, staging, out, mode))
                    names.append(name)
                deadline = time.monotonic() + 5
                while not all(n in watcher.log for n in names) and time.monotonic() < deadline:
                    time.sleep(0.01)
                processing = [watcher.log[n]["ms"] / 1000 for n in names if n in watcher.log]
                statuses = {watcher.log[n]["status"] for n in names if n in watcher.log}
                modes[mode] = {"latency": summary(latencies), "watcher_handling": summary(processing),
                               "statuses": sorted(statuses)}
        finally:
            watcher.stop()

    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "platform": platform.platform(), "python": platform.python_version(), "cpus": os.cpu_count(),
        "file": str(pdf.relative_to(ROOT)), "pages": pages, "n": args.n,
        "watcher": watcher.banner[watcher.banner.rfind("("):], "target_ms": TARGET_SECONDS * 1000, "modes": modes,
        "pass": all(m["latency"]["median_ms"] < TARGET_SECONDS * 1000 for m in modes.values()),
    }
    print(f"watch latency, {pdf.name} ({pages} pages), {args.n} drops per mode, watcher {result['watcher']}")
    print(f"{'mode':<10} {'median':>9} {'p90':>9} {'max':>9}   {'handling median':>15}")
    for mode, m in modes.items():
        lat, han = m["latency"], m["watcher_handling"]
        print(f"{mode:<10} {lat['median_ms']:>7.0f}ms {lat['p90_ms']:>7.0f}ms {lat['max_ms']:>7.0f}ms"
              f"   {han['median_ms']:>13.0f}ms")
    print(f"target: median < {TARGET_SECONDS * 1000:.0f} ms: {'PASS' if result['pass'] else 'FAIL'}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if result["pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
