"""A class on the server: simulated students over Streamlit's websocket, beside the targets.

    python -m benchmarks load                      # every scenario, a few minutes
    python -m benchmarks load single steady        # some of them
    python -m benchmarks load steady --students 20 --seconds 60 --workers 2
    python -m benchmarks load --set runner.postScriptGC=true   # a Streamlit setting, every server

Scenarios (each starts its own servers on free localhost ports and stops them):

``single``   one Streamlit process held to one core (the students run on the other), a few
             students moving Explore's "steps" slider as fast as the answers come: the reruns
             per second one process serves, every move a new value (a new simulation) and, apart,
             moves between two values (cached results); and the median CPU time of one script
             run, measured inside the server (its script thread alone:
             benchmarks/load/profiled_server.py), which the machine's other work hardly moves.
``profile``  the same process with its ScriptRunner threads under cProfile, one student: where
             a rerun's server time goes.
``steady``   the balanced deployment (``make serve WORKERS=n``: n processes behind HAProxy), N
             students each moving the slider once a second and waiting for the result.
``burst``    the balanced deployment, N students releasing the slider several times a second
             without waiting; then each waits for the page to show their last value.

A student is a browser tab (benchmarks/load/student.py): it opens the page, sends rerun requests
with its widget states, and reads the script run's messages. A move counts only when the run that
finished after it rendered the moved value; anything else is listed as lost or failed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import math
import os
import random
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.load import servers
from benchmarks.load.student import Student

SCENARIOS = ("single", "profile", "steady", "burst")
SLIDER, QUERY_KEY = "steps", "steps"
STEPS_LOW, STEPS_HIGH = 1, 3000  # ui.configs.STEPS_RANGE, read without importing the app
CACHED_VALUES = (400, 600)  # moves between these hit every cache after the first two

STUDENTS_TARGET = 40
P95_TARGET_S = 1.0
FINAL_TARGET_S = 2.0
SINGLE_TARGET = 20.0
RUN_CPU_TARGET_MS = 40.0  # issue 11: server CPU per rerun, median, in-process


@dataclass
class Move:
    student: str
    value: int
    sent: float
    latency: float | None = None
    problem: str = ""  # empty when the finished run rendered the value


@dataclass
class Outcome:
    moves: list[Move] = field(default_factory=list)
    opens: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # failures outside a move
    window: float = 0.0
    server_cpu: float = 0.0
    client_cpu: float = 0.0
    rss_mb: float = 0.0  # the servers' resident memory at the end
    requests: int = 0  # rerun requests sent (moves and releases)
    run_cpu: list[float] = field(default_factory=list)  # each script run's CPU, where timed
    workers: dict[str, int] = field(default_factory=dict)

    @property
    def served(self) -> list[Move]:
        return [m for m in self.moves if m.latency is not None and not m.problem]

    @property
    def failed(self) -> list[Move]:
        return [m for m in self.moves if m.problem]


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile: the smallest value with at least q % of them at or below."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q / 100 * len(ordered))) - 1]


def fresh_values(seed: int, index: int = 0, count: int = 1) -> Iterator[int]:
    """Steps values for student ``index`` of ``count``: the students share one random order of
    the slider's values and each takes every ``count``-th, so no value is sent twice (each move
    is a new computation) until a student has used up its share."""
    values = [v for v in range(STEPS_LOW, STEPS_HIGH + 1) if v not in (500, *CACHED_VALUES)]
    random.Random(seed).shuffle(values)
    return itertools.cycle(values[index::count])


def check(student: Student, finish, value: int) -> str:
    """Why the run that finished after a move does not show ``value`` (empty if it does)."""
    if finish.errors:
        return "error: " + "; ".join(finish.errors)
    shown, written = student.rendered(finish, SLIDER, QUERY_KEY)
    if shown is None:
        return "lost: the page drew no steps slider"
    if round(shown) != value:
        return f"lost: the slider shows {shown:g}, not {value}"
    if written != str(value):
        return f"lost: the page was computed for steps={written}, not {value}"
    return ""


# --- the students -------------------------------------------------------------------------

async def open_students(port: int, count: int, outcome: Outcome, spread: float
                        ) -> list[Student]:
    """``count`` tabs opening Explore's default page, their arrivals spread over ``spread`` s."""
    async def one(index: int) -> Student | None:
        await asyncio.sleep(spread * index / max(1, count))
        student = Student("127.0.0.1", port, f"student{index + 1:02d}")
        try:
            outcome.opens.append(await student.open())
        except Exception as error:
            outcome.problems.append(f"{student.name}: opening the page failed: "
                                    f"{type(error).__name__}: {error}")
            await student.close()
            return None
        return student

    opened = await asyncio.gather(*(one(i) for i in range(count)))
    students = [s for s in opened if s is not None]
    for s in students:
        outcome.workers[s.worker or "-"] = outcome.workers.get(s.worker or "-", 0) + 1
    return students


