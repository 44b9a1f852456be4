"""The pages' inputs: each offers one value (a hyperparameter, a surface, a schedule, a seed …)
with the range, default and description its spec gives.

Each input takes the current value from the page's config and a key; it returns the new
value. Inputs that can be wrong (typed numbers) are checked by the core's validators and the
message is shown right under the input, while the page falls back to the last good value.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable

import numpy as np
import streamlit as st

import figures
import landscapes
from landscapes.parameters import Parameter
from optimizers.schedules import PARTS
from optimizers.specs import (
    GRADIENT_SOURCES_BY_NAME,
    OPTIMIZERS_BY_NAME,
    SCHEDULES_BY_NAME,
)
from ui import configs, page_state, settings

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


def hyperparameter_input(hp: Parameter, value: float, key: str, *,
                         label: str | None = None, disabled: bool = False) -> float:
    """One hyperparameter: a switch, a log-scale slider, an integer slider or a linear slider
    (spec ranges)."""
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
    if hp.integer:  # a count of steps
        return float(st.slider(label, int(low), int(high), int(value), step=1, key=key,
                               help=help_text, disabled=disabled))
    return float(st.slider(label, float(low), float(high), float(value),
                           step=_float_step(low, high), format="%.4f" if high <= 1 else "%.2f",
                           key=key, help=help_text, disabled=disabled))


def card(label: str, key: str):
    """An expander that draws its content only while open (``st.expander`` with
    ``on_change="rerun"``; its ``.open`` says whether): a closed card costs a rerun none of
    its inputs. Streamlit ties an expander's state to its label, so a card whose label
    changes ("Adam" becoming "Adam #1") is keyed anew and opened if it was open."""
    ss = st.session_state
    keyed = f"{key}.{hashlib.blake2b(label.encode(), digest_size=4).hexdigest()}"
    before = ss.get(f"_{key}.keyed")
    if before not in (None, keyed) and ss.get(before):
        ss[keyed] = True
    ss[f"_{key}.keyed"] = keyed
    return st.expander(label, on_change="rerun", key=keyed)


def run_editor(the_run: settings.RunConfig, key: str, *, choose_optimizer: bool = True,
               lr_override: float | None = None, columns: int = 1) -> settings.RunConfig:
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
    problem = settings.hyperparameter_problem(name, values)
    if problem:  # e.g. Nesterov needs momentum > 0 and no dampening: keep the last good run
        st.error(plain(problem))
        return the_run if the_run.optimizer == name else settings.run(name)
    return settings.run(name, **values)


def optimizer_runs(runs: tuple[settings.RunConfig, ...], page) -> tuple[settings.RunConfig, ...]:
    """Explore's runs: optimizers picked by name, each a run with its own hyperparameters.

    An optimizer may run more than once (Adam at two learning rates, as a teacher's link or a
    pasted Compare link asks): its runs sit together, each in its own card, and each card can
    add another run of its optimizer or remove itself.
    """
    names = list(dict.fromkeys(r.optimizer for r in runs))
    chosen = st.multiselect(
        "optimizers", list(OPTIMIZERS_BY_NAME), default=names, max_selections=configs.MAX_RUNS,
        key=page.key("optimizers"), format_func=lambda n: OPTIMIZERS_BY_NAME[n].title,
    )
    if not chosen:
        st.error(f"Pick at least one optimizer (up to {configs.MAX_RUNS} runs). "
                 "Showing the previous choice.")
        chosen = names
    by_name = {name: [r for r in runs if r.optimizer == name] or [settings.run(name)]
               for name in chosen}
    total = sum(len(copies) for copies in by_name.values())
    edited: list[settings.RunConfig] = []
    for name, copies in by_name.items():
        title = OPTIMIZERS_BY_NAME[name].title
        for k, the_run in enumerate(copies, start=1):
            numbered = f"{title} #{k}" if len(copies) > 1 else title
            index = len(edited)
            # its key outlives a new link, so a card stays open when the runs are re-keyed
            box = card(f"{numbered}: hyperparameters", f"{page.page}.card.{name}.{k}")
            with box:
                if not box.open:
                    edited.append(the_run)
                    continue
                key = page.key(f"run.{name}" if k == 1 else f"run.{name}.{k}")
                edited.append(run_editor(the_run, key, choose_optimizer=False))
                add, remove = st.columns(2)
                add.button(f"＋ another {title} run", key=f"{key}.add",
                           disabled=total >= configs.MAX_RUNS,
                           help=f"Run {title} again, e.g. at another learning rate "
                                f"(up to {configs.MAX_RUNS} runs in all).",
                           on_click=page_state.edit_runs, args=(page.page, index, "copy"))
                if len(copies) > 1:
                    remove.button("✕ remove this run", key=f"{key}.remove",
                                  on_click=page_state.edit_runs,
                                  args=(page.page, index, "remove"))
    return tuple(edited)


def _surface_title(name: str) -> str:
    if name in settings.DATA_NAMES:
        return landscapes.data.KINDS[name].title
    return "Your own formula…" if name == settings.CUSTOM else landscapes.get(name).title


def surface_picker(setting: settings.Setting, key: str, *, custom: bool = False,
                   with_data: bool = False) -> settings.Setting:
    """A surface and its parameters (e.g. the condition number); with ``custom``, also a
    surface typed as a formula; with ``with_data``, also a model's loss over a dataset."""
    names = (landscapes.names() + (list(settings.DATA_NAMES) if with_data else [])
             + ([settings.CUSTOM] if custom else []))
    name = st.selectbox("surface", names, index=names.index(setting.name), key=f"{key}.name",
                        format_func=_surface_title)
    if name == settings.CUSTOM:
        return formula_input(setting, key)
    if name in settings.DATA_NAMES:
        return data_input(setting if setting.name == name else settings.data_setting(name), key)
    if not custom:
        st.caption("Typed formulas (your own surface) are on Explore and Compare.")
    surface = landscapes.get(name)
    values = setting.kwargs() if name == setting.name else surface.parameter_values
    for q in surface.parameters:
        help_text = f"{q.description}. Allowed: {q.low:g} to {q.high:g}; default {q.default:g}."
        if q.log:
            values[q.name] = float(st.select_slider(
                q.name, options=log_options(q.low, q.high, include=values[q.name], per_decade=6),
                value=float(values[q.name]), format_func=fmt, key=f"{key}.{name}.{q.name}",
                help=help_text))
        else:
            values[q.name] = float(st.slider(q.name, q.low, q.high, float(values[q.name]),
                                             key=f"{key}.{name}.{q.name}", help=help_text))
    return settings.surface_setting(name, **values)


