"""What the bot remembers between requests, in memory and bounded: the deliveries it has
seen (so a retried event is never answered twice) and the threads it has answered (so a
follow-up there needs no new mention)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable


class LruSet:
    """A thread-safe set that forgets its oldest entries beyond `size`."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError(f"size must be at least 1, not {size}")
        self.size = size
        self._items: OrderedDict[Hashable, None] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, key: Hashable) -> bool:
        """Add `key`; True when it was not there yet (refreshes it either way)."""
        with self._lock:
            new = key not in self._items
            self._items[key] = None
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
            return new

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._items

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)


class Memory:
    def __init__(self, deliveries: int = 10_000, threads: int = 10_000) -> None:
        self._deliveries = LruSet(deliveries)
        self._threads = LruSet(threads)

    def first_delivery(self, key: Hashable) -> bool:
        """True the first time a delivery (an event_id, a message) is seen; False for a repeat."""
        return self._deliveries.add(key)

    def remember_thread(self, channel: str, thread_ts: str) -> None:
        self._threads.add((channel, thread_ts))

    def answered_thread(self, channel: str, thread_ts: str) -> bool:
        return (channel, thread_ts) in self._threads
