"""The settings a page is made of, as small frozen records, and whether the core accepts them.

A ``Setting`` is a named choice with parameters (a surface, a schedule, a gradient source); a
``RunConfig`` is an optimizer with its hyperparameters. Pure (no streamlit). Whether a value is
allowed is decided by the core's own validators (``landscapes.get``, ``optimizers.api``), so the
rules live in one place: each ``*_problem`` function returns the core's message, or None.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import landscapes
from landscapes import data, formula
from landscapes.parameters import Parameter
from optimizers.api import (
    INTERVAL,
    gradient_vector,
    hyperparameter_vector,
    schedule_vector,
    steps_per_interval,
)
from optimizers.specs import (
    GRADIENT_SOURCES_BY_NAME,
    OPTIMIZERS_BY_NAME,
    SCHEDULES_BY_NAME,
)

Value = float | str | tuple[float, ...] | tuple["Setting", ...]
"""A parameter's value: a number, a word or typed formula, a list of steps, or (a sequential or
chained schedule's ``schedulers``) its parts."""
Pairs = tuple[tuple[str, Value], ...]


# --- records -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """A named choice with parameters: a surface, a schedule or a gradient source."""

    name: str
    params: Pairs = ()

    def kwargs(self) -> dict[str, Value]:
        return dict(self.params)

    def core(self) -> dict[str, Any] | str:
        """The form ``optimizers.simulate`` takes for a schedule or gradient source."""
        if not self.params:
            return self.name
        return {"name": self.name, **{k: core_value(v) for k, v in self.params}}


def core_value(value: Value) -> Any:
    """A value as the core takes it: a composite schedule's parts as a list of their core
    forms."""
    if isinstance(value, tuple) and value and isinstance(value[0], Setting):
        return [part.core() for part in value]
    return value


@dataclass(frozen=True)
class RunConfig:
    """One run: an optimizer with every hyperparameter it takes, and (Compare, on a data
    surface) its own mini-batch size: None trains on the full batch, with the exact gradient."""

    optimizer: str
    hyperparameters: Pairs = ()
    batch_size: int | None = None

    def kwargs(self) -> dict[str, float]:
        return {**OPTIMIZERS_BY_NAME[self.optimizer].defaults, **dict(self.hyperparameters)}

    @property
    def lr(self) -> float:
        return float(self.kwargs()["lr"])

    def with_values(self, **values: float) -> RunConfig:
        changed = run(self.optimizer, **{**dict(self.hyperparameters), **values})
        return replace(changed, batch_size=self.batch_size)

    def gradient(self, shared: Setting) -> Setting:
        """Where this run's gradients come from: its own mini-batches, else the page's."""
        if self.batch_size is None:
            return shared
        return gradient_setting("minibatch", batch_size=float(self.batch_size))

    def label(self, full_batch: bool = False) -> str:
        """A short name: the optimizer, what differs from torch's defaults and the batch size
        (with ``full_batch``, also "full batch" for a run without one)."""
        spec = OPTIMIZERS_BY_NAME[self.optimizer]
        changed = [f"{k}={v:g}" for k, v in self.hyperparameters
                   if k == "lr" or spec.defaults.get(k) != v]
        if self.batch_size is not None:
            changed.append(f"batch_size={self.batch_size}")
        elif full_batch:
            changed.append("full batch")
        return f"{spec.title.split(' (')[0]} ({', '.join(changed)})" if changed else spec.title


def run(optimizer: str, **values: float) -> RunConfig:
    """A run with torch's defaults except ``values``, in the spec's order."""
    spec = OPTIMIZERS_BY_NAME[optimizer]
    merged = {**spec.defaults, **values}
    return RunConfig(optimizer, tuple((hp.name, float(merged[hp.name]))
                                      for hp in spec.hyperparameters))


def surface_parameters(name: str) -> tuple[Parameter, ...]:
    return landscapes.get(name).parameters


def surface_setting(name: str, **values: float) -> Setting:
    surface = landscapes.get(name, **values)
    return Setting(name, tuple(surface.parameter_values.items()))


CUSTOM = formula.NAME
DEFAULT_FORMULA = "x^2 + 3*y^2 + sin(2*x)"
Window = tuple[float, float, float, float]  # x_min, x_max, y_min, y_max


def custom_setting(text: str, window: Window | None = None) -> Setting:
    """A typed surface: its formula and plot window (suggested when None); raises ValueError."""
    bounds = None if window is None else ((window[0], window[1]), (window[2], window[3]))
    surface = _custom_landscape(text.strip(), bounds)
    (x0, x1), (y0, y1) = surface.bounds
    return Setting(CUSTOM, (("formula", text.strip()), ("window", (x0, x1, y0, y1))))


@functools.lru_cache(maxsize=64)
def _custom_landscape(text: str, bounds) -> landscapes.Landscape:
    return landscapes.from_formula(text, bounds)


@functools.lru_cache(maxsize=64)
def read_formula(text: str) -> formula.Formula:
    """The parsed formula (LaTeX, gradient); raises ValueError with the parser's message."""
    return formula.read(text)


