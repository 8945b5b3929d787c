"""Who says it: attributions of six kinds, and which speaker governs each sentence.

Anonymous sources are found from their noun ("source", "resident", "trader"…) outwards: the
words before it, a prepositional tail ("in China", "of North Hamgyong Province") and a speech
verb after it, or one before it after a quote or comma ("…,” said the source"). Outlets, official
bodies, documents and named people are found from their names and checked for a reporting verb.
All vocabulary is data (data/lang/en/attributions.yaml), compiled once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from borderwatch.datafiles import DataError, read_yaml
from borderwatch.extract.cues import lower_regex, lowered, word_start_gate
from borderwatch.model import Attribution, Document, Mention

_FILE = "lang/en/attributions.yaml"
_W = r"[\w’'-]+(?:\.[\w’'-]+)*"  # a word inside a name or phrase ("U.N" but no final stop)
# Ties between overlapping candidates go to the more specific kind.
_PRIORITY = {"named_person": 0, "document": 1, "anonymous": 2, "official": 3, "state_media": 4,
             "media_outlet": 5}


def _low(source: str) -> re.Pattern[str]:
    """Compile for lower-cased text (see cues.lowered): much faster than re.IGNORECASE."""
    return re.compile(lower_regex(source))


def _items(data: dict[str, Any], key: str, escape: bool = False) -> list[str]:
    """A data list as regex sources (spaces match any white space), longest first; empty -> DataError."""
    items = data.get(key)
    if not isinstance(items, list) or not items or not all(isinstance(i, str) and i for i in items):
        raise DataError(f"{_FILE}: {key!r} must be a non-empty list of strings")
    items = sorted(items, key=len, reverse=True)  # longest first: "Yonhap News Agency" before "Yonhap"
    return [(re.escape(i) if escape else i).replace(r"\ ", " ").replace(" ", r"\s+") for i in items]


def _alt(data: dict[str, Any], key: str, escape: bool = False) -> str:
    """A data list as one regex alternation."""
    return "|".join(_items(data, key, escape))


def _gated(data: dict[str, Any], key: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A whole-text finder for lower-cased text: a fast word-start gate and the full pattern."""
    srcs = [lower_regex(f"(?:{i})(?![\\w-])") for i in _items(data, key)]
    return word_start_gate(srcs), _low(rf"(?<![\w-])(?:{_alt(data, key)})(?![\w-])")


@dataclass(frozen=True, slots=True)
class _Vocab:
    outlet: re.Pattern[str]
    outlet_of: dict[str, tuple[str, str]]
    noun: re.Pattern[str]
    noun_gate: re.Pattern[str]
    left: re.Pattern[str]
    tail: re.Pattern[str]
    verb_after: re.Pattern[str]
    verb_before: re.Pattern[str]
    according: re.Pattern[str]
    told: re.Pattern[str]
    report_after: re.Pattern[str]
    state_reach: re.Pattern[str]
    outlet_modifier: re.Pattern[str]
    credit: re.Pattern[str]
    official: re.Pattern[str]
    official_gate: re.Pattern[str]
    official_after: re.Pattern[str]
    doc_head: re.Pattern[str]
    doc_gate: re.Pattern[str]
    doc_left: re.Pattern[str]
    doc_by: re.Pattern[str]
    doc_after: re.Pattern[str]
    name: re.Pattern[str]
    person_after: re.Pattern[str]
    continuation: re.Pattern[str]
    definite: frozenset[str]
    new_words: frozenset[str]
    name_stop: frozenset[str]
    bare_plural: frozenset[str]
    commentators: frozenset[str]
    passive: re.Pattern[str]
    doc_tail: re.Pattern[str]
    doc_name_left: re.Pattern[str]
    next_cap: re.Pattern[str]
    prep_before: re.Pattern[str]
    told_any: re.Pattern[str]


