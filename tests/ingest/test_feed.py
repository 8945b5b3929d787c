"""RSS and Atom feeds: every item a report; teasers fetched; broken feeds fail whole."""

import pytest

from borderwatch.ingest.feed import is_teaser, read_feed
from borderwatch.ingest.meta import ReadError, ReadOptions, complete
from borderwatch.model import Failure, Report

# Invented item text, long enough (> 80 words) to count as a full report.
LONG = (
    "Chinese border guards in Changbai have set up new checkpoints on the road along the Yalu "
    "River, a resident of Hyesan told reporters on Wednesday. The resident said smugglers who "
    "used to carry copper and medicine across the river at night have stopped working since the "
    "checkpoints went up, and that prices of imported goods in the Hyesan market have risen by a "
    "third in two weeks. Traders are now waiting for official shipments through the customs post, "
    "which opens only twice a week, the resident added, and many families have run short of cash."
)
RSS2 = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Daily NK English</title><link>https://www.dailynk.com/english/</link>
<language>en-us</language>
<item><title>Checkpoints go up in Changbai</title>
<link>https://www.dailynk.com/english/checkpoints-changbai/</link>
<pubDate>Wed, 13 Jul 2022 08:00:00 +0900</pubDate>
<category>border</category><category>Smuggling</category>
<description>Checkpoints go up along the river…</description>
<content:encoded><![CDATA[<p>{LONG}</p><p>Second paragraph of the report.</p>]]></content:encoded>
</item>
<item><title>Short item</title><link>https://www.dailynk.com/english/short/</link>
<description>Only a teaser about rice prices in Hyesan…</description></item>
</channel></rss>"""
RSS1 = f"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://www.rfa.org/english/"><title>RFA</title>
<link>https://www.rfa.org/english/</link><description>news</description></channel>
<item rdf:about="https://www.rfa.org/english/news/korea/prices-07192022.html">
<title>Prices climb</title><link>https://www.rfa.org/english/news/korea/prices-07192022.html</link>
<description>{LONG}</description><dc:date>2022-07-19T10:00:00Z</dc:date></item>
</rdf:RDF>"""
ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>NK News</title>
<link href="https://www.nknews.org/"/><id>urn:x</id><updated>2022-08-01T00:00:00Z</updated>
<entry><title>Ships wait off Nampo</title><link href="https://www.nknews.org/2022/08/01/ships/"/>
<id>urn:y</id><updated>2022-08-01T09:00:00Z</updated><author><name>Jeon Hye-rin</name></author>
<category term="maritime"/><content type="html">&lt;p&gt;{LONG}&lt;/p&gt;</content></entry>
</feed>"""
RSS091 = f"""<?xml version="1.0"?><rss version="0.91"><channel><title>Old Feed</title>
<link>https://old.example.org/</link><description>d</description><language>en</language>
<item><title>Old item</title><link>https://old.example.org/item1</link>
<description>{LONG}</description></item></channel></rss>"""


def _read(text, options=ReadOptions(), fetcher=None):
    """Items of a feed, completed as read_input would."""
    out = list(read_feed(text, "f.xml", "utf-8", options, fetcher))
    return [complete(o, options) if isinstance(o, Report) else o for o in out]


def test_read_feed_rss2_items():
    full, teaser = _read(RSS2, ReadOptions(fetch_pages=False))
    assert full.body.startswith("Chinese border guards") and full.body.endswith("of the report.")
    assert (full.format, full.title, full.outlet) == ("rss", "Checkpoints go up in Changbai", "Daily NK")
    assert (full.published, full.tags, full.language) == ("2022-07-12", ("border", "smuggling"), "en")
    assert full.source == full.url == "https://www.dailynk.com/english/checkpoints-changbai/"
    assert teaser.body == "Only a teaser about rice prices in Hyesan…"  # no fetching: the summary


@pytest.mark.parametrize(
    ("feed", "fmt", "outlet", "published", "author"),
    [
        (RSS1, "rss", "Radio Free Asia", "2022-07-19", None),
        (ATOM, "atom", "NK News", "2022-08-01", "Jeon Hye-rin"),
        (RSS091, "rss", "Old Feed", None, None),
    ],
    ids=["rss1.0", "atom", "rss0.91"],
)
def test_read_feed_formats(feed, fmt, outlet, published, author):
    [item] = _read(feed)
    assert (item.format, item.outlet, item.published, item.author) == (fmt, outlet, published, author)
    assert item.body == LONG


def test_read_feed_item_without_text_or_link_is_a_failure():
    feed = RSS091.replace(f"<description>{LONG}</description>", "").replace(
        "<link>https://old.example.org/item1</link>", "")
    [item] = _read(feed)
    assert item == Failure("f.xml#item1", "feed item has no text and no page to fetch", "parse")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (RSS2[: len(RSS2) // 2], "truncated feed XML"),
        ("<rss version='2.0'><channel><title>x</titl></channel></rss>", "malformed feed XML"),
        ("<rss version='2.0'><channel><item><title>Cut</title><description>Trade",
         "truncated feed XML"),
        ("<?xml version='1.0'?><urlset><url><loc>https://x.org/</loc></url></urlset>",
         "not an RSS or Atom feed"),
        ("<rss version='2.0'><channel><title>Empty</title></channel></rss>", "feed has no items"),
    ],
    ids=["truncated", "mismatched-tag", "truncated-text", "not-a-feed", "no-items"],
)
def test_read_feed_broken(text, reason):
    with pytest.raises(ReadError, match=reason):
        _read(text)


@pytest.mark.parametrize(
    ("text", "teaser"),
    [
        (LONG, False),
        ("Rice prices rose in Hyesan.", True),
        (LONG + " Read more", True),
        (LONG[:-1] + " […]", True),
        (LONG + "...", True),
    ],
)
def test_is_teaser(text, teaser):
    assert is_teaser(text) is teaser


def test_read_feed_recoverable_xml_error_keeps_items():
    feed = RSS091.replace("<title>Old item</title>", "<title>Old&nbsp;item</title>")
    [item] = _read(feed)
    assert item.body == LONG and item.title == "Old\xa0item"


# --- issue 9: items are not lost with their own text ----------------------------------------

class _NoPages:
    """A fetcher that must not be asked: links here are not web addresses."""

    def get(self, url, conditional=True):
        raise AssertionError(f"fetched {url!r}")


def test_short_items_whose_link_is_no_web_address_keep_their_text():
    rss = """<?xml version="1.0"?><rss version="2.0"><channel><title>Invented Wire</title>
