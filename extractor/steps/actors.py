"""Who a piece of text names as acting: the units read from a task's own words, a heading, an
introducing item, attribute lines ("Cơ quan chủ trì: …"), "Kính gửi" and "Nơi nhận".

These readers answer one question each; which answer wins for a task is decided in one place,
``tasks.RESPONSIBLE_UNIT_SOURCES``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..doccache import per_document
from ..paragraphs import Paragraph
from ..structure import Section
from ..unitnames import UnitMention, expand_enumeration, is_stop_at, mention_at, mentions
from ..vntext import fold
from ..vocab import alternation, table


def is_generic(name: str) -> bool:
    """'các đơn vị', 'đơn vị nêu trên', 'Quý cơ quan', 'Công ty': a reference to the addressees."""
    qualifiers, references = _generic_words()
    f = re.sub(r"^các\s+", "", fold(name).strip(" .,;:"))
    f = qualifiers.sub("", f)
    return f in references


@cache
def _generic_words() -> tuple[re.Pattern[str], frozenset[str]]:
    words = table("units")
    qualifiers = re.compile(rf"(?:\s+(?:{alternation(words['generic_qualifiers'], folded=True)}))+$")
    return qualifiers, frozenset(fold(w) for w in words["generic_references"])


def resolve_generic(units: list[str], addressees: list[str], recipients: list[str]) -> list[str]:
    """Replace references such as 'các đơn vị' by the addressees ("Kính gửi"), or, in a notice
    with none, by the recipients named in "Nơi nhận" ('Công ty' by the companies among them)."""
    if not units or not all(is_generic(u) for u in units):
        return units
    if addressees:
        return list(addressees)
    if any(fold(u).endswith("công ty") for u in units):
        firms = [r for r in recipients if re.match(r"(?i)^(tổng\s+)?công ty|^chi nhánh", r)]
        return firms or units
    return list(recipients) or units
@cache
def _topic_lead() -> re.Pattern[str]:
    """"Đối với các xã …: Sở X …", "Về tài chính: …": a topic before the subject."""
    leads = table("units")["topic_leads"]
    return re.compile("^(?:" + "|".join(rf"{re.escape(w)} [^:]{{0,{reach}}}:\s*" for w, reach in leads.items()) + ")",
                      re.IGNORECASE)


def _cue_regex(key: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{alternation(table('units')[key], folded=True)})(?:\s+cho)?\s+")


_ASSIGN = _cue_regex("assigner_cues")
_COORD = _cue_regex("coordination_cues")
OPENER_ASSIGN = _cue_regex("opener_assigner_cues")


_LIST_JOINER = re.compile(r"\s*(?:,|;|và|/|, và)\s*")


def _chain(text: str, first: UnitMention) -> list[UnitMention]:
    """A unit and those listed after it: "Sở A, Sở B và UBND các xã"."""
    out = [first]
    pos = first.end
    while True:
        m = _LIST_JOINER.match(text, pos)  # (no slice: text may be a whole long paragraph)
        if not m:
            break
        nxt = mention_at(text, m.end())
        if not nxt:
            break
        out.append(nxt)
        pos = nxt.end
    return out


def _names(text: str, chain: list[UnitMention]) -> list[str]:
    after = text[chain[-1].end:chain[-1].end + 80]
    if re.match(r"[^.;:()]{0,60}?\(?\s*gồm\b", after):
        enum = expand_enumeration(text, chain[-1].end)
        if enum:
            return enum
    out = []
    for m in chain:
        # "UBND các phường: Yên Bái, Văn Phú" names two units.
        enum = expand_enumeration(text, m.start) if re.match(r"\s*:", text[m.end:m.end + 3]) else []
        out.extend(enum or [m.name.strip(" ,;:")])
    return out


def assigned_in_text(body: str, cues: re.Pattern[str] | None = None) -> tuple[list[str], int, bool] | None:
    """Units named after an assigner cue ("giao", "đề nghị", "yêu cầu"), where the cue is, and
    whether they are only groups ("các tổ chức, cá nhân …")."""
    folded = fold(body)
    for cue in (cues or _ASSIGN).finditer(folded):
        m = mention_at(body, cue.end())
        if m:
            chain = _chain(body, m)
            names = _names(body, chain)
            enumerated = len(names) > len(chain)
            names += [n for n in _list_after_semicolons(body, cue.end()) if n not in names]
            return names, cue.start(), all(c.group for c in chain) and not enumerated
    return None


_CLAUSE = re.compile(r";\s+")


def _list_after_semicolons(body: str, start: int) -> list[str]:
    """"Yêu cầu Giám đốc các Sở: Tư pháp, Xây dựng; Chủ tịch UBND thành phố X khẩn trương …": a
    list of those asked that goes on after ";" (no verb came yet) names each of them."""
    out: list[str] = []
    pos = start
    while (semi := body.find(";", pos, pos + 400)) >= 0:
        if any(is_stop_at(body, pos + w.start()) for w in re.finditer(r"\S+", body[pos:semi])):
            break  # a verb came: the list ended before this ";"
        at = semi + 1
        while at < len(body) and body[at] == " ":
            at += 1
        nxt = mention_at(body, at)
        if nxt is None or (nxt.group and not nxt.name[:1].isupper()):
            break
        chain = _chain(body, nxt)
        out.extend(_names(body, chain))
        pos = chain[-1].end
    return out


@dataclass(frozen=True, slots=True)
class Actors:
    units: list[str]
    how: str  # "subject", "assigned", "assigned_group", "" (none found)


def actors_in_text(body: str) -> Actors:
    """Units the text itself names as acting, and how: as the subject that opens it ("Sở Công
    Thương chủ trì …", "Viễn thông Lào Cai: …", also after ";" and after an opening adverbial
    "Định kỳ 6 tháng, Sở Công Thương …"), or after "giao", "đề nghị", "yêu cầu"."""
    lead = _topic_lead().match(body)
    start = lead.end() if lead else 0
    post = _person_post(body[start:start + 400])
    if post:
        return Actors([post], "subject")
    m = mention_at(body, start)
    if m and not _ASSIGN.match(fold(body), m.end + 1) and not is_generic(m.name):
        units = _names(body, _chain(body, m))
        # Further clauses with their own subjects: "Ban QLDA số 1 …; Ban QLDA … tỉnh …".
        for clause in _CLAUSE.finditer(body):
            nxt = mention_at(body, clause.end())
            if nxt and (not nxt.group or nxt.name[:1].isupper()):  # "…; Thủ trưởng các cơ quan …"
                units.extend(u for u in _names(body, _chain(body, nxt)) if u not in units)
        return Actors(units, "subject")
    assigned = assigned_in_text(body)
    if assigned:
        return Actors(assigned[0], "assigned_group" if assigned[2] else "assigned")
    # "Định kỳ 6 tháng, hàng năm, Sở Công Thương tổ chức sơ kết": a subject after an adverbial.
    adverbials = tuple(fold(w) for w in table("units")["adverbial_openers"])
    for comma in re.finditer(r",\s+", body[:160]) if fold(body).startswith(adverbials) else ():
        nxt = mention_at(body, comma.end())
        if nxt and not nxt.group and _lexicon_stop_follows(body, nxt.end) and not _ASSIGN.match(fold(body), nxt.end + 1):
            return Actors(_names(body, _chain(body, nxt)), "subject")
    return Actors([], "")


@cache
def _person_lead() -> re.Pattern[str]:
    titles = alternation(table("units")["person_titles"])
    return re.compile(rf"^(?:{titles})\s+(?P<post>[^,:;()]{{3,120}}?)\s*[,:]")


def _person_post(body: str) -> str | None:
    """"Đồng chí Giám đốc Sở Nội vụ, Thành viên Ban Chỉ đạo tỉnh: Theo dõi …": work assigned to
    a person by post; the post before the first comma or colon is who must act."""
    m = _person_lead().match(body)
    if m and ":" in body[m.end() - 1:m.end() + 200]:
        return m.group("post").strip()
    return None


def _lexicon_stop_follows(text: str, pos: int) -> bool:
    return pos < len(text) and text[pos] == " " and is_stop_at(text, pos + 1)


def responsible_in_text(body: str) -> list[str]:
    return actors_in_text(body).units


def coordinating_in_text(body: str) -> list[str]:
    folded = fold(body)
    out: list[str] = []
    for cue in _COORD.finditer(folded):
        m = mention_at(body, cue.end())
        if m:
            out.extend(x for x in _names(body, _chain(body, m)) if x not in out)
    return out


@per_document(maxsize=1024)
def heading_units(p: Paragraph) -> tuple[str, ...]:
    """Units a heading names ("1.2. Phòng Tài chính - Kế hoạch", "2. Đối với các Phòng …")."""
    body = p.body.rstrip(" :.")
    folded = fold(body)
    for prefix in sorted(table("units")["heading_prefixes"], key=len, reverse=True):
        if folded.startswith(fold(prefix) + " "):
            body = body[len(prefix) + 1:].lstrip()
            break
    first = mention_at(body, 0)
    if not first:
        return ()
    chain = _chain(body, first)
    if _lexicon_stop_follows(body, chain[-1].end) and not all(m.group for m in chain):
        # "a) Cục Thuế có trách nhiệm:", "- Sở Y tế chủ trì:": the units, not what they do (a
        # group stays as written: "Các cơ quan là thành viên Ban Chỉ đạo"); "3. Tổng cục Thuế đề
        # nghị Cục Thuế các tỉnh, thành phố": those asked.
        if _ASSIGN.match(fold(body), chain[-1].end + 1):
            return tuple(actors_in_text(body).units)
        return tuple(_names(body, chain))
    return tuple(split_unit_list(body))


def introduced_units(p: Paragraph) -> list[str]:
    """Units that an item introducing sub-items assigns them to: "b) Về công tác tổ chức bộ
    máy: Giao UBND cấp xã chủ động phối hợp …:", "1. Đồng chí Giám đốc Sở Y tế:"."""
    if not p.text.rstrip().endswith(":"):
        return []
    actors = actors_in_text(p.body)
    return [u for u in actors.units if not is_generic(u)]


