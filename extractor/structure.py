"""Structure: the section tree of a notice, and which of its parts give directions.

The tree follows labels (I., 1., 1.1., a), đ), -, +, Điều) by family: an item of a family
already open is a sibling of that open item; a new family opens one level deeper.
Unlabelled paragraphs hang under the item they follow: as a continuation of an item that is
itself a sentence, as a child of a heading.

Parts: the header (before the body), the body, and what follows "Nơi nhận" or the signature
(cut off). Inside the body, sections are marked directive or not from their headings, the
sentence that opens the directive part ("… kết luận như sau:") and the closing formula.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from .letterhead import (
    ANNEX_LINES,
    NUMBER_AND_SYMBOL,
    NUMBER_LINE,
    PLACE_DATE,
    SALUTATION,
    SUBJECT_LINE,
    TYPE_WORDS,
    has_motto,
    opens_signature,
)
from .paragraphs import Label, Layout, Paragraph, names_only
from .unitnames import mention_at
from .vntext import fold
from .vocab import table


def _is_title(p: Paragraph) -> bool:
    """The document-type line: "THÔNG BÁO", "KẾ HOẠCH", "GIẤY MỜI HỌP"."""
    f = fold(p.text)
    return any(f.startswith(fold(t)) for t in table("doc_types")["types"])


def _has(phrases: list[str], folded: str) -> bool:
    return any(fold(p) in folded for p in phrases)


@dataclass(slots=True)
class Section:
    """A node of the section tree. The root has no paragraph."""

    paragraph: Paragraph | None
    children: list[Section] = field(default_factory=list)
    continuation: list[Paragraph] = field(default_factory=list)
    # "Đơn vị chủ trì: …", "Thời gian hoàn thành: …": lines that describe this item's work.
    attributes: list[Paragraph] = field(default_factory=list)
    directive: bool = False
    # The sentence that introduced this item ("… đề nghị các chủ đầu tư … như sau:").
    opener: Paragraph | None = None
    parent: Section | None = field(default=None, repr=False)

    @property
    def label(self) -> Label | None:
        return self.paragraph.label if self.paragraph else None

    @property
    def paragraphs(self) -> list[Paragraph]:
        return ([self.paragraph] if self.paragraph else []) + self.continuation

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def ancestors(self) -> list[Section]:
        out, node = [], self.parent
        while node is not None and node.paragraph is not None:
            out.append(node)
            node = node.parent
        return out[::-1]


@dataclass(frozen=True, slots=True)
class Structure:
    layout: Layout
    header: tuple[Paragraph, ...]
    body: tuple[Paragraph, ...]
    closing: tuple[Paragraph, ...]
    root: Section
    has_opener: bool


def looks_like_heading(p: Paragraph) -> bool:
    """A title, not a sentence: short, no final full stop, or all capitals."""
    body = p.body.rstrip()
    if not body:
        return True
    if body.isupper():
        return True
    if body.endswith((".", ";")) or ": " in body:
        return False
    return len(body.split()) <= 16 or names_only(body)


def _family(label: Label) -> tuple[str, int]:
    return (label.kind, label.depth if label.kind == "num" else 0)


# Labels left before an attribute line by OCR and by flattened lists: "- a) Cơ quan chủ trì:", "a) a) …".
_NESTED_LABELS = re.compile(r"^(?:[a-zđA-ZĐ]\)\s+)+")


def is_attribute(p: Paragraph) -> bool:
    """'Đơn vị chủ trì: …', 'Thời gian: …' — a line that describes an activity (GUIDELINES rule 6)."""
    head = fold(_NESTED_LABELS.sub("", p.body)).split(":", 1)
    return len(head) == 2 and len(head[0]) < 40 and any(
        head[0].strip() == fold(a) or head[0].strip().startswith(fold(a) + " ") for a in table("sections")["attribute_prefixes"])


def _is_note(p: Paragraph) -> bool:
    """A paragraph wholly in parentheses: "(Gửi kèm … Phụ lục …)", an aside, not content."""
    text = p.text.rstrip(" .")
    return p.label is None and text.startswith("(") and text.endswith(")")


def _is_legal_ground(p: Paragraph) -> bool:
    return fold(p.body).startswith(("căn cứ", "xét đề nghị", "theo đề nghị"))


def build_tree(paragraphs: tuple[Paragraph, ...]) -> Section:
    root = Section(paragraph=None)
    stack: list[Section] = [root]
    for p in paragraphs:
        if _is_note(p):
            continue
        if is_attribute(p) and p.label is None and len(stack) > 1:
            # An attribute line after a list describes the item that holds the list.
            holder = stack[-1] if stack[-1].children or len(stack) == 2 else stack[-2]
            holder.attributes.append(p)
            continue
        if p.label is None or p.kind == "table_row":
            top = stack[-1]
            if len(stack) == 2 and top.label and top.label.kind == "num" and not top.children \
                    and not looks_like_heading(top.paragraph) and p.text[:1].isupper():
                # After a numbered sentence at the top ("3. Sở Công Thương … báo cáo …"), a new
                # paragraph speaks to the whole list ("Báo cáo của các cơ quan … trước ngày …").
                del stack[1:]
                top = root
            if top is not root and not top.children and not looks_like_heading(top.paragraph):
                top.continuation.append(p)
            else:
                node = Section(paragraph=p, parent=top)
                top.children.append(node)
            continue
        if p.label.kind in ("dash", "plus") and _is_legal_ground(p) and all(
                _is_legal_ground(n.paragraph) for n in stack[1:] if n.paragraph is not None):
            # "- Căn cứ Quy định số …;": the legal grounds before the body (a Party document
            # dashes them) stand alone; they hold nothing that follows them.
            del stack[1:]
            root.children.append(Section(paragraph=p, parent=root))
            continue
        family = _family(p.label)
        # Close items down to the open item of the same family, or to a shallower number.
        for depth in range(len(stack) - 1, 0, -1):
            open_label = stack[depth].label
            assert open_label is not None
            if _family(open_label) == family:
                del stack[depth:]
                break
            if family[0] == "num" and open_label.kind == "num" and open_label.depth > family[1]:
                del stack[depth:]  # "2." closes "1.5." and goes on to close "1."
        parent = stack[-1]
        if is_attribute(p) and p.label.kind in ("dash", "plus", "dot", "letter") and parent is not root:
            # "- Đơn vị chủ trì: …", "- Thời gian hoàn thành: …" under an item describe it.
            parent.attributes.append(p)
            continue
        node = Section(paragraph=p, parent=parent)
        parent.children.append(node)
        stack.append(node)
    return root


def _is_letterhead_anchor(p: Paragraph) -> bool:
    """A line only a letterhead holds: the national motto (or the Party's), the number line."""
    return has_motto(p.text) or bool(NUMBER_LINE.match(p.text))


def _is_letterhead_line(p: Paragraph) -> bool:
    """A line of the issuer block above the motto: capitals ("ỦY BAN NHÂN DÂN", "TỈNH ỦY BÌNH
    THUẬN"), a rule ("-----", "*"), or nothing."""
    text = p.text.strip()
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return True
    return text.isupper() and len(text) < 90 and not any(c.isdigit() for c in text)


@cache
def _stamp_lines() -> tuple[str, ...]:
    return tuple(fold(w) for w in table("sections")["incoming_stamp_lines"])


def _is_strong_header(p: Paragraph) -> bool:
    """A line that only a letterhead holds, below which the header still goes on."""
    return has_motto(p.text) or bool(NUMBER_LINE.match(p.text)) or SALUTATION.match(p.text) is not None or (
        len(p.text) < 120 and PLACE_DATE.search(p.text) is not None)


def document_start(paras: tuple[Paragraph, ...]) -> int:
    """Index of the paragraph where the document begins. Web portals and exports put their own
    lines before the letterhead ("Hệ thống pháp luật", "Đang tải nội dung…", a metadata block,
    view counters); the letterhead is found wherever it starts: at the first line only a
    letterhead holds, less the issuer's capitals above it (at most five lines)."""
    for i, p in enumerate(paras[:120]):
        if _is_letterhead_anchor(p):
            j = i
            while j > 0 and i - j < 5 and _is_letterhead_line(paras[j - 1]):
                j -= 1
            return j
    return 0


def notice_marks(paras: tuple[Paragraph, ...], limit: int = 15000) -> list[str]:
    """What marks a text as an administrative document, anywhere in its first pages: a number
    line, a document-type title, a place-date line, "V/v", "Kính gửi", a signature block,
    "Nơi nhận" (Nghị định 30/2020, Điều 8)."""
    found: list[str] = []
    for k, p in enumerate(paras):
        if p.start > limit:
            break
        f = fold(p.text)
        if NUMBER_LINE.match(p.text):
            found.append("number")
        elif has_motto(p.text):
            found.append("motto")
        elif k < 3 and NUMBER_AND_SYMBOL.match(TYPE_WORDS.sub("", p.text[:200])):
            found.append("symbol")  # a portal's or an export's title line: "568/QĐ-TCT | Mục lục"
        elif p.text.isupper() and _is_title(p) and len(p.text) < 120:
            found.append("title")
        elif PLACE_DATE.search(p.text[:300]):
            found.append("place_date")
        elif any(a in f[:400] for a in ANNEX_LINES):
            found.append("annex")
        elif f.startswith(("kính gửi", "v/v")):
            found.append("addressee")
        elif opens_signature(p.text):
            found.append("signature")
        elif f.startswith("nơi nhận"):
            found.append("distribution")
    return found


def split_parts(layout: Layout) -> tuple[tuple[Paragraph, ...], tuple[Paragraph, ...], tuple[Paragraph, ...]]:
    """Header, body, closing (from "Nơi nhận", the signature or an appendix on)."""
    words = table("sections")
    paras = layout.paragraphs
    # The header is the run of header lines from where the document begins: issuer, national
    # motto, "Số:", the place-date line, the document title and its subject line, "V/v …",
    # "Kính gửi" and its list. The body starts at the first line that is none of these.
    first = document_start(paras)
    start = first
    i = first
    while i < min(len(paras), first + 40):
        p = paras[i]
        f = fold(p.text)
        short = len(f) < 120
        if f.startswith(_stamp_lines()) or re.match(r"^đến\b.{0,12}số", f):
            i += 1  # the receiving office's stamp ("ĐẾN Số: 1998", "Ngày: 15/9/2026", "Chuyển: …")
        elif f.startswith("kính gửi"):
            i += 1
            while i < len(paras) and paras[i].label and paras[i].label.kind in ("dash", "plus", "dot"):
                i += 1
        elif p.label is None and p.text.isupper() and (len(p.text) < 80 or (_is_title(p) and len(p.text) < 400)):
            i += 1
            nxt = paras[i] if i < len(paras) else None
            if nxt is not None and _is_title(p) and not nxt.label and len(nxt.text) < 300 \
                    and not re.match(r"^(Căn cứ|CĂN CỨ|Thực hiện|Ngày|Kính gửi)\b", nxt.text):
                i += 1  # the line under the title is its subject (trích yếu)
        elif SUBJECT_LINE.match(p.text) or SALUTATION.match(p.text) or not any(c.isalpha() for c in p.text) or NUMBER_LINE.match(p.text) \
                or has_motto(p.text) or (short and (
                re.search(r",\s*ngày\b.{0,30}năm\b", f) or "tự do" in f or f.startswith("số"))):
            i += 1
        elif short and any(_is_strong_header(q) for q in paras[i + 1:i + 4]):
            i += 1  # a wrapped piece of the header ("Đắk Lắk, Gia Lai" under "V/v: … các tỉnh:")
        else:
            break
        start = i
    end = len(paras)
    for i in range(start, len(paras)):
        f = fold(paras[i].text)
        if any(f.startswith(w) for w in words["body_end"]) or opens_signature(paras[i].text) or (
                _is_closing(paras[i]) and i > start + 1):
            end = i
            break
    return paras[first:start], paras[start:end], paras[end:]


def _is_closing(p: Paragraph) -> bool:
    """The closing formula: "Trên đây là …", "… thông báo để … biết, thực hiện./."."""
    f = fold(p.text).rstrip()
    if p.label is None and f.endswith("./.") and len(f) < 250 and re.search(r"\b(thực hiện|biết|triển khai)\b", f):
        return True  # "./." marks the end of the body
    return p.label is None and (f.startswith("trên đây") or (
        _has(table("sections")["closing_formulas"], f) and (f.endswith("./.") or len(f) < 300)
        and not re.match(r"^(giao|đề nghị|yêu cầu)\b", f)))


def _is_opener(p: Paragraph, cues: str = "directive_openers") -> bool:
    """The sentence that opens a directive part: "… kết luận như sau:", "… yêu cầu các cơ quan
    thực hiện tốt một số nội dung sau:"; not "… chưa đạt yêu cầu, … ba điểm nghẽn lớn:"."""
    f = fold(p.body).rstrip()
    if not f.endswith(":") or (p.label is not None and p.label.kind not in ("num", "letter")):
        return False
    words = table("sections")
    if p.label is None and f in {fold(w) for w in words["opener_lines"]}:
        return True  # "QUYẾT ĐỊNH:" before the articles of a decision
    if any(f.endswith(fold(w)) for w in words["list_intros"]):
        return False
    clause = re.split(r"[.;]\s", f)[-1]
    for noun_use in words["opener_noun_uses"]:
        clause = clause.replace(fold(noun_use), " ")
    return any(re.search(rf"(?<!\w){re.escape(fold(w))}(?!\w)", clause) for w in words[cues])


def heading_role(p: Paragraph) -> str | None:
    """'directive' or 'background' from a heading's words; None when they do not say."""
    words = table("sections")
    title = re.sub(r"^(?:các|những)\s+", "", fold(p.body)[:80])
    title = re.split(r"[:.]", title, maxsplit=1)[0]
    if any(title.startswith(fold(w)) for w in words["directive_headings"]) or any(
            re.search(rf"(?:^|,\s*|\s và\s)(?:các\s+)?{re.escape(fold(w))}\b", title) for w in words["directive_headings"]):
        return "directive"  # "NHIỆM VỤ …", also "NỘI DUNG, NHIỆM VỤ"
    if any(title.startswith(fold(w)) for w in words["background_headings"]):
        return "background"
    return None


def mark_directive(root: Section) -> bool:
    """Mark directive sections in place; returns whether an opening sentence was found.

    A section is directive when its heading says so ("NHIỆM VỤ", "TỔ CHỨC THỰC HIỆN"), or
    when it follows an opening sentence ("… kết luận như sau:") and its heading does not name
    a background part ("ĐÁNH GIÁ", "MỤC ĐÍCH"). An opening sentence inside a background
    section turns on what follows it there ("2. Kiến nghị … yêu cầu đơn vị thực hiện … sau:").
    """
    opener_seen = False
    headed = any(n.label and n.label.kind in ("roman", "part", "article") for n in root.children)

    def visit(children: list[Section], on: bool, top: bool, opener: Paragraph | None, in_request: bool = False) -> None:
        nonlocal opener_seen
        for node in children:
            p = node.paragraph
            assert p is not None
            # Inside "Kiến nghị", only a demand on subordinates ("yêu cầu", "giao") opens tasks.
            if not node.children and _is_opener(p, "subordinate_cues" if in_request else "directive_openers"):
                opener_seen = True
                on = True
                opener = p
                if p.label is None:
                    continue
            node.opener = opener
            role = heading_role(p) if (node.children or looks_like_heading(p)) else None
            if role == "background":
                node_on = False
            elif role == "directive":
                node_on = True
            elif top and node.label is not None and not (headed and node.label.kind in ("roman", "part", "article")):
                # A numbered item of a letter: directive after an opening sentence, or when it
                # names who acts ("1. Ban Quản lý … báo cáo …", "2. Giao Sở …").
                node_on = on or _names_actor(node)
            else:
                node_on = on
            node.directive = node_on
            # Requests to a higher level ("V. KIẾN NGHỊ") assign nothing, whatever they open with.
            request = in_request or (role == "background" and _starts_with_any(p, "request_headings"))
            visit(node.children, node_on, False, opener, request)

    visit(root.children, False, True, None)
    _assessments_before_tasks(root)
    for node in root.walk():
        if node.paragraph is not None and not node.directive and _names_who_acts(node.attributes):
            node.directive = True  # "1. Rà soát …" / "a) Cơ quan chủ trì: Sở Nội vụ" under "II. NỘI DUNG"
    return opener_seen


def _assessments_before_tasks(root: Section) -> None:
    """"1. <what was achieved> … 2. Nhiệm vụ cần triển khai …": in a conclusion, items before
    the sibling whose heading names the tasks, that neither name who acts nor say what to do
    in their own heading, are the assessment (GUIDELINES rule 7), even after "kết luận như sau:"."""
    for node in root.walk():
        items = node.children
        first = next((i for i, c in enumerate(items) if c.label is not None and c.paragraph is not None
                      and looks_like_heading(c.paragraph) and heading_role(c.paragraph) == "directive"), None)
        if not first or not any(c.label is not None for c in items[:first]):
            continue  # no numbered item before the tasks' heading: nothing here is an assessment
        heading_family = _family(items[first].label)  # type: ignore[arg-type]
        for item in items[:first]:
            p = item.paragraph
            assert p is not None
            # Only a sibling of the same numbering ("1." before "2. Nhiệm vụ …"): items of
            # another family may sit under a heading that OCR lost ("I. Nhiệm vụ chung").
            if item.label is not None and _family(item.label) != heading_family:
                continue
            if heading_role(p) is None and not _names_actor(item) and not looks_like_heading(p) \
                    and not _starts_with_action(p):
                for n in item.walk():
                    n.directive = False


def _starts_with_action(p: Paragraph) -> bool:
    """An item that opens with a verb ("Chỉ đạo, triển khai …", "Định kỳ hàng quý làm việc …")
    tells someone what to do; an assessment opens with what it judges."""
    return fold(p.body).startswith(_action_verbs())


@cache
def _action_verbs() -> tuple[str, ...]:
    return tuple(fold(v) + " " for v in table("units")["responsible_verbs"]) + tuple(
        fold(v) + "," for v in table("units")["responsible_verbs"])


def _names_who_acts(attributes: list[Paragraph]) -> bool:
    keys = tuple(fold(k) for k in table("sections")["responsible_attributes"])
    return any(fold(_NESTED_LABELS.sub("", a.body)).startswith(keys) for a in attributes)


def _starts_with_any(p: Paragraph, key: str) -> bool:
    title = re.sub(r"^(?:các|những)\s+", "", fold(p.body))
    return any(title.startswith(fold(w)) for w in table("sections")[key])


def _names_actor(node: Section) -> bool:
    """Whether an item (or its first sub-item) opens with a unit or an assigner cue."""
    for n in [node, *node.children[:1]]:
        if n.paragraph is None:
            continue
        body = n.paragraph.body
        if mention_at(body, 0) or re.match(r"(?i)^(giao|đề nghị|yêu cầu)\b", body):
            return True
    return False


def build_structure(layout: Layout) -> Structure:
    header, body, closing = split_parts(layout)
    root = build_tree(body)
    opener = mark_directive(root)
    return Structure(layout=layout, header=header, body=body, closing=closing, root=root, has_opener=opener)
