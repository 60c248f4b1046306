"""The document's extraction steps: who it is addressed to, its metadata and references, then
its tasks and their fields; the same mechanism as the task steps (:mod:`.mechanism`).

The refusal rule lives here too, as a step: a text is "not an administrative notice" only
when none of the marks of one is found (GUIDELINES; issue "Never refuse a real document").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import NotANoticeError
from ..structure import Structure, notice_marks
from .actors import addressee_units
from .extract import Context, TaskFields, read_task_fields, shifted
from .fields import ReferenceFound, find_references
from .mechanism import check_order, run, step
from .metadata import NoticeMeta, read_metadata
from .tasks import TaskDraft, draft_tasks


@dataclass(frozen=True)
class DocumentFields:
    structure: Structure
    addressees: tuple[str, ...] = ()
    meta: NoticeMeta | None = None
    references: tuple[ReferenceFound, ...] = ()
    drafts: tuple[TaskDraft, ...] = ()
    tasks: tuple[TaskFields, ...] = ()


@step("addressees", reads=("structure",), writes=("addressees",))
def addressees_step(d: DocumentFields, path: str) -> Mapping[str, Any]:
    return {"addressees": tuple(addressee_units(d.structure.header))}


@step("metadata", reads=("structure", "addressees"), writes=("meta",))
def metadata_step(d: DocumentFields, path: str) -> Mapping[str, Any]:
    return {"meta": read_metadata(d.structure, list(d.addressees))}


@step("is_a_notice", reads=("structure", "addressees", "meta"), writes=())
def is_a_notice_step(d: DocumentFields, path: str) -> Mapping[str, Any]:
    m = d.meta
    assert m is not None
    if not any((m.symbol, m.doc_type, m.issued_year, m.signer_authority, d.addressees)) \
            and not notice_marks(d.structure.layout.paragraphs):
        raise NotANoticeError(
            "not an administrative notice: no number line, document type, place-date line, \"Kính gửi\", "
            "signature block or \"Nơi nhận\" found in its first pages", path=path)
    return {}


@step("notice_references", reads=("structure",), writes=("references",))
def notice_references_step(d: DocumentFields, path: str) -> Mapping[str, Any]:
    body = d.structure.body
    # The body is a run of whole paragraphs, which the text joins with "\n" as here.
    found = find_references("\n".join(p.text for p in body))
    return {"references": tuple(shifted(r, body[0].start) for r in found) if body else ()}


@step("drafts", reads=("structure", "addressees"), writes=("drafts",))
def drafts_step(d: DocumentFields, path: str) -> Mapping[str, Any]:
    return {"drafts": tuple(draft_tasks(d.structure, list(d.addressees)))}


@step("task_fields", reads=("structure", "meta", "drafts"), writes=("tasks",))
def task_fields_step(d: DocumentFields, path: str) -> Mapping[str, Any]:
    assert d.meta is not None
    ctx = Context(layout=d.structure.layout, issued=d.meta.issued_date, year=d.meta.issued_year)
    return {"tasks": tuple(read_task_fields(list(d.drafts), ctx))}


DOCUMENT_STEPS = (addressees_step, metadata_step, is_a_notice_step, notice_references_step, drafts_step,
                  task_fields_step)
check_order(DOCUMENT_STEPS, given=("structure",), state_type=DocumentFields)


def extract_fields(structure: Structure, path: str) -> DocumentFields:
    """Run the document's steps; raises NotANoticeError for a text that is no notice."""
    return run(DocumentFields(structure=structure), DOCUMENT_STEPS, path)
