"""Cached computation: trajectories, surface grids and figures, keyed by small frozen configs.

Streamlit reruns the page on every widget change; everything here is cached so a rerun with an
unchanged config costs a dictionary lookup. The kernels are prepared once per server process
(``ui/preparation.py``) before any page calls this.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import orjson
import streamlit as st

import figures
import landscapes
import optimizers
from figures.step_view import carries_momentum
from optimizers.specs import OPTIMIZERS_BY_NAME
from ui import neighbourhoods as ui_neighbourhoods
from ui.configs import STEPS_RANGE
from ui.settings import CUSTOM, RunConfig, Setting, is_data, landscape_of, sweepable

GRID = 200
"""Surface samples per axis for the contour and the 3-D sheet."""


@dataclass(frozen=True)
class Scene:
    """Everything that decides a set of trajectories: the cache key of a page's runs."""

    surface: Setting
    runs: tuple[RunConfig, ...]
    steps: int
    start: tuple[float, float] | None = None
    schedule: Setting = field(default_factory=lambda: Setting("constant"))
    gradient: Setting = field(default_factory=lambda: Setting("analytic"))  # unless a run has
    # its own batch size (Compare, on a data surface)
    seed: int = 0
    names: tuple[str, ...] | None = None  # labels for the runs (default: from their settings)
    first_color: int = 0  # palette index of the first run, so a run keeps its colour
    seeds: int = 1  # each run also with seeds seed + 1 .. seed + seeds - 1 (a band of paths)
    reference: bool = False  # draw noisy runs' exact-gradient paths too (dashed)
    tolerance: float | None = None  # loss within it of f* counts as converged (Compare)

    def landscape(self) -> landscapes.Landscape:
        return landscape_of(self.surface)

    def start_point(self) -> tuple[float, float]:
        return self.start if self.start is not None else self.landscape().start


def cache_key(record: Scene | Setting | RunConfig) -> str:
    """A frozen record's cache key: its repr, which writes out every field (a float by its
    repr, which tells every two floats apart). Streamlit's own hashing copies a dataclass
    field by field (``dataclasses.asdict``) on every call: ~1.2 ms for Explore's scene, against
    ~0.03 ms for its repr, and a rerun looks up about ten cached values."""
    return repr(record)


KEYS = {Scene: cache_key, Setting: cache_key, RunConfig: cache_key}
"""``hash_funcs`` of every cached function that takes these records."""


def _simulate(scene: Scene, the_run: RunConfig, schedule: Setting, seed: int | None = None,
              record_state: bool = False) -> optimizers.Trajectory:
    return optimizers.simulate(
        scene.landscape(), the_run.optimizer, scene.start_point(), scene.steps,
        schedule=schedule.core(), gradient=the_run.gradient(scene.gradient).core(),
        seed=scene.seed if seed is None else seed, record_state=record_state,
        **the_run.kwargs(),
    )


@st.cache_data(max_entries=16, show_spinner=False, hash_funcs=KEYS)
def recorded_run(scene: Scene, index: int) -> optimizers.Trajectory:
    """Run ``index`` of the scene with its state after every step recorded (the same run,
    bit for bit): what the step-by-step section shows."""
    return _simulate(scene, scene.runs[index], scene.schedule, record_state=True)


@st.cache_data(max_entries=32, show_spinner=False, hash_funcs=KEYS)
def band_paths(scene: Scene) -> list[list[np.ndarray]]:
    """For each run, the paths of its extra seeds (seed + 1 .. seed + seeds - 1)."""
    if scene.gradient.name == "analytic" or scene.seeds <= 1:
        return [[] for _ in scene.runs]
    return [[_simulate(scene, r, scene.schedule, scene.seed + k).xy for k in range(1, scene.seeds)]
            for r in scene.runs]


@st.cache_data(max_entries=32, show_spinner=False, hash_funcs=KEYS)
def reference_paths(scene: Scene) -> list[np.ndarray | None]:
    """For each run whose gradient is noisy or from mini-batches, its path with the exact
    (full-batch) gradient, to draw the noise against."""
    if not scene.reference or scene.gradient.name not in ("noisy", "minibatch"):
        return [None for _ in scene.runs]
    exact = replace(scene, gradient=Setting("analytic"))
    return [_simulate(exact, r, scene.schedule).xy for r in scene.runs]


@st.cache_data(max_entries=64, show_spinner=False, hash_funcs=KEYS)
def trajectories(scene: Scene) -> list[optimizers.Trajectory]:
    """One trajectory per run of the scene (raises ValueError for a bad setting)."""
    return [_simulate(scene, r, scene.schedule) for r in scene.runs]


