"""notice-extractor: Vietnamese administrative notices to validated JSON task records."""

__version__ = "0.1.0"

from .pipeline import extract_document, extract_file

__all__ = ["__version__", "extract_document", "extract_file"]