async def paced_moves(student: Student, values, until: float, interval: float, timeout: float,
                      outcome: Outcome) -> None:
    """Move the slider, wait for the page, and again ``interval`` s after the last move (or
    at once if the answer took longer), until ``until``."""
    next_at = time.perf_counter()
    while max(next_at, time.perf_counter()) < until:
        await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
        value = next(values)
        seen = len(student.finishes)
        try:
            move = Move(student.name, value, await student.move_slider(SLIDER, value))
        except Exception as error:
            outcome.problems.append(f"{student.name}: could not move the slider: "
                                    f"{type(error).__name__}: {error}")
            return
        outcome.moves.append(move)
        outcome.requests += 1
        try:
            finish = await student.wait_finished(seen, timeout)
        except TimeoutError:
            move.problem = f"timeout: no finished run within {timeout:g} s"
            return  # the tab is stuck behind its own run: it stops here
        except ConnectionError as error:
            move.problem = f"error: connection lost ({error})"
            return
        move.latency = finish.at - move.sent
        move.problem = check(student, finish, value)
        next_at = max(next_at + interval, time.perf_counter())


async def released_burst(student: Student, values, releases: int, rate: float, timeout: float,
                         outcome: Outcome) -> None:
    """Release the slider ``releases`` times, ``rate`` times a second, not waiting for the
    page; then wait until the page shows the last value."""
    await asyncio.sleep(random.random() / rate)
    value, sent, seen = 0, 0.0, 0
    for _ in range(releases):
        value = next(values)
        seen = len(student.finishes)
        try:
            sent = await student.move_slider(SLIDER, value)
        except Exception as error:
            outcome.problems.append(f"{student.name}: could not move the slider: "
                                    f"{type(error).__name__}: {error}")
            return
        outcome.requests += 1
        await asyncio.sleep(1 / rate)
    move = Move(student.name, value, sent)
    outcome.moves.append(move)
    deadline = sent + timeout
    while True:
        try:
            finish = await student.wait_finished(seen, max(0.01, deadline - time.perf_counter()))
        except TimeoutError:
            move.problem = f"timeout: the last value was not shown within {timeout:g} s"
            return
        except ConnectionError as error:
            move.problem = f"error: connection lost ({error})"
            return
        if finish.at < sent:  # a run that ended before the last release was sent
            seen = student.finishes.index(finish) + 1
            continue
        problem = check(student, finish, value)
        if not problem or problem.startswith("error"):
            move.latency, move.problem = finish.at - sent, problem
            return
        seen = student.finishes.index(finish) + 1  # an older value still finishing: wait on


# --- scenarios ----------------------------------------------------------------------------

async def warm_up(running: servers.Running, outcome: Outcome) -> None:
    """The teacher opens the page once on every process before the class arrives, so the
    scenarios measure a class at work, not a fresh process's first page."""
    teachers = []
    for index in range(max(1, len(running.pids))):  # all kept open: leastconn spreads them
        teacher = Student("127.0.0.1", running.port, f"teacher{index + 1}")
        try:
            await teacher.open()
        except Exception as error:
            outcome.problems.append(f"{teacher.name}: opening the page failed: "
                                    f"{type(error).__name__}: {error}")
        teachers.append(teacher)
    for teacher in teachers:
        await teacher.close()


async def drive(running: servers.Running, count: int, spread: float, act, bound: float,
                acting=None) -> Outcome:
    """Open ``count`` students, then let each one ``act``; measure the window of acting.
    Whatever still acts after ``bound`` seconds is stopped and reported. ``acting(bool)`` is
    told when the acting begins (True) and ends (False)."""
    outcome = Outcome()
    await warm_up(running, outcome)
    students = await open_students(running.port, count, outcome, spread)
    if acting:
        acting(True)
    cpu0, client0, began = running.cpu_seconds(), time.process_time(), time.perf_counter()
    try:
        await asyncio.wait_for(
            asyncio.gather(*(act(i, s, outcome) for i, s in enumerate(students))), bound)
    except TimeoutError:
        outcome.problems.append(f"the scenario was stopped after {bound:g} s")
    outcome.window = time.perf_counter() - began
    outcome.server_cpu = running.cpu_seconds() - cpu0
    outcome.client_cpu = time.process_time() - client0
    outcome.rss_mb = running.rss_mb()
    if acting:
        outcome.run_cpu = acting(False)
    for s in students:
        await s.close()
    return outcome


