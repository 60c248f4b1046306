"""Render the corpus in legacy forms, so that the legacy-encoding and office backends are tested
on every corpus notice:

* ``corpus/rendered/tcvn3/<stem>.txt`` and ``corpus/rendered/vni/<stem>.txt``: the corpus texts
  (``corpus/txt/*.txt`` less the mojibake ones) as a TCVN3 (ABC) or VNI-Windows editor saved
  them: one byte per character in Windows-1252 terms. TCVN3 has no codes for capital toned
  letters ("Ủ", "Ở"): as in a ``.VnTimeH`` document, they get the lower-case code;
* ``corpus/rendered/tcvn3/<stem>.docx`` and ``corpus/rendered/vni/<stem>.docx``: the rendered
  DOCX (``corpus/rendered/docx``) with every run's text in the legacy encoding and its font set
  to ``.VnTime`` / ``VNI-Times``. In TCVN3, capital toned letters go into ``.VnTimeH`` runs
  (a run whose letters are all capitals becomes one ``.VnTimeH`` run, as typists did), and
  symbols that share a TCVN3 code ("÷", "«") stay in Unicode ``Times New Roman`` runs;
* ``corpus/rendered/doc/<stem>.doc`` and ``corpus/rendered/odt/<stem>.odt``: the rendered DOCX
  converted by LibreOffice (Word 97-2003 and OpenDocument), after :func:`for_libreoffice`
  rewrites two constructs its Word 97 export would lose.

The TXT and DOCX outputs are deterministic (the DOCX keep the source's zip entry order and
timestamps). LibreOffice stamps dates into .doc/.odt, so one newer than its source is kept;
``--force`` redoes them. ``--txt`` and ``--rendered`` name another set's texts and renderings
root (its ``docx/`` is read; ``tcvn3/``, ``vni/``, ``doc/`` and ``odt/`` are written). Usage:
``python scripts/render_legacy.py [--txt DIR] [--rendered ROOT] [--force] [--timeout SECONDS]``.
"""

from __future__ import annotations

import argparse
import copy
import io
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

from lxml import etree

from extractor.parsers.legacy_encodings import TCVN3, VNI, encode

ROOT = Path(__file__).resolve().parent.parent
TXT_DIR = ROOT / "corpus" / "txt"
RENDERED = ROOT / "corpus" / "rendered"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FONTS = {TCVN3: (".VnTime", ".VnTimeH"), VNI: ("VNI-Times", "VNI-Times")}
UNICODE_FONT = "Times New Roman"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


# --- plain text ---------------------------------------------------------------------------------
def render_text(text: str, encoding: str) -> bytes:
    return encode(unicodedata.normalize("NFC", text), encoding).encode("cp1252")


# --- DOCX ---------------------------------------------------------------------------------------
def _tcvn3_letters() -> tuple[frozenset[str], frozenset[str]]:
    """TCVN3's codes, and the Unicode letters they stand for."""
    from extractor.vocab import table

    mapping = table("legacy_encodings")[TCVN3]["map"]
    return frozenset(mapping), frozenset(mapping.values())


TCVN3_CODES, TCVN3_LETTERS = _tcvn3_letters()


def _tcvn3_font(ch: str, all_capitals: bool) -> str:
    regular, capitals = FONTS[TCVN3]
    if ch in TCVN3_CODES and ch not in TCVN3_LETTERS and ch.lower() not in TCVN3_LETTERS:
        return UNICODE_FONT  # a symbol that shares a TCVN3 code ("÷", "«"): keep it in Unicode
    if all_capitals or (ch.isupper() and ch not in TCVN3_LETTERS and ch.lower() in TCVN3_LETTERS):
        return capitals  # a capital toned letter: TCVN3 has only the lower-case code
    return regular


