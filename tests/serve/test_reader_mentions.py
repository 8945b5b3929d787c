"""The report reader highlights every mention of a merged event as that one event."""

from borderwatch.serve.reader import segments


def test_reader_highlights_each_mention_of_one_event():
    text = "Police launched a crackdown in Hyesan. The crackdown spread."
    first, second = text.index("crackdown"), text.index("crackdown", 20)
    event = {"id": 7, "start": first, "end": first + 9,
             "facts": {"mentions": [{"start": first, "end": first + 9},
                                    {"start": second, "end": second + 9}]}}
    facts = {"mentions": [], "amounts": [], "dates": [], "attributions": [], "events": [event]}
    marked = [s.text for s in segments(text, facts) if "event-7" in s.facts]
    assert marked == ["crackdown", "crackdown"]


def test_reader_anchors_a_merged_event_once():
    text = "Guards closed the bridge. This closure lasted a week."
    a, b = text.index("closed"), text.index("closure")
    event = {"id": 3, "start": a, "end": a + 6,
             "facts": {"mentions": [{"start": a, "end": a + 6}, {"start": b, "end": b + 7}]}}
    facts = {"mentions": [], "amounts": [], "dates": [], "attributions": [], "events": [event]}
    anchors = [x for s in segments(text, facts) for x in s.anchors]
    assert anchors == ["event-3"]