<item><title>One</title><guid isPermaLink="false">item-0001</guid>
<description>Guards in Hyesan fined two traders.</description></item>
<item><title>Two</title><guid>tag:invented.example,2024:2</guid>
<description>Rice rose in Sinuiju.</description></item></channel></rss>"""
    atom = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Invented Atom</title><id>urn:uuid:feed</id><updated>2024-01-02T00:00:00Z</updated>
<entry><title>Three</title><id>urn:uuid:0003</id><link href="urn:uuid:0003"/>
<updated>2024-01-02T00:00:00Z</updated><summary>Smugglers were caught near Manpo.</summary></entry>
</feed>"""
    items = _read(rss, ReadOptions(), _NoPages()) + _read(atom, ReadOptions(), _NoPages())
    assert [type(i).__name__ for i in items] == ["Report"] * 3
    assert [i.body for i in items] == ["Guards in Hyesan fined two traders.", "Rice rose in Sinuiju.",
                                       "Smugglers were caught near Manpo."]
    assert all(i.url is None or i.url.startswith("http") for i in items)


def test_one_bad_item_fails_alone():
    rss = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Invented Wire</title>
<item><title>Bad link</title><link>http://[::1</link><description>Teaser…</description></item>
<item><title>Surrogate &#xD800; title</title><description>{LONG}</description></item>
<item><title>Fine</title><link>https://invented.example/3</link><description>{LONG}</description></item>
</channel></rss>"""
    bad, surrogate, fine = _read(rss, ReadOptions(), _NoPages())
    assert isinstance(bad, Report) and bad.body == "Teaser…"  # not fetched: no web address
    assert isinstance(surrogate, Report) and "\ud800" not in (surrogate.title or "")
    surrogate.title.encode("utf-8")  # storable
    assert isinstance(fine, Report) and fine.source == "https://invented.example/3"


def test_an_item_that_raises_is_one_failure_and_the_feed_goes_on(monkeypatch):
    from borderwatch.ingest import feed as feed_mod

    real = feed_mod._item_text
    calls = []

    def flaky(entry):
        calls.append(entry)
        if len(calls) == 1:
            raise ValueError("invented breakage")
        return real(entry)

    monkeypatch.setattr(feed_mod, "_item_text", flaky)
    rss = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Invented Wire</title>
<item><title>A</title><description>{LONG}</description></item>
<item><title>B</title><description>{LONG}</description></item></channel></rss>"""
    first, second = _read(rss, ReadOptions(fetch_pages=False))
    assert isinstance(first, Failure) and "invented breakage" in first.reason
    assert first.source == "f.xml#item1"
    assert isinstance(second, Report) and second.title == "B"
