"""Sensitivity: final loss over a grid of two hyperparameters, and basins of attraction."""

import streamlit as st

import figures
from optimizers.specs import OPTIMIZERS_BY_NAME
from ui import compute, configs, inputs, presentation, sections, settings, sharing

st.title("Sensitivity")
st.markdown("How much do the results depend on two hyperparameters? Each cell is one run; "
            "click a cell to open that run in Explore. Below: where each start point ends up.")


def sensitivity() -> None:
    ps = sections.page_start("sensitivity")
    c = ps.config
    surface, steps, start, the_run = sections.surface_and_run(c, ps)

    spec = OPTIMIZERS_BY_NAME[the_run.optimizer]
    params = settings.sweepable(the_run.optimizer)
    with sharing.control(ps, "sweep"):
        left, middle, right, far = st.columns(4)
        x_param = left.selectbox("x: hyperparameter", params, key=ps.key(f"x.{spec.name}"),
                                 index=params.index(c.x_param) if c.x_param in params else 0)
        others = [p for p in params if p != x_param]
        y_param = middle.selectbox("y: hyperparameter", others,
                                   key=ps.key(f"y.{spec.name}.{x_param}"),
                                   index=others.index(c.y_param) if c.y_param in others else 0)
        resolution = right.slider("cells per side", *configs.RESOLUTION_RANGE, c.resolution,
                                  key=ps.key("resolution"))
        metric = far.radio("colour shows", list(configs.METRICS), format_func=configs.METRICS.get,
                           index=list(configs.METRICS).index(c.metric), key=ps.key("metric"),
                           horizontal=True)
        tolerance = inputs.tolerance_input(c.tolerance, ps.key("tolerance"))
    with st.sidebar:
        basins_box = sharing.control(ps, "basins")
        basins_box.subheader("Basins of attraction")

    scene = compute.Scene(surface, (the_run,), steps, start)
    same_axes = (the_run.optimizer, x_param, y_param) == (c.run.optimizer, c.x_param, c.y_param)
    suggested = {name: compute.suggested_range(scene, name) for name in (x_param, y_param)}
    with sharing.control(ps, "sweep", part=2):
        x_cell, y_cell = st.columns(2)
        spans = []
        for cell, axis, name, before in ((x_cell, "x", x_param, c.x_range),
                                         (y_cell, "y", y_param, c.y_range)):
            with cell:
                spans.append(inputs.sweep_range_input(
                    spec.name, name, before if same_axes else None, suggested[name],
                    ps.key(f"{axis}_range"), axis))
    x_range, y_range = spans
    config = configs.SensitivityConfig(surface, the_run, steps, start, x_param, y_param, resolution,
                                 metric, tolerance, c.basin_resolution, x_range, y_range)
    ps.save(config)
    with st.sidebar:
        sharing.share_panel(ps)

    xs = compute.grid_values(spec.hyperparameter(x_param), resolution,
                             x_range or suggested[x_param])
    ys = compute.grid_values(spec.hyperparameter(y_param), resolution,
                             y_range or suggested[y_param])
    try:
        with st.spinner(f"Running {resolution * resolution} runs of {steps} steps…"):
            result = compute.sweep(scene, x_param, xs, y_param, ys, tolerance)
    except ValueError as error:
        st.error(inputs.plain(f"This sweep cannot be run: {error}"))
        return
    values, title, log_values = compute.sweep_metric(scene, result, metric)
    figure = figures.sweep_heatmap(
        result.x_values, result.y_values, values, x_title=x_param, y_title=y_param,
        value_title=title, log_x=spec.hyperparameter(x_param).log,
        log_y=spec.hyperparameter(y_param).log, log_values=log_values,
        diverged=result.diverged_at >= 0)
    heat_key = ps.key(f"heat.{x_param}.{y_param}.{resolution}")
    with presentation.shown("heatmap"):
        st.plotly_chart(presentation.fit(figure), key=heat_key, selection_mode="points",
                        **presentation.plotly_options({"displaylogo": False}),
                        on_select=sections.cell_picker(heat_key, ps.key("cell_x"),
                                                       ps.key("cell_y")))
    sections.open_cell_in_explore(scene, x_param, xs, y_param, ys, ps.key("cell_x"),
                                 ps.key("cell_y"))

    st.subheader("Basins of attraction")
    sections.basins(scene, ps, config, basins_box)


sensitivity()