def closed_loop(seconds: float, timeout: float, seed: int, cached: bool, count: int):
    until = time.perf_counter() + seconds + 60  # re-based when acting starts

    async def act(index: int, student: Student, outcome: Outcome) -> None:
        nonlocal until
        until = min(until, time.perf_counter() + seconds)
        values = itertools.cycle(CACHED_VALUES) if cached else fresh_values(seed, index, count)
        await paced_moves(student, values, until, 0.0, timeout, outcome)
    return act


def paced(seconds: float, timeout: float, seed: int, count: int):
    until = time.perf_counter() + seconds + 600

    async def act(index: int, student: Student, outcome: Outcome) -> None:
        nonlocal until
        until = min(until, time.perf_counter() + seconds)
        await asyncio.sleep(random.random())  # students do not move in lockstep
        await paced_moves(student, fresh_values(seed, index, count), until, 1.0, timeout,
                          outcome)
    return act


def burst(releases: int, rate: float, timeout: float, seed: int, count: int):
    async def act(index: int, student: Student, outcome: Outcome) -> None:
        await released_burst(student, fresh_values(seed, index, count), releases, rate,
                             timeout, outcome)
    return act


@contextlib.contextmanager
def client_on(cores: set[int]):
    """Hold this process (the students) to ``cores`` for a while."""
    before = os.sched_getaffinity(0)
    try:
        os.sched_setaffinity(0, cores)
        yield
    finally:
        os.sched_setaffinity(0, before)


def core_split() -> tuple[set[int], set[int]]:
    cores = sorted(os.sched_getaffinity(0))
    return {cores[0]}, set(cores[1:]) or {cores[0]}


def run_single(options, settings: list[str]) -> list[tuple[str, Outcome]]:
    server_core, client_cores = core_split()
    results = []
    run_cpu = Path(tempfile.mkdtemp(prefix="descent-lab-run-cpu-")) / "runs.txt"
    with servers.one_process(settings, cores=server_core, run_cpu_to=run_cpu) as running, \
            client_on(client_cores):
        def acting(begins: bool) -> list[float]:
            """The CPU time of each script run since the last call (those before the
            students act are dropped)."""
            if not begins:
                time.sleep(1.0)  # the last run's thread ends after its post-run work
            return [float(line) for line in _signalled(running, run_cpu).read_text().split()]

        for cached in (False, True):
            act = closed_loop(options.single_seconds, options.timeout, options.seed, cached,
                              options.single_students)
            bound = options.single_seconds + options.timeout + 30
            results.append(("cached" if cached else "fresh",
                            asyncio.run(drive(running, options.single_students, 1.0, act,
                                              bound, acting))))
    return results


def _signalled(running: servers.Running, target: Path) -> Path:
    """``target`` as the instrumented server (benchmarks.load.profiled_server) writes it anew
    on SIGUSR1."""
    target.unlink(missing_ok=True)
    os.kill(running.pids[0], signal.SIGUSR1)
    deadline = time.monotonic() + 30
    while not target.exists():
        if time.monotonic() > deadline:
            raise RuntimeError(f"the instrumented server wrote nothing; see {running.log_dir}")
        time.sleep(0.1)
    return target


def run_profile(options, settings: list[str]) -> list[tuple[str, Path, int]]:
    server_core, client_cores = core_split()
    out_dir = Path(tempfile.mkdtemp(prefix="descent-lab-profile-"))
    target = out_dir / "runs.prof"
    dumps = []
    with servers.one_process(settings, cores=server_core, profile_to=target) as running, \
            client_on(client_cores):
        def dump(name: str) -> Path:
            time.sleep(1.0)  # the last run's thread ends after its post-run work
            kept = out_dir / f"{name}.prof"
            _signalled(running, target).rename(kept)
            return kept

        async def measured(cached: bool) -> int:
            student = Student("127.0.0.1", running.port, "profiler")
            await student.open()
            values = itertools.cycle(CACHED_VALUES) if cached else fresh_values(options.seed + 7)
            if cached:
                for _ in range(2):
                    seen = len(student.finishes)
                    await student.move_slider(SLIDER, next(values))
                    await student.wait_finished(seen, options.timeout)
            dump("discard")
            for _ in range(options.profile_reruns):
                seen = len(student.finishes)
                await student.move_slider(SLIDER, next(values))
                await student.wait_finished(seen, options.timeout)
            await student.close()
            return options.profile_reruns

        for cached in (False, True):
            count = asyncio.run(measured(cached))
            dumps.append(("cached" if cached else "fresh", dump("cached" if cached else "fresh"),
                          count))
    return dumps


