"""Vietnamese syllable knowledge (extractor/syllables.py): its shapes, and the underthesea data
files the syllable model is built from, which must be where this code looks for them."""

from __future__ import annotations

import pytest

from extractor import syllables


@pytest.mark.parametrize("relative", syllables.UNDERTHESEA_FILES)
def test_underthesea_data_files_are_where_we_expect(relative: str) -> None:
    """underthesea keeps these files inside its package, not behind an API: a release that
    moves one must fail here, not make OCR correction quietly worse."""
    assert syllables._missing(relative) is None
    assert syllables.underthesea_text(relative).strip()


def test_a_missing_data_file_names_the_file_and_the_version() -> None:
    relative = "corpus/data/no-such-file.txt"
    with pytest.raises(syllables.LanguageDataMissing, match=r"^underthesea \S+ has no data file corpus/data/no-such-file\.txt"):
        syllables.underthesea_text(relative)


def test_syllable_shapes() -> None:
    assert syllables.is_syllable_shape("nghiêng") and syllables.is_syllable_shape("thuận")
    assert not syllables.is_syllable_shape("vlncn")
    assert syllables.is_well_formed_syllable("người") and not syllables.is_well_formed_syllable("ngưòì")
    assert syllables.skeleton("Đổi") == "doi" and syllables.strip_tones("Đổi") == "Đôi"
    assert syllables.marks_apart("nổ", "nỗ") == 1 and syllables.marks_apart("no", "nổ") == 2


def test_the_model_prefers_the_collocation() -> None:
    assert syllables.syllable_score("chẽ", "chặt", None) > syllables.syllable_score("chế", "chặt", None)
