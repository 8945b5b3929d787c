"""Writer: exact duplicates stored once, near-duplicates stored and linked, others independent."""

import pytest

from borderwatch.store import open_db
from borderwatch.store.writer import Writer

from .storehelp import BODY, doc, store


@pytest.fixture
def writer(tmp_path):
    conn = open_db(tmp_path / "w.db")
    run = conn.execute("INSERT INTO runs(started_at, command) VALUES ('now', 'test')").lastrowid
    w = Writer(conn, run)
    yield w
    w.commit()


def test_writer_same_text_twice_is_one_report_with_two_sources(writer):
    assert store(writer, doc(BODY, "a.txt")).status == "stored"
    again = store(writer, doc(BODY, "b.txt"))
    writer.commit()
    assert again.status == "duplicate"
    c = writer.conn
    assert c.execute("SELECT count(*) FROM reports").fetchone()[0] == 1
    assert {r[0] for r in c.execute("SELECT source FROM report_sources")} == {"a.txt", "b.txt"}


def test_writer_lightly_edited_copy_is_linked_to_the_first(writer):
    first = store(writer, doc(BODY, "a.txt"))
    edited = BODY.replace("on Tuesday", "on Wednesday").replace("sharply", "steeply") + (
        " This story was first published by a partner outlet."
    )
    copy = store(writer, doc(edited, "b.txt"))
    writer.commit()
    assert copy.status == "near_duplicate"
    assert copy.near_of == first.id
    assert 0.5 <= copy.similarity < 1.0
    row = writer.conn.execute("SELECT near_duplicate_of FROM reports WHERE id = ?", (copy.id,)).fetchone()
    assert row[0] == first.id


def test_writer_copy_of_a_copy_links_to_the_original(writer):
    first = store(writer, doc(BODY, "a.txt"))
    store(writer, doc(BODY.replace("Tuesday", "Monday"), "b.txt"))
    third = store(writer, doc(BODY.replace("Tuesday", "Monday").replace("sugar", "salt"), "c.txt"))
    assert third.near_of == first.id


def test_writer_unrelated_report_on_the_same_subject_is_not_linked(writer):
    store(writer, doc(BODY, "a.txt"))
    other = (
        "Border guards near an invented village were replaced last month after a bribery case, "
        "according to a resident. The new unit checks identity papers at every bridge, and "
        "rice traders say that the market has been quiet since the spring. Smugglers moved "
        "diesel and phones less often, the resident added, because the penalties were raised."
    )
    assert store(writer, doc(other, "x.txt")).status == "stored"


def test_writer_stores_sentences_tags_and_captions(writer):
    d = doc(BODY, "a.txt", tags=("border", "rice"), captions=("A bridge (invented example)",))
    store(writer, d)
    writer.commit()
    c = writer.conn
    spans = c.execute('SELECT start, "end" FROM sentences WHERE report_id = ? ORDER BY idx', (d.id,)).fetchall()
    assert len(spans) == len(d.sentences) >= 5
    assert all(d.text[s:e].strip() == d.text[s:e] and d.text[s:e] for s, e in spans)
    assert {r[0] for r in c.execute("SELECT tag FROM report_tags")} == {"border", "rice"}
    assert c.execute("SELECT text FROM report_captions").fetchone()[0] == "A bridge (invented example)"


def test_writer_rollback_leaves_nothing_half_written(writer):
    store(writer, doc(BODY, "a.txt"))
    writer.rollback()
    c = writer.conn
    for table in ("reports", "sentences", "report_minhash", "minhash_bands", "report_sources"):
        assert c.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
    assert c.execute("SELECT count(*) FROM search_queue").fetchone()[0] == 0  # nothing to index
