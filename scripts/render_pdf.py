"""Render the corpus to PDF with LibreOffice, so that the PDF backend is tested and benchmarked
on many more documents than the few real PDFs we have.

Sources are ``corpus/rendered/docx/*.docx`` (written by ``scripts/render_docx.py``); when there
are none yet, ``corpus/txt/*.txt`` (minus the mojibake texts, which would only render garbage).
Outputs go to ``corpus/rendered/pdf/<same stem>.pdf``. The stamps LibreOffice varies from run to
run (creation date, file ID, document checksum) are replaced by fixed ones, so re-rendering gives
the same bytes (the Lao Cai PDFs committed before this still carry LibreOffice's own stamps). A
PDF newer than its source is kept; pass ``--force`` to redo all. ``--txt`` and ``--rendered``
name another set's texts and output root (its ``docx/`` is read, its ``pdf/`` written), e.g.
``--txt corpus/wide/txt --rendered corpus/wide/rendered``.

Usage: python scripts/render_pdf.py [--txt DIR] [--rendered ROOT] [--from auto|docx|txt] [--force]
[--timeout SECONDS]
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TXT_DIR = ROOT / "corpus" / "txt"
RENDERED = ROOT / "corpus" / "rendered"


def find_soffice() -> str:
    for name in ("soffice", "libreoffice"):
        if found := shutil.which(name):
            return found
    sys.exit(
        "render_pdf: LibreOffice not found; install it with "
        "`apt-get install -y libreoffice-writer-nogui` (or `make system-deps`)"
    )


def sources(kind: str, txt_dir: Path = TXT_DIR, docx_dir: Path = RENDERED / "docx") -> list[Path]:
    docx = sorted(docx_dir.glob("*.docx"))
    if kind == "docx" or (kind == "auto" and docx):
        return docx
    return sorted(p for p in txt_dir.glob("*.txt") if "mojibake" not in p.name)


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def fix_stamps(data: bytes) -> bytes:
    """``data`` with LibreOffice's creation date fixed and its random file ID and document
    checksum replaced by the content's digest (same lengths, so the xref table still holds)."""
    data = re.sub(rb"/CreationDate\(D:\d{14}", b"/CreationDate(D:20260101000000", data, count=1)
    digest = hashlib.md5(data.split(b"trailer")[0], usedforsecurity=False).hexdigest().upper().encode()
    data = re.sub(rb"(/ID\s*\[\s*<)[0-9A-Fa-f]{32}(>\s*<)[0-9A-Fa-f]{32}>", rb"\g<1>" + digest + rb"\g<2>" + digest + b">", data)
    return re.sub(rb"/DocChecksum /[0-9A-Fa-f]{32}", b"/DocChecksum /" + digest, data)


def convert(soffice: str, files: list[Path], outdir: Path, timeout: float) -> None:
    """One LibreOffice run for a batch of files of the same type, with a throw-away profile so
    that it neither touches nor waits for a user's running instance."""
    with tempfile.TemporaryDirectory(prefix="render-pdf-profile-") as profile:
        command = [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
        ]
        if files[0].suffix == ".txt":
            # Read plain text as UTF-8 whatever the locale says.
            command.append("--infilter=Text (encoded):UTF8,LF,,")
        command += ["--convert-to", "pdf", "--outdir", str(outdir), *map(str, files)]
        subprocess.run(command, check=True, timeout=timeout, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--txt", type=Path, default=TXT_DIR, help="folder of the texts (default corpus/txt)")
    parser.add_argument("--rendered", type=Path, default=RENDERED,
                        help="output root: reads its docx/, writes its pdf/ (default corpus/rendered)")
    parser.add_argument("--from", dest="kind", choices=("auto", "docx", "txt"), default="auto")
    parser.add_argument("--force", action="store_true", help="re-render PDFs that are up to date")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds for the whole LibreOffice run")
    args = parser.parse_args(argv)

    files = sources(args.kind, args.txt, args.rendered / "docx")
    out_dir = args.rendered.resolve() / "pdf"
    if not files:
        print("render_pdf: no sources found", file=sys.stderr)
        return 1
    todo = [
        f for f in files
        if args.force or not (out_dir / f"{f.stem}.pdf").exists()
        or (out_dir / f"{f.stem}.pdf").stat().st_mtime < f.stat().st_mtime
    ]
    out_dir.mkdir(parents=True, exist_ok=True)
    if not todo:
        print(f"render_pdf: {len(files)} PDFs up to date in {shown(out_dir)}")
        return 0

    soffice = find_soffice()
    with tempfile.TemporaryDirectory(prefix="render-pdf-out-") as tmp:
        staging = Path(tmp)
        try:
            convert(soffice, todo, staging, args.timeout)
        except subprocess.TimeoutExpired:
            print(f"render_pdf: LibreOffice did not finish within {args.timeout:.0f} s", file=sys.stderr)
            return 1
        except subprocess.CalledProcessError as exc:
            detail = (exc.stderr or b"").decode(errors="replace").strip().splitlines()
            print(f"render_pdf: LibreOffice failed ({detail[-1] if detail else exc})", file=sys.stderr)
            return 1
        failed = []
        for source in todo:
            rendered = staging / f"{source.stem}.pdf"
            if not rendered.is_file() or rendered.stat().st_size == 0:
                failed.append(source.name)
                continue
            (out_dir / rendered.name).write_bytes(fix_stamps(rendered.read_bytes()))
    done = len(todo) - len(failed)
    print(f"render_pdf: rendered {done} of {len(todo)} ({files[0].suffix[1:]}) to {shown(out_dir)}")
    for name in failed:
        print(f"render_pdf: no PDF produced for {name}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
