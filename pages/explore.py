"""Explore: one surface, a few optimizers, animated in the browser."""

import streamlit as st

from ui import compute, page_state, widgets
from ui import state as S

SURFACE_3D_HEIGHT = 620

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
        runs = widgets.optimizer_runs(c.runs, ps)
        st.subheader("Gradient")
        gradient, seed = widgets.gradient_picker(c.gradient, c.seed, ps.key("gradient"),
                                                 surface)
        seeds = 1
        if gradient.name != "analytic":
            seeds = widgets.seeds_input(c.seeds, ps.key("seeds"))
        st.subheader("Learning-rate schedule")  # after the batches: an epoch counts them
        schedule = widgets.schedule_picker(c.schedule, ps.key("schedule"), surface=surface,
                                           gradient=gradient)

    config = S.ExploreConfig(surface, runs, schedule, gradient, seed, steps, start, seeds)
    ps.save(config)
    scene = compute.Scene(surface, config.runs, steps, start, schedule, gradient, seed,
                          seeds=seeds, reference=True)
    runs_data = widgets.animated_map(scene, ps)
    if runs_data is None:
        return
    with st.expander("3-D surface with the same paths", expanded=True):
        widgets.chart(compute.surface_3d_figure(scene, SURFACE_3D_HEIGHT),
                      ps.key("surface3d"), height=SURFACE_3D_HEIGHT)
    widgets.run_summary(runs_data)
    widgets.downloads(scene, "explore")


explore()
