"""SOURCE arguments: files, folders, globs, stdin; streaming; counting; format detection."""

import io

import pytest

from borderwatch.ingest import ReadOptions, count_inputs, iter_inputs, read_input
from borderwatch.ingest.detect import detect_format, sniff
from borderwatch.model import Failure, RawInput, Report

TEXT = b"Rice sold for KPW 5,000 per kilogram in Hyesan last week, a resident said.\n"


@pytest.fixture
def tree(tmp_path):
    """A folder with nested, hidden and plain files."""
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "a.txt").write_bytes(TEXT)
    (tmp_path / "b" / "c.txt").write_bytes(TEXT)
    (tmp_path / "b" / "d.json").write_bytes(b'{"text": "Trucks crossed the bridge."}')
    (tmp_path / ".secret.txt").write_bytes(TEXT)
    (tmp_path / ".hidden" / "e.txt").write_bytes(TEXT)
    return tmp_path


def test_iter_inputs_folder_recursive_sorted_skips_hidden(tree):
    sources = [i.source for i in iter_inputs([str(tree)], ReadOptions(), None)]
    assert sources == [str(tree / "a.txt"), str(tree / "b" / "c.txt"), str(tree / "b" / "d.json")]


def test_iter_inputs_glob_file_and_missing(tree):
    out = list(iter_inputs([str(tree / "**" / "*.txt"), str(tree / "a.txt"), str(tree / "nope.txt"),
                            str(tree / "*.csv")], ReadOptions(), None))
    assert [o.source for o in out[:3]] == [str(tree / "a.txt"), str(tree / "b" / "c.txt"),
                                           str(tree / "a.txt")]
    assert out[3] == Failure(str(tree / "nope.txt"), "no such file or directory", "read")
    assert out[4] == Failure(str(tree / "*.csv"), "no files match", "read")


def test_iter_inputs_stdin():
    [raw] = iter_inputs(["-"], ReadOptions(), None, stdin=io.BytesIO(TEXT))
    assert raw == RawInput(source="<stdin>", data=TEXT)
    [report] = read_input(raw, ReadOptions(), None)
    assert isinstance(report, Report) and report.body == TEXT.decode()


def test_iter_inputs_too_large(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(TEXT * 10)
    [fail] = iter_inputs([str(big)], ReadOptions(max_bytes=100), None)
    assert fail == Failure(str(big), f"too large ({len(TEXT) * 10} bytes > cap 100)", "read")
    [fail] = iter_inputs(["-"], ReadOptions(max_bytes=100), None, stdin=io.BytesIO(TEXT * 10))
    assert fail.reason == "too large (more than 100 bytes)"


def test_iter_inputs_streams_one_file_at_a_time(tree):
    stream = iter_inputs([str(tree)], ReadOptions(), None)
    first = next(stream)
    assert first.data == TEXT
    (tree / "b" / "c.txt").write_bytes(b"changed")  # not read yet: read only when its turn comes
    assert next(stream).data == b"changed"


def test_iter_inputs_url_without_fetcher():
    [fail] = iter_inputs(["https://example.org/x"], ReadOptions(), None)
    assert fail == Failure("https://example.org/x", "URL given but fetching is off", "fetch")


def test_count_inputs(tree):
    assert count_inputs([str(tree), str(tree / "a.txt"), str(tree / "missing")]) == 5
    assert count_inputs([str(tree), "-"]) is None
    assert count_inputs(["https://example.org/feed"]) is None


@pytest.mark.parametrize(
    ("source", "data", "content_type", "fmt"),
    [
        ("a.txt", b"<html>", None, "text"),
        ("a.md", b"x", None, "text"),
        ("a.htm", b"x", None, "html"),
        ("a.xhtml", b"x", None, "html"),
        ("a.json", b"x", None, "json"),
        ("a.ndjson", b"x", None, "jsonl"),
        ("a.atom", b"x", None, "feed"),
        ("https://x.org/feed.rss?page=2", b"x", None, "feed"),
        ("https://x.org/a", b"<p>x</p>", "text/html; charset=utf-8", "html"),
        ("https://x.org/a", b"<?xml version='1.0'?><rss>", "text/html", "feed"),
        ("https://x.org/a", b'{"text": "x"}', "application/json", "json"),
        ("https://x.org/a", b"<!doctype html><p>x", "text/plain", "html"),
        ("noext", b"\xef\xbb\xbf<?xml version='1.0'?>\n<feed xmlns='x'>", None, "feed"),
        ("noext", b"<rdf:RDF xmlns:rdf='x'>", None, "feed"),
        ("noext", b"  <!DOCTYPE html><html>", None, "html"),
        ("noext", b"[{\"text\": \"x\"}]", None, "json"),
        ("noext", b"{\"text\": \"x\"}\n{\"text\": \"y\"}\n", None, "jsonl"),
        ("noext", b"{\n \"text\": \"x\"\n}\n", None, "json"),
        ("noext", b"border, china\nBody.", None, "text"),
        ("noext", "<html>".encode("utf-16"), None, "html"),
    ],
)
def test_detect_format(source, data, content_type, fmt):
    raw = RawInput(source=source, data=data, content_type=content_type,
                   url=source if "://" in source else None)
    assert detect_format(raw) == fmt


def test_sniff_unknown_xml_is_feed_reader_business():
    assert sniff(b"<?xml version='1.0'?><urlset/>") == "feed"


def test_seed_report_end_to_end(seed_path):
    seed = str(seed_path)
    [raw] = iter_inputs([seed], ReadOptions(), None)
    [report] = read_input(raw, ReadOptions(), None)
    assert (report.outlet, report.language, report.published, report.format) == (
        "Daily NK", "en", None, "text")
    assert "remittance" in report.tags and report.captions[0].endswith("(Wikimedia Commons)")
    assert "Nampo" in report.body and not report.body.startswith("border,")
