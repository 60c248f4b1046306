"""Command line: extract, schema, validate. Runners only call the pipeline."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .parsers import SUPPORTED_SUFFIXES
from .runners import batch, watch
from .runners.budget import DEFAULT_BUDGET, process_within
from .runners.common import shown, warm
from .runners.filing import Filer, RegisterError
from .runners.inputs import plan_inputs, unique_name
from .validate import json_schema, validate_document
from .version import __version__
from .web import serve
from .write import write_atomic


def cmd_extract(args: argparse.Namespace) -> int:
    out_dir = Path(args.out)
    failures = 0
    used: set[Path] = set()
    planned = plan_inputs(args.paths)
    for skip in planned.skipped:
        print(f"skipped: {shown(skip.path)}: {skip.reason}", file=sys.stderr)
    items = planned.inputs
    if not items:
        print("notice-extractor: no input files found", file=sys.stderr)
        return 1
    show_progress = sys.stderr.isatty() and len(items) > 1 and not args.quiet
    try:
        filer = Filer(args.db) if args.db else None
    except RegisterError as exc:
        print(f"notice-extractor extract: {exc}", file=sys.stderr)
        return 2
    if args.budget:
        warm()  # word lists load before the first budget starts: it is the document's time
    for n, (source, rel) in enumerate(items, start=1):
        result = process_within(source, args.budget)
        if not result.ok:
            failures += 1
            print(f"error: {shown(source)}: {result.error} [{result.stage}]", file=sys.stderr)
            continue
        target = out_dir / unique_name(rel, source, used)
        try:
            write_atomic(target, result.json)
        except OSError as exc:
            failures += 1
            print(f"error: {shown(source)}: cannot write {shown(target)} ({exc.strerror or exc}) [write]", file=sys.stderr)
            continue
        if filer is not None:
            try:
                filer.file(result.json)
            except RegisterError as exc:
                failures += 1
                print(f"error: {shown(source)}: {exc} [register]", file=sys.stderr)
                continue
        if show_progress:
            print(f"[{n}/{len(items)}] {source} -> {target} ({result.tasks} tasks, {result.milliseconds:.0f} ms)",
                  file=sys.stderr)
        elif not args.quiet:
            print(f"{target}\t{result.tasks} tasks")
        if not args.quiet:
            for warning in json.loads(result.json)["warnings"]:
                print(f"warning: {shown(source)}: {warning['message']}", file=sys.stderr)
    if filer is not None:
        filer.close()
    if failures:
        print(f"{failures} of {len(items)} file(s) failed", file=sys.stderr)
    return 1 if failures else 0


def cmd_schema(args: argparse.Namespace) -> int:
    sys.stdout.write(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    bad = 0
    for raw in args.files:
        path = Path(raw)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            print(f"{path}: not readable JSON ({exc})", file=sys.stderr)
            bad += 1
            continue
        problems = validate_document(data)
        if problems:
            bad += 1
            for p in problems[:20]:
                print(f"{path}: {p}", file=sys.stderr)
        else:
            print(f"{path}: valid")
    return 1 if bad else 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="notice-extractor", description=__doc__)
    ap.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="extract task records from notice files or folders")
    ex.add_argument("paths", nargs="+",
                    help=f"files ({', '.join(sorted(SUPPORTED_SUFFIXES))}) or folders (searched recursively)")
    ex.add_argument("--out", "-o", default="outputs", help="output folder (default: outputs)")
    ex.add_argument("--quiet", "-q", action="store_true", help="print errors only")
    ex.add_argument("--budget", type=float, default=DEFAULT_BUDGET, metavar="SECONDS",
                    help=f"time allowed per document; past it the document fails and the run goes on "
                         f"(default {DEFAULT_BUDGET:g}; 0: no limit)")
    ex.add_argument("--db", "--register", metavar="PATH_OR_URL", help="the register to file the records into: an SQLite file (created if need be) or postgresql://… (see serve)")
    ex.set_defaults(func=cmd_extract)
    sc = sub.add_parser("schema", help="print the JSON Schema of the output")
    sc.set_defaults(func=cmd_schema)
    va = sub.add_parser("validate", help="validate JSON outputs against the schema")
    va.add_argument("files", nargs="+")
    va.set_defaults(func=cmd_validate)
    wa = sub.add_parser("watch", help="watch an inbox folder and extract each notice dropped into it")
    watch.add_arguments(wa)
    wa.set_defaults(func=watch.run)
    ba = sub.add_parser("batch", help="extract an archive in parallel, resumable, with spreadsheets and a summary")
    batch.add_arguments(ba)
    ba.set_defaults(func=batch.run)
    se = sub.add_parser("serve", help="the office's register on the web: tasks, notices, uploads, dashboard, JSON API")
    serve.add_arguments(se)
    se.set_defaults(func=serve.run)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
