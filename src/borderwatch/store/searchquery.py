"""What an analyst types into the search box, made into a valid SQLite FTS5 query.

FTS5's syntax reads "cross-border" as a column filter, a stray quote as an error and a trailing
AND as a syntax error. An analyst means text. Here every word is kept as written when it is a
plain word (or a prefix like `smuggl*`), quoted when it holds punctuation ("cross-border",
"Kim's", "-iron"), and the advanced syntax is kept where it is well formed: "phrases" in double
quotes, AND / OR / NOT / NEAR in capitals between terms, balanced parentheses. Unbalanced quotes
or parentheses and dangling operators are dropped, so a query never reaches SQLite malformed.
A Korean word is searched as a prefix (its particles are part of the written word).
"""

from __future__ import annotations

import re
from collections.abc import Callable

Spellings = Callable[[str], "tuple[str, ...]"]

_TOKEN = re.compile(r'"[^"]*"|[()]|[^\s()"]+')
_PLAIN = re.compile(r"^\w+\*?$")
_COLUMN = re.compile(r"^(?:title|text):(\w+\*?)$")  # a column filter: title:coal
_OPERATORS = frozenset({"AND", "OR", "NOT"})


def fts_query(text: str, spellings: Spellings | None = None) -> str:
    """A well-formed FTS5 query with the analyst's meaning ('' when nothing searchable is left).

    `spellings(word)` gives other spellings of a plain word (a place's romanisations and
    scripts): the word then matches any of them ("Shinuiju" finds "Sinuiju")."""
    if text.count('"') % 2:  # a stray quote: the last one is text, not a phrase mark
        i = text.rfind('"')
        text = text[:i] + " " + text[i + 1:]
    tokens = _TOKEN.findall(text)
    if tokens.count("(") != tokens.count(")") or not _balanced(tokens):
        tokens = [t for t in tokens if t not in "()"]
    out: list[str] = []
    for n, tok in enumerate(tokens):
        if tok == "NEAR" and n + 1 < len(tokens) and tokens[n + 1] == "(":
            out.append("NEAR")  # NEAR(a b): the group follows
            continue
        if tok in _OPERATORS:
            if out and out[-1] not in _OPERATORS and out[-1] not in ("(", "NEAR"):
                out.append(tok)
            continue
        if _COLUMN.match(tok):
            out.append(tok)
            continue
        if tok == ")" and out and out[-1] in _OPERATORS:
            out.pop()  # "(a OR)" -> "(a)"
        if tok == "(" and out and out[-1] not in _OPERATORS and out[-1] not in ("(", "NEAR"):
            out.append("AND")  # FTS5 wants an explicit AND before a group: "x AND (y OR z)"
        elif tok not in "()" and out and out[-1] == ")":
            out.append("AND")  # and after one: "(x OR y) AND z"
        if tok in "()":
            out.append(tok)
        elif tok.startswith('"'):
            inner = tok[1:-1].strip()
            if inner:
                out.append('"' + inner + '"')
        elif _PLAIN.match(tok):
            if tok.rstrip("*").upper() in _OPERATORS | {"NEAR"} and tok.endswith("*"):
                tok = tok.lower()  # "OR*" is a prefix search for words starting "or"
            others = spellings(tok) if spellings and not tok.endswith("*") else ()
            forms = [_hangul_prefix(tok)] + [_hangul_prefix(q) for q in (_quoted(o) for o in others) if q]
            if len(forms) > 1:
                if out and out[-1] not in _OPERATORS and out[-1] not in ("(", "NEAR"):
                    out.append("AND")
                out += ["(", " OR ".join(dict.fromkeys(forms)), ")"]
            else:
                out.append(forms[0])
        else:
            q = _quoted(tok)
            if q:
                out.append(q)
    while out and out[-1] in _OPERATORS:  # "Sinuiju AND"
        out.pop()
    query = " ".join(out).replace("( ", "(").replace(" )", ")").replace("NEAR (", "NEAR(")
    while True:  # groups left empty by dropped tokens: "()", "NEAR()", "(AND)"
        cleaned = re.sub(r"(?:NEAR)?\(\s*\)", " ", query)
        cleaned = re.sub(r"\b(?:AND|OR|NOT)\s*(?=\)|$)", "", cleaned).strip()
        cleaned = re.sub(r"(\()\s*(?:AND|OR|NOT)\b", r"\1", cleaned)
        cleaned = re.sub(r"^(?:AND|OR|NOT)\b\s*", "", cleaned)
        cleaned = re.sub(r"\b(AND|OR|NOT)\s+(?:AND|OR|NOT)\b", r"\1", cleaned)
        cleaned = " ".join(cleaned.split())
        if cleaned == query:
            break
        query = cleaned
    return "" if query.replace("(", "").replace(")", "").strip() == "" else query


_HANGUL_END = re.compile(r"[\uac00-\ud7a3]\"?$")


def _hangul_prefix(term: str) -> str:
    """A Korean word as a prefix search: particles and endings are written onto the word
    (신의주에서, 혜산시의, 단속했다), and the index splits words at spaces only, so 신의주
    must match the words that begin with it. Other terms are left as they are."""
    return term + "*" if _HANGUL_END.search(term) else term


def _quoted(token: str) -> str:
    """A token with punctuation as an FTS5 string (the tokenizer splits it into its words)."""
    words = re.sub(r"[^\w']+", " ", token).replace("'", " ").split()
    return '"' + " ".join(words) + '"' if words else ""


def _balanced(tokens: list[str]) -> bool:
    depth = 0
    for t in tokens:
        depth += (t == "(") - (t == ")")
        if depth < 0:
            return False
    return depth == 0


__all__ = ["fts_query"]
