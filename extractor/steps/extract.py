"""Extraction steps. Like spaCy pipeline components, each step takes a task's fields and
returns them enriched; ``EXTRACTION_STEPS`` is the pipeline, in order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ..paragraphs import Layout, find_label
from .fields import (
    CriterionFound,
    DeadlineFound,
    FigureFound,
    ReferenceFound,
    find_criteria,
    find_deadlines,
    find_figures,
    find_references,
)
from .tasks import TaskDraft


@dataclass(frozen=True)
class Context:
    layout: Layout
    issued: dt.date | None
    year: int | None


@dataclass(frozen=True)
class TaskFields:
    """A task and what has been read from it; values carry the offset base of their text."""

    draft: TaskDraft
    criteria: tuple[tuple[CriterionFound, int], ...] = ()
    deadlines: tuple[tuple[DeadlineFound, int], ...] = ()
    figures: tuple[tuple[FigureFound, int], ...] = ()
    references: tuple[tuple[ReferenceFound, int], ...] = field(default=())

    def text(self, ctx: Context) -> str:
        return ctx.layout.text[self.draft.start:self.draft.end]


Step = Callable[[TaskFields, Context], TaskFields]


def criteria_step(t: TaskFields, ctx: Context) -> TaskFields:
    return replace(t, criteria=tuple((c, t.draft.start) for c in find_criteria(t.text(ctx))))


def references_step(t: TaskFields, ctx: Context) -> TaskFields:
    return replace(t, references=tuple((r, t.draft.start) for r in find_references(t.text(ctx))))


def deadlines_step(t: TaskFields, ctx: Context) -> TaskFields:
    text = t.text(ctx)
    found = [(d, t.draft.start) for d in find_deadlines(text, ctx.issued, ctx.year)]
    # Cited documents carry dates that are not deadlines.
    found = [(d, b) for d, b in found if not any(r.start <= d.start - (b - rb) < r.end for r, rb in t.references)]
    if not found and t.draft.attribute_text:
        # "Thời gian hoàn thành: Quý IV/2023" stated once for the item that holds the list.
        found = [(d, t.draft.attribute_start) for d in find_deadlines(t.draft.attribute_text, ctx.issued, ctx.year)]
    cell = t.draft.deadline_cell
    if cell and not any(cell[0] <= d.start < cell[1] for d, _ in found):
        # A task table's time column states the limit without a cue ("Năm 2026", "Quý II/2026").
        prefix = "Thời hạn: "
        for d in find_deadlines(prefix + text[cell[0]:cell[1]], ctx.issued, ctx.year):
            start, end = max(0, d.start - len(prefix)) + cell[0], d.end - len(prefix) + cell[0]
            # (the span's own text: the cell may say more, "Năm 2025-2026", than the limit read)
            found.append((replace(d, start=start, end=end, text=text[start:end]), t.draft.start))
    found = [(d, b) for d, b in found if d.kind != "recurring"]
    return replace(t, deadlines=tuple(found))


def figures_step(t: TaskFields, ctx: Context) -> TaskFields:
    base = t.draft.start
    text = t.text(ctx)
    label = find_label(text)
    masked = [(0, len(label.text))] if label else []
    masked += list(t.draft.masked)
    masked += [(c.start, c.end) for c, _ in t.criteria] + [(r.start, r.end) for r, _ in t.references]
    masked += [(d.start, d.end) for d, b in t.deadlines if b == base]
    return replace(t, figures=tuple((f, base) for f in find_figures(text, masked)))


EXTRACTION_STEPS: tuple[Step, ...] = (criteria_step, references_step, deadlines_step, figures_step)


def run_steps(drafts: list[TaskDraft], ctx: Context, steps: tuple[Step, ...] = EXTRACTION_STEPS) -> list[TaskFields]:
    out = []
    for d in drafts:
        t = TaskFields(draft=d)
        for step in steps:
            t = step(t, ctx)
        out.append(t)
    return out
