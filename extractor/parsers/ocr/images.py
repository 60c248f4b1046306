"""Page images as OCR wants them: 8-bit grayscale on white, at most :data:`.types.MAX_PIXELS`.

**Bounded input.** Pages are rendered or scaled to at most ``MAX_PIXELS`` (an A3 page at 300
dpi); larger image files are refused before they are decoded (``MAX_IMAGE_PIXELS``, checked by
the image backend), and conversion works band by band so that no full-page intermediate of a
wider pixel type is ever held.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .types import MAX_PIXELS

if TYPE_CHECKING:
    from PIL import Image


_BAND_ROWS = 512  # rows converted at a time: temporaries stay a band's size, not a page's


def grayscale(image: Image.Image) -> Image.Image:
    """8-bit grayscale on white, whatever the mode (alpha, palette, 16-bit, bilevel, CMYK).

    Converted band by band into one 8-bit array: the page is held once as decoded and once as
    the result, never as the 32-bit or RGBA intermediates that PIL's own conversions make (a
    100-megapixel RGBA scan would need 2 GB that way)."""
    import numpy as np
    from PIL import Image as PILImage

    if image.mode == "L":
        return image
    width, height = image.size
    out = np.empty((height, width), dtype=np.uint8)
    sixteen = image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F")
    alpha = "A" in image.mode or (image.mode == "P" and "transparency" in image.info)
    low, span = 0.0, 1.0
    if sixteen:
        extrema = image.getextrema()
        low, high = float(extrema[0]), float(extrema[1])  # type: ignore[index, arg-type]
        span = max(high - low, 1.0)
    for top in range(0, height, _BAND_ROWS):
        band = image.crop((0, top, width, min(height, top + _BAND_ROWS)))
        if sixteen:
            values = np.asarray(band, dtype=np.float32)
            out[top:top + values.shape[0]] = ((values - low) * (255.0 / span)).clip(0, 255).astype(np.uint8)
        elif alpha:
            rgba = np.asarray(band.convert("RGBA"), dtype=np.uint16)
            gray = (rgba[..., 0] * 299 + rgba[..., 1] * 587 + rgba[..., 2] * 114) // 1000
            a = rgba[..., 3]
            out[top:top + rgba.shape[0]] = ((gray * a + 255 * (255 - a)) // 255).astype(np.uint8)  # on white
        else:
            out[top:top + band.size[1]] = np.asarray(band.convert("L"))
    return PILImage.fromarray(out, mode="L")


def fit(image: Image.Image, dpi: float) -> tuple[Image.Image, float]:
    """The image scaled down to at most :data:`MAX_PIXELS`, and its resolution after that."""
    from PIL import Image as PILImage

    width, height = image.size
    if width * height <= MAX_PIXELS:
        return image, dpi
    factor = math.sqrt(MAX_PIXELS / (width * height))
    size = (max(1, int(width * factor)), max(1, int(height * factor)))
    return image.resize(size, PILImage.Resampling.LANCZOS), dpi * factor
