"""The whole extractor on hostile text (issue 9): any mix of names, outlets, amounts, triggers,
line breaks and odd characters never raises, and every fact's offsets give back its text.

Fragments are joined by random white space, line breaks included, because the finders match
names across any white space ("Daily\\nNK") and must then look them up as written. A bounded
run here; `make fuzz` runs the same properties far longer.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderwatch.clean import make_document
from borderwatch.extract.pipeline import extract
from borderwatch.model import Report
from tests.examples import examples

FRAGMENTS = [
    "Daily NK", "Radio Free Asia", "RFA", "Yonhap", "KCNA", "Rodong Sinmun", "NK News", "told",
    "said", "according to", "a source", "sources", "Kim Chol", "Park", "Mr.", "the Ministry of State Security",
    "Sinuiju", "Hyesan", "Ryanggang Province", "Dandong", "Changbai", "Yalu River", "Tumen", "Sambong-ri",
    "North Korea", "China", "smuggling", "smugglers", "crackdown", "fined", "defected", "border",
    "closed", "rice", "corn", "coal", "trucks", "5,000 won", "300 yuan", "$1,200", "RMB 10,000",
    "8,000 won to the dollar", "per kilogram", "tons", "on Monday", "last week", "July 11", "2024",
    "not", "reportedly", "it is said", "(", ")", '"', "“", "”", "'s", ",", ".", ";", ":", "—", "-",
    "?", "!", "…", "\u00a0", "\ud800", "\x00", "\u202e", "한국", "신의주에서", "5천 위안", "ⅷ", "١٢٣",
]
SPACES = st.sampled_from([" ", "  ", "\n", "\n\n", "\t", " \n ", "\u00a0", "\u2028"])
# a fragment's own spaces become any white space too: "Daily\nNK" split at a line end
fragment = st.tuples(st.sampled_from(FRAGMENTS), SPACES).map(lambda fs: fs[0].replace(" ", fs[1]))
pieces = st.lists(st.tuples(fragment, SPACES), max_size=60)
texts = st.one_of(pieces.map(lambda ps: "".join(f + s for f, s in ps)), st.text(max_size=300))
RUNS = examples(int(os.environ.get("BORDERWATCH_FUZZ_EXAMPLES", "150")))


@settings(max_examples=RUNS, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=texts, title=st.one_of(st.none(), st.sampled_from(FRAGMENTS)))
def test_extract_never_raises_and_offsets_hold(body, title):
    try:
        doc = make_document(Report(source="invented.txt", body=body, format="text", title=title))
    except ValueError:
        return  # nothing left to read after cleaning: ingest records that as a failure
    sheet = extract(doc)
    text = doc.text
    for m in sheet.mentions:
        assert text[m.start:m.end] == m.text
    for a in sheet.amounts:
        assert text[a.start:a.end] == a.text
    for d in sheet.dates:
        assert text[d.start:d.end] == d.text
    for at in sheet.attributions:
        assert text[at.start:at.end] == at.text
    for e in sheet.events:
        assert text[e.start:e.end] == e.trigger
        assert 0 <= e.sentence_index < len(doc.sentences)
    sheet.to_dict()  # the contract form builds too
