"""A large, realistic store for the web benchmark, built in minutes instead of half an hour.

Why not ingest 50,000 reports? Ingest runs at 13 reports/s on this machine (`make bench`,
2026-12-05), so a 50,000-report store takes about an hour: too slow for a benchmark people run. What the
pages read, though, is what the store holds (reports, full-text rows, facts, incidents,
watchlists), not how it got there. So:

1. A few hundred **templates**: invented reports of 180-520 words, written from sentence
   templates (bench/corpus.py's, filled from the gazetteer and commodity list shipped in the
   package) mixed with fact-free narrative sentences, so a report carries about as many events,
   sources and amounts as a real one (the shared dev set: ~300 words, ~7 events, ~4 sources).
2. Each template goes through the **real pipeline** once: make_document (clean, headline,
   sentences), extract (every finder, happenings merged), at its own publication date and outlet.
3. **Copies**: report i is template i % T with a six-letter code (consonants only, so no finder
   can read it as a word, place or number) swapped into its headline and closing line at the same
   offsets. Its text, title and id are therefore unique and every fact span stays exact. It is
   published in its template's month of one of ten years (2015-2024), on any day, and the fact
   sheet's dates move with it (years by the calendar, day values by the same number of days), so
   "in March" stays March and "yesterday" the day before. About 4 % of copies are syndicated: same
   fingerprint as an earlier copy, another outlet, a day or two later, so the writer's own
   near-duplicate lookup links them.
4. Copies are written through the **store's writer** (store/writer.py: reports, sources,
   sentences, fingerprints, FTS rows by trigger, facts through store/facts.write_facts); then a
   user reviews a few facts (store/review.py), five watchlists are made, and the ingest job's own
   regroup step runs (store/incidents.rebuild_incidents, store/watchlists.run_watchlists).

What is approximate: a copy's USD values keep the template's rate (the rate date moves), and
weekday and "last week" dates are moved rather than re-resolved (a few days off at most). A copy
at its template's own date has exactly the facts extraction gives (tests/bench/test_bigstore.py).
Everything the pages query is real rows made by the real writer from real fact sheets.

Nothing here is real reporting: all text is invented.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import random
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus
from borderwatch.clean import make_document
from borderwatch.clean.document import report_id
from borderwatch.clean.fingerprint import BANDS, NUM_PERM, ROWS, Fingerprint
from borderwatch.extract.pipeline import extract, extractor_version
from borderwatch.model import FactSheet, Report
from borderwatch.store import open_db
from borderwatch.values.calendar import month_end, shift_months

# Bump when anything below changes what a store holds: cached stores are keyed by it.
GENERATOR_VERSION = "2"
DEFAULT_TEMPLATES = 400
YEARS = (2015, 2024)  # copies are published over these ten years
SYNDICATED = 0.04  # share of copies that are a near-duplicate of an earlier copy
REJECT_EVERY = 400  # one event in this many is rejected by the bench analyst ...
ACCEPT_EVERY = 250  # ... one in this many accepted
CONSONANTS = "bcdfghjklmnpqrstvwxz"  # no vowels (and no y): a code is never a word
CODE_LEN = 6
TEMPLATE_CODE = "Zzzzzz"

# Outlets (names from data/outlets.yaml) with rough shares of border reporting.
OUTLETS = [("Daily NK", 30), ("Radio Free Asia", 22), ("NK News", 14), ("Yonhap", 10),
           ("Asia Press", 8), ("Korea JoongAng Daily", 4), ("KBS", 4), ("Reuters", 4),
           ("Associated Press", 2), ("38 North", 2)]
TAGS = ["border", "trade", "smuggling", "economy", "markets", "defectors", "health", "society",
        "military", "sanctions", "china", "invented"]

# Narrative sentences without facts (or with few): real reports are mostly these.
NARRATIVE = [
    "Life in the area has changed little over the past few seasons, residents said.",
    "Many households are still trying to adjust to the new rules.",
    "The mood among traders was described as cautious.",
    "Some families have started to grow vegetables in small plots near their homes.",
    "Local schools asked parents to contribute firewood for the classrooms.",
    "Conditions differ from one district to another.",
    "It was not immediately clear how long the measures would last.",
    "Observers say the pattern has been seen before.",
    "Younger people increasingly rely on word of mouth for news from outside.",
    "Vendors watch the mood of the inspectors closely before opening their stalls.",
    "The neighbourhood watch units have been asked to report any unusual visitors.",
    "Several people interviewed asked not to be named for their safety.",
    "Farm work has taken up most of the working day for many families.",
    "Electricity supply remains irregular, especially in the evenings.",
    "The lectures were held at factories and cooperative farms.",
    "Queues formed early outside the state shops.",
    "The instructions were passed on orally at neighbourhood meetings.",
    "Many people said they were tired of the constant mobilisations.",
]
# Fact-bearing sentences for the event types bench/corpus.py's templates do not reach.
MORE_FACTS = [
    "{n} people were repatriated from {p} to the North last month, {s} said.",
    "A family from {prov} defected across the river near {p} in {m}, {s} said.",
    "Authorities in {p} partially reopened the crossing to trucks carrying {g} in {m}.",
    "A Chinese trading company in {p} was fined for breaching UN sanctions on {g}, {s} said.",
    "Soldiers of a border guard unit held drills along the river near {p}, {s} said.",
    "Officials from both countries met in {p} to discuss trade in {m}.",
    "A state trading company in {p} opened a new branch to export {g}, {s} said.",
    # market exchange rates of the won, which the rates page charts
    "In {p} markets one US dollar traded for KPW {rate} last week, {s} said.",
    "The exchange rate in {p} rose to {rate} won per dollar, {s} said.",
]


@dataclass(frozen=True, slots=True)
class Template:
    """A template report after the real pipeline: its document and fact sheet."""

    sheet: FactSheet
    body_start: int  # where the body starts in the text (after the headline): the id hashes it


def _data_rows(name: str) -> list[dict[str, str]]:
    """Rows of a CSV shipped in borderwatch/data (comment lines skipped)."""
    text = (resources.files("borderwatch") / "data" / name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


@cache
def vocabulary() -> tuple[list[str], list[str], list[str]]:
    """(places, provinces, goods) named in templates: from the package's gazetteer and
    commodity list, so the stored facts cover many places and goods as a real store does."""
    places, provinces = [], []
    for r in _data_rows("places.csv"):
        if r["country"] not in ("KP", "CN") or not r["name"].isascii():
            continue
        if r["kind"] in ("city", "county", "port", "crossing", "island"):
            places.append(r["name"])
        elif r["kind"] == "province":
            provinces.append(f"{r['name']} Province")
    goods = [r["name"] for r in _data_rows("commodities.csv") if r["name"].isascii()]
    return sorted(set(places)), sorted(set(provinces)), sorted(set(goods))


def code(i: int) -> str:
    """A six-letter code of consonants for copy i (distinct for i < 20**6, spread out)."""
    n = (i * 7_919_113 + 12_345) % len(CONSONANTS) ** CODE_LEN
    letters = []
    for _ in range(CODE_LEN):
        n, k = divmod(n, len(CONSONANTS))
        letters.append(CONSONANTS[k])
    out = "".join(letters).capitalize()
    return "Zzzzzy" if out == TEMPLATE_CODE else out


def template_report(k: int) -> Report:
    """Invented template report k (deterministic): headline and closing line hold the code."""
    places, provinces, goods = vocabulary()
    rng = random.Random(10_000 + k)
    words_target = rng.randint(180, 520)
    fact_share = rng.uniform(0.15, 0.35)
    paras: list[str] = []
    count = 0
    while count < words_target:
        sents = []
        for _ in range(rng.randint(2, 4)):
            if rng.random() < fact_share:
                sents.append(_fact_sentence(rng, places, provinces, goods))
            else:
                sents.append(rng.choice(NARRATIVE))
        para = " ".join(sents)
        paras.append(para)
        count += len(para.split())
    paras.append(f"Reference {TEMPLATE_CODE} (invented benchmark report).")
    place, good = rng.choice(places), rng.choice(goods)
    head = rng.choice(["{g} trade slows near {p}", "Crackdown on {g} smugglers in {p}",
                       "Prices of {g} climb in {p} markets", "Patrols stepped up around {p}",
                       "Traders in {p} seek more {g}", "Residents of {p} describe hard month"])
    title = f"Dispatch {TEMPLATE_CODE}: " + head.format(g=good, p=place)
    published = f"{rng.randint(2019, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    outlet = rng.choices([o for o, _ in OUTLETS], weights=[w for _, w in OUTLETS])[0]
    tags = tuple(rng.sample(TAGS, rng.randint(1, 3)))
    return Report(source=f"bench-template:{k}", body="\n\n".join(paras), format="text",
                  title=title, outlet=outlet, published=published, language="en", tags=tags)



def write_typical(folder: Path, n: int, start: int = 0) -> int:
    """Write n template reports as JSON files (text, title, date, outlet, tags), for benchmarks
    of ingest itself: unlike bench/corpus.py's 800-word reports (about 49 events each) these
    carry a real report's load of facts, so the writer's share of an ingest is a real one's.
    Report k is template_report(k) with its code made unique; return total bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for k in range(start, start + n):
        r = template_report(k)
        c = code(k)
        record = {"title": (r.title or "").replace(TEMPLATE_CODE, c),
                  "text": r.body.replace(TEMPLATE_CODE, c), "published": r.published,
                  "outlet": r.outlet, "tags": list(r.tags), "language": r.language}
        data = json.dumps(record, ensure_ascii=False).encode()
        sub = folder / f"{k // 1000:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"t{k:06d}.json").write_bytes(data)
        total += len(data)
    return total

