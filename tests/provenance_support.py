"""A news page edited between fetches: version 1, then version 2 with one quote altered, one
removed and one left as it was (served by tests/web_support.py's ``Site.serve``)."""

from __future__ import annotations

HEAD = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Council Approves Harbor Budget - The Coastal Courier</title>
<meta property="og:site_name" content="The Coastal Courier">
</head><body>
<article>
<h1>Council Approves Harbor Budget</h1>
<p>The town council approved the harbor budget on Monday after a long debate about
repairs to the old pier.</p>
"""
TAIL = """<p>The council will meet again next month to decide on the timetable for the
repairs and on the contractors who will carry them out.</p>
</article>
</body></html>
"""

KEPT = '<p>"The pier has waited long enough for this money," said harbor master Leah Moreno.</p>\n'
ALTERED_V1 = '<p>"We will finish the repairs before the summer season," said mayor Tom Alder.</p>\n'
ALTERED_V2 = (
    '<p>"We hope to finish the repairs before the autumn storms," said mayor Tom Alder.</p>\n'
)
REMOVED = '<p>"The budget is a waste of public money," said councillor Ann Price.</p>\n'

# the words a test looks for in each quote
KEPT_WORDS = "The pier has waited long enough for this money"
ALTERED_WORDS_V1 = "We will finish the repairs before the summer season"
ALTERED_WORDS_V2 = "We hope to finish the repairs before the autumn storms"
REMOVED_WORDS = "The budget is a waste of public money"


def version_1() -> bytes:
    return (HEAD + KEPT + ALTERED_V1 + REMOVED + TAIL).encode()


def version_2() -> bytes:
    return (HEAD + KEPT + ALTERED_V2 + TAIL).encode()
