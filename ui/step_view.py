"""Explore's "Step by step" section: one run, one step at a time.

The section follows the player's step, and its own ◀ ▶ (the ← → keys) and step field move
the player too (``ui.page_state``: the page's step). For a chosen run it shows that step's
update rule with the numbers the core recorded, a sentence of what happened, the arrows at the
point on a small map with the quadratic model's contours, the loss and the optimizer's state
over time with a cursor at the step, the loss along the step against its Taylor models, and
the finite-difference estimate of the gradient beside the exact one. Everything it shows is
computed by the core (``optimizers.simulate(..., record_state=True)``, the surface's exact
derivatives) and drawn by pure builders in ``figures``; this module only lays it out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

import figures
import optimizers
from figures import local_model, step_view
from ui import compute, page_state, sections, tables
from ui.inputs import plain

MAP_HEIGHT = 360
CURVE_HEIGHT = 260
SLICE_HEIGHT = 320
LEGEND_PER_LINE = 3
"""Hyperparameters per line of the symbols' legend (a line wider than the column is cut)."""
TABLE_TEXT = "#1a1a1a"
"""The colour of the finite-difference table's first column (the theme's text colour)."""
MIN_HALF_WIDTH = 1e-6
"""The local map's smallest half-width, relative to the surface's window (a step of 0)."""


def _move(page: str, delta: int, last: int) -> None:
    """◀ / ▶: one step back or on from the page's step, within 0 .. last."""
    _go(page, _shown_step(page, last) + delta, last)


def _go(page: str, k: int, last: int) -> None:
    """To step k (0 .. last); past the last step, to the player's end (its last point)."""
    page_state.go_to_step(page, None if k > last else int(max(k, 0)))


def _typed(page: str, field: str, last: int) -> None:
    _go(page, int(st.session_state[field]), last)


def _shown_step(page: str, last: int) -> int:
    """The step the section shows: the step leaving the player's current point (the last
    step when the player is at its end, or past this run's end)."""
    t = page_state.current_step(page)
    return last if t is None else int(min(max(t, 0), last))


def section(scene: compute.Scene, runs_data: list[dict], page) -> None:
    """The section, under its heading (a fragment: stepping reruns only this section and the
    player, whose step it follows)."""
    st.subheader("Step by step")
    st.caption("One run, one step at a time: the update rule with this step's numbers, the "
               "arrows at the point, the optimizer's state, and the local Taylor model. It "
               "follows the player's step; step with ◀ ▶ (or the ← → keys), or type a step, "
               "and the player follows.")
    _step_by_step(scene, [run["name"] for run in runs_data],
                  [run["color"] for run in runs_data], page.page, page.key("step"))


@st.fragment(key=page_state.STEP_VIEW)
def _step_by_step(scene: compute.Scene, names: list[str], colors: list[str], page: str,
                  key: str) -> None:
    index = 0
    if len(names) > 1:
        index = st.selectbox("run", range(len(names)), format_func=lambda i: names[i],
                             key=f"{key}.run")
    path = compute.recorded_run(scene, index)
    if path.steps == 0:
        ended = optimizers.outcome(path, scene.landscape()).text
        st.info(plain(f"{names[index]} took no step ({ended})."))
        return
    last = path.steps - 1
    field_key = f"{key}.k"
    k = _shown_step(page, last)
    st.session_state[field_key] = k  # the field shows the page's step, however it moved
    back, field, on, first, end = st.columns([1, 2, 1, 1, 1], vertical_alignment="bottom")
    back.button("◀", key=f"{key}.back", help="One step back (←)", shortcut="Left",
                on_click=_move, args=(page, -1, last), width="stretch")
    on.button("▶", key=f"{key}.on", help="One step on (→)", shortcut="Right",
              on_click=_move, args=(page, 1, last), width="stretch")
    first.button("first", key=f"{key}.first", help="The first step (Home)", shortcut="Home",
                 on_click=_go, args=(page, 0, last), width="stretch")
    end.button("last", key=f"{key}.end", help="The last step (End)", shortcut="End",
               on_click=_go, args=(page, last + 1, last), width="stretch")
    # The label and bounds do not name the run's length: a field whose props change when the
    # steps slider moves is re-created by the browser at its default (0), and that counted as
    # a typed 0 (the player jumped to its start). _go keeps a typed step within 0 .. last.
    field.number_input("step k: from point k to point k + 1", min_value=0, step=1,
                       key=field_key, on_change=_typed, args=(page, field_key, last))
    _show_step(scene, path, k, names[index], colors[index], key, index)


