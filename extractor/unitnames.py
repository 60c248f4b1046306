"""Names of administrative units in running text: shared knowledge, used by the structure
stage (does a heading only name units?) and the extraction stage (who must act).

A unit name is a head noun from the lexicon ("Sở", "Phòng", "Ủy ban nhân dân", "Công an" …)
followed by its proper name. Vietnamese capitalises only the first syllable of each word of
a proper name ("Sở Nông nghiệp và Môi trường"), so where the name ends is decided with a
word dictionary (underthesea's Viet74K): the name goes on while the next dictionary word
starts with a capital letter, is an acronym, joins two capitalised words ("và", "-"), or is
a locality ("tỉnh", "huyện Bắc Sơn", "các xã, thị trấn").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .doccache import per_document
from .syllables import VIET74K, underthesea_text
from .vntext import UPPER_LETTERS, fold
from .vocab import alternation, table


@dataclass(frozen=True, slots=True)
class UnitMention:
    start: int
    end: int
    name: str
    group: bool = False


@cache
def compound_words() -> frozenset[str]:
    """Multi-syllable Vietnamese words, folded (lower case, one tone spelling)."""
    words = set()
    for line in underthesea_text(VIET74K).splitlines():
        w = line.strip()
        if " " in w and len(w) < 40:
            words.add(fold(w))
    return frozenset(words)


_TOKEN = re.compile(r"[^\s,;:.()\"“”/]+|[,;:.()\"“”/]")
_ACRONYM = re.compile(r"^[A-ZĐ][A-ZĐ&]+$")


@cache
def _lexicon() -> dict:
    units = table("units")
    heads = alternation(units["head_nouns"])
    # A group opening a sentence is capitalised ("Các cơ sở đào tạo chủ động …").
    groups = alternation(units["group_heads"] + [g[:1].upper() + g[1:] for g in units["group_heads"]])
    titled_groups = alternation([g for g in units["group_heads"] if g[:1].isupper()])
    # A name ends where its unit acts, or asks others to ("Chủ tịch UBND tỉnh yêu cầu …"; not
    # "giao"/"phân công", which also occur inside names: "giao thông", "được phân công").
    # Only before whom it asks: a name or a group ("đặt yêu cầu bài toán" is a noun).
    asks = alternation([c for c in units["assigner_cues"] if not c.startswith(("giao", "phân công"))])
    stops = alternation(units["responsible_verbs"] + ["chưa", "đã", "đang", "được giao", "để", "theo", "trong việc", "như sau"])
    stops += rf"|(?:{asks})(?=\s+(?:[{UPPER_LETTERS}]|(?:{groups})(?![\w])|đồng chí\s))"
    adverbials = alternation(units["adverbial_openers"])
    return {
        "head": re.compile(rf"(?<![\w])(?:{heads})(?![\w])"),
        "group": re.compile(rf"(?<![\w])(?:{groups})(?![\w])"),
        "titled_groups": titled_groups,
        "governors": {fold(w) for w in units["name_governors"]},
        "stop": re.compile(rf"\s+(?:{stops})(?![\w])"),  # lower case: "Ban Chỉ đạo" is a name
        "localities": {fold(w) for w in units["localities"]},
        "head_at": re.compile(rf"(?:{heads})(?![\w])"),  # use with .match(text, pos)
        # Where a group gives way to the next unit: a clause mark, or "," / "và" before a
        # unit head or another group ("Các Sở, ngành và các cơ quan chức năng").
        # An adverbial after a comma opens a clause ("các cơ quan có liên quan, căn cứ Luật …").
        "next_unit": re.compile(rf"[;:.()]|(?:,|\s+và)\s+(?=(?:{heads})(?![\w])|các\s|Các\s|(?:{titled_groups})(?![\w]))"
                                rf"|,\s+(?=(?:{adverbials})(?![\w]))"),
    }


def name_end(text: str, pos: int) -> int:
    """End offset of the proper name that starts at ``pos`` (just after a head noun)."""
    lex = _lexicon()
    words = compound_words()
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, pos, min(len(text), pos + 200))]
    localities = lex["localities"]

    def word_span(i: int) -> int:
        """Syllables in the longest dictionary word starting at token ``i`` (1 to 3)."""
        for n in (3, 2):
            if i + n <= len(tokens) and fold(" ".join(t[2] for t in tokens[i:i + n])) in words \
                    and all(text[tokens[k][1]:tokens[k + 1][0]] == " " for k in range(i, i + n - 1)):
                return n
        return 1

    def locality_span(i: int) -> int:
        if i + 1 < len(tokens) and fold(f"{tokens[i][2]} {tokens[i + 1][2]}") in localities:
            return 2
        return 1 if i < len(tokens) and fold(tokens[i][2]) in localities else 0

    def localities_from(i: int) -> int:
        """Index past a run of localities joined by commas ("xã, phường, thị trấn")."""
        n = locality_span(i)
        j = i + n
        while n and j + 1 < len(tokens) and tokens[j][2] == "," and locality_span(j + 1):
            j += 1 + locality_span(j + 1)
        return j

    def capital_word_end(k: int) -> int:
        """Index past a capitalised dictionary word at ``k`` that is not a unit head, or 0."""
        if k < len(tokens) and tokens[k][2][:1].isupper() and not lex["head_at"].match(text, tokens[k][0]):
            return k + word_span(k)
        return 0

    def _comma_series_end(k: int) -> int:
        """Index past ", Thể thao và Du lịch" (capitalised words, then "và" and one more), or 0."""
        while k < len(tokens) and tokens[k][2] == ",":
            k = capital_word_end(k + 1)
            if not k:
                return 0
            if k < len(tokens) and fold(tokens[k][2]) == "và":
                return capital_word_end(k + 1)
        return 0

    end = pos
    i = 0
    # A head that ends in a capitalised word ("Ban Quản lý") may be followed by common words.
    prev_capital = any(fold(text[max(0, pos - 12):pos]).rstrip().endswith(g) for g in lex["governors"])
    while i < len(tokens):
        s, _, tok = tokens[i]
        if text[end:s].strip():  # only white space may separate the words of a name
            break
        span = word_span(i)
        folded = fold(tok)
        if locality_span(i):
            j = localities_from(i)
            end = tokens[j - 1][1]
            i = j
            # A place name may follow: "huyện Bắc Sơn", "phường Yên Bái".
            while i < len(tokens) and tokens[i][2][:1].isupper() and not lex["head_at"].match(text, tokens[i][0]):
                end = tokens[i][1]
                i += 1
            break
        if tok[:1].isupper() or _ACRONYM.match(tok):
            end = tokens[i + span - 1][1]
            prev_capital = fold(text[s:end]) in lex["governors"]
            i += span
            continue
        capital_before, prev_capital = prev_capital, False
        if tok == "," and end > pos:
            j = _comma_series_end(i)
            if j:
                end = tokens[j - 1][1]  # "Văn hóa, Thể thao và Du lịch": one name
                i = j
                continue
        acronyms = i + 1 < len(tokens) and bool(_ACRONYM.match(tokens[i - 1][2]) and _ACRONYM.match(tokens[i + 1][2]))
        if folded in ("và", "-", "–", "&") and i + 1 < len(tokens) and tokens[i + 1][2][:1].isupper() \
                and (acronyms or not lex["head_at"].match(text, tokens[i + 1][0])):
            # "Tài chính - Kế hoạch", "Văn phòng HĐND và UBND huyện" (two bodies' acronyms)
            nxt = word_span(i + 1)
            end = tokens[i + nxt][1]
            # "… và Phát triển nông thôn": a governor after "và" may take lower-case words too.
            prev_capital = fold(text[tokens[i + 1][0]:end]) in lex["governors"]
            i += 1 + nxt
            continue
        if folded == "các" and locality_span(i + 1):
            j = localities_from(i + 1)  # "UBND các xã, thị trấn"
            end = tokens[j - 1][1]
            i = j
            break
        if folded == "các" and i + 1 < len(tokens) and tokens[i + 1][2][:1].isupper():
            end = tokens[i][1]  # "Ban Quản lý các Khu công nghiệp tỉnh"
            i += 1
            continue
        if folded == "số" and i + 1 < len(tokens) and tokens[i + 1][2].isdigit():
            end = tokens[i + 1][1]  # "Ban QLDA số 1"
            i += 2
            continue
        if capital_before:
            # Lower-case words can end a name ("Quản lý thị trường", "Khu kinh tế tỉnh",
            # "Ban Quản lý dự án đầu tư xây dựng số 1"): take a run of common words when what
            # follows it ends the name — a locality, "số N", a verb, a clause mark, the end.
            def run_end(stop_at_verbs: bool, start: int = i) -> int:
                j = start
                while j < len(tokens) and j - start < 10 and not (stop_at_verbs and is_stop_at(text, tokens[j][0])) \
                        and tokens[j][2][:1].islower() and tokens[j][2].isalpha() and not locality_span(j) \
                        and fold(tokens[j][2]) not in _NOT_IN_NAMES:
                    j += word_span(j)
                return j

            # Through verbs when a locality or "số N" closes the run ("… đầu tư xây dựng số 1").
            j = run_end(False)
            closed = j < len(tokens) and (locality_span(j) or (fold(tokens[j][2]) == "số" and j + 1 < len(tokens)
                                                                and tokens[j + 1][2].isdigit()))
            if not closed:
                j = run_end(True)
            if j > i and word_span(i) > 1 and (closed or j >= len(tokens) or is_stop_at(text, tokens[j][0])
                                               or tokens[j][2] in ",;:.()"):
                end = tokens[j - 1][1]
                i = j
                continue
        break
    return end


_NOT_IN_NAMES = frozenset(("các", "của", "và", "với", "tại", "trên", "theo", "về", "cho", "đến", "số", "để", "trong"))


def is_stop_at(text: str, pos: int) -> bool:
    """Whether a verb or cue that ends a unit name starts at ``pos``."""
    return bool(_lexicon()["stop"].match(text, pos - 1 if pos and text[pos - 1] == " " else pos))


def group_end(text: str, pos: int, head_end: int | None = None) -> int:
    """End of a group named as a group ("các sở, ban, ngành, đoàn thể tỉnh"): up to a verb,
    a clause mark, or "và"/"," before another unit."""
    lex = _lexicon()
    limit = min(len(text), pos + 250)
    m_stop = lex["stop"].search(text, head_end or pos, limit)
    end = m_stop.start() if m_stop else limit
    # (Searched to the limit, not to the stop: its lookahead must see the next unit's head,
    # "… phường và các tổ chức", where "tổ chức" is also a verb that stops.)
    m_next = lex["next_unit"].search(text, head_end or pos, limit)
    if m_next and m_next.start() < end:
        end = m_next.start()
    # "các hộ gia đình trên địa bàn Thành phố treo cờ …": the place closes the group.
    m_area = _area().search(text, head_end or pos, end)
    if m_area:
        end = m_area.end()
    while end > pos and text[end - 1] in " ,":  # (no slice: text may be a whole long paragraph)
        end -= 1
    return end


@cache
def _area() -> re.Pattern[str]:
    """"trên địa bàn tỉnh Lào Cai": the place a group is in, part of its name."""
    units = table("units")
    places = units["localities"] + units["area_localities_extra"]
    levels = alternation(places + [p[:1].upper() + p[1:] for p in places])
    return re.compile(rf"\s+{alternation([units['area_phrase']])}(?:\s+(?:các\s+)?(?:{levels}))*(?:\s+[A-ZĐÀ-Ỹ][^\s,;.:()]*)*")


@per_document(maxsize=16384)
def mention_at(text: str, pos: int) -> UnitMention | None:
    """The unit named at ``pos`` exactly, if any."""
    lex = _lexicon()
    m = lex["head"].match(text, pos)
    if m:
        end = name_end(text, m.end() + 1) if m.end() < len(text) and text[m.end()] == " " else m.end()
        end = max(end, m.end()) if end > m.end() + 1 else m.end()
        if end == m.end() and m.group() in ("Văn phòng", "Phòng", "Sở", "Ban", "Cục", "Bộ", "Đoàn", "Hội", "Báo", "Trường",
                                            "Đội", "Doanh nghiệp", "Công ty", "phòng") and text[end:end + 1] != ":":
            return None  # a bare noun ("Công ty tiếp tục …") names nothing by itself
        return UnitMention(pos, end, text[pos:end])
    g = lex["group"].match(text, pos)
    if g:
        end = group_end(text, pos, g.end())
        if end > pos + 4:
            return UnitMention(pos, end, text[pos:end], group=True)
    return None


def mentions(text: str) -> list[UnitMention]:
    """Every unit named in ``text``, left to right, not overlapping."""
    lex = _lexicon()
    found: list[UnitMention] = []
    pos = 0
    starts = sorted({m.start() for m in lex["head"].finditer(text)} | {m.start() for m in lex["group"].finditer(text)})
    for s in starts:
        if s < pos:
            continue
        m = mention_at(text, s)
        if m:
            found.append(m)
            pos = m.end
    return found


@cache
def _enum_kind() -> re.Pattern[str]:
    nouns = table("units")["enumeration_heads"]
    heads = alternation(nouns + [n[:1].lower() + n[1:] for n in nouns])
    return re.compile(rf"(?P<head>[Cc]ác\s+(?P<noun>{heads}))(?:,\s*(?:ngành|ban, ngành|cơ quan ngang bộ))?\s*:\s*(?P<items>[^;().]+)")
_ENUM_PLACE = re.compile(
    r"(?P<head>Ủy ban nhân dân|Uỷ ban nhân dân|UBND|Công an|Chủ tịch UBND|Chủ tịch Ủy ban nhân dân)\s+các\s+"
    r"(?P<place>xã|phường|thị trấn|huyện|thành phố)\s*:\s*(?P<items>[^;().]+)")


def _enumeration_items(items: str) -> list[str]:
    """Items of "Tư pháp, Nội vụ, Văn hóa, Thể thao và Du lịch": commas split, except inside
    official names that hold one (``names_with_commas``)."""
    protected = items
    names = table("units")["names_with_commas"]
    for i, name in enumerate(names):
        protected = protected.replace(name, f"\x00{i}\x00")
    out = []
    for item in protected.split(","):
        item = re.sub(r"\x00(\d+)\x00", lambda m: names[int(m.group(1))], item).strip(" .;")
        if not item or not item[:1].isupper():
            continue
        end = name_end(item, 0) if item not in names else len(item)
        if end <= 0 or not _sentence_goes_on(item[end:]):
            out.append(item)  # an item between commas is a name, lower-case words and all
            continue
        # The last item runs into the sentence: "…, Nội vụ làm việc với các tỉnh …".
        out.append(item[:end])
        break
    return out


def _sentence_goes_on(rest: str) -> bool:
    """Whether the words after a name are the sentence going on ("làm việc với các tỉnh"),
    not the lower-case end of the name ("vận tải", "nông thôn")."""
    words = rest.split()
    if len(words) > 5:
        return True
    return any(fold(w) in _NOT_IN_NAMES - {"và"} for w in words) or any(
        is_stop_at(rest, m.start()) for m in re.finditer(r"\S+", rest))


def expand_enumeration(text: str, pos: int = 0) -> list[str]:
    """'các Phòng: Nội vụ, Tư pháp' -> ['Phòng Nội vụ', 'Phòng Tư pháp'];
    'UBND các phường: Âu Lâu, Yên Bái' -> ['UBND phường Âu Lâu', 'UBND phường Yên Bái']."""
    m = _ENUM_PLACE.search(text, pos)
    if m and (m.start() - pos) < 30:
        return [f"{m.group('head')} {m.group('place')} {item}" for item in _enumeration_items(m.group("items"))]
    m = _enum_kind().search(text, pos)
    if not m:
        return []
    noun = m.group("noun")
    head = noun[:1].upper() + noun[1:]
    return [item if _lexicon()["head_at"].match(item) else f"{head} {item}" for item in _enumeration_items(m.group("items"))]
