"""Which parts of the section tree are tasks, and who must act on each.

GUIDELINES: each smallest labelled item of the directive part is a task; an unlabelled
paragraph under a heading is a task of its own; a heading that only names a unit is not a
task but gives its unit to the tasks under it; attribute lines describe their parent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from ..paragraphs import Paragraph
from ..structure import Section, Structure, is_attribute, looks_like_heading
from ..tablevocab import column_role, is_task_header
from ..unitnames import mention_at, mentions
from ..vntext import fold
from ..vocab import alternation, table
from .actors import (
    OPENER_ASSIGN,
    actors_in_text,
    assigned_in_text,
    attribute_units,
    coordinating_in_text,
    heading_units,
    introduced_units,
    is_generic,
    is_obliged,
    recipient_units,
    resolve_generic,
    responsible_in_text,
    split_unit_list,
)
from .fields import find_deadlines


@dataclass(frozen=True, slots=True)
class TaskDraft:
    """A task before its fields are read: where it is and what it inherits."""

    start: int
    end: int
    page: int | None
    section: str
    headings: tuple[str, ...]
    responsible: tuple[str, ...]
    coordinating: tuple[str, ...]
    attribute_text: str = ""  # text of inherited attribute lines (deadlines stated there)
    attribute_start: int = 0
    # Spans (relative to ``start``) that hold no values: a table row's index cell.
    masked: tuple[tuple[int, int], ...] = ()
    # A table row's time-limit cell (relative to ``start``): read as "Thời hạn: …".
    deadline_cell: tuple[int, int] | None = None


@cache
def _exhortation() -> re.Pattern[str]:
    return re.compile(rf"(?:{alternation(table('sections')['exhortation_endings'], folded=True)})\s*[./]*$")


def is_formula(p: Paragraph) -> bool:
    """A one-line exhortation ("Sở Công Thương đề nghị các chủ đầu tư nghiêm túc triển khai
    thực hiện."), or a decision's clause that assigns no work ("Quyết định này có hiệu lực …",
    "… chịu trách nhiệm thi hành Quyết định này"): not a task of its own."""
    f = fold(p.text)
    if len(p.text) < 400 and any(fold(c) in f for c in table("sections")["non_task_clauses"]):
        return True
    if p.label is not None and p.label.kind == "article" and fold(p.body).startswith(
            tuple(fold(w) for w in table("sections")["non_task_articles"])):
        return True
    return len(p.text) < 160 and bool(_exhortation().search(f))


def _is_task_node(node: Section) -> bool:
    p = node.paragraph
    if p is None or not node.directive or p.kind == "table_row" or is_formula(p):
        return False
    if is_attribute(p):
        return False
    if node.attributes and not node.children:
        return True  # an item described by its attribute lines is the task (GUIDELINES rule 6)
    if node.children and any(c.directive for c in node.children):
        # A heading over items; a sentence with sub-items ending in ":" introduces them.
        return False
    body = p.body
    if looks_like_heading(p) and not node.continuation:
        # A short line that names a unit or a topic, not an action.
        words = len(body.split())
        return words > 8 and not p.text.isupper() and not mention_at(body, 0)
    return True


def _section_path(node: Section) -> str:
    labels = []
    for a in [*node.ancestors(), node]:
        labels.append(a.label.text.strip() if a.label else f"¶{a.paragraph.index}")
    return "/".join(labels)


@dataclass(frozen=True, slots=True)
class _Item:
    """What the sources of a task's responsible unit look at."""

    node: Section
    body: str  # the task's text, its label left out
    addressees: tuple[str, ...]


Units = tuple[list[str], list[str]]  # (responsible, coordinating)


def _named_in_text(item: _Item) -> Units:
    """The units the task's own words name as acting ("Sở X chủ trì …", "Giao Sở X …"); but
    under a heading that names a unit, "Yêu cầu các đơn vị …" is that unit asking, and a
    reference to the addressees ("các đơn vị") waits for every other source (see below)."""
    actors = actors_in_text(item.body)
    responsible = actors.units
    inherited = next((u for a in reversed(item.node.ancestors()) if a.children
                      for u in [list(heading_units(a.paragraph)) or introduced_units(a.paragraph)] if u), [])
    assigned = assigned_in_text(item.body)
    if inherited and actors.how in ("assigned", "assigned_group") and assigned:
        enumerated = len(assigned[0]) > 1 and re.search(r"\(?\s*gồm", item.body)
        same = {fold(u) for u in assigned[0]} <= {fold(u) for u in inherited}
        # "Ủy ban nhân dân tỉnh yêu cầu Lãnh đạo các sở …": a named asker, the asked act.
        asker = any(m.end >= assigned[1] - 1 for m in mentions(item.body[:assigned[1]]))
        if not enumerated and not same and not asker:
            # Under "1. Sở X", "Yêu cầu các đơn vị …" or "… khẩn trương giao Ban QLDA cấp
            # xã …" means Sở X does the asking: the heading's unit stays responsible.
            responsible = []
    if responsible and all(is_generic(r) for r in responsible):
        responsible = []
    return responsible, coordinating_in_text(item.body)


