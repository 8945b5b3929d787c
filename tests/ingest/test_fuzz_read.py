"""Readers on hostile bytes (issue 9): any input, mutated from invented feeds, pages, JSON Lines
and text, gives Reports and Failures — never an exception, never a lost feed item without its
own Failure. A bounded run here; `make fuzz` runs the same property far longer
(BORDERWATCH_FUZZ_EXAMPLES)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderwatch.ingest import ReadOptions, read_input
from borderwatch.model import Failure, RawInput, Report

BODY = "Invented test text: guards in Hyesan fined traders 500 yuan, a source said. " * 3
SEEDS = [
    f"<?xml version='1.0'?><rss version='2.0'><channel><title>Invented</title><item><title>A &amp; B"
    f"</title><link>https://invented.example/1</link><guid>g1</guid><description>{BODY}</description>"
    f"</item><item><title>C</title><description>short</description></item></channel></rss>",
    f"<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'><title>Inv</title>"
    f"<id>urn:x</id><entry><title>T</title><id>urn:y</id><link href='urn:y'/><summary>{BODY}</summary>"
    f"</entry></feed>",
    f"<html><head><title>Invented page</title><meta name='author' content='X'></head><body><article>"
    f"<h1>Invented</h1><p>{BODY}</p><p>Second paragraph.</p></article></body></html>",
    '{"title": "Invented", "text": "' + BODY + '", "published": "2024-06-01"}\n{"text": "Two ' + BODY + '"}\n',
    "Invented headline\n\n" + BODY + "\n\nRead in Korean\n",
]
NAMES = ["a.xml", "b.atom", "c.html", "d.jsonl", "e.txt", "f.json", "g"]
NASTY = [b"\x00", b"\xff\xfe", b"&#xD800;", b"<!DOCTYPE x [<!ENTITY e 'x'>]>", b"]]>", b"<", b"&",
         b"\xe2\x80", b"\r", b"\n\n", b"\xc3\x28", b"<![CDATA[", b"\"", b"http://[::1", b"urn:z"]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    data = bytearray(draw(st.sampled_from(SEEDS)).encode("utf-8"))
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["insert", "delete", "cut"]))
        if op == "insert":
            data[at:at] = draw(st.sampled_from(NASTY) | st.binary(max_size=8))
        elif op == "delete":
            del data[at:at + draw(st.integers(1, 40))]
        else:
            del data[at:]
    return draw(st.sampled_from(NAMES)), bytes(data)


RUNS = int(os.environ.get("BORDERWATCH_FUZZ_EXAMPLES", "200"))


@settings(max_examples=RUNS, deadline=None, suppress_health_check=list(HealthCheck))
@given(case=st.one_of(mutated(), st.tuples(st.sampled_from(NAMES), st.binary(max_size=300))))
def test_readers_never_raise(case):
    name, data = case
    out = list(read_input(RawInput(source=name, data=data), ReadOptions(fetch_pages=False), None))
    for item in out:
        assert isinstance(item, (Report, Failure)), item
        if isinstance(item, Report):
            assert item.body.strip()
            item.body.encode("utf-8")  # storable: no lone surrogates
            (item.title or "").encode("utf-8")
        else:
            assert "\n" not in item.line()
