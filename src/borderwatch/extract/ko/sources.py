"""Who says it in a Korean report: "양강도 소식통은 …고 전했다", "노동신문은 …보도했다",
"이상민 통일부 대변인은 …말했다", "보고서에 따르면".

The words are data (data/lang/ko/attributions.yaml). An unnamed source's phrase is its noun with
the modifiers before it ("중국 변경도시의 한 대북 소식통"); a bare or pointing noun ("소식통은",
"이 소식통은") is a back-reference to the nearest source named before it (or after it, in a
lead), so one holder is one source. Organisations are sources as the subject of a saying verb or
before "에 따르면"; the outlet a source spoke to ("데일리NK에 전했다") is the attribution's outlet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from borderwatch.data_models.ko import KoAttributionsFile, KoParticlesFile
from borderwatch.datafiles import load
from borderwatch.extract.ko.lexicon import KO, sentence_span, words_alt
from borderwatch.extract.ko.names import ko_countries
from borderwatch.model import Attribution, Document, Mention

_FILE = "attributions.yaml"
_PARTICLES = "particles.yaml"
_ORG_KIND_SOURCE = {"media": "media_outlet", "state_media": "state_media"}
_MAX_MODIFIERS = 4
_OFFICIAL_BODIES = frozenset({"government", "military", "party", "international"})


@dataclass(frozen=True, slots=True)
class SourceRules:
    """attributions.yaml compiled."""

    head: re.Pattern[str]
    modifiers: frozenset[str]
    back: frozenset[str]
    speaker: re.Pattern[str]
    withheld: re.Pattern[str]
    title: re.Pattern[str]
    document: re.Pattern[str]
    self_ref: re.Pattern[str]
    press: re.Pattern[str]
    speech: re.Pattern[str]
    according: re.Pattern[str]
    subject: str
    org_after: re.Pattern[str]
    official_speakers: frozenset[str]
    genitive: tuple[str, ...]  # particles.yaml: a word ending in one belongs to the source phrase
    dative: tuple[str, ...]  # particles.yaml: after an outlet, the one a source spoke to
    org_report: tuple[str, ...]  # genitive + report noun after an organisation ("…의 보도")


@cache
def source_rules() -> SourceRules:
    """attributions.yaml, validated and compiled once."""
    d = load(KO + _FILE, KoAttributionsFile)
    particles = load(KO + _PARTICLES, KoParticlesFile)
    genitive = tuple(particles.genitive)
    subject = d.subject
    speakers = words_alt(d.speakers)
    return SourceRules(
        head=re.compile(rf"(?<![가-힣]){d.source_head}"),
        modifiers=frozenset(d.modifiers),
        back=frozenset(d.back_reference),
        speaker=re.compile(rf"(?<![가-힣])(?:{speakers})(?={subject}\s|(?P<by>{d.according}))"),
        withheld=re.compile(rf"(?<![가-힣A-Za-z])(?:[가-힣]+\s)?{d.withheld}"),
        title=re.compile(rf"(?<!\S)(?:{d.title_word}\s){{1,3}}[가-힣]*"
                         rf"(?:{words_alt(d.titles)})(?={subject}\s)"),
        document=re.compile(rf"(?:[^\s\"“”.!?]+\s){{0,2}}[^\s\"“”.!?]*?(?:{words_alt(d.documents)})"
                            rf"(?={d.according})".replace(r"\ ", r"\s")),
        self_ref=re.compile(rf"(?<![가-힣])(?:{words_alt(d.self_reference)})"
                            rf"(?={d.self_reference_after})"),
        press=re.compile(rf"(?<![가-힣]){d.foreign_press}(?={subject}|{d.according})"),
        speech=re.compile(d.speech),
        according=re.compile(d.according),
        subject=subject,
        org_after=re.compile(d.org_after),
        official_speakers=frozenset(d.official_speakers),
        genitive=genitive,
        dative=tuple(particles.dative),
        org_report=tuple(f"{g} {n}" for g in genitive for n in d.org_report_nouns),
    )


def _said(rules: SourceRules, doc: Document, end: int) -> bool:
    """Whether the sentence goes on, after `end`, to a saying verb with no source noun before it
    (in "주민들이 …했다고 소식통이 전했다" the source says it, not the residents)."""
    _, hi = sentence_span(doc, end)
    verb = rules.speech.search(doc.text, end, hi)
    if verb is None:
        return False
    # a source noun as the subject in between ("…고 소식통이 전했다") says it; as the object
    # ("소식통을 인용해 보도했다") it does not
    return not any(re.match(rules.subject, doc.text[h.end():h.end() + 2])
                   for h in rules.head.finditer(doc.text, end, verb.start()))


def _quoted(doc: Document, pos: int) -> bool:
    """Whether `pos` lies inside a quotation of its sentence (more openings than closings before)."""
    lo, _ = sentence_span(doc, pos)
    before = doc.text[lo:pos]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def _modifiers_start(rules: SourceRules, doc: Document, start: int, named: list[Mention]) -> int:
    """Where the modifiers before a source noun begin (its own start when none)."""
    text = doc.text
    lo, _ = sentence_span(doc, start)
    pos = start
    for _ in range(_MAX_MODIFIERS):
        m = re.search(r"(\S+)\s+$", text[max(lo, pos - 30):pos])
        if m is None:
            break
        word = m.group(1)
        wstart = pos - len(m.group(0))
        bare = next((word[:-len(g)] for g in rules.genitive if word.endswith(g)), word)
        is_name = any(n.start <= wstart and n.end >= wstart + len(bare) for n in named)
        if word in rules.modifiers or word in rules.back or bare != word or is_name:
            pos = wstart
            continue
        break
    return pos


def _told_outlet(rules: SourceRules, doc: Document, pos: int, orgs: list[Mention]) -> str | None:
    """The outlet a source spoke to in its sentence ("데일리NK에 전했다"), else the report's."""
    lo, hi = sentence_span(doc, pos)
    for o in orgs:
        if lo <= o.start < hi and o.org_kind in _ORG_KIND_SOURCE and doc.text.startswith(rules.dative, o.end):
            return o.name
    return doc.outlet


