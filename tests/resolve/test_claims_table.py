"""Claims derived when facts are written (migration 0010, store/claim_table.py) are exactly the
claims the per-request code found (tests/resolve/claims_before.py, a frozen copy of it): the same
claims, groups, counts, collisions, order and pages, for every filter and sort, on the sample
store and on a synthetic one rich in claims (tests/resolve/claimstore.py), also after rejections,
corrections, added events, report edits, undos and a re-extraction. A store from before the
table is filled once, resumably, on first use. All report texts are invented.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from borderwatch.jobs import edit_details, reextract, undo
from borderwatch.store import claims as new
from borderwatch.store import open_db
from borderwatch.store.claim_table import claims_ready, ensure_claims
from borderwatch.store.review import ReviewConflict, add_event, correct_amount, correct_event, review_fact

from . import claims_before as old
from . import claimstore

pytestmark = pytest.mark.slow  # builds whole stores: out of `make test-fast`

F = new.ClaimFilters
GROUP_KEYS = ("subject", "period", "ord", "claims", "authorities", "sources", "collision",
              "newest", "colliding")


def _filters(conn: sqlite3.Connection) -> list[new.ClaimFilters]:
    """Every kind of filter, with values the store holds."""
    place = conn.execute("SELECT place FROM claim_places GROUP BY place ORDER BY count(*) DESC,"
                         " place LIMIT 1").fetchone()[0]
    name = conn.execute("SELECT name FROM mentions WHERE entity_id = ?", (place,)).fetchone()[0]
    months = [r[0] for r in conn.execute("SELECT DISTINCT period FROM claims WHERE period IS NOT"
                                         " NULL ORDER BY period")]
    mid = months[len(months) // 2]
    out = [F(), F(undated=True), F(place=place), F(place=name.upper()), F(since=mid),
           F(until=mid), F(since=months[0], until=mid), F(since=mid, until=mid),
           F(since=f"{mid}-10", until=f"{months[-1]}-20"), F(since=mid[:4]), F(until="2022"),
           F(since="2022", until="2022"), F(colliding=True), F(colliding=False), F(no_day=True),
           F(subject="epidemic", side="sources", place=place, since=months[0], until=mid)]
    out += [F(subject=s.key) for s in new.claim_rules().subjects]
    out += [F(side=s) for s in new.SIDES] + [F(side="authorities", since=mid, until=mid)]
    return out


def _pages(total: int, per: int) -> list[int]:
    """Offsets of the first, second, a middle and the last two pages (and one past the end)."""
    last = max(0, (total - 1) // per * per)
    return sorted({0, per, total // 2 // per * per, max(0, last - per), last, last + per})


def assert_same_claims(conn: sqlite3.Connection, every_sort: bool = True) -> int:
    """The stored claims give what the per-request code gives; return the claims compared.
    Each filter is compared in the default orders; the whole store, a place, a period and a
    side in every order too (`every_sort`)."""
    compared = 0
    filters = _filters(conn)
    for n, f in enumerate(filters):
        of = old.ClaimFilters(**{k: getattr(f, k) for k in f.__slots__})
        full = every_sort and n in (0, 2, 6, len(filters) - 1)
        want_groups = old.group_index(conn, of)
        got_groups = new.group_index(conn, f)
        assert ([{k: g[k] for k in GROUP_KEYS} for g in got_groups]
                == [{k: g[k] for k in GROUP_KEYS} for g in want_groups]), f
        assert new.count_claims(conn, f) == old.count_claims(conn, of), f
        for key in new.GROUP_SORT.columns if full else ():
            for order in ("asc", "desc"):
                got = [{k: g[k] for k in GROUP_KEYS} for g in new.group_index(conn, f, key, order)]
                want = [{k: g[k] for k in GROUP_KEYS} for g in old.group_index(conn, of, key, order)]
                assert got == want, (f, key, order)
        for sort, order, only, shown in ((None, None, False, new.SHOWN_PER_SIDE),
                                         ("period", "desc", True, new.SHOWN_PER_SIDE),
                                         ("claims", "asc", False, None))[:3 if full else 2]:
            for offset in _pages(len(got_groups), 4):
                got = new.claim_group_page(conn, f, sort, order, 4, offset, shown, only)
                assert got == old.claim_group_page(conn, of, sort, order, 4, offset, shown, only), (
                    f, sort, offset)
        for key in new.CLAIM_SORT.columns if full else ("collision", "date"):
            for order in ("asc", "desc"):
                whole = list(new.iter_claims(conn, f, key, order))
                assert whole == list(old.iter_claims(conn, of, key, order)), (f, key, order)
                compared += len(whole)
                if f.colliding is None and key in ("collision", "date", "holder"):
                    for offset in _pages(len(whole), 9):
                        total, page = new.claim_page(conn, f, key, order, 9, offset)
                        assert (total, page) == (len(whole), whole[offset:offset + 9]), (
                            f, key, order, offset)
    for since, until in ((None, None), ("2023-03", "2023-05"), ("2023-02-10", "2023-04-20")):
        assert new.newest_collisions(conn, 5, since, until) == old.newest_collisions(conn, 5, since, until)
    return compared


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    return claimstore.build(tmp_path_factory.mktemp("claims"))


@pytest.fixture
def conn(synthetic, tmp_path):
    db = tmp_path / "copy.db"
    shutil.copy(synthetic, db)
    c = open_db(db)
    yield c
    c.close()


def test_claims_table_sample_store_gives_the_same_claims(tmp_path):
    from tests.serve.webstore import build_store

    conn = open_db(build_store(tmp_path))
    assert new.count_claims(conn)["collisions"] > 0, "a collision, for the test to mean anything"
    assert assert_same_claims(conn) > 0
    conn.close()


def test_claims_table_synthetic_store_gives_the_same_claims(conn):
    counts = new.count_claims(conn)
    assert counts["claims"] > 500 and counts["collisions"] > 10
    assert {len(b or "") for b in new._buckets(conn, F())} >= {0, 4, 7}, "every kind of date"
    assert assert_same_claims(conn) > 0


def _ids(conn, sql: str) -> list[int]:
    return [r[0] for r in conn.execute(sql)]


def test_claims_table_follows_reviews_corrections_edits_and_undos(conn):
    """Every kind of review changes what claims are; the stored ones follow each at once."""
    claim_events = _ids(conn, "SELECT event_id FROM claims WHERE event_id IS NOT NULL ORDER BY id")
    claim_atts = _ids(conn, "SELECT attribution_id FROM claims WHERE attribution_id IS NOT NULL"
                            " ORDER BY id")
    before = [c.to_dict() for c in new.iter_claims(conn)]
    for eid in claim_events[::9]:
        review_fact(conn, "events", eid, "reject", "tester")
    for aid in _ids(conn, "SELECT DISTINCT a.id FROM attributions a JOIN claims c"
                          " ON c.report_id = a.report_id AND a.start >= c.lo AND a.start < c.hi"
                          " ORDER BY a.id")[::7]:
        review_fact(conn, "attributions", aid, "reject", "tester")
    for aid in claim_atts[1::5]:
        review_fact(conn, "attributions", aid, "reject", "tester")
    for mid in _ids(conn, "SELECT id FROM mentions WHERE kind = 'place' ORDER BY id")[::11]:
        review_fact(conn, "mentions", mid, "reject", "tester")
    for amid in _ids(conn, "SELECT id FROM amounts ORDER BY id")[::4]:
        review_fact(conn, "amounts", amid, "reject", "tester")
    amid = _ids(conn, "SELECT id FROM amounts WHERE coalesce(review, '') <> 'rejected' LIMIT 1")[0]
    correct_amount(conn, amid, {"value": 12}, "tester")
    e1, e2, e3, e4 = claim_events[1:5]
    correct_event(conn, e1, {"type": "border_tightening"}, "tester")
    correct_event(conn, e2, {"date": "2022-11"}, "tester")
    correct_event(conn, e3, {"attribution_kind": "state_media", "attribution_holder": "KCNA"}, "tester")
    correct_event(conn, e4, {"places": "Hyesan", "attribution_kind": ""}, "tester")
    rid, start, end = conn.execute("SELECT c.report_id, s.start, s.\"end\" FROM claims c JOIN sentences s"
                                   " ON s.report_id = c.report_id AND s.start <= c.lo AND c.lo < s.\"end\""
                                   " ORDER BY c.id DESC LIMIT 1").fetchone()
    add_event(conn, rid, start, end, "health", "tester", places=["Musan"], date="2023-02-03")
    reports = _ids(conn, "SELECT pk FROM reports ORDER BY pk")
    first, second = (conn.execute("SELECT id FROM reports WHERE pk = ?", (pk,)).fetchone()[0]
                     for pk in reports[3:5])
    edit_details(conn, first, {"published": "2023-06-30"}, "tester")
    edit_details(conn, second, {"outlet": "Invented Wire"}, "tester")
    changed = [c.to_dict() for c in new.iter_claims(conn)]
    assert len(changed) < len(before) - 50, "the reviews change the claims a lot"
    assert {c["text"] for c in changed} - {c["text"] for c in before}, "and make new ones"
    assert assert_same_claims(conn, every_sort=False)
    undone = 0
    for r in conn.execute("SELECT id FROM reviews WHERE user = 'tester' ORDER BY id DESC").fetchall()[::3]:
        try:
            undo(conn, r[0], "tester")
            undone += 1
        except ReviewConflict:  # a later review changed the same fact, and stands
            pass
    assert undone >= 5
    assert assert_same_claims(conn, every_sort=False)
    conn.execute("UPDATE extractions SET version = ''")
    reextract(conn, only_stale=True)
    assert assert_same_claims(conn)


def test_claims_table_a_rejected_source_is_gone_at_once_and_back_after_undo(conn):
    row = conn.execute("SELECT c.event_id, c.subject, c.period FROM claims c WHERE c.event_id IS NOT"
                       " NULL AND c.event_ids NOT LIKE '%,%' AND c.period IS NOT NULL LIMIT 1").fetchone()
    eid, subject, period = row
    f = F(subject=subject, since=period, until=period)

    def event_ids() -> set[int]:
        return {i for c in new.iter_claims(conn, f) for i in c.event_ids}

    before = new.count_claims(conn, f)["claims"]
    assert eid in event_ids()
    review = review_fact(conn, "events", eid, "reject", "tester")
    assert review["review"] == "rejected"
    assert eid not in event_ids() and new.count_claims(conn, f)["claims"] == before - 1
    rid = conn.execute("SELECT max(id) FROM reviews").fetchone()[0]
    undo(conn, rid, "tester")
    assert eid in event_ids() and new.count_claims(conn, f)["claims"] == before


def _as_before_0010(conn: sqlite3.Connection) -> None:
    """Make the store look as a store with reports looked when migration 0010 ran."""
    conn.execute("DELETE FROM claims")
    conn.execute("DELETE FROM claim_counts")
    conn.execute("UPDATE claims_state SET rules = NULL, next_pk = 0")


def test_claims_table_store_from_before_is_backfilled_once_resumably(conn, monkeypatch):
    want = [c.to_dict() for c in old.iter_claims(conn, old.ClaimFilters())]
    _as_before_0010(conn)
    assert not claims_ready(conn)
    from borderwatch.store import claim_table

    real, calls = claim_table.refresh_claims, []

    def dies_on_the_third_batch(c, ids, **kw):
        calls.append(ids)
        if len(calls) == 3:
            raise KeyboardInterrupt  # a kill in the middle of the backfill
        return real(c, ids, **kw)

    monkeypatch.setattr(claim_table, "refresh_claims", dies_on_the_third_batch)
    with pytest.raises(KeyboardInterrupt):
        ensure_claims(conn, batch=10)
    monkeypatch.setattr(claim_table, "refresh_claims", real)
    next_pk = conn.execute("SELECT next_pk FROM claims_state").fetchone()[0]
    assert next_pk == _ids(conn, "SELECT pk FROM reports ORDER BY pk")[19], "two batches kept"
    n = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
    assert ensure_claims(conn, batch=10) == n - 20  # goes on after the two batches done
    assert claims_ready(conn) and ensure_claims(conn) == 0
    assert [c.to_dict() for c in new.iter_claims(conn)] == want
    assert assert_same_claims(conn, every_sort=False)


def test_claims_table_first_read_backfills_and_new_rules_derive_again(conn):
    want = [c.to_dict() for c in new.iter_claims(conn)]
    _as_before_0010(conn)
    assert [c.to_dict() for c in new.iter_claims(conn)] == want  # the first read fills it
    conn.execute("UPDATE claims_state SET rules = 'rules of another version'")
    conn.execute("UPDATE claims SET holder = 'stale'")
    assert not claims_ready(conn)
    assert [c.to_dict() for c in new.iter_claims(conn)] == want


def test_claims_table_new_store_records_its_rules_with_the_first_claims(tmp_path):
    conn = open_db(tmp_path / "new.db")
    assert tuple(conn.execute("SELECT rules, next_pk FROM claims_state").fetchone()) == (None, None)
    assert claims_ready(conn)
    claimstore_db = claimstore.build(tmp_path, n=3)
    conn = open_db(claimstore_db)
    rules, next_pk = conn.execute("SELECT rules, next_pk FROM claims_state").fetchone()
    assert rules and next_pk is None and claims_ready(conn)


def test_claims_table_counts_are_the_claims_counted(conn):
    """claim_counts, kept by every write, holds what counting the stored claims gives."""
    review_fact(conn, "events", _ids(conn, "SELECT event_id FROM claims WHERE event_id IS NOT NULL")[0],
                "reject", "tester")
    counted = conn.execute("SELECT subject, bucket, side, stance, ord, claims, newest FROM claim_counts"
                           " ORDER BY 1, 2, 3, 4").fetchall()
    fresh = conn.execute("SELECT subject, bucket, side, coalesce(stance, -1), min(ord), count(*),"
                         " max(published) FROM claims GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4").fetchall()
    assert [tuple(r) for r in counted] == [tuple(r) for r in fresh] and counted



def test_claims_table_counts_added_by_ingest_are_the_claims_counted(tmp_path):
    """New reports add their claims' counts to the stored ones (no month recounted per report):
    after two ingests into the same months, and a re-extraction, the counts are a fresh count."""
    from borderwatch.ingest import ReadOptions
    from borderwatch.jobs import ingest

    examples = Path(__file__).resolve().parents[2] / "examples" / "reports"
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    for n, p in enumerate(sorted(examples.iterdir())):
        shutil.copy(p, (first if n % 2 else second) / p.name)
    conn = open_db(tmp_path / "s.db")

    def agree() -> int:
        counted = conn.execute("SELECT subject, bucket, side, stance, ord, claims, newest"
                               " FROM claim_counts ORDER BY 1, 2, 3, 4").fetchall()
        fresh = conn.execute("SELECT subject, bucket, side, coalesce(stance, -1), min(ord),"
                             " count(*), max(published) FROM claims GROUP BY 1, 2, 3, 4"
                             " ORDER BY 1, 2, 3, 4").fetchall()
        assert [tuple(r) for r in counted] == [tuple(r) for r in fresh]
        return sum(r[5] for r in counted)

    ingest(conn, [str(first)], ReadOptions())
    n1 = agree()
    ingest(conn, [str(second)], ReadOptions())
    n2 = agree()
    reextract(conn)
    assert 0 < n1 < n2 == agree()
    conn.close()
