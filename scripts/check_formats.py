"""Whether every format of a notice files into the register as one notice with one task set.

The issue's promise: the same notice dropped as TXT, DOCX, PDF, scan (and the legacy formats)
is one notice in the register, and each copy after the first is "same_content", never a new
version. Scores per format (scripts/eval.py) do not show this: two formats can score alike and
still disagree on a task's place or a date of the letterhead. This files the records that
``scripts/eval.py`` wrote (outputs/eval/SET/FORMAT/NAME.json) for each notice into a fresh
register, TXT first, and prints the notices that came out otherwise, then one line per set:
"N/M notices are one notice with one task set". With ``--why`` it shows what differs from the
record the register held: the identity's parts, and the tasks' places and texts.

Usage: python scripts/check_formats.py [--set laocai|wide ...] [--why]
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from extractor.letterhead import letters_only
from extractor.register import Register
from extractor.register.identity import identity_of, place

ROOT = Path(__file__).resolve().parent.parent
OUTPUTS = ROOT / "outputs" / "eval"
FORMATS = ("txt", "docx", "pdf", "scan", "odt", "doc", "tcvn3", "vni")


def records(folder: Path) -> dict[str, Path]:
    """NAME -> record file; hidden files, failures.jsonl and summary.json are not records."""
    return {p.stem: p for p in sorted(folder.glob("*.json")) if not p.name.startswith(".") and p.name != "summary.json"}


def why(base: dict[str, Any], other: dict[str, Any]) -> list[str]:
    """What differs between two records of one notice, as the register compares them."""
    out = []
    a, b = identity_of(base["notice"], base["text"]), identity_of(other["notice"], other["text"])
    for field in ("issuer", "doc_type", "number", "symbol", "date", "subject"):
        if getattr(a, field) != getattr(b, field):
            out.append(f"    identity.{field}: {getattr(a, field)[:60]!r} != {getattr(b, field)[:60]!r}")
    left = [f"{place(t['section'])} {letters_only(t['text'])[:70]}" for t in base["tasks"]]
    right = [f"{place(t['section'])} {letters_only(t['text'])[:70]}" for t in other["tasks"]]
    matcher = difflib.SequenceMatcher(None, left, right, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            out += [f"    - {line}" for line in left[i1:i2]] + [f"    + {line}" for line in right[j1:j2]]
    return out


def check(root: Path, show_why: bool) -> tuple[int, int]:
    name = root.name
    folders = {fmt: records(root / fmt) for fmt in FORMATS if (root / fmt).is_dir()}
    names = sorted(folders.get("txt", {}))
    bad = 0
    for notice in names:
        with tempfile.TemporaryDirectory() as tmp:
            register = Register(f"{tmp}/register.db")
            outcomes, loaded, against = [], {}, {}
            current = ""  # the format whose record the register holds as the current version
            for fmt, found in folders.items():
                if notice in found:
                    loaded[fmt] = json.loads(found[notice].read_text(encoding="utf-8"))
                    outcomes.append((fmt, register.add(loaded[fmt]).outcome))
                    against[fmt] = current or fmt
                    if outcomes[-1][1] in ("new_notice", "new_version"):
                        current = fmt
            count = len(register.notice_ids())
            register.close()
        odd = [(fmt, outcome) for i, (fmt, outcome) in enumerate(outcomes)
               if outcome == "new_version" or (i and outcome == "new_notice")]
        if count != 1 or odd:
            bad += 1
            print(f"{name}: {notice}: {count} notice(s); " + " ".join(f"{f}:{o}" for f, o in outcomes))
            if show_why:
                for fmt, _ in odd:
                    print(f"  {fmt} against {against[fmt]}:")
                    print("\n".join(why(loaded[against[fmt]], loaded[fmt])))
    print(f"{name}: {len(names) - bad}/{len(names)} notices are one notice with one task set", flush=True)
    return len(names) - bad, len(names)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", dest="sets", action="append", help="only this set (repeatable)")
    parser.add_argument("--why", action="store_true", help="show what differs from the record held")
    parser.add_argument("--outputs", type=Path, default=OUTPUTS, help=f"the records' folder (default {OUTPUTS})")
    args = parser.parse_args(argv)
    sets = args.sets or (sorted(p.name for p in args.outputs.iterdir() if p.is_dir()) if args.outputs.is_dir() else [])
    if not sets:
        print(f"check_formats: no records in {args.outputs} (run scripts/eval.py first)", file=sys.stderr)
        return 1
    results = [check(args.outputs / name, args.why) for name in sets]
    return 0 if all(good == total for good, total in results) else 1


if __name__ == "__main__":
    sys.exit(main())
