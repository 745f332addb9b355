"""The garbage collector around allocation bursts.

A library of 10,000 articles is millions of live objects (the parsed catalog). CPython's
cyclic collector walks all of them on each full pass, and a burst of new objects (parsing
JSON, building 10,000 summaries, the filter's search strings) sets off such passes: at that
size they were a third or more of the burst's time. Code that builds many objects with no
cycles among them runs inside :func:`paused_gc`.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside: for building many objects that form no cycles.
    At 10,000 articles the parsed catalog is millions of objects, and each full collection
    an allocation burst sets off walks all of them (a third or more of such a step's time)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
