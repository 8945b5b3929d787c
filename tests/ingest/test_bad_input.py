"""Bad input end to end: each case is one Failure with a short, specific reason, and the
inputs after it are still read."""

import codecs

import pytest

from borderwatch.ingest import ReadOptions, iter_inputs, read_input
from borderwatch.model import Failure, Report

GOOD = "Traders in Sinuiju said on Monday that the price of rice had doubled since the spring."
ARTICLE = ("<html><body><article><p>" + GOOD + " A second source confirmed the rise, and said "
           "that corn had also become scarce in the markets.</p></article></body></html>")
RSS = ("<?xml version='1.0'?><rss version='2.0'><channel><title>T</title><item><title>A</title>"
       f"<link>https://x.org/a</link><description>{GOOD * 8}</description></item></channel></rss>")

CASES = [
    ("empty.txt", b"", "decode", "empty file"),
    ("blank.txt", b"  \n\n \t", "decode", "empty file"),
    ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "decode",
     "binary or undecodable data"),
    ("cut.txt", ("Hyesan — " + GOOD + " 혜산").encode("utf-8")[:-2], "decode",
     "truncated: UTF-8 text ends in the middle of a character"),
    ("bad-bom.txt", codecs.BOM_UTF16_LE + b"\x00\xd8\x41\x00", "decode",
     "undecodable: invalid utf-16 after its byte-order mark"),
    ("bad.json", b'{"text": "a",, "title": "b"}', "parse",
     "malformed JSON at line 1 column 14: Expecting property name enclosed in double quotes"),
    ("cut.json", b'[{"text": "' + GOOD.encode() + b'"}, {"text": "Ri', "parse",
     "truncated JSON at line 1 column"),
    ("nobody.json", b'{"title": "Only a title"}', "parse",
     "record has no 'text' or 'html' (title: 'Only a title')"),
    ("cut.html", ARTICLE[: len(ARTICLE) - 30].encode(), "parse",
     "truncated HTML: the page ends before </body> or </html>"),
    ("nav.html", b"<html><body><nav>Home | About</nav></body></html>", "parse",
     "no article text found in HTML"),
    ("tagsoup.html", b"<html><<<>>><p <div </ </body></html>", "parse",
     "no article text found in HTML"),
    ("cut.xml", RSS[: len(RSS) - 40].encode(), "parse", "truncated feed XML"),
    ("bad.xml", b"<rss version='2.0'><channel><title>x</titl></channel></rss>", "parse",
     "malformed feed XML"),
]


@pytest.mark.parametrize(("name", "data", "stage", "reason"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_one_failure_then_the_run_goes_on(tmp_path, name, data, stage, reason):
    bad = tmp_path / f"1-{name}"
    good = tmp_path / "2-good.txt"
    bad.write_bytes(data)
    good.write_text(GOOD, encoding="utf-8")
    out = [item for raw in iter_inputs([str(tmp_path)], ReadOptions(), None)
           for item in (read_input(raw, ReadOptions(), None) if not isinstance(raw, Failure) else [raw])]
    assert len(out) == 2
    failure, report = out
    assert isinstance(failure, Failure) and failure.source == str(bad)
    assert (failure.stage, failure.reason[: len(reason)]) == (stage, reason)
    assert "\n" not in failure.line() and len(failure.reason) < 200
    assert isinstance(report, Report) and report.body == GOOD


def test_bad_input_too_large(tmp_path):
    (tmp_path / "big.txt").write_bytes(GOOD.encode() * 100)
    [failure] = iter_inputs([str(tmp_path / "big.txt")], ReadOptions(max_bytes=1000), None)
    assert failure.reason == f"too large ({len(GOOD) * 100} bytes > cap 1000)"


def test_bad_input_jsonl_bad_line_keeps_others(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text('{"text": "First report about Hyesan."}\n{"text": oops}\n'
                    '{"text": "Third report about Dandong."}\n', encoding="utf-8")
    [raw] = iter_inputs([str(path)], ReadOptions(), None)
    first, bad, third = read_input(raw, ReadOptions(), None)
    assert bad == Failure(f"{path}:2", "malformed JSON record at line 2 column 10: Expecting value",
                          "parse")
    assert (first.body, third.body) == ("First report about Hyesan.", "Third report about Dandong.")


def test_bad_input_options_override(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(GOOD, encoding="euc-kr")
    [raw] = iter_inputs([str(path)], ReadOptions(), None)
    options = ReadOptions(outlet="Daily NK", published="2022-07-19", language="en")
    [report] = read_input(raw, options, None)
    assert (report.outlet, report.published, report.language) == ("Daily NK", "2022-07-19", "en")


@pytest.mark.parametrize(
    ("encoding", "name"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8"), ("utf-16", "utf-16"), ("euc-kr", "euc-kr"),
     ("gb18030", "gb18030")],
)
def test_text_file_encodings_end_to_end(tmp_path, encoding, name):
    body = ("양강도 혜산시 주민들은 국경 경비가 강화되면서 밀수가 거의 끊겼다고 말했다. " * 6
            if encoding == "euc-kr" else
            "据消息人士透露，丹东海关加强了对朝鲜货物的检查，卡车过桥的时间被推迟。" * 6
            if encoding == "gb18030" else GOOD)
    path = tmp_path / "r.txt"
    path.write_bytes(body.encode(encoding))
    [raw] = iter_inputs([str(path)], ReadOptions(), None)
    [report] = read_input(raw, ReadOptions(), None)
    assert (report.body, report.encoding) == (body, name)
    assert report.language == {"euc-kr": "ko", "gb18030": "zh"}.get(encoding, "en")


@pytest.mark.parametrize(
    "kwargs", [{"published": "yesterday"}, {"published": "2022-7-1"}, {"language": "english"},
               {"max_bytes": 0}])
def test_read_options_refuse_bad_overrides(kwargs):
    with pytest.raises(ValueError):
        ReadOptions(**kwargs)
