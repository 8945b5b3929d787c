"""Named speakers: outlets, official bodies, documents and people, found from their names (or the
forms of names) and checked for a reporting verb after them or a framing phrase before them.

Anonymous sources and the settling of overlaps live in extract/attributions.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from borderwatch.extract.attribution_vocab import Vocab, vocab
from borderwatch.model import Document, Mention
from borderwatch.values import SpanSet


@dataclass(slots=True)
class Cand:
    """A candidate attribution before overlaps are settled."""

    start: int
    end: int
    kind: str
    outlet: str | None
    holder: str
    rule: str
    key: str = ""  # head noun of an anonymous source or a document, for "the source" later
    bare: bool = False  # a bare noun ("Sources say"): refers to a fuller phrase of its noun if any
    noun: str = ""  # the head noun as written, lower-cased (number kept: "sources" is not "source")


def window_before(pat: re.Pattern[str], text: str, pos: int, width: int = 60) -> re.Match[str] | None:
    """`pat` (anchored with $) matched against the text just before `pos`."""
    return pat.search(text, max(0, pos - width), pos)


def own_outlet(v: Vocab, doc: Document) -> str | None:
    """The report's outlet: as given, else the one its sources "told" (an undated wire file)."""
    return doc.outlet or _told_outlet_of(doc.text)


@lru_cache(maxsize=4)
def _told_outlet_of(text: str) -> str | None:
    """The outlet the text's sources first "told" (asked twice per report: found once)."""
    v = vocab()
    m = v.told_any.search(text)
    return v.outlet_of[m.group("o")][0] if m else None


def holder_name(phrase: str) -> str:
    """A canonical holder label: white space collapsed, a leading article dropped."""
    words = phrase.split()
    if words and words[0].lower() in vocab().articles:
        words = words[1:]
    return " ".join(words)


def _possessive(text: str, end: int) -> bool:
    return text.startswith(("'s", "’s"), end)


def outlet_spans(v: Vocab, text: str) -> list[tuple[int, int, str]]:
    """Every outlet name in the text: (start, end, form)."""
    return [(m.start(), m.end(), m.group(0)) for m in v.outlet.finditer(text)]


def outlets(v: Vocab, doc: Document, low: str, mentions: Sequence[Mention],
            named: list[tuple[int, int, str]]) -> list[Cand]:
    """Media and state media as the origin of a claim; credits and modifiers are skipped."""
    text, out = doc.text, []
    spans = [(s, e, *v.outlet_of[form]) for s, e, form in named]
    taken = SpanSet((s, e) for s, e, _ in named)
    for m in mentions:
        if m.kind == "organization" and m.org_kind in ("media", "state_media") and \
                not taken.overlaps(m.start, m.end):
            spans.append((m.start, m.end, m.name, m.org_kind))
            taken.add(m.start, m.end)
    for om in v.outlet_name.finditer(text):  # a publication named by its form: "Hokkai Shimbun"
        s, e = om.span()
        if om.group(0).split()[0] not in v.outlet_name_stop and not taken.overlaps(s, e):
            spans.append((s, e, om.group(0), "media"))
            taken.add(s, e)
    spans.sort()
    for i, (s, e, name, kind) in enumerate(spans):
        if window_before(v.credit, low, s, 40) or v.outlet_modifier.match(low, e) or _possessive(text, e) \
                or text[s:e].endswith(("'s", "’s")):
            continue  # a credit, or a modifier: "a Daily NK source", "Daily NK's survey"
        according = window_before(v.according, low, s, 80) if name != doc.outlet else None
        r = v.report_after.match(low, e)
        end = r.end() if r else e
        if r is None and i + 1 < len(spans) and v.body_joiner.fullmatch(text[e:spans[i + 1][0]]):
            r = v.report_after.match(low, spans[i + 1][1])  # "Kyodo and Hokkai Shimbun reported"
        if kind == "state_media":
            r = r or v.state_reach.match(low, e)
            if r or according:
                how = "reported" if r else "according_to"
                out.append(Cand(s, e, kind, name, name, f"attribution.state_media.{how}"))
        elif r:
            out.append(Cand(s, end, "media_outlet", name, name, "attribution.media_outlet.reported"))
        elif according:
            out.append(Cand(s, e, "media_outlet", name, name, "attribution.media_outlet.according_to"))
    states = {c.holder for c in out if c.kind == "state_media"}
    for g in v.state_media_gate.finditer(low):  # "North Korea's state media reported"
        pm = v.state_media_phrase.match(low, g.start())
        if pm is None:
            continue
        s, e = pm.span()
        if len(states) > 1 or not (v.report_after.match(low, e) or v.state_reach.match(low, e)
                                   or window_before(v.according, low, s, 40)):
            continue  # several named state outlets: the description is them, not another one
        holder = next(iter(states)) if states else holder_name(text[s:e])
        out.append(Cand(s, e, "state_media", holder if states else None, holder, "attribution.state_media.described"))
    for sm in v.source_line.finditer(text):  # "Source: Yonhap"
        name, kind = v.outlet_of[sm.group("o")]
        if name != doc.outlet:
            kind = "state_media" if kind == "state_media" else "media_outlet"
            out.append(Cand(sm.start("o"), sm.end("o"), kind, name, name, f"attribution.{kind}.source_line"))
    return out


