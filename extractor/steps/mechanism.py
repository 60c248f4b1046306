"""Named steps that declare what they read and write, in the manner of spaCy's pipeline
components.

A step is a function from a frozen state (and a context it does not change) to the values it
writes. Declaring reads and writes makes the order of a pipeline something that can be
checked rather than remembered: :func:`check_order` refuses a pipeline where a step reads a
field that no earlier step (nor the caller) provides, and :func:`run` refuses a step that
writes what it did not declare. Both are programming errors, never bad input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, Generic, TypeVar

S = TypeVar("S")
C = TypeVar("C")


@dataclass(frozen=True)
class Step(Generic[S, C]):
    name: str
    reads: frozenset[str]
    writes: frozenset[str]
    func: Callable[[S, C], Mapping[str, Any]]


def step(name: str, *, reads: Iterable[str], writes: Iterable[str]) -> Callable[[Callable[[S, C], Mapping[str, Any]]], Step[S, C]]:
    """Decorator: ``@step("deadlines", reads=("draft", "references"), writes=("deadlines",))``."""
    def make(func: Callable[[S, C], Mapping[str, Any]]) -> Step[S, C]:
        return Step(name, frozenset(reads), frozenset(writes), func)
    return make


def check_order(steps: Iterable[Step[Any, Any]], given: Iterable[str], state_type: type) -> None:
    """Raise ValueError unless every step reads only fields given or written before it, and
    writes only fields of ``state_type``."""
    known = {f.name for f in fields(state_type)}
    available = set(given)
    for s in steps:
        if unknown := (s.reads | s.writes) - known - set(given):
            raise ValueError(f"step {s.name!r} names fields {sorted(unknown)} that {state_type.__name__} lacks")
        if missing := s.reads - available:
            raise ValueError(f"step {s.name!r} reads {sorted(missing)} before any step writes it")
        available |= s.writes


def run(state: S, steps: Iterable[Step[S, C]], ctx: C) -> S:
    for s in steps:
        out = s.func(state, ctx)
        if set(out) != s.writes:
            raise RuntimeError(f"step {s.name!r} wrote {sorted(out)}, but declares {sorted(s.writes)}")
        state = replace(state, **out) if out else state  # type: ignore[type-var]
    return state
