"""Compile time, as the first visitor of a fresh machine meets it.

``run()`` returns lines (name, measured, target, unit). Every figure is measured in new
processes with an empty Numba cache (a temporary NUMBA_CACHE_DIR), through the public API
only:

* the first trajectory: a new process that imports the core and runs one Adam trajectory
  (the best of two);
* everything the app can call, one after another in one new process: every optimizer's
  single run, sweep and basin map, a typed formula (its grid, a run, Newton's method on it)
  and a data surface (its grid, a mini-batch run, a sweep and a basin map) -- the sum is what
  a fresh server compiles before every page answers at once;
* where that process's compile time goes: the CPU time of each function's own compile (less
  the functions compiled inside it, from Numba's compile events), the costliest listed, and
  the fast kernels' together;
* each optimizer's first sweep, from that same process, before anything else but the first
  trajectory (the sweeps of the optimizers after the first show what one more optimizer
  costs), then each optimizer's first single run (its fast kernel);
* the first visitor of a fresh server (``benchmarks/first_page.py``): ``streamlit run`` on an
  empty cache, timed in Chromium to the page's title (shown at once, with the "Preparing the
  optimizers" progress bar) and to the first map (every kernel compiled).

The child processes print their timings as JSON; nothing here imports Numba. Each wall time
is printed with the CPU time of its process beside it: on a machine shared with other work the
wall time grows, the CPU time much less.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import first_page

ROOT = Path(__file__).resolve().parent.parent

FIRST_TRAJECTORY_TARGET_S = 2.0
EVERYTHING_TARGET_S = 20.0
FIRST_PAGE_TARGET_S = 2.0
COSTLIEST = 8
"""How many functions to list by the CPU time of their own compile."""

_FIRST_TRAJECTORY = """
import optimizers
optimizers.simulate('rosenbrock', 'adam', (-1.5, 2.0), 100, lr=0.01)
"""

_EVERYTHING = """
import json, sys, time
began, cpu = time.perf_counter(), time.process_time()
import numpy as np
import landscapes, optimizers
times = {"import": time.perf_counter() - began}
from numba.core import event

compiling, own_cpu = [], {}  # the compiles under way (nested); each function's own CPU time


class OwnCompileTime(event.Listener):  # a compile's CPU time, less the compiles inside it

    def on_start(self, ev):
        compiling.append([ev.data["dispatcher"].py_func.__name__, time.process_time(), 0.0])

    def on_end(self, ev):
        name, start, inner = compiling.pop()
        spent = time.process_time() - start
        own_cpu[name] = own_cpu.get(name, 0.0) + spent - inner
        if compiling:
            compiling[-1][2] += spent


event.register("numba:compile", OwnCompileTime())

def timed(label, fn, *args, **kwargs):
    start = time.perf_counter()
    fn(*args, **kwargs)
    times[label] = time.perf_counter() - start

timed("first trajectory", optimizers.simulate, "rosenbrock", "adam", (-1.5, 2.0), 100, lr=0.01)
for name in optimizers.names():  # sweeps first: the first one compiles the batch kernel
    specs = optimizers.OPTIMIZERS_BY_NAME[name].hyperparameters
    timed(f"sweep {name}", optimizers.sweep, "rosenbrock", name, (-1.5, 2.0), 20,
          x_values=[1e-3, 1e-2], y_param=specs[1].name,
          y_values=[specs[1].default, specs[1].slider_range[1]])
for name in optimizers.names():
    timed(f"simulate {name}", optimizers.simulate, "himmelblau", name, (1.0, 4.5), 50)
    if optimizers.OPTIMIZERS_BY_NAME[name].whole_step:  # L-BFGS takes one exact f
        timed(f"simulate {name}, finite differences, step", optimizers.simulate,
              "himmelblau", name, (1.0, 4.5), 50, gradient="finite_difference",
              schedule={"name": "step", "step_size": 10})
    else:
        timed(f"simulate {name}, noisy, plateau", optimizers.simulate, "himmelblau", name,
              (1.0, 4.5), 50, gradient="noisy", schedule={"name": "reduce_on_plateau"})
    timed(f"basins {name}", optimizers.basins, "himmelblau", name, 20, resolution=4)
start = time.perf_counter()
surface = landscapes.from_formula("sin(x)*cos(y) + 0.1*(x^2 + y^2)")
surface.f(*np.meshgrid(np.linspace(-3, 3, 50), np.linspace(-3, 3, 50)))
optimizers.simulate(surface, "adam", surface.start, 50, lr=0.05)
optimizers.simulate(surface, "newton", surface.start, 50)
optimizers.sweep(surface, "sgd", surface.start, 20, x_values=[1e-3], y_param="momentum",
                 y_values=[0.0, 0.9])
optimizers.basins(surface, "momentum", 20, resolution=4)
times["typed formula"] = time.perf_counter() - start
start = time.perf_counter()
data = landscapes.from_data("logistic_regression", size=50)
data.f(*np.meshgrid(np.linspace(-3, 3, 50), np.linspace(-3, 3, 50)))
optimizers.simulate(data, "sgd", data.start, 50, lr=0.05,
                    gradient={"name": "minibatch", "batch_size": 8},
                    schedule={"name": "step", "step_size": 2, "interval": "epoch"})
