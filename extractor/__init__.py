"""notice-extractor: Vietnamese administrative notices to validated JSON task records."""

from .pipeline import extract_document, extract_file
from .version import __version__

__all__ = ["__version__", "extract_document", "extract_file"]
