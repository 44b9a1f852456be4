"""Each page's whole configuration as a small frozen record, and its URL query form.

Pure (no streamlit): for every page ``X``, ``x_to_query(config) -> dict[str, str]`` and
``x_from_query(query) -> (config, problems)``. A bad or stale field falls back to its default
and adds one line to ``problems`` naming the field, the value and why it was ignored. Validity
is decided by the core's own validators (``landscapes.get``, ``optimizers.api``), so the rules
live in one place.

Settings with parameters are written ``name(key=value,...)``, e.g.
``schedule=step(step_size=100,gamma=0.5)``; runs are joined with ``;``. Values equal to the
defaults are left out, so links stay short. A typed surface (Explore and Compare) is
``surface=custom&formula=x^2+3*y^2&window=-3,3,-3,3`` (x_min, x_max, y_min, y_max). A data
surface (Explore and Compare) is ``surface=linear_regression(size=100,noise=0.3,seed=2)``;
several seeds of the same runs are ``seeds=5`` (seeds seed .. seed + 4). On Compare a run
trained on mini-batches carries its batch size, ``runs=sgd(lr=0.05,batch_size=16)``, and
``seed`` deals the batches of every run. A schedule counted in epochs of a data surface (one pass
over its examples) rather than in steps is ``schedule=step(step_size=2,interval=epoch)``.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from dataclasses import dataclass, field, replace
from typing import Any

import landscapes
from figures import RANKINGS
from landscapes import data, formula
from optimizers.api import (
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

Value = float | str | tuple[float, ...]
Pairs = tuple[tuple[str, Value], ...]

MAX_RUNS = 8
SEEDS_RANGE = (1, 10)
"""How many seeds of the same runs Explore draws at once."""
SEED_RANGE = (0, 2**31 - 1)
"""The seeds of the noise and of the mini-batches' order the pages accept."""
STEPS_RANGE = (1, 3000)
"""The steps the pages offer (the core accepts more; longer runs only slow the page)."""
RESOLUTION_RANGE = (3, 40)
BASIN_RESOLUTION_RANGE = (10, 150)
TOLERANCE_RANGE = (1e-12, 1e3)
DEFAULT_MILESTONES = (100, 200)
"""The spec has no default milestone list (torch requires one); the page starts with this."""


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
        return {"name": self.name, **self.kwargs()} if self.params else self.name


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


def data_defaults(name: str) -> dict[str, float]:
    return {k: float(v) for k, v in data.DEFAULTS.items()}


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


def schedule_defaults(name: str) -> dict[str, Value]:
    """A schedule's parameters as torch defaults them, counted in steps (``interval``)."""
    spec = SCHEDULES_BY_NAME[name]
    values: dict[str, Value] = {
        p.name: (DEFAULT_MILESTONES if p.name == "milestones" else _num(p.default, p.integer))
        for p in spec.parameters}
    return {**values, "interval": "step"}


def schedule_setting(name: str, **values: Value) -> Setting:
    merged = {**schedule_defaults(name), **values}
    return Setting(name, tuple(merged.items()))


def in_epochs(schedule: Setting) -> bool:
    """Whether the schedule steps once per epoch (a data surface's pass over its examples)."""
    return schedule.kwargs().get("interval") == "epoch"


def counted_in(schedule: Setting, interval: str) -> Setting:
    """The same schedule, stepped every ``interval`` ("step" or "epoch")."""
    return schedule_setting(schedule.name, **{**schedule.kwargs(), "interval": interval})


def schedule_label(schedule: Setting) -> str:
    """The schedule's title, with "per epoch" when it is counted in epochs."""
    title = SCHEDULES_BY_NAME[schedule.name].title
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


def gradient_defaults(name: str) -> dict[str, float]:
    spec = GRADIENT_SOURCES_BY_NAME[name]
    return {p.name: _num(p.default, p.integer) for p in spec.parameters}


def gradient_setting(name: str, **values: float) -> Setting:
    return Setting(name, tuple({**gradient_defaults(name), **values}.items()))


def _num(value: float, integer: bool) -> float:
    return float(int(value)) if integer else float(value)


