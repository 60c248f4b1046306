"""OCR cost per page: scanned PDFs and broken text layers.

Run from the project root:  .venv/bin/python bench/bench_ocr.py [--pages N] [--threads-pages M]

* ``scan``: pages of ``corpus/rendered/scan/*.pdf`` (image-only renderings of the corpus).
  For each page, rendering at 300 dpi (pypdfium2) and Tesseract (``ocr.recognise``, with the
  ruling search and the re-reading of dropped lines) are timed separately; then the whole
  pipeline (``extract_file``) is timed per document and divided by its pages.
* ``threads``: the same pages OCR'd with ``OMP_THREAD_LIMIT=1`` (what the extractor uses) and
  with Tesseract's default threading, alternating page by page (and which goes first) in this process; the ratio of
  the medians shows why the limit is set on small machines.
* ``second_look``: the first pages OCR'd with and without the second reading of italic runs
  and barely read lines (``parsers/ocr/reread.py``), alternating page by page; the ratio of the
  medians is what that second look costs.
* ``broken``: the two PDFs with a broken font encoding in ``corpus/originals`` end to end
  (OCR of every page plus the glyph repair), per page.

Medians are reported; everything runs in this one process (one core's worth of work, as a
batch worker sees it). Results are printed and written to ``bench/results/ocr.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor import extract_file  # noqa: E402
from extractor.parsers import ocr  # noqa: E402
from extractor.parsers.ocr import recognition, tesseract  # noqa: E402
from extractor.parsers.pdf import adapter as pdf_adapter  # noqa: E402

SCANS = ROOT / "corpus" / "rendered" / "scan"
ORIGINALS = ROOT / "corpus" / "originals"
RESULTS = ROOT / "bench" / "results" / "ocr.json"


def _median_ms(values: list[float]) -> float:
    return round(1000 * statistics.median(values), 1)


def _pages(limit: int) -> list[tuple[Path, int]]:
    """Up to ``limit`` pages, taken round-robin over the scanned documents (first pages first)."""
    import pypdfium2 as pdfium

    documents = sorted(SCANS.glob("*.pdf"))
    counts = {path: len(pdfium.PdfDocument(path)) for path in documents}
    out: list[tuple[Path, int]] = []
    index = 0
    while len(out) < limit and any(index < n for n in counts.values()):
        out += [(path, index) for path in documents if index < counts[path]][: limit - len(out)]
        index += 1
    return out


def bench_scan_pages(pages: list[tuple[Path, int]]) -> dict[str, Any]:
    import pypdfium2 as pdfium

    render, recognise = [], []
    for path, index in pages:
        document = pdfium.PdfDocument(path)
        start = time.perf_counter()
        image, dpi = pdf_adapter.render(document, index)
        render.append(time.perf_counter() - start)
        start = time.perf_counter()
        ocr.recognise(image, dpi)
        recognise.append(time.perf_counter() - start)
        document.close()
    return {"pages": len(pages), "render_ms_per_page": _median_ms(render), "ocr_ms_per_page": _median_ms(recognise)}


def bench_pipeline(paths: list[Path]) -> dict[str, Any]:
    per_page = []
    for path in paths:
        start = time.perf_counter()
        record = extract_file(path)
        elapsed = time.perf_counter() - start
        per_page.append(elapsed / max(record.notice.source.pages or 1, 1))
    return {"documents": len(paths), "pipeline_ms_per_page": _median_ms(per_page)}


def _compare(pages: list[tuple[Path, int]], module: Any, attribute: str, replacement: Any,
             names: tuple[str, str]) -> dict[str, Any]:
    """Median ms to OCR a page with ``module.<attribute>`` as it is and with ``replacement``
    (named ``names``), alternating page by page which goes first, and the ratio replaced / as is."""
    import pypdfium2 as pdfium

    real = getattr(module, attribute)
    as_is: list[float] = []
    replaced: list[float] = []
    for number, (path, index) in enumerate(pages):
        document = pdfium.PdfDocument(path)
        image, dpi = pdf_adapter.render(document, index)
        document.close()
        order = [(real, as_is), (replacement, replaced)]
        for value, sink in order[:: -1 if number % 2 else 1]:
            setattr(module, attribute, value)
            try:
                start = time.perf_counter()
                ocr.recognise(image, dpi)
                sink.append(time.perf_counter() - start)
            finally:
                setattr(module, attribute, real)
    return {
        "pages": len(pages),
        f"{names[0]}_ms_per_page": _median_ms(as_is),
        f"{names[1]}_ms_per_page": _median_ms(replaced),
        f"{names[1]}_over_{names[0]}": round(statistics.median(replaced) / statistics.median(as_is), 2),
    }


def bench_threads(pages: list[tuple[Path, int]]) -> dict[str, Any]:
    def unlimited() -> dict[str, str]:
        env = dict(os.environ)
        env.pop("OMP_THREAD_LIMIT", None)
        return env

    return _compare(pages, tesseract, "_environment", unlimited, ("omp_limit_1", "omp_default"))


def bench_second_look(pages: list[tuple[Path, int]]) -> dict[str, Any]:
    def first_reading_only(image: Any, words: list[ocr.OcrWord], read: Any) -> list[ocr.OcrWord]:
        return words

    return _compare(pages, recognition, "reread", first_reading_only, ("with", "without"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20, help="scanned pages to OCR (default 20)")
    parser.add_argument("--documents", type=int, default=5, help="scanned documents for the pipeline figure")
    parser.add_argument("--threads-pages", type=int, default=4, help="pages for the threading comparison")
    parser.add_argument("--second-look-pages", type=int, default=10, help="pages for the second-look comparison")
    args = parser.parse_args(argv)
    if (reason := ocr.unavailable_reason()) is not None:
        print(f"OCR is unavailable: {reason}", file=sys.stderr)
        return 1
    if not any(SCANS.glob("*.pdf")):
        print(f"no scanned renderings in {SCANS}: run scripts/render_scans.py", file=sys.stderr)
        return 1

    extract_file(next(iter(sorted(SCANS.glob("*.pdf")))))  # warm-up: lexicons and models
    pages = _pages(args.pages)
    results: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "scan": bench_scan_pages(pages),
    }
    results["scan"].update(bench_pipeline(sorted(SCANS.glob("*.pdf"))[: args.documents]))
    results["threads"] = bench_threads(pages[: args.threads_pages])
    results["second_look"] = bench_second_look(pages[: args.second_look_pages])
    broken = sorted(p for p in ORIGINALS.glob("*.pdf") if "mojibake" in p.name or ".signed." in p.name)
    if broken:
        results["broken"] = bench_pipeline(broken)

    scan, threads = results["scan"], results["threads"]
    print(f"scan pages ({scan['pages']}): render {scan['render_ms_per_page']} ms/page, "
          f"OCR {scan['ocr_ms_per_page']} ms/page; pipeline {scan['pipeline_ms_per_page']} ms/page "
          f"({scan['documents']} documents)")
    print(f"threads ({threads['pages']} pages): OMP_THREAD_LIMIT=1 {threads['omp_limit_1_ms_per_page']} ms/page, "
          f"default {threads['omp_default_ms_per_page']} ms/page ({threads['omp_default_over_omp_limit_1']}x)")
    second = results["second_look"]
    print(f"second look ({second['pages']} pages): {second['with_ms_per_page']} ms/page with it, "
          f"{second['without_ms_per_page']} ms/page without "
          f"(with/without {second['with_ms_per_page'] / second['without_ms_per_page']:.2f}x)")
    if "broken" in results:
        print(f"broken text layers ({results['broken']['documents']} PDFs): "
              f"{results['broken']['pipeline_ms_per_page']} ms/page (OCR + glyph repair)")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
