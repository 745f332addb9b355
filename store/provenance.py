"""The provenance part of a library: an article's versions, what changed between two of
them, and what its last recheck found (store/versions.py, store/diff.py, store/archive.py)."""

from __future__ import annotations

from saidwho.store import archive, versions
from saidwho.store.diff import VersionDiff, diff_versions
from saidwho.store.errors import LibraryError
from saidwho.store.files import LibraryFiles
from saidwho.store.versions import LastCheck, Version, VersionText


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

    def last_check(self, article_id: str) -> LastCheck | None:
        return versions.last_check(self.files, article_id)

    def record_check(self, article_id: str, check: LastCheck) -> None:
        versions.record_check(self.files, article_id, check)

    def validators(self, article_id: str) -> tuple[str | None, str | None, str | None]:
        """(URL fetched, ETag, Last-Modified) of the current version, for a conditional GET."""
        return versions.validators(self.files, article_id)