def _segments(text: str, encoding: str) -> list[tuple[str, str]]:
    """(font, legacy text) pieces of one run's text."""
    if encoding == VNI:
        return [(FONTS[VNI][0], encode(text, VNI))]
    letters = [c for c in text if c.isalpha()]
    # A run of capitals with a toned capital in it becomes one .VnTimeH run, as typists did.
    all_capitals = bool(letters) and all(c.isupper() for c in letters) and any(_tcvn3_font(c, False) == FONTS[TCVN3][1] for c in letters)
    pieces: list[tuple[str, str]] = []
    for ch in text:
        font = _tcvn3_font(ch, all_capitals)
        code = ch if font == UNICODE_FONT else encode(ch.lower() if font == FONTS[TCVN3][1] else ch, TCVN3)
        if pieces and pieces[-1][0] == font:
            pieces[-1] = (font, pieces[-1][1] + code)
        else:
            pieces.append((font, code))
    return pieces


def _set_font(run: etree._Element, font: str) -> None:
    r_pr = run.find(_w("rPr"))
    if r_pr is None:
        r_pr = etree.Element(_w("rPr"))
        run.insert(0, r_pr)
    fonts = r_pr.find(_w("rFonts"))
    if fonts is None:
        fonts = etree.Element(_w("rFonts"))
        r_pr.insert(0, fonts)  # w:rFonts comes first in w:rPr
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    for attribute in ("ascii", "hAnsi", "cs"):
        fonts.set(_w(attribute), font)


