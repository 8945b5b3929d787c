"""Claims: state media and officials against sources; collisions only on opposite known stances."""

from __future__ import annotations

import pytest

from borderwatch.ingest import ReadOptions
from borderwatch.jobs import ingest
from borderwatch.resolve.claims import claim_rules, group_claims, stance_of
from borderwatch.store import open_db
from borderwatch.store.claims import claim_groups, newest_collisions


@pytest.fixture
def conn(tmp_path):
    c = open_db(tmp_path / "bw.db")
    yield c
    c.close()


def _ingest(conn, tmp_path, body: str, published: str = "2023-03-20", outlet: str = "NK Pro",
            name: str | None = None) -> None:
    p = tmp_path / (name or f"r{len(list(tmp_path.glob('*.txt')))}.txt")
    p.write_text(body, encoding="utf-8")
    s = ingest(conn, [str(p)], ReadOptions(published=published, outlet=outlet))
    assert s.failed == 0


def _group(conn, subject: str, period: str):
    return next(g for g in claim_groups(conn, subject=subject) if g.period == period)


def _assert_offsets(conn, claim):
    text = conn.execute("SELECT text FROM reports WHERE id = ?", (claim.report_id,)).fetchone()[0]
    assert text[claim.start:claim.end] == claim.text
    if claim.cue is not None:
        assert text[claim.cue_start:claim.cue_end] == claim.cue


def test_claims_seed_epidemic_collision(conn, seed_path):
    s = ingest(conn, [str(seed_path)], ReadOptions(published="2022-07-19"))
    assert s.stored == 1
    g = _group(conn, "epidemic", "2022-07")
    assert g.collision
    auth = {c.holder: c for c in g.authorities}
    assert auth["Rodong Sinmun"].stance == "calm"
    assert "completely stable phase" in auth["Rodong Sinmun"].text
    assert auth["North Korean authorities"].stance == "calm"
    assert "steadily falling number of new fever cases" in auth["North Korean authorities"].text
    [alarm] = [c for c in g.sources if c.stance == "alarm"]
    assert alarm.holder_kind == "anonymous" and "Daily NK source" in alarm.holder
    assert "over 50 fever cases emerging everyday" in alarm.text and "Sinuiju" in alarm.text
    pairs = {(g.authorities[i].holder, g.sources[j].holder) for i, j in g.pairs}
    assert {("Rodong Sinmun", alarm.holder), ("North Korean authorities", alarm.holder)} <= pairs
    for c in g.authorities + g.sources:
        _assert_offsets(conn, c)
    assert any(n.subject == "epidemic" and n.period == "2022-07" for n in newest_collisions(conn))


# Invented: (subject, what the authorities' side says, what the sources' side says).
COLLIDING = [
    ("border",
     "KCNA reported on Monday that trade across the border with China was proceeding normally.",
     "A trader in Dandong told the newsroom that the crossings at the bridge had been closed "
     "since early March."),
    ("epidemic",
     "Rodong Sinmun said the epidemic situation in the country was under control.",
     "A resident of Hyesan said that fever cases were spreading quickly in the city."),
    ("prices",
     "Xinhua said rice prices in the border markets had stabilized.",
     "A source in Hoeryong said that the price of rice had risen sharply this month."),
    ("epidemic",
     "The health ministry said there were no new fever cases in the province.",
     "A source in Musan said that 30 fever cases were found every day."),
]


@pytest.mark.parametrize("subject, official, source", COLLIDING)
def test_claims_invented_collision(conn, tmp_path, subject, official, source):
    _ingest(conn, tmp_path, official, outlet="Wire One")
    _ingest(conn, tmp_path, source, published="2023-03-22", outlet="Wire Two")
    g = _group(conn, subject, "2023-03")
    assert g.collision, g
    assert g.pairs and all(g.authorities[i].stance != g.sources[j].stance for i, j in g.pairs)
    for c in g.authorities + g.sources:
        _assert_offsets(conn, c)


