"""How every benchmark times a call: the best of several repeats."""

from __future__ import annotations

import time


def _shortest(clock, repeats: int, fn, args, kwargs) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = clock()
        fn(*args, **kwargs)
        best = min(best, clock() - start)
    return best


def best_of(repeats: int, fn, *args, **kwargs) -> float:
    """The shortest wall-clock time of ``repeats`` calls, in seconds (the repeat least
    disturbed by other work on the machine)."""
    return _shortest(time.perf_counter, repeats, fn, args, kwargs)


def best_cpu_of(repeats: int, fn, *args, **kwargs) -> float:
    """The shortest CPU time of this thread over ``repeats`` calls, in seconds: what a call
    costs when other work on the machine takes turns on its core (a single-threaded call)."""
    return _shortest(time.thread_time, repeats, fn, args, kwargs)


def best_process_cpu_of(repeats: int, fn, *args, **kwargs) -> float:
    """The shortest CPU time of the whole process (every thread) over ``repeats`` calls, in
    seconds: the work a multi-threaded call does, which other work on the machine does not
    stretch as it stretches the wall time."""
    return _shortest(time.process_time, repeats, fn, args, kwargs)
