"""Rulings of a text PDF page, from its path objects: the edges that ruled tables are found from.

pdfium lists the page's path objects (~0.05 ms a page); a path thinner than ``_RULE_WIDTH`` is
a ruling by its bounds alone, other paths give their straight segments (a cell drawn as a
rectangle gives its four sides). Form XObjects are followed, with their matrices. Only a page
with at least two horizontal and two vertical rulings goes on to :mod:`..layout.grids`.
"""

from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..layout import MAX_EDGES
from .adapter import MAX_FORM_DEPTH, MAX_PATH_OBJECTS, Transform

_RULE_WIDTH = 3.0  # points; a thicker path is a shape (shading, a frame) and gives its outline
_MAX_SEGMENTS = 512
_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _compose(inner: _Matrix, outer: _Matrix) -> _Matrix:
    a, b, c, d, e, f = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2, e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _apply(m: _Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _object_matrix(obj: ctypes.c_void_p) -> _Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


class Rulings:
    """Horizontal and vertical strokes of a page, as pdfplumber edges in reading space."""

    def __init__(self, transform: Transform) -> None:
        self.transform = transform
        self.edges: list[dict[str, float | str]] = []
        self.counts = {"h": 0, "v": 0}

    def add(self, points: list[tuple[float, float]]) -> bool:
        """An edge from a thin box around ``points`` (user space); False if it is not thin."""
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        x0, x1, top, bottom = self.transform.box(min(xs), max(ys), max(xs), min(ys))
        width, height = x1 - x0, bottom - top
        if width <= _RULE_WIDTH and height > width:
            middle = (x0 + x1) / 2
            edge = {"x0": middle, "x1": middle, "top": top, "bottom": bottom, "width": 0.0, "height": height,
                    "doctop": top, "orientation": "v", "object_type": "line"}
        elif height <= _RULE_WIDTH and width > height:
            middle = (top + bottom) / 2
            edge = {"x0": x0, "x1": x1, "top": middle, "bottom": middle, "width": width, "height": 0.0,
                    "doctop": middle, "orientation": "h", "object_type": "line"}
        else:
            return False
        self.edges.append(edge)
        self.counts[str(edge["orientation"])] += 1
        return True

    def add_path(self, obj: ctypes.c_void_p, outer: _Matrix) -> None:
        """The straight segments of a path that is not itself a thin line (a rectangle's sides)."""
        count = pdfium_c.FPDFPath_CountSegments(obj)
        if count <= 1 or count > _MAX_SEGMENTS:
            return
        matrix = _compose(_object_matrix(obj), outer)
        x, y = ctypes.c_float(), ctypes.c_float()
        start = previous = None
        for index in range(count):
            segment = pdfium_c.FPDFPath_GetPathSegment(obj, index)
            if not segment or not pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y)):
                previous = None
                continue
            point = _apply(matrix, x.value, y.value)
            kind = pdfium_c.FPDFPathSegment_GetType(segment)
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                start = point
            elif kind == pdfium_c.FPDF_SEGMENT_LINETO and previous is not None:
                self.add([previous, point])
            previous = point
            if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None and previous is not None:
                self.add([previous, start])
                previous = start


def page_rulings(page: pdfium.PdfPage, transform: Transform) -> Rulings:
    """The page's rulings (none for a page that is a drawing rather than a document)."""
    rulings = Rulings(transform)
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    bounds = [ctypes.byref(v) for v in (left, bottom, right, top)]
    paths = 0
    # (container, is_form, matrix from the container's space to user space, depth)
    stack: list[tuple[ctypes.c_void_p, bool, _Matrix, int]] = [(page.raw, False, _IDENTITY, 0)]
    while stack:
        container, is_form, matrix, depth = stack.pop()
        count = pdfium_c.FPDFFormObj_CountObjects(container) if is_form else pdfium_c.FPDFPage_CountObjects(container)
        for index in range(max(count, 0)):
            obj = (pdfium_c.FPDFFormObj_GetObject if is_form else pdfium_c.FPDFPage_GetObject)(container, index)
            if not obj:
                continue
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < MAX_FORM_DEPTH:
                stack.append((obj, True, _compose(_object_matrix(obj), matrix), depth + 1))
            elif kind == pdfium_c.FPDF_PAGEOBJ_PATH and pdfium_c.FPDFPageObj_GetBounds(obj, *bounds):
                paths += 1
                if paths > MAX_PATH_OBJECTS or len(rulings.edges) > MAX_EDGES:
                    return Rulings(transform)  # a drawing, not a document with tables
                corners = [_apply(matrix, px, py) for px in (left.value, right.value) for py in (bottom.value, top.value)]
                if not rulings.add(corners):
                    rulings.add_path(obj, matrix)
    return rulings