def legacy_document(xml: bytes, encoding: str) -> bytes:
    """document.xml with every text run re-encoded and set in the legacy font."""
    root = etree.fromstring(xml)
    for run in list(root.iter(_w("r"))):
        texts = run.findall(_w("t"))
        if not texts:
            _set_font(run, FONTS[encoding][0])
            continue
        # One run per text node and font: runs in the rendered DOCX hold one w:t each, with
        # breaks and tabs in runs of their own, so splitting keeps everything in order.
        parent = run.getparent()
        position = parent.index(run)
        replacements = []
        for child in run:
            if child.tag != _w("t"):
                if child.tag == _w("rPr"):
                    continue
                clone = copy.deepcopy(run)
                for grandchild in list(clone):
                    if grandchild.tag != _w("rPr"):
                        clone.remove(grandchild)
                clone.append(copy.deepcopy(child))
                _set_font(clone, FONTS[encoding][0])
                replacements.append(clone)
                continue
            for font, piece in _segments(child.text or "", encoding):
                clone = copy.deepcopy(run)
                for grandchild in list(clone):
                    if grandchild.tag != _w("rPr"):
                        clone.remove(grandchild)
                text = etree.SubElement(clone, _w("t"))
                text.text = piece
                if piece != piece.strip():
                    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                _set_font(clone, font)
                replacements.append(clone)
        parent.remove(run)
        for offset, clone in enumerate(replacements):
            parent.insert(position + offset, clone)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def render_docx(source: Path, encoding: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename == "word/document.xml":
                data = legacy_document(data, encoding)
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


# --- LibreOffice --------------------------------------------------------------------------------
def for_libreoffice(data: bytes) -> bytes:
    """The DOCX with two constructs LibreOffice's Word 97 export does not carry over rewritten
    into equivalents it does, so that the .doc shows what the DOCX shows:

    * a list instance (w:num) restarting its list (w:startOverride) gets a copy of the list
      definition starting there, instead of the override (exported per paragraph, the override
      would restart every item: "1. Mục đích", "1. Yêu cầu");
    * a body ending in a table gets the empty paragraph Word always has after it (without it
      the table is exported as one run-on paragraph)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    document = etree.fromstring(source.read("word/document.xml"))
    numbering = etree.fromstring(source.read("word/numbering.xml")) if "word/numbering.xml" in source.NameToInfo else None
    body = document.find(_w("body"))
    content = [c for c in body if c.tag != _w("sectPr")]
    if content and content[-1].tag == _w("tbl"):
        content[-1].addnext(etree.Element(_w("p")))
    if numbering is not None:
        abstracts = {a.get(_w("abstractNumId")): a for a in numbering.findall(_w("abstractNum"))}
        next_id = max((int(i) for i in abstracts if i and i.isdigit()), default=0) + 1
        for num in numbering.findall(_w("num")):
            overrides = num.findall(_w("lvlOverride"))
            starts = {o.get(_w("ilvl")): o.find(_w("startOverride")) for o in overrides}
            if not overrides or any(v is None for v in starts.values()):
                continue
            reference = num.find(_w("abstractNumId"))
            original = abstracts.get(reference.get(_w("val")))
            if original is None:
                continue
            clone = copy.deepcopy(original)
            clone.set(_w("abstractNumId"), str(next_id))
            for nsid in clone.findall(_w("nsid")):
                clone.remove(nsid)
            for level in clone.findall(_w("lvl")):
                start = starts.get(level.get(_w("ilvl")))
                if start is not None and level.find(_w("start")) is not None:
                    level.find(_w("start")).set(_w("val"), start.get(_w("val")))
            numbering.findall(_w("abstractNum"))[-1].addnext(clone)
            reference.set(_w("val"), str(next_id))
            for override in overrides:
                num.remove(override)
            next_id += 1
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == "word/document.xml":
                part = etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True)
            elif info.filename == "word/numbering.xml" and numbering is not None:
                part = etree.tostring(numbering, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(info, part)
    return out.getvalue()


def find_soffice() -> str:
    for name in ("soffice", "libreoffice"):
        if found := shutil.which(name):
            return found
    sys.exit("render_legacy: LibreOffice not found; install libreoffice-writer-nogui (or run `make system-deps`)")


def convert_office(files: list[Path], target: str, outdir: Path, timeout: float) -> list[str]:
    """Convert ``files`` to ``target`` ("doc" or "odt") into ``outdir``; names that failed."""
    soffice = find_soffice()
    filters = {"doc": "doc:MS Word 97", "odt": "odt:writer8"}
    with tempfile.TemporaryDirectory(prefix="render-legacy-") as tmp:
        profile = Path(tmp) / "profile"
        staging = Path(tmp) / "out"
        inputs = Path(tmp) / "in"
        inputs.mkdir()
        for source in files:
            (inputs / source.name).write_bytes(for_libreoffice(source.read_bytes()))
        command = [
            soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nolockcheck",
            "--convert-to", filters[target], "--outdir", str(staging), *(str(inputs / f.name) for f in files),
        ]
        subprocess.run(command, check=True, timeout=timeout, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        failed = []
        for source in files:
            rendered = staging / f"{source.stem}.{target}"
            if not rendered.is_file() or rendered.stat().st_size == 0:
                failed.append(source.name)
                continue
            shutil.move(str(rendered), outdir / rendered.name)
    return failed


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--txt", type=Path, default=TXT_DIR, help="folder of the texts (default corpus/txt)")
    parser.add_argument("--rendered", type=Path, default=RENDERED,
                        help="renderings root: reads its docx/, writes the legacy forms beside it (default corpus/rendered)")
    parser.add_argument("--force", action="store_true", help="re-render .doc/.odt files that are up to date")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds for each LibreOffice run")
    args = parser.parse_args(argv)

    out = args.rendered.resolve()
    texts = sorted(p for p in args.txt.glob("*.txt") if "mojibake" not in p.name)
    docx = sorted((out / "docx").glob("*.docx"))
    for encoding in (TCVN3, VNI):
        folder = out / encoding
        folder.mkdir(parents=True, exist_ok=True)
        for path in texts:
            (folder / path.name).write_bytes(render_text(path.read_text(encoding="utf-8"), encoding))
        for path in docx:
            (folder / path.name).write_bytes(render_docx(path, encoding))
        print(f"render_legacy: {len(texts)} .txt and {len(docx)} .docx in {encoding.upper()} to {shown(folder)}")

    status = 0
    for target in ("doc", "odt"):
        folder = out / target
        folder.mkdir(parents=True, exist_ok=True)
        todo = [
            p for p in docx
            if args.force or not (folder / f"{p.stem}.{target}").exists()
            or (folder / f"{p.stem}.{target}").stat().st_mtime < p.stat().st_mtime
        ]
        if not todo:
            print(f"render_legacy: {len(docx)} .{target} up to date in {shown(folder)}")
            continue
        try:
            failed = convert_office(todo, target, folder, args.timeout)
        except (subprocess.TimeoutExpired, subprocess.CalledProcessError) as exc:
            print(f"render_legacy: LibreOffice failed for .{target} ({exc})", file=sys.stderr)
            return 1
        print(f"render_legacy: converted {len(todo) - len(failed)} of {len(todo)} to .{target} in {shown(folder)}")
        for name in failed:
            print(f"render_legacy: no .{target} produced for {name}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
