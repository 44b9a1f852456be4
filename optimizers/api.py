"""The public API: validate at the boundary, coerce to the kernels' one signature, run.

    simulate(landscape, optimizer, start, steps, *, schedule=None, gradient="analytic",
             seed=0, **hyperparameters) -> Trajectory
    sweep(...)  -> SweepResult     one optimizer over a grid of two hyperparameters
    paths(...)  -> Paths           one run over many values of one hyperparameter, strided
    basins(...) -> BasinsResult    which minimum each start point of a grid reaches
    outcome(path, landscape) -> Outcome   how a run ended, in words: on the map, left it,
                                          or diverged

Every bad input raises ``ValueError`` with a message that names the parameter, the value and
what is allowed. Divergence is not an error: it is reported in the result.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

import landscapes
from landscapes import Landscape, Parameter
from optimizers import engine, rules, schedules, sources
from optimizers.records import OptimizerSpec, ScheduleSpec
from optimizers.specs import GRADIENT_SOURCES_BY_NAME, OPTIMIZERS_BY_NAME, SCHEDULES_BY_NAME

MAX_STEPS = 1_000_000
"""The longest run ``simulate`` accepts (about 50 MB of trajectory)."""

MAX_BATCH_RUNS = 1_000_000
"""The most trajectories one ``sweep`` or ``basins`` call runs."""

SCHEDULE_INTERVALS = ("step", "epoch")
"""When the scheduler steps: after every optimizer step, or (data surfaces) every epoch."""
INTERVAL = Parameter("interval", "step", help="when the scheduler steps", kind="choice",
                     choices=SCHEDULE_INTERVALS)

_THREADS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
"""Threads a sweep or a basin map runs on: one per core this process may use."""

WHOLE_STEP_SOURCES = ("analytic", "finite_difference")
"""The gradient sources L-BFGS takes: one deterministic f for every evaluation of a step."""

MAX_EVALUATED_POINTS = 100_000
"""The most evaluated points a single run records for the map (every one is counted)."""

ESCAPE_FACTOR = 50.0
"""A run has diverged when it leaves the plot window widened this many times about its centre."""

def names() -> list[str]:
    """The names of every optimizer, in display order."""
    return list(OPTIMIZERS_BY_NAME)


def schedule_names() -> list[str]:
    return list(SCHEDULES_BY_NAME)


def gradient_names() -> list[str]:
    return list(GRADIENT_SOURCES_BY_NAME)


@dataclass(frozen=True)
class Evaluations:
    """How many times the run evaluated f, its gradient and its Hessian.

    On a data surface each of these is a pass over the whole dataset, except under the
    ``minibatch`` source, where ``function`` and ``gradient`` count mini-batch losses and
    gradients (one of each per point).
    ``examples`` counts per-example gradient evaluations on a data surface: n per full-data
    gradient, the batch's size per mini-batch gradient (0 on other surfaces, and for finite
    differences, which evaluate only f).
    """

    function: int
    gradient: int
    hessian: int = 0
    examples: int = 0

    @property
    def total(self) -> int:
        return self.function + self.gradient + self.hessian


@dataclass(frozen=True)
class Trajectory:
    """One run. Point t is x_t; step t goes from point t to point t + 1 at rate ``lr[t]``.

    ``xy`` (n+1, 2), ``loss`` (n+1,), ``grad`` (n+1, 2) hold only finite values; ``lr`` (n,).
    ``diverged_at`` is the index of the first point that was not finite or left the escape box
    (the arrays stop just before it), or None.

    ``averaged_xy`` (n+1, 2) is the second sequence of points of an optimizer that keeps one
    (``OptimizerSpec.averaged``: ASGD's average ``ax``, schedule-free AdamW's ``x``, the points
    a user evaluates while gradients are taken at ``xy``), row 0 the start; else None.

    ``evaluated_xy`` (k, 2) of an optimizer that evaluates f several times a step (L-BFGS):
    every point where it did, in order (the first 64 a step on average, at most
    ``MAX_EVALUATED_POINTS``; ``evaluations`` counts them all); else None.

    ``state`` (from ``simulate(..., record_state=True)``, else None) maps each of the
    optimizer's state buffers, by torch's name (``OptimizerSpec.state``: ``exp_avg``,
    ``momentum_buffer``, ``sum`` …), to its value at every point, (n+1, 2): row t is the state
    after t steps (row 0 all zeros, as before torch's first ``step()``), so step t takes x_t,
    g_t and row t to x_{t+1} and row t + 1.

    A schedule that cycles the momentum (torch's CyclicLR and OneCycleLR with cycle_momentum)
    sets the hyperparameter ``momentum_name`` ("momentum" or "beta1") to ``momentum[t]`` at
    step t (n,); otherwise both are empty.
    """

    xy: np.ndarray
    loss: np.ndarray
    grad: np.ndarray
    lr: np.ndarray
    diverged_at: int | None
    evaluations: Evaluations
    config: dict[str, Any] = field(default_factory=dict, compare=False)
    state: dict[str, np.ndarray] | None = field(default=None, compare=False)
    momentum: np.ndarray = field(default_factory=lambda: np.empty(0), compare=False)
    momentum_name: str = ""
    averaged_xy: np.ndarray | None = field(default=None, compare=False)
    evaluated_xy: np.ndarray | None = field(default=None, compare=False)

    @property
    def steps(self) -> int:
        return int(self.lr.shape[0])

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None

    @property
    def on_minibatches(self) -> bool:
        """Whether ``loss`` is each mini-batch's own loss at its point, not the loss f over all
        the data (a run whose gradient source is ``minibatch``)."""
        return self.config.get("gradient", {}).get("name") == "minibatch"

    def full_loss(self, landscape: Landscape, steps: np.ndarray | None = None) -> np.ndarray:
        """f(x_t), the loss over all the data, at the points ``steps`` (default: every point):
        ``loss`` itself, except on mini-batches, where f is evaluated at the points (a pass over
        the n examples each)."""
        steps = np.arange(self.xy.shape[0]) if steps is None else steps
        if not self.on_minibatches:
            return self.loss[steps]
        return landscape.f(self.xy[steps, 0], self.xy[steps, 1])


@dataclass(frozen=True)
class SweepResult:
    """Final loss and steps to tolerance over a grid: rows are ``y_values``, columns ``x_values``.

    ``steps_to_tolerance`` is the first step whose loss is within ``tolerance`` of the global
    minimum value (-1: never); ``diverged_at`` is -1 for runs that did not diverge, and
    ``final_loss`` is the loss at the last finite point.
    """

    x_param: str
    x_values: np.ndarray
    y_param: str
    y_values: np.ndarray
    final_loss: np.ndarray
    steps_to_tolerance: np.ndarray
    diverged_at: np.ndarray
    tolerance: float


@dataclass(frozen=True)
class Paths:
    """One run over many values of one hyperparameter: run i is the run ``simulate`` makes
    with ``param = values[i]``, kept at the point indices ``steps`` (k,) (at most ``cap`` of
    0 .. n, evenly strided, the first and the last always kept).

    ``xy`` (m, k, 2), ``loss``, ``grad_norm`` (the length of the gradient the source reported)
    and ``lr`` (the rate of the step from the point) (m, k) hold run i's values at those
    points; a run that stops holds NaN from its ``diverged_at`` on (-1: it did not stop), and
    ``lr`` is NaN at a run's last point, which takes no step (as in ``simulate``).
    ``final_xy`` (m, 2) is each run's last usable point, and ``ended`` how each run ended
    (``outcome``).
    """

    param: str
    values: np.ndarray
    steps: np.ndarray
    xy: np.ndarray
    loss: np.ndarray
    grad_norm: np.ndarray
    lr: np.ndarray
    diverged_at: np.ndarray
    final_xy: np.ndarray
    ended: tuple[Outcome, ...]


@dataclass(frozen=True)
class BasinsResult:
    """Where runs from a grid of starts end: rows are ``ys``, columns ``xs``.

    ``minimum[j, i]`` is the index into ``minima`` of the minimum the run from (xs[i], ys[j])
    ended within ``radius`` of, ``NOWHERE`` (-1) if it ended elsewhere, ``DIVERGED`` (-2) if it
    ended unusable (not finite, or outside the escape box).
    """

    xs: np.ndarray
    ys: np.ndarray
    final_xy: np.ndarray
    minimum: np.ndarray
    minima: tuple[landscapes.CriticalPoint, ...]
    radius: float

    NOWHERE = -1
    DIVERGED = -2


IN_THE_WINDOW = "in the window"
LEFT_THE_MAP = "left the map"
DIVERGED = "diverged"
OUTCOME_KINDS = (IN_THE_WINDOW, LEFT_THE_MAP, DIVERGED)
"""How a run can end (``Outcome.kind``)."""


@dataclass(frozen=True)
class Outcome:
    """How a run ended (see :func:`outcome` for the rule).

    ``kind`` is one of ``OUTCOME_KINDS``; ``step`` the point index the words name (None for a
    run that ended in the window); ``unbounded`` that the loss falls without bound the way the
    run left.
    """

    kind: str
    step: int | None = None
    unbounded: bool = False

    @property
    def diverged(self) -> bool:
        return self.kind == DIVERGED

    @property
    def label(self) -> str:
        """The words a chart writes at the run's end: empty for a run that ended in the
        window, else "left the map at step k" or "diverged at step k"."""
        if self.kind == IN_THE_WINDOW:
            return ""
        return f"{self.kind} at step {self.step}"

    @property
    def text(self) -> str:
        """The words a table or an export gives: the label, "ended in the window", and why a
        run that left may never come back."""
        if self.kind == IN_THE_WINDOW:
            return "ended in the window"
        if self.unbounded:
            return f"{self.label} (the loss falls without bound this way)"
        return self.label


# --- validation and coercion -------------------------------------------------------------------


def _landscape(landscape: str | Landscape) -> Landscape:
    if isinstance(landscape, Landscape):
        return landscape
    return landscapes.get(landscape)


def _optimizer(name: str) -> OptimizerSpec:
    try:
        return OPTIMIZERS_BY_NAME[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"Unknown optimizer: {name!r} (valid optimizers: {', '.join(names())})"
        ) from None


def _as_float(what: str, value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"Invalid {what}: {value!r} (allowed: a number)") from None


def _checked(parameter: Parameter, value: Any) -> Any:
    """``value`` in its parameter's one type, or ValueError with the parameter's message."""
    problem = parameter.problem(value)
    if problem:
        raise ValueError(problem)
    return parameter.coerce(value)


def _checked_hyperparameter(spec: OptimizerSpec, name: str, raw: Any) -> float:
    """One hyperparameter's value, checked against the optimizer's spec."""
    taken = {hp.name: hp for hp in spec.hyperparameters}
    if name not in taken:
        raise ValueError(
            f"Invalid hyperparameter for {spec.name}: {name!r} "
            f"({spec.name} takes: {', '.join(taken)})"
        )
    value = taken[name].spelled(raw)
    if isinstance(value, str) and taken[name].spellings:  # a spelling it does not know
        raise ValueError(taken[name].problem(value))
    return _checked(taken[name], _as_float(name, value))


def _nesterov_refused(nesterov, momentum, dampening) -> np.ndarray:
    """Where torch's rule (Nesterov needs a momentum and zero dampening) is broken, on numbers
    or on arrays of a grid's values."""
    return (np.asarray(nesterov) != 0) & ((np.asarray(momentum) <= 0)
                                          | (np.asarray(dampening) != 0))


def _check_nesterov(nesterov, momentum, dampening) -> None:
    if np.any(_nesterov_refused(nesterov, momentum, dampening)):
        raise ValueError("Nesterov momentum requires a momentum and zero dampening")


def accepted(optimizer: str, name: str, values: Any, **hyperparameters: Any) -> np.ndarray:
    """Which of ``values`` of the hyperparameter ``name`` the optimizer takes with the other
    ``hyperparameters`` (valid themselves): a bool array, by the same rules ``simulate``
    applies (its range, and rules that tie two, such as Nesterov's need of a momentum)."""
    spec = _optimizer(optimizer)
    hp = spec.hyperparameter(name)
    values = np.asarray(values, dtype=np.float64).reshape(-1)
    ok = hp.accepts_each(values)
    settings = {**spec.defaults, **spec.fixed, **hyperparameters}
    if "nesterov" in settings:
        ok &= ~_nesterov_refused(*(values if key == name else settings[key]
                                   for key in ("nesterov", "momentum", "dampening")))
    return ok


def hyperparameter_vector(optimizer: str, **hyperparameters: Any) -> np.ndarray:
    """Validate ``hyperparameters`` for ``optimizer`` and return the kernels' float64 vector
    (one slot per hyperparameter name, ``optimizers.rules.HYPERPARAMETERS``)."""
    spec = _optimizer(optimizer)
    values = {**spec.defaults, **spec.fixed}
    for name, raw in hyperparameters.items():
        values[name] = _checked_hyperparameter(spec, name, raw)
    if "nesterov" in values:
        _check_nesterov(values["nesterov"], values["momentum"], values["dampening"])
    h = np.zeros(engine.N_HYPERPARAMETERS, dtype=np.float64)
    for name, value in values.items():
        h[rules.HYPERPARAMETERS[name]] = value
    return h


def _settings(kind: str, config: Any, registry: dict, default: str) -> tuple[str, dict[str, Any]]:
    """Split ``None``, a name, or a dict ``{"name": ..., **params}`` into (name, params)."""
    if config is None:
        return default, {}
    if isinstance(config, str):
        name, params = config, {}
    elif isinstance(config, dict):
        params = dict(config)
        name = params.pop("name", None)
    else:
        raise ValueError(
            f"Invalid {kind}: {config!r} (allowed: a name or a dict with a 'name' key)"
        )
    if name not in registry:
        raise ValueError(f"Unknown {kind}: {name!r} (valid {kind}s: {', '.join(registry)})")
    return name, params


def _checked_parameters(kind: str, name: str, parameters, given: dict[str, Any]) -> dict:
    """Every parameter's value: given (and checked) or its default."""
    known = {p.name: p for p in parameters}
    for key in given:
        if key not in known:
            allowed = ", ".join(known) or "none"
            raise ValueError(f"Invalid parameter for {kind} '{name}': {key!r} (allowed: {allowed})")
    values = {}
    for p in parameters:
        if p.name in given:
            values[p.name] = _checked(p, given[p.name])
        elif p.required:
            raise ValueError(f"{kind.capitalize()} '{name}' requires {p.name}")
        else:
            values[p.name] = p.coerce(p.default)
    return values


def _packed(values: dict[str, Any]) -> np.ndarray:
    """The kernels' float64 vector of parameter values, in the spec's order (a list parameter
    contributes its elements; a choice, a typed text or a composite schedule's parts none)."""
    flat: list[float] = []
    for value in values.values():
        if isinstance(value, tuple) and value and isinstance(value[0], dict):
            continue
        if not isinstance(value, str):
            flat += list(value) if isinstance(value, tuple) else [value]
    return np.asarray(flat, dtype=np.float64)


MAX_PARTS = 8
"""The most schedules a sequential or chained schedule is made of."""


def schedule_vector(schedule: Any) -> tuple[int, np.ndarray, dict[str, Any]]:
    """Validate a schedule (None, a name or a dict) -> (code, parameter vector, settings).

    A sequential or chained schedule names its parts in ``schedulers``, a list of schedules
    (names or dicts, as for ``schedule`` itself), as torch's SequentialLR and
    ChainedScheduler take them; its settings hold each part's settings."""
    name, given = _settings("schedule", schedule, SCHEDULES_BY_NAME, "constant")
    spec = SCHEDULES_BY_NAME[name]
    interval = given.pop("interval", "step")
    _checked(replace(INTERVAL, label=f"interval for schedule '{name}'"), interval)
    parts = {"schedulers": _parts(name, given.pop("schedulers", None))} if spec.composite else {}
    values = {**parts, **_checked_parameters("schedule", name, spec.parameters, given)}
    problem = spec.check(values)
    if problem:
        raise ValueError(problem)
    code = list(SCHEDULES_BY_NAME).index(name)
    return code, _packed(values), {"name": name, **values, "interval": interval}


def _parts(name: str, given: Any) -> tuple[dict[str, Any], ...]:
    """The validated settings of a composite schedule's parts; a ValueError names the part
    (``schedulers[i]``, from 1) and what is wrong with it."""
    allowed = (f"a list of 1 to {MAX_PARTS} schedules, each a name or a dict with a 'name' key, "
               f"from: {', '.join(schedules.PARTS)}")
    if given is None:
        raise ValueError(f"Schedule '{name}' requires schedulers")
    if isinstance(given, str | dict) or not isinstance(given, list | tuple) or not (
            1 <= len(given) <= MAX_PARTS):
        raise ValueError(f"Invalid schedulers for schedule '{name}': {given!r} (allowed: "
                         f"{allowed})")
    parts = []
    for i, part in enumerate(given, start=1):
        label = f"schedulers[{i}] for schedule '{name}'"
        part_name = part.get("name") if isinstance(part, dict) else part
        if part_name in schedules.NOT_PARTS:
            raise ValueError(f"Invalid {label}: {part_name!r} (allowed: "
                             f"{', '.join(schedules.PARTS)}; "
                             f"{schedules.NOT_A_PART_BECAUSE[part_name]})")
        if isinstance(part, dict) and "interval" in part:
            raise ValueError(f"Invalid {label}: interval={part['interval']!r} (allowed: no "
                             f"interval; the {name} schedule's own interval counts every part)")
        try:
            settings = schedule_vector(part)[2]
        except ValueError as error:
            raise ValueError(f"Invalid {label}: {error}") from None
        settings.pop("interval")
        parts.append(settings)
    return tuple(parts)


def steps_per_interval(interval: str, surface: Landscape, gradient: dict[str, Any]) -> int:
    """Optimizer steps per scheduler step: 1, or for "epoch" the batches of one pass over a
    data surface's n examples (ceil(n / batch_size) with mini-batches, else 1)."""
    if interval == "step":
        return 1
    if not surface.data_size:
        raise ValueError(
            f"Invalid interval for surface '{surface.name}': 'epoch' (allowed: 'step'; an "
            f"epoch is one pass over a dataset, so it needs a data surface, see "
            f"landscapes.from_data)"
        )
    n = surface.data_size
    size = min(int(gradient.get("batch_size", n)), n) if gradient["name"] == "minibatch" else n
    return -(-n // size)


def gradient_vector(gradient: Any) -> tuple[int, np.ndarray, dict[str, Any]]:
    """Validate a gradient source (a name or a dict) -> (code, parameter vector, settings)."""
    name, given = _settings("gradient source", gradient, GRADIENT_SOURCES_BY_NAME, "analytic")
    spec = GRADIENT_SOURCES_BY_NAME[name]
    values = _checked_parameters("gradient source", name, spec.parameters, given)
    return sources.CODES[name], _packed(values), {"name": name, **values}


def escape_box(surface: Landscape) -> np.ndarray:
    """(x_low, x_high, y_low, y_high): the plot window widened ESCAPE_FACTOR times."""
    (x0, x1), (y0, y1) = surface.bounds
    cx, cy = 0.5 * (x0 + x1), 0.5 * (y0 + y1)
    rx, ry = 0.5 * ESCAPE_FACTOR * (x1 - x0), 0.5 * ESCAPE_FACTOR * (y1 - y0)
    return np.array([cx - rx, cx + rx, cy - ry, cy + ry], dtype=np.float64)


def _start(surface: Landscape, start: Any) -> tuple[float, float]:
    try:
        x, y = (float(v) for v in start)
    except (TypeError, ValueError):
        raise ValueError(f"Invalid start: {start!r} (allowed: a pair of numbers (x, y))") from None
    box = escape_box(surface)
    if not (box[0] <= x <= box[1] and box[2] <= y <= box[3]):
        raise ValueError(
            f"Invalid start: ({x!r}, {y!r}) (allowed: finite, with {box[0]:g} <= x <= {box[1]:g}"
            f" and {box[2]:g} <= y <= {box[3]:g})"
        )
    return x, y


def _steps(steps: Any, cap: int = MAX_STEPS) -> int:
    if isinstance(steps, bool) or not isinstance(steps, int | np.integer) or not 0 <= steps <= cap:
        raise ValueError(f"Invalid steps: {steps!r} (allowed: an integer, 0 <= steps <= {cap})")
    return int(steps)


def _seed(seed: Any) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or not 0 <= seed < 2**63:
        raise ValueError(f"Invalid seed: {seed!r} (allowed: an integer, 0 <= seed < 2**63)")
    return int(seed)


def batch_examples(n: int, batch_size: int, steps: int) -> int:
    """Examples in the first ``steps`` mini-batches of a shuffled loader over n examples
    (ceil(n / B) batches an epoch, the last one holding n - (ceil(n / B) - 1) B)."""
    size = min(batch_size, n)
    batches = -(-n // size)
    epochs, rest = divmod(steps, batches)
    return epochs * n + min(rest * size, n)


def _evaluations(optimizer: OptimizerSpec, gradient: dict[str, Any], points: int,
                 diverged: bool, surface: Landscape) -> Evaluations:
    """What a run evaluated: f and its gradient at every recorded point and at the point that
    proved unusable, and Newton's Hessian at every point a step was taken from."""
    evaluated = points + 1 if diverged else points
    hessians = (points if diverged else max(points - 1, 0)) if optimizer.second_order else 0
    source, n = gradient["name"], surface.data_size
    if source == "finite_difference":
        return Evaluations(function=5 * evaluated, gradient=0, hessian=hessians)
    examples = n * evaluated
    if source == "minibatch":
        examples = batch_examples(n, int(gradient["batch_size"]), evaluated)
    return Evaluations(function=evaluated, gradient=evaluated, hessian=hessians,
                       examples=examples)


def strided_indices(n: int, cap: int) -> np.ndarray:
    """At most ``cap`` indices of 0 .. n - 1, evenly strided, the first and the last always
    kept (for drawing a long run with fewer points: frames, a thinned path)."""
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    count = max(2, min(cap, n)) if n > 1 else 1
    return np.unique(np.round(np.linspace(0, n - 1, count)).astype(np.int64))


@dataclass(frozen=True)
class _Run:
    """Everything a kernel needs, validated and coerced to the kernels' fixed types."""

    surface: Landscape
    spec: OptimizerSpec
    h: np.ndarray
    schedule: ScheduleSpec
    schedule_values: dict[str, Any]
    interval: int  # optimizer steps per scheduler step
    source: int
    gq: np.ndarray
    seed: int
    config: dict[str, Any]
    momentum_name: str = ""  # the hyperparameter the schedule cycles, if it does

    @property
    def rule(self) -> int:
        """The rule's code in the kernels; -1 for an optimizer with a kernel of its own."""
        return -1 if self.spec.whole_step else rules.RULE_CODES[self.spec.rule]

    def _schedule_parameters(self) -> dict[str, Any]:
        return {k: v for k, v in self.schedule_values.items() if k not in ("name", "interval")}

    def momenta(self, points: int) -> np.ndarray:
        """The cycled momentum (or beta1) of the steps from points 0 .. points - 1, or empty."""
        if not self.momentum_name:
            return np.empty(0)
        return np.ascontiguousarray(self.schedule.momentum(
            np.arange(points) // self.interval, **self._schedule_parameters()), dtype=np.float64)

    @property
    def plateau(self) -> bool:
        return self.schedule.factors is None

    def rate_factors(self, points: int) -> tuple[Any, Any]:
        """(a_t, b_t) of the steps from points 0 .. points - 1, lr_t = a_t lr + b_t: arrays,
        or numbers when they are the same at every step."""
        if self.plateau:
            return 1.0, 0.0
        parameters = self._schedule_parameters()
        a, b = self.schedule.factors(np.zeros(0, dtype=np.int64), **parameters)
        if np.ndim(a) == np.ndim(b) == 0:  # the same at every step: no steps to count
            return a, b
        return self.schedule.factors(np.arange(points) // self.interval, **parameters)

    def rates(self, out: np.ndarray) -> np.ndarray:
        """``out`` filled with lr_t of the steps from points 0 .. len(out) - 1 (a closed-form
        schedule)."""
        a, b = self.rate_factors(out.shape[0])
        if np.ndim(a) == np.ndim(b) == 0:
            out.fill(a * self.h[engine.LR] + b)
        else:
            np.add(a * self.h[engine.LR], b, out=out)
        return out

    def noise(self, points: int) -> np.ndarray:
        """The noisy source's noise at points 0 .. points - 1 (empty for other sources)."""
        if self.source != engine.NOISY:
            return np.empty((0, 2))
        return sources.noise(self.seed, points, *self.gq)


def _prepare(landscape, optimizer, schedule, gradient, seed, hyperparameters) -> _Run:
    surface = _landscape(landscape)
    spec = _optimizer(optimizer)
    h = hyperparameter_vector(optimizer, **hyperparameters)
    _, _, schedule_settings = schedule_vector(schedule)
    source, gq, gradient_settings = gradient_vector(gradient)
    if GRADIENT_SOURCES_BY_NAME[gradient_settings["name"]].data_only and not surface.data_size:
        raise ValueError(
            f"Invalid gradient source for surface '{surface.name}': "
            f"{gradient_settings['name']!r} (allowed only on a data surface, "
            f"see landscapes.from_data)"
        )
    if spec.whole_step and gradient_settings["name"] not in WHOLE_STEP_SOURCES:
        raise ValueError(
            f"Invalid gradient source for {spec.name}: {gradient_settings['name']!r} (allowed: "
            f"{', '.join(map(repr, WHOLE_STEP_SOURCES))}; its line search compares f at several "
            f"points of one step, so f must be the same function at each)")
    if spec.whole_step and SCHEDULES_BY_NAME[schedule_settings["name"]].factors is None:
        raise ValueError(
            f"Invalid schedule for {spec.name}: {schedule_settings['name']!r} (allowed: a "
            f"schedule of the step count)")
    interval = steps_per_interval(schedule_settings["interval"], surface, gradient_settings)
    config = {
        "landscape": surface.name,
        "optimizer": spec.name,
        "hyperparameters": {hp.name: float(h[rules.HYPERPARAMETERS[hp.name]])
                            for hp in spec.hyperparameters},
        "schedule": schedule_settings,
        "gradient": gradient_settings,
        "seed": _seed(seed),
    }
    schedule_spec = SCHEDULES_BY_NAME[schedule_settings["name"]]
    return _Run(surface, spec, h, schedule_spec, schedule_settings, interval, source, gq,
                _seed(seed), config, _cycled(schedule_spec, schedule_settings, spec))


def _cycled(schedule: ScheduleSpec, settings: dict[str, Any], spec: OptimizerSpec) -> str:
    """The hyperparameter the schedule cycles ("" if none); torch refuses an optimizer that
    has neither momentum nor beta1."""
    parameters = {k: v for k, v in settings.items() if k not in ("name", "interval")}
    if schedule.momentum is None or schedule.momentum(np.zeros(0, dtype=np.int64),
                                                      **parameters) is None:
        return ""
    name = engine.cycled_hyperparameter(spec.rule)
    if not name:
        raise ValueError(
            f"Invalid cycle_momentum for schedule '{schedule.name}' with optimizer "
            f"'{spec.name}': True (allowed: False; {spec.name} has neither momentum nor beta1, "
            f"and torch says: optimizer must support momentum or beta1 with `cycle_momentum` "
            f"option enabled)")
    return name


# --- the API -----------------------------------------------------------------------------------


def simulate(
    landscape: str | Landscape,
    optimizer: str,
    start: tuple[float, float],
    steps: int,
    *,
    schedule: str | dict | None = None,
    gradient: str | dict = "analytic",
    seed: int = 0,
    record_state: bool = False,
    **hyperparameters: float,
) -> Trajectory:
    """Run ``optimizer`` for ``steps`` steps on ``landscape`` from ``start``.

    ``schedule`` is None, a name or a dict such as ``{"name": "step", "step_size": 100,
    "gamma": 0.5}`` with torch's parameter names, plus ``"interval": "epoch"`` on a data
    surface for a scheduler stepped once per epoch (default "step"; reduce_on_plateau is then
    given the epoch's mean loss). ``gradient`` is "analytic", "finite_difference", "noisy" or
    (on a data surface) "minibatch", or a dict with its parameters (``h``; ``noise_scale``,
    ``batch_size``; ``batch_size``). ``loss`` is the loss the training loop sees: f(x_t)
    itself, except under "minibatch", where it is the mini-batch's loss (the full-data loss
    is ``landscape.f`` at ``xy``); ``grad`` is the gradient the source reported.
    Hyperparameters use torch's names, with betas split into beta1, beta2.
    ``record_state`` also records the optimizer's state after every step
    (``Trajectory.state``); the run itself is the same, bit for bit.
    """
    run = _prepare(landscape, optimizer, schedule, gradient, seed, hyperparameters)
    x0, y0 = _start(run.surface, start)
    n = _steps(steps)
    if not isinstance(record_state, bool | np.bool_):
        raise ValueError(f"Invalid record_state: {record_state!r} (allowed: True or False)")
    points = n + 1
    # One buffer for all four outputs: one allocation to fault in, which the C allocator then
    # keeps for the next run instead of returning four pieces to the system (measured: ~4 ms
    # of page faults per 200 000 steps with separate arrays, ~0.2 ms with one buffer).
    buffer = np.empty(6 * points)
    xy = buffer[: 2 * points].reshape(points, 2)
    loss = buffer[2 * points : 3 * points]
    grad = buffer[3 * points : 5 * points].reshape(points, 2)
    lr = buffer[5 * points :]  # the rate of the step from each point (the last is not taken)
    surface = np.int64(run.surface.code)
    if run.spec.whole_step:
        return _simulate_whole_step(run, x0, y0, n, record_state)
    recording = record_state or bool(run.spec.averaged)  # the average is a state buffer
    state = np.zeros((points if recording else 0, engine.N_STATE, 2))
    if not recording and not run.momentum_name and engine.takes_fast_path(
            run.surface.code, run.rule, run.plateau, run.source):
        run.rates(lr)
        written = int(engine.fast_kernel(run.rule)(
            surface, run.surface.surface_params, run.h, lr, np.int64(run.source == engine.NOISY),
            run.noise(points), np.array([x0, y0]), escape_box(run.surface), xy, loss, grad,
        ))
    else:
        _, _, _, diverged = _run_batch(
            run, np.array([[x0, y0]]), n, -math.inf,
            record=(np.arange(points), xy[None], loss[None], grad[None], lr[None], state))
        written = points if diverged[0] < 0 else int(diverged[0])
    steps_taken = max(written - 1, 0)
    diverged_at = written if written < points else None
    return Trajectory(
        xy=xy[:written],
        loss=loss[:written],
        grad=grad[:written],
        lr=lr[:steps_taken],
        diverged_at=diverged_at,
        evaluations=_evaluations(
            run.spec, run.config["gradient"], written, diverged_at is not None, run.surface
        ),
        config={**run.config, "start": (x0, y0), "steps": n},
        state=_state_by_name(run.spec, state[:written]) if record_state else None,
        momentum=run.momenta(points)[:steps_taken],
        momentum_name=run.momentum_name,
        averaged_xy=_averaged(run.spec, state[:written], xy[:written]),
    )


def _varied(varied: dict[str, np.ndarray], n: int) -> tuple[np.ndarray, np.ndarray]:
    """The kernels' form of ``varied`` (a hyperparameter name -> its value in each of n runs):
    the slots (k,) and the values (k, n)."""
    slots = np.array([rules.HYPERPARAMETERS[name] for name in varied], dtype=np.int64)
    values = np.array([np.asarray(v, dtype=np.float64) for v in varied.values()])
    return slots, np.ascontiguousarray(values.reshape(len(varied), n))


def _in_threads(work: Callable[[int, int], None], count: int) -> None:
    """``work(lo, hi)`` over 0 .. count - 1, in one contiguous range per thread (the kernels
    release the GIL)."""
    threads = min(_THREADS, count)
    bounds = [count * k // threads for k in range(threads + 1)]
    if threads == 1:
        work(0, count)
    else:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(work, bounds[:-1], bounds[1:]))


def _simulate_whole_step(run: _Run, x0: float, y0: float, n: int,
                         record_state: bool) -> Trajectory:
    """``simulate`` for an optimizer with a kernel of its own (L-BFGS): its state is not
    per-coordinate buffers (``record_state`` gives an empty dict), and it reports every
    point where it evaluated f."""
    points = n + 1
    xy, loss, grad = np.empty((1, points, 2)), np.empty((1, points)), np.empty((1, points, 2))
    lr = np.empty((1, points))
    evaluated = np.empty((min(MAX_EVALUATED_POINTS, 64 * points), 2))
    _, _, _, diverged, counts = _run_whole_steps(
        run, np.array([[x0, y0]]), n, -math.inf, record=(np.arange(points), xy, loss, grad, lr),
        evaluated=evaluated)
    written = points if diverged[0] < 0 else int(diverged[0])
    count = int(counts[0])
    source = run.config["gradient"]["name"]
    examples = run.surface.data_size * count if source == "analytic" else 0
    diverged_at = written if written < points else None
    return Trajectory(
        xy=xy[0, :written], loss=loss[0, :written], grad=grad[0, :written],
        lr=lr[0, :max(written - 1, 0)], diverged_at=diverged_at,
        evaluations=(Evaluations(function=5 * count, gradient=0) if source == "finite_difference"
                     else Evaluations(function=count, gradient=count, examples=examples)),
        config={**run.config, "start": (x0, y0), "steps": n},
        state={} if record_state else None,
        evaluated_xy=evaluated[:min(count, evaluated.shape[0])].copy(),
    )


def _run_whole_steps(run: _Run, starts: np.ndarray, steps: int, target: float,
                     varied: dict[str, np.ndarray] | None = None, record: tuple | None = None,
                     evaluated: np.ndarray | None = None):
    """``_run_batch`` for an optimizer with a kernel of its own (``engine.lbfgs_kernel``), and
    the evaluations of each run; ``evaluated`` receives run 0's evaluated points."""
    n = starts.shape[0]
    varied = varied or {}
    slots, values = _varied(varied, n)
    final_xy, final_loss = np.empty((n, 2)), np.empty(n)
    reached_at, diverged_at = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    counts = np.empty(n, dtype=np.int64)
    rate_ab = np.empty((2, steps + 1))
    rate_ab[0], rate_ab[1] = run.rate_factors(steps + 1)
    kept, xy, loss, grad, lr = (record or (
        np.empty(0, dtype=np.int64), np.empty((0, 0, 2)), np.empty((0, 0)), np.empty((0, 0, 2)),
        np.empty((0, 0))))[:5]
    evaluated = np.empty((0, 2)) if evaluated is None else evaluated
    history = int(max(np.max(varied.get("history_size", 0)), run.h[rules.HYPERPARAMETERS[
        "history_size"]]))
    starts = np.ascontiguousarray(starts, dtype=np.float64)

    def run_range(lo: int, hi: int) -> None:
        engine.lbfgs_kernel(
            np.array([lo, hi], dtype=np.int64), np.int64(run.surface.code),
            run.surface.surface_params.copy(), np.int64(run.source), run.gq, run.h, slots,
            values, rate_ab, starts, np.int64(steps), escape_box(run.surface), np.float64(target),
            np.empty(engine.N_HYPERPARAMETERS), np.empty((history, 2)), np.empty((history, 2)),
            np.empty(history), np.empty(history), np.empty((5, 2)), np.zeros(1, dtype=np.int64),
            final_xy, final_loss, reached_at, diverged_at, counts, kept, xy, loss, grad, lr,
            evaluated,
        )

    _in_threads(run_range, n)
    return final_xy, final_loss, reached_at, diverged_at, counts


def _averaged(spec: OptimizerSpec, state: np.ndarray, xy: np.ndarray) -> np.ndarray | None:
    """The points of the optimizer's second sequence (``Trajectory.averaged_xy``) from its
    recorded state: row t after t steps, and the start before the first."""
    if not spec.averaged:
        return None
    averaged = state[:, spec.state.index(spec.averaged), :].copy()
    averaged[:1] = xy[:1]
    return averaged


def _state_by_name(spec: OptimizerSpec, state: np.ndarray) -> dict[str, np.ndarray]:
    """The kernel's recorded state (points, N_STATE, 2) by buffer name; a buffer shared by
    both coordinates (kept in column 0) is copied to column 1."""
    named = {}
    for slot, name in enumerate(spec.state):
        values = state[:, slot, :].copy()
        if name in spec.shared_state:
            values[:, 1] = values[:, 0]
        named[name] = values
    return named


def _run_batch(run: _Run, starts: np.ndarray, steps: int, target: float,
               varied: dict[str, np.ndarray] | None = None, every_step: bool = True,
               record: tuple | None = None):
    """Run one trajectory per row of ``starts`` (n, 2); ``varied`` maps a hyperparameter name
    to its value for every run (the others are ``run.h``). Without ``every_step`` only the
    first and the last point are checked (enough to know where a run ends). ``record``
    (kept, xy, loss, grad, lr) receives every run's points at the steps ``kept`` (k,), while
    it is usable: xy and grad (n, k, 2), loss and lr (n, k) (see ``engine.batch_kernel``);
    (kept, xy, loss, grad, lr, state) a single run's state after each step too."""
    n = starts.shape[0]
    slots, values = _varied(varied or {}, n)
    m = min(engine.CHUNK_RUNS, n)
    chunks = -(-n // m)
    final_xy = np.empty((n, 2))
    final_loss = np.empty(n)
    reached_at = np.empty(n, dtype=np.int64)
    diverged_at = np.empty(n, dtype=np.int64)
    rate_ab = np.empty((engine.CYCLED + 1 if run.momentum_name else engine.CYCLED, steps + 1))
    rate_ab[0], rate_ab[1] = run.rate_factors(steps + 1)
    if run.momentum_name:
        rate_ab[engine.CYCLED] = run.momenta(steps + 1)
    plateau = run.schedule_values if run.plateau else {}
    kept, xy, loss, grad, lr, *state = record or (
        np.empty(0, dtype=np.int64), np.empty((0, 0, 2)), np.empty((0, 0)), np.empty((0, 0, 2)),
        np.empty((0, 0)))
    state = state[0] if state else np.empty((0, engine.N_STATE, 2))
    if record is not None and not every_step:
        raise ValueError("recording points needs every step checked")
    if run.spec.whole_step:
        return _run_whole_steps(run, starts, steps, target, varied, record)[:4]
    shared = (
        np.int64(run.surface.code), None, np.int64(run.rule), run.h, slots, values, rate_ab,
        np.bool_(run.plateau),
        _packed({k: v for k, v in plateau.items() if k not in ("name", "interval")}),
        np.int64(run.interval), np.int64(run.source), run.gq, run.noise(steps + 1),
        np.int64(run.seed), np.ascontiguousarray(starts, dtype=np.float64), np.int64(steps),
        escape_box(run.surface), np.float64(target), np.int64(1 if every_step else max(steps, 1)),
    )

    def run_chunks(lo: int, hi: int) -> None:
        """Chunks lo .. hi - 1, in a workspace of their own."""
        engine.batch_kernel(
            np.array([lo, hi], dtype=np.int64), shared[0], run.surface.surface_params,
            *shared[2:],
            np.empty((engine.N_HYPERPARAMETERS, m)), np.empty((engine.N_STATE, 2 * m)),
            np.empty((m, schedules.N_PLATEAU_SLOTS)), np.empty(2 * m), np.empty(2 * m),
            np.empty((3, m)), np.empty(m), np.empty(m), np.empty((engine.N_TALLY_ROWS, m)),
            final_xy, final_loss, reached_at, diverged_at, kept, xy, loss, grad, lr, state,
        )

    _in_threads(run_chunks, chunks)
    return final_xy, final_loss, reached_at, diverged_at


def _grid_values(name: str, values: Any) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        array = np.empty(0)
    array = array.reshape(-1) if array.ndim == 1 else np.empty(0)
    if array.size == 0:
        raise ValueError(f"Invalid {name}: {values!r} (allowed: a non-empty list of numbers)")
    return array


def sweep(
    landscape: str | Landscape,
    optimizer: str,
    start: tuple[float, float],
    steps: int,
    *,
    x_param: str = "lr",
    x_values: Any,
    y_param: str,
    y_values: Any,
    tolerance: float = 1e-6,
    schedule: str | dict | None = None,
    gradient: str | dict = "analytic",
    seed: int = 0,
    **hyperparameters: float,
) -> SweepResult:
    """Run ``optimizer`` once for every pair (x, y) of two hyperparameters, in parallel.

    Every run starts at ``start``; all other settings are shared. A run "converges" at the
    first step whose loss is within ``tolerance`` of the surface's global minimum value.
    """
    run = _prepare(landscape, optimizer, schedule, gradient, seed, hyperparameters)
    x0, y0 = _start(run.surface, start)
    n_steps = _steps(steps)
    xs, ys = _grid_values("x_values", x_values), _grid_values("y_values", y_values)
    if xs.size * ys.size > MAX_BATCH_RUNS:
        raise ValueError(
            f"Invalid grid: {ys.size} x {xs.size} runs (allowed: at most {MAX_BATCH_RUNS})"
        )
    if x_param == y_param:
        raise ValueError(f"Invalid y_param: {y_param!r} (allowed: different from x_param)")
    for param, values in ((x_param, xs), (y_param, ys)):
        for value in np.unique(values):
            _checked_hyperparameter(run.spec, param, value)
    grid_y, grid_x = np.meshgrid(ys, xs, indexing="ij")
    varied = {x_param: grid_x.ravel(), y_param: grid_y.ravel()}
    if "nesterov" in {**run.spec.defaults, **run.spec.fixed}:  # the rule that ties two
        _check_nesterov(*(varied.get(name, run.h[rules.HYPERPARAMETERS[name]])
                          for name in ("nesterov", "momentum", "dampening")))
    starts = np.tile(np.array([[x0, y0]]), (grid_x.size, 1))
    tolerance = _as_float("tolerance", tolerance)
    if not (math.isfinite(tolerance) and tolerance > 0):
        raise ValueError(f"Invalid tolerance: {tolerance!r} (allowed: tolerance > 0)")
    target = run.surface.minimum_value + tolerance
    _, final_loss, reached_at, diverged_at = _run_batch(run, starts, n_steps, target, varied)
    shape = (ys.size, xs.size)
    return SweepResult(
        x_param=x_param, x_values=xs, y_param=y_param, y_values=ys,
        final_loss=final_loss.reshape(shape),
        steps_to_tolerance=reached_at.reshape(shape),
        diverged_at=diverged_at.reshape(shape),
        tolerance=tolerance,
    )


def paths(
    landscape: str | Landscape,
    optimizer: str,
    start: tuple[float, float],
    steps: int,
    *,
    param: str,
    values: Any,
    cap: int = 300,
    schedule: str | dict | None = None,
    gradient: str | dict = "analytic",
    seed: int = 0,
    **hyperparameters: float,
) -> Paths:
    """Run ``optimizer`` once for each of ``values`` of the hyperparameter ``param``, all
    other settings shared, in one call of the batch kernel, keeping each path at ``cap``
    strided points (``strided_indices``): what a slider over ``values`` shows. Run i is
    exactly ``simulate(..., **{param: values[i]})`` at those points."""
    run = _prepare(landscape, optimizer, schedule, gradient, seed, hyperparameters)
    x0, y0 = _start(run.surface, start)
    n_steps = _steps(steps)
    grid = _grid_values("values", values)
    if grid.size > MAX_BATCH_RUNS:
        raise ValueError(f"Invalid values: {grid.size} runs (allowed: at most {MAX_BATCH_RUNS})")
    if isinstance(cap, bool) or not isinstance(cap, int | np.integer) or cap < 2:
        raise ValueError(f"Invalid cap: {cap!r} (allowed: an integer >= 2)")
    if param not in run.config["hyperparameters"]:
        _checked_hyperparameter(run.spec, param, grid[0])  # says what the optimizer takes
    refused = ~accepted(optimizer, param, grid, **run.config["hyperparameters"])
    if refused.any():  # the message of the first value refused
        value = grid[np.argmax(refused)]
        _checked_hyperparameter(run.spec, param, value)
        _check_nesterov(*(value if name == param else run.h[rules.HYPERPARAMETERS[name]]
                          for name in ("nesterov", "momentum", "dampening")))
    kept = strided_indices(n_steps + 1, int(cap))
    m, k = grid.size, kept.size
    xy, grad = np.full((m, k, 2), np.nan), np.full((m, k, 2), np.nan)
    loss, lr = np.full((m, k), np.nan), np.full((m, k), np.nan)
    starts = np.tile(np.array([[x0, y0]]), (m, 1))
    final_xy, _, _, diverged_at = _run_batch(run, starts, n_steps, -math.inf, {param: grid},
                                             record=(kept, xy, loss, grad, lr))
    lr[:, -1] = np.nan  # no step from point n (L-BFGS's kernel wrote the rate there)
    # a stopped run's last point leads nowhere usable: as in simulate, no step is taken from it
    lr[(diverged_at[:, None] >= 0) & (kept[None, :] >= diverged_at[:, None] - 1)] = np.nan
    losses = run.surface.f(np.append(final_xy[:, 0], x0), np.append(final_xy[:, 1], y0))
    start_loss, final_loss = float(losses[-1]), losses[:-1]
    left = _outside(final_xy, run.surface.bounds)

    def exit_point(value: float):
        # where a run left the window needs every point: the run, once more, alone
        single = simulate(run.surface, optimizer, (x0, y0), n_steps, schedule=schedule,
                          gradient=gradient, seed=seed, **{**hyperparameters, param: value})
        return _exit_point(single.xy, run.surface.bounds)

    in_the_window = Outcome(IN_THE_WINDOW)
    ended = tuple(
        _ended(run.surface, start_loss, final_xy[i], float(final_loss[i]), True,
               None if diverged_at[i] < 0 else int(diverged_at[i]),
               functools.partial(exit_point, float(value))) if left[i]
        else Outcome(DIVERGED, int(diverged_at[i])) if diverged_at[i] >= 0  # as _ended says
        else in_the_window
        for i, value in enumerate(grid))
    return Paths(param=param, values=grid, steps=kept, xy=xy, loss=loss,
                 grad_norm=np.hypot(grad[..., 0], grad[..., 1]), lr=lr,
                 diverged_at=diverged_at, final_xy=final_xy, ended=ended)


def first_steps(full: Paths, landscape: str | Landscape, steps: int, cap: int = 300) -> Paths:
    """The first ``steps`` steps of ``full`` (``paths`` kept at every point, over at least
    that many steps), kept at ``cap`` strided points: what ``paths`` with ``steps`` returns,
    read from the longer run instead of run again. Exact when a run's first steps do not depend
    on how many follow, as with every optimizer, schedule and gradient source of the core
    (tests/test_engine.py compares it with ``paths`` over all of them); a schedule whose
    validation names the run's length (one_cycle's ``total_steps``) must be checked with
    ``paths`` at the longer length first.

    With n = ``steps``: point j of run i is full's point j, for j in ``strided_indices(n + 1,
    cap)``; a run that stopped at d <= n stops there too (d > n: it did not stop), its last
    usable point is x_{min(n, d - 1)}, the rate at point n (and from d - 1 on) is NaN, since
    no step is taken from it, and how it ended is ``outcome``'s rule on those points."""
    surface = _landscape(landscape)
    n = _steps(steps)
    total = full.steps.size - 1
    if not np.array_equal(full.steps, np.arange(total + 1)) or n > total:
        raise ValueError(f"Invalid full: kept at {full.steps.size} points (allowed: every "
                         f"point of at least {n} steps)")
    if isinstance(cap, bool) or not isinstance(cap, int | np.integer) or cap < 2:
        raise ValueError(f"Invalid cap: {cap!r} (allowed: an integer >= 2)")
    kept = strided_indices(n + 1, int(cap))
    diverged_at = np.where((full.diverged_at >= 0) & (full.diverged_at <= n),
                           full.diverged_at, -1)
    last = np.where(diverged_at >= 0, diverged_at - 1, n)
    rows = np.arange(full.values.size)
    final_xy = full.xy[rows, last]
    lr = full.lr[:, kept]  # copies: full stays as it was
    lr[:, -1] = np.nan
    lr[(diverged_at[:, None] >= 0) & (kept[None, :] >= diverged_at[:, None] - 1)] = np.nan
    x0, y0 = full.xy[0, 0]
    losses = surface.f(np.append(final_xy[:, 0], x0), np.append(final_xy[:, 1], y0))
    start_loss, final_loss = float(losses[-1]), losses[:-1]
    left = _outside(final_xy, surface.bounds)
    in_the_window = Outcome(IN_THE_WINDOW)
    ended = tuple(
        _ended(surface, start_loss, final_xy[i], float(final_loss[i]), True,
               None if diverged_at[i] < 0 else int(diverged_at[i]),
               functools.partial(_exit_point, full.xy[i, :last[i] + 1], surface.bounds))
        if left[i]
        else Outcome(DIVERGED, int(diverged_at[i])) if diverged_at[i] >= 0
        else in_the_window
        for i in rows)
    return Paths(param=full.param, values=full.values, steps=kept, xy=full.xy[:, kept],
                 loss=full.loss[:, kept], grad_norm=full.grad_norm[:, kept], lr=lr,
                 diverged_at=diverged_at, final_xy=final_xy, ended=ended)


def basins(
    landscape: str | Landscape,
    optimizer: str,
    steps: int,
    *,
    resolution: int = 100,
    radius: float | None = None,
    schedule: str | dict | None = None,
    gradient: str | dict = "analytic",
    seed: int = 0,
    **hyperparameters: float,
) -> BasinsResult:
    """Run ``optimizer`` from every point of a resolution x resolution grid over the window.

    Each run is labelled with the listed minimum (global or local) it ends within ``radius``
    of; the default radius is 2% of the window's diagonal.
    """
    run = _prepare(landscape, optimizer, schedule, gradient, seed, hyperparameters)
    n_steps = _steps(steps)
    if isinstance(resolution, bool) or not isinstance(resolution, int | np.integer) or not (
        2 <= resolution <= 1000
    ):
        raise ValueError(
            f"Invalid resolution: {resolution!r} (allowed: an integer, 2 <= resolution <= 1000)"
        )
    (x0, x1), (y0, y1) = run.surface.bounds
    xs, ys = np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution)
    gx, gy = np.meshgrid(xs, ys)
    starts = np.column_stack([gx.ravel(), gy.ravel()])
    if radius is None:
        radius = 0.02 * math.hypot(x1 - x0, y1 - y0)
    radius = _as_float("radius", radius)
    if not (math.isfinite(radius) and radius > 0):
        raise ValueError(f"Invalid radius: {radius!r} (allowed: a number > 0)")
    final_xy, _, _, diverged_at = _run_batch(run, starts, n_steps, -math.inf, every_step=False)
    minima = tuple(
        p for p in run.surface.points
        if p.kind in (landscapes.GLOBAL_MINIMUM, landscapes.LOCAL_MINIMUM)
    )
    minima_xy = np.array([(p.x, p.y) for p in minima], dtype=np.float64).reshape(-1, 2)
    label = np.empty(starts.shape[0], dtype=np.int64)
    engine.nearest_minimum(final_xy, diverged_at, minima_xy, np.float64(radius),
                      np.int64(BasinsResult.NOWHERE), np.int64(BasinsResult.DIVERGED), label)
    shape = (ys.size, xs.size)
    return BasinsResult(
        xs=xs, ys=ys, final_xy=final_xy.reshape(*shape, 2), minimum=label.reshape(shape),
        minima=minima, radius=float(radius),
    )


# --- compiling ahead of the first visitor -------------------------------------------------------


def preparations() -> list[tuple[str, Callable[[], Any]]]:
    """What ``prepare`` does, step by step: (what, a call that compiles it, or loads it from
    Numba's cache). The surfaces and the common optimizers come first."""
    first_order = [spec for spec in OPTIMIZERS_BY_NAME.values() if not spec.second_order]
    rules_seen: dict = {}
    for spec in first_order:
        rules_seen.setdefault(spec.rule, spec)
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("the surfaces", lambda: landscapes.get("rosenbrock").f(0.0, 0.0)),
    ]
    steps += [(spec.title, functools.partial(simulate, "rosenbrock", spec.name, (-1.5, 2.0), 2))
              for spec in rules_seen.values()]
    steps += [
        ("sweeps, basin maps and every other run", functools.partial(
            sweep, "rosenbrock", "sgd", (-1.5, 2.0), 2, x_values=[1e-3], y_param="momentum",
            y_values=[0.5])),
        ("the basin maps' labels", functools.partial(basins, "himmelblau", "sgd", 2,
                                                     resolution=2)),
        ("typed formulas and data surfaces", lambda: landscapes.from_formula("x^2 + y^2")),
    ]
    return steps


def prepare(progress: Callable[[int, int, str], None] | None = None) -> None:
    """Compile (or load from Numba's disk cache) every kernel the core can call, so no caller
    waits for a compiler later; ``progress(done, total, what)`` is told before each step.
    On an empty cache this takes the compile time ``python -m benchmarks compile`` reports;
    with a warm cache, well under a second."""
    steps = preparations()
    for done, (what, call) in enumerate(steps):
        if progress is not None:
            progress(done, len(steps), what)
        call()
    if progress is not None:
        progress(len(steps), len(steps), "ready")


# --- how a run ended ---------------------------------------------------------------------------


def _outside(xy: np.ndarray, bounds) -> np.ndarray:
    (x0, x1), (y0, y1) = bounds
    return ~((x0 <= xy[:, 0]) & (xy[:, 0] <= x1) & (y0 <= xy[:, 1]) & (xy[:, 1] <= y1))


def outcome(path: Trajectory, landscape: str | Landscape) -> Outcome:
    """How ``path`` ended on ``landscape``: in the plot window, off it, or diverged.

    The kernels stop a run at its first unusable point d (``diverged_at``: not finite, or
    outside the escape box, ``ESCAPE_FACTOR`` windows wide). That alone does not say whether
    the run blew up or walked away downhill, so with x_0 .. x_m the recorded points, f the
    loss over all the data (the surface, not a mini-batch's) and k the first point of the
    run's last stretch outside the window ``landscape.bounds`` (none when x_m is inside):

    * **diverged at step d**: the run was stopped and either f(x_m) >= f(x_0) (the loss rose
      above the start's: a blow-up) or x_m is inside the window (it jumped out in one step,
      or hit a point where f is undefined: nothing was seen leaving);
    * **left the map at step k**: x_m is outside the window and the run did not blow up
      (it was not stopped, or was stopped with f(x_m) < f(x_0)). The loss falls without bound
      that way (``unbounded``) when the surface has no known floor (``minimum_value`` is
      -inf), the loss fell below the start's and kept falling past the exit
      (f(x_m) < f(x_k)), and the slope did not flatten: ||grad f(x_m)|| >= ||grad f(x_k)||
      (a run heading for a minimum outside the window slows down as it nears it);
    * **in the window**: every other run, including one that left the window and came back.

    Pure: reads the path and evaluates f and its gradient at a few of its points.
    """
    surface = _landscape(landscape)
    xy = np.asarray(path.xy, dtype=np.float64).reshape(-1, 2)
    if xy.shape[0] == 0:  # the start itself was unusable
        return Outcome(DIVERGED, int(path.diverged_at or 0))
    f = surface.f(xy[[0, -1], 0], xy[[0, -1], 1])
    left = bool(_outside(xy[-1:], surface.bounds)[0])
    return _ended(surface, float(f[0]), xy[-1], float(f[1]), left, path.diverged_at,
                  lambda: _exit_point(xy, surface.bounds))


def _exit_point(xy: np.ndarray, bounds) -> tuple[int, np.ndarray]:
    """k, the first point of the path's last stretch outside the window, and x_k (for a path
    whose last point is outside it)."""
    inside = np.nonzero(~_outside(xy, bounds))[0]
    k = int(inside[-1]) + 1 if inside.size else 0
    return k, xy[k]


def _ended(surface: Landscape, start_loss: float, final_xy: np.ndarray, final_loss: float,
           left: bool, diverged_at: int | None,
           exit_point: Callable[[], tuple[int, np.ndarray]]) -> Outcome:
    """``outcome``'s rule, from the run's start loss f(x_0), last point x_m, its loss and
    whether it is outside the window (``left``), the index the run was stopped at, and
    ``exit_point()`` (k and x_k, asked for only when x_m is outside the window)."""
    stopped = diverged_at is not None
    fell = final_loss < start_loss
    if stopped and (not fell or not left):
        return Outcome(DIVERGED, int(diverged_at))
    if not left:
        return Outcome(IN_THE_WINDOW)
    exit_at, exit_xy = exit_point()
    unbounded = False
    if fell and math.isinf(surface.minimum_value):
        exit_loss = float(surface.f(exit_xy[0], exit_xy[1]))
        gx, gy = surface.grad(np.array([exit_xy[0], final_xy[0]]),
                              np.array([exit_xy[1], final_xy[1]]))
        slope = np.hypot(gx, gy)
        unbounded = bool(final_loss < exit_loss and slope[1] >= slope[0])
    return Outcome(LEFT_THE_MAP, exit_at, unbounded)