DATA_NAMES = data.NAMES


def is_data(surface: Setting) -> bool:
    return surface.name in DATA_NAMES


def data_parameters(name: str) -> tuple[Parameter, ...]:
    """A data surface's settings: its dataset's size, noise and seed (the same for every kind)."""
    return data.SETTINGS


def data_defaults(name: str) -> dict[str, float]:
    return default_values(data_parameters(name))


def data_setting(name: str, **values: float) -> Setting:
    """A data surface: its kind and dataset (size, noise, seed); raises ValueError."""
    merged = {**data_defaults(name), **{k: float(v) for k, v in values.items()}}
    _data_landscape(name, merged["size"], merged["noise"], merged["seed"])
    return Setting(name, tuple(merged.items()))


def data_size(surface: Setting) -> int:
    """How many examples a data surface averages over (0 for any other surface)."""
    if not is_data(surface):
        return 0
    return int({**data_defaults(surface.name), **surface.kwargs()}["size"])


def batch_problem(value: float, surface: Setting) -> str | None:
    """A run's own batch size (Compare): 1 (stochastic gradient descent) to the dataset's size
    n (full-batch descent)."""
    n = data_size(surface)
    if not n:
        return f"Invalid batch_size: {value!r} (allowed only on a data surface)"
    return int_problem("batch_size", value, 1, n)


def batch_or_full(value: float, surface: Setting) -> int | None:
    """A valid batch size as a run keeps it: None when it is the whole dataset."""
    return None if int(value) >= data_size(surface) else int(value)


def data_problem(name: str, values: dict[str, float]) -> str | None:
    unknown = [k for k in values if k not in data.DEFAULTS]
    if unknown:
        return (f"Invalid parameter for data surface '{name}': {unknown[0]!r} "
                f"(allowed: {', '.join(data.DEFAULTS)})")
    merged = {**data_defaults(name), **values}
    return _refusal(_data_landscape, name, merged["size"], merged["noise"], merged["seed"])


@functools.lru_cache(maxsize=32)
def _data_landscape(name: str, size: float, noise: float, seed: float) -> landscapes.Landscape:
    return landscapes.from_data(name, size=size, noise=noise, seed=seed)


def landscape_of(surface: Setting) -> landscapes.Landscape:
    """The surface a setting names: a built-in with its parameters, a typed formula or a data
    surface."""
    if is_data(surface):
        values = {**data_defaults(surface.name), **surface.kwargs()}
        return _data_landscape(surface.name, values["size"], values["noise"], values["seed"])
    if surface.name == CUSTOM:
        values = surface.kwargs()
        x0, x1, y0, y1 = values["window"]
        return _custom_landscape(values["formula"], ((x0, x1), (y0, y1)))
    return landscapes.get(surface.name, **surface.kwargs())


def surface_key(surface: Setting) -> str:
    """Tells surfaces apart in widget keys: the name, plus a digest of a typed formula."""
    if surface.name != CUSTOM:
        return surface.name
    return f"{CUSTOM}-{hashlib.sha1(repr(surface.params).encode()).hexdigest()[:10]}"


def default_values(parameters: Iterable[Parameter]) -> dict[str, Value]:
    """Each parameter's default in its kind's one type (``Parameter.coerce``)."""
    return {p.name: p.coerce(p.default) for p in parameters}


def schedule_parameters(name: str) -> tuple[Parameter, ...]:
    """A schedule's parameters, and when it steps (``interval``: every step or every epoch)."""
    return (*SCHEDULES_BY_NAME[name].parameters, INTERVAL)


def schedule_defaults(name: str) -> dict[str, Value]:
    """A schedule's parameters as its spec defaults them, counted in steps (``interval``); a
    sequential or chained schedule starts from an example's parts (torch has no default)."""
    return {**part_defaults(name), "interval": "step"}


def part_defaults(name: str) -> dict[str, Value]:
    """A schedule's parameters as its spec defaults them, without an interval (as a part of a
    sequential or chained schedule, which counts for all its parts)."""
    spec = SCHEDULES_BY_NAME[name]
    if spec.composite:
        parts, milestones = DEFAULT_PARTS[name]
        return {"schedulers": parts, **({"milestones": milestones} if milestones else {})}
    return default_values(spec.parameters)


def part_setting(name: str, **values: Value) -> Setting:
    """One part of a sequential or chained schedule."""
    return Setting(name, tuple({**part_defaults(name), **values}.items()))


def schedule_setting(name: str, **values: Value) -> Setting:
    merged = {**schedule_defaults(name), **values}
    return Setting(name, tuple(merged.items()))


DEFAULT_PARTS: dict[str, tuple[tuple[Setting, ...], tuple[int, ...]]] = {
    "sequential": ((Setting("linear", (("start_factor", 0.1), ("end_factor", 1.0),
                                       ("total_iters", 100.0))),
                    Setting("cosine", (("T_max", 500.0), ("eta_min", 0.0)))), (100,)),
    "chained": ((Setting("linear", (("start_factor", 0.1), ("end_factor", 1.0),
                                    ("total_iters", 100.0))),
                 Setting("exponential", (("gamma", 0.997),))), ()),
}
"""What a sequential or chained schedule starts with on the pages (parts, milestones): a
linear warm-up, then a cosine; a warm-up while an exponential decay runs."""


