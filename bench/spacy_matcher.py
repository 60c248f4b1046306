"""Unit heads found by spaCy's rule-based matching against our folded-text regexes.

The issue asks for agency names read from the grammar of names, with spaCy's Matcher as the
tool made for it, or a measurement of why something else reads better. This script measures
the one part the two approaches share -- finding where unit head nouns and groups start -- on
every text of both corpus sets, in one process, alternating which goes first:

- ours: ``unitnames.mentions`` (regexes over ``fold(text)``, which keeps offsets; where a
  name ends is then decided by the word-list walk in ``unitnames.name_end``);
- spaCy: ``spacy.blank("xx")`` tokenisation plus a ``PhraseMatcher`` (attr ``LOWER``) over the
  same head nouns and groups from ``extractor/data/units.json`` (case-sensitive, longest match).

It prints the median time per notice of each, their ratio, and how many head positions each
finds that the other does not. Needs spaCy (``pip install spacy``; not a runtime dependency).

Run from the project root:  .venv/bin/python bench/spacy_matcher.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from extractor.parsers import parse_file
from extractor.unitnames import mention_at, mentions
from extractor.vocab import table

ROOT = Path(__file__).resolve().parent.parent


def texts() -> list[str]:
    files = sorted((ROOT / "corpus" / "txt").glob("*.txt")) + sorted((ROOT / "corpus" / "wide" / "txt").glob("*.txt"))
    out = []
    for path in files:
        try:
            out.append("\n".join(b.text for b in parse_file(path).blocks))
        except Exception:  # the deliberately unreadable corpus file
            continue
    return out


def main() -> None:
    import spacy
    from spacy.matcher import PhraseMatcher
    from spacy.util import filter_spans

    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    docs = texts()
    nlp = spacy.blank("xx")
    units = table("units")
    matcher = PhraseMatcher(nlp.vocab)  # case-sensitive, as our heads are ("Phòng" names, "phòng" not)
    matcher.add("HEAD", [nlp.make_doc(w) for w in units["head_nouns"] + units["group_heads"]])

    def ours(text: str) -> set[int]:
        mention_at.cache_clear()
        return {m.start for m in mentions(text)}

    def theirs(text: str) -> set[int]:
        doc = nlp.make_doc(text)
        spans = filter_spans([doc[s:e] for _, s, e in matcher(doc)])  # longest, not overlapping
        return {span.start_char for span in spans}

    timings: dict[str, list[float]] = {"ours": [], "spacy": []}
    for r in range(args.repeat):
        order = [("ours", ours), ("spacy", theirs)]
        for name, fn in order if r % 2 == 0 else order[::-1]:  # alternate which goes first
            t = time.perf_counter()
            for text in docs:
                fn(text)
            timings[name].append((time.perf_counter() - t) / len(docs))
    ours_t, theirs_t = timings["ours"], timings["spacy"]
    only_ours = only_theirs = 0
    for text in docs:
        a, b = ours(text), theirs(text)
        only_ours += len(a - b)
        only_theirs += len(b - a)
    mo, mt = statistics.median(ours_t) * 1000, statistics.median(theirs_t) * 1000
    print(f"{len(docs)} notices, median of {len(ours_t)} passes")
    print(f"ours (regex over folded text, with name ends): {mo:.2f} ms/notice")
    print(f"spaCy blank('xx') + PhraseMatcher (heads only): {mt:.2f} ms/notice ({mt / mo:.2f}x ours)")
    print(f"head positions only ours found: {only_ours}; only spaCy found: {only_theirs}")


if __name__ == "__main__":
    main()
