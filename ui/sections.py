"""The parts a page is assembled from: its sidebar's surface block, the animated map with its
step curves, the static charts, the run summary and leaderboard, the downloads, the sweep's
cell picker and the basins map."""

from __future__ import annotations

import functools
from dataclasses import replace

import pandas  # noqa: F401 -- once, here: sessions importing it at once (st.dataframe) saw it half made
import streamlit as st

import figures
from ui import compute, configs, exports, page_state, player, query, settings, sharing, tables
from ui.inputs import (
    fmt,
    plain,
    ranking_input,
    run_editor,
    start_inputs,
    steps_slider,
    surface_picker,
)


def formula_card(surface: settings.Setting) -> None:
    """A typed surface's formula and its gradient, in LaTeX."""
    if surface.name != settings.CUSTOM:
        return
    shown = settings.read_formula(surface.kwargs()["formula"])
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
                    ) -> tuple[settings.Setting, int, tuple[float, float] | None]:
    """The sidebar's "Surface" block every page opens with: surface, steps and start point.

    The typed start is kept while the surface stays the same and reset when it changes.
    """
    st.subheader("Surface")
    surface = surface_picker(config.surface, page.key("surface"), custom=custom,
                             with_data=with_data)
    steps = steps_slider(config.steps, page.key("steps"))
    same_surface = settings.surface_key(surface) == settings.surface_key(config.surface)
    start = start_inputs(surface, config.start if same_surface else None, page.key("start"))
    return surface, steps, start


def problems_note(problems: list[str]) -> None:
    """The warning a tampered or stale link shows: which fields were ignored, and why."""
    if problems:
        lines = "\n".join(f"- {plain(p)}" for p in problems)
        st.warning(f"**Some settings in this link could not be used and were ignored** "
                   f"(the defaults are shown instead):\n{lines}", icon="⚠️")


def page_start(page: str) -> page_state.PageState:
    """What every page does first, below its title: its config from the session or the link
    (``page_state.load``), a teacher's title and note (``sharing.top``), the notes on a link's
    ignored fields, and the Present button at the top of the sidebar."""
    state = page_state.load(page)
    sharing.top(state)
    problems_note(state.problems)
    with st.sidebar:
        sharing.present_button(state)
    return state


def surface_and_run(config, page) -> tuple[settings.Setting, int, tuple[float, float] | None,
                                           settings.RunConfig]:
    """The sidebar of a page about one optimizer (Schedules, Sensitivity): the surface block
    (``surface_section``) and the optimizer with its hyperparameters, each a control a
    teacher's link may hide or lock. Returns (surface, steps, start, run)."""
    with st.sidebar:
        with sharing.control(page, "surface"):
            surface, steps, start = surface_section(config, page)
        with sharing.control(page, "optimizer"):
            st.subheader("Optimizer")
            the_run = run_editor(config.run, page.key("run"))
    return surface, steps, start, the_run


CHART_KEY = "chart"
"""Prefix of the static charts' keys: Streamlit gives each keyed element the CSS class
``st-key-<key>``, by which a browser test tells a chart's frame from a map's."""


def chart(figure: dict | str, key: str, *, height: int | None = None) -> None:
    """A figure that only needs showing (no selection events), drawn by the player: a figure
    dict, or the JSON of one (a cached figure) with its ``height``.

    ``st.plotly_chart`` validates the whole figure with plotly.py on every rerun, which was
    most of a cached rerun's time (Explore: ~150 ms); the player takes the JSON as it is.
    """
    if isinstance(figure, dict):
        figure, height = compute.to_json(figure), int(figure["layout"]["height"])
    player.chart(figure, height=height, key=f"{CHART_KEY}.{key}")


def animated_map(scene, page, *, only: tuple[str, ...] = (), linked: bool = False
                 ) -> list[dict] | None:
    """The scene's player: the map (a click or drag starts every run there, unless a teacher's
    link fixes the start), the step curves
    (``only`` these of "gap", "lr", "grad_norm"), a readout and an lr (and β) slider per run,
    under a typed surface's formula. Returns the runs as the figure builders take them, or
    None when the core refuses the settings (its message is shown instead).

    ``linked``: the page's step section (``ui.step_view``) follows the player's step and
    moves it; the player then sits in a fragment of its own, so that a step asked for reruns
    the player and the section, not the page."""
    formula_card(scene.surface)
    key = f"{page.page}.player"  # not re-keyed with the page: a released slider keeps it
    curves = only or ("gap", "lr", "grad_norm")
    try:
        runs_data = compute.run_payloads(scene)
        if linked:
            _linked_player(scene, page.page, key, curves, sharing.map_options(page))
        else:
            player.show(scene, key=key, curves=curves,
                        on_event=functools.partial(page_state.player_event, page.page, key),
                        **sharing.map_options(page))
    except ValueError as error:
        st.error(plain(f"These settings cannot be run: {error}"))
        return None
    return runs_data


