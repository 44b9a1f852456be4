"""Each page's configuration as a URL query: the grammar, and config <-> query.

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
A typed factor is ``schedule=lambda(lr_lambda=0.5^(t/100))``. A sequential or chained schedule
names its parts, joined with ``|``, each written as a schedule is:
``schedule=sequential(schedulers=linear(total_iters=50)|cosine(T_max=450),milestones=50)``;
a tampered part is refused as a whole, with the core's message naming it (``schedulers[2]``).
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import Any

import landscapes
from figures import RANKINGS
from landscapes.parameters import Parameter
from optimizers.schedules import PARTS
from optimizers.specs import GRADIENT_SOURCES_BY_NAME, OPTIMIZERS_BY_NAME, SCHEDULES_BY_NAME
from ui.configs import (
    BASIN_RESOLUTION_RANGE,
    MAX_RUNS,
    METRICS,
    RESOLUTION_RANGE,
    SEED_RANGE,
    SEEDS_RANGE,
    STEPS_RANGE,
    TOLERANCE_RANGE,
    CompareConfig,
    ExploreConfig,
    LearnConfig,
    SchedulesConfig,
    SensitivityConfig,
)
from ui.settings import (
    CUSTOM,
    DATA_NAMES,
    RunConfig,
    Setting,
    Value,
    batch_or_full,
    batch_problem,
    counted_in,
    custom_setting,
    data_defaults,
    data_parameters,
    data_problem,
    default_values,
    gradient_choices,
    gradient_defaults,
    gradient_parameters,
    gradient_problem,
    hyperparameter_problem,
    int_problem,
    interval_problem,
    is_data,
    part_defaults,
    run,
    schedule_defaults,
    schedule_parameters,
    schedule_problem,
    start_problem,
    surface_parameters,
    surface_problem,
    sweep_range_problem,
    sweepable,
)

# --- the text form -----------------------------------------------------------------------------

_SETTING = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\((.*)\))?\s*$")


def value_text(value: Value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, tuple) and value and isinstance(value[0], Setting):
        return PART_SEPARATOR.join(format_setting(part.name, part.kwargs(),
                                                  part_defaults(part.name)) for part in value)
    if isinstance(value, tuple):
        return LIST_SEPARATOR.join(str(int(v)) for v in value)
    if float(value) == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.10g}"


def format_setting(name: str, params: dict[str, Value], defaults: dict[str, Value]) -> str:
    changed = [f"{k}={value_text(v)}" for k, v in params.items() if defaults.get(k) != v]
    return f"{name}({','.join(changed)})" if changed else name


def parse_setting(text: str) -> tuple[str, dict[str, str]]:
    """``name(k=v,...)`` -> (name, {k: v}); raises ValueError when it is not that shape."""
    match = _SETTING.match(text or "")
    if not match:
        raise ValueError(f"{text!r} is not of the form name or name(key=value,...)")
    name, inner = match.group(1), match.group(2)
    params: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in _split_outside_parentheses(inner or "", ","))):
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"{part!r} is not of the form key=value")
        params[key.strip()] = value.strip()
    return name, params


PART_SEPARATOR = "|"
"""Between the parts of a sequential or chained schedule in a link:
``schedule=sequential(schedulers=linear(total_iters=50)|cosine(T_max=450),milestones=50)``."""


def _split_outside_parentheses(text: str, separator: str) -> list[str]:
    """``text`` cut at each ``separator`` that no parenthesis encloses (a part's own
    parameters, a typed formula's groups); unbalanced parentheses raise ValueError."""
    pieces, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if depth < 0:
            raise ValueError(f"{text!r} closes a parenthesis it never opened")
        if ch == separator and depth == 0:
            pieces.append(text[start:i])
            start = i + 1
    if depth:
        raise ValueError(f"{text!r} leaves a parenthesis open")
    return [*pieces, text[start:]]


def _parts(text: str) -> tuple[Setting, ...]:
    """A composite schedule's parts from a link: ``linear(total_iters=50)|cosine``."""
    parts = []
    for i, piece in enumerate(_split_outside_parentheses(text, PART_SEPARATOR), start=1):
        name, given = parse_setting(piece)
        if name not in SCHEDULES_BY_NAME:
            raise ValueError(f"schedulers[{i}]: unknown schedule {name!r} (valid: "
                             f"{', '.join(PARTS)})")
        values = part_defaults(name)
        parameters = {p.name: p for p in SCHEDULES_BY_NAME[name].parameters}
        for key, value in given.items():
            try:
                values[key] = value_from_text(parameters.get(key), value)
            except ValueError as error:
                raise ValueError(f"schedulers[{i}].{key}: {error}") from None
        parts.append(Setting(name, tuple(values.items())))
    return tuple(parts)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text!r} is not a finite number")
    return value


