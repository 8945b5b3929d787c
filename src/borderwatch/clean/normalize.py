"""Text normalisation that keeps meaning: line endings, invisible characters, white space.

Runs before boilerplate removal and before the id is computed, so that the same report saved
with CRLF line ends, a BOM or non-breaking spaces gets the same id and the same offsets.
"""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# White space to make one plain space: a run of two or more, or one that is not a plain space.
# A lone plain space is left alone, not replaced by itself: sub() keeps a piece per match, and
# a 19 MB text of 3 million single spaces took 260 MB to normalise.
_SPACES = re.compile("[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}"
                     "|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_BLANK_LINES = re.compile(r"\n{3,}")


def normalize_text(text: str) -> str:
    """NFC, LF line ends, no zero-width characters, single spaces, at most one blank line."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    lines = [_SPACES.sub(" ", ln).strip() for ln in text.split("\n")]
    text = "\n".join(lines)
    return _BLANK_LINES.sub("\n\n", text).strip()
