"""Exports: CSV, JSON Lines, GeoJSON and FollowTheMoney over a store of the invented samples."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections import Counter
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from followthemoney import model

from borderwatch.commands.export import export as export_command
from borderwatch.export import FORMATS, event_records, export
from borderwatch.export.csv_export import HEADER, _cell
from borderwatch.export.ftm import FtmBuilder, write_ftm
from borderwatch.export.geojson import feature_collection
from borderwatch.extract.places import place_data
from borderwatch.ingest import ReadOptions
from borderwatch.jobs import ingest
from borderwatch.store import open_db
from borderwatch.store.facts import FactFilters, query_events

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "reports"
DANDONG = "dandong_customs_crackdown.txt"


@pytest.fixture(scope="module")
def base_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding every invented sample report, built once for the module."""
    path = tmp_path_factory.mktemp("export") / "base.db"
    conn = open_db(path)
    summary = ingest(conn, [str(EXAMPLES)], ReadOptions())
    assert summary.stored >= 10 and summary.failed == 0
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


@pytest.fixture
def conn(base_db: Path, tmp_path: Path) -> sqlite3.Connection:
    """A private copy of the store, so a test may review facts without touching the others."""
    src = sqlite3.connect(base_db)
    path = tmp_path / "copy.db"
    dst = sqlite3.connect(path)
    src.backup(dst)
    src.close()
    dst.close()
    c = open_db(path, create=False)
    yield c
    c.close()


def _export(conn: sqlite3.Connection, fmt: str, **kw) -> tuple[int, str]:
    """Run an export into a string."""
    buf = io.StringIO()
    n = export(conn, fmt, buf, **kw)
    return n, buf.getvalue()


def _visible(conn: sqlite3.Connection) -> int:
    """Events an export may show: all but the rejected ones."""
    return conn.execute("SELECT count(*) FROM events WHERE coalesce(review, '') <> 'rejected'"
                        ).fetchone()[0]


def _event_id(conn: sqlite3.Connection, source: str, type_: str, place: str) -> int:
    """The first event of `type_` at `place` in the report read from `source`."""
    row = conn.execute("SELECT e.id FROM events e JOIN reports r ON r.id = e.report_id"
                       " JOIN event_entities ee ON ee.event_id = e.id"
                       " WHERE r.source LIKE '%/' || ? AND e.type = ? AND ee.entity_id = ?"
                       " ORDER BY e.start LIMIT 1", (source, type_, place)).fetchone()
    assert row is not None, (source, type_, place)
    return row[0]


def _confiscation(conn: sqlite3.Connection) -> int:
    """The invented Dandong report's fine on a Donggang trader caught with squid."""
    return _event_id(conn, DANDONG, "enforcement", "place:donggang")


def _reject(conn: sqlite3.Connection, event_id: int) -> None:
    conn.execute("UPDATE events SET review = 'rejected' WHERE id = ?", (event_id,))


# --- CSV -------------------------------------------------------------------------------------


