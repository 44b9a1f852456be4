"""Explore: one surface, a few optimizers, animated in the browser."""

import streamlit as st

from ui import compute, configs, inputs, page_state, sections, sharing, step_view

SURFACE_3D_HEIGHT = 620
SURFACE_3D_OPEN = "explore.surface3d.open"

st.title("Explore")


def explore() -> None:
    ps = page_state.load("explore")
    st.markdown("Pick a surface and one or more optimizers, then press **▶ Play** to watch each "
                "one walk downhill." + ("" if ps.room.start_fixed
                                        else " Click the map to start from there."))
    c = ps.config
    sharing.top(ps)
    sections.problems_note(ps.problems)
    with st.sidebar:
        sharing.present_button(ps)
        with sharing.control(ps, "surface"):
            surface, steps, start = sections.surface_section(c, ps, custom=True, with_data=True)
        with sharing.control(ps, "runs"):
            st.subheader("Optimizers")
            runs = inputs.optimizer_runs(c.runs, ps)
        with sharing.control(ps, "gradient"):
            st.subheader("Gradient")
            gradient, seed = inputs.gradient_picker(c.gradient, c.seed, ps.key("gradient"),
                                                     surface)
            seeds = 1
            if gradient.name != "analytic":
                seeds = inputs.seeds_input(c.seeds, ps.key("seeds"))
        with sharing.control(ps, "schedule"):
            st.subheader("Learning-rate schedule")  # after the batches: an epoch counts them
            schedule = inputs.schedule_picker(c.schedule, ps.key("schedule"),
                                               surface=surface, gradient=gradient)

    config = configs.ExploreConfig(surface, runs, schedule, gradient, seed, steps, start, seeds)
    ps.save(config)
    with st.sidebar:
        sharing.share_panel(ps)
    scene = compute.Scene(surface, config.runs, steps, start, schedule, gradient, seed,
                          seeds=seeds, reference=True)
    runs_data = sections.animated_map(scene, ps, linked=True)
    if runs_data is None:
        return
    # Closed at first and drawn only while open: each change cost the browser ~1 s of the
    # page's one main thread (plotly's 3-D sheet, and software GL where there is no GPU)
    # while the map waited for it, and the server its JSON.
    view_3d = st.expander("3-D surface with the same paths", key=SURFACE_3D_OPEN,
                          on_change="rerun")
    with view_3d:
        if view_3d.open:
            sections.chart(compute.surface_3d_figure(scene, SURFACE_3D_HEIGHT),
                           ps.key("surface3d"), height=SURFACE_3D_HEIGHT)
    sections.run_summary(runs_data)
    step_view.section(scene, runs_data, ps)
    sections.downloads(scene, "explore")


explore()