def _own_attributes(item: _Item) -> Units:
    """The item's own attribute lines: "Cơ quan chủ trì: …", "Cơ quan phối hợp: …"."""
    return attribute_units(item.node)


def _enclosing(item: _Item) -> Units:
    """The nearest enclosing heading that names a unit ("1. Sở Tài chính:"), item that
    introduces its sub-items to units ("b) Giao UBND cấp xã …:"), or attribute lines."""
    coordinating: list[str] = []
    for anc in reversed(item.node.ancestors()):
        units = list(heading_units(anc.paragraph)) or introduced_units(anc.paragraph)
        if not units:
            units, coord = attribute_units(anc)
            coordinating = coordinating or coord
        if units:
            return units, coordinating
    return [], coordinating


def _asked_by_opener(item: _Item) -> Units:
    """Those the directive part's opener asks ("Ban Chỉ đạo … phân công nhiệm vụ cho các thành
    viên như sau:"): they act, not the body that asks."""
    opener = item.node.opener or next((a.opener for a in item.node.ancestors() if a.opener), None)
    if opener is None:
        return [], []
    asked = assigned_in_text(opener.text) or assigned_in_text(opener.text, OPENER_ASSIGN)
    return (asked[0] if asked else responsible_in_text(opener.text)), []


def _addressees_named_in_text(item: _Item) -> Units:
    """A reference to the addressees in the task's words ("các đơn vị", "Quý cơ quan"):
    resolved to the addressees or the recipients below."""
    units = actors_in_text(item.body).units
    return (units if units and all(is_generic(u) for u in units) else []), []


def _addressees(item: _Item) -> Units:
    """Those the document is addressed to ("Kính gửi: …")."""
    return list(item.addressees), []


# The precedence of the sources of a task's responsible unit: the first that names one wins.
# Coordinating units are the first found in the same order, up to the winning source.
# (Task-table rows read their units from their columns, letters' paragraphs from who they
# ask: see ``table_drafts`` and ``letter_drafts``.)
RESPONSIBLE_UNIT_SOURCES: tuple[tuple[str, Callable[[_Item], Units]], ...] = (
    ("named in the task's text", _named_in_text),
    ("the task's own attribute lines", _own_attributes),
    ("the nearest enclosing heading, introducing item or attribute lines", _enclosing),
    ("those the directive part's opener asks", _asked_by_opener),
    ("a reference to the addressees in the task's text", _addressees_named_in_text),
    ("the addressees", _addressees),
)


def _units_of(item: _Item) -> Units:
    coordinating: list[str] = []
    for _, source in RESPONSIBLE_UNIT_SOURCES:
        responsible, coord = source(item)
        coordinating = coordinating or coord
        if responsible:
            return responsible, coordinating
    return [], coordinating


def _inherited_attributes(node: Section) -> tuple[str, int]:
    """The nearest enclosing item's attribute lines ("Thời gian hoàn thành: Quý IV/2023"), which
    state a time limit once for the items under it; and where they start."""
    for anc in reversed(node.ancestors()):
        if anc.attributes:
            return "\n".join(a.text for a in anc.attributes), anc.attributes[0].start
    return "", 0


def draft_tasks(structure: Structure, addressees: list[str]) -> list[TaskDraft]:
    drafts: list[TaskDraft] = []
    recipients = recipient_units(structure.closing)
    for node in structure.root.walk():
        if not _is_task_node(node):
            continue
        p = node.paragraph
        assert p is not None
        last = node.continuation[-1] if node.continuation else p
        if node.attributes and node.attributes[-1].start > last.start:
            last = node.attributes[-1]  # the item's own attribute lines belong to its text
        body = structure.layout.text[p.body_start:last.end]
        responsible, coordinating = _units_of(_Item(node, body, tuple(addressees)))
        responsible = resolve_generic(responsible, addressees, recipients)
        responsible = [r for r in dict.fromkeys(responsible) if r not in coordinating or r in responsible[:1]]
        attr_text, attr_start = _inherited_attributes(node)
        drafts.append(TaskDraft(
            start=p.start, end=last.end, page=p.page, section=_section_path(node),
            headings=tuple(a.paragraph.text for a in node.ancestors()),
            responsible=tuple(responsible), coordinating=tuple(c for c in coordinating if c not in responsible),
            attribute_text=attr_text, attribute_start=attr_start,
        ))
    drafts.extend(letter_drafts(structure, addressees))
    drafts.extend(table_drafts(structure))
    return sorted(drafts, key=lambda d: d.start)


