"""A run's status in words (``figures.run_status``): one table of runs and what each says."""

import numpy as np
import pytest

import figures
import landscapes
import optimizers
from optimizers import Outcome

IN_WINDOW = Outcome("in the window")


def _run(points, outcome=IN_WINDOW, **extra):
    return {"xy": np.zeros((points, 2)), "outcome": outcome, **extra}


# run, the step shown (None: the end), the words
STATUS = [
    (_run(501), 0, "running"),
    (_run(501), 499, "running"),
    (_run(501), 500, "ran all 500 steps"),
    (_run(501), None, "ran all 500 steps"),
    (_run(2), None, "ran all 1 step"),
    (_run(37, Outcome("diverged", 37)), 10, "running"),
    (_run(37, Outcome("diverged", 37)), 36, "diverged at step 37"),  # its last point
    (_run(37, Outcome("diverged", 37)), 200, "diverged at step 37"),
    (_run(37, Outcome("diverged", 37)), None, "diverged at step 37"),
    (_run(201, Outcome("left the map", 80)), 79, "running"),
    (_run(201, Outcome("left the map", 80)), 80, "left the map at step 80"),
    (_run(201, Outcome("left the map", 80, unbounded=True)), None, "left the map at step 80"),
    (_run(501, reached_at=12, tolerance=1e-6), 11, "running"),
    (_run(501, reached_at=12, tolerance=1e-6), 12, "reached the tolerance at step 12"),
    (_run(501, reached_at=12, tolerance=1e-6), None, "reached the tolerance at step 12"),
    (_run(501, reached_at=None, tolerance=1e-6), None, "did not reach the tolerance in 500 steps"),
    (_run(501, reached_at=None, tolerance=1e-6), 100, "running"),
    # the latest event at the step shown: within the tolerance, then off the map
    (_run(201, Outcome("left the map", 80), reached_at=12, tolerance=1e-6), 50,
     "reached the tolerance at step 12"),
    (_run(201, Outcome("left the map", 80), reached_at=12, tolerance=1e-6), None,
     "left the map at step 80"),
]


@pytest.mark.parametrize(("run", "step", "words"), STATUS)
def test_a_runs_status_in_words(run, step, words):
    assert figures.run_status(run, step) == words


@pytest.mark.parametrize(("run", "step", "words"), [row for row in STATUS if row[1] is not None])
def test_the_player_says_the_same_words_at_each_step_from_the_runs_timeline(run, step, words):
    """The player's readout picks its words from ``timeline`` (as ``status_at`` does)."""
    assert figures.status_at(figures.timeline(run), step) == words


def test_a_table_also_says_why_a_run_that_left_may_never_come_back():
    run = _run(201, Outcome("left the map", 80, unbounded=True))
    assert figures.run_status(run, why=True) == ("left the map at step 80 (the loss falls "
                                                 "without bound this way)")


@pytest.mark.parametrize(("run", "words"), [
    (_run(501), ""),
    (_run(501, reached_at=None, tolerance=1e-6), ""),
    (_run(37, Outcome("diverged", 37)), "diverged at step 37"),
    (_run(501, reached_at=3, tolerance=1e-6), "reached the tolerance at step 3"),
])
def test_a_legend_adds_a_runs_last_event_to_its_name(run, words):
    assert figures.event_words(run) == words
    name = figures.animation.run_legend_name({**run, "name": "Adam"})
    assert name == (f"Adam — {words}" if words else "Adam")


def test_a_real_run_reaches_the_tolerance_and_says_so_where_it_is_known():
    surface = landscapes.get("quadratic", condition_number=1.0)
    path = optimizers.simulate(surface, "sgd", surface.start, 100, lr=0.1)
    reached = figures.steps_to_tolerance(path.loss, surface.minimum_value + 1e-6)
    assert reached is not None and 0 < reached < 100
    run = {"xy": path.xy, "outcome": optimizers.outcome(path, surface)}
    assert figures.run_status(run) == "ran all 100 steps"
    run.update(reached_at=reached, tolerance=1e-6)
    assert figures.run_status(run) == f"reached the tolerance at step {reached}"
    assert figures.run_status(run, reached - 1) == "running"


def test_a_scene_with_a_tolerance_writes_when_each_run_reached_it_into_the_csv():
    import io

    import pandas as pd

    from ui import compute, settings

    scene = compute.Scene(settings.surface_setting("quadratic", condition_number=1.0),
                          (settings.run("sgd", lr=0.1), settings.run("sgd", lr=1e-4)), 100,
                          tolerance=1e-6)
    text = compute.trajectories_csv(scene)
    assert "# tolerance: 1e-06" in text
    rows = pd.read_csv(io.StringIO(text), comment="#")
    words = rows.groupby("run", sort=False)["outcome"].first().tolist()
    assert words[0].startswith("reached the tolerance at step ")
    assert words[1] == "did not reach the tolerance in 100 steps"