def run_balanced(options, settings: list[str], act, count: int, spread: float, bound: float
                 ) -> Outcome:
    with servers.balanced(options.workers, settings) as running:
        return asyncio.run(drive(running, count, spread, act, bound))


# --- the report ---------------------------------------------------------------------------

def row(what: str, measured: float, target: str, unit: str) -> None:
    print(f"{what:<66} {measured:>12.4g} {target:>10}  {unit}", flush=True)


def latency_rows(label: str, outcome: Outcome, p95_target: str) -> None:
    latencies = [m.latency for m in outcome.served]
    row(f"{label}: p50 latency", percentile(latencies, 50), "-", "s")
    row(f"{label}: p95 latency", percentile(latencies, 95), p95_target, "s")
    row(f"{label}: p99 latency", percentile(latencies, 99), "-", "s")


def common_rows(label: str, outcome: Outcome) -> None:
    if outcome.requests:
        per_request = outcome.server_cpu / outcome.requests
        row(f"{label}: server CPU per rerun request", per_request * 1e3, "-", "ms")
        row(f"{label}:   reruns/s one core gives at that cost", 1 / max(per_request, 1e-9),
            "-", "1/s")
    row(f"{label}: load generator's CPU (of this machine's cores)",
        outcome.client_cpu / max(outcome.window, 1e-9), "-", "cores")
    if outcome.opens:
        row(f"{label}: page open, p95 (GET / to first finished run)",
            percentile(outcome.opens, 95), "-", "s")
    row(f"{label}: servers' resident memory at the end", outcome.rss_mb, "-", "MB")


def list_failures(label: str, outcome: Outcome) -> None:
    for problem in outcome.problems:
        print(f"  {label}: {problem}")
    for move in outcome.failed:
        print(f"  {label}: {move.student} moved steps to {move.value}: {move.problem}")


def report_single(results: list[tuple[str, Outcome]], options) -> None:
    for name, outcome in results:
        label = (f"single process, 1 core, {options.single_students} students, "
                 f"{'cached' if name == 'cached' else 'new values'}")
        served = outcome.served
        rate = len(served) / outcome.window if outcome.window else 0.0
        row(f"{label}: reruns/s", rate, f">= {SINGLE_TARGET:g}", "1/s")
        row(f"{label}: p50 latency", percentile([m.latency for m in served], 50), "-", "s")
        if outcome.run_cpu:
            row(f"{label}: script run CPU, median ({len(outcome.run_cpu)} runs)",
                percentile(outcome.run_cpu, 50) * 1e3,
                f"<= {RUN_CPU_TARGET_MS:g}" if name == "fresh" else "-", "ms")
        common_rows(label, outcome)
        row(f"{label}: lost or failed", len(outcome.failed) + len(outcome.problems), "0", "")
        list_failures(label, outcome)


CATEGORIES = (  # (name, substrings of "file:function"), the first that matches wins
    ("post-run gc.collect (runner.postScriptGC)", ("gc.collect",)),
    ("Plotly figure building and validation", ("/plotly/", "/_plotly_utils/")),
    ("JSON encoding", ("/json/", "_json", "orjson")),
    ("pandas (DataFrame, Styler)", ("/pandas/",)),
    ("pyarrow (dataframes to Arrow)", ("/pyarrow/",)),
    ("protobuf and hashing (messages to the browser)", ("protobuf", "_upb", "hashlib",
                                                       "forward_msg")),
    ("Numba kernels and the core", ("/numba/", "/llvmlite/", "/landscapes/", "/optimizers/")),
    ("NumPy", ("numpy",)),
    ("the app's own code (ui/, figures/, pages/)", ("/ui/", "/figures/", "/pages/", "app.py")),
    ("Streamlit (widgets, caching, script runner)", ("/streamlit/",)),
)


OTHER = "other (Python, standard library)"


def _category(function: tuple[str, int, str]) -> str | None:
    where = f"{function[0]}:{function[2]}"
    return next((name for name, keys in CATEGORIES if any(k in where for k in keys)), None)


