"""The analyst's archive: `notice-extractor batch ARCHIVE... --out DIR` (issue 3)."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--out", "-o", default="outputs")


def run(args: argparse.Namespace) -> int:
    raise SystemExit("notice-extractor batch: not built yet")
