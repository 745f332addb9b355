"""Messages thread workers post back to the UI thread; handlers there own the widgets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.message import Message


class IoDone(Message):
    """A background call finished: the handler runs ``done(result)`` or ``failed(error)``
    on the UI thread, so callbacks may touch widgets."""

    def __init__(
        self,
        done: Callable[[Any], Any] | None,
        failed: Callable[[BaseException], Any] | None,
        result: Any = None,
        error: BaseException | None = None,
    ) -> None:
        super().__init__()
        self.done = done
        self.failed = failed
        self.result = result
        self.error = error


class IngestStarted(Message):
    def __init__(self, total: int, label: str) -> None:
        super().__init__()
        self.total = total
        self.label = label


class IngestProgress(Message):
    def __init__(self, event: Any) -> None:  # saidwho.ingest.IngestEvent
        super().__init__()
        self.event = event


class IngestFinished(Message):
    def __init__(self, events: list[Any], error: str | None = None, seeding: bool = False):
        super().__init__()
        self.events = events
        self.error = error
        self.seeding = seeding


class LibraryChanged(Message):
    """The library files changed on disk (this process or another one wrote them)."""

    def __init__(self, signature: tuple, initial: bool = False) -> None:
        super().__init__()
        self.signature = signature
        self.initial = initial  # the first look: nothing to refresh yet
