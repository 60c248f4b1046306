"""Legacy-encoding conversion, ours against the ``viparse`` package's, on the corpus renderings.

Run from the project root, with viparse installed (it is not a dependency; measured with
0.1.31, whose converter is the internal ``viparse.normalize.normalizer._convert``):
    .venv/bin/pip install viparse==0.1.31 && .venv/bin/python bench/legacy_vs_viparse.py

For each TCVN3 and VNI plain-text rendering (``corpus/rendered/{tcvn3,vni}/*.txt``, made by
``scripts/render_legacy.py``) both converters turn the text into Unicode, and the words that
match the Unicode original (``corpus/txt``, in order) are counted.
"""

from __future__ import annotations

import difflib
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.parsers import legacy_encodings  # noqa: E402
from extractor.parsers.txt import _cp1252  # noqa: E402


def _matching_words(truth: str, converted: str) -> tuple[int, int]:
    expected, got = truth.split(), converted.split()
    matcher = difflib.SequenceMatcher(None, expected, got, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()), len(expected)


def main() -> int:
    try:
        from viparse.normalize.encodings import get_charmap
        from viparse.normalize.normalizer import _convert
    except ImportError:
        print("viparse is not installed: pip install viparse", file=sys.stderr)
        return 1
    for encoding in ("tcvn3", "vni"):
        totals = {"viparse": [0, 0], "notice-extractor": [0, 0]}
        for path in sorted((ROOT / "corpus" / "rendered" / encoding).glob("*.txt")):
            truth = unicodedata.normalize("NFC", (ROOT / "corpus" / "txt" / path.name).read_text(encoding="utf-8"))
            text = _cp1252(path.read_bytes())  # the legacy bytes as Windows-1252, as a legacy editor shows them
            for name, converted in (("viparse", _convert(text, get_charmap(encoding), "NFC")),
                                    ("notice-extractor", legacy_encodings.repair_text(text)[0])):
                same, total = _matching_words(truth, converted)
                totals[name][0] += same
                totals[name][1] += total
        for name, (same, total) in totals.items():
            print(f"{encoding:6} {name:17} {same / total:.4f} of {total} words")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
