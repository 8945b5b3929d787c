"""Near-duplicate fingerprints: MinHash over word 3-shingles, cut into LSH bands.

A syndicated or lightly edited copy of a report shares most of its word 3-shingles with the
original; unrelated reports on the same subject share almost none. 100 permutations in 20
bands of 5 rows make two texts with Jaccard similarity 0.5 collide in at least one band with
probability ~0.47, and at 0.7 with ~0.97; candidates are then confirmed on the full signature
(store/writer.py, NEAR_THRESHOLD).
"""

from __future__ import annotations

import hashlib
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

import numpy as np
from datasketch import MinHash

NUM_PERM = 100
BANDS = 20
ROWS = NUM_PERM // BANDS
SHINGLE = 3
_WORD = re.compile(r"\w+")
_SEED = 1  # fixed: signatures must stay comparable across runs and machines


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """A document's MinHash signature and its LSH band keys."""

    signature: bytes  # NUM_PERM little-endian uint32
    bands: tuple[int, ...]  # one signed 64-bit key per band

    def similarity(self, other_signature: bytes) -> float:
        """Estimated Jaccard similarity with another stored signature."""
        a = np.frombuffer(self.signature, dtype="<u4")
        b = np.frombuffer(other_signature, dtype="<u4")
        return float(np.count_nonzero(a == b)) / NUM_PERM


def _shingles(text: str) -> Iterator[bytes]:
    """Word 3-shingles in text order, read as they come (a list of a long text's words alone
    took 200 MB for 19 MB of text)."""
    window: deque[str] = deque(maxlen=SHINGLE)
    seen = 0
    for m in _WORD.finditer(text.lower()):
        window.append(m.group())
        seen += 1
        if seen >= SHINGLE:
            yield " ".join(window).encode("utf-8")
    if seen < SHINGLE:  # too short for one shingle: the words there are
        yield " ".join(window).encode("utf-8")


# Shingles hashed per batch: datasketch makes a (shingles x NUM_PERM) array of 64-bit values for a
# batch, 2.5 GB for one 19 MB text at once; the signature is a minimum, the same in batches.
BATCH = 20_000


def fingerprint(text: str) -> Fingerprint:
    """MinHash signature of `text` and its band keys."""
    mh = MinHash(num_perm=NUM_PERM, seed=_SEED)
    shingles = _shingles(text)
    while batch := list(islice(shingles, BATCH)):
        mh.update_batch(batch)
    sig = mh.hashvalues.astype("<u4")
    bands = []
    for b in range(BANDS):
        digest = hashlib.blake2b(sig[b * ROWS : (b + 1) * ROWS].tobytes(), digest_size=8).digest()
        bands.append(int.from_bytes(digest, "little", signed=True))
    return Fingerprint(signature=sig.tobytes(), bands=tuple(bands))
