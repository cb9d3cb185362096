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


class Tally:
    """Look-ups answered out of those to make, told to `on_progress` as they change: the sources report
    answers one by one while their requests run (`answered`); a source that does not is counted when its
    call returns. The total grows as the chain decides what to ask; `done` never passes it, never goes back."""

    def __init__(self, on_progress: Callable[[int, int], None] | None, total: int = 0) -> None:
        self.on_progress, self.total, self.done = on_progress, total, 0
        self._tell()

    def add(self, count: int) -> None:
        self.reach(self.done + count)

    def expect(self, count: int) -> None:
        """`count` more look-ups are about to be made."""
        if count:
            self.total += count
            self._tell()

    def reach(self, done: int, total: int | None = None) -> None:
        self.total = self.total if total is None else total
        done = min(max(done, self.done), self.total)
        if done != self.done or total is not None:
            self.done = done
            self._tell()

    def _tell(self) -> None:
        if self.on_progress:
            self.on_progress(self.done, self.total)
