"""HTML pages: main text and metadata by trafilatura (dates by htmldate), captions by lxml.

Paragraphs come out as lines separated by blank lines, the form the rest of the pipeline
reads. Dates are taken from the page's markup and URL only (htmldate's extensive search in
the visible text is off): a date guessed from a related-story list would be worse than none.

lxml and trafilatura are imported by the functions that use them, on the first HTML page or
feed item: reading only plain-text files (`borderwatch extract FILE`) never pays for them.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any

from borderwatch.ingest.meta import ReadError
from borderwatch.model import Report

NO_TEXT = "no article text found in HTML"
_MIN_EXTRACTED = "100"  # characters; trafilatura's default (250) drops short wire items
_BLOCKS = frozenset({"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
                     "pre", "tr", "section", "article", "figcaption", "dd", "dt"})
_OPEN_HTML = re.compile(rb"<html[\s>]", re.I)
_CLOSE_HTML = re.compile(rb"</(?:html|body)\s*>", re.I)
_WS = re.compile(r"[ \t\r\f\v\u00a0]+")
# a word: two or more letters, or one CJK character (Chinese and Japanese have no spaces)
_WORD = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]|[^\W\d_\u3040-\u30ff\u4e00-\u9fff]{2,}")
_MIN_WORDS = 10  # fewer words than a one-line wire flash is navigation, not an article


@cache
def _config() -> Any:
    """trafilatura settings for report pages, built once."""
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "min_extracted_size", _MIN_EXTRACTED)
    config.set("DEFAULT", "extraction_timeout", "0")  # signal-based; unsafe off the main thread
    config.set("DEFAULT", "extensive_date_search", "off")
    return config


def _parser() -> Any:
    """An lxml HTML parser reading UTF-8 bytes whatever the page declares (one a call: lxml
    parsers must not be shared between threads)."""
    import lxml.html

    return lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)


def is_truncated(html: str) -> bool:
    """True for a whole page (it opens <html>) that never closes its body or document."""
    data = html.encode("utf-8", "ignore")
    return bool(_OPEN_HTML.search(data[:4096])) and not _CLOSE_HTML.search(data[-4096:])


def _tree(html: str) -> Any | None:
    """The page parsed by lxml (lenient), or None if lxml finds nothing to parse."""
    import lxml.etree
    import lxml.html

    try:
        # bytes with an explicit parser encoding: the text is already decoded, and a page's own
        # <meta charset> (now wrong) must not make lxml decode it a second time
        return lxml.html.document_fromstring(html.encode("utf-8"), parser=_parser())
    except (lxml.etree.ParserError, ValueError):
        return None


def _clean(text: str) -> str:
    """One line of visible text with its white space collapsed."""
    return _WS.sub(" ", text).strip()


def captions_of(tree: Any) -> list[str]:
    """Texts of the page's <figcaption> elements, in order."""
    out = []
    for node in tree.iter("figcaption"):
        text = _clean(node.text_content())
        if text and text not in out:
            out.append(text)
    return out


def fragment_text(html: str) -> str:
    """Plain text of an HTML fragment (a feed item's content): one paragraph a block."""
    if "<" not in html:
        return _clean(html)
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return ""
    lxml.etree.strip_elements(root, "script", "style", with_tail=False)
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for node in root.iter():
        if isinstance(node.tag, str) and node.tag in _BLOCKS:
            node.tail = "\n\n" + (node.tail or "")
            node.text = "\n\n" + (node.text or "")
    paragraphs = (_clean(p) for p in root.text_content().split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)


def extract_html(html: str, source: str, url: str | None = None,
                 encoding: str | None = None) -> Report:
    """A Report from an HTML page, or ReadError if it holds no article text."""
    if is_truncated(html):
        raise ReadError("truncated HTML: the page ends before </body> or </html>")
    tree = _tree(html)
    if tree is None:
        raise ReadError(NO_TEXT)
    import lxml.etree
    import trafilatura

    today = dt.date.today().isoformat()
    try:
        doc = trafilatura.bare_extraction(
            tree, url=url, with_metadata=True, include_comments=False, include_images=False,
            include_tables=False, config=_config(),
            date_extraction_params={"extensive_search": False, "original_date": True,
                                    "max_date": today},
        )
    except (ValueError, TypeError, lxml.etree.LxmlError) as exc:
        raise ReadError(f"malformed HTML: {exc}") from None
    if doc is None:
        raise ReadError(NO_TEXT)
    assert not isinstance(doc, dict)  # as_dict is off: bare_extraction returns a Document
    tree = _tree(html)  # trafilatura prunes the tree it is given; read captions from a fresh one
    captions = captions_of(tree) if tree is not None else []
    title = _clean(doc.title) if doc.title else None
    lines = [_clean(ln) for ln in (doc.text or "").split("\n")]
    lines = [ln for ln in lines if ln and ln not in captions]
    if lines and title and lines[0] == title:
        lines = lines[1:]
    if sum(len(_WORD.findall(ln)) for ln in lines) < _MIN_WORDS:
        raise ReadError(NO_TEXT)
    language = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") \
        if tree is not None else None
    tags = [*(doc.tags or []), *(doc.categories or [])]
    return Report(
        source=source, body="\n\n".join(lines), format="html", title=title,
        outlet=doc.sitename or None, author=doc.author or None, published=doc.date or None,
        language=language or doc.language, url=url or doc.url,
        tags=tuple(t for t in tags if t), captions=tuple(captions), encoding=encoding,
    )