@dataclass(slots=True)
class _Found:
    start: int
    end: int
    kind: str
    holder: str | None
    rule: str


def _anonymous(rules: SourceRules, doc: Document, named: list[Mention]) -> list[_Found]:
    """Source nouns with their modifiers; back-references get their holder later."""
    out: list[_Found] = []
    for m in rules.head.finditer(doc.text):
        s = _modifiers_start(rules, doc, m.start(), named)
        words = doc.text[s:m.start()].split()
        pointing = not words or all(w in rules.back for w in words)
        out.append(_Found(s, m.end(), "anonymous", None if pointing else doc.text[s:m.end()],
                          "source.ko.back_reference" if pointing else "source.ko.anonymous"))
    for m in rules.speaker.finditer(doc.text):
        said = m.group("by") is not None or _said(rules, doc, m.end())  # "주민들에 따르면"
        if said and not _quoted(doc, m.start()):
            s = _modifiers_start(rules, doc, m.start(), named)
            words = doc.text[s:m.start()].split()
            if words and all(w in rules.back for w in words):  # "이 무역업자는": said before
                out.append(_Found(s, m.end(), "anonymous", None, "source.ko.back_reference"))
                continue
            # "통일부 관계자": a speaker of a state body speaks for it
            official = m.group(0) in rules.official_speakers or any(
                n.kind == "organization" and n.org_kind in _OFFICIAL_BODIES and s <= n.start < m.start()
                for n in named)
            kind = "official" if official else "anonymous"
            out.append(_Found(s, m.end(), kind, doc.text[s:m.end()], f"source.ko.{kind}_speaker"))
    for m in rules.withheld.finditer(doc.text):
        out.append(_Found(m.start(), m.end(), "anonymous", m.group(0), "source.ko.withheld"))
    return out


