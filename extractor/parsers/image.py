"""Scanned pages as images (PNG, JPEG, TIFF; a multi-page TIFF is one document), read by OCR.

Each frame goes through :func:`.ocr.recognise` and becomes a page exactly as an image-only PDF
page does (:func:`.layout.page_from_ocr`), so reading order, page furniture and task tables are
handled by the same code as for PDFs (:func:`.layout.assemble_pages`).
"""

from __future__ import annotations

import io
import warnings as py_warnings
from typing import ClassVar

from ..diagnostics import Diagnostic, parse_warning
from ..errors import InputError
from . import ocr
from .base import Backend, DoubtfulWord, ParsedDocument
from .layout import assemble_pages, page_from_ocr

MAX_FRAMES = 500  # pages in one multi-page TIFF
DEFAULT_DPI = 300.0  # assumed when the file does not say (phone photos, screenshots)
_MIN_DPI, _MAX_DPI = 70.0, 1200.0  # a stated resolution outside this is a placeholder value


MAX_DECODED_BYTES = 512 * 2**20  # one decoded frame; with its 8-bit copy a page stays well under 1 GB


def decoded_bytes(image: object) -> int:
    """Memory a frame takes once decoded: pixels x channels x bytes per channel (a 16-bit grey
    or an RGBA page is 2 or 4 times its pixel count)."""
    from PIL import Image

    assert isinstance(image, Image.Image)
    depth = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2, "I;16N": 2, "I": 4, "F": 4}.get(image.mode)
    per_pixel = depth if depth is not None else len(image.getbands())  # 8-bit channels: RGB, RGBA, CMYK, LA
    return image.size[0] * image.size[1] * per_pixel


def _dpi(info: dict[str, object]) -> float:
    value = info.get("dpi")
    try:
        dpi = float(value[0]) if isinstance(value, tuple) else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, IndexError):
        return DEFAULT_DPI
    return dpi if _MIN_DPI <= dpi <= _MAX_DPI else DEFAULT_DPI


class ImageParser(Backend):
    format: ClassVar[str] = "image"
    suffixes: ClassVar[tuple[str, ...]] = (".png", ".jpg", ".jpeg", ".tif", ".tiff")

    def sniff(self, head: bytes) -> bool:
        return head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*"))

    def read(self, data: bytes) -> ParsedDocument:
        from PIL import Image, ImageSequence, UnidentifiedImageError

        if (reason := ocr.unavailable_reason()) is not None:
            raise InputError(f"image files are read by OCR, which is unavailable here ({reason}); {ocr.INSTALL_HINT}")
        Image.MAX_IMAGE_PIXELS = ocr.MAX_IMAGE_PIXELS  # PIL's own guard, at our limit (its message is ours)
        try:
            with py_warnings.catch_warnings():
                py_warnings.simplefilter("error", Image.DecompressionBombWarning)
                image = Image.open(io.BytesIO(data))
                width, height = image.size
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise InputError(f"image is too large to read (limit {ocr.MAX_IMAGE_PIXELS:,} pixels)") from None
        except UnidentifiedImageError:
            raise InputError("not a readable image (corrupt, truncated, or not PNG/JPEG/TIFF)") from None
        except (OSError, ValueError, SyntaxError) as exc:
            raise InputError(f"corrupt image ({exc})") from None
        if width * height > ocr.MAX_IMAGE_PIXELS:
            raise InputError(f"image is too large to read ({width}x{height} pixels; limit {ocr.MAX_IMAGE_PIXELS:,})")

        pages = []
        warnings: list[Diagnostic] = []
        read_pages: list[int] = []
        nothing: list[int] = []
        low: list[tuple[int, float]] = []
        doubtful: list[DoubtfulWord] = []
        confidence_sum, word_count = 0.0, 0
        frames = getattr(image, "n_frames", 1)
        if frames > MAX_FRAMES:
            raise InputError(f"image has too many pages ({frames}; limit {MAX_FRAMES})")
        try:
            for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
                if frame.size[0] * frame.size[1] > ocr.MAX_IMAGE_PIXELS:
                    raise InputError(f"page {number} of the image is too large to read")
                decoded = decoded_bytes(frame)
                if decoded > MAX_DECODED_BYTES:
                    raise InputError(f"page {number} of the image would take {decoded // 2**20} MiB to decode "
                                     f"({frame.size[0]}x{frame.size[1]}, {frame.mode}; limit {MAX_DECODED_BYTES // 2**20} MiB)")
                frame.load()
                try:
                    # (no copy: OCR is done with the frame before the next one is decoded into it)
                    read = ocr.recognise(frame, _dpi(frame.info))
                except ocr.OcrError as exc:
                    warnings.append(parse_warning("ocr_failed", f"OCR failed ({exc}); skipped", [number]))
                    continue
                page = page_from_ocr(number, read)
                if not page.rows:
                    nothing.append(number)
                    continue
                pages.append(page)
                read_pages.append(number)
                doubtful.extend(ocr.doubtful_words(number, read))
                confidence = read.confidence or 0.0
                if confidence < ocr.LOW_CONFIDENCE:
                    low.append((number, confidence))
                confidence_sum += confidence * len(read.words)
                word_count += len(read.words)
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            raise InputError(f"corrupt image ({exc})") from None

        if not pages:
            raise InputError("no text found in the image (blank, or unreadable by OCR)")
        if nothing:
            warnings.append(parse_warning("page_blank", "no text (blank, damaged, or none found by OCR); skipped", nothing))
        if low:
            scores = ", ".join(f"{c:.0f}" for _, c in low)
            warnings.append(parse_warning("ocr_low_confidence", f"read by OCR with low confidence ({scores} of 100); "
                                          "the text may be wrong", [n for n, _ in low]))
        return ParsedDocument(
            pages=frames,
            blocks=tuple(assemble_pages(pages)),
            warnings=tuple(warnings),
            ocr_pages=tuple(read_pages),
            ocr_confidence=round(confidence_sum / word_count, 1) if word_count else None,
            doubtful_words=tuple(doubtful),
        )