def _categories(stats: dict, function: tuple, memo: dict, path: tuple) -> dict[str, float]:
    """Which parts of the program a function's own time belongs to: its own category, or, for
    the standard library and builtins (deepcopy, isinstance …), its callers' categories in
    proportion to the time (with what it called) each caller spent in it. Empty when every
    caller is a cycle."""
    if function in memo:
        return memo[function]
    own = _category(function)
    every_caller = stats.get(function, (0, 0, 0, 0, {}))[4]
    if own or not every_caller or len(path) > 40:
        memo[function] = {own or OTHER: 1.0}
        return memo[function]
    callers = {c: v for c, v in every_caller.items() if c != function and c not in path}
    # recursion inside one file (deepcopy and its helpers): look past it to the outside callers
    callers = {c: v for c, v in callers.items() if c[0] != function[0]} or callers
    result: dict[str, float] = {}
    weight = 0.0
    for caller, value in callers.items():
        shares = _categories(stats, caller, memo, (*path, function))
        if shares and value[3] > 0:  # the time spent in this function from that caller
            weight += value[3]
            for name, share in shares.items():
                result[name] = result.get(name, 0.0) + share * value[3]
    if weight <= 0:
        return {} if path else {OTHER: 1.0}
    memo[function] = {name: share / weight for name, share in result.items()}
    return memo[function]


def report_profile(dumps: list[tuple[str, Path, int]]) -> None:
    import pstats

    for name, path, count in dumps:
        if path.stat().st_size == 0:
            print(f"  profile {name}: no script run was profiled")
            continue
        stats = pstats.Stats(str(path))
        total = sum(tt for _, _, tt, _, _ in stats.stats.values())
        label = f"profile, one student, {'cached' if name == 'cached' else 'new values'}"
        row(f"{label}: script-thread time per rerun (under cProfile)", total / count * 1e3,
            "-", "ms")
        by_category: dict[str, float] = {}
        memo: dict = {}
        for function, (_, _, tt, _, _) in stats.stats.items():
            for category, share in _categories(stats.stats, function, memo, ()).items():
                by_category[category] = by_category.get(category, 0.0) + tt * share
        for category, seconds in sorted(by_category.items(), key=lambda kv: -kv[1]):
            if seconds / total < 0.0005:
                continue
            print(f"    {seconds / total:6.1%}  {seconds / count * 1e3:7.1f} ms/rerun  "
                  f"{category}")
        print(f"    top functions by own time ({count} reruns; {path}):")
        top = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:12]
        for (filename, line, function), (_, calls, tt, _, _) in top:
            short = "/".join(Path(filename).parts[-2:]) if filename != "~" else ""
            print(f"      {tt / count * 1e3:7.2f} ms/rerun  {calls / count:8.0f} calls/rerun  "
                  f"{short}:{line} {function}"[:150])


def report_steady(outcome: Outcome, options) -> None:
    label = f"steady, {options.workers} processes, {options.students} students x 1 move/s"
    rate = len(outcome.served) / outcome.window if outcome.window else 0.0
    offered = options.students
    row(f"{label}: reruns/s served", rate, f">= {offered:g}", "1/s")
    latency_rows(label, outcome, f"<= {P95_TARGET_S:g}")
    row(f"{label}: lost or failed moves", len(outcome.failed) + len(outcome.problems), "0", "")
    common_rows(label, outcome)
    if outcome.requests:  # how close this machine is: its cores' reruns/s at that CPU cost
        cores = min(options.workers, os.cpu_count() or 1)
        capacity = cores * outcome.requests / max(outcome.server_cpu, 1e-9)
        row(f"{label}:   reruns/s all {cores} cores give at that cost (if nothing else ran)",
            capacity, f">= {offered:g}", "1/s")
        row(f"{label}:   the class's demand / that capacity", offered / capacity, "< 1", "x")
    print(f"  students per process: {dict(sorted(outcome.workers.items()))}")
    list_failures(label, outcome)