def test_csv_one_row_per_visible_event_and_never_a_rejected_one(conn: sqlite3.Connection) -> None:
    rejected = _event_id(conn, DANDONG, "border_tightening", "place:dandong")
    _reject(conn, rejected)
    n, text = _export(conn, "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert n == len(rows) == _visible(conn) > 100
    assert tuple(next(csv.reader(io.StringIO(text)))) == HEADER
    assert str(rejected) not in {r["event_id"] for r in rows}


def test_csv_row_carries_places_goods_and_money(conn: sqlite3.Connection) -> None:
    eid = _confiscation(conn)
    rows = {r["event_id"]: r for r in csv.DictReader(io.StringIO(_export(conn, "csv")[1]))}
    row = rows[str(eid)]
    assert row["type"] == "enforcement"
    assert row["place_names"] == "Donggang" and row["place_coordinates"] == "39.86,124.15"
    assert row["commodities"] == "squid" and row["commodity_hs"] == "03"
    assert row["commodity_un_sanctions"] == "export_ban"
    assert "RMB 200,000" in row["amounts"].split("; ") and "CNY" in row["amount_currency"]
    assert row["attribution_kind"] == "anonymous" and row["negated"] == "0"


def test_csv_lists_join_with_semicolons(conn: sqlite3.Connection) -> None:
    rows = list(csv.DictReader(io.StringIO(_export(conn, "csv")[1])))
    multi = [r for r in rows if "; " in r["place_ids"]]
    assert multi
    for r in multi:
        assert len(r["place_ids"].split("; ")) == len(r["place_names"].split("; "))


@pytest.mark.parametrize("value, cell", [
    ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
    ("+1", "'+1"),
    ("-2 traders", "'-2 traders"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("Sinuiju", "Sinuiju"),
    (None, ""),
    (3, 3),
    (-3.5, -3.5),
])
def test_csv_cell_defuses_formulas(value: object, cell: object) -> None:
    assert _cell(value) == cell


# --- JSON Lines ------------------------------------------------------------------------------


def test_jsonl_objects_nest_facts_with_valid_offsets(conn: sqlite3.Connection) -> None:
    n, text = _export(conn, "jsonl")
    lines = [json.loads(line) for line in text.splitlines()]
    assert n == len(lines) == _visible(conn)
    texts = dict(conn.execute("SELECT id, text FROM reports").fetchall())
    checked = 0
    for ev in lines:
        body = texts[ev["report"]["id"]]
        assert body[ev["start"]:ev["end"]] == ev["trigger"]
        assert ev["trigger"] in ev["sentence"]
        facts = ev["places"] + ev["commodities"] + ev["amounts"] + ev["actors"]
        facts += [ev["attribution"]] if ev["attribution"] else []
        for f in facts:
            assert body[f["start"]:f["end"]] == f["text"], f
            checked += 1
    assert checked > 200


def test_jsonl_known_event_has_its_place_goods_and_amount(conn: sqlite3.Connection) -> None:
    eid = _confiscation(conn)
    ev = next(json.loads(x) for x in _export(conn, "jsonl")[1].splitlines()
              if json.loads(x)["id"] == eid)
    assert [p["name"] for p in ev["places"]] == ["Donggang"]
    assert ev["places"][0]["country"] == "CN" and ev["places"][0]["lat"] == 39.86
    assert ev["commodities"][0]["un_sanctions"]["export_ban"] is True
    money = [a for a in ev["amounts"] if a["currency"] == "CNY"]
    assert money and money[0]["min"] == 200000
    assert ev["report"]["source"].endswith(DANDONG) and ev["review"] is None


def test_rejected_place_mention_is_not_exported(conn: sqlite3.Connection) -> None:
    eid = _confiscation(conn)
    conn.execute("UPDATE mentions SET review = 'rejected' WHERE entity_id = 'place:donggang'")
    rec = next(r for r in event_records(conn) if r.id == eid)
    # No mention left to point at: the gazetteer row stands in, without text.
    assert [(p.id, p.text, p.rule) for p in rec.places] == [
        ("place:donggang", "", "export.gazetteer")]


def test_records_follow_the_events_table_order_and_page(conn: sqlite3.Connection) -> None:
    total, rows = query_events(conn, FactFilters(), limit=10_000)
    ids = [r.id for r in event_records(conn)]
    assert ids == [r["id"] for r in rows] and len(ids) == total
    assert [r.id for r in event_records(conn, limit=7, offset=5)] == ids[5:12]


# --- filters and review ----------------------------------------------------------------------


@pytest.mark.parametrize("filters, holds", [
    (FactFilters(type="smuggling"), lambda r: r.type == "smuggling"),
    (FactFilters(place="Sinuiju"), lambda r: "place:sinuiju" in {p.id for p in r.places}),
    (FactFilters(place="place:dandong"), lambda r: "place:dandong" in {p.id for p in r.places}),
    (FactFilters(commodity="squid"), lambda r: "commodity:squid" in {c.id for c in r.commodities}),
    (FactFilters(source_kind="anonymous"), lambda r: r.attribution.kind == "anonymous"),
    (FactFilters(source_kind="none"), lambda r: r.attribution is None),
    (FactFilters(since="2024-01-01"), lambda r: r.day >= "2024-01-01"),
    (FactFilters(until="2023-12"), lambda r: r.day[:7] <= "2023-12"),
    (FactFilters(include_negated=False), lambda r: not r.negated),
])
def test_filters_narrow_every_format(conn: sqlite3.Connection, filters: FactFilters,
                                     holds) -> None:
    recs = list(event_records(conn, filters))
    assert 0 < len(recs) < _visible(conn)
    assert all(holds(r) for r in recs)
    assert query_events(conn, filters, limit=1)[0] == len(recs)
    assert _export(conn, "jsonl", filters=filters)[0] == len(recs)
    assert _export(conn, "csv", filters=filters)[0] == len(recs)


@pytest.mark.parametrize("review, kept", [("accepted", True), ("corrected", True),
                                          ("rejected", False)])
def test_reviewed_only_keeps_exactly_the_reviewed_event(conn: sqlite3.Connection, review: str,
                                                        kept: bool) -> None:
    eid = _confiscation(conn)
    conn.execute("UPDATE events SET review = ? WHERE id = ?", (review, eid))
    n, text = _export(conn, "jsonl", reviewed_only=True)
    assert [json.loads(x)["id"] for x in text.splitlines()] == ([eid] if kept else [])
    assert n == (1 if kept else 0)


def test_reviewed_only_keeps_analyst_events(conn: sqlite3.Connection) -> None:
    eid = _event_id(conn, DANDONG, "border_tightening", "place:dandong")
    conn.execute("UPDATE events SET origin = 'analyst' WHERE id = ?", (eid,))
    assert [r.id for r in event_records(conn, reviewed_only=True)] == [eid]


def test_export_refuses_unknown_format(conn: sqlite3.Connection) -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        export(conn, "xlsx", io.StringIO())


# --- GeoJSON ---------------------------------------------------------------------------------


def test_geojson_places_have_gazetteer_points_and_counts_add_up(conn: sqlite3.Connection) -> None:
    n, text = _export(conn, "geojson")
    fc = json.loads(text)
    assert fc["type"] == "FeatureCollection" and n == len(fc["features"]) > 10
    gaz = place_data().places
    for f in fc["features"]:
        lon, lat = f["geometry"]["coordinates"]
        p = f["properties"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert (lat, lon) == (gaz[p["id"]].lat, gaz[p["id"]].lon)
        assert sum(p["by_type"].values()) == p["events"] >= 1
        assert p["by_type"][p["dominant_type"]] == max(p["by_type"].values())
        assert 1 <= p["reports"] <= p["events"]
    place_ids = {p.id for r in event_records(conn) for p in r.places}
    assert len(fc["features"]) + fc["skipped_places"] == len(place_ids)


def test_geojson_counts_match_the_store(conn: sqlite3.Connection) -> None:
    fc = json.loads(_export(conn, "geojson")[1])
    props = {f["properties"]["id"]: f["properties"] for f in fc["features"]}
    events, reports = conn.execute(
        "SELECT count(DISTINCT e.id), count(DISTINCT e.report_id) FROM events e"
        " JOIN event_entities ee ON ee.event_id = e.id WHERE ee.entity_id = 'place:sinuiju'"
        " AND coalesce(e.review, '') <> 'rejected'").fetchone()
    assert (props["place:sinuiju"]["events"], props["place:sinuiju"]["reports"]) == (events, reports)
    assert props["place:sinuiju"]["name"] == "Sinuiju" and props["place:sinuiju"]["country"] == "KP"


def test_geojson_leaves_out_places_without_coordinates(conn: sqlite3.Connection) -> None:
    enforcement = FactFilters(type="enforcement")
    before = feature_collection(event_records(conn, enforcement))
    eid = _confiscation(conn)
    conn.execute("UPDATE events SET facts = json_set(facts, '$.places', json('[\"place:nowhere\"]'))"
                 " WHERE id = ?", (eid,))
    after = feature_collection(event_records(conn, enforcement))
    assert "place:nowhere" not in {f["id"] for f in after["features"]}
    assert after["skipped_places"] == before["skipped_places"] + 1


# --- FollowTheMoney --------------------------------------------------------------------------


def test_ftm_entities_round_trip_and_validate(conn: sqlite3.Connection) -> None:
    builder = FtmBuilder()
    buf = io.StringIO()
    n = write_ftm(event_records(conn), buf, builder)
    ents = [json.loads(x) for x in buf.getvalue().splitlines()]
    assert n == len(ents) and builder.dropped == []
    ids = [e["id"] for e in ents]
    assert len(ids) == len(set(ids))
    for d in ents:
        proxy = model.get_proxy(d)
        assert proxy.to_dict() == d
        assert proxy.schema.validate(d) is None
        for prop, values in d["properties"].items():  # every value is a clean value of its type
            t = proxy.schema.get(prop).type
            assert [t.clean(v) for v in values] == values, (d["schema"], prop)
    kinds = Counter(e["schema"] for e in ents)
    assert kinds["Event"] == _visible(conn)
    assert kinds["Article"] == conn.execute("SELECT count(DISTINCT report_id) FROM events").fetchone()[0]
    assert kinds["Address"] > 10 and kinds["Organization"] >= 1 and kinds["Person"] >= 1
    known = set(ids)
    for d in ents:  # every reference points at an emitted entity
        for prop in ("addressEntity", "involved", "proof"):
            assert set(d["properties"].get(prop, [])) <= known, (d["id"], prop)


def test_ftm_event_links_place_and_report(conn: sqlite3.Connection) -> None:
    ents = [json.loads(x) for x in _export(conn, "ftm", filters=FactFilters(commodity="squid"))[1]
            .splitlines()]
    by_id = {e["id"]: e for e in ents}
    event = next(e for e in ents if e["schema"] == "Event"
                 and e["properties"]["name"][0].startswith("enforcement"))
    props = event["properties"]
    assert props["name"] == ["enforcement: Donggang"] and props["country"] == ["cn"]
    assert "squid" in props["keywords"] and "RMB 200,000" in props["description"][0]
    place = by_id[props["addressEntity"][0]]
    assert place["schema"] == "Address" and place["properties"]["latitude"] == ["39.86"]
    assert by_id[props["proof"][0]]["schema"] == "Article"


def test_ftm_ids_are_stable_across_exports(conn: sqlite3.Connection) -> None:
    assert _export(conn, "ftm")[1] == _export(conn, "ftm")[1]


@pytest.mark.parametrize("prop, value", [("date", "last spring"), ("sourceUrl", "not a url at all"),
                                         ("country", "Atlantis")])
def test_ftm_refused_value_is_recorded_not_lost(prop: str, value: str) -> None:
    builder = FtmBuilder()
    entity = model.make_entity("Event")
    entity.make_id("test")
    builder.put(entity, prop, value)
    assert builder.dropped == [("Event", entity.id, prop, value)]
    with pytest.raises(KeyError):
        builder.put(entity, "noSuchProperty", "x")


# --- the click command -----------------------------------------------------------------------


@pytest.fixture
def cli() -> click.Group:
    """A throwaway group holding the command, as the main CLI will."""
    group = click.Group()
    group.add_command(export_command)
    return group


@pytest.mark.parametrize("fmt", FORMATS)
def test_command_writes_file_and_reports_count(cli: click.Group, base_db: Path, tmp_path: Path,
                                               fmt: str) -> None:
    out = tmp_path / f"events.{fmt}"
    r = CliRunner().invoke(cli, ["export", "--format", fmt, "--type", "smuggling", "-o", str(out),
                                 "--db", str(base_db)])
    assert r.exit_code == 0, r.output
    n = int(r.stderr.split()[1])
    assert r.stderr.strip() == f"wrote {n} records to {out}" and n > 0
    body = out.read_text(encoding="utf-8")
    lines = body.splitlines()
    if fmt == "geojson":
        assert n == len(json.loads(body)["features"])
    else:
        assert n == len(lines) - (fmt == "csv")
    assert not list(tmp_path.glob("*.part"))


def test_command_writes_stdout_with_filters(cli: click.Group, base_db: Path) -> None:
    r = CliRunner().invoke(cli, ["export", "--format", "jsonl", "--place", "Sinuiju",
                                 "--reviewed-only", "-o", "-", "--db", str(base_db)])
    assert r.exit_code == 0 and r.stdout == "" and r.stderr.strip() == "wrote 0 records to stdout"
    r = CliRunner().invoke(cli, ["export", "--format", "jsonl", "--place", "Sinuiju",
                                 "--source-kind", "anonymous", "-o", "-", "--db", str(base_db)])
    events = [json.loads(x) for x in r.stdout.splitlines()]
    assert r.exit_code == 0 and events
    assert all("place:sinuiju" in {p["id"] for p in e["places"]} for e in events)
    assert all(e["attribution"]["kind"] == "anonymous" for e in events)


@pytest.mark.parametrize("args, code, message", [
    (["--format", "csv", "-o", "-", "--db", "{tmp}/missing.db"], 1, "no database at"),
    (["--format", "xlsx", "-o", "-"], 2, "Invalid value for '--format'"),
    (["--format", "csv", "--type", "picnic", "-o", "-"], 2, "Invalid value for '--type'"),
    (["--format", "csv"], 2, "Missing option '-o'"),
])
def test_command_errors(cli: click.Group, tmp_path: Path, args: list[str], code: int,
                        message: str) -> None:
    r = CliRunner().invoke(cli, ["export", *[a.format(tmp=tmp_path) for a in args]])
    assert r.exit_code == code and message in r.stderr


def test_a_part_file_left_by_a_killed_export_is_removed_by_the_next(cli: click.Group, base_db: Path,
                                                                     tmp_path: Path) -> None:
    """kill -9 skips the clean-up of the temporary file (issue 9): the next export to the same
    file removes one whose process is gone."""
    import os
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    out = tmp_path / "events.csv"
    stale = tmp_path / f".events.csv.{dead}.part"
    stale.write_text("half a file")
    r = CliRunner().invoke(cli, ["export", "--format", "csv", "-o", str(out), "--db", str(base_db)])
    assert r.exit_code == 0, r.output
    assert out.exists() and not stale.exists()
    assert not list(tmp_path.glob(f".events.csv.{os.getpid()}.part"))  # its own is gone too


def test_ftm_without_its_extra_says_how_to_install_it_and_writes_nothing(
        cli: click.Group, base_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "followthemoney" else real(name, *a))
    out = tmp_path / "entities.ftm.json"
    r = CliRunner().invoke(cli, ["export", "--format", "ftm", "-o", str(out), "--db", str(base_db)])
    assert r.exit_code == 1 and "pip install 'borderwatch[ftm]'" in r.stderr
    assert not out.exists() and not list(tmp_path.glob("*.part"))
    r = CliRunner().invoke(cli, ["export", "--format", "csv", "-o", str(out), "--db", str(base_db)])
    assert r.exit_code == 0  # the other formats need nothing more