def _org_sources(rules: SourceRules, doc: Document, orgs: list[Mention]) -> list[_Found]:
    """Organisations as subjects of a saying verb or before "에 따르면"."""
    text = doc.text
    out: list[_Found] = []
    for o in orgs:
        if doc.outlet and (o.name == doc.outlet or doc.outlet.startswith(o.name + " ")):
            continue  # the report's own outlet is its publisher (본보 cites its earlier reports)
        end = o.end
        paren = re.match(r"\([^()\s]{1,20}\)", text[end:end + 22])
        if paren:
            end += paren.end()
        end += rules.org_after.match(text, end).end() - end  # type: ignore[union-attr]
        after = text[end:end + 12]
        subj = re.match(rf"{rules.subject}\s", after) and _said(rules, doc, end)
        if not (subj or rules.according.match(after) or after.startswith(rules.org_report)):
            continue
        kind = _ORG_KIND_SOURCE.get(o.org_kind or "", "official")
        start = o.start
        lead = re.search(r"(\S+)\s$", text[max(0, start - 12):start])
        if lead and ko_countries().names.fullmatch(lead.group(1)):  # "중국 외교부는"
            start -= len(lead.group(0))
        out.append(_Found(start, end, kind, o.name, f"source.ko.{kind}"))
    return out


def _other_sources(rules: SourceRules, doc: Document) -> list[_Found]:
    """Named persons by title, documents, the outlet's own reports, the foreign press."""
    text = doc.text
    out: list[_Found] = []
    for m in rules.title.finditer(text):
        if _said(rules, doc, m.end()):
            out.append(_Found(m.start(), m.end(), "named_person", m.group(0), "source.ko.title"))
    for m in rules.document.finditer(text):
        out.append(_Found(m.start(), m.end(), "document", m.group(0).strip(), "source.ko.document"))
    for m in rules.self_ref.finditer(text):
        out.append(_Found(m.start(), m.end(), "media_outlet", doc.outlet or m.group(0), "source.ko.self"))
    for m in rules.press.finditer(text):
        out.append(_Found(m.start(), m.end(), "media_outlet", m.group(0), "source.ko.press"))
    return out


def _settle_back_references(found: list[_Found], text: str) -> None:
    """A pointing source noun takes the holder of the nearest unnamed source before it with the
    same noun ("이 무역업자" -> "단둥의 한 무역업자"), else of the nearest before it, else after
    it; with none at all it is a source of its own."""
    named = [f for f in found if f.kind == "anonymous" and f.holder and f.rule != "source.ko.withheld"]
    for f in found:
        if f.holder is not None:
            continue
        noun = text[f.start:f.end].split()[-1]
        before = [n for n in named if n.start < f.start]
        same = [n for n in before if n.holder and n.holder.split()[-1] == noun]
        after = [n for n in named if n.start > f.start]
        ref = same[-1] if same else before[-1] if before else (after[0] if after else None)
        f.holder = ref.holder if ref else noun


def find_attributions_ko(doc: Document, mentions: list[Mention]) -> list[Attribution]:
    """Every attribution of a Korean report, in text order, overlaps settled (first found wins)."""
    rules = source_rules()
    named = [m for m in mentions if m.kind in ("place", "country", "organization")]
    orgs = [m for m in mentions if m.kind == "organization"]
    found = _org_sources(rules, doc, orgs) + _other_sources(rules, doc) + _anonymous(rules, doc, named)
    kept: list[_Found] = []
    for f in found:
        if not any(k.start < f.end and f.start < k.end for k in kept):
            kept.append(f)
    kept.sort(key=lambda f: f.start)
    _settle_back_references(kept, doc.text)
    return [Attribution(doc.text[f.start:f.end], f.start, f.end, f.kind,
                        outlet=_told_outlet(rules, doc, f.start, orgs), holder=f.holder,
                        sentence=doc.sentence_at(f.start) if doc.sentences else 0, rule=f.rule)
            for f in kept]