def _fact_sentence(rng: random.Random, places: list[str], provinces: list[str],
                   goods: list[str]) -> str:
    """One of bench/corpus.py's fact-bearing sentence templates, filled from the vocabulary."""
    p = rng.choice(places)
    fill = {"p": p, "prov": rng.choice(provinces), "g": rng.choice(goods),
            "g2": rng.choice(goods), "n": rng.randint(2, 95), "m": rng.choice(corpus.MONTHS),
            "d": rng.choice(corpus.DAYS), "rate": f"{rng.randint(7, 18)},{rng.randint(0, 9)}00"}
    s = rng.choice(corpus.SOURCES).format(**fill)
    return rng.choice(corpus.TEMPLATES + MORE_FACTS).format(s=s, S=s[0].upper() + s[1:], **fill)


def make_templates(n: int, progress: Callable[[str], None] | None = None) -> list[Template]:
    """n template reports through the real clean and extract stages."""
    out = []
    t0 = time.perf_counter()
    for k in range(n):
        doc = make_document(template_report(k))
        if doc.text.count(TEMPLATE_CODE) != 2:
            raise RuntimeError(f"template {k}: the code must occur twice in its text")
        out.append(Template(extract(doc), doc.text.index("\n\n") + 2))
        if progress and (k + 1) % 100 == 0:
            progress(f"templates: {k + 1}/{n} extracted ({time.perf_counter() - t0:.0f} s)")
    return out


