"""The garbage collector of a served worker, tuned once the app has started.

Measured on a cold public request (issue 14, ``bench.speed`` with a GC probe): with Python's
defaults the collector took a quarter of the worker's CPU — 700 allocations between young
collections, and every full collection walked the ~115,000 objects of start-up (schema,
modules, settings) along with the caches.  Two changes, in the worker only (tests build many
apps in one process and must not pin them):

* :func:`gc.freeze` after start-up: those objects move to a generation no collection walks;
* ``GATEWAY_GC_YOUNG_THRESHOLD`` (default 2,000) allocations between young collections.
  Older generations keep Python's ratios.  Collector CPU per cold request, 50 clients:
  0.32 ms at 700 (frozen start-up), 0.16 ms at 2,000, 0.15 ms at 10,000; but cyclic garbage
  lives longer the higher it is — at the 1,000,000-enterprise world with every cache full
  (``bench.memory``) a worker projects to 168 MiB at 700, 175 MiB at 2,000 and 204 MiB at
  10,000, past the 200 MiB bound.

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
