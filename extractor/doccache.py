"""Caches that live for one document.

Lookups of the same text spans repeat within a document (a unit name is asked about by
several steps), so they are cached; but across an archive of thousands of documents a cache
that is never emptied only grows, and a notice would be read faster for being seen before.
Functions decorated with :func:`per_document` are emptied by :func:`forget_document`, which
the pipeline calls before each document; no stage needs to know which caches exist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_CLEARERS: list[Callable[[], None]] = []


def per_document(maxsize: int) -> Callable[[F], F]:
    """``functools.lru_cache(maxsize)``, emptied before each document."""
    def decorate(func: F) -> F:
        cached = lru_cache(maxsize=maxsize)(func)
        _CLEARERS.append(cached.cache_clear)
        return cached  # type: ignore[return-value]
    return decorate


def forget_document() -> None:
    for clear in _CLEARERS:
        clear()