# --- copies ----------------------------------------------------------------------------------

def _shift_value(value: str | None, old: date, new: date) -> str | None:
    """A fact's date value (YYYY, YYYY-MM, YYYY-MM-DD) moved with its report from `old` to `new`:
    years and months by the calendar (so "in March" stays March when the months agree), day values
    also by the days between the two publication days ("yesterday" stays the day before)."""
    if not value:
        return value
    months = (new.year - old.year) * 12 + new.month - old.month
    try:
        if len(value) == 4:
            return f"{int(value) + new.year - old.year:04d}"
        y, m = shift_months(int(value[:4]), int(value[5:7]), months)
        if len(value) == 7:
            return f"{y:04d}-{m:02d}"
        d = date(y, m, min(int(value[8:10]), month_end(y, m).day))
        return (d + timedelta(days=new.day - old.day)).isoformat()
    except ValueError:
        return value


def copy_sheet(t: Template, i: int, published: str, outlet: str | None,
               source: str) -> FactSheet:
    """Template t as report i: new code, id, date (facts' dates moved with it), outlet."""
    doc = t.sheet.document
    c = code(i)
    text = doc.text.replace(TEMPLATE_CODE, c)
    old = date.fromisoformat(doc.published)
    new = date.fromisoformat(published)
    new_doc = dataclasses.replace(
        doc, id=report_id(text[t.body_start:]), source=source, text=text,
        title=(doc.title or "").replace(TEMPLATE_CODE, c), outlet=outlet, published=published,
        url=f"https://bench.invalid/{i}")
    shift = lambda v: _shift_value(v, old, new)  # noqa: E731
    return dataclasses.replace(
        t.sheet, document=new_doc,
        dates=tuple(dataclasses.replace(d, value=shift(d.value)) for d in t.sheet.dates),
        amounts=tuple(dataclasses.replace(a, usd_rate_date=shift(a.usd_rate_date))
                      for a in t.sheet.amounts),
        events=tuple(dataclasses.replace(e, date=shift(e.date),
                                         sentence=e.sentence.replace(TEMPLATE_CODE, c))
                     for e in t.sheet.events))


