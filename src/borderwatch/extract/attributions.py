"""Who says it: attributions of six kinds, and which speaker governs each sentence.

Anonymous sources are found from their noun ("source", "resident", "trader"…) outwards: the
words before it, a prepositional tail ("in China", "of North Hamgyong Province") and a speech
verb after it, or one before it after a quote or comma ("…,” said the source"). Anyone who
"told Reuters" is a source too. Outlets, official bodies, documents and named people are found
from their names (extract/attribution_bodies.py). Back-references ("the source", "RFA's source",
"the survey", a bare "Sources say") take the holder of the phrase they refer to, so one holder
is one source. All vocabulary is data (data/lang/en/attributions.yaml), compiled once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from borderwatch.extract.attribution_bodies import (
    Cand,
    documents,
    holder_name,
    in_quote,
    officials,
    outlet_spans,
    outlets,
    own_outlet,
    persons,
    told_outlet,
    window_before,
)
from borderwatch.extract.attribution_vocab import Vocab, vocab
from borderwatch.extract.speakers import speakers_by_sentence
from borderwatch.model import Attribution, Document, Mention
from borderwatch.patterns import lowered
from borderwatch.values import SpanSet

__all__ = ["find_attributions", "speakers_by_sentence"]

# Ties between overlapping candidates go to the more specific kind.
_PRIORITY = {"named_person": 0, "document": 1, "anonymous": 2, "official": 3, "state_media": 4,
             "media_outlet": 5}


def _possessive_word(w: str) -> bool:
    return w.endswith(("'s", "’s"))


def _anonymous(v: Vocab, doc: Document, low: str) -> list[Cand]:
    """Unnamed sources: noun phrase plus a speech verb after it, or a framing verb before it."""
    text, out = doc.text, []
    told_first = own_outlet(v, doc)
    for g in v.noun_gate.finditer(low):
        nm = v.noun.match(low, g.start())
        if nm is None:
            continue
        ns, ne = nm.span()
        left = window_before(v.left, text, ns, 80)
        ps = left.start() if left else ns
        tail, pe = _tail(v, low, ne)
        reveal = v.name_reveal.match(text, pe)  # "A resident, who gave only his surname Park,"
        after = v.verb_after.match(low, reveal.end() + text.startswith(",", reveal.end()) if reveal else pe)
        if after and _passive(v, low, after):
            after = None  # "residents have been told": they are told, they do not tell
        before = None if after else window_before(v.verb_before, low, ps, 120)
        if not after and (not before or v.next_cap.match(text, pe)):
            continue  # "according to the North's official Korean Central…": a modifier
        det = (left.group("det") or "").lower() if left else ""
        det = " ".join(det.split())
        if before is not None and before.group("conj") and (
                not det or v.list_opener.search(before.group(0))):
            continue  # "according to X and brokers in China", "…, including … and a former official"
        mods = ((left.group("mods") or left.group("cap") or "") if left else "").split()
        om = v.outlet.search(" ".join(mods))
        new = det in v.new_words or any(w.lower() in v.new_words for w in mods)
        words = [w for w in mods if w.lower() not in v.new_words and w.lower() not in v.same_words]
        noun = nm.group(0)
        if _generic(v, noun, det, words, tail, after, told_first, om):
            continue
        key = noun.lower().rstrip("s") or noun.lower()
        if after is not None and after.group("coord"):
            pe = after.end("coord")  # "three drivers and two porters told Reuters"
        aside = after.group("aside") if after else None
        if after is not None and aside and any(aside[:2].lower() == f"{a} "[:2] for a in v.indefinite):
            pe = after.start("aside") + len(aside)  # an appositive: "a second source, a farmer in X,"
        if reveal is not None:  # a named person
            name = reveal.group("name") or reveal.group("name2") or reveal.group("name3")
            out.append(Cand(ps, reveal.end(), "named_person", told_outlet(v, text, after) or told_first,
                            name, "attribution.named_person.surname_given", key))
            continue
        label = " ".join([*words, *text[ns:pe].split()])
        outlet = told_outlet(v, text, after) or (v.outlet_of[om.group(0)][0] if om else None)
        rule = "attribution.anonymous." + ("verb_after" if after else "verb_before")
        possessed = bool(words) and _possessive_word(words[-1]) and not new
        bare = not det and not words and not tail
        if det in v.definite or possessed:  # "the source", "RFA's source", "the newspaper's source"
            content = [w for w in words if not _possessive_word(w)]
            ref = _antecedent(out, key, " ".join([*content, *(tail.group(0).split() if tail else [])]))
            if ref is not None:
                label, outlet, rule = ref.holder, outlet or ref.outlet, "attribution.anonymous.anaphora"
            elif not content and not tail and in_quote(text, ns):
                continue  # "the brokers say…" inside someone's quote: reported, not a new source
        elif new and any(c.holder == label for c in out):
            label = f"{label} ({sum(c.holder.startswith(label) for c in out) + 1})"
        elif bare:
            label = noun.lower()
        # an undated wire file: a source is the outlet's that the first source spoke to
        out.append(Cand(ps, pe, "anonymous", outlet or told_first, label, rule, key, bare=bare,
                        noun=noun.lower()))
    return out


def _tail(v: Vocab, low: str, ne: int) -> tuple[re.Match[str] | None, int]:
    """The prepositional tail after a source noun ("in Dandong", "familiar with the talks") and
    where the phrase ends, a trailing preposition or article trimmed."""
    tail = v.tail.match(low, ne)
    if tail is None:
        return None, ne
    trim = v.tail_trim.search(low, tail.start(), tail.end())
    pe = trim.start() if trim else tail.end()
    return (tail, pe) if pe > ne else (None, ne)


def _passive(v: Vocab, low: str, after: re.Match[str]) -> bool:
    """Whether the speech verb is passive ("have been told"; "are claiming" is not)."""
    verb = after.start("verb")
    return not after.group("verb").endswith(v.progressive) and v.passive.search(low, max(0, verb - 12), verb) is not None


def _generic(v: Vocab, noun: str, det: str, words: list[str], tail: re.Match[str] | None,
             after: re.Match[str] | None, own: str | None, om: re.Match[str] | None) -> bool:
    """A noun that speaks for nobody in particular: "people say" (a qualified noun without a
    tail or a counting determiner), a bare plural ("Residents say", "Analysts in Seoul said"), or
    the report's own outlet's network ("Daily NK's sources reported")."""
    low = noun.lower()
    if low in v.qualified_nouns and not tail and det not in v.counting:
        return True
    if det:
        return False
    if om is not None and " ".join(words) == om.group(0) and v.outlet_of[om.group(0)][0] == own \
            and not tail and low.endswith("s"):
        return True
    if low not in v.bare_plural or words or v.bare_plurals_speak:
        return False
    return low in v.commentators or (after is not None and tail is None)


def _antecedent(out: list[Cand], key: str, content: str) -> Cand | None:
    """The earlier source a definite phrase refers back to: "the Dandong source" is the last
    source whose holder names Dandong; a bare "the source" is the last of its noun, or any."""
    stop = vocab().function_words
    want = [w.lower() for w in content.split() if w.lower() not in stop]
    fits = [c for c in reversed(out) if c.kind in ("anonymous", "named_person")
            and all(w in c.holder.lower() for w in want)]
    fits = [c for c in fits if not c.bare] or fits
    same = next((c for c in fits if c.key == key), None)
    return same or (fits[0] if fits and key in vocab().any_holder_nouns else None)


def _told_subjects(v: Vocab, doc: Document, taken: list[Cand]) -> list[Cand]:
    """Anyone who "told Reuters": the clause's subject before "told <outlet>", when no other
    finder named it ("E.U. negotiators have told Reuters")."""
    text = doc.text
    out: list[Cand] = []
    if v.told_gate.search(text) is None:  # most reports tell no outlet anything
        return out
    held = SpanSet((c.start, c.end) for c in taken)
    for m in v.told_outlet.finditer(text):
        s = m.start()
        if held.overlaps(s - 2, m.end()):  # a candidate ends at or just before "told"
            continue
        starts = [c.end() for c in v.clause_start.finditer(text, max(0, s - 100), s)]
        if not starts:
            continue
        cs = starts[-1]
        subject = text[cs:s].strip()
        words = subject.split()
        if not 1 <= len(words) <= 10 or words[0].lower() in v.subject_stop \
                or not words[-1].isalpha() or not words[-1].islower() or words[-1] in v.subject_stop \
                or words[-1].capitalize() in v.body_heads or held.overlaps(cs, s):
            continue
        o = v.told.match(text, m.end() - len(m.group(0).split()[-1]) - 1)
        name = v.outlet_of[o.group("o")][0] if o else None
        out.append(Cand(cs, cs + len(subject), "anonymous", name, holder_name(subject),
                        "attribution.anonymous.told_outlet", words[-1].lower().rstrip("s")))
    return out


def _title_end(text: str) -> int:
    """End of the headline: a short first line without a closing full stop (0 if none)."""
    end = text.find("\n")
    line = text[:end].rstrip() if end > 0 else ""
    return end if line and len(line.split()) <= 20 and not line.endswith((".", '."', ".”")) else 0


def _counted(v: Vocab, doc: Document, low: str, taken: list[Cand]) -> list[Cand]:
    """A counted group that speaks, whatever its noun: "Two waiters said", "several crew members
    told"; documents ("two reports said") are left to the document finder."""
    out = []
    held = SpanSet((c.start, c.end) for c in taken)
    for m in v.counted_speaker.finditer(low):
        s, e = m.span("np")
        noun = m.group("np").split()[-1]
        if v.doc_head.fullmatch(noun) or noun in v.counted_stop or held.overlaps(s, e):
            continue
        holder = holder_name(doc.text[s:e])
        out.append(Cand(s, e, "anonymous", own_outlet(v, doc), holder, "attribution.anonymous.counted",
                        noun.rstrip("s"), noun=noun))
    return out


