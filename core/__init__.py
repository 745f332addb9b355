"""The bottom layer: what every other layer shares, importing nothing of saidwho's.

``marks`` (quote-mark sets and pairing), ``quote`` (the ``Quote`` record every layer passes
on), ``safe_text`` (untrusted text made inert for terminals and JSON), ``text`` (whitespace
and clipping), ``heap`` (no cyclic GC while big acyclic data is built) and ``settings``
(every environment variable saidwho reads).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("saidwho")
except PackageNotFoundError:  # pragma: no cover - running from an uninstalled tree
    __version__ = "0+unknown"