FORMULA_HELP = (
    "Type f(x, y) with numbers, x, y, + - * / and ^ or ** for powers, parentheses, the "
    "constants pi and e, and sin, cos, tan, exp, log, sqrt, abs, tanh. E.g. "
    "(1 - x)^2 + 100*(y - x^2)^2 or sin(x)*cos(y). Derivatives are exact."
)


def formula_input(setting: settings.Setting, key: str) -> settings.Setting:
    """A surface typed as a formula, and its plot window (suggested, editable).

    A bad formula or window shows the parser's message under its box, and the last good
    surface stays in use."""
    before = (setting if setting.name == settings.CUSTOM
              else settings.custom_setting(settings.DEFAULT_FORMULA))
    last = before.kwargs()
    text = st.text_input("f(x, y) =", value=last["formula"], key=f"{key}.formula",
                         help=FORMULA_HELP)
    try:
        suggested = settings.custom_setting(text)
    except ValueError as error:
        st.error(plain(f"{error}. Showing f(x, y) = {last['formula']} until this is fixed."))
        suggested, text = before, last["formula"]
    window = last["window"] if text.strip() == last["formula"] else suggested.kwargs()["window"]
    cells = st.columns(2)
    digest = settings.surface_key(suggested)
    typed = tuple(
        cells[i % 2].number_input(label, value=float(window[i]), format="%g",
                                  step=_input_step(float(window[i]) or 1.0),
                                  key=f"{key}.window.{digest}.{i}")
        for i, label in enumerate(("x min", "x max", "y min", "y max"))
    )
    try:
        return settings.custom_setting(text, typed)
    except ValueError as error:
        st.error(plain(f"{error}. Using the window {suggested.kwargs()['window']} until this "
                       "is fixed."))
        return settings.custom_setting(text, window)