@st.fragment(key=page_state.LINKED_PLAYER)
def _linked_player(scene, page: str, key: str, curves: tuple[str, ...], options: dict) -> None:
    """The player reporting the step the visitor leaves it at, going to the step the page's
    step section asks for, and drawing the arrows at the current point that section
    explains (``options``: what a teacher's link sets)."""
    player.show(scene, key=key, curves=curves, report_steps=True, arrows=True,
                step_request=page_state.step_request(page),
                on_event=functools.partial(page_state.player_event, page, key), **options)


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
            "outcome": figures.run_status(run, why=True),
            "f evaluations": ev.function,
            "∇f evaluations": ev.gradient,
            "Hessian evaluations": ev.hessian,
        })
        if any(r["evaluations"].examples for r in runs_data):  # a data surface
            rows[-1]["example gradients"] = ev.examples
    colored_table(rows, [run["color"] for run in runs_data])


def colored_table(rows: list[dict], colors: list[str], column: str | None = None) -> None:
    """A table whose run column is written in each run's colour, darkened where needed to be
    readable on white (``figures.text_color``: WCAG AA contrast); plain HTML (``ui.tables``),
    which costs a rerun nothing next to a styled dataframe."""
    st.markdown(tables.html_table(rows, [figures.text_color(c) for c in colors], column),
                unsafe_allow_html=True)


@st.fragment
def downloads(scene, name: str) -> None:
    """CSV of every trajectory, the animation as a standalone HTML page that plays offline,
    and for slides a GIF, an MP4 and a 2× PNG (``ui.exports``: drawn when asked). A
    fragment: a "Make ..." button reruns only these buttons, not the page."""
    left, right, *slides = st.columns(5)
    left.download_button(
        "⬇ Trajectories (CSV)", data=lambda: compute.trajectories_csv(scene),
        file_name=f"descent-lab-{name}.csv", mime="text/csv", on_click="ignore",
        key=f"{name}.csv",
    )
    right.download_button(
        "⬇ Animation (HTML, plays offline)", data=lambda: player.animated_html(scene),
        file_name=f"descent-lab-{name}.html", mime="text/html", on_click="ignore",
        key=f"{name}.html",
    )
    exports.export_buttons(scene, name, slides)


def run_heading(index: int, text: str | None = None) -> None:
    """A heading in run ``index``'s colour, so controls match their path and curve: the dot in
    the line's colour, the words in a shade of it readable on white (the yellow is not)."""
    color = figures.run_color(index)
    st.markdown(f"<span style='font-weight:700;font-size:1.15rem'>"
                f"<span style='color:{color}'>●</span> "
                f"<span style='color:{figures.text_color(color)}'>"
                f"{text or f'Run {index + 1}'}</span></span>", unsafe_allow_html=True)


def leaderboard(runs_data: list[dict], landscape, tolerance: float,
                rank_by: str = "steps to tolerance") -> None:
    """Final loss, distance to the nearest minimum, steps to tolerance and how each run ended,
    best first by ``rank_by`` (a name in ``figures.RANKINGS``; diverged runs last)."""
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


@st.fragment
def ranked_leaderboard(runs_data: list[dict], landscape, page, config, box) -> None:
    """The leaderboard, and its ranking chosen in ``box`` (in the sidebar): a fragment, so a
    new ranking reorders the table without rerunning the race."""
    with box:
        rank_by = ranking_input(config.rank_by, page.key("rank"))
    if rank_by != config.rank_by:
        page.save(replace(config, rank_by=rank_by))
    leaderboard(runs_data, landscape, config.tolerance, rank_by)


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
    problem = settings.hyperparameter_problem(the_run.optimizer, the_run.kwargs())
    if problem:
        middle.error(plain(problem))
        return
    pressed = right.button(f"Open {x_param}={fmt(xs[i])}, {y_param}={fmt(ys[j])} in Explore",
                           type="primary", key=f"{x_key}.open")
    if clicked or pressed:
        st.switch_page("pages/explore.py",
                       query_params=query.explore_link(scene.surface, the_run, scene.steps,
                                                       scene.start))


def basins_section(scene, resolution: int) -> None:
    """Each start point coloured by the minimum it reaches (surfaces with several minima)."""
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


@st.fragment
def basins(scene, ps, config, box) -> None:
    """The basins map and its own control in the sidebar's ``box``: a fragment, so moving the
    start points reruns only the basins, not the sweep and its heatmap."""
    resolution = box.slider("start points per side", *configs.BASIN_RESOLUTION_RANGE,
                            config.basin_resolution, key=ps.key("basin_resolution"))
    if resolution != config.basin_resolution:
        ps.save(replace(config, basin_resolution=resolution))
    basins_section(scene, resolution)

