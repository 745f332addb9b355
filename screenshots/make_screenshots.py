"""Regenerate screenshots/*.svg and *.png from the real app on the bundled seed article.

    .venv/bin/python screenshots/make_screenshots.py

SVGs come from Textual itself; PNGs from cairosvg (pip install cairosvg; libcairo needed).
The SVG asks for Fira Code, which few machines have, so the PNG step swaps in DejaVu Sans
Mono (or any monospace font) to keep the columns aligned.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

SIZE = (120, 36)
MONO = '"DejaVu Sans Mono", "Liberation Mono", monospace'


def to_png(svg_path: Path) -> Path | None:
    try:
        import cairosvg
    except ImportError:
        print("cairosvg not installed: SVG only", file=sys.stderr)
        return None
    svg = svg_path.read_text(encoding="utf-8")
    svg = svg.replace("font-family: Fira Code, monospace;", f"font-family: {MONO};")
    svg = svg.replace('"Fira Code"', MONO.split(",")[0])
    png = svg_path.with_suffix(".png")
    cairosvg.svg2png(bytestring=svg.encode("utf-8"), write_to=str(png), output_width=1600)
    return png


async def settle(pilot, rounds: int = 3) -> None:
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def shoot(workdir: Path) -> list[Path]:
    from saidwho.attribution import load_pipeline
    from saidwho.ingest import ingest_paths
    from saidwho.seeds import seed_paths
    from saidwho.store import Library
    from saidwho.tui.app import SaidwhoApp
    from saidwho.tui.widgets.panels import NoteList, QuoteList

    news = workdir / "news"
    news.mkdir()
    paths = [shutil.copy(p, news / p.name) for p in seed_paths()]
    library = Library(workdir / "library")
    nlp = load_pipeline(None)
    ingest_paths(library, paths, nlp)
    article_id = library.articles()[0].id
    quotes = library.quotes(article_id)
    trump = next(q for q in quotes if q.speaker == "Donald Trump")
    library.add_note(
        article_id,
        start=trump.start,
        end=trump.end,
        text="Check the **Truth Social** post: date and wording.\nArchived copy?",
        tags=["verify", "primary-source"],
        quote_id=trump.id,
    )
    shots: list[Path] = []
    # no live-refresh timer: same shots every run
    app = SaidwhoApp(library, nlp=nlp, watch=None)

    def save(name: str) -> None:
        path = HERE / f"{name}.svg"
        app.save_screenshot(str(path))
        shots.append(path)

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        save("library")
        await pilot.press("enter")
        await settle(pilot)
        panel = app.screen.query_one(QuoteList)
        axios = next(q for q in panel.quotes if q.speaker == "Axios")
        panel.select(axios.id)
        await pilot.press("enter")
        await settle(pilot)
        save("reader")
        app.theme = "textual-light"
        await settle(pilot)
        save("reader-light")
        app.theme = "textual-dark"
        await settle(pilot)
        panel.select(trump.id)
        await pilot.press("enter")
        app.screen.query_one(NoteList).focus()
        await settle(pilot)
        save("notes")
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Second source? Ask the press office.")
        await pilot.pause()
        save("note-editor")
        await pilot.press("ctrl+s")  # escape on a typed note asks first: save it instead
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        save("speakers")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        await pilot.press(*"good faith")
        await pilot.pause(0.4)
        await settle(pilot)
        save("search")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        save("help")
    return shots


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        old = Path.cwd()
        os.chdir(tmp)  # article paths show as news/<file>
        try:
            shots = asyncio.run(shoot(Path(tmp)))
        finally:
            os.chdir(old)
    for svg in shots:
        png = to_png(svg)
        print(svg.relative_to(ROOT), png.relative_to(ROOT) if png else "")


if __name__ == "__main__":
    main()
