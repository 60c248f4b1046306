"""Make "scanned" copies of the rendered corpus: image-only PDFs, so that the OCR path is tested,
scored and benchmarked on the same documents as the text-layer path.

Each ``corpus/rendered/pdf/<stem>.pdf`` is rasterised page by page with pypdfium2 (grayscale,
200 dpi by default), each page is encoded as a JPEG (quality 60 by default) and placed full-page
in a new PDF, ``corpus/rendered/scan/<stem>.pdf``: no text layer, just as a scanner delivers it.
The settings keep the committed files small (~0.1-0.2 MB a page). The output depends only on the
input and the settings (pdfium's creation date and file ID are fixed), so re-running does not churn the files; a scan
newer than its source is kept unless ``--force``. ``--rendered ROOT`` works on another set's
renderings (reads ``ROOT/pdf``, writes ``ROOT/scan``), e.g. ``--rendered corpus/wide/rendered``.

Usage: python scripts/render_scans.py [--rendered ROOT] [--dpi 200] [--quality 60] [--force] [STEM ...]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import re
import sys
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parent.parent
RENDERED = ROOT / "corpus" / "rendered"


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def scan(source: Path, target: Path, *, dpi: int, quality: int) -> int:
    """Write the image-only copy of ``source`` to ``target``; returns its page count."""
    document = pdfium.PdfDocument(source)
    scanned = pdfium.PdfDocument.new()
    buffers: list[io.BytesIO] = []  # pdfium reads each JPEG when saving: keep them open till then
    try:
        for index in range(len(document)):
            page = document[index]
            width, height = page.get_size()  # points, as displayed (rotation applied)
            bitmap = page.render(scale=dpi / 72, grayscale=True)
            image = bitmap.to_pil().convert("L")
            page.close()
            buffer = io.BytesIO()
            image.save(buffer, format="JPEG", quality=quality, optimize=True, progressive=True)
            buffer.seek(0)
            buffers.append(buffer)
            new_page = scanned.new_page(width, height)
            picture = pdfium.PdfImage.new(scanned)
            picture.load_jpeg(buffer, inline=True, autoclose=False)
            picture.set_matrix(pdfium.PdfMatrix().scale(width, height))
            new_page.insert_obj(picture)
            new_page.gen_content()
            new_page.close()
        target.parent.mkdir(parents=True, exist_ok=True)
        written = io.BytesIO()
        scanned.save(written)
        # pdfium stamps the creation time; a fixed one (same length, so the xref holds) keeps
        # re-renders byte-identical.
        data = re.sub(rb"/CreationDate\(D:\d{14}", b"/CreationDate(D:20000101000000", written.getvalue(), count=1)
        # ...and a random file /ID: the content's digest takes its place (same length).
        digest = hashlib.md5(data.split(b"trailer")[0], usedforsecurity=False).hexdigest().upper().encode()
        data = re.sub(rb"/ID\[<[0-9A-Fa-f]{32}><[0-9A-Fa-f]{32}>\]", b"/ID[<" + digest + b"><" + digest + b">]", data)
        partial = target.with_suffix(".pdf.part")
        partial.write_bytes(data)
        partial.replace(target)
        return len(document)
    finally:
        scanned.close()
        document.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rendered", type=Path, default=RENDERED,
                        help="renderings root: reads its pdf/, writes its scan/ (default corpus/rendered)")
    parser.add_argument("stems", nargs="*", help="only these documents (file stems)")
    parser.add_argument("--dpi", type=int, default=200, help="raster resolution (default 200)")
    parser.add_argument("--quality", type=int, default=60, help="JPEG quality (default 60)")
    parser.add_argument("--force", action="store_true", help="re-render scans that are up to date")
    args = parser.parse_args(argv)

    source_dir, out_dir = args.rendered.resolve() / "pdf", args.rendered.resolve() / "scan"
    sources = sorted(source_dir.glob("*.pdf"))
    if args.stems:
        sources = [s for s in sources if s.stem in set(args.stems)]
    if not sources:
        print(f"render_scans: no PDFs found in {shown(source_dir)} (run scripts/render_pdf.py)", file=sys.stderr)
        return 1
    done = pages = 0
    for source in sources:
        target = out_dir / source.name
        if not args.force and target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
            continue
        try:
            pages += scan(source, target, dpi=args.dpi, quality=args.quality)
        except (pdfium.PdfiumError, OSError) as exc:
            print(f"render_scans: {source.name}: {exc}", file=sys.stderr)
            return 1
        done += 1
    size = sum(p.stat().st_size for p in out_dir.glob("*.pdf")) / 1e6
    print(f"render_scans: {done} of {len(sources)} rendered ({pages} pages) to {shown(out_dir)}; "
          f"{size:.1f} MB in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