@cache
def _vocab() -> _Vocab:
    """Compile attributions.yaml once; a missing or empty list raises DataError."""
    d = read_yaml(_FILE)
    if not isinstance(d, dict):
        raise DataError(f"{_FILE}: must be a mapping")
    outlet_of: dict[str, tuple[str, str]] = {}
    for o in d.get("outlets") or []:
        if not isinstance(o, dict) or o.get("kind") not in ("media", "state_media") or not o.get("aliases"):
            raise DataError(f"{_FILE}: outlet {o!r} needs name, kind media|state_media, aliases")
        for alias in [o["name"], *o["aliases"]]:
            if outlet_of.get(alias, (o["name"],))[0] != o["name"]:
                raise DataError(f"{_FILE}: alias {alias!r} names two outlets")
            outlet_of[alias] = (o["name"], o["kind"])
    if not outlet_of:
        raise DataError(f"{_FILE}: 'outlets' is empty")
    outlets = _alt({"o": list(outlet_of)}, "o", escape=True)
    verbs, aux = _alt(d, "speech_verbs"), _alt(d, "auxiliaries")
    stop, tstop = _alt(d, "modifier_stop"), _alt(d, "tail_stop")
    aux_run = rf"(?:\s+(?:{aux}|earlier\s+this\s+\w+|last\s+\w+|this\s+\w+|on\s+\w+(?:\s+\d{{1,2}})?))*"
    before = rf"(?:(?:[,”\"’]|\.\.\.)\s*(?:{verbs})|\b(?:{_alt(d, 'according_to')}))\s*$"
    reach = int(d.get("state_media_reach") or 0)
    if reach <= 0:
        raise DataError(f"{_FILE}: 'state_media_reach' must be a positive number")
    noun_gate, noun = _gated(d, "source_nouns")
    official_gate, official = _gated(d, "official_subjects")
    doc_gate, doc_head = _gated(d, "document_heads")
    return _Vocab(
        noun_gate=noun_gate,
        official_gate=official_gate,
        doc_gate=doc_gate,
        outlet=re.compile(rf"(?<![\w-])(?:{outlets})(?![\w-])"),
        outlet_of=outlet_of,
        noun=noun,
        left=re.compile(
            rf"(?<![\w’'-])(?:(?P<det>(?i:{_alt(d, 'determiners')}))[ \t]+"
            rf"(?P<mods>(?:(?!(?i:{stop})\b){_W}[ \t]+){{0,4}})"
            rf"|(?P<cap>(?:(?:[A-Z]{_W}|[\w-]+-based|(?:local|foreign|senior|government|party|"
            rf"security|customs|trade|border|military|police)(?=\s))[ \t]+){{1,4}}))\Z"),
        tail=_low(
            rf"\s+(?:{_alt(d, 'tail_prepositions')})(?:\s+(?!(?:{tstop})\b){_W}){{1,6}}"),
        verb_after=_low(
            rf"(?:\s*,\s*(?P<aside>{_alt(d, 'asides')}),|{d.get('relative_clause') or '(?!)'})?"
            rf"{aux_run}\s+(?P<verb>{verbs})(?![\w-])"),
        verb_before=_low(before),
        according=_low(rf"\b(?:{_alt(d, 'according_to')})\s*$"),
        told=re.compile(rf"\s+(?P<o>{outlets})(?![\w-])"),
        report_after=_low(
            rf"(?:[’']s(?:\s+[\w-]+){{0,2}}\s+(?:report|article|reporting|broadcast|editorial|"
            rf"commentary|website))?{aux_run}\s+(?:{_alt(d, 'report_verbs')})(?![\w-])"),
        state_reach=_low(
            rf"[^.!?\n]{{0,{reach}}}?(?<![\w-])(?:{_alt(d, 'report_verbs')})(?![\w-])"),
        outlet_modifier=_low(rf"\s+(?:{_alt(d, 'outlet_modifier_nouns')})(?![\w-])"),
        credit=_low(rf"(?:{_alt(d, 'credit_before')})$"),
        official=official,
        official_after=_low(rf"{aux_run}\s+(?:{_alt(d, 'official_verbs')})(?![\w-])"),
        doc_head=doc_head,
        doc_left=_low(
            rf"(?<![\w’'-])(?:(?:{_alt(d, 'determiners')}|its|their|his|her)[ \t]+)?"
            rf"(?P<mods>(?:(?!(?:{_alt(d, 'document_modifier_stop')})\b){_W}[ \t]+){{0,5}})\Z"),
        doc_by=re.compile(rf"\s+(?i:{_alt({'by': [d.get('document_by')]}, 'by')})\s+"
                          rf"(?:{outlets}|[A-Z0-9][\w.-]*(?:\s+[A-Z0-9][\w.-]*){{0,3}})"),
        doc_after=_low(rf"{aux_run}\s+(?:{_alt(d, 'document_verbs')})(?![\w-])"),
        name=re.compile(r"(?<![\w’'-])[A-Z][a-z]+(?:-[a-z]+)?(?:\s[A-Z][a-z]+(?:-[a-z]+)?){1,2}(?![\w-])"),
        person_after=_low(
            rf"(?:\s*,\s*[^,.;“”\"]{{1,120}},)?{aux_run}\s+(?P<verb>{verbs})(?![\w-])"),
        continuation=_low(rf"(?<![\w-])(?:{_alt(d, 'continuations')})(?![\w-])"),
        definite=frozenset(w.lower() for w in d.get("definite") or []),
        new_words=frozenset(w.lower() for w in d.get("new_holder_words") or []),
        name_stop=frozenset(d.get("name_stopwords") or []),
        bare_plural=frozenset(w.lower() for w in _items(d, "bare_plural_nouns")),
        commentators=frozenset(w.lower() for w in _items(d, "commentator_nouns")),
        passive=_low(rf"(?<![\w-])(?:{_alt(d, 'passive_before')})\s+$"),
        doc_tail=_low(
            rf"\s+(?:{_alt(d, 'document_tail')})(?:\s+{_W}){{1,12}}?"
            rf"(?={aux_run}\s+(?:{_alt(d, 'document_verbs')})(?![\w-]))"),
        doc_name_left=re.compile(
            rf"(?<![\w’'-])(?:(?i:{_alt(d, 'determiners')})[ \t]+)?"
            rf"(?:[A-Z][\w’'.-]*[ \t]+(?:(?:{_alt(d, 'name_connectors')})[ \t]+)*){{1,8}}\Z"),
        next_cap=re.compile(r"[ \t]+[A-Z]"),
        told_any=re.compile(rf"\b(?:told|tells)\s+(?P<o>{outlets})(?![\w-])"),
        prep_before=_low(rf"(?<![\w-])(?:{_alt(d, 'tail_prepositions')})\s+$"),
    )


