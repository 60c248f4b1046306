"""Throughput of the whole pipeline per input format, and of PDF against bare pdfplumber.

Run from the project root:  .venv/bin/python bench/bench.py [--repeat N] [--formats txt,docx,pdf]

Each format is measured in its own subprocess pinned to one CPU, so that peak RSS is that
format's alone and the numbers are single-core. Inside a worker, models and lexicons are
loaded by one warm-up call before anything is timed; every figure is the median over
``--repeat`` passes over the corpus. The PDF worker then times the pipeline and bare pdfplumber
``page.extract_text()`` on the same files, interleaved file by file in the same process, and
reports the ratio. Results are printed as a table and written to bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
RESULTS = ROOT / "bench" / "results" / "latest.json"
FORMATS = ("txt", "docx", "pdf")
TXT_TARGET = 200.0  # notices/s on one core
PDF_TARGET = 5.0  # times faster than bare pdfplumber
# Originals whose text layer is known to be unreadable (broken font encoding): the pipeline
# refuses them by design, so they say nothing about speed.
BROKEN = ("mojibake", ".signed.")


def corpus_files(fmt: str) -> list[Path]:
    if fmt == "txt":
        return sorted(p for p in (CORPUS / "txt").glob("*.txt") if "mojibake" not in p.name)
    if fmt == "docx":
        return sorted((CORPUS / "originals").glob("*.docx")) + sorted((CORPUS / "rendered" / "docx").glob("*.docx"))
    originals = sorted(p for p in (CORPUS / "originals").glob("*.pdf") if not any(b in p.name for b in BROKEN))
    return originals + sorted((CORPUS / "rendered" / "pdf").glob("*.pdf"))


def peak_rss_mib() -> float:
    # ru_maxrss is KiB on Linux, bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


# --------------------------------------------------------------------------- worker side


def _timed(function: Any, *args: Any) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def run_worker(fmt: str, repeat: int) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    try:
        from extractor.pipeline import extract_file
    except Exception as exc:  # any import failure means: no pipeline to measure yet
        raise SystemExit(
            f"bench: cannot import extractor.pipeline.extract_file ({type(exc).__name__}: {exc}); "
            "the pipeline is not available yet"
        ) from None
    from extractor.errors import ExtractionError
    from extractor.parsers import parse_file

    files = corpus_files(fmt)
    if not files:
        return {"files": 0, "skipped": {}, "note": f"no {fmt} files in the corpus"}

    # Warm-up (models, lexicons, pdfium) and triage: files the pipeline refuses are reported,
    # not timed.
    skipped: dict[str, str] = {}
    pages: dict[Path, int] = {}
    for path in files:
        try:
            extract_file(path)
            pages[path] = parse_file(path).pages or 1
        except ExtractionError as exc:
            skipped[path.name] = exc.message
    timed = [p for p in files if p not in skipped]
    if not timed:
        return {"files": 0, "skipped": skipped}

    pipeline_runs, parse_runs = [], []
    for _ in range(repeat):
        pipeline_runs.append(sum(_timed(extract_file, p) for p in timed))
        parse_runs.append(sum(_timed(parse_file, p) for p in timed))
    pipeline_s = statistics.median(pipeline_runs)
    parse_s = statistics.median(parse_runs)
    total_pages = sum(pages[p] for p in timed)
    result: dict[str, Any] = {
        "files": len(timed),
        "pages": total_pages,
        "skipped": skipped,
        "pipeline_s": pipeline_s,
        "parse_s": parse_s,
        "notices_per_s": len(timed) / pipeline_s,
        "pages_per_s": total_pages / pipeline_s,
        "pipeline_ms_per_notice": 1000 * pipeline_s / len(timed),
        "parse_ms_per_notice": 1000 * parse_s / len(timed),
        "parse_ms_per_page": 1000 * parse_s / total_pages,
        "peak_rss_mib": peak_rss_mib(),
    }
    if fmt == "pdf":
        result["vs_pdfplumber"] = compare_pdfplumber(timed, repeat, extract_file)
        result["peak_rss_mib_with_pdfplumber"] = peak_rss_mib()
    return result


def _pdfplumber_text(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()


def compare_pdfplumber(files: list[Path], repeat: int, extract_file: Any) -> dict[str, Any]:
    """Pipeline vs bare pdfplumber on the same files, alternating file by file so that both
    see the same machine state; medians over the passes."""
    _pdfplumber_text(files[0])  # warm-up
    pipeline_runs, plumber_runs = [], []
    for _ in range(repeat):
        pipeline_s = plumber_s = 0.0
        for path in files:
            pipeline_s += _timed(extract_file, path)
            plumber_s += _timed(_pdfplumber_text, path)
        pipeline_runs.append(pipeline_s)
        plumber_runs.append(plumber_s)
    pipeline_median = statistics.median(pipeline_runs)
    plumber_median = statistics.median(plumber_runs)
    return {
        "pipeline_s": pipeline_median,
        "pdfplumber_s": plumber_median,
        "speedup": plumber_median / pipeline_median,
    }


# --------------------------------------------------------------------------- driver side


def run_format(fmt: str, repeat: int) -> dict[str, Any]:
    """One worker subprocess per format, pinned to one CPU, with single-threaded maths libs."""
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", fmt, "--repeat", str(repeat)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        message = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise SystemExit(f"bench: the {fmt} worker failed: {message}")
    return json.loads(done.stdout)


def _fmt(value: Any, spec: str) -> str:
    return format(value, spec) if isinstance(value, int | float) else "-"


def print_table(results: dict[str, Any], repeat: int) -> None:
    header = f"{'format':<6} {'files':>5} {'pages':>5} {'notices/s':>10} {'pages/s':>9} " \
             f"{'pipeline ms':>12} {'parse ms':>9} {'parse ms/pg':>11} {'peak RSS MiB':>12}"
    print(f"whole pipeline, 1 CPU, median of {repeat} passes (ms are per notice)")
    print(header)
    print("-" * len(header))
    for fmt, r in results["formats"].items():
        print(
            f"{fmt:<6} {r.get('files', 0):>5} {_fmt(r.get('pages'), '>5')} {_fmt(r.get('notices_per_s'), '>10.1f')} "
            f"{_fmt(r.get('pages_per_s'), '>9.1f')} {_fmt(r.get('pipeline_ms_per_notice'), '>12.2f')} "
            f"{_fmt(r.get('parse_ms_per_notice'), '>9.2f')} {_fmt(r.get('parse_ms_per_page'), '>11.2f')} "
            f"{_fmt(r.get('peak_rss_mib'), '>12.1f')}"
        )
        for name, reason in r.get("skipped", {}).items():
            print(f"       skipped {name}: {reason}")
    summary = results["summary"]
    if "txt_notices_per_s" in summary:
        verdict = "ok" if summary["txt_notices_per_s"] >= TXT_TARGET else "BELOW TARGET"
        print(f"TXT on one core: {summary['txt_notices_per_s']:.1f} notices/s (target >= {TXT_TARGET:.0f}/s: {verdict})")
    if "pdf_speedup_vs_pdfplumber" in summary:
        cmp = results["formats"]["pdf"]["vs_pdfplumber"]
        verdict = "ok" if summary["pdf_speedup_vs_pdfplumber"] >= PDF_TARGET else "BELOW TARGET"
        print(
            f"PDF pipeline {1000 * cmp['pipeline_s']:.1f} ms vs bare pdfplumber extract_text {1000 * cmp['pdfplumber_s']:.1f} ms "
            f"on the same {results['formats']['pdf']['files']} files (interleaved): "
            f"{cmp['speedup']:.1f}x faster (target >= {PDF_TARGET:.0f}x: {verdict})"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="passes over the corpus; medians are reported")
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated subset of txt,docx,pdf")
    parser.add_argument("--worker", choices=FORMATS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    if args.worker:
        if hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        print(json.dumps(run_worker(args.worker, args.repeat)))
        return 0

    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        parser.error(f"unknown format(s): {', '.join(unknown)}")
    results: dict[str, Any] = {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs (workers pinned to 1)",
        "repeat": args.repeat,
        "formats": {fmt: run_format(fmt, args.repeat) for fmt in formats},
    }
    summary: dict[str, Any] = {}
    if results["formats"].get("txt", {}).get("files"):
        summary["txt_notices_per_s"] = results["formats"]["txt"]["notices_per_s"]
        summary["txt_target_met"] = summary["txt_notices_per_s"] >= TXT_TARGET
    if results["formats"].get("pdf", {}).get("files"):
        summary["pdf_speedup_vs_pdfplumber"] = results["formats"]["pdf"]["vs_pdfplumber"]["speedup"]
        summary["pdf_target_met"] = summary["pdf_speedup_vs_pdfplumber"] >= PDF_TARGET
    results["summary"] = summary

    print_table(results, args.repeat)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