@dataclass(frozen=True)
class ExploreConfig:
    surface: Setting = field(default_factory=lambda: surface_setting("rosenbrock"))
    runs: tuple[RunConfig, ...] = field(default_factory=lambda: (
        run("momentum", lr=1e-3), run("adam", lr=0.05), run("rmsprop", lr=0.01),
    ))
    schedule: Setting = field(default_factory=lambda: schedule_setting("constant"))
    gradient: Setting = field(default_factory=lambda: gradient_setting("analytic"))
    seed: int = 0
    steps: int = 500
    start: tuple[float, float] | None = None  # None: the surface's own start
    seeds: int = 1  # runs of each optimizer, with seeds seed .. seed + seeds - 1


@dataclass(frozen=True)
class CompareConfig:
    surface: Setting = field(default_factory=lambda: surface_setting("quadratic"))
    runs: tuple[RunConfig, ...] = field(default_factory=lambda: (
        run("sgd", lr=0.01), run("sgd", lr=0.05), run("sgd", lr=0.095),
        run("momentum", lr=0.01), run("adam", lr=0.5),
    ))
    steps: int = 300
    start: tuple[float, float] | None = None
    shared_lr: bool = False
    lr: float = 0.05
    tolerance: float = 1e-6
    seed: int = 0  # deals the mini-batches of every run that has a batch size
    rank_by: str = "steps to tolerance"  # a name in figures.RANKINGS


@dataclass(frozen=True)
class SchedulesConfig:
    surface: Setting = field(default_factory=lambda: surface_setting("rosenbrock"))
    run: RunConfig = field(default_factory=lambda: run("adam", lr=0.1))
    steps: int = 600
    start: tuple[float, float] | None = None
    schedules: tuple[Setting, ...] = field(default_factory=lambda: (
        schedule_setting("step", step_size=150, gamma=0.3),
        schedule_setting("cosine", T_max=600),
        schedule_setting("warmup_cosine", warmup_steps=60, T_max=540),
        schedule_setting("exponential", gamma=0.995),
    ))
    focus: str = "cosine"


@dataclass(frozen=True)
class SensitivityConfig:
    surface: Setting = field(default_factory=lambda: surface_setting("himmelblau"))
    run: RunConfig = field(default_factory=lambda: run("momentum", lr=1e-3))
    steps: int = 500
    start: tuple[float, float] | None = None
    x_param: str = "lr"
    y_param: str = "momentum"
    resolution: int = 20
    metric: str = "final_loss"
    tolerance: float = 1e-4
    basin_resolution: int = 80
    x_range: tuple[float, float] | None = None  # None: the range suggested for the run
    y_range: tuple[float, float] | None = None


METRICS = {"final_loss": "final loss", "steps": "steps to converge"}


@dataclass(frozen=True)
class LearnConfig:
    optimizer: str = "adam"
    surface: str = "rosenbrock"
    lr_small: float = 0.005
    lr_good: float = 0.05
    lr_large: float = 0.105
    batch_size: int = 4


# --- the text form -----------------------------------------------------------------------------

_SETTING = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\((.*)\))?\s*$")


def _fmt(value: Value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, tuple):
        return "/".join(str(int(v)) for v in value)
    if float(value) == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.10g}"


def format_setting(name: str, params: dict[str, Value], defaults: dict[str, Value]) -> str:
    changed = [f"{k}={_fmt(v)}" for k, v in params.items() if defaults.get(k) != v]
    return f"{name}({','.join(changed)})" if changed else name


def parse_setting(text: str) -> tuple[str, dict[str, str]]:
    """``name(k=v,...)`` -> (name, {k: v}); raises ValueError when it is not that shape."""
    match = _SETTING.match(text or "")
    if not match:
        raise ValueError(f"{text!r} is not of the form name or name(key=value,...)")
    name, inner = match.group(1), match.group(2)
    params: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in (inner or "").split(","))):
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"{part!r} is not of the form key=value")
        params[key.strip()] = value.strip()
    return name, params


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text!r} is not a finite number")
    return value


