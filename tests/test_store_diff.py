"""The quote diff of two versions on hand-made texts: each kind of change, and none."""

from __future__ import annotations

from saidwho.store.diff import diff_versions, text_changes
from saidwho.store.versions import Version, VersionText


def version(number: int, text: str, quotes: list[tuple[str, str]]) -> VersionText:
    """A version whose quotes are (words, speaker), found in ``text``."""
    docs = []
    for i, (words, speaker) in enumerate(quotes):
        start = text.index(words)
        end = start + len(words)
        docs.append({"id": f"q{number}{i}", "start": start, "end": end, "text": words,
                     "speaker": speaker})  # fmt: skip
    v = Version(number, f"2026-01-0{number}T00:00:00Z", f"sha{number}", "x", len(docs))
    return VersionText(v, "t", text, tuple(docs))


OLD = (
    '"We will open the bridge in May," said Ann Lee.\n'
    '"Taxes stay as they are," said Bo Ray.\n'
    '"The port is safe," said Cy Dunn.\n'
)
NEW = (
    '"We will open the bridge in May," said Ann Lee.\n'
    '"Taxes stay as they are," said Di Fox.\n'
    '"The port is safe for now," said Cy Dunn.\n'
    '"Nobody asked us," said Ed Gray.\n'
)


def test_each_kind_of_change():
    old = version(1, OLD, [
        ('"We will open the bridge in May,"', "Ann Lee"),
        ('"Taxes stay as they are,"', "Bo Ray"),
        ('"The port is safe,"', "Cy Dunn"),
    ])  # fmt: skip
    new = version(2, NEW, [
        ('"We will open the bridge in May,"', "Ann Lee"),
        ('"Taxes stay as they are,"', "Di Fox"),
        ('"The port is safe for now,"', "Cy Dunn"),
        ('"Nobody asked us,"', "Ed Gray"),
    ])  # fmt: skip
    found = diff_versions("a" * 16, old, new)
    assert found.unchanged_quotes == 1
    assert [c.kind for c in found.quotes] == ["altered", "added", "speaker"]
    altered, added, speaker = found.quotes
    assert [(w.op, w.text) for w in altered.words] == [
        ("same", '"The port is'),
        ("removed", 'safe,"'),
        ("added", 'safe for now,"'),
    ]
    assert added.new is not None and added.new.speaker == "Ed Gray" and added.old is None
    assert speaker.old is not None and speaker.new is not None
    assert (speaker.old.speaker, speaker.new.speaker) == ("Bo Ray", "Di Fox")
    assert found.summary() == "1 quote altered, 1 added, 1 with another speaker"
    # the text changes: the two edited lines and the new one, with context
    [change] = found.text
    assert "Bo Ray" in change.removed and "Ed Gray" in change.added
    assert change.before.startswith('"We will open the bridge')


def test_the_same_version_has_no_changes():
    same = version(1, OLD, [('"The port is safe,"', "Cy Dunn")])
    found = diff_versions("a" * 16, same, same)
    assert found.quotes == () and found.text == () and found.summary() == "unchanged"
    assert text_changes(OLD, OLD + "\n") == ()
