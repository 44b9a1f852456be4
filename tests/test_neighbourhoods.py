"""A run's neighbourhoods: the grids its player sliders offer, and every path on them the run
``optimizers.simulate`` makes at that value, at the kept steps."""

from __future__ import annotations

import numpy as np
import pytest

import landscapes
import optimizers
from optimizers.specs import OPTIMIZERS_BY_NAME
from ui import neighbourhoods


def defaults(optimizer: str, **values: float) -> dict[str, float]:
    return {**OPTIMIZERS_BY_NAME[optimizer].defaults, **values}


@pytest.mark.parametrize("optimizer", optimizers.names())
def test_the_lr_grid_is_49_log_spaced_values_a_factor_100_each_side_with_the_own_lr_exactly(
        optimizer):
    h = defaults(optimizer, lr=0.0123)
    values = neighbourhoods.lr_values(optimizer, h)
    assert values.size == 49
    assert values[24] == 0.0123
    assert values[0] == pytest.approx(0.0123 / 100) and values[-1] == pytest.approx(1.23)
    assert np.allclose(np.diff(np.log(values)), np.log(100) / 24, atol=0.01)
    others = np.delete(values, 24)
    assert all(float(f"{v:.3g}") == v for v in others), "3 significant digits, for the link"


def test_the_lr_grid_keeps_only_rates_the_optimizer_accepts():
    values = neighbourhoods.lr_values("sgd", defaults("sgd", lr=100.0))  # lr <= 1000
    assert values.max() <= 1e3 and values[-1] == pytest.approx(1e3)
    assert 100.0 in values and values.size == 25 + 12


@pytest.mark.parametrize(("optimizer", "name", "low", "top"), [
    ("sgd", "momentum", 0.0, 0.999),
    ("momentum", "momentum", 0.01, 0.999),
    ("adam", "beta1", 0.0, 0.999),
    ("adadelta", "rho", 0.0, 0.999),
    ("rmsprop", "alpha", 0.0, 0.9999),
    ("lion", "beta1", 0.0, 0.999),
])
def test_the_beta_grid_spans_the_slider_evenly_in_log_one_minus_beta_with_the_own_value(
        optimizer, name, low, top):
    assert neighbourhoods.beta_parameter(optimizer) == name
    own = OPTIMIZERS_BY_NAME[optimizer].defaults[name]
    values = neighbourhoods.beta_values(optimizer, defaults(optimizer), name)
    assert values.size == 21 and values[0] == low and values[-1] == top
    assert own in values and np.all(np.diff(values) > 0)
    gaps = np.diff(np.log(1 - values))
    others = np.delete(gaps, [max(np.flatnonzero(values == own)[0] - 1, 0),
                              min(np.flatnonzero(values == own)[0], gaps.size - 1)])
    # all but the two gaps beside the own value; 1 - β is rounded to 2 significant digits
    assert np.allclose(others, others[0], atol=0.06)
    assert all(len(repr(float(v))) <= 7 for v in values), "short values, for the link"


@pytest.mark.parametrize("optimizer", ["adagrad", "newton", "rprop", "asgd"])
def test_an_optimizer_without_a_decay_rate_has_only_the_lr_slider(optimizer):
    """ASGD's alpha is the power of its rate's decay, not a running average's rate."""
    assert neighbourhoods.beta_parameter(optimizer) is None
    assert neighbourhoods.slider_parameters(optimizer) == ["lr"]


def test_a_beta_outside_the_slider_is_added_and_values_the_optimizer_refuses_are_left_out():
    values = neighbourhoods.beta_values("adam", defaults("adam", beta1=0.9999), "beta1")
    assert 0.9999 in values and values.size == 22 and values[0] == 0.0
    nesterov = neighbourhoods.beta_values("sgd", defaults("sgd", momentum=0.9, nesterov=1.0),
                                          "momentum")
    assert nesterov[0] > 0.0 and nesterov.size == 20  # Nesterov needs a momentum


def test_optimizers_without_a_decay_rate_have_only_the_lr_slider():
    assert neighbourhoods.slider_parameters("adagrad") == ["lr"]
    assert neighbourhoods.slider_parameters("newton") == ["lr"]
    assert neighbourhoods.slider_parameters("rmsprop") == ["lr", "alpha"]


SCENES = [
    pytest.param("rosenbrock", "sgd", {"lr": 2e-3}, (-1.5, 2.0), 1000, None, "analytic",
                 id="sgd-rosenbrock-1000-steps-with-divergent-values"),
    pytest.param("himmelblau", "adam", {"lr": 0.05}, (1.0, 4.5), 120,
                 {"name": "step", "step_size": 30, "gamma": 0.5},
                 {"name": "noisy", "noise_scale": 2.0}, id="adam-noisy-step-schedule"),
    pytest.param("booth", "newton", {}, (-8.0, 8.0), 40, None, "finite_difference",
                 id="newton-finite-differences"),
    pytest.param("linear_regression", "momentum", {"lr": 0.05}, None, 60, None,
                 {"name": "minibatch", "batch_size": 4}, id="momentum-mini-batches-on-data"),
]


@pytest.mark.parametrize(("surface", "optimizer", "values", "start", "steps", "schedule",
                          "gradient"), SCENES)
