"""Pausing Python's cyclic garbage collector during a bulk parse."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Decoded pages are millions of short-lived dicts: each batch of new containers triggers the cyclic collector,
    which walks them to find no cycles (~10 % of parsing a national table, bench/ ingest). Reference counting still
    frees them while it is paused; the collector runs again afterwards as before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