def data_input(setting: settings.Setting, key: str) -> settings.Setting:
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
    return settings.data_setting(setting.name, size=size, noise=noise, seed=seed)


def steps_slider(value: int, key: str, label: str = "steps") -> int:
    low, high = configs.STEPS_RANGE
    return int(st.slider(label, low, high, int(value), key=key,
                         help=f"Number of optimizer steps ({low} to {high})."))


def start_inputs(surface: settings.Setting, start: tuple[float, float] | None, key: str
                 ) -> tuple[float, float] | None:
    """The start point, typed (or set by clicking the map). None means the surface's own."""
    default = settings.landscape_of(surface).start
    x0, y0 = start if start is not None else default
    left, right = st.columns(2)
    surface_key = settings.surface_key(surface)
    x = left.number_input("start x", value=float(x0), format="%.4f", step=0.1,
                          key=f"{key}.{surface_key}.x")
    y = right.number_input("start y", value=float(y0), format="%.4f", step=0.1,
                           key=f"{key}.{surface_key}.y")
    problem = settings.start_problem(surface, (x, y))
    if problem:
        st.error(plain(problem + " The surface's own start is used until this is fixed."))
        return None
    return None if (x, y) == tuple(default) else (float(x), float(y))


def _list_text(value) -> str:
    return ", ".join(str(int(v)) for v in value)


def parameter_input(p: Parameter, value, key: str, help_text: str):
    """A typed input for one parameter, by its kind: a list as whole numbers separated by
    commas (text that is not one is returned as typed, for the core's check to name), a choice
    from its choices, a formula in t typed as text, a switch, an integer or a number. Returns
    the value in the kind's type."""
    if p.kind == "list":
        text = st.text_input(p.name, value=_list_text(value), key=key,
                             help=f"{help_text} Whole numbers separated by commas, e.g. "
                                  f"{_list_text(p.default) or '100, 200'}.")
        try:
            return tuple(int(v) for v in text.replace(";", ",").split(",") if v.strip())
        except ValueError:
            return text
    if p.kind == "choice":
        return st.selectbox(p.name, p.choices, index=p.choices.index(value), key=key,
                            help=help_text)
    if p.kind == "text":
        return st.text_input(p.name, value=value, key=key,
                             help=f"{help_text} Numbers, t, pi, e, + - * / ^ and sin, cos, tan, "
                                  "exp, log, sqrt, abs, tanh.")
    if p.kind == "bool":
        return float(st.checkbox(p.name, value=bool(value), key=key, help=help_text))
    if p.kind == "int":
        return float(st.number_input(p.name, value=int(value), step=1, key=key, help=help_text))
    return float(st.number_input(p.name, value=float(value), format="%g",
                                 step=_input_step(float(value)), key=key, help=help_text))


def _parameter_inputs(kind: str, name: str, parameters, values: dict, key: str,
                      problem_of: Callable[[str, dict], str | None]) -> dict:
    """Typed inputs for a schedule's or gradient source's parameters, each checked by the core
    together with the ones before it; a refused one keeps its last good value."""
    accepted = dict(values)
    for p in parameters:
        candidate = parameter_input(p, values[p.name], f"{key}.{name}.{p.name}",
                                    f"{p.description} ({kind} '{name}').")
        problem = problem_of(name, {**accepted, p.name: candidate})
        if problem:
            shown = (_list_text(values[p.name]) if p.kind == "list" else
                     values[p.name] if p.kind in ("choice", "text") else fmt(values[p.name]))
            st.error(plain(f"{problem}. Using {shown} until this is fixed."))
        else:
            accepted[p.name] = candidate
    return accepted


def _input_step(value: float) -> float:
    if value == 0:
        return 0.01
    return 10.0 ** (math.floor(math.log10(abs(value))) - 1)


