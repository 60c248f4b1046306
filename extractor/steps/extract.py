"""The steps that read one task's fields: criteria, references, deadlines, figures.

Each step reads the task's text and what earlier steps found, and writes its own field; the
finders in :mod:`.fields` work on the task's text alone, and the step shifts what they find so
that every offset is document-absolute at the step boundary.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from ..paragraphs import Layout, find_label
from .fields import (
    CriterionFound,
    DeadlineFound,
    FigureFound,
    Found,
    ReferenceFound,
    find_criteria,
    find_deadlines,
    find_figures,
    find_references,
)
from .mechanism import check_order, run, step
from .tasks import TaskDraft

F = TypeVar("F", bound=Found)


@dataclass(frozen=True)
class Context:
    layout: Layout
    issued: dt.date | None
    year: int | None


@dataclass(frozen=True)
class TaskFields:
    """A task and what has been read from it; offsets are into the document's text."""

    draft: TaskDraft
    criteria: tuple[CriterionFound, ...] = ()
    references: tuple[ReferenceFound, ...] = ()
    deadlines: tuple[DeadlineFound, ...] = ()
    figures: tuple[FigureFound, ...] = ()


def shifted(found: F, base: int) -> F:
    """A value found in a text that starts at ``base`` of the document, in document offsets."""
    return replace(found, start=found.start + base, end=found.end + base)


def _text(t: TaskFields, ctx: Context) -> str:
    return ctx.layout.text[t.draft.start:t.draft.end]


@step("criteria", reads=("draft",), writes=("criteria",))
def criteria_step(t: TaskFields, ctx: Context) -> Mapping[str, Any]:
    return {"criteria": tuple(shifted(c, t.draft.start) for c in find_criteria(_text(t, ctx)))}


@step("references", reads=("draft",), writes=("references",))
def references_step(t: TaskFields, ctx: Context) -> Mapping[str, Any]:
    return {"references": tuple(shifted(r, t.draft.start) for r in find_references(_text(t, ctx)))}


@step("deadlines", reads=("draft", "references"), writes=("deadlines",))
def deadlines_step(t: TaskFields, ctx: Context) -> Mapping[str, Any]:
    text = _text(t, ctx)
    base = t.draft.start
    found = [shifted(d, base) for d in find_deadlines(text, ctx.issued, ctx.year)]
    # Cited documents carry dates that are not deadlines.
    found = [d for d in found if not any(r.start <= d.start < r.end for r in t.references)]
    if not found and t.draft.attribute_text:
        # "Thời gian hoàn thành: Quý IV/2023" stated once for the item that holds the list.
        found = [shifted(d, t.draft.attribute_start) for d in find_deadlines(t.draft.attribute_text, ctx.issued, ctx.year)]
    cell = t.draft.deadline_cell
    if cell and not any(cell[0] <= d.start - base < cell[1] for d in found):
        # A task table's time column states the limit without a cue ("Năm 2026", "Quý II/2026").
        prefix = "Thời hạn: "
        for d in find_deadlines(prefix + text[cell[0]:cell[1]], ctx.issued, ctx.year):
            start, end = max(0, d.start - len(prefix)) + cell[0], d.end - len(prefix) + cell[0]
            # (the span's own text: the cell may say more, "Năm 2025-2026", than the limit read)
            found.append(replace(d, start=base + start, end=base + end, text=text[start:end]))
    return {"deadlines": tuple(found)}


@step("figures", reads=("draft", "criteria", "references", "deadlines"), writes=("figures",))
def figures_step(t: TaskFields, ctx: Context) -> Mapping[str, Any]:
    """Numbers that are labels, criteria codes, cited documents or dates are no figures."""
    base, end = t.draft.start, t.draft.end
    text = _text(t, ctx)
    label = find_label(text)
    masked = [(0, len(label.text))] if label else []
    masked += list(t.draft.masked)
    masked += [(v.start - base, v.end - base) for v in (*t.criteria, *t.references, *t.deadlines)
               if base <= v.start < end]  # (a limit stated for the enclosing item lies outside)
    return {"figures": tuple(shifted(f, base) for f in find_figures(text, masked))}


TASK_STEPS = (criteria_step, references_step, deadlines_step, figures_step)
check_order(TASK_STEPS, given=("draft",), state_type=TaskFields)


def read_task_fields(drafts: list[TaskDraft], ctx: Context) -> list[TaskFields]:
    return [run(TaskFields(draft=d), TASK_STEPS, ctx) for d in drafts]
