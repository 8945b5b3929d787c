"""A disk cache of prepared data: arrays that are slow to build and fast to read back.

Some data a run needs ships in a form that is slow to open: py3langid's model is a 4.5 MB xz
archive (1.2 s to decompress and load, 0.09 s from here; measured 2026-12-05). The first run
loads it with py3langid's own loader and writes the arrays here as plain .npy files; later runs
map those files and build the identifier through its public constructor. (The ECB rates are
not cached: filling the converter needed its private tables, for 0.2 s; issue 10.)

- Where: $XDG_CACHE_HOME/borderwatch, else ~/.cache/borderwatch.
- Keyed by the borderwatch version, the cache layout, the producing library's version and the
  digest of every source file: an upgraded package or model gets a new entry, never a stale one.
- Written atomically (a temporary folder renamed into place), so a reader never sees half an
  entry; entries of the same name with another key are removed when a new one is written.
- Never required: an entry that is missing, unreadable or malformed is ignored, and a cache
  folder that cannot be written is skipped. Both cost time, never results.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

from borderwatch import __version__

LAYOUT = "1"  # bump when the layout of any entry changes
_APP = "borderwatch"


def cache_dir() -> Path | None:
    """The folder for borderwatch's cache entries (XDG rules), or None if there is no home."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not base or not os.path.isabs(base):  # the XDG spec says to ignore a relative path
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home directory to speak of
            return None
    return Path(base) / _APP


def content_key(files: Iterable[str | os.PathLike[str]], *parts: str) -> str:
    """A key for data prepared from `files` (by content) with the settings in `parts`."""
    h = hashlib.sha256(f"{_APP} {__version__} layout {LAYOUT}".encode())
    for part in parts:
        h.update(b"\0" + part.encode())
    for path in files:
        h.update(b"\0" + Path(path).read_bytes())
    return h.hexdigest()[:24]


def _entry(name: str, key: str) -> Path | None:
    """The folder of one cache entry."""
    root = cache_dir()
    return None if root is None else root / f"{name}-{key}"


def load_arrays(name: str, key: str, names: Iterable[str]) -> dict[str, np.ndarray] | None:
    """The arrays `names` of entry (name, key), memory-mapped read-only; None if any is missing
    or unreadable (the caller then prepares the data the slow way)."""
    folder = _entry(name, key)
    if folder is None:
        return None
    try:
        return {n: np.load(folder / f"{n}.npy", mmap_mode="r", allow_pickle=False) for n in names}
    except Exception:  # noqa: BLE001 - a broken cache entry must cost time, never the run
        return None


def save_arrays(name: str, key: str, arrays: Mapping[str, np.ndarray]) -> bool:
    """Write entry (name, key) atomically and drop older entries of `name`; False if the cache
    folder cannot be written (nothing is raised: the cache is an optimisation)."""
    folder = _entry(name, key)
    if folder is None:
        return False
    tmp = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=folder.parent))
        for n, arr in arrays.items():
            np.save(tmp / f"{n}.npy", np.asarray(arr), allow_pickle=False)
        os.rename(tmp, folder)  # atomic; fails if another process got there first
        tmp = None
    except OSError:
        return folder.is_dir()
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    _drop_others(name, folder)
    return True


def _drop_others(name: str, keep: Path) -> None:
    """Remove entries of `name` under other keys (an older model or package version)."""
    for old in keep.parent.glob(f"{name}-*"):
        if old != keep and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
