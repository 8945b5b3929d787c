"""The web-test store (tests/serve/webstore.py) plus invented reports that put goods, carriers
and prices in the places the brief and the price charts must tell apart. Every text below is
invented for these tests."""

from __future__ import annotations

from pathlib import Path

from borderwatch.ingest import ReadOptions
from borderwatch.jobs import ingest
from borderwatch.store import open_db

from .webstore import build_store

PUBLISHED = "2024-06-05"  # inside the 7-day preset of the sample store (newest day 2024-06-12)

# name -> invented text. What each must show is in the comment.
REPORTS = {
    # copper moves; the trucks carry it (a vehicle beside other goods is their carrier)
    "carrier": "Invented test report: copper on trucks\n\nTraders smuggled copper on trucks from "
               "Hoeryong to Helong last week, a source said.\n",
    # the cars are the goods: a vehicle alone in its event moves
    "cars": "Invented test report: cars\n\nTraders in Hyesan smuggled Chinese-made cars into "
            "North Korea last week, a source said.\n",
    # squid and trucks stand in one list: both move
    "listed": "Invented test report: goods and trucks\n\nBrokers in Sinuiju smuggled squid and "
              "trucks into China last week, a source said.\n",
    # a truck carrying coal is no goods; coal shipped in containers moves, containers do not
    "containers": "Invented test report: coal\n\nA truck carrying coal crossed the bridge at "
                  "Sinuiju, according to a source. Smugglers shipped coal in containers from "
                  "Nampo to Dalian, the source added.\n",
    # two goods, two prices: each price is its own good's; two exchange rates, the second
    # without its "per CNY"
    "prices": "Invented test report: market prices\n\nIn Hyesan, rice sold for KPW 5,600 per "
              "kilogram and corn sold for KPW 3,100 per kilogram on Sunday, a source said. The "
              "yuan traded at 1,370 won in Hyesan, and in Sinuiju at 1,350 won.\n",
}


def build_brief_store(folder: Path) -> Path:
    """The sample store plus the invented reports above, published on PUBLISHED."""
    db = build_store(folder)
    extra = folder / "brief-reports"
    extra.mkdir()
    for name, text in REPORTS.items():
        (extra / f"{name}.txt").write_text(text)
    conn = open_db(db)
    ingest(conn, [str(extra)], ReadOptions(published=PUBLISHED))
    conn.close()
    return db
