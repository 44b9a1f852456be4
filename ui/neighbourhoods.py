"""A run's neighbourhoods: the same run over a grid of its learning rate, and over a grid of its
momentum-like decay rate, for the player's sliders to draw from with no server round trip.

For a run with learning rate γ the lr grid is γ·100^(2i/48 - 1), i = 0 .. 48 (49 values, log
spaced, a factor of 100 each side, γ itself the middle one, exactly), each other value rounded
to 3 significant digits (a released slider writes its value into the link and the run's name:
0.0316, not 0.031622776601683794), keeping only the values the optimizer's ``lr`` accepts. The
β grid (β = momentum, beta1, rho or alpha, the first of these the optimizer takes) spans its
slider range [β_lo, β_hi] with 21 values evenly spaced in log(1 - β), so they crowd towards 1
where a small change of β matters most (1 - β is the fraction of new gradient in each average),
each with 1 - β rounded to 2 significant digits (0.968, 0.99); the run's own β replaces the
nearest one, exactly; a schedule that sets β at every step (torch's ``cycle_momentum``) leaves
no β slider, since every value would draw the same path. Each path is kept at
``optimizers.strided_indices`` (at most ``MAX_KEPT`` points, the last step always kept). Pure:
no Streamlit here (``ui.compute.neighbourhoods`` caches it).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

import landscapes
import optimizers
from optimizers.specs import OPTIMIZERS_BY_NAME

LR_VALUES = 49
"""Values of the learning-rate grid (odd: the run's own lr is the middle one)."""
LR_SPAN = 100.0
"""The lr grid reaches this factor below and above the run's own learning rate."""
BETA_VALUES = 21
"""Values of the momentum-like grid."""
BETA_LIKE = ("momentum", "beta1", "rho", "alpha")
"""Hyperparameters the second slider can be: decay rates of a running average, in [0, 1)."""
BETA_TOP = 0.999
"""Where the β grid stops when its slider reaches 1 (log(1 - β) is infinite there)."""
MAX_KEPT = 300
"""Points kept of each path (strided, the last step always kept)."""


def beta_parameter(optimizer: str) -> str | None:
    """The momentum-like hyperparameter the optimizer's second slider varies: the first of
    ``BETA_LIKE`` in the optimizer's own order (RMSprop: alpha), or None (Adagrad, Newton).
    Only a rate in [0, 1] qualifies: ASGD's alpha is a power, not a decay rate."""
    return next((hp.name for hp in OPTIMIZERS_BY_NAME[optimizer].hyperparameters
                 if hp.name in BETA_LIKE and hp.high <= 1.0), None)


def slider_parameters(optimizer: str) -> list[str]:
    """The hyperparameters a run's player sliders vary: lr, then its β-like one if any."""
    beta = beta_parameter(optimizer)
    return ["lr"] if beta is None else ["lr", beta]


def _accepted(optimizer: str, hyperparameters: dict[str, float], name: str,
              values: np.ndarray) -> np.ndarray:
    """The values of ``name`` the optimizer takes with the run's other hyperparameters."""
    return values[optimizers.accepted(optimizer, name, values, **hyperparameters)]


def _significant(values: np.ndarray, digits: int) -> np.ndarray:
    """Each value rounded to ``digits`` significant digits (as ``f"{v:.{digits}g}"`` reads)."""
    return np.array([float(f"{v:.{digits}g}") for v in values])


def _beta_rounded(values: np.ndarray) -> np.ndarray:
    """Each β with 1 - β rounded to 2 significant digits, written with as few decimals as that
    takes: 1 - 0.031622 → 0.968 (not 0.9683770...)."""
    def rounded(gap: float) -> float:
        return round(1.0 - gap, 1 + max(0, int(np.ceil(-np.log10(gap))))) if gap > 0 else 1.0
    return np.array([rounded(gap) for gap in _significant(1.0 - values, 2)])


def lr_values(optimizer: str, hyperparameters: dict[str, float]) -> np.ndarray:
    """The lr grid of a run (see the module's docstring), ascending."""
    current = float(hyperparameters["lr"])
    values = _significant(current * np.geomspace(1.0 / LR_SPAN, LR_SPAN, LR_VALUES), 3)
    values[LR_VALUES // 2] = current
    return _accepted(optimizer, hyperparameters, "lr", values)


def beta_values(optimizer: str, hyperparameters: dict[str, float], name: str) -> np.ndarray:
    """The grid of the β-like hyperparameter ``name`` of a run (see the module's docstring),
    ascending, with the run's own value in it exactly."""
    hp = OPTIMIZERS_BY_NAME[optimizer].hyperparameter(name)
    current = float(hyperparameters[name])
    low, high = hp.slider_range
    top = min(high, BETA_TOP) if high >= 1.0 else high
    values = _beta_rounded(1.0 - np.geomspace(1.0 - low, 1.0 - top, BETA_VALUES))
    values[0], values[-1] = low, top
    if low <= current <= top:
        values[np.argmin(np.abs(values - current))] = current
    else:
        values = np.append(values, current)
    return _accepted(optimizer, hyperparameters, name, np.unique(values))


def grid(optimizer: str, hyperparameters: dict[str, float], name: str) -> np.ndarray:
    """The values a run's slider for ``name`` offers (read-only: kept for the run's
    hyperparameters, since a new surface, start or number of steps leaves them as they were)."""
    return _grid(optimizer, tuple(sorted(hyperparameters.items())), name)


@functools.lru_cache(maxsize=256)
def _grid(optimizer: str, hyperparameters: tuple[tuple[str, float], ...], name: str
          ) -> np.ndarray:
    values = (lr_values(optimizer, dict(hyperparameters)) if name == "lr"
              else beta_values(optimizer, dict(hyperparameters), name))
    values.flags.writeable = False
    return values


def _all_the_same(xy: np.ndarray) -> bool:
    """Whether every value of the grid gave the same path (NaN where they stopped alike)."""
    return bool(np.all((xy == xy[:1]) | (np.isnan(xy) & np.isnan(xy[:1]))))


def full_paths(landscape: landscapes.Landscape, optimizer: str,
               hyperparameters: dict[str, float], start: tuple[float, float], steps: int,
               *, schedule: Any = None, gradient: Any = "analytic", seed: int = 0
               ) -> list[optimizers.Paths]:
    """The grids of ``neighbourhood`` run over ``steps`` steps and kept at every point, one
    ``optimizers.Paths`` per slider (``slider_parameters``): ``neighbourhood`` reads any
    shorter run's from them (``optimizers.first_steps``) instead of running it again."""
    return [optimizers.paths(landscape, optimizer, start, steps, param=name,
                             values=grid(optimizer, hyperparameters, name), cap=steps + 1,
                             schedule=schedule, gradient=gradient, seed=seed, **hyperparameters)
            for name in slider_parameters(optimizer)]


def neighbourhood(landscape: landscapes.Landscape, optimizer: str,
                  hyperparameters: dict[str, float], start: tuple[float, float], steps: int,
                  *, schedule: Any = None, gradient: Any = "analytic",
                  seed: int = 0, full: list[optimizers.Paths] | None = None) -> dict[str, Any]:
    """One run's neighbourhoods, as the player takes them::

        {"steps": int64 (k,)  the step index of each kept point,
         "sliders": [{"name", "values" (n,), "current": index of the run's own value,
                      "log", "xy" (n, k, 2), "loss" (n, k), "lr" (n, k),
                      "grad_norm" (n, k), "ended": n words, "ended_at": n steps}, ...]}

    ``loss`` is the loss over all the data (on mini-batches: f at the points, not the batch's
    loss); ``lr`` the rate of the step from each kept point (NaN at the last step, which takes
    none). A path that stops (``diverged_at``) is NaN from its first unusable point on;
    ``ended`` is "" for a run that ended in the window, else ``optimizers.outcome``'s label
    ("diverged at step 37", "left the map at step 12"), and ``ended_at`` the step it names (-1
for "").

    ``full``: the same grids over at least ``steps`` steps (``full_paths``, with these very
    settings), whose first ``steps`` steps are read instead of run: the same numbers.
    """
    spec = OPTIMIZERS_BY_NAME[optimizer]
    batches = (gradient if isinstance(gradient, str) else gradient["name"]) == "minibatch"
    kept, sliders = None, []
    for index, name in enumerate(slider_parameters(optimizer)):
        values = grid(optimizer, hyperparameters, name)
        if full is not None:
            paths = optimizers.first_steps(full[index], landscape, steps, MAX_KEPT)
        else:
            paths = optimizers.paths(landscape, optimizer, start, steps, param=name,
                                     values=values, cap=MAX_KEPT, schedule=schedule,
                                     gradient=gradient, seed=seed, **hyperparameters)
        kept = paths.steps
        if name != "lr" and _all_the_same(paths.xy):
            continue  # the schedule sets this rate at every step (cycle_momentum): no slider
        loss = paths.loss
        if batches:  # the loss over all the data, not each mini-batch's
            loss = landscape.f(paths.xy[..., 0], paths.xy[..., 1])
        sliders.append({
            "name": name,
            "values": values,
            "current": int(np.flatnonzero(values == float(hyperparameters[name]))[0]),
            "log": bool(spec.hyperparameter(name).log),
            "xy": paths.xy, "loss": loss, "lr": paths.lr, "grad_norm": paths.grad_norm,
            "ended": [ended.label for ended in paths.ended],
            "ended_at": [ended.step if ended.label else -1 for ended in paths.ended],
        })
    return {"steps": kept, "sliders": sliders}
