"""Compare: up to eight runs race from the same start on the same surface."""

from dataclasses import replace

import streamlit as st

from optimizers.specs import OPTIMIZERS_BY_NAME
from ui import compute, configs, inputs, sections, settings, sharing

st.title("Compare")
st.markdown("Race up to eight runs from the same start: an optimizer with its settings is a run, "
            "so one optimizer at three learning rates is three runs. On a data surface a run "
            "also has its batch size, so full-batch descent can race SGD and mini-batches.")


def compare() -> None:
    ps = sections.page_start("compare")
    c = ps.config
    with st.sidebar:
        with sharing.control(ps, "surface"):
            surface, steps, start = sections.surface_section(c, ps, custom=True, with_data=True)
        with sharing.control(ps, "settings"):
            st.subheader("Learning rate")
            shared = st.toggle("same learning rate for all", value=c.shared_lr,
                               key=ps.key("shared"),
                               help="On: one lr for every run. Off: each run has its own.")
            lr = c.lr
            if shared:
                lr = inputs.hyperparameter_input(
                    OPTIMIZERS_BY_NAME["sgd"].hyperparameter("lr"), c.lr, ps.key("lr"),
                    label="lr (all runs)")
            tolerance = inputs.tolerance_input(c.tolerance, ps.key("tolerance"))
            ranking_box = st.container()  # the ranking: drawn by the leaderboard's fragment
            data = settings.is_data(surface)
            seed = c.seed
            if data:
                st.subheader("Mini-batches")
                st.caption("Each run's batch size is in its card under **Runs**.")
                seed = inputs.seed_input(c.seed, ps.key("seed"), "The order in which every "
                                          "run's mini-batches are dealt: same seed, same "
                                          "batches.")

    with sharing.control(ps, "runs"):
        count = st.slider("number of runs", 1, configs.MAX_RUNS, len(c.runs), key=ps.key("count"))
        runs = []
        what = ("optimizer, hyperparameters and batch size" if data
                else "optimizer and hyperparameters")
        # its ~70 inputs drawn only while it is open (closed, the runs stay as they are)
        cards = inputs.card(f"Runs: {what} of each", "compare.card.runs")
        with cards:
            cells = st.columns(4) if cards.open else []
            for i in range(count):
                before = c.runs[i] if i < len(c.runs) else c.runs[-1]
                if not cards.open:
                    runs.append(replace(before, batch_size=(
                        inputs.kept_batch_size(before.batch_size, surface) if data else None)))
                    continue
                with cells[i % 4].container(border=True):
                    sections.run_heading(i)
                    the_run = inputs.run_editor(before, ps.key(f"run{i}"),
                                                 lr_override=lr if shared else None)
                    batch = (inputs.batch_size_input(before.batch_size, surface,
                                                      ps.key(f"run{i}")) if data else None)
                    runs.append(replace(the_run, batch_size=batch))
    config = configs.CompareConfig(surface, tuple(runs), steps, start, shared, lr, tolerance, seed,
                             c.rank_by)
    ps.save(config)
    with st.sidebar:
        sharing.share_panel(ps)
    raced = tuple(r.with_values(lr=lr) for r in runs) if shared else config.runs
    scene = compute.Scene(surface, raced, steps, start, seed=seed, tolerance=tolerance)
    runs_data = sections.animated_map(scene, ps, only=("gap", "grad_norm"))
    if runs_data is None:
        return
    st.subheader("Leaderboard")
    sections.ranked_leaderboard(runs_data, scene.landscape(), ps, config, ranking_box)
    sections.downloads(scene, "compare")


compare()