LIST_SEPARATOR = "/"
"""Between a list parameter's elements in a link: ``milestones=100/200``."""


def value_from_text(parameter: Parameter | None, text: str) -> Value:
    """A link's text as ``parameter``'s kind holds it: a choice or a typed formula as written, a
    list of whole numbers from ``a/b/c``, anything else a finite number (so is a key no
    parameter has: the core's check then names it). Raises ValueError with what the text
    should have been."""
    kind = parameter.kind if parameter is not None else "float"
    if kind in ("choice", "text"):
        return text
    if kind == "list":
        try:
            return tuple(int(v) for v in text.split(LIST_SEPARATOR) if v.strip())
        except ValueError:
            raise ValueError(f"{text!r} is not a list of whole numbers written "
                             f"a{LIST_SEPARATOR}b{LIST_SEPARATOR}c") from None
    try:
        return _float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None


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

    def setting(self, key: str, names, default: Setting, parameters_of, problem_of,
                label: str) -> Setting:
        """A named setting among ``names``, each value read by the kind of its ``Parameter``
        (``parameters_of(name)``) and checked by ``problem_of``."""
        if key not in self.query:
            return default
        try:
            name, given = parse_setting(self.query[key])
        except ValueError as error:
            self.ignore(key, str(error))
            return default
        if name not in names:
            self.ignore(key, f"unknown {label} {name!r} (valid: {', '.join(names)})")
            return default
        parameters = {p.name: p for p in parameters_of(name)}
        start = (schedule_defaults(name) if label == "schedule"
                 else default_values(parameters.values()))

        def read(k: str, text: str) -> Value:
            return _parts(text) if k == "schedulers" else value_from_text(parameters.get(k), text)

        if "schedulers" in given and "milestones" in given:
            # a sequential schedule's parts and milestones are valid or not together
            together = {k: given.pop(k) for k in ("schedulers", "milestones")}
            try:
                values = {k: read(k, text) for k, text in together.items()}
                why = problem_of(name, {**start, **values})
            except ValueError as error:
                why = str(error)
            if why:
                self.ignore(f"{key}.schedulers", why)
            else:
                start = {**start, **values}
        accepted = self._accepted(key, given, read, lambda values: problem_of(name, values),
                                  start)
        return Setting(name, tuple(accepted.items()))

    def _accepted(self, label: str, given: dict[str, str], parse, problem,
                  start: dict | None = None) -> dict:
        """The fields of ``given`` that parse and that the core accepts together with the ones
        before them (starting from ``start``); each refused field is ignored with a note."""
        accepted = dict(start or {})
        for k, text in given.items():
            try:
                value = parse(k, text)
            except ValueError as error:
                self.ignore(f"{label}.{k}", str(error))
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
                return self.setting("surface", DATA_NAMES, default, data_parameters,
                                    data_problem, "data surface")
            self.ignore("surface", "data surfaces are available on Explore and Compare only")
            return default
        return self.setting("surface", landscapes.names(), default, surface_parameters,
                            surface_problem, "surface")

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
            accepted = self._accepted(label, given, lambda k, raw: value_from_text(None, raw),
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




def explore_from_query(query: dict[str, str]) -> tuple[ExploreConfig, list[str]]:
    d = ExploreConfig()
    r = _Reader(query, EXPLORE_FIELDS)
    surface = r.surface(d.surface, custom=True, with_data=True)
    gradient = r.setting("gradient", GRADIENT_SOURCES_BY_NAME, d.gradient, gradient_parameters,
                         gradient_problem, "gradient source")
    if gradient.name not in gradient_choices(surface):
        r.ignore("gradient", f"{gradient.name!r} needs a data surface")
        gradient = d.gradient
    schedule = r.schedule("schedule", r.setting("schedule", SCHEDULES_BY_NAME, d.schedule,
                                                schedule_parameters, schedule_problem,
                                                "schedule"),
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
            setting = sub.setting("schedule", SCHEDULES_BY_NAME, None, schedule_parameters,
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


