"""A safe reader of OOXML packages (DOCX): zip parts and their XML, from hostile input.

Every byte of a package passes through one size-capped zip reader and one hardened XML
parser. Safety model (hostile input must fail with a one-line :class:`InputError`, in bounded
memory):

* the zip directory is checked first: member count, declared sizes, compression ratio;
* each part is inflated through a reader that stops at the cap whatever the header claims;
* XML is parsed with entities unresolved, no DTD loading, no network and libxml2's default
  depth/size limits; any part that carries a DOCTYPE at all is refused, so neither entity
  expansion ("billion laughs") nor external entities (``file:///etc/passwd``) can take effect;
* only parts inside the zip are ever read; relationship targets leaving the package are ignored.

What the parts mean (Word's body, styles, numbering) is read elsewhere (:mod:`.docx`).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib

from lxml import etree

from ..errors import InputError

# --- limits -------------------------------------------------------------------------------
MAX_MEMBERS = 2000  # a real notice has ~20 parts; thousands of entries is a directory bomb
MAX_PART_BYTES = 100 * 1024 * 1024  # uncompressed size of any single part
MAX_TOTAL_BYTES = 200 * 1024 * 1024  # declared uncompressed size of the whole package
MAX_RATIO = 200  # deflate tops out near 1000:1; real XML parts stay well under 50:1 ...
RATIO_CHECK_FROM = 1024 * 1024  # ... and tiny members may legitimately compress far better
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# ISO 29500 "Strict" files use another namespace for the same vocabulary: it is read as the
# Transitional one, so that readers of the parts see one vocabulary.
W_STRICT_NS = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def open_zip(data: bytes) -> zipfile.ZipFile:
    """Open the package and refuse, from its directory alone, what cannot be a real DOCX."""
    if data.startswith(OLE_MAGIC):
        raise InputError("encrypted DOCX or legacy .doc (Word 97-2003) file; save it as .docx")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise InputError(f"corrupt DOCX: not a readable zip archive ({exc})") from None
    except NotImplementedError as exc:  # a zip format version or feature zipfile does not read
        raise InputError(f"corrupt DOCX: unsupported zip archive ({exc})") from None
    if len(infos) > MAX_MEMBERS:
        raise InputError(f"corrupt DOCX: {len(infos)} zip entries (limit {MAX_MEMBERS}); refused as a zip bomb")
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        raise InputError("corrupt DOCX: the zip holds duplicate part names")
    total = 0
    for info in infos:
        _check_declared_size(info)
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise InputError(
            f"DOCX would inflate to {total // 2**20} MiB (limit {MAX_TOTAL_BYTES // 2**20}); refused as a zip bomb"
        )
    return archive


def _check_declared_size(info: zipfile.ZipInfo) -> None:
    if info.file_size > MAX_PART_BYTES:
        raise InputError(
            f"DOCX part {info.filename} would inflate to {info.file_size // 2**20} MiB "
            f"(limit {MAX_PART_BYTES // 2**20}); refused as a zip bomb"
        )
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > RATIO_CHECK_FROM and ratio > MAX_RATIO:
        raise InputError(f"DOCX part {info.filename} compresses {ratio:.0f}:1; refused as a zip bomb")


def read_member(archive: zipfile.ZipFile, name: str) -> bytes | None:
    """Inflate one part, never past the cap: the header's sizes are checked but not trusted."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.flag_bits & 0x1:  # the zip's own "encrypted" flag
        raise InputError(f"encrypted DOCX: part {name} needs a password")
    try:
        with archive.open(info) as stream:
            data = stream.read(MAX_PART_BYTES + 1)
    except RuntimeError as exc:  # zipfile's word for members it cannot open (method, version)
        raise InputError(f"corrupt DOCX: part {name} cannot be opened ({exc})") from None
    except NotImplementedError as exc:
        raise InputError(f"corrupt DOCX: part {name} uses an unsupported compression ({exc})") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise InputError(f"corrupt DOCX: part {name} cannot be read ({exc})") from None
    if len(data) > MAX_PART_BYTES:
        raise InputError(f"DOCX part {name} inflates past {MAX_PART_BYTES // 2**20} MiB; refused as a zip bomb")
    return data


_PROLOG_ITEM = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->)", re.DOTALL)


def _declares_dtd(data: bytes) -> bool:
    """True when the XML prolog holds a DOCTYPE (checked before parsing, for a clear message;
    the parsed tree is checked again, and libxml2 caps entity amplification in any case)."""
    head = data[: 1 << 20]
    if head.startswith((b"\xff\xfe", b"<\x00")):
        head = head.decode("utf-16-le", "ignore").encode()
    elif head.startswith((b"\xfe\xff", b"\x00<")):
        head = head.decode("utf-16-be", "ignore").encode()
    position = 3 if head.startswith(b"\xef\xbb\xbf") else 0  # UTF-8 BOM (also left by decoding UTF-16)
    while match := _PROLOG_ITEM.match(head, position):
        position = match.end()
    return head[position:].lstrip().startswith(b"<!DOCTYPE")


def parse_xml(data: bytes, name: str) -> etree._Element:
    """Parse one part with a parser that cannot expand entities or fetch anything."""
    if _declares_dtd(data):
        raise InputError(f"DOCX part {name} declares a DTD (DOCTYPE/ENTITY); refused as potentially hostile")
    data = data.replace(W_STRICT_NS, W_NS.encode())
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, remove_comments=True, remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        cause = str(exc).splitlines()[0] if str(exc) else "syntax error"
        raise InputError(f"corrupt DOCX: {name} is not well-formed XML ({cause})") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise InputError(f"DOCX part {name} declares a DTD (DOCTYPE/ENTITY); refused as potentially hostile")
    return root


def read_xml(archive: zipfile.ZipFile, name: str | None) -> etree._Element | None:
    """A part, parsed; None when there is no such part (or no name)."""
    if name is None:
        return None
    data = read_member(archive, name)
    return None if data is None else parse_xml(data, name)


def relationship_targets(archive: zipfile.ZipFile, source: str) -> dict[str, str]:
    """Map relationship type suffix (``officeDocument``, ``styles``, ...) to an in-package part."""
    folder, base = posixpath.split(source)
    rels = read_xml(archive, posixpath.join(folder, "_rels", f"{base}.rels"))
    targets: dict[str, str] = {}
    if rels is None:
        return targets
    for rel in rels.iter(f"{{{REL_NS}}}Relationship"):
        target = rel.get("Target") or ""
        if rel.get("TargetMode") == "External" or not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        path = posixpath.normpath(path)
        if path.startswith(("../", "/")) or path == "..":
            continue  # points outside the package: never followed
        targets.setdefault((rel.get("Type") or "").rsplit("/", 1)[-1], path)
    return targets
