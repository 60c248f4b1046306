"""Errors that name the file, the stage and the cause: what users see instead of tracebacks."""

from __future__ import annotations


class ExtractionError(Exception):
    """A document could not be processed. ``str()`` is one line fit for a user."""

    stage: str = "extract"

    def __init__(self, message: str, *, path: str | None = None, stage: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        if stage:
            self.stage = stage

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{where}{self.message}"

    def with_path(self, path: str) -> ExtractionError:
        self.path = self.path or path
        return self


class InputError(ExtractionError):
    """The file itself is bad: empty, corrupt, encrypted, hostile, unsupported."""

    stage = "parse"


class NotANoticeError(ExtractionError):
    """The text is readable but is not an administrative notice."""

    stage = "structure"


class ValidationFailure(ExtractionError):
    """The assembled record does not satisfy the published schema (a bug, not bad input)."""

    stage = "validate"