def _value(key: str, text: str) -> Value:
    if key == "interval":
        return text
    if key == "milestones":
        return tuple(int(v) for v in text.split("/") if v.strip())
    return _float(text)


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
    return _refusal(schedule_vector, {"name": name, **values})


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


# --- parsing with per-field fallback ------------------------------------------------------------


class _Reader:
    """Reads query fields one at a time, keeping defaults for the bad ones."""

    def __init__(self, query: dict[str, str], known: tuple[str, ...]):
        self.query = {k: (v[-1] if isinstance(v, list) else v) for k, v in query.items()}
        self.problems: list[str] = [
            f"'{k}': unknown field, ignored (known fields: {', '.join(known)})"
            for k in self.query if k not in known
        ]

    def ignore(self, key: str, why: str) -> None:
        self.problems.append(f"'{key}': {why}; ignored, using the default")

    def setting(self, key: str, registry: dict, default: Setting, defaults_of, problem_of,
                label: str) -> Setting:
        if key not in self.query:
            return default
        try:
            name, given = parse_setting(self.query[key])
        except ValueError as error:
            self.ignore(key, str(error))
            return default
        if name not in registry:
            self.ignore(key, f"unknown {label} {name!r} (valid: {', '.join(registry)})")
            return default
        accepted = self._accepted(key, given, lambda k, text: _value(k, text),
                                  lambda values: problem_of(name, values), defaults_of(name))
        return Setting(name, tuple(accepted.items()))

    def _accepted(self, label: str, given: dict[str, str], parse, problem,
                  start: dict | None = None) -> dict:
        """The fields of ``given`` that parse and that the core accepts together with the ones
        before them (starting from ``start``); each refused field is ignored with a note."""
        accepted = dict(start or {})
        for k, text in given.items():
            try:
                value = parse(k, text)
            except ValueError:
                self.ignore(f"{label}.{k}", f"{text!r} is not a number")
                continue
            why = problem({**accepted, k: value})
            if why:
                self.ignore(f"{label}.{k}", why)
                continue
            accepted[k] = value
        return accepted

    def surface(self, default: Setting, custom: bool = False, with_data: bool = False
                ) -> Setting:
        """The surface field; with ``custom``, also a typed formula and its window; with
        ``with_data``, also a data surface."""
        if self.query.get("surface", "").strip() == CUSTOM:
            if custom:
                return self.custom_surface(default)
            self.ignore("surface", "typed formulas are available on Explore and Compare only")
            return default
        text = self.query.get("surface", "")
        if any(text.strip().startswith(name) for name in DATA_NAMES):
            if with_data:
                return self.setting("surface", {n: None for n in DATA_NAMES}, default,
                                    data_defaults, data_problem, "data surface")
            self.ignore("surface", "data surfaces are available on Explore and Compare only")
            return default
        return self.setting(
            "surface", {n: None for n in landscapes.names()}, default,
            lambda n: landscapes.get(n).parameter_values, surface_problem, "surface",
        )

    def custom_surface(self, default: Setting) -> Setting:
        text = self.query.get("formula")
        if text is None:
            self.ignore("surface", "a custom surface needs its 'formula' field")
            return default
        try:
            suggested = custom_setting(text)
        except ValueError as error:
            self.ignore("formula", f"{text!r}: {error}")
            return default
        if "window" not in self.query:
            return suggested
        try:
            window = tuple(_float(v) for v in self.query["window"].split(","))
            if len(window) != 4:
                raise ValueError(f"{self.query['window']!r} is not x_min,x_max,y_min,y_max")
            return custom_setting(text, window)
        except ValueError as error:
            self.ignore("window", str(error))
            return suggested

    def schedule(self, key: str, schedule: Setting, surface: Setting) -> Setting:
        """A schedule read from ``key``, counted in steps if it asks for epochs off a data
        surface."""
        why = interval_problem(schedule, surface)
        if why:
            self.ignore(f"{key}.interval", why)
            return counted_in(schedule, "step")
        return schedule

    def run_list(self, key: str, default: tuple[RunConfig, ...], limit: int,
                 batches: Setting | None = None) -> tuple[RunConfig, ...]:
        """The runs; with ``batches`` (Compare's surface), each may carry its own batch_size."""
        if key not in self.query:
            return default
        runs: list[RunConfig] = []
        for i, text in enumerate(filter(None, self.query[key].split(";")), start=1):
            label = f"{key}[{i}]"
            if len(runs) == limit:
                self.ignore(label, f"at most {limit} runs")
                continue
            try:
                name, given = parse_setting(text)
            except ValueError as error:
                self.ignore(label, str(error))
                continue
            if name not in OPTIMIZERS_BY_NAME:
                self.ignore(label, f"unknown optimizer {name!r} "
                                   f"(valid: {', '.join(OPTIMIZERS_BY_NAME)})")
                continue
            batch = given.pop("batch_size", None) if batches is not None else None
            accepted = self._accepted(label, given, lambda k, raw: _float(raw),
                                      lambda values, n=name: hyperparameter_problem(n, values))
            runs.append(run(name, **accepted))
            if batch is not None:
                runs[-1] = replace(runs[-1], batch_size=self.batch(f"{label}.batch_size", batch,
                                                                   batches))
        if not runs:
            self.ignore(key, "no valid run")
            return default
        return tuple(runs)

    def checked(self, label: str, text: str, problem) -> float | None:
        """``text`` as a number that ``problem`` accepts, else None (and a note)."""
        try:
            value = _float(text)
        except ValueError:
            self.ignore(label, f"{text!r} is not a number")
            return None
        why = problem(value)
        if why:
            self.ignore(label, why)
            return None
        return value

    def batch(self, label: str, text: str, surface: Setting) -> int | None:
        """A run's batch size on ``surface``; a bad one leaves the run on the full batch."""
        value = self.checked(label, text, lambda v: batch_problem(v, surface))
        return None if value is None else batch_or_full(value, surface)

    def integer(self, key: str, default: int, low: int, high: int) -> int:
        if key not in self.query:
            return default
        value = self.checked(key, self.query[key], lambda v: int_problem(key, v, low, high))
        return default if value is None else int(value)

    def number(self, key: str, default: float, low: float, high: float,
               low_open: bool = False) -> float:
        if key not in self.query:
            return default
        op = "<" if low_open else "<="

        def problem(value: float) -> str | None:
            if (value > low if low_open else value >= low) and value <= high:
                return None
            return f"Invalid {key}: {value!r} (allowed: {low:g} {op} {key} <= {high:g})"

        value = self.checked(key, self.query[key], problem)
        return default if value is None else value

    def flag(self, key: str, default: bool) -> bool:
        if key not in self.query:
            return default
        text = self.query[key].strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        self.ignore(key, f"{self.query[key]!r} is not a switch (allowed: 1 or 0)")
        return default

    def choice(self, key: str, default: str, allowed) -> str:
        if key not in self.query:
            return default
        value = self.query[key]
        if value not in allowed:
            self.ignore(key, f"{value!r} is not one of {', '.join(allowed)}")
            return default
        return value

    def span(self, key: str, problem) -> tuple[float, float] | None:
        """Two numbers ``low,high`` that ``problem`` accepts (None: not given or refused)."""
        if key not in self.query:
            return None
        try:
            low, high = (_float(v) for v in self.query[key].split(","))
        except ValueError:
            self.ignore(key, f"{self.query[key]!r} is not a pair low,high")
            return None
        why = problem((low, high))
        if why:
            self.ignore(key, why)
            return None
        return (low, high)

    def start(self, surface: Setting) -> tuple[float, float] | None:
        if "start" not in self.query:
            return None
        try:
            x, y = (_float(v) for v in self.query["start"].split(","))
        except ValueError:
            self.ignore("start", f"{self.query['start']!r} is not a pair x,y")
            return None
        why = start_problem(surface, (x, y))
        if why:
            self.ignore("start", why)
            return None
        return (x, y)


