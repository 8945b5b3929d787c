"""The disk cache of prepared data: a missing, corrupt or unwritable cache costs time, never
results (the langid model comes out the same as from its shipped file); and the pruned ECB
converter gives the full one's rates."""

from __future__ import annotations

import numpy as np
import pytest

from borderwatch import cache
from borderwatch.ingest import meta
from borderwatch.values import usd as currency

TEXTS = [
    "Traders in the border city said the price of rice rose again last week.",
    "Les commerçants de la ville frontalière disent que le prix du riz a encore augmenté.",
    "국경 도시의 상인들은 지난주 쌀값이 다시 올랐다고 말했다.",
    "边境城市的商人说，上周大米价格再次上涨。",
]
DAYS = ["2022-07-19", "2022-07-16", "2021-06-01", "2022-05-01", "2024-05-01", "1999-01-01"]
CODES = ["CNY", "KRW", "EUR", "JPY", "RUB"]


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    """An empty cache folder for the test (XDG_CACHE_HOME)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "borderwatch"


@pytest.fixture
def no_cache(tmp_path, monkeypatch):
    """A cache folder that cannot be created: XDG_CACHE_HOME is a plain file."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    return blocker


@pytest.fixture(scope="module")
def reference_langid():
    """py3langid's own identifier, loaded from its shipped model the way it loads it."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    model = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
    return [model.classify(t) for t in TEXTS]


def _rates(conv) -> list:
    """Every conversion the tests compare (value and rate date per currency and day)."""
    out = []
    for code in CODES:
        for day in DAYS:
            try:
                out.append(currency._ecb(1000.0, code, currency.parse_iso(day)))
            except Exception as exc:  # noqa: BLE001 - the same error must come both ways
                out.append(type(exc).__name__)
    return out


def _corrupt(folder, name: str, data: bytes) -> None:
    """Overwrite one array file of every entry `name` in the cache folder."""
    entries = list(folder.glob(f"{name}-*"))
    assert entries, f"no {name} entry was written"
    for entry in entries:
        victim = sorted(entry.glob("*.npy"))[0]
        victim.write_bytes(data)


@pytest.mark.parametrize("value,expected", [
    ("/somewhere/cache", "/somewhere/cache/borderwatch"),
    ("relative/path", None),  # the XDG spec: a relative path is ignored
    ("", None),
])
def test_cache_dir_follows_xdg(monkeypatch, tmp_path, value, expected):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", value)
    want = expected or str(tmp_path / ".cache" / "borderwatch")
    assert str(cache.cache_dir()) == want


def test_cache_round_trip_and_old_entries_dropped(cache_home):
    arrays = {"a": np.arange(10, dtype=np.uint32), "b": np.array(["x", "yz"])}
    assert cache.save_arrays("demo", "k1", arrays)
    assert cache.save_arrays("demo", "k2", arrays)
    got = cache.load_arrays("demo", "k2", ["a", "b"])
    assert got is not None and got["a"].tolist() == list(range(10))
    assert got["b"].tolist() == ["x", "yz"]
    assert cache.load_arrays("demo", "k1", ["a"]) is None  # superseded entry removed
    assert [p.name for p in cache_home.iterdir()] == ["demo-k2"]  # no temporary folder left


def test_cache_missing_array_is_a_miss(cache_home):
    cache.save_arrays("demo", "k", {"a": np.zeros(3)})
    assert cache.load_arrays("demo", "k", ["a", "b"]) is None
    assert cache.load_arrays("other", "k", ["a"]) is None


@pytest.mark.parametrize("data", [b"", b"garbage, not an array", b"\x93NUMPY\x01\x00"])
def test_cache_corrupt_file_is_a_miss(cache_home, data):
    cache.save_arrays("demo", "k", {"a": np.arange(1000)})
    _corrupt(cache_home, "demo", data)
    assert cache.load_arrays("demo", "k", ["a"]) is None


def test_cache_truncated_file_is_a_miss(cache_home):
    cache.save_arrays("demo", "k", {"a": np.arange(1000)})
    path = next(cache_home.glob("demo-k/a.npy"))
    path.write_bytes(path.read_bytes()[:-100])
    assert cache.load_arrays("demo", "k", ["a"]) is None


def test_cache_unwritable_folder_is_skipped(no_cache):
    assert cache.save_arrays("demo", "k", {"a": np.arange(3)}) is False
    assert cache.load_arrays("demo", "k", ["a"]) is None


def test_cache_key_follows_file_content(tmp_path):
    f = tmp_path / "model.bin"
    f.write_bytes(b"one")
    first = cache.content_key([f], "lib", "1.0")
    assert cache.content_key([f], "lib", "1.0") == first
    assert cache.content_key([f], "lib", "1.1") != first
    f.write_bytes(b"two")
    assert cache.content_key([f], "lib", "1.0") != first


def test_cache_langid_cold_warm_and_corrupt_give_the_same_model(cache_home, reference_langid):
    cold = meta._identifier.__wrapped__()  # decompresses the shipped model, writes the entry
    assert list(cache_home.glob("langid-*"))
    warm = meta._identifier.__wrapped__()  # reads the entry
    assert isinstance(warm.nb_ptc, np.memmap)
    _corrupt(cache_home, "langid", b"not an array")
    fallback = meta._identifier.__wrapped__()  # ignores the broken entry, loads the slow way
    for model in (cold, warm, fallback):
        assert [model.classify(t) for t in TEXTS] == reference_langid


def test_cache_langid_without_a_writable_cache(no_cache, reference_langid):
    model = meta._identifier.__wrapped__()
    assert [model.classify(t) for t in TEXTS] == reference_langid


def test_cache_langid_rejects_arrays_that_do_not_fit():
    ok = {"ptc": np.zeros((4, 3), np.float16), "pc": np.zeros(3, np.float32),
          "classes": np.array(["en", "fr", "ko"]), "nextmove": np.zeros(512, np.uint32),
          "nextmove_row": np.zeros(5, np.uint16), "out_feat": np.zeros(5, np.int32)}
    assert meta._langid_ok(ok)
    assert not meta._langid_ok({**ok, "pc": np.zeros(2, np.float32)})
    assert not meta._langid_ok({**ok, "nextmove": np.zeros(500, np.uint32)})
    assert not meta._langid_ok({**ok, "out_feat": np.zeros(4, np.int32)})
    assert not meta._langid_ok({**ok, "nextmove": np.zeros(512, np.float32)})


def test_the_pruned_ecb_converter_gives_the_whole_files_rates(monkeypatch):
    """Only the reports' currencies are loaded (no cache: issue 10 dropped the one that filled
    the converter's private tables); every rate and rate date is the full converter's."""
    from currency_converter import CurrencyConverter

    pruned = currency._converter.__wrapped__()
    full = CurrencyConverter(fallback_on_missing_rate=True, fallback_on_wrong_date=True)
    assert pruned.currencies < full.currencies and "CNY" in pruned.currencies
    results = []
    for conv in (pruned, full):
        monkeypatch.setattr(currency, "_converter", lambda conv=conv: conv)
        results.append(_rates(conv))
    assert results[0] == results[1]
    assert pruned.bounds["CNY"].first_date.year == 2005
