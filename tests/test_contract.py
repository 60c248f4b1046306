"""The contract a downstream system relies on: every span slices the record's text to its
value, spans lie inside the text, task ids are unique; validation refuses a record that breaks
any of these, whatever the schema alone would accept."""

from __future__ import annotations

import copy
import json

import pytest

from extractor import extract_file
from extractor.validate import to_json, validate_document

from .conftest import CORPUS

SEED = CORPUS / "txt" / "bac-son-tb-cchc-2023.txt"
# (the one text that is a broken PDF's garbage text layer is refused, as it should be)
TEXTS = [p for p in sorted((CORPUS / "txt").glob("*.txt")) + sorted((CORPUS / "wide" / "txt").glob("*"))
         if not p.stem.endswith("-pdf-mojibake")]


@pytest.fixture(scope="module")
def record() -> dict:
    return json.loads(to_json(extract_file(SEED)))


def test_every_span_slices_the_text_to_its_value(record: dict) -> None:
    text = record["text"]
    refs = record["notice"]["references"]
    assert refs and all(text[r["span"]["start"]:r["span"]["end"]] == r["text"] for r in refs)
    for task in record["tasks"]:
        assert text[task["span"]["start"]:task["span"]["end"]] == task["text"]
        for field in ("criteria", "deadlines", "figures", "references"):
            for value in task[field]:
                assert text[value["span"]["start"]:value["span"]["end"]] == value["text"]
    assert validate_document(record) == []


@pytest.mark.parametrize("path", TEXTS, ids=[p.stem for p in TEXTS])
def test_every_record_of_the_corpus_keeps_the_contract(path) -> None:  # type: ignore[no-untyped-def]
    """Spans of tasks, fields and references slice the text to their values; ids are unique."""
    assert validate_document(json.loads(to_json(extract_file(path)))) == []


@pytest.mark.parametrize(("break_it", "complaint"), [
    (lambda r: r["tasks"][0]["span"].update(end=len(r["text"]) + 5), "is not inside the text"),
    (lambda r: r["tasks"][0]["span"].update(start=r["tasks"][0]["span"]["end"] + 1), "is not inside the text"),
    (lambda r: r["notice"]["references"][0]["span"].update(start=0), "slices the text to"),
    (lambda r: r["tasks"][1].update(id=r["tasks"][0]["id"]), "is given to more than one task"),
])
def test_validation_refuses_what_the_schema_alone_accepts(record: dict, break_it, complaint: str) -> None:  # type: ignore[no-untyped-def]
    broken = copy.deepcopy(record)
    break_it(broken)
    problems = validate_document(broken)
    assert problems and complaint in problems[0]
