"""The pipeline: parse → normalise → structure → extract → assemble → validate.

Runners (CLI, watch, batch) call :func:`extract_file` or :func:`extract_document`; they
hold no extraction logic.
"""

from __future__ import annotations

from pathlib import Path

from .assemble import assemble
from .diagnostics import Diagnostic
from .doccache import forget_document
from .errors import ExtractionError
from .models import NoticeRecord
from .normalise import normalise
from .paragraphs import build_layout
from .parsers import ParsedDocument, parse_file
from .steps.document import extract_fields
from .structure import build_structure


def extract_document(doc: ParsedDocument) -> NoticeRecord:
    forget_document()  # per-document caches: memory stays flat over an archive
    layout = build_layout(normalise(doc))
    if not layout.text.strip():
        raise ExtractionError("no text found in the document", path=doc.path, stage="parse")
    found = extract_fields(build_structure(layout), doc.path)
    assert found.meta is not None
    warnings = list(doc.warnings)
    if not found.tasks:
        warnings.append(Diagnostic("no_tasks", "no directive part found: the document assigns no tasks", "extract"))
    if found.meta.symbol is None:
        warnings.append(Diagnostic("no_number", "no 'Số: …/…' line found: number and symbol are unknown", "extract"))
    return assemble(doc, layout, found.meta, list(found.tasks), list(found.references), warnings)


def extract_file(path: str | Path) -> NoticeRecord:
    """Read one notice file and return its validated record; raises ExtractionError."""
    return extract_document(parse_file(Path(path)))
