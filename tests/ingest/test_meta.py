"""Outlet, date and language resolution: the input's own metadata wins, options fill gaps."""

import pytest

from borderwatch.ingest.meta import ReadOptions, complete, outlet_from_text, resolve_outlet
from borderwatch.model import Report

BODY = "Traders in an invented town said prices rose after the new inspections began last week."


@pytest.mark.parametrize("tail,outlet", [
    ("\n\nPlease direct any comments or questions about this article to\n\nRead in Korean", "Daily NK"),
    ("\n\nA resident told RFA's Korean Service the news.\n\nTranslated by An Invented Name.", "Radio Free Asia"),
    ("\n\nReported by Han Min-jae for RFA's Korean Service. Written in English by B.", "Radio Free Asia"),
    (" (Yonhap)", "Yonhap"),
    ("\n\nTranslated by An Invented Name.", None),  # half a signature is not one
])
def test_meta_outlet_from_page_furniture(tail, outlet):
    assert outlet_from_text(BODY * 30 + tail) == outlet


@pytest.mark.parametrize("stated,url,expected", [
    ("DailyNK", None, "Daily NK"),
    (None, "https://www.rfa.org/english/news/korea/invented.html", "Radio Free Asia"),
    (None, "https://en.yna.co.kr/view/AEN2024", "Yonhap"),
    (None, None, None),
])
def test_meta_outlet_from_name_or_domain(stated, url, expected):
    assert resolve_outlet(stated, url, BODY) == expected


def test_meta_options_fill_gaps_and_never_overwrite():
    opts = ReadOptions(outlet="Given Outlet", published="2020-01-02", language="ko")
    dated = complete(Report(source="a", body=BODY, format="html", outlet="NK News",
                            published="2023-05-06", language="en"), opts)
    assert (dated.outlet, dated.published, dated.language) == ("NK News", "2023-05-06", "en")
    bare = complete(Report(source="b", body=BODY, format="text"), opts)
    assert (bare.outlet, bare.published, bare.language) == ("Given Outlet", "2020-01-02", "ko")
    from_url = complete(Report(source="c", body=BODY, format="html",
                               url="https://www.dailynk.com/english/2021/03/04/invented/"), opts)
    assert from_url.published == "2021-03-04" and from_url.outlet == "Daily NK"
