"""Decoding a broken text layer's glyph codes from noisy OCR votes (extractor.parsers.pdf.glyphs)."""

from __future__ import annotations

from extractor.parsers.ocr.correction import clean_word
from extractor.parsers.pdf import glyphs
from extractor.syllables import syllable_score

FONT = "ABCDEF+TimesNewRomanPSMT"


def cipher(text: str, offset: int = 29, font: str = FONT) -> list[tuple[glyphs.GlyphKey, ...]]:
    """The words of ``text`` as a broken font writes them: each character as its code less ``offset``."""
    return [tuple((font, ord(c) - offset, (10,)) for c in word) for word in text.split()]


def test_words_outvote_a_systematic_misreading() -> None:
    """OCR reads "ổ" as "ỗ", "ô" or "ồ" more often than right; one code is one character, and
    "nổ mìn", "bổ sung", "cổ phần" agree on "ổ"."""
    text = "vật liệu nổ công nghiệp nổ mìn bổ sung biển báo công ty cổ phần thuốc nổ"
    words = cipher(text)
    votes = glyphs.GlyphVotes()
    readings = ["nỗ", "nô", "nỗ", "bồ", "cỗ", "nổ"]
    o_words = [w for w in words if ("ổ" in "".join(chr(c + 29) for _, c, _ in w))]
    for word, read in zip(o_words, readings, strict=False):
        assert votes.add_word(word, read)
    for word in words:
        plain = "".join(chr(c + 29) for _, c, _ in word)
        if "ổ" not in plain:
            assert votes.add_word(word, plain)
    mapping = glyphs.decode(votes, words, syllable_score)
    decoded = " ".join("".join(mapping[k] for k in word) for word in words)
    assert decoded == text


def test_a_word_that_does_not_line_up_is_not_counted() -> None:
    votes = glyphs.GlyphVotes()
    (word,) = cipher("mìn…),")
    assert not votes.add_word(word, "mìn...),")
    assert votes.counts == {}
    known = {word[0]: "m", word[1]: "ì", word[2]: "n", word[4]: ")", word[5]: ","}
    votes.add_loose(word, "mìn...),", known)
    assert votes.counts[word[3]].most_common(1)[0][0] == "…"


def test_unvoted_codes_follow_their_font() -> None:
    """A code no OCR word covered: its font's fixed distance between codes and characters
    decides it (glyph-index fonts), or a sibling subset of the same font that agrees."""
    votes = glyphs.GlyphVotes()
    words = cipher("Công Thương Lào Cai")
    for word in words:
        votes.add_word(word, "".join(chr(c + 29) for _, c, _ in word))
    unseen = cipher("Kz")[0]
    mapping = glyphs.decode(votes, [*words, unseen], syllable_score)
    assert "".join(mapping[k] for k in unseen) == "Kz"


def test_a_code_with_no_evidence_stays_unknown() -> None:
    votes = glyphs.GlyphVotes()
    (word,) = cipher("ăn")
    votes.add_word(word[1:], "n")
    mapping = glyphs.decode(votes, [word], syllable_score)
    assert word[0] not in mapping  # "ă" is not ASCII: no distance guesses it


def test_ocr_slash_lookalikes_are_plain_slashes() -> None:
    assert clean_word("1105\u2044KH-ĐKT") == "1105/KH-ĐKT"
    assert clean_word("QÐ-SCT") == "QĐ-SCT"
