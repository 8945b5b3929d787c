"""An FTS5 query, as store/searchquery.fts_query writes it, read into a tree.

Why a tree: the search index (store/searchindex.py) builds its own query objects, and must give
the FTS5 syntax the meaning SQLite gave it, precedence included: adjacent terms (an implicit
AND) bind tightest, then NOT, then AND, then OR. NEAR(...) groups are read as their contents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_QTOKEN = re.compile(r'"[^"]*"\*?|\(|\)|NEAR(?=\()|[^\s()"]+')


@dataclass(frozen=True)
class Leaf:
    words: str  # the text to analyze
    prefix: bool = False
    phrase: bool = False
    field: str | None = None  # title:word


@dataclass(frozen=True)
class Node:
    op: str  # AND, OR, NOT (NOT: children[0] NOT children[1])
    children: tuple[Any, ...]


def parse(match: str) -> Leaf | Node:
    """An FTS5 query (as fts_query writes it) as a tree, with FTS5's precedence: adjacent
    terms (implicit AND) bind tightest, then NOT, then AND, then OR."""
    toks = _QTOKEN.findall(match)
    pos = 0

    def peek() -> str | None:
        return toks[pos] if pos < len(toks) else None

    def take() -> str:
        nonlocal pos
        pos += 1
        return toks[pos - 1]

    def leaf(tok: str) -> Leaf:
        if tok.startswith('"'):
            prefix = tok.endswith("*")
            return Leaf(tok.rstrip("*")[1:-1], prefix=prefix, phrase=True)
        col, _, word = tok.partition(":")
        if word and col in ("title", "text"):
            return Leaf(word.rstrip("*"), prefix=word.endswith("*"), field=col)
        return Leaf(tok.rstrip("*"), prefix=tok.endswith("*"))

    def primary() -> Leaf | Node:
        tok = take()
        if tok in ("(", "NEAR"):
            if tok == "NEAR":
                take()  # its "("
            inner = expr()
            if peek() == ")":
                take()
            return inner
        return leaf(tok)

    def is_term(tok: str | None) -> bool:
        return tok is not None and tok not in ("(", ")", "AND", "OR", "NOT", "NEAR")

    def terms() -> Leaf | Node:
        if not is_term(peek()):
            return primary()
        parts = [leaf(take())]
        while is_term(peek()):
            parts.append(leaf(take()))
        return parts[0] if len(parts) == 1 else Node("AND", tuple(parts))

    def nots() -> Leaf | Node:
        left = terms()
        while peek() == "NOT":
            take()
            left = Node("NOT", (left, terms()))
        return left

    def ands() -> Leaf | Node:
        parts = [nots()]
        while peek() not in (None, ")", "OR"):
            if peek() == "AND":
                take()
            parts.append(nots())
        return parts[0] if len(parts) == 1 else Node("AND", tuple(parts))

    def expr() -> Leaf | Node:
        parts = [ands()]
        while peek() == "OR":
            take()
            parts.append(ands())
        return parts[0] if len(parts) == 1 else Node("OR", tuple(parts))

    return expr()


__all__ = ["Leaf", "Node", "parse"]
