"""Look-ups reported as they are answered, so that a progress bar moves while requests run.

A source answers many look-ups in one call (`works`, `search_many`), over the network and concurrently; a
caller that counted only returned calls would stand still for the whole run. So a source says `answered(n)`
as its answers arrive (in the calling thread), and a caller that wants to know listens for the duration of
its calls with `listening(callback)`. A source that answers at once (a snapshot) need not report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Listener = Callable[[int], None]  # told how many more look-ups were answered

_listener: ContextVar[Listener | None] = ContextVar("refkit_lookups_answered", default=None)


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Tell `listener` of every look-up answered inside the block (in this thread or context)."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)


def answered(count: int = 1) -> None:
    """Report `count` more look-ups answered to whoever listens (nobody, most of the time)."""
    listener = _listener.get()
    if listener is not None and count:
        listener(count)
