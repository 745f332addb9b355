"""saidwho: a terminal reader for news with source provenance.

The package is one namespace over the project's top-level folders, in the order data
flows: ``saidwho.readers`` -> ``saidwho.attribution`` -> ``saidwho.store`` -> ``saidwho.tui``,
with this package's own modules (``cli``, ``ingest``, ``evaluation``) as the shell.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("saidwho")
except PackageNotFoundError:  # pragma: no cover - running from an uninstalled tree
    __version__ = "0+unknown"
