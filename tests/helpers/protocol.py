"""Whether an object offers every member of the `SearchBackend` protocol, with its parameters."""

from __future__ import annotations

import inspect
from typing import Any

from index.retrieval.backend import SearchBackend

MEMBERS = sorted(n for n in vars(SearchBackend) if not n.startswith("_"))


def backend_gaps(obj: Any) -> list[str]:
    """The protocol members ``obj`` lacks or takes with other parameters (empty when it
    satisfies the protocol)."""
    gaps = []
    for name in MEMBERS:
        want = inspect.getattr_static(SearchBackend, name)
        if not hasattr(obj, name):
            gaps.append(f"{name}: missing")
        elif callable(want) and not isinstance(want, property):
            have = list(inspect.signature(getattr(obj, name)).parameters)
            expect = list(inspect.signature(want).parameters)[1:]  # without self
            if have != expect:
                gaps.append(f"{name}: takes {have}, the protocol {expect}")
    return gaps