@cache
def _unit_list_separator() -> re.Pattern[str]:
    units = table("units")
    heads = alternation(units["head_nouns"] + [g for g in units["group_heads"] if g[:1].isupper()])
    return re.compile(rf"\s*(?:/|;|,\s*(?=(?:{heads})\b|[Cc]ác\s)|\s+và\s+(?=(?:{heads})\b|[Cc]ác\s))\s*")


def split_unit_list(text: str) -> list[str]:
    """'Công an tỉnh, các sở, ban, ngành và Ủy ban nhân dân các xã, phường' -> three units:
    split where another unit begins after ",", "và", "/" or ";" — not inside a group."""
    text = text.strip(" .:;")
    whole = mention_at(text, 0)
    if whole and whole.end >= len(text):
        return [text]
    pieces = _unit_list_separator().split(text)
    pieces = [x.strip(" ,;.") for x in pieces if x.strip(" ,;.")]
    # Every piece must itself name a unit; otherwise the text is one unit as written
    # ("Ủy ban nhân dân các xã, phường có cụm công nghiệp").
    return pieces if all(mention_at(x, 0) for x in pieces) else [text]


def attribute_units(section: Section) -> tuple[list[str], list[str]]:
    responsible: list[str] = []
    coordinating: list[str] = []
    responsible_keys = tuple(fold(k) for k in table("sections")["responsible_attributes"])
    for p in section.attributes:
        # "a) Cơ quan thực hiện: Sở Nội vụ b) Thời gian thực hiện: Quý IV": OCR and flattened
        # lists put several attributes on one line.
        for part in re.split(r";\s*|\s+(?=[a-zđA-ZĐ]\)\s)", p.body):
            key, _, value = part.partition(":")
            k = re.sub(r"^(?:[a-zđA-ZĐ]\)\s*)+", "", fold(key).strip())
            if not value.strip():
                continue
            if "phối hợp" in k:
                coordinating.extend(m.name for m in mentions(value))
            elif k.startswith(responsible_keys) or "chủ trì" in k:
                found = split_unit_list(value) if mention_at(value.strip(), 0) else [value.strip(" .")]
                responsible.extend(found)
    return responsible, coordinating



