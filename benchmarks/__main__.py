"""Descent Lab's speed targets, each measured and printed beside its target.

    python -m benchmarks            # everything
    python -m benchmarks core       # the numerical core only
    python -m benchmarks app        # the web app's figure payload and server time
    python -m benchmarks formula    # a typed formula, from its text to a trajectory
    python -m benchmarks data       # mini-batch steps on a data surface
    python -m benchmarks load       # a class of simulated students (benchmarks/load; --help)

Timings are the best of several repeats (the least disturbed by other work on the machine).
References (a bare jitted loop, a plain NumPy loop) are measured in the same run, so figures
from a slower or busier machine can still be read against them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

Row = tuple[str, float, str, str]  # (what, measured, target text, unit)


def best_of(repeats: int, fn, *args, **kwargs) -> float:
    """The shortest wall-clock time of ``repeats`` calls, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn(*args, **kwargs)
        best = min(best, time.perf_counter() - start)
    return best


def _first_trajectory_seconds(cache_dir: str) -> float:
    """Wall time of a new process that imports the core and computes one trajectory."""
    code = (
        "import optimizers; "
        "optimizers.simulate('rosenbrock', 'adam', (-1.5, 2.0), 100, lr=0.01)"
    )
    env = {**os.environ, "NUMBA_CACHE_DIR": cache_dir, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT)
    return time.perf_counter() - start


def core() -> list[Row]:
    import optimizers
    from benchmarks import references

    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as cache_dir:
        cold = _first_trajectory_seconds(cache_dir)
        warm = min(_first_trajectory_seconds(cache_dir) for _ in range(3))
    rows.append(("compile: new process, empty Numba cache, to first trajectory", cold, "<= 10",
                 "s"))
    rows.append(("compile: new process, warm cache, to first trajectory", warm, "<= 1.0", "s"))

    start, steps, hp = (-1.5, 2.0), 200_000, {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999}
    optimizers.simulate("rosenbrock", "adam", start, 10, **hp)
    engine = best_of(7, optimizers.simulate, "rosenbrock", "adam", start, steps, **hp) / steps
    out = np.empty((steps, 2))
    bare_args = (*start, steps, hp["lr"], hp["beta1"], hp["beta2"], 1e-8, out)
    references.adam_rosenbrock_bare(*bare_args)
    bare = best_of(7, references.adam_rosenbrock_bare, *bare_args) / steps
    numpy_steps = 20_000
    numpy_loop = best_of(
        2, references.adam_rosenbrock_numpy, *start, numpy_steps, hp["lr"], hp["beta1"],
        hp["beta2"], 1e-8,
    ) / numpy_steps
    rows.append(("single trajectory: Adam on Rosenbrock, 200k steps, simulate()",
                 engine * 1e9, "<= 30", "ns/step"))
    rows.append(("  reference: bare jitted Adam loop, same machine", bare * 1e9, "-", "ns/step"))
    rows.append(("  reference: plain NumPy loop", numpy_loop * 1e9, "-", "ns/step"))
    rows.append(("  speed-up of simulate() over the NumPy loop", numpy_loop / engine, ">= 200",
                 "x"))

    lrs, beta1s = np.geomspace(1e-4, 1.0, 256), np.linspace(0.0, 0.999, 256)
    sweep_args = ("rosenbrock", "adam", start, 500)
    sweep_kwargs = {"x_param": "lr", "x_values": lrs, "y_param": "beta1", "y_values": beta1s}
    optimizers.sweep(*sweep_args, x_param="lr", x_values=lrs[:8], y_param="beta1",
                     y_values=beta1s[:8])
    sweep = best_of(5, optimizers.sweep, *sweep_args, **sweep_kwargs)
    rows.append(("sweep: 256 x 256 (lr, beta1) x 500 Adam steps on Rosenbrock", sweep, "<= 0.25",
                 "s"))

    basins_args = ("himmelblau", "momentum", 300)
    optimizers.basins(*basins_args, resolution=8, lr=0.01)
    basins = best_of(7, optimizers.basins, *basins_args, resolution=200, lr=0.01)
    rows.append(("basins: 200 x 200 starts x 300 momentum steps on Himmelblau", basins * 1e3,
                 "<= 10", "ms"))
    return rows


def app() -> list[Row]:
    from benchmarks import app_bench

    return app_bench.run()


def formula() -> list[Row]:
    from benchmarks import formula_bench

    return formula_bench.run()


def data() -> list[Row]:
    from benchmarks import data_bench

    return data_bench.run()


def main(argv: list[str]) -> int:
    if argv[:1] == ["load"]:  # minutes, its own servers and flags: never part of "everything"
        from benchmarks import load

        return load.main(argv[1:])
    groups = {"core": core, "app": app, "formula": formula, "data": data}
    chosen = argv or list(groups)
    unknown = [name for name in chosen if name not in groups]
    if unknown:
        print(f"unknown benchmark group(s): {', '.join(unknown)} "
              f"(choose from: {', '.join(groups)})")
        return 2
    print(f"{'what':<66} {'measured':>12} {'target':>10}  unit")
    for name in chosen:
        for what, measured, target, unit in groups[name]():
            print(f"{what:<66} {measured:>12.4g} {target:>10}  {unit}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
