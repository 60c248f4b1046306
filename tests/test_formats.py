"""The three formats end to end: the seed notice scores 1.0 on every field as TXT, DOCX and
PDF, and the DOCX and PDF renderings of the corpus score within 0.02 of the texts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor import extract_file
from extractor.validate import to_json

from .conftest import CORPUS, EVAL

pytestmark = pytest.mark.skipif(not (EVAL / "dev").is_dir(), reason="../shared/eval is not beside the project")

SEED = "bac-son-tb-cchc-2023"
FIELDS = ("task", "units", "criteria", "deadlines", "figures")


def _score(pairs: list[tuple[dict, dict]]) -> dict[str, float]:
    import score  # ../shared/eval/score.py

    tallies = {k: score.Tally() for k in (*FIELDS, "meta")}
    for gold, pred in pairs:
        score.score_doc(gold, pred, tallies, verbose=False)
    out = {k: tallies[k].f1() for k in FIELDS}
    meta = tallies["meta"]
    out["meta"] = meta.tp / (meta.tp + meta.fn) if meta.tp + meta.fn else 1.0
    return out


def _gold(stem: str) -> dict:
    return json.loads((EVAL / "dev" / f"{stem}.gold.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", [
    CORPUS / "txt" / f"{SEED}.txt",
    CORPUS / "rendered" / "docx" / f"{SEED}.docx",
    CORPUS / "rendered" / "pdf" / f"{SEED}.pdf",
], ids=["txt", "docx", "pdf"])
def test_seed_scores_one_in_every_format(path: Path) -> None:
    record = json.loads(to_json(extract_file(path)))
    assert _score([(_gold(SEED), record)]) == dict.fromkeys((*FIELDS, "meta"), 1.0)


def _pairs(folder: Path, suffix: str) -> list[tuple[dict, dict]]:
    pairs = []
    for gold_path in sorted((EVAL / "dev").glob("*.gold.json")):
        stem = gold_path.name.removesuffix(".gold.json")
        source = folder / f"{stem}{suffix}"
        if source.exists():
            pairs.append((_gold(stem), json.loads(to_json(extract_file(source)))))
    return pairs


@pytest.fixture(scope="module")
def text_scores() -> dict[str, float]:
    return _score(_pairs(CORPUS / "txt", ".txt"))


@pytest.mark.parametrize(("folder", "suffix"), [("docx", ".docx"), ("pdf", ".pdf")])
def test_renderings_score_within_two_points_of_the_text(text_scores: dict[str, float], folder: str, suffix: str) -> None:
    pairs = _pairs(CORPUS / "rendered" / folder, suffix)
    assert len(pairs) == 21
    scores = _score(pairs)
    for key, value in scores.items():
        assert value >= text_scores[key] - 0.02, (key, value, text_scores[key])


def test_corpus_texts_meet_the_issue_thresholds(text_scores: dict[str, float]) -> None:
    thresholds = {"task": 0.95, "units": 0.90, "criteria": 0.98, "deadlines": 0.90, "figures": 0.90, "meta": 0.95}
    for key, minimum in thresholds.items():
        assert text_scores[key] >= minimum, (key, text_scores[key])


def test_scanned_seed_reads_nearly_as_well_as_its_text(tesseract: None) -> None:
    """The seed as an image-only PDF (scripts/render_scans.py): OCR'd, it loses at most one
    task to a misread character. (The whole scanned corpus is scored by `make eval`.)"""
    record = json.loads(to_json(extract_file(CORPUS / "rendered" / "scan" / f"{SEED}.pdf")))
    source = record["notice"]["source"]
    assert source["ocr_pages"] == list(range(1, source["pages"] + 1))
    scores = _score([(_gold(SEED), record)])
    for key, value in scores.items():
        assert value >= 0.95, (key, value)  # 0.96-1.0 (issue 4: within 0.05 of the text's 1.0)