def neighbourhoods(scene: Scene) -> list[dict[str, Any] | None]:
    """For each run of the scene (in order), the same run over a grid of its learning rate
    and of its momentum-like hyperparameter, strided for the player's sliders
    (``ui.neighbourhoods.neighbourhood`` gives the fields); None for a run whose settings the
    core refuses. Each run's is kept on its own (``run_neighbourhood``): a change to one run (a
    released lr slider, a run added) computes that run's alone."""
    start = scene.start_point()
    return [run_neighbourhood(Scene(scene.surface, (the_run,), scene.steps, start,
                                    scene.schedule, the_run.gradient(scene.gradient),
                                    scene.seed))
            for the_run in scene.runs]


# st.cache_resource, not st.cache_data: ~0.8 MB of arrays a run (Explore's default), which
# st.cache_data pickled on every new one (~1 ms each) only for the player's payload (itself
# kept with st.cache_resource) to read them once. Nothing changes them. One argument: Streamlit
# hashes each argument of a cached call on its own (~0.02 ms each, a hit included).
@st.cache_resource(max_entries=96, show_spinner=False, hash_funcs=KEYS)
def run_neighbourhood(run: Scene) -> dict[str, Any] | None:
    """One run's neighbourhoods (``neighbourhoods``), from the settings that decide them: a
    scene of that run alone, with its own gradient source and its start point written out."""
    longer = next((n for n in LONGER_RUNS if n >= run.steps), None)
    full = None if longer is None else _full_paths(replace(run, steps=longer))
    the_run = run.runs[0]
    try:
        return ui_neighbourhoods.neighbourhood(
            run.landscape(), the_run.optimizer, the_run.kwargs(), run.start_point(), run.steps,
            schedule=run.schedule.core(), gradient=run.gradient.core(), seed=run.seed,
            full=full)
    except ValueError:
        return None


LONGER_RUNS = (256, 512, 1024, 2048, STEPS_RANGE[1])
"""The lengths a run's neighbourhoods are computed at (``_full_paths``), the first one at
least as long as the run: a new number of steps reads its neighbourhoods from one of these
instead of running ~70 paths again, at most twice the work of computing them for the run
alone, once."""


# st.cache_resource: ~70 paths x 3001 points x 5 numbers, ~8 MB a run at the longest (fewer
# entries than the neighbourhoods read from them).
@st.cache_resource(max_entries=16, show_spinner=False, hash_funcs=KEYS)
def _full_paths(run: Scene) -> list[optimizers.Paths] | None:
    """A run's neighbourhoods' grids (``run_neighbourhood``'s scene) kept at every point
    (``ui.neighbourhoods.full_paths``); None when the core refuses the longer run (a one_cycle
    schedule's total_steps covers the run, not this length): the run's own are then computed."""
    the_run = run.runs[0]
    try:
        return ui_neighbourhoods.full_paths(
            run.landscape(), the_run.optimizer, the_run.kwargs(), run.start_point(), run.steps,
            schedule=run.schedule.core(), gradient=run.gradient.core(), seed=run.seed)
    except ValueError:
        return None


@st.cache_data(max_entries=64, show_spinner=False, hash_funcs=KEYS)
def shown_losses(scene: Scene) -> list[np.ndarray]:
    """Each run's loss over all the data, at every point: what the curves, the 3-D path and the
    leaderboard show. On mini-batches it is computed only at the points the charts draw
    (``figures.shown_steps``, which keep the first and the last) and is NaN between them, so a
    long run over a large dataset stays quick."""
    landscape = scene.landscape()
    losses = []
    for path in trajectories(scene):
        if not path.on_minibatches:
            losses.append(path.loss)
            continue
        steps = figures.shown_steps(path.xy.shape[0])
        loss = np.full(path.xy.shape[0], np.nan)
        loss[steps] = path.full_loss(landscape, steps)
        losses.append(loss)
    return losses


def run_names(runs: tuple[RunConfig, ...]) -> list[str]:
    """Labels that tell runs apart: with their batch sizes when some train on mini-batches,
    numbered when two would still read the same."""
    batched = any(r.batch_size is not None for r in runs)
    labels = [r.label(full_batch=batched) for r in runs]
    return [f"{i + 1}. {label}" if labels.count(label) > 1 else label
            for i, label in enumerate(labels)]


