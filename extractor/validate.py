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
    """Schema errors of a decoded JSON document, each as 'path: message'."""
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errors]


def validated_json(record: NoticeRecord) -> str:
    text = to_json(record)
    problems = validate_document(json.loads(text))
    if problems:
        raise ValidationFailure(f"record does not match the schema: {problems[0]}", stage="validate")
    return text
