"""Schedules: how each learning-rate schedule moves the rate, and what it does to a run."""

import functools

import streamlit as st

import figures
from optimizers.specs import SCHEDULES_BY_NAME
from ui import compute, configs, inputs, page_state, player, sections, settings, sharing

st.title("Schedules")
st.markdown("See the learning-rate curve of each schedule as you set it, then watch the same "
            "optimizer race with a constant rate and with the schedule, on one map.")

CARDS_PER_ROW = 2  # schedule cards side by side: two leave each formula its width at 1280 px


def schedules() -> None:
    ps = sections.page_start("schedules")
    c = ps.config
    surface, steps, start, the_run = sections.surface_and_run(c, ps)

    with sharing.control(ps, "schedules"):
        names = list(SCHEDULES_BY_NAME)
        chosen = st.multiselect("schedules", names, default=[s.name for s in c.schedules],
                                key=ps.key("chosen"),
                                format_func=lambda n: SCHEDULES_BY_NAME[n].title)
        if not chosen:
            st.error("Pick at least one schedule. Showing the previous choice.")
            chosen = [s.name for s in c.schedules]
        before = {s.name: s for s in c.schedules}
        schedule_settings = []
        for i, name in enumerate(chosen):
            if i % CARDS_PER_ROW == 0:
                cells = st.columns(CARDS_PER_ROW)
            spec = SCHEDULES_BY_NAME[name]
            with cells[i % CARDS_PER_ROW].container(border=True):
                sections.run_heading(i, spec.title)
                st.latex(rf"\small {spec.latex}")
                st.caption(f"{spec.summary} In torch: {spec.torch_equivalent}.")
                schedule_settings.append(inputs.schedule_picker(
                    before.get(name, settings.schedule_setting(name)),
                    ps.key(f"schedule.{name}"),
                    choose=False, surface=surface))
        focus = st.radio("run with and without", chosen, horizontal=True,
                         index=chosen.index(c.focus) if c.focus in chosen else 0,
                         format_func=lambda n: SCHEDULES_BY_NAME[n].title, key=ps.key("focus"))
    config = configs.SchedulesConfig(surface, the_run, steps, start, tuple(schedule_settings),
                                     focus)
    ps.save(config)
    with st.sidebar:
        sharing.share_panel(ps)

    try:
        curves = [{"name": settings.schedule_label(s), "color": figures.run_color(i),
                   "lr": compute.schedule_curve(s, the_run, surface, steps, start),
                   "diverged_at": None} for i, s in enumerate(schedule_settings)]
        cycled = [(i, s, *compute.schedule_momentum(s, the_run, surface, steps, start))
                  for i, s in enumerate(schedule_settings)]
    except ValueError as error:
        st.error(inputs.plain(f"These settings cannot be run: {error}"))
        return
    sections.chart(figures.step_curves(curves, "lr", title="Learning rate by step",
                                      y_title="lr", height=360), key=ps.key("lr_curves"))
    momenta = [{"name": settings.schedule_label(s), "color": figures.run_color(i),
                "momentum": values, "diverged_at": None}
               for i, s, name, values in cycled if name]
    if momenta:
        what = next(name for _, _, name, _ in cycled if name)
        sections.chart(figures.step_curves(
            momenta, "momentum", title=f"{what} by step, set by the schedule", y_title=what,
            height=300, per_step=True), key=ps.key("momentum_curves"))
        st.caption(f"With cycle_momentum, torch's CyclicLR and OneCycleLR also set the "
                   f"optimizer's {what} at every step, low while the rate is high.")

    index = chosen.index(focus)
    scheduled = schedule_settings[index]
    title = settings.schedule_label(scheduled)
    plain = compute.Scene(surface, (the_run,), steps, start, names=("constant lr",),
                          first_color=len(schedule_settings))
    with_it = compute.Scene(surface, (the_run,), steps, start, scheduled,
                            names=(f"with {title.lower()}",), first_color=index)
    key = "schedules.player"
    try:  # both runs race on one map: a click starts both there, a slider sets the run's lr
        player.show((plain, with_it), key=key,
                    on_event=functools.partial(page_state.player_event, "schedules", key),
                    **sharing.map_options(ps))
    except ValueError as error:
        st.error(inputs.plain(f"These settings cannot be run: {error}"))
        return
    sections.downloads(with_it, "schedules")


schedules()