@st.cache_data(max_entries=32, show_spinner=False, hash_funcs=KEYS)
def run_payloads(scene: Scene, names: list[str] | None = None) -> list[dict[str, Any]]:
    """The runs as the figure builders take them: name, colour and style
    (``figures.run_style``), path, curves, and how each ended: ``outcome``
    (``optimizers.outcome``), and where the scene has a tolerance and f* is known,
    ``tolerance`` and ``reached_at`` (the first step within it, or None): together the words
    every view shows (``figures.run_status``).

    ``loss`` (and ``gap``, its distance above the global minimum: what a log axis can show) is
    the loss over all the data (``shown_losses``); a run on mini-batches also has
    ``batch_gap``, from each batch's own loss at the point it was taken (None otherwise).
    """
    names = names or list(scene.names or run_names(scene.runs))
    landscape = scene.landscape()
    floor = landscape.minimum_value

    def gap(loss: np.ndarray) -> np.ndarray:
        return loss - floor if np.isfinite(floor) else loss

    bands, references = band_paths(scene), reference_paths(scene)
    tolerance = scene.tolerance if np.isfinite(floor) else None
    payloads = []
    for i, (path, loss) in enumerate(zip(trajectories(scene), shown_losses(scene),
                                         strict=True)):
        payloads.append({
            "band": bands[i],
            "averaged": path.averaged_xy,
            "evaluated": path.evaluated_xy,
            "averaged_title": OPTIMIZERS_BY_NAME[path.config["optimizer"]].averaged_title,
            "reference": references[i],
            "fit": (landscapes.data.fits(landscape, path.xy,
                                         landscapes.data.input_grid(landscape, FIT_POINTS))
                    if landscape.data_size else None),
            "name": names[i],
            "color": figures.run_color(scene.first_color + i),
            "style": figures.run_style(scene.first_color + i),
            "xy": path.xy,
            "loss": loss,
            "gap": gap(loss),
            "batch_gap": gap(path.loss) if path.on_minibatches else None,
            "lr": path.lr,
            "grad_norm": np.hypot(path.grad[:, 0], path.grad[:, 1]),
            "grad": path.grad,
            "momentum": carries_momentum(
                {**OPTIMIZERS_BY_NAME[path.config["optimizer"]].fixed,
                 **path.config["hyperparameters"]}),
            "diverged_at": path.diverged_at,
            "outcome": optimizers.outcome(path, landscape),
            "tolerance": tolerance,
            "reached_at": (None if tolerance is None
                           else figures.steps_to_tolerance(loss, floor + tolerance)),
            "evaluations": path.evaluations,
        })
    return payloads


FIT_POINTS = 60
"""Samples of a data surface's model curve, in the data view beside the map."""


def _data_view(landscape: landscapes.Landscape) -> dict[str, Any] | None:
    if not landscape.data_size:
        return None
    u, v = landscape.dataset
    kind = landscapes.data.KINDS[landscape.name]
    return {"u": u, "v": v, "grid": landscapes.data.input_grid(landscape, FIT_POINTS),
            "axes": kind.axes, "title": "the data and each run's current fit"}


@st.cache_data(max_entries=32, show_spinner=False, hash_funcs=KEYS)
def surface_view(surface: Setting) -> dict[str, Any]:
    """The surface sampled on a grid over its window, with its known points.

    Where f is undefined or infinite (a typed formula's log(x) at x < 0) ``z`` is NaN: blank.
    """
    landscape = landscape_of(surface)
    (x0, x1), (y0, y1) = landscape.bounds
    xs, ys = np.linspace(x0, x1, GRID), np.linspace(y0, y1, GRID)
    z = landscape.f(*np.meshgrid(xs, ys))
    z = np.where(np.isfinite(z), z, np.nan)
    lowest = float(np.nanmin(z)) if np.isfinite(z).any() else 0.0
    floor = landscape.minimum_value if np.isfinite(landscape.minimum_value) else lowest
    return {
        "x": xs, "y": ys, "z": z, "log_scale": landscape.log_scale,
        "floor": min(floor, lowest), "bounds": landscape.bounds,
        "points": [(p.x, p.y, p.kind) for p in landscape.points], "title": landscape.title,
        "bounded": bool(np.isfinite(landscape.minimum_value)),
        "data": _data_view(landscape) if is_data(surface) else None,
    }


