"""Loading the package's data files (gazetteers, vocabularies, patterns).

Knowledge lives in `borderwatch/data/`, shipped in the wheel and read with importlib.resources.
Loaders here fail loudly on a missing or empty file: a broken data file should stop the program
at load time, not produce silently empty results later.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources
from typing import Any

import yaml

# libyaml's loader parses the data files ten times faster, to the same values. It is also more
# lenient: a plain scalar with "?" inside a [flow, list] parses with it, not with the pure-Python
# loader (the fallback where PyYAML lacks libyaml), so quote such entries.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DataError(ValueError):
    """A data file is missing, empty or inconsistent."""


def read_text(relpath: str) -> str:
    """The text of data file `relpath` (e.g. 'lang/en/abbreviations.txt')."""
    node = resources.files("borderwatch") / "data" / relpath
    try:
        return node.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DataError(f"data file missing: {relpath}") from exc


def read_lines(relpath: str) -> list[str]:
    """Non-empty, non-comment lines of a plain list file."""
    lines = [ln.strip() for ln in read_text(relpath).splitlines()]
    out = [ln for ln in lines if ln and not ln.startswith("#")]
    if not out:
        raise DataError(f"data file is empty: {relpath}")
    return out


@cache
def read_yaml(relpath: str) -> Any:
    """A parsed YAML data file (cached: data is loaded once per process)."""
    value = yaml.load(read_text(relpath), Loader=_YAML_LOADER)
    if value in (None, {}, []):
        raise DataError(f"data file is empty: {relpath}")
    return value


def read_csv(relpath: str) -> list[dict[str, str]]:
    """Rows of a CSV data file with a header line; lines starting with '#' are comments."""
    text = "\n".join(ln for ln in read_text(relpath).splitlines() if not ln.startswith("#"))
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows:
        raise DataError(f"data file is empty: {relpath}")
    return rows


def data_files(relfolder: str) -> list[str]:
    """Names of the files in a data folder, sorted (e.g. one trigger file per event type)."""
    node = resources.files("borderwatch") / "data" / relfolder
    return sorted(p.name for p in node.iterdir() if p.is_file())
