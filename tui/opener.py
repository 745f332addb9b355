"""Open an article's source (its web page or its file) with the system's opener."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import webbrowser
from pathlib import Path

from saidwho.readers.fetch import is_url


def source_target(url: str | None, path: str | None) -> str | None:
    """What ``o`` opens: an http(s) URL, else the file it was read from, else nothing.

    Only these two: a URL from a saved page could be any scheme (``javascript:``, ``file:``)
    and is never handed to the opener."""
    if url and is_url(url):
        return url
    if path:
        return path
    return None


class NoOpener(OSError):
    """No program to open things with (xdg-open is not installed): the reader offers to
    copy the URL or path instead."""

    def __init__(self, opener: str) -> None:
        super().__init__(f"{opener} is not installed, so nothing can open it here")
        self.opener = opener


def open_external(target: str) -> None:
    """Hand ``target`` to xdg-open / open (Windows: the default browser or program). Blocks
    briefly (spawns a process): call it from a worker. ``NoOpener`` when there is no such
    program, OSError with a short reason when the target cannot be opened."""
    if not is_url(target):
        file = Path(target)
        if not file.exists():
            raise FileNotFoundError(f"{target} no longer exists")
        if sys.platform == "win32":
            os.startfile(file)  # type: ignore[attr-defined]  # noqa: S606 - Windows only
            return
        target = file.resolve().as_uri()
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    exe = shutil.which(opener)
    if exe is not None:
        # detached and silent: its messages must not land on the TUI's screen
        subprocess.Popen(  # noqa: S603 - a fixed program and one argument, no shell
            [exe, target],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        return
    # Not Python's webbrowser on Linux and macOS: without a desktop it picks a console
    # browser (lynx, w3m) that would take over the reader's own terminal
    if sys.platform == "win32" and webbrowser.open(target):
        return
    raise NoOpener(opener)