def to_json(figure: dict[str, Any]) -> str:
    """A figure as compact JSON for the browser, a number that is not finite written as null
    (a gap in a line, as plotly.py writes it): JSON has no NaN. NumPy arrays and numbers are
    written as lists and numbers. orjson writes a figure's floats ~20 times as fast as the
    standard library's json (Explore's step charts at 1500 steps: ~0.2 ms against ~4 ms)."""
    return orjson.dumps(figure, option=orjson.OPT_SERIALIZE_NUMPY).decode()


# A figure's JSON is kept with st.cache_resource: a string cannot be changed, so every rerun
# shares the one object instead of unpickling a copy of it, and the player's figure id of that
# object is computed once (ui.player.figure_id).
@st.cache_resource(max_entries=32, show_spinner=False, hash_funcs=KEYS)
def surface_3d_figure(scene: Scene, height: int) -> str:
    """The 3-D view of the scene's surface with its paths, as the JSON the browser receives:
    the sheet's JSON (``sheet_json``, made once per surface) spliced into the paths' figure."""
    figure = figures.surface_3d(surface_view(scene.surface), run_payloads(scene),
                                height=height, sheet=_SHEET)
    return to_json(figure).replace(to_json(_SHEET), sheet_json(scene.surface), 1)


_SHEET = "descent-lab: the sheet's trace goes here"


@st.cache_resource(max_entries=32, show_spinner=False, hash_funcs=KEYS)
def sheet_json(surface: Setting) -> str:
    """The JSON of the surface's 3-D sheet (``figures.charts.sheet_trace``): ~40 000 heights,
    most of the 3-D view's bytes and of its encoding time, the same whatever runs on it."""
    return to_json(figures.charts.sheet_trace(surface_view(surface)))


def _number(value: Any) -> str:
    return f"{value:.10g}" if isinstance(value, float) else str(value)


def _setting_text(name: str, values: dict[str, Any]) -> str:
    """``name(key=value, ...)``, or the bare name when there are no values."""
    if not values:
        return name
    shown = []
    for key, value in values.items():
        if isinstance(value, tuple | list):
            value = "[" + ", ".join(
                _setting_text(v["name"], {k: w for k, w in v.items() if k != "name"})
                if isinstance(v, dict) else _number(v) for v in value) + "]"
        shown.append(f"{key}={_number(value)}")
    return f"{name}({', '.join(shown)})"


def _surface_text(scene: Scene) -> str:
    """The surface as a reader can rebuild it: its setting and title; a typed one by its
    formula and window."""
    surface = scene.surface
    if surface.name == CUSTOM:
        values = surface.kwargs()
        x0, x1, y0, y1 = values["window"]
        return (f"f(x, y) = {values['formula']} (typed; window x in [{x0:g}, {x1:g}], "
                f"y in [{y0:g}, {y1:g}])")
    return f"{_setting_text(surface.name, surface.kwargs())} ({scene.landscape().title})"


def _hyperparameters_text(optimizer: str, values: dict[str, float]) -> str:
    """``optimizer(lr=..., ...)`` with every hyperparameter, switches as True/False."""
    spec = optimizers.OPTIMIZERS_BY_NAME[optimizer]
    switches = {hp.name for hp in spec.hyperparameters if hp.boolean}
    return _setting_text(optimizer, {k: (bool(v) if k in switches else v)
                                     for k, v in values.items()})


def scene_settings(scene: Scene) -> list[tuple[str, str]]:
    """Everything that reproduces the scene's runs, as (key, value) lines: surface, start,
    steps, schedule, gradient source and seed, then each run's optimizer with all its
    hyperparameters (torch's defaults filled in), its own gradient source if it has one, and
    how it ended (``figures.run_status``)."""
    paths = trajectories(scene)
    runs = run_payloads(scene)
    x, y = scene.start_point()
    first = paths[0].config if paths else {}
    schedule = dict(first.get("schedule", {"name": scene.schedule.name}))
    gradient = {"name": scene.gradient.name, **scene.gradient.kwargs()}
    lines = [
        ("surface", _surface_text(scene)),
        ("start", f"({x:.10g}, {y:.10g})"),
        ("steps", str(scene.steps)),
        ("schedule", _setting_text(schedule.pop("name"), schedule)),
        ("gradient", _setting_text(gradient.pop("name"), gradient)),
        ("seed", str(scene.seed)),
        *((("tolerance", f"{scene.tolerance:g} (loss within it of f* counts as converged)"),)
          if scene.tolerance is not None else ()),
    ]
    names = scene.names or run_names(scene.runs)
    for i, (name, path) in enumerate(zip(names, paths, strict=True)):
        config = path.config
        words = [name, _hyperparameters_text(config["optimizer"], config["hyperparameters"])]
        own = dict(config["gradient"])
        if scene.runs[i].batch_size is not None:
            words.append("gradient " + _setting_text(own.pop("name"), own))
        words.append(figures.run_status(runs[i], why=True))
        lines.append((f"run {i + 1}", "; ".join(words)))
    return lines


