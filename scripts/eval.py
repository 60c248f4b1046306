"""Score every rendering of both corpus sets against the hand-made answers (``make eval``).

Sets: ``laocai`` (``corpus/txt`` and its renderings in ``corpus/rendered``, answers in
``../shared/eval/dev``) and ``wide`` (``corpus/wide/txt`` and ``corpus/wide/rendered``, answers
in ``../shared/eval/dev-wide``). For each set and format the inputs go through
``notice-extractor batch DIR --out outputs/eval/SET/FORMAT`` (the folder is emptied first) and
``../shared/eval/score.py`` scores the records; its summary (the last line it prints) becomes
one row of the table. "docs" counts the answered documents that got a record. The scanned
formats are OCR'd: a few minutes.

Usage: python scripts/eval.py [--set laocai|wide ...] [--format txt|docx|... ...]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
OUTPUTS = ROOT / "outputs" / "eval"
# set -> (answers, {format: input folder})
SETS: dict[str, tuple[Path, dict[str, Path]]] = {
    "laocai": (EVAL / "dev", {
        "txt": ROOT / "corpus" / "txt",
        **{fmt: ROOT / "corpus" / "rendered" / fmt for fmt in ("docx", "pdf", "scan", "tcvn3", "vni", "doc", "odt")},
    }),
    "wide": (EVAL / "dev-wide", {
        "txt": ROOT / "corpus" / "wide" / "txt",
        **{fmt: ROOT / "corpus" / "wide" / "rendered" / fmt for fmt in ("docx", "pdf", "scan")},
    }),
}
COLUMNS = ("task_f1", "units_f1", "criteria_f1", "deadlines_f1", "figures_f1", "meta_acc")
HEADER = ("set", "format", "task", "units", "criteria", "deadlines", "figures", "meta", "docs")
WIDTHS = (6, 6, 5, 5, 8, 9, 7, 5, 5)


def row(cells: tuple[str, ...] | list[str]) -> str:
    return " | ".join(cell.ljust(width) for cell, width in zip(cells, WIDTHS, strict=False)).rstrip()


def extractor_command() -> str:
    beside = Path(sys.executable).parent / "notice-extractor"  # the venv's, when run by its python
    found = str(beside) if beside.is_file() else shutil.which("notice-extractor")
    if not found:
        sys.exit("eval: notice-extractor not found; run `make` targets from the project's venv")
    return found


def score(gold: Path, inputs: Path, out: Path, extractor: str) -> list[str]:
    """The row's cells after the set and format: six scores and the documents with a record."""
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    # Some inputs are unreadable on purpose (a PDF's garbage text layer): batch reports them and
    # exits non-zero; the scorer counts their missing records.
    subprocess.run([extractor, "batch", str(inputs), "--out", str(out)],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    result = subprocess.run([sys.executable, str(EVAL / "score.py"), "--gold", str(gold), "--pred", str(out)],
                            capture_output=True, text=True, check=False)
    lines = result.stdout.strip().splitlines()
    try:
        summary = json.loads(lines[-1].rpartition(" | ")[2])
    except (IndexError, json.JSONDecodeError):
        detail = (result.stderr.strip() or result.stdout.strip() or "no output").splitlines()[-1]
        return [f"score.py failed: {detail}"]
    golds = len(list(gold.glob("*.gold.json")))
    missing = sum(line.endswith(": no output") for line in lines)
    return [f"{summary[key]:.3f}" for key in COLUMNS] + [f"{golds - missing}/{golds}"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", dest="sets", action="append", choices=tuple(SETS), help="only this set (repeatable)")
    parser.add_argument("--format", dest="formats", action="append", help="only this format (repeatable)")
    args = parser.parse_args(argv)
    if not (EVAL / "score.py").is_file():
        print(f"eval: {EVAL / 'score.py'} not found (../shared/eval beside the project)", file=sys.stderr)
        return 1
    extractor = extractor_command()
    print(row(HEADER))
    print(row(["-" * width for width in WIDTHS]))
    status = 0
    for name in args.sets or SETS:
        gold, formats = SETS[name]
        for fmt, inputs in formats.items():
            if args.formats and fmt not in args.formats:
                continue
            if not any(inputs.glob("*")):
                cells = [f"no inputs in {inputs.relative_to(ROOT)} (make corpus)"]
                status = 1
            else:
                cells = score(gold, inputs, OUTPUTS / name / fmt, extractor)
                if len(cells) == 1:  # the scorer failed
                    status = 1
            print(row([name, fmt, *cells]), flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