def _exact(value: float) -> str:
    """A number as short text that reads back exactly."""
    return str(int(value)) if value == int(value) and abs(value) < 1e15 else repr(float(value))


def _surface_query(q: dict[str, str], surface: Setting) -> None:
    if is_data(surface):
        q["surface"] = format_setting(surface.name, surface.kwargs(), data_defaults(surface.name))
        return
    if surface.name == CUSTOM:
        values = surface.kwargs()
        q["surface"] = CUSTOM
        q["formula"] = values["formula"]
        q["window"] = ",".join(_exact(v) for v in values["window"])
        return
    q["surface"] = format_setting(surface.name, surface.kwargs(),
                                  landscapes.get(surface.name).parameter_values)


def _runs_text(runs: tuple[RunConfig, ...]) -> str:
    return ";".join(
        format_setting(r.optimizer,
                       {**dict(r.hyperparameters),
                        **({} if r.batch_size is None else {"batch_size": r.batch_size})},
                       {k: v for k, v in OPTIMIZERS_BY_NAME[r.optimizer].defaults.items()
                        if k != "lr"})
        for r in runs
    )


def _start_text(start: tuple[float, float]) -> str:
    return f"{start[0]:.6g},{start[1]:.6g}"


def _common_query(q: dict[str, str], config: Any) -> None:
    q["steps"] = str(config.steps)
    if config.start is not None:
        q["start"] = _start_text(config.start)


