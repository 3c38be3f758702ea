"""The garbage collector of a served worker, tuned once the app has started.

Measured on a cold public request (issue 14, ``bench.speed`` with a GC probe): with Python's
defaults the collector took a quarter of the worker's CPU — 700 allocations between young
collections, and every full collection walked the ~115,000 objects of start-up (schema,
modules, settings) along with the caches.  Two changes, in the worker only (tests build many
apps in one process and must not pin them):

* :func:`gc.freeze` after start-up: those objects move to a generation no collection walks;
* ``GATEWAY_GC_YOUNG_THRESHOLD`` (default 10,000) allocations between young collections, so
  most of a request's short-lived objects die by reference count before one runs.  Older
  generations keep Python's ratios.

    tune_collector(settings)   # in the lifespan, just before it yields
"""

from __future__ import annotations

import gc
import logging

from gateway.settings import Settings

__all__ = ["tune_collector"]

log = logging.getLogger(__name__)


def tune_collector(settings: Settings) -> None:
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(settings.gc_young_threshold, middle, old)
    log.info(
        "garbage collector: %d start-up objects frozen, young threshold %d",
        gc.get_freeze_count(),
        settings.gc_young_threshold,
    )
