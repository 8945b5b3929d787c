"""Loading the package's data files (gazetteers, vocabularies, patterns).

Knowledge lives in `borderwatch/data/`, shipped in the wheel and read with importlib.resources.
Loaders here fail loudly on a missing or empty file: a broken data file should stop the program
at load time, not produce silently empty results later. A file's shape is a pydantic model
(`borderwatch/data_models/`); `load` and `load_rows` validate against it and turn any mismatch
into one DataError naming the file, the entry and the field, so finders get typed records and
hold no checks of their own.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

# libyaml's loader parses the data files ten times faster, to the same values. It is also more
# lenient: a plain scalar with "?" inside a [flow, list] parses with it, not with the pure-Python
# loader (the fallback where PyYAML lacks libyaml), so quote such entries.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DataError(ValueError):
    """A data file is missing, empty or inconsistent."""


M = TypeVar("M", bound=BaseModel)


def _where(loc: tuple[int | str, ...], raw: object) -> str:
    """A pydantic error location as the path of the entry and field, a list item named by its
    id or name when it has one: triggers[smuggled_goods].patterns.0, kind_cues.city.after."""
    parts: list[str] = []
    node = raw
    for step in loc:
        if isinstance(step, int) and isinstance(node, list) and 0 <= step < len(node):
            node = node[step]
            label = (node.get("id") or node.get("name")) if isinstance(node, dict) else None
            if label is not None and parts:
                parts[-1] += f"[{label}]"
            else:
                parts.append(str(step))
            continue
        node = node.get(step) if isinstance(node, dict) else None
        parts.append(str(step))
    return ".".join(parts)


def validation_message(source: str, exc: ValidationError, entry: str = "", raw: object = None) -> str:
    """The one message format of a bad data file: `file: entry.field: what is wrong` (the first
    error, and how many more there are)."""
    first = exc.errors(include_url=False)[0]
    where = _where(tuple(first["loc"]), raw) or ("" if entry else "(whole file)")
    msg = first["msg"].removeprefix("Value error, ")
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return ": ".join(p for p in (source, entry, where, f"{msg}{more}") if p)


def validated(raw: object, model: type[M], source: str, entry: str = "") -> M:
    """`raw` (parsed data) as a `model` record; a mismatch is a DataError naming file and entry."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise DataError(validation_message(source, exc, entry, raw)) from exc


@cache
def load(relpath: str, model: type[M]) -> M:
    """YAML data file `relpath` validated as `model` (cached: loaded once per process)."""
    return validated(read_yaml(relpath), model, relpath)


def validated_rows(rows: Iterable[Mapping[str, Any] | M], model: type[M], source: str,
                   key: str = "id") -> tuple[M, ...]:
    """Table rows, each validated as `model` (records already validated pass through); a row is
    named in errors by its `key` column and its number, and a `key` two rows share is a DataError."""
    out: list[M] = []
    seen: dict[str, int] = {}
    for n, row in enumerate(rows, start=1):
        if isinstance(row, model):
            out.append(row)
            continue
        assert isinstance(row, Mapping)
        name = str(row.get(key) or "").strip()
        entry = f"row {n} ({key}={name!r})" if name else f"row {n}"
        if name and name in seen:
            raise DataError(f"{source}: {entry}: {key}: duplicate of row {seen[name]}")
        seen[name] = n
        out.append(validated(row, model, source, entry))
    return tuple(out)


@cache
def load_rows(relpath: str, model: type[M], key: str = "id") -> tuple[M, ...]:
    """Rows of CSV data file `relpath` validated as `model` (see `validated_rows`; cached)."""
    return validated_rows(read_csv(relpath), model, relpath, key)


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
