"""Validate a record against the published JSON Schema before it is written."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from .errors import ValidationFailure
from .models import NoticeRecord


@cache
def json_schema() -> dict[str, Any]:
    """The contract as JSON Schema, generated from the pydantic models."""
    schema = NoticeRecord.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://notice-extractor.invalid/schemas/notice.schema.json"
    return schema


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def to_json(record: NoticeRecord) -> str:
    """Deterministic JSON: stable key order (the models'), UTF-8 text, newline at the end."""
    return json.dumps(record.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n"


def validate_document(data: Any) -> list[str]:
    """Schema errors of a decoded JSON document, each as 'path: message'; then what a schema
    cannot say: every span lies inside the record's text and slices it to its value's source,
    and task ids are unique."""
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    problems = [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errors]
    if problems or not isinstance(data, dict):
        return problems
    return _contract_problems(data)


def _contract_problems(record: dict[str, Any]) -> list[str]:
    text: str = record["text"]
    problems: list[str] = []

    def visit(node: Any, where: str) -> None:
        if isinstance(node, dict):
            span = node.get("span")
            if isinstance(span, dict):
                start, end = span["start"], span["end"]
                if not 0 <= start <= end <= len(text):
                    problems.append(f"{where}/span: [{start}, {end}) is not inside the text (length {len(text)})")
                elif isinstance(node.get("text"), str) and text[start:end] != node["text"]:
                    problems.append(f"{where}/span: slices the text to {text[start:end][:40]!r}, not to its value "
                                    f"{node['text'][:40]!r}")
            for key, value in node.items():
                if key != "text":
                    visit(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                visit(value, f"{where}/{i}")

    visit(record.get("notice"), "notice")
    visit(record.get("tasks"), "tasks")
    ids = [t.get("id") for t in record.get("tasks", [])]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"tasks: id {dup} is given to more than one task")
    return problems


def validated_json(record: NoticeRecord) -> str:
    text = to_json(record)
    problems = validate_document(json.loads(text))
    if problems:
        raise ValidationFailure(f"record does not match the schema: {problems[0]}", stage="validate")
    return text