def scene_heading(scene: Scene) -> str:
    """What a file of the scene shows, in one line: the surface, how many runs of how many
    steps, and from where ("Rosenbrock: 3 runs, 500 steps from (-1.5, 2)")."""
    count = len(scene.runs)
    x, y = scene.start_point()
    return (f"{scene.landscape().title}: {count} run{'s' if count != 1 else ''}, "
            f"{scene.steps} steps from ({x:.4g}, {y:.4g})")


CSV_COLUMNS = ("run", "optimizer", "step", "x", "y", "loss", "full_loss", "grad_x", "grad_y",
               "lr", "momentum", "averaged_x", "averaged_y", "outcome")

CSV_NOTES = (
    ("columns", "step t is the point x_t; loss is what step t saw (on mini-batches the batch's "
                "own), full_loss the loss over all the data, grad the gradient the step used"),
    ("lr", "the rate of the step from point t to point t + 1 (torch: the lr of the t-th "
           "optimizer.step()); a run's last point takes no step, so its lr is nan"),
    ("momentum", "the momentum (SGD, RMSprop) or beta1 (Adam and its kin) of the same step: "
                 "the optimizer's own, or what a schedule with cycle_momentum set; nan on a "
                 "run's last point and for an optimizer with neither"),
    ("averaged", "the optimizer's second point after t steps, the one a user evaluates "
                 "(ASGD's average ax, schedule-free AdamW's x); nan for an optimizer that "
                 "keeps none"),
    ("outcome", "how the run ended, the same on every row of a run"),
)
"""What the columns mean, written into the export's header."""


def step_momentum(path: optimizers.Trajectory) -> np.ndarray:
    """The momentum or beta1 of each step of ``path`` (the one a schedule cycled, else the
    optimizer's own), then nan for its last point; all nan for an optimizer with neither."""
    out = np.full(path.steps + 1, np.nan)
    if path.momentum_name:
        out[:-1] = path.momentum
        return out
    spec = optimizers.OPTIMIZERS_BY_NAME[path.config["optimizer"]]
    own = {**spec.fixed, **path.config["hyperparameters"]}
    name = next((n for n in ("momentum", "beta1") if n in own), None)
    if name is not None:
        out[:-1] = own[name]
    return out


