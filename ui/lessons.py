"""The Learn page's prose and its small live examples (the facts come from the specs)."""

from __future__ import annotations

import streamlit as st

import figures
import landscapes
from optimizers.specs import OptimizerSpec
from ui import compute, inputs, player, sections, settings

LEARNING_RATE = """
Gradient descent repeats one move: look at the slope under your feet and step downhill, a
distance proportional to the slope. The **learning rate** sets how big that step is.

* **Too small** and the run *crawls*: every step is safe, but it takes thousands of them, and
  on a flat stretch it seems to stop.
* **About right** and the loss falls quickly and steadily.
* **Too large** and each step *overshoots* the bottom of the valley and lands on the far wall.
  A little too large and it *oscillates*, zig-zagging from wall to wall; larger still and every
  bounce lands higher than the last, so the run *diverges*, which the lab reports as
  "diverged at step k".

On the ill-conditioned bowl below, the steep direction is κ = 20 times more curved than the
shallow one, so plain gradient descent is stable only while lr < 2/κ = 0.1. The three runs
start at the same point; move the rates and press Play.
"""

GRADIENT = """
The **gradient** is the vector of partial derivatives: how fast f changes when you nudge x
alone, and when you nudge y alone. It points straight uphill, so gradient descent steps the
other way, and it is always perpendicular to the contour lines on the map.

When no formula for the derivatives is at hand, each one can be **estimated** from values of f
alone with a central difference, using a small h. The price: two evaluations of f for each
coordinate, at every step. In two dimensions that is four extra evaluations per step; for a
network with a million weights it would be two million, which is why real training computes
exact gradients by backpropagation instead. The table counts the evaluations of two runs of
the same length (the lab also evaluates f once per point for the loss curve).
"""

BATCHES = """
In machine learning the loss is an average over many training examples, and its gradient is
the average of the examples' gradients.

* **Batch** gradient descent averages over all of them: an exact gradient, but every step is
  expensive.
* **Stochastic** gradient descent (SGD) uses one random example per step: cheap, but noisy,
  so the path wanders.
* **Mini-batch** gradient descent averages a few: the noise shrinks like one over the square
  root of the batch size, so a batch of 16 is four times less noisy than a batch of 1.

The lab imitates this with the *noisy* gradient source: the exact gradient plus random noise
whose size falls as the batch grows. Noise near the minimum keeps the run jittering around it,
which is one reason to lower the learning rate late in training.
"""

BATCH_SIZES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024]

_BOWL = settings.surface_setting("quadratic", condition_number=20.0)


def three_rates(rates: list[float], key: str) -> None:
    """Plain gradient descent on the ill-conditioned bowl at three learning rates."""
    runs = tuple(settings.run("sgd", lr=lr) for lr in rates)
    scene = compute.Scene(_BOWL, runs, 200, names=tuple(
        f"{word} (lr={lr:g})" for word, lr in zip(("small", "good", "large"), rates, strict=True)))
    show_race(scene, key)


def show_race(scene: compute.Scene, key: str) -> None:
    try:
        player.show(scene, key=f"{key}.map", curves=("gap",), clickable=False, sliders=False)
    except ValueError as error:
        st.error(inputs.plain(f"These settings cannot be run: {error}"))


def evaluation_costs() -> None:
    """Exact gradient vs central differences: what 100 steps cost, from Trajectory.evaluations."""
    rows = []
    for source in ("analytic", "finite_difference"):
        scene = compute.Scene(settings.surface_setting("rosenbrock"),
                              (settings.run("adam", lr=0.05),), 100,
                              gradient=settings.gradient_setting(source))
        path = compute.trajectories(scene)[0]
        ev = path.evaluations
        rows.append({"gradient source": source.replace("_", " "), "steps": path.steps,
                     "f evaluations": ev.function, "∇f evaluations": ev.gradient,
                     "final loss": float(path.loss[-1])})
    st.dataframe(rows, hide_index=True)


def batch_sizes(batch: int, key: str) -> None:
    """Noisy gradient descent with a batch of 1, the chosen batch and the exact gradient."""
    surface = settings.surface_setting("quadratic", condition_number=5.0)
    the_run = settings.run("sgd", lr=0.05)
    scenes = [
        compute.Scene(surface, (the_run,), 200, gradient=settings.gradient_setting(
            "noisy", noise_scale=4.0, batch_size=float(size)), names=(label,), first_color=i)
        for i, (size, label) in enumerate(((1, "stochastic: batch 1"),
                                           (batch, f"mini-batch: {batch}")))
    ]
    scenes.append(compute.Scene(surface, (the_run,), 200, names=("batch: exact gradient",),
                                first_color=2))
    player.show(tuple(scenes), key=f"{key}.map", curves=("gap",), clickable=False,
                sliders=False)


def optimizer_card(spec: OptimizerSpec) -> None:
    """An optimizer's update rule, what each hyperparameter does, and when to use it."""
    st.markdown(f"### {spec.title}")
    st.latex(spec.latex)
    st.markdown(spec.summary)
    if spec.symbols:
        st.caption("The symbols, by torch's names (hyperparameters and state buffers):")
        st.latex(figures.legend_latex(spec))
    st.markdown(f"**When to use it.** {spec.when_to_use}")
    st.dataframe([{"hyperparameter": hp.name, "symbol": figures.symbol_text(spec, hp.name),
                   "torch default": f"{hp.default:g}", "allowed": hp.allowed(),
                   "what it does": hp.description}
                  for hp in spec.hyperparameters], hide_index=True, width="stretch")
    st.caption(f"Reference: {spec.reference}")


def surface_card(name: str, *, with_map: bool) -> None:
    """A surface's formula, what it teaches, its known points and (optionally) its map."""
    surface = landscapes.get(name)
    st.markdown(f"### {surface.title}")
    st.latex(surface.latex)
    st.markdown(surface.description)
    if surface.parameters:
        st.caption("Parameters: " + "; ".join(
            f"{q.name} ({q.description}, {q.low:g} to {q.high:g}, default {q.default:g})"
            for q in surface.parameters))
    if with_map:
        view = compute.surface_view(settings.surface_setting(name))
        sections.chart(figures.surface_map(view, height=520), key=f"learn.map.{name}")
