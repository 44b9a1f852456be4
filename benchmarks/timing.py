"""How every benchmark times a call: the best of several repeats."""

from __future__ import annotations

import time


def best_of(repeats: int, fn, *args, **kwargs) -> float:
    """The shortest wall-clock time of ``repeats`` calls, in seconds (the repeat least
    disturbed by other work on the machine)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn(*args, **kwargs)
        best = min(best, time.perf_counter() - start)
    return best


def best_cpu_of(repeats: int, fn, *args, **kwargs) -> float:
    """The shortest CPU time of this thread over ``repeats`` calls, in seconds: what a call
    costs when other work on the machine takes turns on its core (a single-threaded call)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.thread_time()
        fn(*args, **kwargs)
        best = min(best, time.thread_time() - start)
    return best