def in_epochs(schedule: Setting) -> bool:
    """Whether the schedule steps once per epoch (a data surface's pass over its examples)."""
    return schedule.kwargs().get("interval") == "epoch"


def counted_in(schedule: Setting, interval: str) -> Setting:
    """The same schedule, stepped every ``interval`` ("step" or "epoch")."""
    return schedule_setting(schedule.name, **{**schedule.kwargs(), "interval": interval})


def schedule_label(schedule: Setting) -> str:
    """The schedule's title (a sequential or chained one's with its parts' titles), with "per
    epoch" when it is counted in epochs."""
    spec = SCHEDULES_BY_NAME[schedule.name]
    title = spec.title
    if spec.composite:
        joint = " then " if schedule.name == "sequential" else " with "
        parts = joint.join(SCHEDULES_BY_NAME[part.name].title.lower()
                           for part in schedule.kwargs()["schedulers"])
        title = f"{title.split(' (')[0]}: {parts}"
    return f"{title}, per epoch" if in_epochs(schedule) else title


def interval_problem(schedule: Setting, surface: Setting) -> str | None:
    """Epochs count passes over a dataset, so only a data surface has them."""
    if in_epochs(schedule) and not is_data(surface):
        return "'epoch' needs a data surface (an epoch is one pass over its examples)"
    return None


def steps_per_epoch(surface: Setting, gradient: Setting) -> int:
    """Optimizer steps in one pass over a data surface's examples: its mini-batches, or 1 for
    full-batch descent (the core's count)."""
    return steps_per_interval("epoch", landscape_of(surface),
                              {"name": gradient.name, **gradient.kwargs()})


def gradient_parameters(name: str) -> tuple[Parameter, ...]:
    return GRADIENT_SOURCES_BY_NAME[name].parameters


def gradient_defaults(name: str) -> dict[str, float]:
    return default_values(gradient_parameters(name))


def gradient_setting(name: str, **values: float) -> Setting:
    return Setting(name, tuple({**gradient_defaults(name), **values}.items()))


# --- validation of single fields, by the core ----------------------------------------------------


def _refusal(check, *args, **kwargs) -> str | None:
    """The core's message if ``check`` refuses its arguments, else None."""
    try:
        check(*args, **kwargs)
    except ValueError as error:
        return str(error)
    return None


def hyperparameter_problem(optimizer: str, values: dict[str, float]) -> str | None:
    return _refusal(hyperparameter_vector, optimizer, **values)


def schedule_problem(name: str, values: dict[str, Value]) -> str | None:
    return _refusal(schedule_vector, {"name": name, **{k: core_value(v)
                                                       for k, v in values.items()}})


def gradient_problem(name: str, values: dict[str, Value]) -> str | None:
    return _refusal(gradient_vector, {"name": name, **values})


def surface_problem(name: str, values: dict[str, float]) -> str | None:
    return _refusal(landscapes.get, name, **values)


def start_problem(surface: Setting | str, start: tuple[float, float]) -> str | None:
    """The pages accept starts inside the plot window."""
    setting = surface if isinstance(surface, Setting) else Setting(surface)
    (x0, x1), (y0, y1) = landscape_of(setting).bounds
    x, y = start
    if not (math.isfinite(x) and math.isfinite(y) and x0 <= x <= x1 and y0 <= y <= y1):
        return (f"Invalid start: ({x:g}, {y:g}) (allowed: inside the plot window, "
                f"{x0:g} <= x <= {x1:g} and {y0:g} <= y <= {y1:g})")
    return None


def int_problem(what: str, value: float, low: int, high: int) -> str | None:
    if not (math.isfinite(value) and value == int(value) and low <= value <= high):
        return f"Invalid {what}: {value!r} (allowed: an integer, {low} <= {what} <= {high})"
    return None


def gradient_choices(surface: Setting) -> list[str]:
    """The gradient sources a surface can use (mini-batches need a data surface)."""
    return [name for name, spec in GRADIENT_SOURCES_BY_NAME.items()
            if is_data(surface) or not spec.data_only]


def sweepable(optimizer: str) -> list[str]:
    """Hyperparameters a sweep can vary: the numeric (not on/off) ones."""
    return [hp.name for hp in OPTIMIZERS_BY_NAME[optimizer].hyperparameters if not hp.boolean]


def sweep_range_problem(optimizer: str, name: str, span: tuple[float, float]) -> str | None:
    """Why ``span`` cannot be a sweep axis of hyperparameter ``name`` (None: it can)."""
    low, high = span
    if not low < high:
        return f"Invalid {name} range: {low:g} to {high:g} (the first end must be the smaller)"
    hp = OPTIMIZERS_BY_NAME[optimizer].hyperparameter(name)
    return hp.problem(low) or hp.problem(high)
