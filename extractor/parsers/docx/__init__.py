"""The DOCX backend as a package, one concern a module (the reasons are in :mod:`.backend`):

* :mod:`.backend` -- :class:`DocxParser`;
* :mod:`.package` -- the parts it reads, through the safe OOXML reader (:mod:`..ooxml`);
* :mod:`.legacy_fonts` -- runs in TCVN3/VNI fonts rewritten as Unicode;
* :mod:`.numbering` -- Word list numbering rebuilt;
* :mod:`.body` -- the body walk: paragraphs, data tables and layout tables, pages;
* :mod:`.wordml` -- WordprocessingML names and XML helpers.
"""

from __future__ import annotations

from .backend import DocxParser

__all__ = ["DocxParser"]
