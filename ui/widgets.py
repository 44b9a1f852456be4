"""Controls shared by the pages. Every range, default and description comes from the specs.

Each control takes the current value from the page's config and a key; it returns the new
value. Inputs that can be wrong (typed numbers) are checked by the core's validators and the
message is shown right under the control, while the page falls back to the last good value.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable

import numpy as np
import pandas as pd  # here, not in a function: sessions importing it at once saw it half made
import streamlit as st

import landscapes
from optimizers.specs import (
    GRADIENT_SOURCES_BY_NAME,
    OPTIMIZERS_BY_NAME,
    SCHEDULES_BY_NAME,
    Hyperparameter,
)
from ui import state as S

MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:])")


def plain(text: str) -> str:
    """``text`` to show literally where Streamlit renders Markdown (alerts, captions): every
    character Markdown, LaTeX or a :shortcode: could read is backslash-escaped, so a typed
    ``__import__`` shows as typed, not as a bold "import"."""
    return MARKDOWN_SPECIALS.sub(r"\\\1", str(text))


def log_options(low: float, high: float, include: float | None = None,
                per_decade: int = 12) -> list[float]:
    """A log-spaced ladder from low to high, 2 significant digits, with ``include`` on it."""
    exponents = np.arange(math.log10(low), math.log10(high) + 1e-9, 1.0 / per_decade)
    values = {float(f"{10 ** e:.2g}") for e in exponents} | {float(low), float(high)}
    if include is not None:
        values.add(float(include))
    return sorted(values)


def fmt(value: float) -> str:
    return f"{value:g}"


def _float_step(low: float, high: float) -> float:
    return 10.0 ** math.floor(math.log10(max(high - low, 1e-9) / 1000.0))


def hyperparameter_input(hp: Hyperparameter, value: float, key: str, *,
                         label: str | None = None, disabled: bool = False) -> float:
    """One hyperparameter: a switch, a log-scale slider or a linear slider (spec ranges)."""
    label = label or hp.name
    help_text = f"{hp.description}. Allowed: {hp.allowed()}; torch's default: {hp.default:g}."
    if hp.boolean:
        return float(st.toggle(label, value=bool(value), key=key, help=help_text,
                               disabled=disabled))
    low, high = hp.slider_range
    if hp.log:
        options = log_options(low, high, include=value)
        return float(st.select_slider(label, options=options, value=float(value),
                                      format_func=fmt, key=key, help=help_text,
                                      disabled=disabled))
    low, high = min(low, value), max(high, value)
    return float(st.slider(label, float(low), float(high), float(value),
                           step=_float_step(low, high), format="%.4f" if high <= 1 else "%.2f",
                           key=key, help=help_text, disabled=disabled))


def run_editor(the_run: S.RunConfig, key: str, *, choose_optimizer: bool = True,
               lr_override: float | None = None, columns: int = 1) -> S.RunConfig:
    """An optimizer with its own hyperparameters (only the ones it takes, torch's defaults).

    With ``lr_override`` the run's own lr is kept but not shown: the page runs it at the shared
    rate, and switching back restores each run's own.
    """
    name = the_run.optimizer
    if choose_optimizer:
        names = list(OPTIMIZERS_BY_NAME)
        name = st.selectbox("optimizer", names, index=names.index(name), key=f"{key}.opt",
                            format_func=lambda n: OPTIMIZERS_BY_NAME[n].title)
    spec = OPTIMIZERS_BY_NAME[name]
    values = the_run.kwargs() if name == the_run.optimizer else dict(spec.defaults)
    cells = st.columns(columns) if columns > 1 else [st.container()]
    for i, hp in enumerate(spec.hyperparameters):
        with cells[i % len(cells)]:
            if hp.name == "lr" and lr_override is not None:
                st.caption(f"lr = {lr_override:g}, shared by all runs")
                continue
            values[hp.name] = hyperparameter_input(hp, values[hp.name], f"{key}.{name}.{hp.name}")
    problem = S.hyperparameter_problem(name, values)
    if problem:  # e.g. Nesterov needs momentum > 0 and no dampening: keep the last good run
        st.error(plain(problem))
        return the_run if the_run.optimizer == name else S.run(name)
    return S.run(name, **values)


def optimizer_runs(runs: tuple[S.RunConfig, ...], page) -> tuple[S.RunConfig, ...]:
    """Explore's runs: optimizers picked by name, each a run with its own hyperparameters.

    An optimizer may run more than once (Adam at two learning rates, as a teacher's link or a
    pasted Compare link asks): its runs sit together, each in its own card, and each card can
    add another run of its optimizer or remove itself.
    """
    from ui import page_state

    names = list(dict.fromkeys(r.optimizer for r in runs))
    chosen = st.multiselect(
        "optimizers", list(OPTIMIZERS_BY_NAME), default=names, max_selections=S.MAX_RUNS,
        key=page.key("optimizers"), format_func=lambda n: OPTIMIZERS_BY_NAME[n].title,
    )
    if not chosen:
        st.error(f"Pick at least one optimizer (up to {S.MAX_RUNS} runs). "
                 "Showing the previous choice.")
        chosen = names
    by_name = {name: [r for r in runs if r.optimizer == name] or [S.run(name)]
               for name in chosen}
    total = sum(len(copies) for copies in by_name.values())
    edited: list[S.RunConfig] = []
    for name, copies in by_name.items():
        title = OPTIMIZERS_BY_NAME[name].title
        for k, the_run in enumerate(copies, start=1):
            numbered = f"{title} #{k}" if len(copies) > 1 else title
            index = len(edited)
            with st.expander(f"{numbered}: hyperparameters"):
                key = page.key(f"run.{name}" if k == 1 else f"run.{name}.{k}")
                edited.append(run_editor(the_run, key, choose_optimizer=False))
                add, remove = st.columns(2)
                add.button(f"＋ another {title} run", key=f"{key}.add",
                           disabled=total >= S.MAX_RUNS,
                           help=f"Run {title} again, e.g. at another learning rate "
                                f"(up to {S.MAX_RUNS} runs in all).",
                           on_click=page_state.edit_runs, args=(page.page, index, "copy"))
                if len(copies) > 1:
                    remove.button("✕ remove this run", key=f"{key}.remove",
                                  on_click=page_state.edit_runs,
                                  args=(page.page, index, "remove"))
    return tuple(edited)


def _surface_title(name: str) -> str:
    if name in S.DATA_NAMES:
        return landscapes.data.KINDS[name].title
    return "Your own formula…" if name == S.CUSTOM else landscapes.get(name).title


def surface_picker(setting: S.Setting, key: str, *, custom: bool = False,
                   with_data: bool = False) -> S.Setting:
    """A surface and its parameters (e.g. the condition number); with ``custom``, also a
    surface typed as a formula; with ``with_data``, also a model's loss over a dataset."""
    names = (landscapes.names() + (list(S.DATA_NAMES) if with_data else [])
             + ([S.CUSTOM] if custom else []))
    name = st.selectbox("surface", names, index=names.index(setting.name), key=f"{key}.name",
                        format_func=_surface_title)
    if name == S.CUSTOM:
        return formula_input(setting, key)
    if name in S.DATA_NAMES:
        return data_input(setting if setting.name == name else S.data_setting(name), key)
    if not custom:
        st.caption("Typed formulas (your own surface) are on Explore and Compare.")
    surface = landscapes.get(name)
    values = setting.kwargs() if name == setting.name else surface.parameter_values
    for q in surface.parameters:
        help_text = f"{q.description}. Allowed: {q.low:g} to {q.high:g}; default {q.default:g}."
        if q.low > 0 and q.high / q.low >= 100:
            values[q.name] = float(st.select_slider(
                q.name, options=log_options(q.low, q.high, include=values[q.name], per_decade=6),
                value=float(values[q.name]), format_func=fmt, key=f"{key}.{name}.{q.name}",
                help=help_text))
        else:
            values[q.name] = float(st.slider(q.name, q.low, q.high, float(values[q.name]),
                                             key=f"{key}.{name}.{q.name}", help=help_text))
    return S.surface_setting(name, **values)


FORMULA_HELP = (
    "Type f(x, y) with numbers, x, y, + - * / and ^ or ** for powers, parentheses, the "
    "constants pi and e, and sin, cos, tan, exp, log, sqrt, abs, tanh. E.g. "
    "(1 - x)^2 + 100*(y - x^2)^2 or sin(x)*cos(y). Derivatives are exact."
)


def formula_input(setting: S.Setting, key: str) -> S.Setting:
    """A surface typed as a formula, and its plot window (suggested, editable).

    A bad formula or window shows the parser's message under its box, and the last good
    surface stays in use."""
    before = setting if setting.name == S.CUSTOM else S.custom_setting(S.DEFAULT_FORMULA)
    last = before.kwargs()
    text = st.text_input("f(x, y) =", value=last["formula"], key=f"{key}.formula",
                         help=FORMULA_HELP)
    try:
        suggested = S.custom_setting(text)
    except ValueError as error:
        st.error(plain(f"{error}. Showing f(x, y) = {last['formula']} until this is fixed."))
        suggested, text = before, last["formula"]
    window = last["window"] if text.strip() == last["formula"] else suggested.kwargs()["window"]
    cells = st.columns(2)
    digest = S.surface_key(suggested)
    typed = tuple(
        cells[i % 2].number_input(label, value=float(window[i]), format="%g",
                                  step=_input_step(float(window[i]) or 1.0),
                                  key=f"{key}.window.{digest}.{i}")
        for i, label in enumerate(("x min", "x max", "y min", "y max"))
    )
    try:
        return S.custom_setting(text, typed)
    except ValueError as error:
        st.error(plain(f"{error}. Using the window {suggested.kwargs()['window']} until this "
                       "is fixed."))
        return S.custom_setting(text, window)


def data_input(setting: S.Setting, key: str) -> S.Setting:
    """A data surface's dataset: how many examples, how noisy, and the seed that draws them."""
    values = setting.kwargs()
    (low, high), (_, noise_high) = (landscapes.data.SETTINGS_RANGE["size"],
                                    landscapes.data.SETTINGS_RANGE["noise"])
    size = st.number_input("examples (n)", min_value=low, max_value=high,
                           value=int(values["size"]), step=10, key=f"{key}.{setting.name}.size",
                           help=f"How many data points the loss averages over ({low} to {high}).")
    noise = st.slider("data noise", 0.0, noise_high, float(values["noise"]), step=0.05,
                      key=f"{key}.{setting.name}.noise",
                      help="How far the points scatter about the true model.")
    seed = st.number_input("data seed", min_value=0, max_value=2**31 - 1,
                           value=int(values["seed"]), step=1, key=f"{key}.{setting.name}.seed",
                           help="The dataset is drawn from this seed: same seed, same points.")
    return S.data_setting(setting.name, size=size, noise=noise, seed=seed)


def formula_card(surface: S.Setting) -> None:
    """A typed surface's formula and its gradient, in LaTeX."""
    if surface.name != S.CUSTOM:
        return
    shown = S.read_formula(surface.kwargs()["formula"])
    with st.container(border=True):
        left, right = st.columns([2, 3])
        with left:
            st.caption("Your surface")
            st.latex(shown.latex)
        with right:
            st.caption("Its gradient, differentiated exactly")
            for line in shown.gradient_latex:
                st.latex(line)


def surface_section(config, page, *, custom: bool = False, with_data: bool = False
                    ) -> tuple[S.Setting, int, tuple[float, float] | None]:
    """The sidebar's "Surface" block every page opens with: surface, steps and start point.

    The typed start is kept while the surface stays the same and reset when it changes.
    """
    st.subheader("Surface")
    surface = surface_picker(config.surface, page.key("surface"), custom=custom,
                             with_data=with_data)
    steps = steps_slider(config.steps, page.key("steps"))
    same_surface = S.surface_key(surface) == S.surface_key(config.surface)
    start = start_inputs(surface, config.start if same_surface else None, page.key("start"))
    return surface, steps, start


def steps_slider(value: int, key: str, label: str = "steps") -> int:
    low, high = S.STEPS_RANGE
    return int(st.slider(label, low, high, int(value), key=key,
                         help=f"Number of optimizer steps ({low} to {high})."))


def start_inputs(surface: S.Setting, start: tuple[float, float] | None, key: str
                 ) -> tuple[float, float] | None:
    """The start point, typed (or set by clicking the map). None means the surface's own."""
    default = S.landscape_of(surface).start
    x0, y0 = start if start is not None else default
    left, right = st.columns(2)
    surface_key = S.surface_key(surface)
    x = left.number_input("start x", value=float(x0), format="%.4f", step=0.1,
                          key=f"{key}.{surface_key}.x")
    y = right.number_input("start y", value=float(y0), format="%.4f", step=0.1,
                           key=f"{key}.{surface_key}.y")
    problem = S.start_problem(surface, (x, y))
    if problem:
        st.error(plain(problem + " The surface's own start is used until this is fixed."))
        return None
    return None if (x, y) == tuple(default) else (float(x), float(y))


def _parameter_inputs(kind: str, name: str, parameters, values: dict, key: str,
                      problem_of: Callable[[str, dict], str | None]) -> dict:
    """Typed inputs for a schedule's or gradient source's parameters, each checked by the core."""
    accepted = dict(values)
    for p in parameters:
        help_text = f"{p.description} ({kind} '{name}')."
        if p.name == "milestones":
            text = st.text_input("milestones", value=", ".join(str(m) for m in values[p.name]),
                                 key=f"{key}.{name}.milestones",
                                 help=help_text + " Steps separated by commas, e.g. 100, 200.")
            try:
                candidate = tuple(int(float(v)) for v in text.replace(";", ",").split(",")
                                  if v.strip())
                problem = problem_of(name, {**accepted, "milestones": candidate})
            except ValueError:
                problem = f"Invalid milestones: {text!r} (allowed: step numbers, e.g. 100, 200)"
        elif p.integer:
            candidate = st.number_input(p.name, value=int(values[p.name]), step=1,
                                        key=f"{key}.{name}.{p.name}", help=help_text)
            problem = problem_of(name, {**accepted, p.name: candidate})
        else:
            candidate = st.number_input(p.name, value=float(values[p.name]), format="%g",
                                        step=_input_step(float(values[p.name])),
                                        key=f"{key}.{name}.{p.name}", help=help_text)
            problem = problem_of(name, {**accepted, p.name: candidate})
        if problem:
            st.error(plain(f"{problem}. Using {S._fmt(values[p.name])} until this is fixed."))
        else:
            accepted[p.name] = (candidate if isinstance(candidate, tuple)
                                else float(candidate))
    return accepted


def _input_step(value: float) -> float:
    if value == 0:
        return 0.01
    return 10.0 ** (math.floor(math.log10(abs(value))) - 1)


def schedule_picker(setting: S.Setting, key: str, *, choose: bool = True,
                    surface: S.Setting | None = None,
                    gradient: S.Setting | None = None) -> S.Setting:
    """A learning-rate schedule and its parameters (torch's names). On a data ``surface`` it
    can also be counted in epochs (passes over the data, of ``gradient``'s batches) instead of
    steps; elsewhere it is counted in steps."""
    name = setting.name
    if choose:
        names = list(SCHEDULES_BY_NAME)
        name = st.selectbox("schedule", names, index=names.index(name), key=f"{key}.name",
                            format_func=lambda n: SCHEDULES_BY_NAME[n].title,
                            help="How the learning rate changes with the step.")
    spec = SCHEDULES_BY_NAME[name]
    values = setting.kwargs() if name == setting.name else S.schedule_defaults(name)
    values = _parameter_inputs("schedule", name, spec.parameters, values, key,
                               S.schedule_problem)
    chosen = S.schedule_setting(name, **values)
    counted = "step"
    if surface is not None and S.is_data(surface) and name != "constant":
        counted = interval_input(chosen, surface, gradient or S.gradient_setting("analytic"),
                                 f"{key}.interval")
    return S.counted_in(chosen, counted)


INTERVAL_WORDS = {"step": "steps", "epoch": "epochs"}


def interval_input(schedule: S.Setting, surface: S.Setting, gradient: S.Setting,
                   key: str) -> str:
    """Count a schedule's step_size, T_max, milestones … in optimizer steps or in epochs."""
    n, per_epoch = S.data_size(surface), S.steps_per_epoch(surface, gradient)
    batches = (f"{per_epoch} mini-batches of {int(gradient.kwargs()['batch_size'])}"
               if per_epoch > 1 else "one full batch")
    interval = st.radio(
        "count the schedule in", list(INTERVAL_WORDS), format_func=INTERVAL_WORDS.get,
        index=1 if S.in_epochs(schedule) else 0, horizontal=True, key=key,
        help=f"An epoch is one pass over the data: all {n} examples, here {batches} (the "
             f"current batch size). Counted in epochs, step_size, T_max, milestones … are "
             f"epochs and the rate changes once an epoch, as when torch's scheduler.step() "
             f"follows the loop over a DataLoader.")
    if interval == "epoch":
        st.caption(f"1 epoch = {per_epoch} step{'s' if per_epoch > 1 else ''}: "
                   f"{n} examples in {batches}")
    return interval


def gradient_picker(setting: S.Setting, seed: int, key: str,
                    surface: S.Setting | None = None) -> tuple[S.Setting, int]:
    """Where gradients come from: exact, finite differences (h), noisy (noise, batch, seed)
    or, on a data surface, real mini-batches (batch size, seed)."""
    names = S.gradient_choices(surface) if surface is not None else [
        n for n, spec in GRADIENT_SOURCES_BY_NAME.items() if not spec.data_only]
    if setting.name not in names:
        setting = S.gradient_setting("analytic")
    name = st.selectbox("gradient source", names, index=names.index(setting.name),
                        key=f"{key}.name", format_func=lambda n: GRADIENT_SOURCES_BY_NAME[n].title,
                        help="; ".join(GRADIENT_SOURCES_BY_NAME[n].summary for n in names))
    spec = GRADIENT_SOURCES_BY_NAME[name]
    values = setting.kwargs() if name == setting.name else S.gradient_defaults(name)
    values = _parameter_inputs("gradient source", name, spec.parameters, values, key,
                               S.gradient_problem)
    if name in ("noisy", "minibatch"):
        seed = seed_input(seed, f"{key}.seed", "The noise (or the order of the batches) is drawn "
                                               "from this seed: same seed, same run.")
    return S.gradient_setting(name, **values), seed


def seed_input(value: int, key: str, help_text: str) -> int:
    """A seed of the noise or of the batches' order (a bad one keeps ``value``)."""
    typed = st.number_input("seed", value=int(value), step=1, key=key, help=help_text)
    problem = S.int_problem("seed", typed, *S.SEED_RANGE)
    if problem:
        st.error(plain(problem))
        return value
    return int(typed)


def batch_size_input(value: int | None, surface: S.Setting, key: str) -> int | None:
    """One run's mini-batch size on a data surface of n examples: 1 is stochastic gradient
    descent, n (the default, kept as None) is full-batch descent with the exact gradient."""
    n = S.data_size(surface)
    shown = n if value is None else min(value, n)  # a smaller dataset makes a batch a full one
    typed = st.number_input(
        "batch size", value=shown, step=1, key=f"{key}.batch_size.{n}",
        help=f"Examples per step, dealt out like a shuffled data loader: 1 is stochastic "
             f"gradient descent, {n} (every example) is full-batch descent.")
    problem = S.batch_problem(typed, surface)
    if problem:
        st.error(plain(f"{problem}. Using {shown} until this is fixed."))
        return S.batch_or_full(shown, surface)
    batch = S.batch_or_full(typed, surface)
    st.caption("full batch: the exact gradient" if batch is None
               else f"{-(-n // batch)} mini-batches per epoch")
    return batch


def seeds_input(value: int, key: str) -> int:
    """How many seeds of each run to draw at once, as a band of thin paths."""
    low, high = S.SEEDS_RANGE
    return int(st.number_input(
        "seeds drawn", min_value=low, max_value=high, value=int(value), step=1, key=key,
        help=f"Also run each optimizer with the next seeds ({low} to {high} in all), drawn as "
             "thin lines in its colour, so the spread of the noise shows."))


def problems_note(problems: list[str]) -> None:
    """The warning a tampered or stale link shows: which fields were ignored, and why."""
    if problems:
        lines = "\n".join(f"- {plain(p)}" for p in problems)
        st.warning(f"**Some settings in this link could not be used and were ignored** "
                   f"(the defaults are shown instead):\n{lines}", icon="⚠️")


CHART_KEY = "chart"
"""Prefix of the static charts' keys: Streamlit gives each keyed element the CSS class
``st-key-<key>``, by which a browser test tells a chart's frame from a map's."""


def chart(figure: dict | str, key: str, *, height: int | None = None) -> None:
    """A figure that only needs showing (no selection events), drawn by the player: a figure
    dict, or the JSON of one (a cached figure) with its ``height``.

    ``st.plotly_chart`` validates the whole figure with plotly.py on every rerun, which was
    most of a cached rerun's time (Explore: ~150 ms); the player takes the JSON as it is.
    """
    from ui import compute, player

    if isinstance(figure, dict):
        figure, height = compute.to_json(figure), int(figure["layout"]["height"])
    player.chart(figure, height=height, key=f"{CHART_KEY}.{key}")


def animated_map(scene, page, *, only: tuple[str, ...] = ()) -> list[dict] | None:
    """The scene's animated map (a click starts every run there) with its step curves beside
    it, under a typed surface's formula. A data surface's figure carries the data beside the
    map: it takes the page's width and the curves go below it, side by side. Returns the runs
    as the figure builders take them, or None when the core refuses the settings (its message
    is shown instead)."""
    import figures
    from ui import compute, page_state, player

    try:
        height = figures.map_height(scene.landscape().bounds)
        figure_json = compute.animated_figure(scene, height)
        runs_data = compute.run_payloads(scene)
    except ValueError as error:
        st.error(plain(f"These settings cannot be run: {error}"))
        return None
    view = compute.surface_view(scene.surface)
    formula_card(scene.surface)
    wide = view["data"] is not None
    left, right = (st.container(), st.container()) if wide else st.columns([3, 2], gap="medium")
    with left:
        map_key = page.key("map")
        player.chart(figure_json, height=height, key=map_key, clickable=True,
                              on_click=functools.partial(page_state.start_from_click,
                                                         page.page, map_key))
    with right:
        step_charts(runs_data, view, page.key("curves"), stacked=not wide, only=only,
                    schedule=scene.schedule)
    return runs_data


def step_charts(runs_data: list[dict], view: dict, key: str, *, stacked: bool = False,
                only: tuple[str, ...] = (), schedule: S.Setting | None = None) -> None:
    """Loss over all the data (log, above f* where f* is known; faint beside it, each
    mini-batch's own loss), learning rate (under ``schedule``, named in its title) and gradient
    norm against the step: side by side, or ``stacked`` in a column beside a map."""
    import figures

    bounded = view["bounded"]
    batched = any(run.get("batch_gap") is not None for run in runs_data)
    scheduled = schedule is not None and schedule.name != "constant"
    curves = (  # key, title, y title, log axis, the faint companion's key
        ("gap", "Loss (faint: each batch's own)" if batched else "Loss",
         "f − f*" if bounded else "f", bounded, "batch_gap"),
        ("lr", f"Learning rate: {S.schedule_label(schedule).lower()}" if scheduled
         else "Learning rate", "lr", True, None),
        ("grad_norm", "Gradient norm", "‖∇f‖", True, None),
    )
    if only:
        curves = tuple(c for c in curves if c[0] in only)
    places = [st.container() for _ in curves] if stacked else st.columns(len(curves))
    height = 250 if stacked and len(curves) > 2 else 320  # three stacked fit beside the map
    for place, (name, title, y_title, log_y, faint) in zip(places, curves, strict=True):
        with place:
            chart(figures.step_curves(runs_data, name, title=title, y_title=y_title,
                                      log_y=log_y, height=height, faint=faint,
                                      faint_name="batch loss"),
                  key=f"{key}.{name}")


def run_summary(runs_data: list[dict]) -> None:
    """How each run ended, and what it cost in evaluations of f, ∇f and the Hessian (on a data
    surface each is a pass over the data, except that ∇f counts mini-batch gradients under
    mini-batches; "example gradients" counts the examples whose gradient was taken)."""
    rows = []
    for run in runs_data:
        ev = run["evaluations"]
        rows.append({
            "run": run["name"],
            "steps taken": int(run["lr"].shape[0]),
            "final loss": float(run["loss"][-1]),
            "final point": f"({run['xy'][-1, 0]:.4f}, {run['xy'][-1, 1]:.4f})",
            "outcome": run["outcome"].text,
            "f evaluations": ev.function,
            "∇f evaluations": ev.gradient,
            "Hessian evaluations": ev.hessian,
        })
        if any(r["evaluations"].examples for r in runs_data):  # a data surface
            rows[-1]["example gradients"] = ev.examples
    colored_table(rows, [run["color"] for run in runs_data])


def colored_table(rows: list[dict], colors: list[str], column: str | None = None) -> None:
    """A table whose run column is written in each run's colour, darkened where needed to be
    readable on white (``figures.text_color``: WCAG AA contrast)."""
    import figures

    frame = pd.DataFrame(rows)
    first = column or frame.columns[0]
    shades = [figures.text_color(c) for c in colors]
    styled = frame.style.apply(
        lambda column: [f"color: {c}; font-weight: 700" for c in shades], subset=[first]
    ).format(precision=4, thousands="", subset=frame.select_dtypes("float").columns)
    st.dataframe(styled, hide_index=True, width="stretch")


def downloads(scene, name: str) -> None:
    """CSV of every trajectory, and the animation as a standalone HTML page that plays offline."""
    from ui import compute

    left, right, _ = st.columns([1, 1, 3])
    left.download_button(
        "⬇ Trajectories (CSV)", data=lambda: compute.trajectories_csv(scene),
        file_name=f"descent-lab-{name}.csv", mime="text/csv", on_click="ignore",
        key=f"{name}.csv",
    )
    right.download_button(
        "⬇ Animation (HTML, plays offline)", data=lambda: compute.animated_html(scene),
        file_name=f"descent-lab-{name}.html", mime="text/html", on_click="ignore",
        key=f"{name}.html",
    )


def tolerance_input(value: float, key: str) -> float:
    """The tolerance that counts as converged: loss within it of the global minimum value."""
    low, high = S.TOLERANCE_RANGE
    typed = st.number_input("tolerance", value=float(value), format="%g", step=value / 10,
                            key=key, help="A run has converged at the first step whose loss is "
                            f"within this of the global minimum value ({low:g} to {high:g}).")
    if not (low <= typed <= high):
        st.error(f"Invalid tolerance: {typed!r} (allowed: {low:g} <= tolerance <= {high:g}). "
                 f"Using {value:g}.")
        return value
    return float(typed)


def ranking_input(value: str, key: str) -> str:
    """How the leaderboard orders the runs (one of ``figures.RANKINGS``)."""
    import figures

    names = list(figures.RANKINGS)
    return st.selectbox(
        "rank the leaderboard by", names, index=names.index(value), key=key,
        help=" ".join(f"{name}: {ranking.description}"
                      for name, ranking in figures.RANKINGS.items())
             + " Diverged runs always come last.")


def run_heading(index: int, text: str | None = None) -> None:
    """A heading in run ``index``'s colour, so controls match their path and curve: the dot in
    the line's colour, the words in a shade of it readable on white (the yellow is not)."""
    import figures

    color = figures.run_color(index)
    st.markdown(f"<span style='font-weight:700;font-size:1.15rem'>"
                f"<span style='color:{color}'>●</span> "
                f"<span style='color:{figures.text_color(color)}'>"
                f"{text or f'Run {index + 1}'}</span></span>", unsafe_allow_html=True)


def leaderboard(runs_data: list[dict], landscape, tolerance: float,
                rank_by: str = "steps to tolerance") -> None:
    """Final loss, distance to the nearest minimum, steps to tolerance and how each run ended,
    best first by ``rank_by`` (a name in ``figures.RANKINGS``; diverged runs last)."""
    import figures

    minima = [(p.x, p.y) for p in landscape.points if "minimum" in p.kind]
    rows = figures.leaderboard(runs_data, minima, landscape.minimum_value, tolerance,
                               rank_by=rank_by)
    colors = [row.pop("text_color") for row in rows]
    for row in rows:
        row.pop("color")
    table = [{"#": row.pop("rank"), **row} for row in rows]
    for row in table:
        steps, distance = row["steps to tolerance"], row["distance to nearest minimum"]
        row["final loss"] = f"{row['final loss']:.4g}"
        row["distance to nearest minimum"] = "no minimum" if distance is None else f"{distance:.3g}"
        row["steps to tolerance"] = "never" if steps is None else str(steps)
    colored_table(table, colors, column="run")


def cell_picker(chart_key: str, x_key: str, y_key: str):
    """A selection callback for the sweep heatmap: the clicked cell fills the two pickers and
    asks ``open_cell_in_explore`` to open it."""

    def picked() -> None:
        state = st.session_state.get(chart_key)
        points = (state or {}).get("selection", {}).get("points", [])
        cells = [p.get("customdata") for p in points if p.get("customdata") is not None]
        if cells:
            i, j = cells[0][:2]
            st.session_state[x_key] = int(i)
            st.session_state[y_key] = int(j)
            st.session_state[f"{x_key}.clicked"] = True

    return picked


def open_cell_in_explore(scene, x_param: str, xs, y_param: str, ys, x_key: str,
                         y_key: str) -> None:
    """Open a cell's run in Explore: at once when the cell was clicked, or with these pickers
    and the button (from the keyboard)."""
    st.session_state.setdefault(x_key, 0)
    st.session_state.setdefault(y_key, 0)
    st.session_state[x_key] = min(st.session_state[x_key], len(xs) - 1)
    st.session_state[y_key] = min(st.session_state[y_key], len(ys) - 1)
    clicked = st.session_state.pop(f"{x_key}.clicked", False)
    left, middle, right = st.columns([2, 2, 2], vertical_alignment="bottom")
    i = left.selectbox(f"cell: {x_param}", range(len(xs)), format_func=lambda k: fmt(xs[k]),
                       key=x_key)
    j = middle.selectbox(f"cell: {y_param}", range(len(ys)), format_func=lambda k: fmt(ys[k]),
                         key=y_key)
    the_run = scene.runs[0].with_values(**{x_param: xs[i], y_param: ys[j]})
    problem = S.hyperparameter_problem(the_run.optimizer, the_run.kwargs())
    if problem:
        middle.error(plain(problem))
        return
    pressed = right.button(f"Open {x_param}={fmt(xs[i])}, {y_param}={fmt(ys[j])} in Explore",
                           type="primary", key=f"{x_key}.open")
    if clicked or pressed:
        st.switch_page("pages/explore.py",
                       query_params=S.explore_link(scene.surface, the_run, scene.steps,
                                                   scene.start))


def sweep_range_input(optimizer: str, name: str, span: tuple[float, float] | None,
                      suggested: tuple[float, float], key: str, axis: str
                      ) -> tuple[float, float] | None:
    """The values a sweep axis covers: a two-handled slider over the hyperparameter's range,
    at ``span`` or else the ``suggested`` range. Returns None while it shows the suggestion
    (which follows the run and surface), else the chosen range."""
    hp = OPTIMIZERS_BY_NAME[optimizer].hyperparameter(name)
    low, high = hp.slider_range
    current = span or suggested
    help_text = (f"The {name} values along the heatmap's {axis} axis. Suggested for this run "
                 f"and surface: {fmt(suggested[0])} to {fmt(suggested[1])}"
                 + (" (up to where a quick probe of the run diverged)." if hp.log else "."))
    label = f"{axis} range: {name}"
    widget_key = f"{key}.{optimizer}.{name}.{suggested[0]:g}.{suggested[1]:g}"
    if hp.log:
        options = sorted(set(log_options(min(low, current[0]), max(high, current[1])))
                         | {*current, *suggested})
        chosen = st.select_slider(label, options=options, value=current, format_func=fmt,
                                  key=widget_key, help=help_text)
    else:
        chosen = st.slider(label, float(min(low, current[0])), float(max(high, current[1])),
                           (float(current[0]), float(current[1])),
                           step=_float_step(low, high), key=widget_key, help=help_text)
    chosen = (float(chosen[0]), float(chosen[1]))
    problem = S.sweep_range_problem(optimizer, name, chosen)
    if problem:
        st.error(plain(f"{problem}. Using {fmt(current[0])} to {fmt(current[1])}."))
        return span
    return None if chosen == tuple(suggested) else chosen


def basins_section(scene, resolution: int) -> None:
    """Each start point coloured by the minimum it reaches (surfaces with several minima)."""
    import figures
    from ui import compute

    landscape = scene.landscape()
    minima = [(p.x, p.y, p.kind) for p in landscape.points if "minimum" in p.kind]
    if len(minima) < 2:
        st.info(f"{landscape.title} has a single minimum, so every run that converges ends in "
                "the same place. Pick a surface with several minima (Himmelblau, Rastrigin, "
                "six-hump camel, Styblinski–Tang …) to see basins.")
        return
    try:
        with st.spinner(f"Running {resolution * resolution} runs, one from each start point…"):
            result = compute.basins(scene, resolution)
    except ValueError as error:
        st.error(plain(f"The basins cannot be computed: {error}"))
        return
    chart(figures.basins_map(result.xs, result.ys, result.minimum,
                              [(p.x, p.y, p.kind) for p in result.minima],
                              bounds=landscape.bounds), key="basins")
    st.caption(f"{scene.runs[0].label()}, {scene.steps} steps from each of "
               f"{resolution}×{resolution} start points; a run counts as reaching a minimum when "
               f"it ends within {result.radius:.3g} of it.")