def report_burst(outcome: Outcome, options) -> None:
    label = (f"burst, {options.workers} processes, {options.students} students x "
             f"{options.rate:g} releases/s")
    finals = [m.latency for m in outcome.served]
    row(f"{label}: last value shown, p50 after the last release", percentile(finals, 50), "-",
        "s")
    row(f"{label}: last value shown, slowest student", max(finals) if finals else float("nan"),
        f"<= {FINAL_TARGET_S:g}", "s")
    late = sum(1 for f in finals if f > FINAL_TARGET_S)
    row(f"{label}: students whose last value was late (> {FINAL_TARGET_S:g} s)", late, "0", "")
    row(f"{label}: lost or failed", len(outcome.failed) + len(outcome.problems), "0", "")
    common_rows(label, outcome)
    print(f"  students per process: {dict(sorted(outcome.workers.items()))}")
    list_failures(label, outcome)


def header(options, settings: list[str]) -> None:
    root = servers.ROOT
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root,
                            capture_output=True, text=True).stdout.strip() or "?"
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                           capture_output=True, text=True).stdout.strip()
    print(f"load benchmark at commit {commit}{' (+ uncommitted changes)' if dirty else ''}, "
          f"{time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.2f}; Streamlit flags: {' '.join(settings) or 'none'}")
    print(f"{'what':<66} {'measured':>12} {'target':>10}  unit", flush=True)


def parse(argv: list[str]):
    parser = argparse.ArgumentParser(prog="python -m benchmarks load",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("scenarios", nargs="*", metavar="scenario",
                        help=f"any of {', '.join(SCENARIOS)} (default: all)")
    parser.add_argument("--students", type=int, default=STUDENTS_TARGET,
                        help="students in the steady and burst scenarios (default 40)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="Streamlit processes behind the balancer (default: one per core)")
    parser.add_argument("--seconds", type=float, default=30,
                        help="how long the steady students move (default 30)")
    parser.add_argument("--rate", type=float, default=4,
                        help="slider releases per second per student in the burst (default 4)")
    parser.add_argument("--burst-seconds", type=float, default=10,
                        help="how long each student releases the slider (default 10)")
    parser.add_argument("--single-students", type=int, default=4,
                        help="students driving the single process (default 4)")
    parser.add_argument("--single-seconds", type=float, default=15,
                        help="seconds of each single-process measurement (default 15)")
    parser.add_argument("--profile-reruns", type=int, default=30,
                        help="reruns profiled, for new values and for cached (default 30)")
    parser.add_argument("--timeout", type=float, default=15,
                        help="seconds a student waits for a run before it counts as lost")
    parser.add_argument("--burst-timeout", type=float, default=30,
                        help="seconds after the last release before the last value counts "
                             "as lost (default 30)")
    parser.add_argument("--set", action="append", default=[], metavar="OPTION=VALUE",
                        help="a Streamlit option for every server, e.g. runner.postScriptGC=true")
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args(argv)
    unknown = [name for name in options.scenarios if name not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(unknown)} (choose from: "
                     f"{', '.join(SCENARIOS)})")
    for name in ("students", "workers", "single_students", "profile_reruns"):
        if getattr(options, name) < 1:
            parser.error(f"Invalid --{name.replace('_', '-')}: {getattr(options, name)}")
    settings = []
    for option in options.set:
        key, sep, value = option.partition("=")
        if not sep or not key:
            parser.error(f"Invalid --set {option!r}: expected OPTION=VALUE")
        settings += [f"--{key}", value]
    return options, settings


def main(argv: list[str]) -> int:
    options, settings = parse(argv)
    chosen = options.scenarios or list(SCENARIOS)
    random.seed(options.seed)
    header(options, settings)
    bound = (max(options.seconds, options.burst_seconds)
             + max(options.timeout, options.burst_timeout) + 60)
    scenarios = {
        "single": lambda: report_single(run_single(options, settings), options),
        "profile": lambda: report_profile(run_profile(options, settings)),
        "steady": lambda: report_steady(run_balanced(
            options, settings,
            paced(options.seconds, options.timeout, options.seed, options.students),
            options.students, 10.0, bound), options),
        "burst": lambda: report_burst(run_balanced(
            options, settings,
            burst(round(options.burst_seconds * options.rate), options.rate,
                  options.burst_timeout, options.seed + 1, options.students),
            options.students, 10.0, bound), options),
    }
    failed = 0
    for name in SCENARIOS:
        if name not in chosen:
            continue
        try:
            scenarios[name]()
        except Exception as error:  # a scenario that cannot run says why; the others still run
            failed += 1
            print(f"{name}: not run: {type(error).__name__}: {error}", flush=True)
        # the machine is shared: what else ran during the scenario moves every figure but CPU
        print(f"  (load average after {name}: {os.getloadavg()[0]:.2f} on {os.cpu_count()} "
              f"cores)", flush=True)
    return 1 if failed else 0