# --- Explore -------------------------------------------------------------------------------------

EXPLORE_FIELDS = ("surface", "formula", "window", "runs", "schedule", "gradient", "seed",
                  "steps", "start", "seeds")


def explore_to_query(config: ExploreConfig) -> dict[str, str]:
    q: dict[str, str] = {}
    _surface_query(q, config.surface)
    q["runs"] = _runs_text(config.runs)
    if config.schedule.name != "constant":
        q["schedule"] = format_setting(config.schedule.name, config.schedule.kwargs(),
                                       schedule_defaults(config.schedule.name))
    if config.gradient.name != "analytic":
        q["gradient"] = format_setting(config.gradient.name, config.gradient.kwargs(),
                                       gradient_defaults(config.gradient.name))
        q["seed"] = str(config.seed)
        if config.seeds > 1:
            q["seeds"] = str(config.seeds)
    _common_query(q, config)
    return q


def gradient_choices(surface: Setting) -> list[str]:
    """The gradient sources a surface can use (mini-batches need a data surface)."""
    return [name for name, spec in GRADIENT_SOURCES_BY_NAME.items()
            if is_data(surface) or not spec.data_only]


def explore_from_query(query: dict[str, str]) -> tuple[ExploreConfig, list[str]]:
    d = ExploreConfig()
    r = _Reader(query, EXPLORE_FIELDS)
    surface = r.surface(d.surface, custom=True, with_data=True)
    gradient = r.setting("gradient", GRADIENT_SOURCES_BY_NAME, d.gradient, gradient_defaults,
                         gradient_problem, "gradient source")
    if gradient.name not in gradient_choices(surface):
        r.ignore("gradient", f"{gradient.name!r} needs a data surface")
        gradient = d.gradient
    schedule = r.schedule("schedule", r.setting("schedule", SCHEDULES_BY_NAME, d.schedule,
                                                schedule_defaults, schedule_problem, "schedule"),
                          surface)
    config = ExploreConfig(
        surface=surface,
        runs=r.run_list("runs", d.runs, MAX_RUNS),
        schedule=schedule,
        gradient=gradient,
        seed=r.integer("seed", d.seed, *SEED_RANGE),
        steps=r.integer("steps", d.steps, *STEPS_RANGE),
        start=r.start(surface),
        seeds=r.integer("seeds", d.seeds, *SEEDS_RANGE),
    )
    return config, r.problems


# --- Compare -------------------------------------------------------------------------------------

COMPARE_FIELDS = ("surface", "formula", "window", "runs", "steps", "start", "shared_lr", "lr",
                  "tolerance", "seed", "rank")


def compare_to_query(config: CompareConfig) -> dict[str, str]:
    q: dict[str, str] = {}
    _surface_query(q, config.surface)
    q["runs"] = _runs_text(config.runs)
    _common_query(q, config)
    q["shared_lr"] = "1" if config.shared_lr else "0"
    q["lr"] = f"{config.lr:.10g}"
    q["tolerance"] = f"{config.tolerance:.10g}"
    if any(r.batch_size is not None for r in config.runs):
        q["seed"] = str(config.seed)
    q["rank"] = config.rank_by
    return q