def officials(v: Vocab, doc: Document, low: str, mentions: Sequence[Mention],
              named: list[tuple[int, int, str]]) -> list[Cand]:
    """Governments, ministries, authorities, international bodies and NGOs that say or announce."""
    out, text = [], doc.text
    found = (v.official.match(low, g.start()) for g in v.official_gate.finditer(low))
    spans = [(m.start(), m.end(), holder_name(text[m.start():m.end()])) for m in found if m]
    orgs = [m for m in mentions if m.kind == "organization"]
    # a phrase holding a known body is held by that body: "the JCS" and "the Joint Chiefs of Staff"
    spans = [(s, e, next((m.name for m in orgs if s <= m.start and m.end <= e), h)) for s, e, h in spans]
    spans += [(m.start, m.end, m.name) for m in orgs if m.org_kind in v.official_org_kinds]
    # a country speaks by its name ("China announced"), not by its demonym ("the Chinese said")
    country = [m for m in mentions if m.kind == "country" and not (
        m.text != m.name and m.text.endswith(v.demonym_endings))]
    countries = {(m.start, m.end) for m in country}
    spans += [(m.start, m.end, m.name) for m in country]
    media = [(s, e) for s, e, _ in named] + \
        [(m.start, m.end) for m in orgs if m.org_kind in ("media", "state_media")]
    taken = SpanSet([(s, e) for s, e, _ in spans] + media)
    for m in v.body_name.finditer(text):  # a body named by its form: "the Korean Freedom Alliance"
        s, e = m.span()
        if not taken.overlaps(s, e):
            spans.append((s, e, holder_name(m.group(0))))
            taken.add(s, e)
    spans.sort()
    for i, (s, e, holder) in enumerate(spans):
        if v.prep_before.search(low, max(0, s - 12), s) or _possessive(text, e) or \
                in_quote(text, s, doc.sentences[doc.sentence_at(s)].start):
            continue  # "analysts in Seoul said", "Pyongyang's state daily", a quoted claim
        after = v.official_after.match(low, e)
        if after is None and i + 1 < len(spans) and v.body_joiner.fullmatch(text[e:spans[i + 1][0]]):
            after = v.official_after.match(low, spans[i + 1][1])  # "Japan and South Korea said"
        verb = after.start("verb") if after else 0
        if after and not after.group("verb").endswith(v.progressive) and v.passive.search(low, max(0, verb - 12), verb):
            continue  # "Laos was reported by the panel"
        how = "verb_after" if after else "verb_before"
        if after or ((s, e) not in countries and window_before(v.verb_before, low, s, 40)):
            head = holder.lower()  # "the ministry": the ministry named before, if any
            out.append(Cand(s, e, "official", None, holder, f"attribution.official.{how}", head,
                            bare=head in v.official_generic, noun=head))
    return out


def documents(v: Vocab, doc: Document, low: str) -> list[Cand]:
    """Reports, resolutions, data and imagery that say or show something; a report by an outlet
    is the outlet reporting."""
    text, out = doc.text, []
    own = own_outlet(v, doc)
    own_heads: set[str] = set()  # heads of the report's own outlet's documents ("its survey")
    for g in v.doc_gate.finditer(low):
        hm = v.doc_head.match(low, g.start())
        if hm is None:
            continue
        head = hm.group(0).lower()
        left = window_before(v.doc_name_left, text, hm.start(), 100) or \
            window_before(v.doc_left, low, hm.start(), 80)
        ps = left.start() if left else hm.start()
        bo = v.doc_by_outlet.match(text, hm.end()) if head in v.outlet_report_heads else None
        if bo is not None and window_before(v.verb_before, low, ps, 40):
            name, kind = v.outlet_of[bo.group("o")]
            if name != own:
                kind = "state_media" if kind == "state_media" else "media_outlet"
                out.append(Cand(ps, bo.end(), kind, name, name, f"attribution.{kind}.report_by"))
            continue
        by = v.doc_by.match(text, hm.end())
        pe = by.end() if by else hm.end()
        tail = None if by or v.doc_after.match(low, pe) else v.doc_tail.match(low, pe)
        pe = tail.end() if tail else pe
        if v.doc_after.match(low, pe):
            rule = "attribution.document.verb_after"
        elif window_before(v.verb_before, low, ps, 40) or window_before(v.doc_before, low, ps, 20):
            rule = "attribution.document.verb_before"
            tb = None if by or tail else v.doc_tail_before.match(low, pe)
            pe = tb.end() if tb else pe  # "according to an analysis of satellite imagery,"
        else:
            continue
        mods = [w.lower() for w in text[ps:hm.start()].split()]
        named = any(w[:1].isupper() for w in text[ps:hm.start()].split()[1:]) or \
            (bool(mods) and mods[0] not in v.definite and mods[0] not in v.indefinite and text[ps:ps + 1].isupper())
        if head in v.own_work_heads and not by and not named:
            continue  # "A review of the trade data shows": the writer's own analysis
        if head in v.vague_doc_heads and not by and not tail and \
                all(w in v.definite or w in v.indefinite or w in v.vague_doc_words for w in mods) and \
                not any(w in v.definite for w in mods):
            continue  # "according to reports", "a press report said": nobody in particular
        om = v.outlet.search(text, ps, pe)
        outlet = v.outlet_of[om.group(0)][0] if om else None
        if om is not None and outlet == own and rule.endswith("verb_before") and \
                (_possessive(text, om.end()) or om.group(0).endswith(("'s", "’s"))):
            own_heads.add(head)  # "according to Daily NK's survey" in Daily NK: its own voice
            continue
        if head in own_heads and text[ps:hm.start()].strip().lower() in v.definite:
            continue  # "the survey" again
        key = head.rstrip("s")
        out.append(Cand(ps, pe, "document", outlet, holder_name(text[ps:pe]), rule, key,
                        bare=bool(mods) and mods[0] in v.definite, noun=key))
    return out


