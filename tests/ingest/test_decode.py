"""Decoding: BOMs, UTF-8, declared charsets, CJK detection, and refusing what is not text."""

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from borderwatch.ingest.decode import DecodeError, decode_bytes
from tests.examples import examples

# Invented sentences, mixed with English as border reporting often is.
KOREAN = (
    "Daily NK 소식통에 따르면 최근 양강도 혜산시에서 국경 경비가 크게 강화되었다. "
    "주민들은 중국 장백현과의 밀수가 거의 끊겼다고 말했다. 시장에서 쌀 가격은 1kg당 5,000원으로 "
    "올랐고, 옥수수 가격도 함께 상승했다. 한 주민은 \"요즘은 국경 근처에 가는 것만으로도 단속 "
    "대상이 된다\"고 전했다. 당국은 휴대전화 사용자를 찾기 위해 전파 탐지기를 동원하고 있으며, "
    "적발되면 큰 벌금을 내야 한다. The source added that traders now wait for orders from Dandong."
)
KOREAN_CP949_ONLY = KOREAN + " 똠방 햏 쌰"  # syllables outside KS X 1001: CP949 only
CHINESE = (
    "据Daily NK消息人士透露，最近中国丹东海关加强了对朝鲜货物的检查。许多贸易公司表示，"
    "从新义州运来的货物必须经过严格的防疫消毒，卡车通过鸭绿江大桥的时间也被推迟。一位商人说："
    "“现在每天只有十几辆卡车过桥，价格上涨了百分之三十。”当地政府还对走私行为处以高额罚款，"
    "至少三十万元人民币。边境地区的居民对此感到非常不安。The trader said customs clearance "
    "now takes a week, and that prices in Sinuiju markets keep rising."
)
CHINESE_GBK_ONLY = CHINESE + "另有商人称，鐵路貨運亦受影響。"  # traditional forms: GBK, not GB2312
ENGLISH = "Trucks crossed the bridge from Dandong on Tuesday, a trader in the city said. Café prices rose."


@pytest.mark.parametrize(
    ("text", "data", "encoding"),
    [
        (ENGLISH, ENGLISH.encode("utf-8"), "utf-8"),
        (KOREAN, KOREAN.encode("utf-8"), "utf-8"),
        (ENGLISH, codecs.BOM_UTF8 + ENGLISH.encode("utf-8"), "utf-8"),
        (KOREAN, codecs.BOM_UTF16_LE + KOREAN.encode("utf-16-le"), "utf-16"),
        (CHINESE, codecs.BOM_UTF16_BE + CHINESE.encode("utf-16-be"), "utf-16"),
        (ENGLISH, ENGLISH.encode("utf-16"), "utf-16"),
        (KOREAN, codecs.BOM_UTF32_LE + KOREAN.encode("utf-32-le"), "utf-32"),
        (KOREAN, KOREAN.encode("euc-kr"), "euc-kr"),
        (KOREAN_CP949_ONLY, KOREAN_CP949_ONLY.encode("cp949"), "cp949"),
        (CHINESE, CHINESE.encode("gb2312"), "gb18030"),
        (CHINESE, CHINESE.encode("gb18030"), "gb18030"),
        (CHINESE_GBK_ONLY, CHINESE_GBK_ONLY.encode("gbk"), "gb18030"),
        (ENGLISH, ENGLISH.encode("utf-16-le"), "utf-16"),  # no BOM: NULs on one side
    ],
    ids=["utf8-ascii", "utf8-korean", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16-codec",
         "utf32le-bom", "euc-kr", "cp949", "gb2312", "gb18030", "gbk", "utf16le-nobom"],
)
def test_decode_bytes_encodings(text, data, encoding):
    assert decode_bytes(data) == (text, encoding)


def test_decode_declared_charset_wins_over_guessing():
    page = f'<html><head><meta charset="euc-kr"></head><body><p>{KOREAN}</p></body></html>'
    assert decode_bytes(page.encode("euc-kr")) == (page, "euc-kr")


def test_decode_declared_euc_kr_read_as_cp949_superset():
    page = f'<html><head><meta charset="euc-kr"></head><body>{KOREAN_CP949_ONLY}</body></html>'
    assert decode_bytes(page.encode("cp949"))[1] == "cp949"


def test_decode_content_type_charset():
    text = "Prix du riz: 5\u00a0000 wons à Hyesan, selon une source. " * 3
    assert decode_bytes(text.encode("cp1252"), "text/plain; charset=windows-1252") == (
        text, "cp1252")


def test_decode_declared_charset_that_does_not_fit_is_ignored():
    data = ("<?xml version='1.0' encoding='utf-16'?><rss>" + ENGLISH + "</rss>").encode("utf-8")
    assert decode_bytes(data)[1] == "utf-8"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"   \n\t\r\n  ", "empty file"),
        (codecs.BOM_UTF8 + b"  \n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4,
         "binary or undecodable data"),
        (b"\x7fELF\x02\x01\x01\x00" + b"\x00\x01\x02\x03" * 200, "binary or undecodable data"),
        (bytes([1, 2, 3, 4, 5, 6, 7, 8, 11, 14, 15, 16]) * 50, "binary or undecodable data"),
        ("Trucks left Sinŭiju for the bridge at Sinŭ".encode()[:-1],
         "truncated: UTF-8 text ends in the middle of a character"),
        (codecs.BOM_UTF16_LE + "Trucks crossed".encode("utf-16-le")[:-1],
         "truncated: utf-16 text ends in the middle of a character"),
    ],
    ids=["empty", "whitespace", "bom-only", "png", "elf", "control-chars", "utf8-cut", "utf16-cut"],
)
def test_decode_bytes_refuses(data, reason):
    with pytest.raises(DecodeError) as err:
        decode_bytes(data)
    assert str(err.value) == reason


@settings(max_examples=examples(300), deadline=None)
@given(st.binary(max_size=400))
def test_decode_bytes_never_raises_anything_but_decode_error(data):
    try:
        text, name = decode_bytes(data)
    except DecodeError as exc:
        assert str(exc)
    else:
        assert text.strip() and name
