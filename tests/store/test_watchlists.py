"""Watchlists: new hits reported once, marks advance, report-level lists, Atom and JSON feeds."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from borderwatch.commands.watch import watch
from borderwatch.ingest import ReadOptions
from borderwatch.jobs import ingest, reextract
from borderwatch.store import open_db
from borderwatch.store.watchfeeds import ATOM_NS, JSON_FEED_VERSION, watch_feed
from borderwatch.store.watchlists import (
    WatchError,
    WatchFilters,
    create_watchlist,
    delete_watchlist,
    describe,
    feed_token,
    feed_token_ok,
    get_watchlist,
    list_watchlists,
    new_feed_token,
    run_watchlists,
    update_watchlist,
)

# Invented reports.
HYESAN = ("Police in Hyesan arrested a dozen smugglers in a sweeping operation, according to a "
          "resident. Relatives were told to pay large sums to secure their release.")
SINUIJU = ("Security officials in Sinuiju launched a crackdown on smuggling gangs on August 3, "
           "arresting eleven traders, a source told the newsroom.")
HYESAN_2 = ("A crackdown in Hyesan has led to the arrest of many residents involved in "
            "cross-border dealing, a government source said. <script>alert(1)</script>")
MARKET = ("The price of rice in the Hoeryong market fell this week as new harvest grain arrived "
          "from the countryside, a trader said.")


@pytest.fixture
def conn(tmp_path):
    c = open_db(tmp_path / "bw.db")
    yield c
    c.close()


def _ingest(conn, tmp_path, name: str, body: str, published: str = "2022-08-05",
            outlet: str = "Daily NK") -> str:
    p = tmp_path / f"{name}.txt"
    p.write_text(body, encoding="utf-8")
    assert ingest(conn, [str(p)], ReadOptions(published=published, outlet=outlet)).failed == 0
    return conn.execute("SELECT id FROM reports ORDER BY pk DESC LIMIT 1").fetchone()[0]


def _hits(results, name):
    return next(r for r in results if r.name == name).hits


def test_watch_new_hits_only_once_and_marks_advance(conn, tmp_path):
    first = _ingest(conn, tmp_path, "a", HYESAN)
    _ingest(conn, tmp_path, "b", SINUIJU)
    wid = create_watchlist(conn, "hyesan arrests", WatchFilters(type="enforcement",
                                                                place="Hyesan"), "ana")
    hits = _hits(run_watchlists(conn, now="2022-08-06T00:00:00+00:00"), "hyesan arrests")
    assert {h.report_id for h in hits} == {first}
    assert all(h.type == "enforcement" and h.place == "Hyesan" and h.sentence for h in hits)
    w = get_watchlist(conn, wid)
    assert w.last_run_at == "2022-08-06T00:00:00+00:00"
    assert w.last_event_id == conn.execute("SELECT max(id) FROM events").fetchone()[0]
    assert w.last_report_pk == conn.execute("SELECT max(pk) FROM reports").fetchone()[0]

    assert _hits(run_watchlists(conn), "hyesan arrests") == []  # nothing new: nothing reported
    second = _ingest(conn, tmp_path, "c", HYESAN_2, published="2022-08-08")
    # the ingest ran the watchlists itself (issue 8): the new report is already a hit, and a
    # run now finds nothing more
    assert _hits(run_watchlists(conn), "hyesan arrests") == []
    found = {r[0] for r in conn.execute(
        "SELECT report_id FROM watch_hits WHERE watchlist_id = ?", (wid,))}
    assert found == {first, second}
    assert get_watchlist(conn, wid).hits > len(hits)


def test_watch_reextract_does_not_announce_again(conn, tmp_path):
    _ingest(conn, tmp_path, "a", HYESAN)
    create_watchlist(conn, "arrests", WatchFilters(type="enforcement"))
    assert _hits(run_watchlists(conn), "arrests")
    reextract(conn)
    assert _hits(run_watchlists(conn), "arrests") == []
    feed = json.loads(watch_feed(conn, "arrests", "json"))
    ids = {r[0] for r in conn.execute("SELECT id FROM events")}
    assert all(i["_borderwatch"]["event_id"] in ids for i in feed["items"])


def test_watch_query_only_watchlist_sees_reports(conn, tmp_path):
    _ingest(conn, tmp_path, "m", MARKET)
    create_watchlist(conn, "rice", WatchFilters(query="rice"))
    create_watchlist(conn, "rfa rice", WatchFilters(query="rice", outlet="RFA"))
    first = run_watchlists(conn)
    [hit] = _hits(first, "rice")
    assert hit.event_id is None and hit.type is None and "rice" in hit.sentence
    assert _hits(first, "rfa rice") == []
    rfa = _ingest(conn, tmp_path, "n", MARKET.replace("fell", "rose sharply"), outlet="RFA")
    # the ingest ran the watchlists (issue 8): both lists hold the new RFA report already
    for name in ("rice", "rfa rice"):
        wid = get_watchlist(conn, name).id
        assert rfa in {r[0] for r in conn.execute(
            "SELECT report_id FROM watch_hits WHERE watchlist_id = ?", (wid,))}
    assert _hits(run_watchlists(conn), "rice") == []


def test_watch_atom_feed_parses(conn, tmp_path):
    rid = _ingest(conn, tmp_path, "a", HYESAN_2)
    create_watchlist(conn, "arrests", WatchFilters(type="enforcement"))
    hits = _hits(run_watchlists(conn), "arrests")
    xml = watch_feed(conn, "arrests", "atom", base_url="http://example.test/bw/")
    root = ET.fromstring(xml)
    ns = {"a": ATOM_NS}
    assert root.tag == f"{{{ATOM_NS}}}feed"
    entries = root.findall("a:entry", ns)
    assert len(entries) == len(hits) > 0
    for e in entries:
        for tag in ("id", "title", "updated", "summary"):
            assert e.find(f"a:{tag}", ns).text
        href = e.find("a:link", ns).get("href")
        assert href.startswith(f"http://example.test/bw/reports/{rid}#event-")
    assert any("<script>" in e.find("a:summary", ns).text for e in entries)  # text, escaped
    assert "<script>" not in xml


def test_watch_json_feed_valid(conn, tmp_path):
    _ingest(conn, tmp_path, "a", HYESAN)
    _ingest(conn, tmp_path, "m", MARKET)
    create_watchlist(conn, "all rice", WatchFilters(query="rice OR arrested"))
    run_watchlists(conn)
    doc = json.loads(watch_feed(conn, "all rice", "json", limit=1))
    assert doc["version"] == JSON_FEED_VERSION and doc["title"]
    assert len(doc["items"]) == 1
    item = doc["items"][0]
    assert {"id", "url", "title", "content_text", "date_published"} <= set(item)
    assert item["url"].startswith("http://127.0.0.1:8000/reports/")
    with pytest.raises(WatchError):
        watch_feed(conn, "all rice", "rss")


@pytest.mark.parametrize("filters, error", [
    (WatchFilters(), "at least one filter"),
    (WatchFilters(query="AND OR"), "nothing to search for"),
])
def test_watch_refuses_bad_watchlists(conn, filters, error):
    with pytest.raises(WatchError, match=error):
        create_watchlist(conn, "x", filters)


@pytest.mark.parametrize("kwargs", [{"type": "weather"}, {"source_kind": "rumour"},
                                    {"topic": "sport"}, {"type": ["trade", "weather"]},
                                    {"since": "2024-13"}, {"since": "last week"}])
def test_watch_filters_refuse_unknown_values(kwargs):
    """A typo would make a watchlist that never matches: refuse it."""
    with pytest.raises(WatchError):
        WatchFilters(**kwargs)


def test_watch_duplicate_name_and_delete(conn):
    create_watchlist(conn, "x", WatchFilters(type="trade"))
    with pytest.raises(WatchError, match="exists"):
        create_watchlist(conn, "x", WatchFilters(type="price"))
    assert delete_watchlist(conn, "x") and not delete_watchlist(conn, "x")
    assert list_watchlists(conn) == []


def test_watch_cli(conn, tmp_path):
    _ingest(conn, tmp_path, "a", HYESAN)
    db = str(tmp_path / "bw.db")
    cli = CliRunner()

    def ok(*args):
        r = cli.invoke(watch, list(args))
        assert r.exit_code == 0, r.output
        return r.output

    ok("add", "hy", "--type", "enforcement", "--place", "Hyesan", "--db", db)
    assert "hy" in ok("list", "--db", db)
    out = ok("--db", db)  # no subcommand: run
    assert "hy: " in out and "Hyesan" in out
    assert json.loads(ok("run", "--json", "--db", db))[0]["hits"] == []
    ET.fromstring(ok("feed", "hy", "--db", db))
    assert json.loads(ok("feed", "hy", "--format", "json", "--db", db))["items"]
    ok("remove", "hy", "--db", db)
    bad = cli.invoke(watch, ["remove", "hy", "--db", db])
    assert bad.exit_code != 0 and "no watchlist" in bad.output
    missing = cli.invoke(watch, ["list", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code != 0 and "no database" in missing.output


def test_watch_query_reads_typed_text_as_the_search_box_does(conn, tmp_path):
    """A stray quote or a hyphen is text, not an FTS5 syntax error (issue 8: search)."""
    rid = _ingest(conn, tmp_path, "m", MARKET)
    create_watchlist(conn, "quote", WatchFilters(query='"rice'))
    create_watchlist(conn, "hyphen", WatchFilters(query="new-harvest"))
    results = run_watchlists(conn)
    assert [h.report_id for h in _hits(results, "quote")] == [rid]
    assert [h.report_id for h in _hits(results, "hyphen")] == [rid]


def test_watch_names_are_stored_as_ids_and_shown_in_words(conn):
    """'hyesan' and 'Rice' become the gazetteer's and goods list's ids; the words name them."""
    from borderwatch.serve.render import label

    wid = create_watchlist(conn, "w", WatchFilters(type=["smuggling", "enforcement"],
                                                   place="hyesan", commodity="Rice",
                                                   since="2024-01-01"))
    w = get_watchlist(conn, wid)
    assert w.filters.place == "place:hyesan" and w.filters.commodity == "commodity:rice"
    assert w.filters.type == ("smuggling", "enforcement")
    assert describe(conn, w.filters, label) == (
        "Smuggling or Enforcement at Hyesan, Ryanggang, since 2024-01-01, goods: rice")
    words = describe(conn, WatchFilters(query="coal", outlet="Daily NK", topic="human_rights"),
                     label)
    assert words == "Reports matching “coal”, outlet: Daily NK, topic: Human rights"
    words = describe(conn, WatchFilters(query="coal", source_kind="named_person"), label)
    assert words == "Any event, in reports matching “coal”, source: Named person"
    odd = describe(conn, WatchFilters(place="Nowhere-ri"), label)
    assert odd == "Any event at Nowhere-ri"


def test_watch_several_types_and_since(conn, tmp_path):
    """Types are 'any of'; since keeps events whose day (own date, else publication) is on or after it."""
    _ingest(conn, tmp_path, "a", HYESAN, published="2022-08-05")
    _ingest(conn, tmp_path, "b", HYESAN_2, published="2023-03-01")
    create_watchlist(conn, "both", WatchFilters(type=["enforcement", "remittance"]))
    create_watchlist(conn, "late", WatchFilters(type="enforcement", since="2023"))
    results = run_watchlists(conn)
    both = _hits(results, "both")
    assert {h.type for h in both} <= {"enforcement", "remittance"} and len(both) >= 2
    late = _hits(results, "late")
    assert late and all(h.date >= "2023" for h in late)
    assert len(late) < len([h for h in both if h.type == "enforcement"])


def test_watch_edit_runs_the_list_again_and_keeps_when_old_hits_were_found(conn, tmp_path):
    """New filters: hits become what they match over the whole store; a hit that still
    matches keeps its found time (a feed reader does not see it as new)."""
    a = _ingest(conn, tmp_path, "a", HYESAN)
    b = _ingest(conn, tmp_path, "b", SINUIJU)
    wid = create_watchlist(conn, "arrests", WatchFilters(type="enforcement", place="Hyesan"))
    run_watchlists(conn, now="2022-01-01T00:00:00+00:00")
    before = {r[0]: r[1] for r in conn.execute(
        "SELECT report_id, found_at FROM watch_hits WHERE watchlist_id = ?", (wid,))}
    assert set(before) == {a}
    w = update_watchlist(conn, wid, filters=WatchFilters(type="enforcement"),
                         now="2023-01-01T00:00:00+00:00")
    after = {}
    for rid, at in conn.execute("SELECT report_id, found_at FROM watch_hits"
                                " WHERE watchlist_id = ?", (wid,)):
        after.setdefault(rid, set()).add(at)
    assert set(after) == {a, b}
    assert after[a] == {"2022-01-01T00:00:00+00:00"} and after[b] == {"2023-01-01T00:00:00+00:00"}
    assert w.hits == conn.execute("SELECT count(*) FROM watch_hits WHERE watchlist_id = ?",
                                  (wid,)).fetchone()[0]
    # narrowing drops what no longer matches
    w = update_watchlist(conn, wid, name="sinuiju arrests",
                         filters=WatchFilters(type="enforcement", place="Sinuiju"))
    assert w.name == "sinuiju arrests" and w.filters.place == "place:sinuiju"
    assert {r[0] for r in conn.execute("SELECT report_id FROM watch_hits WHERE watchlist_id = ?",
                                       (wid,))} == {b}
    assert _hits(run_watchlists(conn), "sinuiju arrests") == []  # nothing announced twice


def test_watch_edit_refuses_what_create_refuses(conn):
    create_watchlist(conn, "a", WatchFilters(type="trade"))
    wid = create_watchlist(conn, "b", WatchFilters(type="price"))
    with pytest.raises(WatchError, match="exists"):
        update_watchlist(conn, wid, name="a")
    with pytest.raises(WatchError, match="at least one filter"):
        update_watchlist(conn, wid, filters=WatchFilters())
    with pytest.raises(WatchError, match="no watchlist"):
        update_watchlist(conn, 999, name="c")
    assert get_watchlist(conn, wid).name == "b"


def test_watch_feed_keys(conn):
    """Each list has its own key; a new key replaces the old; wrong, missing or foreign keys
    and missing lists all fail alike."""
    a = create_watchlist(conn, "a", WatchFilters(type="trade"))
    b = create_watchlist(conn, "b", WatchFilters(type="price"))
    ka, kb = feed_token(conn, a), feed_token(conn, b)
    assert len(ka) == 48 and ka != kb
    assert feed_token_ok(conn, a, ka) and not feed_token_ok(conn, a, kb)
    for bad in (None, "", "x" * 48, "é" * 10):
        assert not feed_token_ok(conn, a, bad)
    assert not feed_token_ok(conn, 999, ka)
    new = new_feed_token(conn, a)
    assert new != ka and feed_token_ok(conn, a, new) and not feed_token_ok(conn, a, ka)


def test_watch_migration_gives_old_lists_a_key(tmp_path):
    """A watchlist made before migration 0006 gets a random key of the same size."""
    import sqlite3

    from borderwatch.store.migrate import _statements, available_migrations, current_version

    path = tmp_path / "old.db"
    raw = sqlite3.connect(path, isolation_level=None)
    current_version(raw)
    for version, name, sql in available_migrations():
        if version >= 6:
            break
        for st in _statements(sql):
            raw.execute(st)
        raw.execute("INSERT INTO schema_migrations VALUES (?, ?, 'then')", (version, name))
    for n in ("one", "two"):
        raw.execute("INSERT INTO watchlists(name, filters, created_at) VALUES (?, '{\"type\": \"trade\"}', 'then')", (n,))
    raw.close()
    conn = open_db(path)
    keys = [feed_token(conn, n) for n in ("one", "two")]
    assert all(len(k) == 48 and int(k, 16) for k in keys) and keys[0] != keys[1]


def test_watch_cli_edit_and_token(conn, tmp_path):
    _ingest(conn, tmp_path, "a", HYESAN)
    _ingest(conn, tmp_path, "b", SINUIJU)
    db = str(tmp_path / "bw.db")
    cli = CliRunner()

    def ok(*args):
        r = cli.invoke(watch, list(args))
        assert r.exit_code == 0, r.output
        return r.output

    assert "Enforcement at Hyesan, Ryanggang" in ok("add", "hy", "--type", "enforcement",
                                                     "--place", "Hyesan", "--db", db)
    out = ok("edit", "hy", "--place", "Sinuiju", "--name", "sj", "--db", db)
    assert "'sj': Enforcement at Sinuiju, North Pyongan; hits" in out
    assert "Sinuiju, North Pyongan" in ok("list", "--db", db)
    key = feed_token(conn, "sj")
    urls = ok("token", "sj", "--db", db).split()
    assert urls[0].endswith(f".atom?token={key}") and urls[1].endswith(f".json?token={key}")
    assert key not in ok("token", "sj", "--new", "--db", db)
    bad = cli.invoke(watch, ["edit", "sj", "--since", "yesterday", "--db", db])
    assert bad.exit_code != 0 and "not a date" in bad.output