def random_fingerprint(rng: random.Random) -> Fingerprint:
    """A MinHash signature no other copy shares (copies of one template share most of their
    words, and the writer would link them all as near-duplicates); bands made as clean/ does."""
    sig = np.array([rng.getrandbits(32) for _ in range(NUM_PERM)], dtype="<u4")
    bands = []
    for b in range(BANDS):
        digest = hashlib.blake2b(sig[b * ROWS:(b + 1) * ROWS].tobytes(), digest_size=8).digest()
        bands.append(int.from_bytes(digest, "little", signed=True))
    return Fingerprint(signature=sig.tobytes(), bands=tuple(bands))


@dataclass(frozen=True, slots=True)
class Copy:
    """One report to write: its fact sheet and fingerprint."""

    sheet: FactSheet
    fp: Fingerprint


def copies(templates: list[Template], n: int, seed: int = 8) -> Iterator[Copy]:
    """n reports made from the templates, in publication order roughly as an archive fills."""
    rng = random.Random(seed)
    outlets = [o for o, _ in OUTLETS]
    weights = [w for _, w in OUTLETS]
    recent: list[tuple[int, Copy]] = []  # candidates for syndication
    for i in range(n):
        t = templates[i % len(templates)]
        tdoc = t.sheet.document
        if recent and rng.random() < SYNDICATED:
            j, orig = rng.choice(recent)
            odoc = orig.sheet.document
            day = date.fromisoformat(odoc.published)
            last = month_end(day.year, day.month).day
            day = day.replace(day=min(day.day + rng.randint(0, 2), last))
            outlet = rng.choice([o for o in outlets if o != odoc.outlet])
            tj = templates[j % len(templates)]
            sheet = copy_sheet(tj, i, day.isoformat(), outlet, f"bench://{outlet}/{i}")
            yield Copy(sheet, orig.fp)
            continue
        # the template's month in one of ten years, any day: month names in the text stay true
        published = f"{rng.randint(*YEARS)}-{tdoc.published[5:7]}-{rng.randint(1, 28):02d}"
        outlet = tdoc.outlet or rng.choices(outlets, weights)[0]
        sheet = copy_sheet(t, i, published, outlet, f"bench://{outlet}/{i}")
        c = Copy(sheet, random_fingerprint(rng))
        recent.append((i, c))
        if len(recent) > 200:
            recent.pop(0)
        yield c


# --- the store -------------------------------------------------------------------------------

def cache_key(n_templates: int = DEFAULT_TEMPLATES) -> str:
    """What a cached store depends on: this generator, and the code and data of every stage
    that makes what a store holds (clean, extract, resolve, store, data with the migrations),
    read from the borderwatch package actually imported."""
    h = hashlib.sha256()
    h.update(f"{GENERATOR_VERSION}|{n_templates}|{extractor_version()}".encode())
    h.update(Path(__file__).read_bytes())
    h.update(Path(corpus.__file__).read_bytes())
    root = Path(str(resources.files("borderwatch")))
    for sub in ("clean", "extract", "resolve", "store", "data", "jobs.py", "model.py"):
        node = root / sub
        files = sorted(node.rglob("*")) if node.is_dir() else [node]
        for f in files:
            if f.is_file() and "__pycache__" not in f.parts:
                h.update(str(f.relative_to(root)).encode())
                h.update(f.read_bytes())
    return h.hexdigest()[:12]


