"""Hand-built facts for extract tests: documents, mentions, amounts and dates from string searches.

The attribution, event and topic tests must not depend on the mention, money and date finders
(written separately), so they build those inputs here by finding literal strings in the text.
"""

from __future__ import annotations

from pathlib import Path

from borderwatch.clean import make_document
from borderwatch.model import Amount, DateMention, Document, Mention, Report, Sanctions

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent / "shared" / "seeds" / "000_82c2ab5bc94310e0.txt"
SEED_EXPECTED = SEED.with_suffix(".expected.json")


def doc(text: str, outlet: str | None = "Daily NK", published: str | None = None) -> Document:
    """A Document made the way the pipeline makes one."""
    return make_document(Report(source="test", body=text, format="text", outlet=outlet,
                                published=published))


def ko_doc(text: str, outlet: str | None = "Daily NK", published: str | None = None) -> Document:
    """A Korean Document (language "ko": the pipeline runs the Korean finders on it)."""
    return make_document(Report(source="test", body=text, format="text", outlet=outlet,
                                published=published, language="ko"))


def seed_doc() -> Document:
    """The seed report without its tag line and caption (the first two lines); the test is
    skipped when the shared folder is not beside the checkout."""
    if not SEED.exists():
        import pytest
        pytest.skip("shared seed report not present")
    body = SEED.read_text(encoding="utf-8").split("\n", 2)[2]
    return doc(body, outlet="Daily NK", published="2022-07-19")


def _span(d: Document, text: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the nth occurrence of `text` in the document; fails loudly if absent."""
    pos = -1
    for _ in range(nth + 1):
        pos = d.text.index(text, pos + 1)
    return pos, pos + len(text)


def place(d: Document, text: str, nth: int = 0, kind: str = "city", country: str = "KP") -> Mention:
    """A place mention on the nth occurrence of `text`."""
    s, e = _span(d, text, nth)
    return Mention("place", text, s, e, f"place:{text.lower().replace(' ', '-')}", text,
                   country=country, place_kind=kind, rule="test")


def country(d: Document, text: str, code: str, nth: int = 0) -> Mention:
    """A country mention."""
    s, e = _span(d, text, nth)
    return Mention("country", text, s, e, f"country:{code}", text, country=code, rule="test")


def org(d: Document, text: str, org_kind: str, nth: int = 0, name: str | None = None) -> Mention:
    """An organisation mention of kind `org_kind`."""
    s, e = _span(d, text, nth)
    name = name or text
    return Mention("organization", text, s, e, f"org:{name.lower().replace(' ', '-')}", name,
                   org_kind=org_kind, rule="test")


def person(d: Document, text: str, nth: int = 0) -> Mention:
    """A person mention."""
    s, e = _span(d, text, nth)
    return Mention("person", text, s, e, f"person:{text.lower().replace(' ', '-')}", text, rule="test")


def commodity(d: Document, text: str, nth: int = 0, import_ban: bool = False,
              export_ban: bool = False) -> Mention:
    """A commodity mention, with a UN sanctions status."""
    s, e = _span(d, text, nth)
    return Mention("commodity", text, s, e, f"commodity:{text.lower().replace(' ', '-')}", text,
                   un_sanctions=Sanctions(export_ban=export_ban, import_ban=import_ban), rule="test")


def every(d: Document, text: str, make, *args, **kwargs) -> list[Mention]:
    """One mention per occurrence of `text`."""
    return [make(d, text, *args, nth=i, **kwargs) for i in range(d.text.count(text))]


def money(d: Document, text: str, value: float, currency: str, nth: int = 0,
          conversion_of: int | None = None) -> Amount:
    """A money amount."""
    s, e = _span(d, text, nth)
    return Amount("money", text, s, e, value, value, currency=currency, conversion_of=conversion_of,
                  rule="test")


def quantity(d: Document, text: str, value: float, unit: str, nth: int = 0) -> Amount:
    """A quantity amount."""
    s, e = _span(d, text, nth)
    return Amount("quantity", text, s, e, value, value, unit=unit, rule="test")


def date(d: Document, text: str, value: str | None, nth: int = 0) -> DateMention:
    """A date mention with its resolved value."""
    s, e = _span(d, text, nth)
    return DateMention(text, s, e, value, "day" if value and len(value) == 10 else None, rule="test")


def seed_facts(d: Document) -> tuple[list[Mention], list[Amount], list[DateMention]]:
    """The seed's places, countries, organisations, commodities, amounts and dates, by hand."""
    mentions = [
        place(d, "Liaoning", kind="province", country="CN"),
        place(d, "Jilin", kind="province", country="CN"),
        place(d, "Nampo", kind="port"),
        place(d, "Shanghai", country="CN"),
        place(d, "Dalian", country="CN"),
        place(d, "Sinuiju"),
        place(d, "Beijing", country="CN"),
        *every(d, "Daily NK", org, "media"),
        org(d, "Rodong Sinmun", "state_media"),
        commodity(d, "fertilizer"),
        commodity(d, "agricultural supplies"),
        commodity(d, "steel products", import_ban=True),
        commodity(d, "car parts", import_ban=True),
        *every(d, "powdered milk", commodity),
        commodity(d, "soybean oil"),
        commodity(d, "seasonings"),
    ]
    mentions.sort(key=lambda m: m.start)
    amounts = [
        money(d, "RMB 300,000", 300000, "CNY"),
        money(d, "USD 44,450", 44450, "USD", conversion_of=0),
        quantity(d, "over 50 fever cases", 50, "fever cases"),
    ]
    dates = [date(d, "on Monday", None), date(d, "July 11", "2022-07-11")]
    return mentions, amounts, dates
