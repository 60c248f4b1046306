"""One name per unit in the register, whatever spelling a notice used.

"UBND các xã, phường" and "Ủy ban nhân dân các xã, phường" are one unit; so are "Công an tỉnh"
and "Công an tỉnh Lào Cai" in a notice of Lào Cai (the notice's own locality adds nothing); work
given to a post ("Giám đốc Sở Nội vụ") counts for its unit. Persons ("Đỗ Mạnh Cường", "Đồng
chí …") and fragments that name no unit are never units: the task keeps them as written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from ..unitnames import mention_at
from ..vntext import fold
from ..vocab import alternation, table


@dataclass(frozen=True, slots=True)
class CanonicalUnit:
    key: str  # what spellings of one unit share
    name: str  # how the register shows it


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], list[tuple[re.Pattern[str], str]]]:
    units = table("units")
    persons = re.compile(rf"^(?:{alternation(units['person_titles'])})\s", re.IGNORECASE)
    posts = re.compile(rf"^(?:{alternation(units['post_titles'])})\s+", re.IGNORECASE)
    abbreviations = [(re.compile(rf"(?<!\w){re.escape(a)}(?!\w)"), full) for a, full in units["abbreviations"].items()]
    return persons, posts, abbreviations


def _letters(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def locality_of(issuer: str | None, place: str | None) -> str | None:
    """The notice's own locality, folded: 'tỉnh lào cai' from 'ỦY BAN NHÂN DÂN TỈNH LÀO CAI'."""
    levels = alternation(table("units")["localities"], folded=True)
    if issuer and (m := re.search(rf"(?<!\w)(?:{levels})\s+\S.*$", fold(issuer))):
        return m.group()
    return fold(place) if place else None


def _place_name(locality: str) -> str:
    """'lào cai' of 'tỉnh lào cai' (a locality with its level) or of 'lào cai' (a place alone)."""
    for level in sorted(_levels(), key=len, reverse=True):
        if locality.startswith(level + " "):
            return locality[len(level) + 1:]
    return locality


def _level_before(key: str, place: str) -> str | None:
    """The level word the place name ends ``key`` after ("công an tỉnh lào cai" → "tỉnh")."""
    if not key.endswith(" " + place):
        return None
    head = key[:len(key) - len(place) - 1]
    return next((level for level in sorted(_levels(), key=len, reverse=True) if head.endswith(" " + level)), None)


@cache
def _levels() -> tuple[str, ...]:
    return tuple(fold(level) for level in table("units")["localities"])


def canonical_unit(name: str, locality: str | None = None) -> CanonicalUnit | None:
    """The unit a spelling names, or None for a person or a fragment."""
    persons, posts, abbreviations = _patterns()
    name = _letters(" ".join(name.split())).strip(" .,;:-")
    if person := persons.match(name + " "):
        name = name[person.end():]  # "Đồng chí Giám đốc Sở Y tế": the post, then its unit
    if not name:
        return None
    if (post := posts.match(name)) and mention_at(name[post.end():], 0) is not None:
        name = name[post.end():]  # "Giám đốc Sở Nội vụ": the unit is Sở Nội vụ
    mention = mention_at(name, 0)
    if mention is None:
        return None  # a person's name or a fragment
    shown = name
    for pattern, full in abbreviations:
        shown = pattern.sub(full, shown)
    key = fold(shown)
    place = _place_name(locality) if locality else ""
    if place and _level_before(key, place):
        # "Công an tỉnh Lào Cai" in a notice of tỉnh Lào Cai (or of place "Lào Cai") is "Công an tỉnh".
        key = key[:len(key) - len(place) - 1]
        shown = shown[:len(key)]
    key = re.sub(r"^các\s+", "", key)
    return CanonicalUnit(key=key, name=shown[:1].upper() + shown[1:])