def build_store(path: Path, n_reports: int, templates: list[Template],
                progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Write n_reports copies into a new store at `path`; return its counts."""
    from borderwatch.jobs import _regroup, _start_run
    from borderwatch.store.review import review_fact
    from borderwatch.store.users import add_user
    from borderwatch.store.watchlists import WatchFilters, create_watchlist
    from borderwatch.store.writer import Writer

    say = progress or (lambda _m: None)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    conn = open_db(path)
    version = extractor_version()
    run_id = _start_run(conn, f"bench/bigstore.py --reports {n_reports}")
    writer = Writer(conn, run_id, batch_size=500, batch_seconds=30.0)
    t0 = time.perf_counter()
    for i, c in enumerate(copies(templates, n_reports)):
        writer.store(c.sheet.document, c.fp, lambda _doc, s=c.sheet: (s, version))
        writer.maybe_commit()
        if (i + 1) % 5000 == 0:
            say(f"store: {i + 1}/{n_reports} reports written ({time.perf_counter() - t0:.0f} s)")
    writer.commit()
    add_user(conn, "bench", "bench-password-invented")
    # An analyst's reviews: a few events rejected and accepted, spread over the store.
    ids = [r[0] for r in conn.execute("SELECT id FROM events ORDER BY id")]
    for k, eid in enumerate(ids):
        if k % REJECT_EVERY == 7:
            review_fact(conn, "events", eid, "reject", "bench")
        elif k % ACCEPT_EVERY == 3:
            review_fact(conn, "events", eid, "accept", "bench")
    for name, f in (("coal-moves", WatchFilters(commodity="coal", type="smuggling")),
                    ("hyesan", WatchFilters(place="Hyesan")),
                    ("fines", WatchFilters(type="enforcement", source_kind="anonymous")),
                    ("fever-search", WatchFilters(query="fever")),
                    ("daily-nk-trade", WatchFilters(outlet="Daily NK", topic="trade"))):
        create_watchlist(conn, name, f, "bench")
    say("store: rebuilding incidents and running watchlists")
    _regroup(conn)  # the ingest job's own step: incidents, then every watchlist
    conn.execute("UPDATE runs SET finished_at = datetime('now'), status = 'completed',"
                 " read = ?, stored = ? WHERE id = ?", (n_reports, n_reports, run_id))
    counts = store_counts(conn)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    say(f"store: {n_reports} reports in {time.perf_counter() - t0:.0f} s")
    return counts


def store_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Row counts of the tables the pages read."""
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "reports": one("SELECT count(*) FROM reports"),
        "search_queued": one("SELECT count(*) FROM search_queue"),  # not yet in the index
        "near_duplicates": one("SELECT count(*) FROM reports WHERE near_duplicate_of IS NOT NULL"),
        "events": one("SELECT count(*) FROM events"),
        "mentions": one("SELECT count(*) FROM mentions"),
        "amounts": one("SELECT count(*) FROM amounts"),
        "attributions": one("SELECT count(*) FROM attributions"),
        "dates": one("SELECT count(*) FROM dates"),
        "incidents": one("SELECT count(*) FROM incidents"),
        "watchlists": one("SELECT count(*) FROM watchlists"),
        "watch_hits": one("SELECT count(*) FROM watch_hits"),
        "reviews": one("SELECT count(*) FROM reviews"),
    }


def store_path(out: Path, n_reports: int, n_templates: int = DEFAULT_TEMPLATES) -> Path:
    """Where the cached store of n_reports lives (its name holds the cache key)."""
    return out / f"webstore-{cache_key(n_templates)}-{n_reports}.db"


def is_cached(out: Path, n_reports: int, n_templates: int = DEFAULT_TEMPLATES) -> bool:
    """True when a finished store of this size and key is in `out`."""
    path = store_path(out, n_reports, n_templates)
    return path.exists() and path.with_suffix(".json").exists()


def cached_store(out: Path, n_reports: int, n_templates: int = DEFAULT_TEMPLATES,
                 rebuild: bool = False, progress: Callable[[str], None] | None = None,
                 templates: list[Template] | None = None) -> tuple[Path, dict[str, int]]:
    """The store of n_reports in `out`, built unless a store with the same key is there."""
    out.mkdir(parents=True, exist_ok=True)
    key = cache_key(n_templates)
    path = store_path(out, n_reports, n_templates)
    meta = path.with_suffix(".json")
    if is_cached(out, n_reports, n_templates) and not rebuild:
        return path, json.loads(meta.read_text())["counts"]
    for old in out.glob(f"webstore-*-{n_reports}.*"):  # an older key: stale
        old.unlink()
    templates = templates or make_templates(n_templates, progress)
    counts = build_store(path, n_reports, templates, progress)
    meta.write_text(json.dumps({"key": key, "generator": GENERATOR_VERSION,
                                "extractor": extractor_version(), "templates": n_templates,
                                "counts": counts}, indent=2))
    return path, counts
