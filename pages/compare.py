"""Compare: up to eight runs race from the same start on the same surface."""

import streamlit as st

import figures
from optimizers.specs import OPTIMIZERS_BY_NAME
from ui import compute, page_state, player, widgets
from ui import state as S

st.title("Compare")
st.markdown("Race up to eight runs from the same start: an optimizer with its settings is a run, "
            "so one optimizer at three learning rates is three runs.")


def compare() -> None:
    ps = page_state.load("compare")
    c = ps.config
    widgets.problems_note(ps.problems)
    with st.sidebar:
        surface, steps, start = widgets.surface_section(c, ps, custom=True)
        st.subheader("Learning rate")
        shared = st.toggle("same learning rate for all", value=c.shared_lr,
                           key=ps.key("shared"),
                           help="On: one lr for every run. Off: each run has its own.")
        lr = c.lr
        if shared:
            lr = widgets.hyperparameter_input(OPTIMIZERS_BY_NAME["sgd"].hyperparameter("lr"),
                                              c.lr, ps.key("lr"), label="lr (all runs)")
        tolerance = widgets.tolerance_input(c.tolerance, ps.key("tolerance"))

    count = st.slider("number of runs", 1, S.MAX_RUNS, len(c.runs), key=ps.key("count"))
    runs = []
    with st.expander("Runs: optimizer and hyperparameters of each", expanded=False):
        cells = st.columns(4)
        for i in range(count):
            before = c.runs[i] if i < len(c.runs) else c.runs[-1]
            with cells[i % 4].container(border=True):
                widgets.run_heading(i)
                runs.append(widgets.run_editor(before, ps.key(f"run{i}"),
                                               lr_override=lr if shared else None))
    config = S.CompareConfig(surface, tuple(runs), steps, start, shared, lr, tolerance)
    ps.save(config)
    raced = tuple(r.with_values(lr=lr) for r in runs) if shared else config.runs
    scene = compute.Scene(surface, raced, steps, start)
    try:
        height = figures.map_height(scene.landscape().bounds)
        figure_json = compute.animated_figure(scene, height)
        runs_data = compute.run_payloads(scene)
    except ValueError as error:
        st.error(f"These settings cannot be run: {error}")
        return
    view = compute.surface_view(surface)
    widgets.formula_card(surface)
    left, right = st.columns([3, 2], gap="medium")
    with left:
        map_key = ps.key("map")
        player.animated_chart(figure_json, height=height, key=map_key, clickable=True,
                              on_click=page_state.start_from_click, args=("compare", map_key))
    with right:
        widgets.step_charts(runs_data, view, ps.key("curves"), only=("gap", "grad_norm"))
    st.subheader("Leaderboard")
    widgets.leaderboard(runs_data, scene.landscape(), tolerance)
    widgets.downloads(scene, "compare")


compare()