def test_every_path_is_the_run_simulate_makes_at_that_value(surface, optimizer, values, start,
                                                            steps, schedule, gradient):
    landscape = landscapes.get(surface, **({"size": 20} if surface in landscapes.data_names()
                                           else {}))
    start = start or landscape.start
    h = defaults(optimizer, **values)
    got = neighbourhoods.neighbourhood(landscape, optimizer, h, start, steps, schedule=schedule,
                                       gradient=gradient, seed=3)
    kept = got["steps"]
    assert kept[0] == 0 and kept[-1] == steps
    assert kept.size == min(steps + 1, neighbourhoods.MAX_KEPT)
    assert [s["name"] for s in got["sliders"]] == neighbourhoods.slider_parameters(optimizer)
    ends = set()
    for slider in got["sliders"]:
        assert slider["values"][slider["current"]] == h[slider["name"]]
        for i, value in enumerate(slider["values"]):
            path = optimizers.simulate(landscape, optimizer, start, steps, schedule=schedule,
                                       gradient=gradient, seed=3,
                                       **{**h, slider["name"]: value})
            here = kept < path.xy.shape[0]
            np.testing.assert_array_equal(slider["xy"][i, here], path.xy[kept[here]])
            # the loss over all the data, on mini-batches too
            np.testing.assert_array_equal(slider["loss"][i, here],
                                          landscape.f(*path.xy[kept[here]].T))
            np.testing.assert_array_equal(
                slider["grad_norm"][i, here], np.hypot(*path.grad[kept[here]].T))
            stepped = kept < path.lr.shape[0]
            np.testing.assert_array_equal(slider["lr"][i, stepped], path.lr[kept[stepped]])
            assert np.isnan(slider["xy"][i, ~here]).all() and np.isnan(slider["lr"][i, -1])
            assert slider["ended"][i] == optimizers.outcome(path, landscape).label
            ends.add(slider["ended"][i])
    if surface == "rosenbrock":
        assert "" in ends and any(e.startswith("diverged at step") for e in ends)


@pytest.mark.parametrize(("surface", "optimizer", "values", "start", "steps", "schedule",
                          "gradient"), SCENES)
def test_neighbourhoods_read_from_a_longer_run_are_the_same(surface, optimizer, values, start,
                                                           steps, schedule, gradient):
    landscape = landscapes.get(surface, **({"size": 20} if surface in landscapes.data_names()
                                           else {}))
    start = start or landscape.start
    h = defaults(optimizer, **values)
    settings = dict(schedule=schedule, gradient=gradient, seed=3)
    full = neighbourhoods.full_paths(landscape, optimizer, h, start, 2 * steps + 7, **settings)
    for n in (1, steps // 2, steps):
        direct = neighbourhoods.neighbourhood(landscape, optimizer, h, start, n, **settings)
        read = neighbourhoods.neighbourhood(landscape, optimizer, h, start, n, full=full,
                                            **settings)
        np.testing.assert_array_equal(read["steps"], direct["steps"])
        assert len(read["sliders"]) == len(direct["sliders"])
        for got, want in zip(read["sliders"], direct["sliders"], strict=True):
            assert got.keys() == want.keys()
            for key, value in want.items():
                np.testing.assert_array_equal(got[key], value, err_msg=f"{key} at {n} steps")


def test_a_scene_has_one_neighbourhood_per_run_in_order():
    from ui import compute, settings

    runs = (settings.run("adam", lr=0.05), settings.run("newton"),
            settings.run("momentum", lr=1e-3))
    scene = compute.Scene(settings.surface_setting("himmelblau"), runs, 50, start=(1.0, 4.5))
    got = compute.neighbourhoods(scene)
    assert [[s["name"] for s in n["sliders"]] for n in got] == [
        ["lr", "beta1"], ["lr"], ["lr", "momentum"]]
    assert [n["sliders"][0]["values"][n["sliders"][0]["current"]] for n in got] == [
        0.05, 1.0, 1e-3]



def test_a_change_to_one_run_computes_that_runs_neighbourhood_alone():
    """A released lr slider changes one run: the others' neighbourhoods are the ones made
    before (the same objects), and the changed run's is its own, at the new value."""
    from dataclasses import replace

    from ui import compute, settings

    runs = (settings.run("adam", lr=0.05), settings.run("momentum", lr=1e-3),
            settings.run("sgd", lr=0.01))
    scene = compute.Scene(settings.surface_setting("himmelblau"), runs, 40, start=(1.0, 4.5))
    before = compute.neighbourhoods(scene)
    moved = replace(scene, runs=(runs[0], settings.run("momentum", lr=2e-3), runs[2]))
    after = compute.neighbourhoods(moved)
    assert after[0] is before[0] and after[2] is before[2]
    assert after[1] is not before[1]
    lr = after[1]["sliders"][0]
    assert lr["values"][lr["current"]] == 2e-3

@pytest.mark.parametrize(("optimizer", "beta"), [("momentum", "momentum"), ("adam", "beta1")])
def test_a_schedule_that_sets_beta_at_every_step_leaves_only_the_lr_slider(optimizer, beta):
    """OneCycleLR with cycle_momentum sets the momentum (or β1) at every step, as torch does:
    every β would draw the same path, so the player offers no β slider; without it, it does."""
    h = defaults(optimizer, lr=0.01)
    cycled = {"name": "one_cycle", "max_lr": 0.01, "total_steps": 100}
    names = [[slider["name"] for slider in neighbourhoods.neighbourhood(
        landscapes.get("rosenbrock"), optimizer, h, (-1.5, 2.0), 100, schedule=schedule,
    )["sliders"]] for schedule in (cycled, {**cycled, "cycle_momentum": 0})]
    assert names == [["lr"], ["lr", beta]]
