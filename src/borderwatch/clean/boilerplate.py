"""Removing publisher boilerplate from a report body, driven by data/boilerplate.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from borderwatch.data_models.misc import BoilerplateFile
from borderwatch.datafiles import load


@dataclass(frozen=True, slots=True)
class _Patterns:
    line: re.Pattern[str]
    tail: re.Pattern[str]
    suffix: re.Pattern[str]


def _compile(items: list[str], template: str) -> re.Pattern[str]:
    """One alternation per group (the model keeps groups non-empty: never 'match nothing')."""
    return re.compile(template.format("|".join(f"(?:{p})" for p in items)), re.IGNORECASE)


@cache
def _patterns() -> _Patterns:
    data = load("boilerplate.yaml", BoilerplateFile)
    return _Patterns(
        line=_compile(data.line, r"^(?:{})$"),
        tail=_compile(data.tail, r"^(?:{})\s*:?$"),
        suffix=_compile(data.suffix, r"(?:{})$"),
    )


def strip_boilerplate(text: str) -> tuple[str, tuple[str, ...]]:
    """The body without boilerplate lines, and the lines that were removed (for audit)."""
    pats = _patterns()
    kept: list[str] = []
    removed: list[str] = []
    lines = text.split("\n")
    for i, line in enumerate(lines):
        stripped = line.strip().strip("|·•-–— ").strip()
        if stripped and pats.tail.match(stripped):
            removed.extend(ln for ln in lines[i:] if ln.strip())
            break
        if stripped and pats.line.match(stripped):
            removed.append(line.strip())
            continue
        kept.append(line)
    body = "\n".join(kept).strip()
    m = pats.suffix.search(body)
    if m and m.start() > 0:
        removed.append(m.group(0).strip())
        body = body[: m.start()].rstrip()
    return body, tuple(removed)