def _speaker_lines(v: Vocab, doc: Document, taken: list[Cand]) -> list[Cand]:
    """A transcript's speaker line ("Trader (voice altered)/", "Name / Title"): a named person
    when the label is a name, else an unnamed source."""
    text, out = doc.text, []
    held = SpanSet((c.start, c.end) for c in taken)
    for m in v.speaker_label.finditer(text):
        s, e = m.span()
        label = m.group("label").strip()
        if len(label.split()) > 8 or label.count("(") != label.count(")") or v.outlet.fullmatch(label) \
                or held.overlaps(s, e):
            continue
        holder = re.sub(r"\s*\([^)]*\)\s*$", "", label)
        if not holder or holder.split()[0].lower() in v.speaker_label_stop:
            continue
        kind = "named_person" if v.name.fullmatch(holder) and holder.split()[0] not in v.name_stop \
            else "anonymous"
        if kind == "anonymous" and holder == label and not v.noun.fullmatch(holder.split()[-1].lower()):
            continue  # neither a name, nor a speaker's noun, nor a "(voice altered)" mark
        start = s + len(m.group(0)) - len(m.group(0).lstrip())
        out.append(Cand(start, e, kind, own_outlet(v, doc), holder, f"attribution.{kind}.speaker_line",
                        holder.lower().rstrip("s"), noun=holder.lower()))
    return out


