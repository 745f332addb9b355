"""The provenance part of a library: an article's versions, what changed between two of
them, and what its last recheck found (store/versions.py, store/diff.py, store/archive.py)."""

from __future__ import annotations

from dataclasses import dataclass

from saidwho.readers.article import Article, paragraph_spans
from saidwho.store import archive, records, versions
from saidwho.store.diff import VersionDiff, diff_versions
from saidwho.store.errors import LibraryError
from saidwho.store.files import LibraryFiles
from saidwho.store.versions import LastCheck, Version, VersionText
from saidwho.store.views import QuoteView


@dataclass(frozen=True)
class VersionHeader:
    """What the reader's header says of an article's versions: "v3 · quotes changed"."""

    version: int
    count: int
    quotes_changed: bool  # between the last two versions

    def label(self) -> str:
        if self.count <= 1:
            return ""
        return f"v{self.version}" + (" · quotes changed" if self.quotes_changed else "")


@dataclass(frozen=True)
class VersionView:
    """An earlier version as the reader shows it, read-only: its text and quotes."""

    version: Version
    article: Article
    quotes: tuple[QuoteView, ...]


class Provenance:
    """Versions, diffs and archive records of the library's articles."""

    def __init__(self, files: LibraryFiles) -> None:
        self.files = files

    def versions(self, article_id: str) -> list[Version]:
        """Every version of an article, oldest first; the last is its current text."""
        return versions.versions(self.files, article_id)

    def version_text(self, article_id: str, number: int | None = None) -> VersionText:
        """A version's text and quotes (``None``: the current version)."""
        return versions.version_text(self.files, article_id, number)

    def diff(
        self, article_id: str, from_version: int | None = None, to_version: int | None = None
    ) -> VersionDiff:
        """What changed from one version to another (default: the latest two)."""
        numbers = [v.version for v in self.versions(article_id)]
        new = to_version if to_version is not None else numbers[-1]
        old = from_version if from_version is not None else max(1, new - 1)
        for n in (old, new):
            if n not in numbers:
                raise LibraryError(
                    f"article {article_id} has no version {n} "
                    f"(it has {numbers[0]} to {numbers[-1]})"
                )
        return diff_versions(
            article_id, self.version_text(article_id, old), self.version_text(article_id, new)
        )

    def archived(self, ref: archive.ArchiveRef) -> archive.Record:
        """The archived record at ``ref`` (ValueError, one line, when it is damaged)."""
        return archive.read(self.files.root, ref)

    def header(self, article_id: str) -> VersionHeader:
        found = self.versions(article_id)
        changed = len(found) > 1 and self.diff(article_id).quotes_changed
        return VersionHeader(found[-1].version, len(found), changed)

    def version_view(self, article_id: str, number: int) -> VersionView:
        """A version as an article and quotes, for reading it (never for writing to it)."""
        text = self.version_text(article_id, number)
        summary = records.body_article(self.files.body(article_id))
        article = Article(
            text=text.text,
            title=text.title or summary.get("title") or "",
            source=summary.get("source"),
            url=summary.get("url"),
            path=summary.get("path"),
            paragraphs=paragraph_spans(text.text),
            fetched=text.version.read_at or None,
        )
        quotes = tuple(QuoteView.from_stored(q, article_id) for q in text.quotes)
        return VersionView(text.version, article, quotes)

    def quotes_changed_on_recheck(self) -> frozenset[str]:
        """The articles whose last recheck changed a quote."""
        return versions.quotes_changed_on_recheck(self.files)

    def last_check(self, article_id: str) -> LastCheck | None:
        return versions.last_check(self.files, article_id)

    def record_check(self, article_id: str, check: LastCheck) -> None:
        versions.record_check(self.files, article_id, check)

    def validators(self, article_id: str) -> tuple[str | None, str | None, str | None]:
        """(URL fetched, ETag, Last-Modified) of the current version, for a conditional GET."""
        return versions.validators(self.files, article_id)
