"""Long texts are cleaned and fingerprinted without a copy per word (issue 9: a 19 MB file
peaked at 3 GB). These check that the lean ways give what the plain ones gave."""

from __future__ import annotations

import re

import pytest
from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from borderwatch.clean import fingerprint as fp
from borderwatch.clean.normalize import normalize_text
from borderwatch.store.writer import word_count
from tests.examples import examples

# slow tier: texts of megabytes
pytestmark = pytest.mark.slow

WORDS = st.sampled_from(["rice", "Hyesan", "밀수", "국경", "500", "a", "Ünal", "x_y", "-", ".", "yuan"])
SPACE = st.sampled_from([" ", "  ", "\t", "\n", "\u00a0", "\u3000", "\u2003", " \u00a0 ", "\r\n",
                         "\u200b", "\x0b", "\x1c", "\u2028"])
TEXTS = st.lists(st.one_of(WORDS, SPACE), max_size=60).map("".join)


def _one_batch(text: str) -> tuple[bytes, tuple[int, ...]]:
    """The signature as made before: every word 3-shingle hashed in one batch."""
    words = re.findall(r"\w+", text.lower())
    shingles = ([" ".join(words)] if len(words) < fp.SHINGLE else
                [" ".join(words[i:i + fp.SHINGLE]) for i in range(len(words) - fp.SHINGLE + 1)])
    mh = MinHash(num_perm=fp.NUM_PERM, seed=fp._SEED)
    mh.update_batch([s.encode("utf-8") for s in shingles])
    return mh.hashvalues.astype("<u4").tobytes(), fp.fingerprint(text).bands


@settings(max_examples=examples(300))
@given(TEXTS)
def test_fingerprint_in_batches_is_the_one_batch_signature(text):
    batched = fp.fingerprint(text)
    assert (batched.signature, batched.bands) == _one_batch(text)


@given(TEXTS)
def test_fingerprint_of_many_batches_is_the_one_batch_signature(text):
    long_text = " ".join([text] * 30) + " end of the invented text"
    saved = fp.BATCH
    fp.BATCH = 3  # many small batches
    try:
        assert fp.fingerprint(long_text).signature == _one_batch(long_text)[0]
    finally:
        fp.BATCH = saved


def _normalize_before(text: str) -> str:
    """normalize_text as it was, replacing every run of white space, single spaces too."""
    import unicodedata

    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub("[\u200b\u200c\u200d\u2060\ufeff\u00ad]", "", text)
    spaces = re.compile("[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
    text = "\n".join(spaces.sub(" ", ln).strip() for ln in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


@settings(max_examples=examples(500))
@given(TEXTS)
def test_normalize_leaves_single_spaces_alone_and_changes_nothing_else(text):
    assert normalize_text(text) == _normalize_before(text)


@settings(max_examples=examples(500))
@given(TEXTS)
def test_word_count_is_the_number_of_split_words(text):
    """Both ways of counting: str.split below the limit, without the list above it."""
    from borderwatch.store import writer

    assert word_count(text) == len(text.split())
    limit = writer.WORD_COUNT_SPLIT_MAX
    try:
        writer.WORD_COUNT_SPLIT_MAX = -1
        assert word_count(text) == len(text.split())
    finally:
        writer.WORD_COUNT_SPLIT_MAX = limit