optimizers.simulate(data, "newton", data.start, 10)
optimizers.sweep(data, "adam", data.start, 20, x_values=[1e-2], y_param="beta1",
                 y_values=[0.5, 0.9], gradient={"name": "minibatch", "batch_size": 8})
optimizers.basins(data, "momentum", 20, resolution=4)
times["data surface"] = time.perf_counter() - start
times["total"] = time.perf_counter() - began
times["cpu"] = time.process_time() - cpu
from optimizers import engine
from numba.core.registry import CPUDispatcher
compiled = {id(d): d for name, module in list(sys.modules.items())
            if name.split(".")[0] in ("landscapes", "optimizers")
            for d in vars(module).values() if isinstance(d, CPUDispatcher) and d.signatures}
compiled.update({id(d): d for d in engine.entry_points() if d.signatures})
times["entry points"] = sum(1 for d in engine.entry_points() if d.signatures)
times["compiled functions"] = len(compiled)
times["own compile cpu"] = dict(sorted(own_cpu.items(), key=lambda item: -item[1]))
print(json.dumps(times))
"""


def _fresh_process(code: str, cache_dir: str) -> tuple[float, float, str]:
    """Wall time, CPU time and standard output of a new Python process running ``code``."""
    env = {**os.environ, "NUMBA_CACHE_DIR": cache_dir, "PYTHONPATH": str(ROOT)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT,
                          capture_output=True, text=True)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu, done.stdout


def first_trajectory_seconds(cache_dir: str | None = None) -> tuple[float, float]:
    """Wall and CPU time of a new process, from start to its first trajectory (an empty cache
    unless given one)."""
    if cache_dir is not None:
        return _fresh_process(_FIRST_TRAJECTORY, cache_dir)[:2]
    with tempfile.TemporaryDirectory() as empty:
        return _fresh_process(_FIRST_TRAJECTORY, empty)[:2]


def everything_seconds() -> tuple[float, dict[str, float]]:
    """A new process with an empty cache calling everything the app can call: its wall time
    and the time of each call (the child's own measurements)."""
    with tempfile.TemporaryDirectory() as empty:
        wall, _, out = _fresh_process(_EVERYTHING, empty)
    return wall, json.loads(out)


def run() -> list[tuple[str, float, str, str]]:
    cold, cold_cpu = min(first_trajectory_seconds() for _ in range(2))
    with tempfile.TemporaryDirectory() as cache_dir:
        first_trajectory_seconds(cache_dir)
        warm = min(first_trajectory_seconds(cache_dir)[0] for _ in range(3))
    wall, times = everything_seconds()
    rows = [
        ("compile: new process, empty cache, to first trajectory", cold,
         f"<= {FIRST_TRAJECTORY_TARGET_S:g}", "s"),
        ("  the same, CPU time of the process (what a quiet machine's wall time would be)",
         cold_cpu, "-", "s"),
        ("compile: new process, warm cache, to first trajectory", warm, "<= 1", "s"),
        ("compile: everything the app calls, new process, empty cache", wall,
         f"<= {EVERYTHING_TARGET_S:g}", "s"),
        ("  the same, CPU time of the process (what a quiet machine's wall time would be)",
         times["cpu"], "-", "s"),
    ]
    for label, seconds in times.items():
        if ((label.startswith(("sweep ", "simulate ")) and "plateau" not in label)
                or label in ("typed formula", "data surface")):
            rows.append((f"  of which the first {label}", seconds, "-", "s"))
    rows.append(("compiled entry points (kernels Python calls), all of the above",
                 times["entry points"], "-", "kernels"))
    rows.append(("compiled functions (entry points and the helpers they call)",
                 times["compiled functions"], "-", "functions"))
    own = times["own compile cpu"]
    rows.append(("  their compile's CPU time, all of them", sum(own.values()), "-", "s"))
    fast = [seconds for name, seconds in own.items() if name.startswith("simulate_")]
    rows.append((f"  of which the {len(fast)} fast kernels' own", sum(fast), "-", "s"))
    for name, seconds in list(own.items())[:COSTLIEST]:
        rows.append((f"  of which {name}'s own (less the functions it compiles)", seconds, "-",
                     "s"))
    first = first_page.measure()
    if first is None:
        print("(the first page is not measured: Chromium or playwright is missing)")
        return rows
    rows += [
        ("first start: streamlit run, empty cache, to the page's title in Chromium",
         first["title"], f"<= {FIRST_PAGE_TARGET_S:g}", "s"),
        ("  of which the server's own start, to its health check", first["healthy"], "-", "s"),
        ("  of which the rest: the browser loads Streamlit's page, app.py runs to the title",
         first["title"] - first["healthy"], "-", "s"),
        ("  'Preparing the optimizers' and its progress bar followed the title (1 = yes)",
         float(first["preparing"]), "1", "-"),
        ("first start: the same, to the first map (every kernel compiled)", first["map"], "-",
         "s"),
    ]
    return rows


if __name__ == "__main__":
    for name, measured, target, unit in run():
        print(f"{name}: {measured:.4g} {unit} (target {target} {unit})")
