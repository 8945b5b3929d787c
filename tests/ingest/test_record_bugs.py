"""A bug met in one record of a many-report input (an exception no reader expects, while
reading the record, completing its metadata or cleaning it) costs that record alone: it is a
Failure naming its line and the error, the records around it are read, and an ingest stores
them, records the failure and leaves the input to be tried again. The bugs are planted with
monkeypatch on invented records."""

from __future__ import annotations

import json

import pytest

from borderwatch.clean import document as clean_document
from borderwatch.clean import read_documents
from borderwatch.ingest import ReadOptions
from borderwatch.ingest import read as read_module
from borderwatch.ingest import records as records_module
from borderwatch.jobs import ingest
from borderwatch.model import Document, Failure, RawInput
from borderwatch.store import open_db

MARKER = "planted-bug"
TEXTS = [
    "Invented report. Guards in Musan fined a trader 700 yuan for carrying a phone, a source said.",
    f"Invented report. Customs in Sinuiju held {MARKER} forty trucks of flour at the bridge.",
    "Invented report. Rice in Hyesan sold for 5,200 won a kilogram on Tuesday, traders said.",
]


def _jsonl() -> bytes:
    return "\n".join(json.dumps({"text": t, "published": f"2024-05-0{i + 1}"})
                     for i, t in enumerate(TEXTS)).encode() + b"\n"


def _raising_on_marker(real, text_of):
    def wrapped(*args, **kwargs):
        if MARKER in text_of(*args):
            raise RuntimeError("a bug this record meets")
        return real(*args, **kwargs)
    return wrapped


@pytest.fixture(params=["record", "complete", "clean"])
def planted(request, monkeypatch):
    """A bug in reading the record, completing its metadata, or cleaning it; the stage its
    Failure names."""
    if request.param == "record":
        monkeypatch.setattr(records_module, "record_report", _raising_on_marker(
            records_module.record_report, lambda record, *a: json.dumps(record)))
        return "parse"
    if request.param == "complete":
        monkeypatch.setattr(read_module, "complete", _raising_on_marker(
            read_module.complete, lambda report, *a: report.body))
        return "parse"
    monkeypatch.setattr(clean_document, "make_document", _raising_on_marker(
        clean_document.make_document, lambda report: report.body))
    return "clean"


def test_a_bug_in_one_record_fails_that_record_and_the_rest_are_read(planted):
    out = list(read_documents(RawInput("archive.jsonl", _jsonl()), ReadOptions(), None))
    assert [type(d) for d in out] == [Document, Failure, Document]
    failure = out[1]
    assert failure.source == "archive.jsonl:2" and failure.stage == planted
    assert failure.reason == "unexpected error: RuntimeError: a bug this record meets"
    assert "Musan" in out[0].text and "Hyesan" in out[2].text


def test_ingest_stores_the_records_around_a_bug_and_tries_the_input_again(planted, tmp_path, monkeypatch):
    src = tmp_path / "archive.jsonl"
    src.write_bytes(_jsonl())
    conn = open_db(tmp_path / "s.db")
    first = ingest(conn, [str(src)], ReadOptions())
    assert (first.read, first.stored, first.failed) == (3 - (planted == "parse"), 2, 1)
    assert [(f.source, f.stage) for f in first.failures] == [(f"{src}:2", planted)]
    stored = [r[0] for r in conn.execute("SELECT text FROM reports ORDER BY published")]
    assert len(stored) == 2 and "Musan" in stored[0] and "Hyesan" in stored[1]
    assert conn.execute("SELECT count(*) FROM failures WHERE source = ?", (f"{src}:2",)).fetchone()[0] == 1
    assert conn.execute("SELECT status FROM runs ORDER BY id DESC").fetchone()[0] == "completed"
    monkeypatch.undo()  # the bug mended: the input is read again, its third record stored
    again = ingest(conn, [str(src)], ReadOptions())
    assert (again.unchanged, again.stored, again.duplicate, again.failed) == (0, 1, 2, 0)
    conn.close()