def _show_step(scene: compute.Scene, path: optimizers.Trajectory, k: int, name: str,
               color: str, key: str, index: int = 0) -> None:
    landscape = scene.landscape()
    spec = optimizers.OPTIMIZERS_BY_NAME[path.config["optimizer"]]
    hyper = {**spec.fixed, **path.config["hyperparameters"]}
    model = local_model.local_model(landscape, path.xy[k])
    numbers = figures.step_numbers(path, k, model.hessian)
    shown = _charts(scene, index, k, color)

    left, right = st.columns([3, 2], gap="medium")
    with left:  # one element, not one per line: each costs the server a message every rerun
        names = [n for _, n, _ in numbers.legend if n in hyper]
        equations = [figures.step_math.values_latex(numbers, names[chunk:chunk + LEGEND_PER_LINE])
                     for chunk in range(0, len(names), LEGEND_PER_LINE)] + list(numbers.lines)
        st.markdown("\n\n".join([
            f"**{plain(name)}: step {k} → {k + 1}** (torch's step count t = {k + 1}, "
            f"rate {path.lr[k]:.4g})",
            *(f"$$\n{equation}\n$$" for equation in equations),
            plain(numbers.sentence)]))
    with right:
        sections.chart(shown.map, key=f"{key}.map", height=shown.heights["map"])

    loss_column, state_column = st.columns(2)
    with loss_column:
        sections.chart(shown.loss, key=f"{key}.loss", height=shown.heights["loss"])
    with state_column:
        for i, chart in enumerate(shown.state):
            sections.chart(chart, key=f"{key}.state.{i}", height=shown.heights["state"])
        if not shown.state and spec.whole_step:
            st.caption(f"{spec.title} keeps a history of its moves and of the gradient's "
                       "changes for the whole point, not a buffer per coordinate; each step "
                       "evaluates f several times (the small dots on the map).")
        elif not shown.state:
            st.caption(f"{spec.title} keeps no state between steps.")

    slice_column, table_column = st.columns([3, 2], gap="medium")
    with slice_column:
        sections.chart(shown.slice, key=f"{key}.slice", height=shown.heights["slice"])
        st.markdown(plain(shown.slice_sentence))
    with table_column:
        source = path.config["gradient"]
        used = source["name"] == "finite_difference"
        estimate = local_model.finite_differences(landscape, path.xy[k], k,
                                                  source.get("h") if used else None, used)
        rows = estimate.rows()  # plain HTML: st.dataframe cost a rerun ~3 ms (pandas, Arrow)
        st.markdown("**Finite differences at the point**\n\n"
                    + tables.html_table(rows, [TABLE_TEXT] * len(rows)), unsafe_allow_html=True)
        st.caption(plain(estimate.sentence))


@dataclass(frozen=True)
class _Charts:
    """The section's charts for one step, as the JSON the browser receives."""

    map: str
    loss: str
    state: tuple[str, ...]
    slice: str
    slice_sentence: str
    heights: dict[str, int]


# Kept as JSON per (scene, run, step): a rerun of the page that leaves them as they were (any
# control elsewhere, a steps value seen before) hands over the same strings instead of
# rebuilding five figures (~10 ms).
@st.cache_resource(max_entries=64, show_spinner=False, hash_funcs=compute.KEYS)
def _charts(scene: compute.Scene, index: int, k: int, color: str) -> _Charts:
    path = compute.recorded_run(scene, index)
    landscape = scene.landscape()
    spec = optimizers.OPTIMIZERS_BY_NAME[path.config["optimizer"]]
    hyper = {**spec.fixed, **path.config["hyperparameters"]}
    model = local_model.local_model(landscape, path.xy[k])
    numbers = figures.step_numbers(path, k, model.hessian)
    arrows = step_view.step_arrows(numbers, hyper)
    (x0, x1), (y0, y1) = landscape.bounds
    half = max(1.6 * step_view.arrows_reach(arrows), MIN_HALF_WIDTH * max(x1 - x0, y1 - y0))
    grid = local_model.local_grid(landscape, model, half)
    floor = landscape.minimum_value
    bounded = bool(np.isfinite(floor))
    loss = path.full_loss(landscape)
    taylor = local_model.step_slice(landscape, path.xy[k], numbers.delta, path.lr[k])
    built = {
        "map": step_view.local_map(grid, model, arrows, height=MAP_HEIGHT),
        "loss": step_view.state_curves(
            [("loss", loss - floor if bounded else loss, color, "solid")], k,
            title="Loss", y_title="f − f*" if bounded else "f", log_y=bounded,
            height=CURVE_HEIGHT),
        "slice": step_view.taylor_slice(taylor, height=SLICE_HEIGHT),
    }
    state = [step_view.state_curves(chart["series"], k, title=chart["title"],
                                    y_title=chart["y_title"], log_y=chart["log_y"],
                                    height=CURVE_HEIGHT)
             for chart in step_view.state_charts(path)[:2]]
    heights = {name: int(figure["layout"]["height"]) for name, figure in built.items()}
    if state:
        heights["state"] = int(state[0]["layout"]["height"])
    return _Charts(compute.to_json(built["map"]), compute.to_json(built["loss"]),
                   tuple(compute.to_json(figure) for figure in state),
                   compute.to_json(built["slice"]), taylor.sentence, heights)
