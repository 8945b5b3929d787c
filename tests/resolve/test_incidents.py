"""Incidents: four outlets' reports of one crackdown are one incident; pins survive rebuilds."""

from __future__ import annotations

import json

import pytest

from borderwatch.ingest import ReadOptions
from borderwatch.jobs import ingest, reextract
from borderwatch.store import open_db
from borderwatch.store.incidents import (
    IncidentError,
    incident_counts_by_period,
    incident_counts_by_place,
    incident_counts_by_type,
    incident_detail,
    list_incidents,
    merge_incidents,
    rebuild_incidents,
    split_incident,
)

# Invented reports. Each tells of an arrest campaign; {place} is filled in per case.
CRACKDOWN = {
    "a": "Security officials in {place} launched a crackdown on smuggling gangs on {day}, "
         "arresting eleven traders, a source told the newsroom. The traders were held at a local "
         "detention centre while inspectors searched their homes for hidden goods and cash.",
    "b": "Police in {place} arrested a dozen smugglers in a sweeping operation, according to a "
         "resident. Relatives were told to pay large sums to secure their release, and several "
         "families sold furniture to raise the money.",
    "c": "Authorities in {place} detained several traders accused of moving goods across the "
         "river, a person familiar with the matter said. Market activity in the city slowed "
         "sharply after the detentions became known.",
    "d": "A crackdown in {place} has led to the arrest of many residents involved in cross-border "
         "dealing, a government source said. Officials were also sent from the capital to "
         "supervise the inspections.",
}
OUTLETS = {"a": "Daily NK", "b": "RFA", "c": "NK News", "d": "Yonhap"}
# A longer invented report and its lightly edited syndicated copy (a near-duplicate).
LONG = (
    "Police in {place} arrested a group of traders who had been moving sugar, diesel and mobile "
    "phones across the river at night, a source in the province told the newsroom this week. "
    "The traders were taken to the provincial security office, where they were questioned for "
    "several days about their contacts on the other side of the river. Their families were "
    "told to bring money and food to the office while the questioning went on. People in the "
    "market say that brokers now charge twice as much for each crossing and that few are "
    "willing to take the risk while patrols continue along the riverbank every evening. "
    "Officials have not commented on the arrests, and local residents say the {tail}."
)


def _ingest(conn, tmp_path, name: str, body: str, published: str, outlet: str) -> str:
    """Store one invented report; return its id."""
    p = tmp_path / f"{name}.txt"
    p.write_text(body, encoding="utf-8")
    ingest(conn, [str(p)], ReadOptions(published=published, outlet=outlet))
    return conn.execute("SELECT id FROM reports ORDER BY pk DESC LIMIT 1").fetchone()[0]


@pytest.fixture
def conn(tmp_path):
    c = open_db(tmp_path / "bw.db")
    yield c
    c.close()


def _four(conn, tmp_path, place="Hyesan", start_day=5):
    for i, k in enumerate("abcd"):
        body = CRACKDOWN[k].format(place=place, day=f"August {start_day - 2}")
        _ingest(conn, tmp_path, f"{place}-{k}", body, f"2022-08-{start_day + i:02d}", OUTLETS[k])


def _enforcement(conn, place_id="place:hyesan"):
    return [r for r in list_incidents(conn, type="enforcement", limit=1000)[1]
            if r["place_id"] == place_id]


def test_incidents_four_outlets_one_crackdown(conn, tmp_path):
    _four(conn, tmp_path)
    rebuild_incidents(conn)
    [inc] = _enforcement(conn)
    assert (inc["reports"], inc["sources"]) == (4, 4)
    assert inc["key"] == "enforcement|place:hyesan|2022-08-03"
    assert inc["place_name"] == "Hyesan"
    detail = incident_detail(conn, inc["id"])
    assert {r["id"] for r in detail["reports"]} == {
        r[0] for r in conn.execute("SELECT id FROM reports")}
    assert all(e["sentence"] and e["type"] == "enforcement" for e in detail["events"])
    assert {a["kind"] for a in detail["attributions"]} >= {"anonymous"}


def test_incidents_near_duplicate_counts_once(conn, tmp_path):
    first = _ingest(conn, tmp_path, "orig", LONG.format(place="Hyesan", tail="arrests continue"),
                    "2022-08-05", "Daily NK")
    copy = _ingest(conn, tmp_path, "copy", LONG.format(place="Hyesan", tail="arrests go on"),
                   "2022-08-06", "Aggregator")
    assert conn.execute("SELECT near_duplicate_of FROM reports WHERE id = ?",
                        (copy,)).fetchone()[0] == first
    rebuild_incidents(conn)
    [inc] = _enforcement(conn)
    assert (inc["reports"], inc["sources"]) == (2, 1)


@pytest.mark.parametrize("place2, day2, at_hyesan, total", [
    ("Sinuiju", 6, 1, 2),    # another place: its own incident
    ("Hyesan", 25, 2, 2),    # 20 days later: a new incident at the same place
    ("Hyesan", 9, 1, 1),     # within the window: the same incident
])
def test_incidents_place_and_window_separate(conn, tmp_path, place2, day2, at_hyesan, total):
    _ingest(conn, tmp_path, "x", CRACKDOWN["b"].format(place="Hyesan"), "2022-08-05", "RFA")
    _ingest(conn, tmp_path, "y", CRACKDOWN["a"].format(place=place2, day=f"August {day2}"),
            f"2022-08-{day2 + 1:02d}", "Daily NK")
    rebuild_incidents(conn)
    assert len(_enforcement(conn)) == at_hyesan
    assert list_incidents(conn, type="enforcement")[0] == total


