"""Which keys a table may hold rows for, so that a key it never held costs no round trip.

Most subjects a cold request asks about have no platform rows (red lists, commitments,
evaluations) and most records no objection or repair case, yet each used to cost a query.  A
:class:`PresenceIndex` keeps a Bloom filter of the keys that have rows, loaded once and kept
true by the table's ``NOTIFY`` of every new key (the same listener that keeps the platform
cache): a key the filter has never seen has no rows; a key it has seen may have, and is read.

    index = PresenceIndex("platform", load=all_subject_codes)
    index.start()            # the listener hears: load the keys (in the background)
    index.add("9135…")       # heard: a new key has rows ("*": many changed — load again)
    index.may_hold("9135…")  # False only when no row can exist
    index.stop()             # the listener is gone: every key may hold rows again

Until a load has finished, and whenever the listener is lost, every key "may hold" rows, so the
answer is never wrong, only slower.  A load does not miss a key written while it runs: LISTEN
comes before the load, and keys heard during it are added to what it returns.  A ``*`` heard
during a load (a bulk write, whose keys are not named) loads again.  The filter only answers
"maybe" falsely (about 1 % of absent keys, read as before), never "no" falsely; it is sized for
twice the keys loaded and reloaded in the background when added keys fill it.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import math
from collections.abc import Awaitable, Callable, Iterable

__all__ = ["PresenceFilter", "PresenceIndex"]

log = logging.getLogger(__name__)

_KEYS_PER_SLICE = 20_000
_MIN_CAPACITY = 1024

ALL = "*"
"""The notification payload for "many or all keys changed"."""


class PresenceFilter:
    """A Bloom filter of strings: ``key in filter`` is False only for keys never added."""

    def __init__(
        self, keys: Iterable[str] = (), *, capacity: int = 0, false_positive_rate: float = 0.01
    ) -> None:
        keys = list(keys)
        self.capacity = max(_MIN_CAPACITY, capacity, 2 * len(keys))
        ln2 = math.log(2)
        self._bits = max(64, math.ceil(-self.capacity * math.log(false_positive_rate) / ln2**2))
        self._hashes = max(1, round(self._bits / self.capacity * ln2))
        self._array = bytearray((self._bits + 7) // 8)
        self.count = 0
        for key in keys:
            self.add(key)

    def _positions(self, key: str) -> list[int]:
        # Two 64-bit hashes from one digest, combined (Kirsch–Mitzenmacher).
        digest = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=16).digest(), "little")
        first, second = digest & 0xFFFF_FFFF_FFFF_FFFF, (digest >> 64) | 1
        return [(first + i * second) % self._bits for i in range(self._hashes)]

    def add(self, key: str) -> None:
        for position in self._positions(key):
            self._array[position >> 3] |= 1 << (position & 7)
        self.count += 1

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        array = self._array
        return all(array[p >> 3] & (1 << (p & 7)) for p in self._positions(key))

    @property
    def full(self) -> bool:
        """More keys added than it was sized for: false "maybe"s grow from here."""
        return self.count > self.capacity

    @property
    def size_bytes(self) -> int:
        return len(self._array)


class PresenceIndex:
    """The keys a table holds rows for, known while a listener hears every new one."""

    def __init__(
        self,
        name: str,
        load: Callable[[], Awaitable[Iterable[str]]],
        *,
        false_positive_rate: float = 0.01,
    ) -> None:
        self.name = name
        self._load = load
        self._false_positive_rate = false_positive_rate
        self._filter: PresenceFilter | None = None
        self._heard_while_loading: set[str] | None = None
        self._load_again = False
        self._task: asyncio.Task[None] | None = None

    @property
    def ready(self) -> bool:
        """A load has finished and the listener still hears: absent keys cost nothing."""
        return self._filter is not None

    def may_hold(self, key: str) -> bool:
        found = self._filter
        return found is None or key in found

    def add(self, key: str) -> None:
        """``key`` has rows now (a notification, or this process's own write); ``*``: many
        keys changed without being named, so load them all again."""
        if key == ALL:
            self._reload(keep=False)
            return
        if self._heard_while_loading is not None:
            self._heard_while_loading.add(key)
        found = self._filter
        if found is not None:
            found.add(key)
            if found.full:
                self._reload(keep=True)

    def start(self) -> None:
        """The listener hears from now on: load the keys."""
        self._reload(keep=False)

    def stop(self) -> None:
        """The listener is gone: every key may hold rows until it hears again."""
        self._filter = None
        self._heard_while_loading = None
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def wait_ready(self) -> None:
        """Until the load under way has finished (tests, and a benchmark's start)."""
        while self._task is not None and not self._task.done():
            await asyncio.shield(self._task)

    def _reload(self, *, keep: bool) -> None:
        if not keep:
            self._filter = None  # until loaded again, every key may hold rows
        if self._task is not None and not self._task.done():
            self._load_again = True  # the load under way may have begun before this change
            return
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while True:
            self._load_again = False
            self._heard_while_loading = set()
            try:
                keys = list(await self._load())
            except Exception as exc:  # noqa: BLE001 — a background load: say so, read per key
                log.warning(
                    "could not load the %s presence index (%s); its table is read per key",
                    self.name,
                    type(exc).__name__,
                )
                self._heard_while_loading = None
                return
            fresh = PresenceFilter(
                capacity=2 * len(keys), false_positive_rate=self._false_positive_rate
            )
            for n, key in enumerate(keys, 1):
                fresh.add(key)
                if n % _KEYS_PER_SLICE == 0:
                    await asyncio.sleep(0)  # a million keys take seconds: let requests through
            for key in self._heard_while_loading:
                fresh.add(key)
            self._heard_while_loading = None
            if self._load_again:
                continue
            self._filter = fresh
            log.info("%s presence index: %d keys", self.name, fresh.count)
            return
