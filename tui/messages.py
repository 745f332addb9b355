"""Messages thread workers post back to the UI thread; handlers there own the widgets."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from saidwho.feed_update import FeedResult
    from saidwho.ingest import IngestEvent

    # one step of an ingest worker: a file or URL, or a whole feed when updating feeds
    Progress = IngestEvent | FeedResult

# (mtime_ns, size, inode) of each watched library file; None when it is missing
FileStamp = tuple[int, int, int] | None
Signature = tuple[FileStamp, ...]


class IoDone(Message):
    """A background call finished: the handler runs ``done(result)`` or ``failed(error)``
    on the UI thread, so callbacks may touch widgets."""

    def __init__(
        self,
        done: Callable[[Any], object] | None,
        failed: Callable[[BaseException], object] | None,
        result: object = None,
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
    def __init__(self, event: Progress) -> None:
        super().__init__()
        self.event = event


class IngestFinished(Message):
    def __init__(
        self,
        events: Sequence[Progress],
        error: str | None = None,
        seeding: bool = False,
        notice: tuple[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.events = events
        self.error = error
        self.seeding = seeding
        self.notice = notice  # (title, message): nothing failed, there was nothing to do


class LibraryChanged(Message):
    """The library files changed on disk (this process or another one wrote them)."""

    def __init__(self, signature: Signature, initial: bool = False) -> None:
        super().__init__()
        self.signature = signature
        self.initial = initial  # the first look: nothing to refresh yet