@pytest.mark.parametrize("window, expected", [(7, 2), (14, 1), (0, 2)])
def test_incidents_window_configurable(conn, tmp_path, window, expected):
    _ingest(conn, tmp_path, "x", CRACKDOWN["b"].format(place="Hyesan"), "2022-08-01", "RFA")
    _ingest(conn, tmp_path, "y", CRACKDOWN["d"].format(place="Hyesan"), "2022-08-11", "Yonhap")
    rebuild_incidents(conn, window_days=window)
    assert len(_enforcement(conn)) == expected


def test_incidents_rebuild_idempotent_and_keeps_ids(conn, tmp_path):
    _four(conn, tmp_path)
    n = rebuild_incidents(conn)
    before = list_incidents(conn, limit=1000)[1]
    assert rebuild_incidents(conn) == n
    assert list_incidents(conn, limit=1000)[1] == before
    assert conn.execute("SELECT count(*) FROM incident_events").fetchone()[0] == \
        sum(i["events"] for i in before)


def test_incidents_split_and_merge_survive_rebuild_and_reextract(conn, tmp_path):
    _four(conn, tmp_path)
    rebuild_incidents(conn)
    [inc] = _enforcement(conn)
    detail = incident_detail(conn, inc["id"])
    rid_d = conn.execute("SELECT id FROM reports WHERE outlet = 'Yonhap'").fetchone()[0]
    moved = [e["id"] for e in detail["events"] if e["report_id"] == rid_d]
    key = split_incident(conn, inc["id"], moved, "ana")
    assert key.startswith("pin:")

    def shape():
        return sorted((i["reports"], i["pinned"]) for i in _enforcement(conn))

    assert shape() == [(1, True), (3, False)]
    review = conn.execute("SELECT * FROM reviews WHERE fact_table = 'incidents'").fetchone()
    assert (review["action"], review["user"]) == ("split", "ana")
    assert len(json.loads(review["before"])["events"]) == inc["events"]
    rebuild_incidents(conn)
    reextract(conn)
    rebuild_incidents(conn)
    assert shape() == [(1, True), (3, False)]

    merged = merge_incidents(conn, [i["id"] for i in _enforcement(conn)], "bob")
    reextract(conn)
    rebuild_incidents(conn)
    [one] = _enforcement(conn)
    assert (one["key"], one["reports"], one["pinned"]) == (merged, 4, True)
    assert [r[0] for r in conn.execute(
        "SELECT action FROM reviews WHERE fact_table = 'incidents' ORDER BY id")] == ["split", "merge"]


@pytest.mark.parametrize("bad", [[], [999_999]])
def test_incidents_split_refuses_foreign_events(conn, tmp_path, bad):
    _four(conn, tmp_path)
    rebuild_incidents(conn)
    [inc] = _enforcement(conn)
    with pytest.raises(IncidentError):
        split_incident(conn, inc["id"], bad, "ana")


def test_incidents_merge_refuses_mixed_types(conn, tmp_path):
    _four(conn, tmp_path)
    _ingest(conn, tmp_path, "s", "Smugglers in Hyesan moved copper wire across the river at "
            "night, a trader said.", "2022-08-06", "RFA")
    rebuild_incidents(conn)
    ids = [i["id"] for i in list_incidents(conn, limit=100)[1]]
    types = {i["type"] for i in list_incidents(conn, limit=100)[1]}
    assert len(types) > 1
    with pytest.raises(IncidentError):
        merge_incidents(conn, ids, "ana")


def test_incidents_counts(conn, tmp_path):
    _four(conn, tmp_path)
    _four(conn, tmp_path, place="Sinuiju", start_day=20)
    rebuild_incidents(conn)
    by_type = {r["type"]: r for r in incident_counts_by_type(conn)}
    assert by_type["enforcement"]["incidents"] == 2
    assert by_type["enforcement"]["sources"] == 8
    only_late = {r["type"]: r for r in incident_counts_by_type(conn, since="2022-08-15")}
    assert only_late["enforcement"]["incidents"] == 1
    places = {p["place_id"]: p for p in incident_counts_by_place(conn)}
    assert places["place:hyesan"]["dominant_type"] == "enforcement"
    assert places["place:sinuiju"]["lat"] == pytest.approx(40.1, abs=0.5)
    weeks = [r for r in incident_counts_by_period(conn, "week") if r["type"] == "enforcement"]
    assert [r["period"] for r in weeks] == ["2022-08-01", "2022-08-15"]
    months = [r for r in incident_counts_by_period(conn, "month") if r["type"] == "enforcement"]
    assert [(r["period"], r["incidents"]) for r in months] == [("2022-08-01", 2)]
    with pytest.raises(ValueError):
        incident_counts_by_period(conn, "fortnight")


# Invented report (issue 8): one missile launch told in the headline, the lead and a
# back-reference, with a city, a sea and a river named around it.
ONE_LAUNCH = (
    "North Korea fires ballistic missile into East Sea\n\n"
    "SEOUL, March 3 (Yonhap) -- North Korea fired a short-range ballistic missile from near "
    "Pyongyang into the East Sea on Monday, South Korea's Joint Chiefs of Staff said. The missile "
    "flew about 600 kilometers before landing in the sea. The launch was the third this year. A "
    "resident near the Yalu River said he had heard rumours of another launch site being prepared.\n"
)


def test_incidents_one_launch_is_one_incident_at_its_most_specific_place(tmp_path):
    src = tmp_path / "launch.txt"
    src.write_text(ONE_LAUNCH)
    conn = open_db(tmp_path / "x.db")
    ingest(conn, [str(src)], ReadOptions(published="2025-03-03"))
    military = [r for r in incident_counts_by_type(conn) if r["type"] == "military"]
    assert [r["incidents"] for r in military] == [1]
    _, rows = list_incidents(conn, type="military")
    assert rows[0]["place_name"] == "Pyongyang"