def schedule_picker(setting: settings.Setting, key: str, *, choose: bool = True,
                    surface: settings.Setting | None = None,
                    gradient: settings.Setting | None = None) -> settings.Setting:
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
    values = setting.kwargs() if name == setting.name else settings.schedule_defaults(name)
    own_key = key
    if spec.composite:
        values = parts_inputs(name, values, key)
        own_key = f"{key}.{len(values['schedulers'])}"  # fresh milestones when parts change
    values = _parameter_inputs("schedule", name, spec.parameters, values, own_key,
                               settings.schedule_problem)
    chosen = settings.schedule_setting(name, **values)
    counted = "step"
    if surface is not None and settings.is_data(surface) and name != "constant":
        counted = interval_input(chosen, surface, gradient or settings.gradient_setting("analytic"),
                                 f"{key}.interval")
    return settings.counted_in(chosen, counted)


MAX_PARTS_OFFERED = 4
"""The most schedules the pages offer in a sequential or chained one (the core takes 8)."""


def parts_inputs(name: str, values: dict, key: str) -> dict:
    """The parts of a sequential or chained schedule: how many, then each one picked from the
    schedules that can be parts, with its own parameters; for a sequential one, milestones
    spread evenly when the count changes."""
    parts = list(values["schedulers"])
    sequential = name == "sequential"
    count = int(st.number_input(
        "schedules in it", min_value=2 if sequential else 1, max_value=MAX_PARTS_OFFERED,
        value=min(max(len(parts), 2 if sequential else 1), MAX_PARTS_OFFERED), step=1,
        key=f"{key}.{name}.count",
        help="SequentialLR runs them one after another, switching at the milestones; "
             "ChainedScheduler steps all of them at every step, each on the rate the one "
             "before it left."))
    chosen = []
    for i in range(count):
        part = parts[i] if i < len(parts) else settings.part_setting("constant")
        with st.container(border=True):
            part_name = st.selectbox(
                f"{'then' if sequential and i else 'schedule'} {i + 1}", PARTS,
                index=PARTS.index(part.name), key=f"{key}.{name}.part{i}.name",
                format_func=lambda n: SCHEDULES_BY_NAME[n].title)
            part_values = (part.kwargs() if part_name == part.name
                           else settings.part_defaults(part_name))
            part_values = _parameter_inputs(
                "schedule", part_name, SCHEDULES_BY_NAME[part_name].parameters, part_values,
                f"{key}.{name}.part{i}", settings.schedule_problem)
            chosen.append(settings.part_setting(part_name, **part_values))
    values = {**values, "schedulers": tuple(chosen)}
    if sequential and len(values["milestones"]) != count - 1:
        values["milestones"] = evenly_spread_milestones(values["milestones"], count)
    return values


def evenly_spread_milestones(milestones: tuple[int, ...], count: int) -> tuple[int, ...]:
    """Milestones for ``count`` schedules: the first ones kept, then one every 100 steps."""
    kept = list(milestones[:count - 1])
    while len(kept) < count - 1:
        kept.append((kept[-1] if kept else 0) + 100)
    return tuple(kept)


INTERVAL_WORDS = {"step": "steps", "epoch": "epochs"}


def interval_input(schedule: settings.Setting, surface: settings.Setting,
                   gradient: settings.Setting, key: str) -> str:
    """Count a schedule's step_size, T_max, milestones … in optimizer steps or in epochs."""
    n, per_epoch = settings.data_size(surface), settings.steps_per_epoch(surface, gradient)
    batches = (f"{per_epoch} mini-batches of {int(gradient.kwargs()['batch_size'])}"
               if per_epoch > 1 else "one full batch")
    interval = st.radio(
        "count the schedule in", list(INTERVAL_WORDS), format_func=INTERVAL_WORDS.get,
        index=1 if settings.in_epochs(schedule) else 0, horizontal=True, key=key,
        help=f"An epoch is one pass over the data: all {n} examples, here {batches} (the "
             f"current batch size). Counted in epochs, step_size, T_max, milestones … are "
             f"epochs and the rate changes once an epoch, as when torch's scheduler.step() "
             f"follows the loop over a DataLoader.")
    if interval == "epoch":
        st.caption(f"1 epoch = {per_epoch} step{'s' if per_epoch > 1 else ''}: "
                   f"{n} examples in {batches}")
    return interval


