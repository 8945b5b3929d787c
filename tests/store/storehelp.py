"""Helpers for store tests: documents made from invented text through the real clean stage."""

from borderwatch.clean import make_document
from borderwatch.clean.fingerprint import fingerprint
from borderwatch.model import Report


def doc(body: str, source: str = "t.txt", **meta):
    """A cleaned Document from an invented body."""
    return make_document(Report(source=source, body=body, format="text", **meta))


def store(writer, d):
    """Store a document with its real fingerprint."""
    return writer.store(d, fingerprint(d.text))


# An invented report body long enough for shingles to mean something.
BODY = (
    "Customs officers in the invented town of Eastbridge have started weighing every sack of "
    "rice that crosses the river, a trader told the newsroom on Tuesday. The new rule came "
    "after a month in which smugglers moved sugar, diesel and mobile phones at night, he said. "
    "Prices of flour in the market rose sharply in the following week, and several families "
    "stopped buying cooking oil altogether. Local officials have not commented on the measure. "
    "The trader said that brokers now charge twice as much for each crossing and that few people "
    "are willing to take the risk while patrols continue along the riverbank every evening."
)