def _link(kept: list[Cand], first_line_end: int) -> None:
    """Give back-references their holder: a bare noun ("Sources told RFA") is the latest fuller
    phrase of the same noun before it (in a headline, the first one after it); a definite
    document ("the survey", "the panel's report") is the latest document of its head. A source or
    document in the headline is the first of its kind and head in the body."""
    for c in kept:
        title = c.start < first_line_end and c.kind in ("anonymous", "document")
        if not c.bare and not title:
            continue
        if title:  # the first body phrase of its kind naming the noun: "analysis of … imagery"
            same = [k for k in kept if k.kind == c.kind and not k.bare and k.start >= first_line_end
                    and c.noun in k.holder.lower().split()]
        elif c.kind == "official":  # "the ministry": the last body whose name holds "ministry"
            same = [k for k in kept if k.kind == "official" and not k.bare
                    and c.noun in f"{k.holder} {k.key}".lower().split()]
        else:
            same = [k for k in kept if k is not c and k.kind == c.kind and k.key == c.key and not k.bare
                    and k.noun == c.noun]
        earlier = [k for k in same if k.start < c.start]
        ref = earlier[-1] if earlier else (same[0] if same and title else None)
        if ref is not None:
            c.holder, c.outlet = ref.holder, c.outlet or ref.outlet
            c.rule = f"attribution.{c.kind}.anaphora"


def find_attributions(doc: Document, mentions: Sequence[Mention]) -> list[Attribution]:
    """Every who-says-it phrase in the document, in text order, overlaps settled by length."""
    v = vocab()
    low = lowered(doc.text)
    named = outlet_spans(v, doc.text)
    cands = (persons(v, doc, low, mentions, named) + documents(v, doc, low) + _anonymous(v, doc, low)
             + officials(v, doc, low, mentions, named) + outlets(v, doc, low, mentions, named))
    cands.sort(key=lambda c: (-(c.end - c.start), _PRIORITY[c.kind], c.start))
    kept: list[Cand] = []
    held = SpanSet()
    for c in cands:
        if not held.overlaps(c.start, c.end):
            kept.append(c)
            held.add(c.start, c.end)
    kept += _told_subjects(v, doc, kept)
    kept += _counted(v, doc, low, kept)
    kept += _speaker_lines(v, doc, kept)
    kept.sort(key=lambda c: c.start)
    _link(kept, _title_end(doc.text))
    kept = [c for c in kept if not (c.kind == "document" and c.bare and not c.rule.endswith("anaphora")
                                     and window_before(v.reported_clause, low, c.start, 40))]
    return [Attribution(text=doc.text[c.start:c.end], start=c.start, end=c.end, kind=c.kind,
                        outlet=c.outlet, holder=c.holder, sentence=doc.sentence_at(c.start), rule=c.rule)
            for c in kept]