def trajectories_csv(scene: Scene) -> str:
    """Every run's points as CSV, under a header of ``# key: value`` comment lines with the
    settings that reproduce them (``scene_settings``) and what the columns mean
    (``CSV_NOTES``): read it with ``pandas.read_csv(file, comment="#")``.

    No cell is blank: the last point of a run has no step and so no rate, and says so with
    ``nan`` (a number to every csv reader)."""
    out = io.StringIO()
    out.write("# Descent Lab: trajectories\n")
    for key, value in (*scene_settings(scene), *CSV_NOTES):
        one_line = " ".join(str(value).splitlines())
        out.write(f"# {key}: {one_line}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    landscape = scene.landscape()
    for name, path, run in zip(scene.names or run_names(scene.runs), trajectories(scene),
                               run_payloads(scene), strict=True):
        full = path.full_loss(landscape)
        lr = np.append(path.lr, np.nan)  # no step from the last point
        momentum = step_momentum(path)
        words = figures.run_status(run, why=True)
        optimizer = path.config["optimizer"]
        averaged = (path.averaged_xy if path.averaged_xy is not None
                    else np.full_like(path.xy, np.nan))
        for t in range(path.xy.shape[0]):
            writer.writerow((
                name, optimizer, t, *(f"{v:.10g}" for v in (
                    path.xy[t, 0], path.xy[t, 1], path.loss[t], full[t], path.grad[t, 0],
                    path.grad[t, 1], lr[t], momentum[t], averaged[t, 0], averaged[t, 1])),
                words,
            ))
    return out.getvalue()


@st.cache_data(max_entries=16, show_spinner=False, hash_funcs=KEYS)
def sweep(scene: Scene, x_param: str, x_values: tuple[float, ...], y_param: str,
          y_values: tuple[float, ...], tolerance: float) -> optimizers.SweepResult:
    the_run = scene.runs[0]
    fixed = {k: v for k, v in the_run.kwargs().items() if k not in (x_param, y_param)}
    return optimizers.sweep(
        scene.landscape(), the_run.optimizer, scene.start_point(), scene.steps,
        x_param=x_param, x_values=list(x_values), y_param=y_param, y_values=list(y_values),
        tolerance=tolerance, schedule=scene.schedule.core(),
        gradient=the_run.gradient(scene.gradient).core(), seed=scene.seed, **fixed,
    )


@st.cache_data(max_entries=16, show_spinner=False, hash_funcs=KEYS)
def basins(scene: Scene, resolution: int) -> optimizers.BasinsResult:
    the_run = scene.runs[0]
    return optimizers.basins(
        scene.landscape(), the_run.optimizer, scene.steps, resolution=resolution,
        schedule=scene.schedule.core(),
        gradient=the_run.gradient(scene.gradient).core(), seed=scene.seed,
        **the_run.kwargs(),
    )


def grid_values(hp, count: int, span: tuple[float, float] | None = None) -> tuple[float, ...]:
    """``count`` values from ``span`` (by default the slider range), log-spaced where the spec
    says."""
    low, high = span or hp.slider_range
    values = np.geomspace(low, high, count) if hp.log else np.linspace(low, high, count)
    if hp.integer:  # a count of steps: whole numbers, each once
        return tuple(float(v) for v in np.unique(np.round(values)))
    return tuple(float(f"{v:.4g}") for v in values)


PROBE_VALUES = 41
"""How many values of a log-scale hyperparameter the range probe tries over its slider range."""


@st.cache_data(max_entries=64, show_spinner=False, hash_funcs=KEYS)
def suggested_range(scene: Scene, name: str) -> tuple[float, float]:
    """A sweep axis for hyperparameter ``name`` that suits this run and surface.

    Linear hyperparameters (β1, momentum …) keep their slider range. A log-scale one is probed:
    the run is repeated at ``PROBE_VALUES`` values over the slider range, the others held, and
    the axis spans three decades up to the smallest value that diverged, so the edge of
    stability sits at the right of the heatmap instead of a block of diverged columns. With no
    divergence (or only divergence) in the probe, or settings the core refuses (the sweep then
    says why), the slider range is kept.
    """
    the_run = scene.runs[0]
    hp = OPTIMIZERS_BY_NAME[the_run.optimizer].hyperparameter(name)
    low, high = hp.slider_range
    other = next((p for p in sweepable(the_run.optimizer) if p != name), None)
    if not hp.log or other is None:
        return (low, high)
    try:
        probe = sweep(scene, name, grid_values(hp, PROBE_VALUES), other,
                      (the_run.kwargs()[other],), tolerance=1.0)
    except ValueError:  # settings the core refuses: the sweep itself says why
        return (low, high)
    diverged = probe.diverged_at[0] >= 0
    if diverged.all() or not diverged.any():
        return (low, high)
    edge = float(probe.x_values[np.argmax(diverged)])
    return (max(low, float(f"{edge / 1e3:.2g}")), edge)


@st.cache_data(max_entries=64, show_spinner=False, hash_funcs=KEYS)
def schedule_curve(schedule: Setting, the_run: RunConfig, surface: Setting, steps: int,
                   start: tuple[float, float] | None) -> np.ndarray:
    """The learning rate at every step of ``the_run`` under ``schedule``, as the engine sets it."""
    scene = Scene(surface, (the_run,), steps, start, schedule)
    return _simulate(scene, the_run, schedule).lr


@st.cache_data(max_entries=64, show_spinner=False, hash_funcs=KEYS)
def schedule_momentum(schedule: Setting, the_run: RunConfig, surface: Setting, steps: int,
                      start: tuple[float, float] | None = None) -> tuple[str, np.ndarray]:
    """The momentum or beta1 the schedule sets at every step of ``the_run`` (torch's
    cycle_momentum) and its name; ("", empty) when it leaves the optimizer's own."""
    scene = Scene(surface, (the_run,), steps, start, schedule)
    path = _simulate(scene, the_run, schedule)
    return path.momentum_name, path.momentum


def sweep_metric(scene: Scene, result: optimizers.SweepResult, metric: str):
    """What the heatmap colours: (values, title, log colour scale?)."""
    if metric == "final_loss":
        return result.final_loss - surface_view(scene.surface)["floor"], "f − f*", True
    steps = np.where(result.steps_to_tolerance < 0, np.nan, result.steps_to_tolerance)
    return steps, "steps to converge", False