def addressee_units(header: tuple[Paragraph, ...]) -> list[str]:
    """Units after "Kính gửi:", enumerations expanded ("Các Sở: Công Thương, Tài chính")."""
    out: list[str] = []
    collecting = False
    for p in header:
        f = fold(p.text)
        if f.startswith("kính gửi"):
            collecting = True
            rest = p.text.split(":", 1)[1].strip() if ":" in p.text else ""
            if rest:
                out.extend(_addressee_item(rest))
            continue
        if collecting and p.label and p.label.kind in ("dash", "plus", "dot"):
            out.extend(_addressee_item(p.body))
        elif collecting:
            break
    return [u for u in dict.fromkeys(out) if u]


def recipient_units(closing: tuple[Paragraph, ...]) -> list[str]:
    """Entries of "Nơi nhận" that can be addressees (not copies, archives or superiors)."""
    skip = [fold(w) for w in table("units")["recipient_skip"]]
    out: list[str] = []
    collecting = False
    for p in closing:
        if fold(p.text).startswith("nơi nhận"):
            collecting = True
            continue
        if not collecting:
            continue
        if not (p.label and p.label.kind in ("dash", "plus", "dot")):
            break
        item = p.body.strip(" ;.")
        if item and not any(w in fold(item) for w in skip):
            out.extend(_addressee_item(item))
    return [u for u in dict.fromkeys(out) if u]


def _addressee_item(text: str) -> list[str]:
    text = text.strip(" ;.")
    enum = expand_enumeration(text)
    if enum:
        return enum
    if re.match(r"(?i)^(đồng chí|ông|bà)\b", text):
        return []
    return [text]


@cache
def _obligation() -> re.Pattern[str]:
    return re.compile(rf"\s+(?:{alternation(table('units')['obligation_cues'], folded=True)})(?!\w)")


def is_obliged(text: str) -> bool:
    """Whether the unit that opens ``text`` is told what it must do ("… có trách nhiệm …")."""
    first = mention_at(text, 0)
    if first is None:
        return False
    chain = _chain(text, first)
    return bool(_obligation().match(fold(text), chain[-1].end))