def test_claims_two_holders_in_one_sentence(conn, tmp_path):
    _ingest(conn, tmp_path, "Xinhua said rice prices in the border markets had stabilized, while "
            "a source in Hoeryong said that the price of rice had risen sharply this month.")
    g = _group(conn, "prices", "2023-03")
    assert g.collision
    assert [c.holder for c in g.authorities] == ["Xinhua"]
    assert "risen" not in g.authorities[0].text and "stabilized" not in g.sources[0].text


@pytest.mark.parametrize("first, second", [
    # same side agreeing or disagreeing: no collision
    ("Rodong Sinmun said the epidemic situation in the country was under control.",
     "KCNA said the epidemic situation in the nation had stabilized."),
    ("A resident of Hyesan said that fever cases were spreading quickly in the city.",
     "A source in Musan said the epidemic situation in the county was under control."),
    # opposite sides agreeing: no collision
    ("Rodong Sinmun said the epidemic situation in the country was under control.",
     "A source in Musan said the epidemic situation in the county was under control."),
    # one side's stance unknown: no collision
    ("Rodong Sinmun said new quarantine measures were being reviewed by the authorities.",
     "A resident of Hyesan said that fever cases were spreading quickly in the city."),
])
def test_claims_no_collision(conn, tmp_path, first, second):
    _ingest(conn, tmp_path, first)
    _ingest(conn, tmp_path, second, published="2023-03-25")
    groups = claim_groups(conn, subject="epidemic")
    assert groups, "the claims must be found for the test to mean anything"
    assert not any(g.collision for g in groups)
    assert newest_collisions(conn) == []


def test_claims_different_months_do_not_collide(conn, tmp_path):
    subject, official, source = COLLIDING[1]
    _ingest(conn, tmp_path, official, published="2023-03-20")
    _ingest(conn, tmp_path, source, published="2023-05-02")
    groups = claim_groups(conn, subject=subject)
    assert {g.period for g in groups} == {"2023-03", "2023-05"}
    assert not any(g.collision for g in groups)
    assert [g.period for g in claim_groups(conn, since="2023-04")] == ["2023-05"]


def test_claims_unattributed_reported_speech_is_no_claim(conn, tmp_path):
    _ingest(conn, tmp_path, "North Korea keeps claiming that the coronavirus situation has "
            "completely stabilized.")
    assert claim_groups(conn, subject="epidemic") == []


def _subject(key):
    return next(s for s in claim_rules().subjects if s.key == key)


@pytest.mark.parametrize("subject, text, has_count, stance", [
    ("border", "the border has yet to reopen", False, "closed"),
    ("border", "the bridge reopened last week", False, "open"),
    ("epidemic", "cases are emerging every day", False, "alarm"),
    ("epidemic", "there are 40 new patients every day", True, "alarm"),
    ("epidemic", "there are 40 new patients every day", False, None),  # no count: no cue
    ("epidemic", "it was under control but patients died", False, None),  # both ways
    ("epidemic", "the outbreak is not under control", False, "alarm"),
    ("epidemic", 'the situation was "under stable control"', False, "calm"),
    ("epidemic", "the number of new fever cases nationwide had fallen", False, "calm"),
    ("epidemic", "a source told Daily NK there were 40 cases", True, None),  # an outlet's name
    ("prices", "rice prices shot through the roof", False, "rising"),
    ("trade", "freight was moving", False, None),
])
def test_claims_stance_cues(subject, text, has_count, stance):
    assert stance_of(_subject(subject), text, has_count)[0] == stance


def test_claims_rules_cover_the_subjects():
    rules = claim_rules()
    assert [s.key for s in rules.subjects] == ["epidemic", "border", "trade", "prices"]
    assert rules.subject_for_type("border_easing").key == "border"
    assert rules.subject_for_type("smuggling") is None
    assert rules.side_of["state_media"] == "authorities" and rules.side_of["document"] == "sources"
    assert group_claims([]) == []
    with pytest.raises(ValueError):
        claim_groups(open_db(":memory:"), subject="weather")
