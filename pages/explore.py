"""Explore: one surface, a few optimizers, animated in the browser."""

import streamlit as st

import figures
from optimizers.specs import OPTIMIZERS_BY_NAME
from ui import compute, page_state, player, widgets
from ui import state as S

st.title("Explore")
st.markdown("Pick a surface and one or more optimizers, then press **▶ Play** to watch each "
            "one walk downhill. Click the map to start from there.")


def explore() -> None:
    ps = page_state.load("explore")
    c = ps.config
    widgets.problems_note(ps.problems)
    with st.sidebar:
        surface, steps, start = widgets.surface_section(c, ps, custom=True, with_data=True)
        st.subheader("Optimizers")
        chosen = st.multiselect(
            "optimizers", list(OPTIMIZERS_BY_NAME), default=[r.optimizer for r in c.runs],
            max_selections=S.MAX_RUNS, key=ps.key("optimizers"),
            format_func=lambda n: OPTIMIZERS_BY_NAME[n].title,
        )
        if not chosen:
            st.error("Pick at least one optimizer (up to 8). Showing the previous choice.")
        before = {r.optimizer: r for r in c.runs}
        runs = []
        for name in chosen or list(before):
            with st.expander(f"{OPTIMIZERS_BY_NAME[name].title}: hyperparameters"):
                runs.append(widgets.run_editor(before.get(name, S.run(name)),
                                               ps.key(f"run.{name}"), choose_optimizer=False))
        st.subheader("Learning-rate schedule")
        schedule = widgets.schedule_picker(c.schedule, ps.key("schedule"))
        st.subheader("Gradient")
        gradient, seed = widgets.gradient_picker(c.gradient, c.seed, ps.key("gradient"),
                                                 surface)
        seeds = 1
        if gradient.name != "analytic":
            seeds = widgets.seeds_input(c.seeds, ps.key("seeds"))

    config = S.ExploreConfig(surface, tuple(runs), schedule, gradient, seed, steps, start, seeds)
    ps.save(config)
    scene = compute.Scene(surface, config.runs, steps, start, schedule, gradient, seed,
                          seeds=seeds, reference=True)
    try:
        height = figures.map_height(scene.landscape().bounds)
        figure_json = compute.animated_figure(scene, height)
        runs_data = compute.run_payloads(scene)
    except ValueError as error:
        st.error(f"These settings cannot be run: {error}")
        return
    view = compute.surface_view(surface)
    widgets.formula_card(surface)

    # a data surface's figure carries the data beside the map: it takes the page's width
    wide = S.is_data(surface)
    left, right = (st.container(), st.container()) if wide else st.columns([3, 2], gap="medium")
    with left:
        map_key = ps.key("map")
        player.animated_chart(figure_json, height=height,
                              key=map_key, clickable=True, on_click=page_state.start_from_click,
                              args=("explore", map_key))
    with right:
        widgets.step_charts(runs_data, view, ps.key("curves"), stacked=not wide)
    with st.expander("3-D surface with the same paths", expanded=True):
        widgets.plotly(figures.surface_3d(view, runs_data, height=620), key=ps.key("surface3d"))
    widgets.run_summary(runs_data)
    widgets.downloads(scene, "explore")


explore()