def gradient_picker(setting: settings.Setting, seed: int, key: str,
                    surface: settings.Setting | None = None) -> tuple[settings.Setting, int]:
    """Where gradients come from: exact, finite differences (h), noisy (noise, batch, seed)
    or, on a data surface, real mini-batches (batch size, seed)."""
    names = settings.gradient_choices(surface) if surface is not None else [
        n for n, spec in GRADIENT_SOURCES_BY_NAME.items() if not spec.data_only]
    if setting.name not in names:
        setting = settings.gradient_setting("analytic")
    name = st.selectbox("gradient source", names, index=names.index(setting.name),
                        key=f"{key}.name", format_func=lambda n: GRADIENT_SOURCES_BY_NAME[n].title,
                        help="; ".join(GRADIENT_SOURCES_BY_NAME[n].summary for n in names))
    spec = GRADIENT_SOURCES_BY_NAME[name]
    values = setting.kwargs() if name == setting.name else settings.gradient_defaults(name)
    values = _parameter_inputs("gradient source", name, spec.parameters, values, key,
                               settings.gradient_problem)
    if name in ("noisy", "minibatch"):
        seed = seed_input(seed, f"{key}.seed", "The noise (or the order of the batches) is drawn "
                                               "from this seed: same seed, same run.")
    return settings.gradient_setting(name, **values), seed


def seed_input(value: int, key: str, help_text: str) -> int:
    """A seed of the noise or of the batches' order (a bad one keeps ``value``)."""
    typed = st.number_input("seed", value=int(value), step=1, key=key, help=help_text)
    problem = settings.int_problem("seed", typed, *configs.SEED_RANGE)
    if problem:
        st.error(plain(problem))
        return value
    return int(typed)


def batch_size_input(value: int | None, surface: settings.Setting, key: str) -> int | None:
    """One run's mini-batch size on a data surface of n examples: 1 is stochastic gradient
    descent, n (the default, kept as None) is full-batch descent with the exact gradient."""
    n = settings.data_size(surface)
    shown = n if value is None else min(value, n)  # a smaller dataset makes a batch a full one
    typed = st.number_input(
        "batch size", value=shown, step=1, key=f"{key}.batch_size.{n}",
        help=f"Examples per step, dealt out like a shuffled data loader: 1 is stochastic "
             f"gradient descent, {n} (every example) is full-batch descent.")
    problem = settings.batch_problem(typed, surface)
    if problem:
        st.error(plain(f"{problem}. Using {shown} until this is fixed."))
        return settings.batch_or_full(shown, surface)
    batch = settings.batch_or_full(typed, surface)
    st.caption("full batch: the exact gradient" if batch is None
               else f"{-(-n // batch)} mini-batches per epoch")
    return batch


def kept_batch_size(value: int | None, surface: settings.Setting) -> int | None:
    """A run's batch size as ``batch_size_input`` keeps it with no input shown: at most the
    dataset's size n (None, the full batch, at n)."""
    if value is None:
        return None
    return settings.batch_or_full(min(value, settings.data_size(surface)), surface)


def seeds_input(value: int, key: str) -> int:
    """How many seeds of each run to draw at once, as a band of thin paths."""
    low, high = configs.SEEDS_RANGE
    return int(st.number_input(
        "seeds drawn", min_value=low, max_value=high, value=int(value), step=1, key=key,
        help=f"Also run each optimizer with the next seeds ({low} to {high} in all), drawn as "
             "thin lines in its colour, so the spread of the noise shows."))


def tolerance_input(value: float, key: str) -> float:
    """The tolerance that counts as converged: loss within it of the global minimum value."""
    low, high = configs.TOLERANCE_RANGE
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
    names = list(figures.RANKINGS)
    return st.selectbox(
        "rank the leaderboard by", names, index=names.index(value), key=key,
        help=" ".join(f"{name}: {ranking.description}"
                      for name, ranking in figures.RANKINGS.items())
             + " Diverged runs always come last.")


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
    problem = settings.sweep_range_problem(optimizer, name, chosen)
    if problem:
        st.error(plain(f"{problem}. Using {fmt(current[0])} to {fmt(current[1])}."))
        return span
    return None if chosen == tuple(suggested) else chosen