@dataclass(slots=True)
class _Cand:
    """A candidate attribution before overlaps are settled."""

    start: int
    end: int
    kind: str
    outlet: str | None
    holder: str
    rule: str
    key: str = ""  # noun of an anonymous source, for "the source" later


def _window_before(pat: re.Pattern[str], text: str, pos: int, width: int = 60) -> re.Match[str] | None:
    """`pat` (anchored with $) matched against the text just before `pos`."""
    return pat.search(text, max(0, pos - width), pos)


def _told_outlet(v: _Vocab, text: str, m: re.Match[str] | None) -> str | None:
    """The outlet after 'told' ("told RFA's Korean Service"), if the verb is 'told'/'tells'."""
    if m is None or not m.group("verb").lower().startswith(("tol", "tell")):
        return None
    o = v.told.match(text, m.end())
    return v.outlet_of[o.group("o")][0] if o else None


def _anonymous(v: _Vocab, doc: Document, low: str) -> list[_Cand]:
    """Unnamed sources: noun phrase plus a speech verb after it, or a framing verb before it."""
    text, out = doc.text, []
    told_first = _own_outlet(v, doc)
    for g in v.noun_gate.finditer(low):
        nm = v.noun.match(low, g.start())
        if nm is None:
            continue
        ns, ne = nm.span()
        left = _window_before(v.left, text, ns, 80)
        ps = left.start() if left else ns
        tail = v.tail.match(low, ne)
        pe = tail.end() if tail else ne
        after = v.verb_after.match(low, pe)
        if after and v.passive.search(low, max(0, after.start("verb") - 12), after.start("verb")):
            after = None  # "residents have been told": they are told, they do not tell
        before = None if after else _window_before(v.verb_before, low, ps, 40)
        if not after and (not before or v.next_cap.match(text, pe)):
            continue  # "according to the North's official Korean Central…": a modifier
        det = (left.group("det") or "").lower() if left else ""
        mods = ((left.group("mods") or left.group("cap") or "") if left else "").split()
        om = v.outlet.search(" ".join(mods))
        new = det in v.new_words or any(w.lower() in v.new_words for w in mods)
        words = [w for w in mods if w.lower() not in v.new_words and w.lower() != "same"]
        noun = nm.group(0)
        if _generic(v, noun, det, words, tail, after, told_first, om):
            continue
        key = noun.rstrip("s") or noun
        aside = after.group("aside") if after else None
        if aside and aside[:2].lower() in ("a ", "an"):  # an appositive: "a second source, a farmer in X,"
            pe = after.start("aside") + len(aside)
        label = " ".join([*words, *text[ns:pe].split()])
        outlet = _told_outlet(v, text, after) or (v.outlet_of[om.group(0)][0] if om else None)
        rule = "attribution.anonymous." + ("verb_after" if after else "verb_before")
        if det in v.definite:
            ref = _antecedent(out, key, " ".join([*words, *(tail.group(0).split() if tail else [])]))
            if ref is not None:
                label, outlet, rule = ref.holder, outlet or ref.outlet, "attribution.anonymous.anaphora"
            elif not words and not tail and _in_quote(text, ns):
                continue  # "the brokers say…" inside someone's quote: reported, not a new source
        elif new and any(c.holder == label for c in out):
            label = f"{label} ({sum(c.holder.startswith(label) for c in out) + 1})"
        # an undated wire file: a source is the outlet's that the first source spoke to
        out.append(_Cand(ps, pe, "anonymous", outlet or told_first, label, rule, key))
    return out