def table_drafts(structure: Structure) -> list[TaskDraft]:
    """GUIDELINES rule 5: each row of a task table (STT | Nội dung | Đơn vị chủ trì | Thời hạn)
    is one task, with its units and time limit read from their columns."""
    out: list[TaskDraft] = []
    roles: list[str | None] = []
    for p in structure.layout.paragraphs:
        if p.kind != "table_row":
            roles = []
            continue
        cells = list(p.cells)
        if is_task_header(cells):
            roles = [column_role(c) for c in cells]
            continue
        if cells and column_role(cells[0]) == "index":
            roles = []  # the header of another table, not a task table
            continue
        if not roles:
            continue
        by_role: dict[str, str] = {}
        for role, cell in zip(roles, cells, strict=False):
            if role and cell and role not in by_role:
                by_role[role] = cell
        content = by_role.get("content", "")
        if not content or _CELL_INDEX.match(content) or is_task_header(cells) or _column_numbers(cells):
            continue
        responsible = [u for part in re.split(r";\s*|\n", by_role.get("responsible", "")) for u in split_unit_list(part)]
        coordinating = [u for part in re.split(r";\s*|\n", by_role.get("coordinating", "")) for u in split_unit_list(part)]
        index_end = len(cells[0]) if roles and roles[0] == "index" else 0
        deadline_cell = None
        if "deadline" in roles:
            k = roles.index("deadline")
            if k < len(cells) and cells[k]:
                offset = sum(len(c) + 3 for c in cells[:k])  # cells are joined by " | "
                deadline_cell = (offset, offset + len(cells[k]))
        out.append(TaskDraft(start=p.start, end=p.end, page=p.page, section=f"table/{cells[0] or p.index}",
                             masked=((0, index_end),) if index_end else (), deadline_cell=deadline_cell,
                             headings=(), responsible=tuple(dict.fromkeys(responsible)),
                             coordinating=tuple(dict.fromkeys(c for c in coordinating if c not in responsible))))
    return out


_CELL_INDEX = re.compile(r"^\(?\d{1,3}\)?\.?$")


_COLUMN_NUMBER = re.compile(r"^\(\d{1,2}\)$")


def _column_numbers(cells: list[str]) -> bool:
    """The row under a table's header that numbers its columns ("(1) | (2) | (3)"), even with a
    cell or two misread by OCR ("q) | (2) | (3) | (4) | )"): most of its cells are numbers in
    brackets (a row of quantities has none)."""
    filled = [c.strip() for c in cells if c.strip()]
    return len(filled) >= 3 and sum(bool(_COLUMN_NUMBER.match(c)) for c in filled) > len(filled) / 2


@cache
def _letter_background() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Openings of paragraphs that tell background ("Căn cứ …", "Ngày 5/3, …") and past events."""
    words = table("sections")
    background = re.compile(rf"^(?:Ngày\s+\d|(?:{alternation(words['background_starts'])})\b)")
    past = re.compile(rf"^(?:{alternation(words['past_event_starts'])})\b")
    return background, past


def _named_asker(text: str, cue_at: int) -> bool:
    """Whether a specific unit asks, right before the cue ("…, Sở Tài chính đề nghị …"), in a
    paragraph that does not tell a past event."""
    if _letter_background()[1].match(text):
        return False
    return any(m.end >= cue_at - 1 and not m.group for m in mentions(text[:cue_at]))


def letter_drafts(structure: Structure, addressees: list[str]) -> list[TaskDraft]:
    """GUIDELINES rule 8: in a letter, a paragraph that asks a unit to act is a task."""
    out = []
    for node in structure.root.children:
        p = node.paragraph
        if p is None or node.directive or node.children or p.label is not None or is_formula(p) \
                or p.text.rstrip().endswith(":"):
            continue
        assigned = assigned_in_text(p.text)
        if _letter_background()[0].match(p.text) and not (assigned and _named_asker(p.text, assigned[1])):
            # "Thực hiện Công văn số …, Sở Tài chính đề nghị Quý cơ quan …" asks; "Ngày …, Sở
            # có Văn bản … đề nghị …" and "Căn cứ …" paragraphs only tell what happened.
            continue
        actors = actors_in_text(p.text)
        if assigned:
            units = assigned[0]
        elif actors.how == "subject" and is_obliged(p.text):
            units = actors.units
        elif structure.has_opener and any(d.kind == "by_date" for d in find_deadlines(p.text, None, 2000)):
            # "Báo cáo của các cơ quan, đơn vị gửi về UBND tỉnh trước ngày 12/6/2026": a time
            # limit on the action asked for above.
            units = responsible_in_text(p.text) or list(addressees)
        else:
            continue
        units = resolve_generic(units, addressees, recipient_units(structure.closing))
        last = node.continuation[-1] if node.continuation else p
        out.append(TaskDraft(start=p.start, end=last.end, page=p.page, section=f"¶{p.index}", headings=(),
                             responsible=tuple(units), coordinating=tuple(coordinating_in_text(p.text))))
    return out

