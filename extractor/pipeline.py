"""The pipeline: parse → normalise → structure → extract → assemble → validate.

Runners (CLI, watch, batch) call :func:`extract_file` or :func:`extract_document`; they
hold no extraction logic.
"""

from __future__ import annotations

from pathlib import Path

from .assemble import assemble
from .diagnostics import Diagnostic
from .errors import ExtractionError, NotANoticeError
from .models import NoticeRecord
from .normalise import normalise
from .paragraphs import build_layout
from .parsers import ParsedDocument, parse_file
from .steps.extract import Context, run_steps
from .steps.fields import find_references
from .steps.metadata import read_metadata
from .steps.actors import addressee_units, heading_units
from .steps.tasks import draft_tasks
from .structure import build_structure, notice_marks
from .unitnames import mention_at


def _forget_previous_document() -> None:
    """Caches of text lookups help within one document; clearing them per document keeps
    memory flat over an archive and timing honest (no notice is faster for being seen before)."""
    mention_at.cache_clear()
    heading_units.cache_clear()


def extract_document(doc: ParsedDocument) -> NoticeRecord:
    _forget_previous_document()
    layout = build_layout(normalise(doc))
    if not layout.text.strip():
        raise ExtractionError("no text found in the document", path=doc.path, stage="parse")
    structure = build_structure(layout)
    addressees = addressee_units(structure.header)
    meta = read_metadata(structure, addressees)
    if not any((meta.symbol, meta.doc_type, meta.issued_year, meta.signer_authority, addressees)) \
            and not notice_marks(layout.paragraphs):
        raise NotANoticeError(
            "not an administrative notice: no number line, document type, place-date line, \"Kính gửi\", "
            "signature block or \"Nơi nhận\" found in its first pages", path=doc.path)
    drafts = draft_tasks(structure, addressees)
    tasks = run_steps(drafts, Context(layout=layout, issued=meta.issued_date, year=meta.issued_year))
    warnings = list(doc.warnings)
    if not tasks:
        warnings.append(Diagnostic("no_tasks", "no directive part found: the document assigns no tasks", "extract"))
    if meta.symbol is None:
        warnings.append(Diagnostic("no_number", "no 'Số: …/…' line found: number and symbol are unknown", "extract"))
    # The body is a run of whole paragraphs, which the text joins with "\n" as here: offsets
    # found in it are offsets from where the body starts.
    body_at = structure.body[0].start if structure.body else 0
    return assemble(doc, layout, meta, tasks, find_references("\n".join(p.text for p in structure.body)), warnings,
                    references_at=body_at)


def extract_file(path: str | Path) -> NoticeRecord:
    """Read one notice file and return its validated record; raises ExtractionError."""
    return extract_document(parse_file(Path(path)))