def compare_from_query(query: dict[str, str]) -> tuple[CompareConfig, list[str]]:
    d = CompareConfig()
    r = _Reader(query, COMPARE_FIELDS)
    surface = r.surface(d.surface, custom=True, with_data=True)
    lr = r.number("lr", d.lr, 0.0, 1e3, low_open=True)
    config = CompareConfig(
        surface=surface,
        runs=r.run_list("runs", d.runs, MAX_RUNS, batches=surface),
        steps=r.integer("steps", d.steps, *STEPS_RANGE),
        start=r.start(surface),
        shared_lr=r.flag("shared_lr", d.shared_lr),
        lr=lr,
        tolerance=r.number("tolerance", d.tolerance, *TOLERANCE_RANGE),
        seed=r.integer("seed", d.seed, *SEED_RANGE),
        rank_by=r.choice("rank", d.rank_by, list(RANKINGS)),
    )
    return config, r.problems


# --- Schedules -----------------------------------------------------------------------------------

SCHEDULES_FIELDS = ("surface", "run", "steps", "start", "schedules", "focus")


def schedules_to_query(config: SchedulesConfig) -> dict[str, str]:
    q: dict[str, str] = {}
    _surface_query(q, config.surface)
    q["run"] = _runs_text((config.run,))
    _common_query(q, config)
    q["schedules"] = ";".join(
        format_setting(s.name, s.kwargs(), schedule_defaults(s.name)) for s in config.schedules
    )
    q["focus"] = config.focus
    return q


def schedules_from_query(query: dict[str, str]) -> tuple[SchedulesConfig, list[str]]:
    d = SchedulesConfig()
    r = _Reader(query, SCHEDULES_FIELDS)
    surface = r.surface(d.surface)
    schedules = d.schedules
    if "schedules" in query:
        chosen: dict[str, Setting] = {}
        for i, text in enumerate(filter(None, r.query["schedules"].split(";")), start=1):
            sub = _Reader({"schedule": text}, ("schedule",))
            setting = sub.setting("schedule", SCHEDULES_BY_NAME, None, schedule_defaults,
                                  schedule_problem, "schedule")
            r.problems += [p.replace("'schedule", f"'schedules[{i}]") for p in sub.problems]
            if setting is not None and setting.name not in chosen:
                chosen[setting.name] = r.schedule(f"schedules[{i}]", setting, surface)
        schedules = tuple(chosen.values()) or d.schedules
    names = [s.name for s in schedules]
    focus = r.choice("focus", d.focus if d.focus in names else names[0], names)
    config = SchedulesConfig(
        surface=surface,
        run=r.run_list("run", (d.run,), 1)[0],
        steps=r.integer("steps", d.steps, *STEPS_RANGE),
        start=r.start(surface),
        schedules=schedules,
        focus=focus,
    )
    return config, r.problems


# --- Sensitivity ---------------------------------------------------------------------------------

SENSITIVITY_FIELDS = ("surface", "run", "steps", "start", "x", "y", "resolution", "metric",
                      "tolerance", "basin_resolution", "x_range", "y_range")


def sweepable(optimizer: str) -> list[str]:
    """Hyperparameters a sweep can vary: the numeric (not on/off) ones."""
    return [hp.name for hp in OPTIMIZERS_BY_NAME[optimizer].hyperparameters if not hp.boolean]


def sensitivity_to_query(config: SensitivityConfig) -> dict[str, str]:
    q: dict[str, str] = {}
    _surface_query(q, config.surface)
    q["run"] = _runs_text((config.run,))
    _common_query(q, config)
    q.update(x=config.x_param, y=config.y_param, resolution=str(config.resolution),
             metric=config.metric, tolerance=f"{config.tolerance:.10g}",
             basin_resolution=str(config.basin_resolution))
    for axis, span in (("x_range", config.x_range), ("y_range", config.y_range)):
        if span is not None:
            q[axis] = ",".join(_exact(v) for v in span)
    return q


