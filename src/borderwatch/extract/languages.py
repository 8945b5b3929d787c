"""Which finders read a report: the one choice of its language folder.

A report's language picks both its finders (extract/ko/ for Korean, the English ones otherwise)
and the data folder they read (data/lang/<folder>/, e.g. topic weights). The choice was made in
two places (the pipeline and the section extractor, which chooses topics for a long report), and
they had to agree; this is the one place both now ask.
"""

from __future__ import annotations

from borderwatch.model import Document

# Language folders with finders of their own; any other language is read by the English finders.
FINDER_LANGUAGES = ("en", "ko")
DEFAULT_LANGUAGE = "en"


def finder_language(doc: Document) -> str:
    """The language folder whose finders and data read `doc` ("ko" or "en")."""
    return doc.language if doc.language in FINDER_LANGUAGES else DEFAULT_LANGUAGE