def _generic(v: _Vocab, noun: str, det: str, words: list[str], tail: re.Match[str] | None,
             after: re.Match[str] | None, own: str | None, om: re.Match[str] | None) -> bool:
    """A plural that speaks for nobody in particular: "Residents say", "Analysts in Seoul said",
    or the report's own outlet's network ("Daily NK's sources reported")."""
    low = noun.lower()
    if det:
        return False
    if om is not None and " ".join(words) == om.group(0) and v.outlet_of[om.group(0)][0] == own \
            and not tail and low.endswith("s"):
        return True
    if low not in v.bare_plural or words:
        return False
    return low in v.commentators or (after is not None and tail is None)


def _antecedent(out: list[_Cand], key: str, content: str) -> _Cand | None:
    """The earlier source a definite phrase refers back to: "the Dandong source" is the last
    source whose holder names Dandong; a bare "the source" is the last of its noun, or any."""
    want = [w.lower() for w in content.split() if w.lower() not in _FUNCTION_WORDS]
    fits = [c for c in reversed(out) if c.kind == "anonymous" and all(w in c.holder.lower() for w in want)]
    same = next((c for c in fits if c.key == key), None)
    return same or (fits[0] if fits and key == "source" else None)


_FUNCTION_WORDS = frozenset({"in", "of", "from", "at", "near", "the", "a", "an", "inside", "based",
                             "province", "county", "city"})


def _own_outlet(v: _Vocab, doc: Document) -> str | None:
    """The report's outlet: as given, else the one its sources "told" (an undated wire file)."""
    if doc.outlet:
        return doc.outlet
    m = v.told_any.search(doc.text)
    return v.outlet_of[m.group("o")][0] if m else None


def _in_quote(text: str, pos: int) -> bool:
    """Whether `pos` lies inside a quotation opened earlier in its paragraph."""
    para = text.rfind("\n", 0, pos) + 1
    chunk = text[para:pos]
    return chunk.count("“") > chunk.count("”") or chunk.count('"') % 2 == 1