def sweep_range_problem(optimizer: str, name: str, span: tuple[float, float]) -> str | None:
    """Why ``span`` cannot be a sweep axis of hyperparameter ``name`` (None: it can)."""
    low, high = span
    if not low < high:
        return f"Invalid {name} range: {low:g} to {high:g} (the first end must be the smaller)"
    hp = OPTIMIZERS_BY_NAME[optimizer].hyperparameter(name)
    return hp.problem(low) or hp.problem(high)


def sensitivity_from_query(query: dict[str, str]) -> tuple[SensitivityConfig, list[str]]:
    d = SensitivityConfig()
    r = _Reader(query, SENSITIVITY_FIELDS)
    surface = r.surface(d.surface)
    the_run = r.run_list("run", (d.run,), 1)[0]
    params = sweepable(the_run.optimizer)
    x_default = "lr" if "lr" in params else params[0]
    x_param = r.choice("x", x_default, params)
    others = [p for p in params if p != x_param]
    y_default = d.y_param if d.y_param in others else (others[0] if others else x_param)
    y_param = r.choice("y", y_default, others or [x_param])
    config = SensitivityConfig(
        surface=surface,
        run=the_run,
        steps=r.integer("steps", d.steps, *STEPS_RANGE),
        start=r.start(surface),
        x_param=x_param,
        y_param=y_param,
        resolution=r.integer("resolution", d.resolution, *RESOLUTION_RANGE),
        metric=r.choice("metric", d.metric, list(METRICS)),
        tolerance=r.number("tolerance", d.tolerance, *TOLERANCE_RANGE),
        basin_resolution=r.integer("basin_resolution", d.basin_resolution,
                                   *BASIN_RESOLUTION_RANGE),
        x_range=r.span("x_range", lambda span: sweep_range_problem(the_run.optimizer, x_param,
                                                                    span)),
        y_range=r.span("y_range", lambda span: sweep_range_problem(the_run.optimizer, y_param,
                                                                    span)),
    )
    return config, r.problems


# --- Learn ---------------------------------------------------------------------------------------

LEARN_FIELDS = ("optimizer", "surface", "lr_small", "lr_good", "lr_large", "batch_size")


def learn_to_query(config: LearnConfig) -> dict[str, str]:
    return {
        "optimizer": config.optimizer, "surface": config.surface,
        "lr_small": f"{config.lr_small:.10g}", "lr_good": f"{config.lr_good:.10g}",
        "lr_large": f"{config.lr_large:.10g}", "batch_size": str(config.batch_size),
    }


def learn_from_query(query: dict[str, str]) -> tuple[LearnConfig, list[str]]:
    d = LearnConfig()
    r = _Reader(query, LEARN_FIELDS)
    config = LearnConfig(
        optimizer=r.choice("optimizer", d.optimizer, list(OPTIMIZERS_BY_NAME)),
        surface=r.choice("surface", d.surface, landscapes.names()),
        lr_small=r.number("lr_small", d.lr_small, 0.0, 10.0, low_open=True),
        lr_good=r.number("lr_good", d.lr_good, 0.0, 10.0, low_open=True),
        lr_large=r.number("lr_large", d.lr_large, 0.0, 10.0, low_open=True),
        batch_size=r.integer("batch_size", d.batch_size, 1, 1024),
    )
    return config, r.problems


PAGES = {
    "explore": (ExploreConfig, explore_to_query, explore_from_query),
    "compare": (CompareConfig, compare_to_query, compare_from_query),
    "schedules": (SchedulesConfig, schedules_to_query, schedules_from_query),
    "sensitivity": (SensitivityConfig, sensitivity_to_query, sensitivity_from_query),
    "learn": (LearnConfig, learn_to_query, learn_from_query),
}
"""Each page's record, and its two query functions."""


def explore_link(surface: Setting, the_run: RunConfig, steps: int,
                 start: tuple[float, float] | None) -> dict[str, str]:
    """The query that opens one configuration in Explore (used by Sensitivity's heatmap)."""
    return explore_to_query(ExploreConfig(surface=surface, runs=(the_run,), steps=steps,
                                          start=start))


