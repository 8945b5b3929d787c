"""Bytes to text: BOM, strict UTF-8, a declared charset, then detection; refuse rather than guess.

The order matters. A byte-order mark is proof; valid UTF-8 is near-proof (legacy CJK text is
almost never valid UTF-8); a declared charset is trusted only if the bytes decode under it; only
then does charset-normalizer guess. EUC-KR and GBK share their byte ranges, so a CJK guess is
checked by script: Korean decoded as EUC-KR is almost all Hangul, Chinese decoded as EUC-KR is
a mix of Hangul and Hanja (or fails outright).
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from borderwatch.ingest.meta import ReadError


class DecodeError(ReadError):
    """The bytes are not text we can read with confidence."""

    stage = "decode"


BINARY = "binary or undecodable data"
EMPTY = "empty file"

_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE mark
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
# Labels that browsers (WHATWG Encoding Standard) read with a superset codec.
_SUPERSETS = {
    "euc_kr": ("euc_kr", "cp949"), "cp949": ("cp949",),
    "gb2312": ("gb18030", "gbk"), "gbk": ("gb18030", "gbk"), "gb18030": ("gb18030",),
    "latin_1": ("cp1252",), "iso8859_1": ("cp1252",), "ascii": ("utf_8",),
}
_KOREAN = frozenset({"euc_kr", "cp949", "johab", "iso2022_kr"})
_CHINESE = frozenset({"gb2312", "gbk", "gb18030", "hz", "big5", "big5hkscs", "cp950"})
_CJK_TRIES = ("euc_kr", "cp949", "gb18030")
_NAMES = {
    "utf_8": "utf-8", "utf_8_sig": "utf-8", "euc_kr": "euc-kr", "cp949": "cp949",
    "gb18030": "gb18030", "gbk": "gbk", "gb2312": "gb18030", "utf_16": "utf-16",
    "utf_16_le": "utf-16", "utf_16_be": "utf-16", "utf_32": "utf-32", "ascii": "utf-8",
}
_CT_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([\w.:-]+)", re.I)
# Control characters other than layout ones, replacement, surrogate and private-use characters.
_BAD_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd\ud800-\uf8ff\U000f0000-\U0010ffff]")
_HANGUL = re.compile("[\uac00-\ud7a3]")
_HANJA = re.compile("[\u4e00-\u9fff\uf900-\ufaff]")
_MAX_BAD_SHARE = 0.1  # above this share of control/replacement characters, it is not text
_HANGUL_SHARE = 0.9  # Korean decoded as Korean: at least this share of its CJK letters is Hangul


def codec_name(name: str) -> str | None:
    """Python's canonical codec name for a label, or None if Python does not know it."""
    try:
        return codecs.lookup(name).name.replace("-", "_")
    except LookupError:
        return None


def display_name(codec: str) -> str:
    """The encoding name reported on a Report: 'utf-8', 'utf-16', 'euc-kr', 'gb18030', …"""
    codec = codec.replace("-", "_").lower()
    return _NAMES.get(codec, codec.replace("_", "-"))


def decode_bytes(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode `data` to (text, encoding name), or raise DecodeError saying why not."""
    if not data.strip():
        raise DecodeError(EMPTY)
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return _checked(_strict(data[len(bom):], codec, name), name)
    if b"\x00" in data:
        return _bomless_utf16(data)
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        if _cut_mid_character(data, exc):
            raise DecodeError("truncated: UTF-8 text ends in the middle of a character") from None
    for declared in _declared(data, content_type):
        for codec in _SUPERSETS.get(declared, (declared,)):
            text = _try(data, codec)
            if text is not None:
                return _checked(text, display_name(codec))
    return _detected(data)


def _strict(data: bytes, codec: str, name: str) -> str:
    """Decode after a BOM: the BOM promised this codec, so failing is an error, not a hint."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        if exc.reason in ("truncated data", "unexpected end of data"):
            raise DecodeError(f"truncated: {name} text ends in the middle of a character") from None
        raise DecodeError(f"undecodable: invalid {name} after its byte-order mark") from None


def _try(data: bytes, codec: str) -> str | None:
    """Strict decode, or None."""
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _cut_mid_character(data: bytes, exc: UnicodeDecodeError) -> bool:
    """True if the only UTF-8 error is an incomplete character at the very end, after real UTF-8."""
    if exc.reason != "unexpected end of data" or exc.start < len(data) - 3:
        return False
    return any(b > 0x7F for b in data[: exc.start])  # a pure-ASCII head proves nothing


def _bomless_utf16(data: bytes) -> tuple[str, str]:
    """NUL bytes without a BOM: UTF-16 if the NULs sit on one side of each pair, else binary."""
    if len(data) % 2 == 0 and len(data) >= 4:
        even, odd = data[0::2], data[1::2]
        for zeros, other, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
            if zeros.count(0) >= 0.5 * len(zeros) and other.count(0) == 0:
                text = _try(data, codec)
                if text is not None:
                    return _checked(text, "utf-16")
    raise DecodeError(BINARY)


def _declared(data: bytes, content_type: str | None) -> list[str]:
    """Charsets the bytes claim for themselves: HTTP header, XML declaration, HTML meta."""
    labels: list[str] = []
    if content_type and (m := _CT_CHARSET.search(content_type)):
        labels.append(m.group(1))
    head = data[:4096]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        if hit := pattern.search(head):
            labels.append(hit.group(1).decode("ascii", "ignore"))
    out = []
    for label in labels:
        codec = codec_name(label)
        if codec and codec not in out:
            out.append(codec)
    return out


def _detected(data: bytes) -> tuple[str, str]:
    """Ask charset-normalizer, then settle CJK by script; refuse when nothing fits."""
    best = from_bytes(data).best()
    guess = codec_name(best.encoding) if best is not None else None
    if guess is None or guess in _KOREAN or guess in _CHINESE:
        cjk = _cjk(data)
        if cjk is not None:
            return cjk
    if best is None or guess is None:
        raise DecodeError(BINARY)
    return _checked(str(best), display_name(guess))


def _cjk(data: bytes) -> tuple[str, str] | None:
    """Korean if a Korean codec gives almost pure Hangul, else Chinese if GB18030 decodes."""
    decoded = {codec: _try(data, codec) for codec in _CJK_TRIES}
    for codec in ("euc_kr", "cp949"):
        text = decoded[codec]
        if text is not None:
            hangul, hanja = len(_HANGUL.findall(text)), len(_HANJA.findall(text))
            if hangul and hangul >= _HANGUL_SHARE * (hangul + hanja):
                return _checked(text, display_name(codec))
    text = decoded["gb18030"]
    if text is not None and _HANJA.search(text):
        return _checked(text, "gb18030")
    return None


def _checked(text: str, name: str) -> tuple[str, str]:
    """Refuse decoded text that is empty or mostly control and replacement characters."""
    if not text.strip():
        raise DecodeError(EMPTY)
    sample = text[:20000]
    if len(_BAD_CHARS.findall(sample)) > _MAX_BAD_SHARE * len(sample):
        raise DecodeError(BINARY)
    return text, name
