"""docs/commands.md is written from the parser (`python -m saidwho.cli.reference`): it is
up to date, the same on any terminal, and names every command and option."""

from __future__ import annotations

from pathlib import Path

from saidwho.cli.parser import arguments, build_parser, walk
from saidwho.cli.reference import main, render

DOC = Path(__file__).resolve().parent.parent / "docs" / "commands.md"


def test_the_reference_is_up_to_date_and_independent_of_the_terminal(monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "30")
    narrow = render()
    monkeypatch.setenv("COLUMNS", "300")
    assert render() == narrow
    assert DOC.read_text(encoding="utf-8") == narrow, "run `python -m saidwho.cli.reference`"


def test_every_command_and_option_is_in_it() -> None:
    text = render()
    for path, parser in walk(build_parser()):
        assert f"\n## {' '.join(('saidwho', *path))}\n" in text
        for action, _ in arguments(parser):
            for option in action.option_strings:
                assert f"`{option}" in text or f", {option}" in text, (path, option)
    for heading in ("## saidwho trail\n", "## saidwho trails\n", "## saidwho eval\n"):
        assert heading in text
    assert "`--pieces`" in text and "`--sample N`" in text


def test_check_says_when_the_file_is_stale(tmp_path, capsys) -> None:
    doc = tmp_path / "commands.md"
    assert main(["--check", "-o", str(doc)]) == 1  # missing
    assert main(["-o", str(doc)]) == 0
    assert main(["--check", "-o", str(doc)]) == 0
    doc.write_text(doc.read_text(encoding="utf-8") + "edited by hand\n", encoding="utf-8")
    assert main(["--check", "-o", str(doc)]) == 1
    assert "stale" in capsys.readouterr().err
