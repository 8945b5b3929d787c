"""JSON and JSON Lines records."""

import json

import pytest

from borderwatch.ingest.meta import ReadError
from borderwatch.ingest.records import read_json, read_jsonl
from borderwatch.model import Failure, Report

TEXT = "Traders in Hunchun said on Friday that seafood shipments from Rason had stopped."
HTML = ("<html><body><article><p>Customs officers at the Quanhe crossing turned back three "
        "trucks of seafood on Friday, according to a trader in Hunchun who asked not to be named."
        "</p><p>The trader said the trucks had waited two days.</p></article></body></html>")


def test_read_json_object_with_all_fields():
    record = {"text": TEXT, "title": "Seafood halted", "url": "https://example.org/a",
              "published": "2023-05-02", "outlet": "Example News", "tags": ["seafood", "Rason"],
              "language": "en", "captions": "A truck at the crossing (Image: Example)",
              "author": "Choi Eun-ji"}
    [report] = read_json(json.dumps(record), "r.json", "utf-8")
    assert report == Report(
        source="r.json", body=TEXT, format="json", title="Seafood halted",
        outlet="Example News", author="Choi Eun-ji", published="2023-05-02", language="en",
        url="https://example.org/a", tags=("seafood", "Rason"),
        captions=("A truck at the crossing (Image: Example)",), encoding="utf-8")


def test_read_json_array_and_comma_tags_and_html_field():
    data = json.dumps([{"text": TEXT, "tags": "trade, seafood"}, {"html": HTML, "title": "Own"}])
    first, second = read_json(data, "a.json", "utf-8")
    assert (first.source, first.tags) == ("a.json#1", ("trade", "seafood"))
    assert second.body.startswith("Customs officers at the Quanhe crossing")
    assert (second.source, second.title, second.format) == ("a.json#2", "Own", "json")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ('{"text": "a" "title": "b"}', "malformed JSON at line 1 column 14: Expecting ',' delimiter"),
        ('{\n  "text": "a",\n  "tags": [1,', "truncated JSON at line 3 column 14: Expecting value"),
        ('{"text": "abc', "truncated JSON at line 1 column 10: Unterminated string starting at"),
        ("[]", "JSON array holds no records"),
        ('"just a string"', "JSON holds a str, not a record or a list of records"),
    ],
)
def test_read_json_whole_file_errors(data, reason):
    with pytest.raises(ReadError) as err:
        list(read_json(data, "x.json", "utf-8"))
    assert str(err.value) == reason


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"title": "No body here"}, "record has no 'text' or 'html' (title: 'No body here')"),
        ({"text": "   "}, "record has no 'text' or 'html'"),
        ({"text": TEXT, "title": 5}, "field 'title' must be a string"),
        ({"text": TEXT, "tags": [1, 2]}, "field 'tags' must be a list of strings or a comma-separated string"),
        (7, "record is a JSON int, not an object"),
    ],
)
def test_read_json_bad_record_is_a_failure_and_others_survive(record, reason):
    data = json.dumps([{"text": TEXT}, record, {"text": TEXT + " Again."}])
    out = list(read_json(data, "x.json", "utf-8"))
    assert [type(o) for o in out] == [Report, Failure, Report]
    assert out[1] == Failure(source="x.json#2", reason=reason, stage="parse")


def test_read_jsonl_bad_lines_named_by_line_number():
    lines = [json.dumps({"text": TEXT}), "", '{"text": "a" "b"}', json.dumps({"title": "T"}),
             json.dumps({"html": HTML}), '{"text": "cut off']
    out = list(read_jsonl("\n".join(lines), "f.jsonl", "utf-8"))
    assert [o.source for o in out] == ["f.jsonl:1", "f.jsonl:3", "f.jsonl:4", "f.jsonl:5", "f.jsonl:6"]
    assert isinstance(out[0], Report) and out[0].format == "jsonl"
    assert out[1].reason == "malformed JSON record at line 3 column 14: Expecting ',' delimiter"
    assert out[2].reason == "record has no 'text' or 'html' (title: 'T')"
    assert isinstance(out[3], Report) and out[3].format == "jsonl"
    assert out[4].reason.startswith("truncated JSON record at line 6")


def test_read_json_holding_json_lines_reads_them():
    data = json.dumps({"text": TEXT}) + "\n" + json.dumps({"text": TEXT + " More."}) + "\n"
    assert [r.source for r in read_json(data, "x.json", None)] == ["x.json:1", "x.json:2"]


def test_read_jsonl_only_blank_lines():
    with pytest.raises(ReadError, match="empty file"):
        list(read_jsonl("\n\n", "e.jsonl", None))