def _outlets(v: _Vocab, doc: Document, low: str, mentions: Sequence[Mention]) -> list[_Cand]:
    """Media and state media as the origin of a claim; credits and modifiers are skipped."""
    text, out = doc.text, []
    spans = [(m.start(), m.end(), *v.outlet_of[m.group(0)]) for m in v.outlet.finditer(text)]
    taken = [(s, e) for s, e, _, _ in spans]
    for m in mentions:
        if m.kind == "organization" and m.org_kind in ("media", "state_media") and not any(
                s < m.end and m.start < e for s, e in taken):
            spans.append((m.start, m.end, m.name, m.org_kind))
    for s, e, name, kind in spans:
        if _window_before(v.credit, low, s, 40) or v.outlet_modifier.match(low, e) \
                or text[s:e].endswith(("'s", "’s")):
            continue  # a credit, or a modifier: "a Daily NK source", "Daily NK's survey"
        according = _window_before(v.according, low, s, 40)
        r = v.report_after.match(low, e)
        if kind == "state_media":
            r = r or v.state_reach.match(low, e)
            if r or according:
                how = "reported" if r else "according_to"
                out.append(_Cand(s, e, kind, name, name, f"attribution.state_media.{how}"))
        elif r:
            out.append(_Cand(s, r.end(), "media_outlet", name, name, "attribution.media_outlet.reported"))
        elif according:
            out.append(_Cand(s, e, "media_outlet", name, name, "attribution.media_outlet.according_to"))
    return out


def _holder_name(phrase: str) -> str:
    """A canonical holder label: white space collapsed, a leading article dropped."""
    words = phrase.split()
    if words and words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


def _officials(v: _Vocab, doc: Document, low: str, mentions: Sequence[Mention]) -> list[_Cand]:
    """Governments, ministries and authorities that claim, say or announce."""
    out = []
    found = (v.official.match(low, g.start()) for g in v.official_gate.finditer(low))
    spans = [(m.start(), m.end(), _holder_name(doc.text[m.start():m.end()])) for m in found if m]
    orgs = [m for m in mentions if m.kind == "organization"]
    # a phrase holding a known body is held by that body: "the JCS" and "the Joint Chiefs of Staff"
    spans = [(s, e, next((m.name for m in orgs if s <= m.start and m.end <= e), h)) for s, e, h in spans]
    spans += [(m.start, m.end, m.name) for m in orgs if m.org_kind in ("government", "party", "military")]
    for s, e, holder in spans:
        if v.prep_before.search(low, max(0, s - 12), s):
            continue  # "analysts in Seoul said": a place, not a government speaking
        if v.official_after.match(low, e):
            out.append(_Cand(s, e, "official", None, holder, "attribution.official.verb_after"))
        elif _window_before(v.verb_before, low, s, 40):
            out.append(_Cand(s, e, "official", None, holder, "attribution.official.verb_before"))
    return out


def _documents(v: _Vocab, doc: Document, low: str) -> list[_Cand]:
    """Reports, resolutions, data and imagery that say or show something."""
    text, out = doc.text, []
    own_heads: set[str] = set()  # heads of the report's own outlet's documents ("its survey")
    own = _own_outlet(v, doc)
    for g in v.doc_gate.finditer(low):
        hm = v.doc_head.match(low, g.start())
        if hm is None:
            continue
        left = _window_before(v.doc_name_left, text, hm.start(), 100) or \
            _window_before(v.doc_left, low, hm.start(), 80)
        ps = left.start() if left else hm.start()
        by = v.doc_by.match(text, hm.end())
        pe = by.end() if by else hm.end()
        tail = None if by or v.doc_after.match(low, pe) else v.doc_tail.match(low, pe)
        pe = tail.end() if tail else pe
        if v.doc_after.match(low, pe):
            rule = "attribution.document.verb_after"
        elif _window_before(v.verb_before, low, ps, 40):
            rule = "attribution.document.verb_before"
        else:
            continue
        om = v.outlet.search(text, ps, pe)
        outlet = v.outlet_of[om.group(0)][0] if om else None
        head = hm.group(0).lower()
        if outlet is not None and outlet == own and rule.endswith("verb_before"):
            own_heads.add(head)  # "according to Daily NK's survey" in Daily NK: its own voice
            continue
        if head in own_heads and text[ps:hm.start()].strip().lower() in v.definite:
            continue  # "the survey" again
        out.append(_Cand(ps, pe, "document", outlet, _holder_name(text[ps:pe]), rule))
    return out


