"""How a function's cost grows with its input, the only kind of timing a test may assert.

A test that asserts a speed fails on a slow or busy machine and passes a quadratic algorithm on a fast one; the
ratio of the CPU time on 4n to the CPU time on n does neither: linear work gives about 4, quadratic about 16.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

# Linear work measures about 4; the margin absorbs cache effects and noise, quadratic work (16) never fits.
MAX_RATIO = 6.0
# Below this a CPU-time measurement is mostly noise (another process sharing the core, the allocator), so the
# small size is doubled until it takes this long.
MIN_SECONDS = 0.05
MAX_DOUBLINGS = 4
ATTEMPTS = 5


@contextmanager
def collector_paused() -> Iterator[None]:
    """Hold off the garbage collector, so that a collection due to earlier work is not charged to a call.
    Disabling it is enough for that; a gc.collect() first would cost more than the measurements (0.1-0.3 s
    here, once the suite has imported everything)."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def cpu_seconds(function: Callable[[Any], Any], argument: Any) -> tuple[Any, float]:
    """The result and the CPU seconds of one call (CPU time: other load on the machine does not count)."""
    started = time.process_time()
    result = function(argument)
    return result, time.process_time() - started


def assert_linear(function: Callable[[Any], Any], make_input: Callable[[int], Any], n: int) -> Any:
    """Assert that `function(make_input(4n))` costs at most MAX_RATIO times `function(make_input(n))`, and
    return the result on the larger input so the test can check it too.

    n is doubled (up to MAX_DOUBLINGS times) until the small case takes MIN_SECONDS; a function still faster
    than that is held to 4n within MAX_RATIO × MIN_SECONDS, which linear work meets on any machine. Each size
    keeps its best time; the measurement is repeated (up to ATTEMPTS times) only while the ratio is too high,
    since noise can only add time to a measurement."""
    with collector_paused():
        return _assert_linear(function, make_input, n)


def _assert_linear(function: Callable[[Any], Any], make_input: Callable[[int], Any], n: int) -> Any:
    small_input = make_input(n)
    _, small = cpu_seconds(function, small_input)
    for _ in range(MAX_DOUBLINGS):
        if small >= MIN_SECONDS:
            break
        n *= 2
        small_input = make_input(n)
        _, small = cpu_seconds(function, small_input)
    large_input = make_input(4 * n)
    result, large = cpu_seconds(function, large_input)
    for _ in range(ATTEMPTS - 1):
        if large <= MAX_RATIO * max(small, MIN_SECONDS):
            break
        small = min(small, cpu_seconds(function, small_input)[1])
        large = min(large, cpu_seconds(function, large_input)[1])
    assert large <= MAX_RATIO * max(small, MIN_SECONDS), (
        f"{getattr(function, '__name__', function)}: {small:.3f} s on n={n} but {large:.3f} s on 4n "
        f"(ratio {large / max(small, 1e-9):.1f}, linear work gives about 4)"
    )
    return result
