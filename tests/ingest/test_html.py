"""HTML pages: main text as paragraphs, title, author, date, outlet, captions, language."""

import pytest

from borderwatch.ingest.html import extract_html, fragment_text, is_truncated
from borderwatch.ingest.meta import ReadError, ReadOptions, complete

PARAS = [
    "Trucks carrying fertilizer crossed the bridge from Dandong on Tuesday for the first time in "
    "months, a source in the city told reporters this week.",
    "The source said customs officers inspected every vehicle and that traders paid large fees to "
    "move their goods across the river before the holiday.",
    "Another trader said the price of rice in Sinuiju markets had risen sharply after the border "
    "was closed again in the spring.",
]


def page(head: str = "", lang: str = "en", figure: bool = True, close: bool = True) -> str:
    """An invented news page around PARAS."""
    fig = ('<figure><img src="a.jpg"><figcaption>Trucks wait at the bridge (Image: Daily NK)'
           "</figcaption></figure>") if figure else ""
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    html = (f'<!DOCTYPE html><html lang="{lang}"><head><title>Trucks return to the bridge</title>'
            f"{head}</head><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
            f"<article><h1>Trucks return to the bridge</h1>{fig}{body}</article>"
            "<footer>About us | Contact</footer></body></html>")
    return html if close else html[: html.index("<footer>")]


META = ('<meta name="author" content="Lee Min-su">'
        '<meta property="article:published_time" content="2021-03-04T10:00:00+09:00">'
        '<meta property="og:site_name" content="DailyNK">')


def test_extract_html_text_and_metadata():
    report = extract_html(page(META), "a.html", "https://www.dailynk.com/english/trucks-return/")
    assert report.body == "\n\n".join(PARAS)
    assert report.title == "Trucks return to the bridge"
    assert (report.author, report.published, report.language) == ("Lee Min-su", "2021-03-04", "en")
    assert report.captions == ("Trucks wait at the bridge (Image: Daily NK)",)
    assert report.format == "html"
    assert complete(report, ReadOptions()).outlet == "Daily NK"  # site name canonicalised


def test_extract_html_never_invents_a_date():
    report = extract_html(page(figure=False), "b.html", "https://example.org/news/item")
    assert report.published is None
    assert complete(report, ReadOptions()).published is None


def test_extract_html_date_from_url_when_page_has_none():
    report = extract_html(page(), "c.html", "https://www.nknews.org/2022/07/19/trucks/")
    done = complete(report, ReadOptions())
    assert (done.published, done.outlet) == ("2022-07-19", "NK News")


def test_extract_html_language_attribute():
    report = extract_html(page(lang="ko-KR"), "d.html")
    assert complete(report, ReadOptions()).language == "ko"


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><nav><a href='/'>Home</a></nav></body></html>",
        "<html><body>" + "<div>" * 50 + "</body></html>",
        "<html><head><title>x</title></head><body></body></html>",
        "<<<>>> <p <div",
    ],
    ids=["nav-only", "unclosed-divs", "empty-body", "garbage"],
)
def test_extract_html_no_article_text(html):
    with pytest.raises(ReadError, match="no article text found in HTML"):
        extract_html(html, "bad.html")


def test_extract_html_truncated_page():
    html = page(close=False)
    assert is_truncated(html)
    with pytest.raises(ReadError, match="truncated HTML"):
        extract_html(html, "cut.html")


@pytest.mark.parametrize(
    ("fragment", "text"),
    [
        ("<p>One <b>two</b></p><p>Three<br>four</p>", "One two\n\nThree\nfour"),
        ("Plain summary text.", "Plain summary text."),
        ("<div><p>A</p><script>x()</script></div>", "A"),
    ],
)
def test_fragment_text(fragment, text):
    assert fragment_text(fragment) == text


def test_extract_html_chinese_page_without_spaces():
    zh = "据消息人士透露，最近丹东海关加强了对朝鲜货物的检查，卡车过桥的时间被推迟。" * 4
    html = f"<html><body><article><p>{zh}</p><p>{zh}</p></article></body></html>"
    assert extract_html(html, "zh.html").body.startswith("据消息人士透露")


def test_extract_html_ignores_stale_meta_charset_after_decoding():
    ko = "소식통에 따르면 혜산시에서 국경 경비가 크게 강화되었다고 주민들이 말했다. " * 5
    html = (f'<html><head><meta charset="euc-kr"></head><body><article><p>{ko}</p><p>{ko}</p>'
            "</article></body></html>")
    assert extract_html(html, "ko.html").body.startswith("소식통에 따르면")