def persons(v: Vocab, doc: Document, low: str, mentions: Sequence[Mention],
            named: list[tuple[int, int, str]]) -> list[Cand]:
    """Named people followed by a speech verb (after an optional appositive) or after a framing
    phrase (with an optional role: "according to Finance secretary X"); a surname alone is
    the person named in full earlier."""
    text = doc.text
    others = [(m.start, m.end) for m in mentions if m.kind != "person"] + [(s, e) for s, e, _ in named]
    spans = [(m.start, m.end, m.name) for m in mentions if m.kind == "person"
             and m.name.split()[-1] not in v.body_heads]
    taken = SpanSet(others + [(s, e) for s, e, _ in spans])
    for m in v.name.finditer(text):
        s, e = m.span()
        words = m.group(0).split()
        if words[0] in v.name_stop or words[-1] in v.body_heads or any(b in m.group(0) for b in v.based) \
                or v.official.fullmatch(low, s, e):
            continue
        if taken.overlaps(s, e):
            continue
        spans.append((s, e, m.group(0)))
        taken.add(s, e)
    out = [c for c in (_person_cand(v, text, low, s, e, name) for s, e, name in spans) if c]
    # a single word stands for a person named in full: a person mention or a speaking name
    full = _surnames([m.name for m in mentions if m.kind == "person"] + [c.holder for c in out])
    singles = [(m.start(), m.end(), full[m.group(0)]) for m in v.surname.finditer(text) if m.group(0) in full]
    singles += [(sm.start("n"), sm.end("n"), full.get(sm.group("n"), sm.group("n")))
                for sm in v.said_surname.finditer(text) if sm.group("n") not in v.name_stop]  # "…, said Park,"
    for s, e, name in singles:
        if not taken.overlaps(s, e):
            spans.append((s, e, name))
            taken.add(s, e)
            c = _person_cand(v, text, low, s, e, name)
            if c is not None:
                out.append(c)
    return out


def _person_cand(v: Vocab, text: str, low: str, s: int, e: int, name: str) -> Cand | None:
    """A named person speaking: a speech verb after the name (past an appositive) or a framing
    phrase before it."""
    after = v.person_after.match(low, e)
    if after or window_before(v.verb_before, low, s, 40) or window_before(v.person_title_before, low, s, 80):
        rule = "attribution.named_person." + ("verb_after" if after else "verb_before")
        return Cand(s, e, "named_person", told_outlet(v, text, after), name, rule)
    return None


def in_quote(text: str, pos: int, since: int | None = None) -> bool:
    """Whether `pos` lies inside a quotation opened earlier in its paragraph (or after `since`)."""
    para = text.rfind("\n", 0, pos) + 1 if since is None else since
    chunk = text[para:pos]
    return chunk.count("“") > chunk.count("”") or chunk.count('"') % 2 == 1


def _surnames(names: list[str]) -> dict[str, str]:
    """A single word -> the full name it stands for: the last word ("Salvador"), and the first
    where names put the family name first ("Koo" of "Koo Byoung-sam", "Wang" of "Wang Wenbin");
    a word two people share stands for neither."""
    out: dict[str, str] = {}
    clash: set[str] = set()
    for name in dict.fromkeys(names):
        words = name.split()
        for w in {words[0], words[-1]}:
            if out.setdefault(w, name) != name:
                clash.add(w)
    return {w: n for w, n in out.items() if w not in clash}


def told_outlet(v: Vocab, text: str, m: re.Match[str] | None) -> str | None:
    """The outlet after 'told' ("told RFA's Korean Service"), if the verb is 'told'/'tells'."""
    if m is None or not m.group("verb").lower().startswith(v.told_stems):
        return None
    o = v.told.match(text, m.end())
    return v.outlet_of[o.group("o")][0] if o else None
