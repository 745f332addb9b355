"""saidwho: a terminal reader for news with source provenance.

The package is one namespace over the project's top-level folders (layers bottom up:
``saidwho.core`` -> ``saidwho.readers``, ``saidwho.attribution`` -> ``saidwho.store`` ->
the services here (``ingest``, ``feed_update``, ``extract_stream``, ``evaluation``) ->
``saidwho.tui`` -> ``saidwho.cli``).
"""

from __future__ import annotations

from saidwho.core import __version__

__all__ = ["__version__"]
