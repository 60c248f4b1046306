"""Coverage-guided fuzzing of every parser backend and of the whole pipeline (atheris).

    .venv/bin/python fuzz/fuzz_parsers.py TARGET [libFuzzer options, e.g. -max_total_time=60]

TARGET is one of: txt, docx, pdf, html, pipeline (a text through every stage). Each run is
seeded from the corpus files of its format (copied into ``fuzz/work/TARGET/``, or
``$FUZZ_WORK/TARGET/``, where the fuzzer also keeps what it finds worth keeping; the tests give
a fresh folder, so that their short run is the same on every machine). Bad input must end in an ``ExtractionError``
(the one-line error users see); anything else -- another exception, a crash, a hang past
libFuzzer's ``-timeout``, memory past ``-rss_limit_mb`` -- is a finding: libFuzzer writes the
input to ``fuzz/work/crash-*`` and stops. Every finding becomes a regression test in
``tests/test_fuzz.py``. OCR and LibreOffice are switched off here: a fuzzer needs thousands of
runs a second, and those backends are external programs with their own timeouts.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parent.parent
SEEDS = {
    "txt": [ROOT / "corpus" / "txt", ROOT / "corpus" / "wide" / "txt", ROOT / "corpus" / "rendered" / "tcvn3"],
    "docx": [ROOT / "corpus" / "originals", ROOT / "corpus" / "rendered" / "docx"],
    "pdf": [ROOT / "corpus" / "rendered" / "pdf"],
    "html": [],
    "pipeline": [ROOT / "corpus" / "txt", ROOT / "corpus" / "wide" / "txt"],
}
SUFFIX = {"txt": ".txt", "docx": ".docx", "pdf": ".pdf", "html": ".html", "pipeline": ".txt"}
MAX_SEED_BYTES = 300_000  # big seeds slow every run down; the small ones carry the structure

with atheris.instrument_imports(include=["extractor"]):
    from extractor.errors import ExtractionError
    from extractor.parsers import ocr
    from extractor.parsers.docx import DocxParser
    from extractor.parsers.html import HtmlParser
    from extractor.parsers.pdf import PdfParser
    from extractor.parsers.txt import TextParser
    from extractor.pipeline import extract_document

ocr.unavailable_reason = lambda: "switched off while fuzzing"  # type: ignore[assignment]
PARSERS = {"txt": TextParser(), "docx": DocxParser(), "pdf": PdfParser(), "html": HtmlParser(), "pipeline": TextParser()}


def seed(target: str) -> Path:
    work = Path(os.environ.get("FUZZ_WORK") or ROOT / "fuzz" / "work") / target
    work.mkdir(parents=True, exist_ok=True)
    for folder in SEEDS[target]:
        for path in sorted(folder.glob("*")) if folder.is_dir() else []:
            if path.is_file() and path.suffix.lower() == SUFFIX[target] and path.stat().st_size <= MAX_SEED_BYTES:
                shutil.copy(path, work / path.name)
    if target == "html":  # no saved portal page in the corpus: notices as a portal would show them
        for path in sorted((ROOT / "corpus" / "txt").glob("*.txt"))[:5]:
            body = "".join(f"<p>{line}</p>" for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
            page = f"<html><head><title>Văn bản</title></head><body><nav>Trang chủ</nav><article>{body}</article></body></html>"
            (work / f"{path.stem}.html").write_text(page, encoding="utf-8")
    return work


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in SEEDS:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(SEEDS)}}} [libFuzzer options]")
    target = sys.argv[1]
    parser = PARSERS[target]
    name = Path("fuzz" + SUFFIX[target])

    def one_input(data: bytes) -> None:
        try:
            parsed = parser.parse(name, data)
            if target == "pipeline":
                extract_document(parsed)
        except ExtractionError:
            pass  # the clean refusal every bad input must end in

    work = seed(target)
    args = [sys.argv[0], *sys.argv[2:], f"-artifact_prefix={work.parent}/", str(work)]
    if not any(a.startswith("-timeout") for a in args):
        args.insert(1, "-timeout=20")
    if not any(a.startswith("-rss_limit_mb") for a in args):
        args.insert(1, "-rss_limit_mb=1024")
    atheris.Setup(args, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
