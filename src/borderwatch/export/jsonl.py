"""JSON Lines export: one event a line, its facts nested in the fact sheet's vocabulary."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from borderwatch.export.rows import EventRecord


def write_jsonl(records: Iterable[EventRecord], out: TextIO) -> int:
    """Write one JSON object per event; return how many were written."""
    n = 0
    for r in records:
        out.write(json.dumps(r.to_dict(), ensure_ascii=False, separators=(",", ":")) + "\n")
        n += 1
    return n
