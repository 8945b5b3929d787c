"""Extract stage: named things, amounts, dates, attributions, events and topics found in a Document."""
