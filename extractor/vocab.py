"""Vietnamese domain knowledge, loaded once per process from ``extractor/data/*.json``.

Rules elsewhere read these tables instead of spelling words inside regexes, so that adding a
unit type, an assigner verb or a date phrase is a data change.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any


@cache
def table(name: str) -> Any:
    with resources.files("extractor.data").joinpath(f"{name}.json").open(encoding="utf-8") as fh:
        return json.load(fh)


def alternation(words: list[str], folded: bool = False) -> str:
    """A regex alternation of literal phrases, longest first, spaces matching any white space.

    With ``folded``, phrases are folded first, to be matched against folded text."""
    if folded:
        from .vntext import fold

        words = [fold(w) for w in words]
    parts = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in parts)