def _persons(v: _Vocab, doc: Document, low: str, mentions: Sequence[Mention]) -> list[_Cand]:
    """Named people followed by a speech verb (after an optional appositive) or after one."""
    text, out = doc.text, []
    others = [(m.start, m.end) for m in mentions if m.kind != "person"]
    spans = [(m.start, m.end, m.name) for m in mentions if m.kind == "person"]
    for m in v.name.finditer(text):
        s, e = m.span()
        if m.group(0).split()[0] in v.name_stop or v.outlet.fullmatch(m.group(0)) \
                or v.official.fullmatch(low, s, e):
            continue
        if any(a < e and s < b for a, b in others) or any(a < e and s < b for a, b, _ in spans):
            continue
        spans.append((s, e, m.group(0)))
    for s, e, name in spans:
        after = v.person_after.match(low, e)
        if after or _window_before(v.verb_before, low, s, 40):
            out.append(_Cand(s, e, "named_person", _told_outlet(v, text, after), name,
                             "attribution.named_person." + ("verb_after" if after else "verb_before")))
    return out


def find_attributions(doc: Document, mentions: Sequence[Mention]) -> list[Attribution]:
    """Every who-says-it phrase in the document, in text order, overlaps settled by length."""
    v = _vocab()
    low = lowered(doc.text)
    cands = (_persons(v, doc, low, mentions) + _documents(v, doc, low) + _anonymous(v, doc, low)
             + _officials(v, doc, low, mentions) + _outlets(v, doc, low, mentions))
    cands.sort(key=lambda c: (-(c.end - c.start), _PRIORITY[c.kind], c.start))
    kept: list[_Cand] = []
    for c in cands:
        if not any(k.start < c.end and c.start < k.end for k in kept):
            kept.append(c)
    kept.sort(key=lambda c: c.start)
    return [Attribution(text=doc.text[c.start:c.end], start=c.start, end=c.end, kind=c.kind,
                        outlet=c.outlet, holder=c.holder, sentence=doc.sentence_at(c.start), rule=c.rule)
            for c in kept]


_OPEN_QUOTE = re.compile(r"^[“\"‘]")


def _quote_open_after(sentence: str, was_open: bool) -> bool:
    """Whether a quotation is still open at the end of a sentence."""
    curly = sentence.count("“") - sentence.count("”")
    if curly:
        return curly > 0
    if sentence.count('"') % 2:
        return not was_open
    return was_open and "”" not in sentence


def speakers_by_sentence(doc: Document, attributions: Sequence[Attribution]) -> list[int | None]:
    """For each sentence, the attribution governing it (None: the outlet's own voice).

    An attribution governs its sentence and the rest of its paragraph; quoted sentences and
    "he added" lines keep the last named speaker until the next one is named.
    """
    v = _vocab()
    text = doc.text
    by_sentence: dict[int, int] = {}
    for i, a in enumerate(attributions):
        by_sentence.setdefault(doc.sentence_at(a.start), i)
    out: list[int | None] = []
    last: int | None = None
    para: int | None = None
    open_quote = False
    prev_end = 0
    for si, s in enumerate(doc.sentences):
        if si == 0 or "\n" in text[prev_end:s.start]:
            para = None
        sentence = text[s.start:s.end]
        quoted = open_quote or bool(_OPEN_QUOTE.match(sentence))
        if si in by_sentence:
            last = para = by_sentence[si]
            out.append(last)
        elif quoted or v.continuation.search(lowered(sentence)):
            out.append(last)
            para = last
        else:
            out.append(para)
        open_quote = _quote_open_after(sentence, open_quote)
        prev_end = s.end
    return out
