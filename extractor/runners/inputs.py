"""Which files a run reads, and the output name each one gets: shared by ``extract`` and
``batch`` so that both walk, skip and name alike.

- Folders are walked recursively in sorted order; hidden entries are left out; their layout is
  mirrored under ``--out`` (several folders from their common parent); a file named directly
  lands at the top of ``--out``.
- Only regular files are read. A named pipe, socket or device is skipped with a reason (opening
  a pipe would hang the run); a symbolic link inside a folder is followed only when it stays
  inside that folder, so an archive or inbox cannot publish a private file from elsewhere. A
  link named directly on the command line is the user's own choice and is followed.
- Every input gets its own output name: ``x.txt`` and ``x.docx`` side by side give ``x.json``
  and ``x.docx.json``; three ``x.txt`` from three folders named directly give ``x.json``,
  ``x.txt.json`` and ``x.2.txt.json`` — in input order, so the same command names alike.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..parsers import SUPPORTED_SUFFIXES


@dataclass(frozen=True, slots=True)
class Skipped:
    path: Path
    reason: str


@dataclass(frozen=True, slots=True)
class Plan:
    inputs: list[tuple[Path, Path]]  # (file, output name relative to --out)
    skipped: list[Skipped]


def kind_of(mode: int) -> str | None:
    """What a non-regular file is, for the message that skips it (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    for test, name in ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder")):
        if test(mode):
            return name
    return "not a regular file"


def regular_file_problem(path: Path) -> str | None:
    """Why ``path`` cannot be read as a document without opening it, or None."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return "file not found"
    except OSError as exc:
        return f"cannot read file ({exc.strerror or exc})"
    kind = kind_of(st.st_mode)
    return f"not a regular file ({kind})" if kind else None


def _walk(folder: Path) -> tuple[list[Path], list[Skipped]]:
    root = folder.resolve()
    found: list[Path] = []
    skipped: list[Skipped] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            if path.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(root):
                    skipped.append(Skipped(path, f"symbolic link to {target}, outside {folder}: not followed"))
                    continue
            problem = regular_file_problem(path)
            if problem:
                skipped.append(Skipped(path, f"{problem}; skipped"))
                continue
            found.append(path)
    return sorted(found), sorted(skipped, key=lambda s: s.path)  # one order: by path, as rglob sorted


def plan_inputs(paths: Sequence[str]) -> Plan:
    folders = [Path(raw) for raw in paths if Path(raw).is_dir()]
    if len(folders) > 1:
        common = Path(os.path.commonpath([f.resolve() for f in folders]))
        roots = {f: common for f in folders}
    else:
        roots = {f: f.resolve() for f in folders}
    inputs: list[tuple[Path, Path]] = []
    skipped: list[Skipped] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found, left_out = _walk(path)
            skipped.extend(left_out)
            for f in found:
                rel = (f.parent.resolve() / f.name).relative_to(roots[path])
                inputs.append((f, rel.with_suffix(".json")))
        else:
            inputs.append((path, Path(path.name).with_suffix(".json")))
    return Plan(inputs, skipped)


def unique_name(rel: Path, source: Path, used: set[Path]) -> Path:
    """``rel`` unless an earlier input took it; then ``stem.suffix.json``, ``stem.2.suffix.json`` …"""
    suffix = source.suffix.lower()
    candidates = [rel, rel.with_name(f"{source.stem}{suffix}.json")]
    candidates += [rel.with_name(f"{source.stem}.{n}{suffix}.json") for n in range(2, 10_000)]
    for name in candidates:
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError(f"no free output name for {source}")  # 10,000 inputs of one name: not a real archive
