"""sweep and basins: many runs at once, each the same run ``simulate`` would make.

A sweep's cell (j, i) is the run with ``x_param = x_values[i]`` and ``y_param = y_values[j]``:
its final loss is ``simulate(...).loss[-1]``, its steps_to_tolerance the first index where the
loss is within ``tolerance`` of the global minimum value, its diverged_at simulate's. A basin
map labels each start of a grid over the window with the minimum its run ends near.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import landscapes
import optimizers
from optimizers import BasinsResult


def steps_to_tolerance(path, surface, tolerance):
    reached = np.flatnonzero(path.loss <= surface.minimum_value + tolerance)
    return int(reached[0]) if reached.size else -1


SWEEPS = [
    pytest.param(
        dict(landscape="rosenbrock", optimizer="adam", start=(-1.5, 2.0), steps=300,
             x_param="lr", x_values=[0.003, 0.03, 0.3], y_param="beta1",
             y_values=[0.0, 0.5, 0.9, 0.99], tolerance=1e-2),
        id="adam-lr-x-beta1-on-rosenbrock",
    ),
    pytest.param(
        dict(landscape="quadratic", optimizer="sgd", start=(-9.0, 3.0), steps=200,
             x_param="lr", x_values=[0.001, 0.01, 0.09, 0.11], y_param="momentum",
             y_values=[0.0, 0.5, 0.9], tolerance=1e-4),
        id="sgd-lr-x-momentum-on-quadratic-with-divergent-cells",
    ),
    pytest.param(
        dict(landscape="himmelblau", optimizer="rmsprop", start=(1.0, 4.5), steps=150,
             x_param="alpha", x_values=[0.5, 0.9, 0.99], y_param="centered",
             y_values=[False, True], lr=0.05, tolerance=1e-3,
             schedule={"name": "reduce_on_plateau", "patience": 3, "factor": 0.5}),
        id="rmsprop-alpha-x-centered-with-reduce-on-plateau",
    ),
    pytest.param(
        dict(landscape="booth", optimizer="newton", start=(-8.0, 8.0), steps=40,
             x_param="damping", x_values=[0.0, 1.0, 30.0], y_param="lr",
             y_values=[0.1, 1.0], tolerance=1e-8, schedule={"name": "cosine", "T_max": 30},
             gradient="finite_difference"),
        id="newton-damping-x-lr-with-cosine-and-finite-differences",
    ),
    pytest.param(
        dict(landscape="goldstein_price", optimizer="adagrad", start=(1.5, 1.5), steps=100,
             x_param="initial_accumulator_value", x_values=[0.0, 10.0], y_param="lr_decay",
             y_values=[0.0, 0.1], lr=0.3, tolerance=1.0),
        id="adagrad-two-non-lr-settings",
    ),
]


def simulate_cell(settings, x_value, y_value):
    settings = dict(settings)
    settings.pop("tolerance", None)
    x_param, y_param = settings.pop("x_param"), settings.pop("y_param")
    settings.pop("x_values"), settings.pop("y_values")
    return optimizers.simulate(
        settings.pop("landscape"), settings.pop("optimizer"), settings.pop("start"),
        settings.pop("steps"), **settings, **{x_param: x_value, y_param: y_value},
    )


def run_sweep(settings):
    settings = dict(settings)
    return optimizers.sweep(
        settings.pop("landscape"), settings.pop("optimizer"), settings.pop("start"),
        settings.pop("steps"), **settings,
    )


@pytest.mark.parametrize("settings", SWEEPS)
def test_each_cell_of_a_sweep_is_the_run_simulate_makes(settings):
    result = run_sweep(settings)
    surface = landscapes.get(settings["landscape"])
    shape = (len(settings["y_values"]), len(settings["x_values"]))
    assert result.final_loss.shape == result.steps_to_tolerance.shape == shape
    assert result.diverged_at.shape == shape
    np.testing.assert_array_equal(result.x_values, settings["x_values"])
    np.testing.assert_array_equal(result.y_values, settings["y_values"])
    assert (result.x_param, result.y_param) == (settings["x_param"], settings["y_param"])
    assert result.tolerance == settings["tolerance"]
    for j, y_value in enumerate(settings["y_values"]):
        for i, x_value in enumerate(settings["x_values"]):
            path = simulate_cell(settings, x_value, y_value)
            cell = f"cell ({j}, {i}): {settings['y_param']}={y_value}, " \
                   f"{settings['x_param']}={x_value}"
            assert result.final_loss[j, i] == path.loss[-1], cell
            assert result.steps_to_tolerance[j, i] == steps_to_tolerance(
                path, surface, settings["tolerance"]), cell
            expected_divergence = -1 if path.diverged_at is None else path.diverged_at
            assert result.diverged_at[j, i] == expected_divergence, cell


def test_the_sweeps_cover_convergence_non_convergence_and_divergence():
    """Otherwise the cell-by-cell test could not catch a wrong steps_to_tolerance."""
    results = [run_sweep(p.values[0]) for p in SWEEPS]
    assert any(np.any(r.steps_to_tolerance > 0) for r in results)
    assert any(np.any((r.steps_to_tolerance == -1) & (r.diverged_at == -1)) for r in results)
    assert any(np.any(r.diverged_at > 0) for r in results)


@pytest.mark.parametrize("gradient", ["analytic", "noisy"])
def test_a_cell_does_not_depend_on_the_rest_of_the_grid(gradient):
    settings = dict(landscape="rosenbrock", optimizer="nadam", start=(-1.5, 2.0), steps=100,
                    y_param="beta2", gradient=gradient, seed=5)
    among = optimizers.sweep(**settings, x_values=np.linspace(0.01, 0.1, 19),
                             y_values=np.linspace(0.9, 0.999, 11))
    j, i = 8, 9  # run 8 * 19 + 9 of 209: neither the first run nor in the first chunk
    among_cell = optimizers.sweep(**settings, x_values=[among.x_values[i]],
                                  y_values=[among.y_values[j]])
    assert among.final_loss[j, i] == among_cell.final_loss[0, 0]
    assert among.steps_to_tolerance[j, i] == among_cell.steps_to_tolerance[0, 0]


def test_with_noisy_gradients_each_cell_is_still_the_run_simulate_makes():
    settings = dict(landscape="quadratic", optimizer="sgd", start=(-9.0, 3.0), steps=50,
                    x_param="lr", x_values=[0.01, 0.02], y_param="momentum",
                    y_values=[0.0, 0.5], tolerance=1e-3, seed=11,
                    gradient={"name": "noisy", "noise_scale": 5.0})
    result = run_sweep(settings)
    for j, y_value in enumerate(settings["y_values"]):
        for i, x_value in enumerate(settings["x_values"]):
            path = simulate_cell(settings, x_value, y_value)
            assert result.final_loss[j, i] == path.loss[-1]


def test_a_noisy_sweep_is_reproducible():
    settings = dict(landscape="quadratic", optimizer="sgd", start=(-9.0, 3.0), steps=50,
                    x_param="lr", x_values=[0.01, 0.02], y_param="momentum",
                    y_values=[0.0, 0.5], seed=11, gradient="noisy")
    first, second = run_sweep(settings), run_sweep(settings)
    np.testing.assert_array_equal(first.final_loss, second.final_loss)


BAD_SWEEPS = [
    ("empty x_values", {"x_values": []},
     "Invalid x_values: [] (allowed: a non-empty list of numbers)"),
    ("empty y_values", {"y_values": ()},
     "Invalid y_values: () (allowed: a non-empty list of numbers)"),
    ("y_param = x_param", {"y_param": "lr"},
     "Invalid y_param: 'lr' (allowed: different from x_param)"),
    ("y_param not taken", {"y_param": "beta1"},
     "Invalid hyperparameter for sgd: 'beta1' (sgd takes: lr, momentum, dampening, nesterov, "
     "weight_decay)"),
    ("x_param unknown", {"x_param": "learning_rate"},
     "Invalid hyperparameter for sgd: 'learning_rate'"),
    ("invalid value in the grid", {"x_values": [0.1, -1.0]},
     "Invalid learning rate: -1.0 (allowed: 0 < lr <= 1000)"),
    ("nan in the grid", {"y_values": [0.5, math.nan]},
     "Invalid momentum value: nan (allowed: 0 <= momentum <= 1)"),
    ("too many runs", {"x_values": np.linspace(1e-3, 0.1, 1001),
                       "y_values": np.linspace(0.0, 0.9, 1000)},
     "Invalid grid: 1000 x 1001 runs (allowed: at most 1000000)"),
    ("tolerance 0", {"tolerance": 0}, "Invalid tolerance: 0.0 (allowed: tolerance > 0)"),
    ("tolerance nan", {"tolerance": math.nan}, "Invalid tolerance: nan (allowed: tolerance > 0)"),
    ("steps < 0", {"steps": -1}, "Invalid steps: -1"),
    ("start outside", {"start": (500.0, 0.0)}, "Invalid start: (500.0, 0.0)"),
    ("x_values not numbers", {"x_values": ["fast"]},
     "Invalid x_values: ['fast'] (allowed: a non-empty list of numbers)"),
    ("y_values not a list", {"y_values": None},
     "Invalid y_values: None (allowed: a non-empty list of numbers)"),
]


@pytest.mark.parametrize(
    ("case", "changes", "message"),
    [pytest.param(*row, id=row[0]) for row in BAD_SWEEPS],
)
def test_bad_sweep_input_is_refused(case, changes, message):
    arguments = dict(landscape="rosenbrock", optimizer="sgd", start=(-1.5, 2.0), steps=5,
                     x_values=[0.001, 0.01], y_param="momentum", y_values=[0.0, 0.9])
    arguments.update(changes)
    with pytest.raises(ValueError) as refused:
        optimizers.sweep(**arguments)
    assert message in str(refused.value)


# --- basins ------------------------------------------------------------------------------------

HIMMELBLAU = landscapes.get("himmelblau")


def himmelblau_basins(**settings):
    # resolution 11 puts a grid point on every whole number of [-5, 5], so on (3, 2)
    return optimizers.basins("himmelblau", "sgd", 300, resolution=11, lr=0.01, **settings)


def test_basins_of_himmelblau_find_all_four_minima():
    result = himmelblau_basins()
    assert result.minimum.shape == (11, 11) and result.final_xy.shape == (11, 11, 2)
    assert [(p.x, p.y) for p in result.minima] == list(HIMMELBLAU.minima)
    assert set(np.unique(result.minimum)) >= {0, 1, 2, 3}
    assert result.radius == pytest.approx(0.02 * math.hypot(10, 10))


def test_a_start_exactly_on_a_minimum_is_labelled_with_that_minimum():
    result = himmelblau_basins()
    j, i = int(np.flatnonzero(result.ys == 2.0)[0]), int(np.flatnonzero(result.xs == 3.0)[0])
    k = [(p.x, p.y) for p in result.minima].index((3.0, 2.0))
    assert result.minimum[j, i] == k
    np.testing.assert_array_equal(result.final_xy[j, i], [3.0, 2.0])


def test_each_basin_cell_ends_where_simulate_ends():
    result = himmelblau_basins()
    for j in range(0, 11, 3):
        for i in range(0, 11, 4):
            path = optimizers.simulate("himmelblau", "sgd", (result.xs[i], result.ys[j]), 300,
                                       lr=0.01)
            np.testing.assert_array_equal(result.final_xy[j, i], path.xy[-1])
            label = result.minimum[j, i]
            if path.diverged:
                assert label == BasinsResult.DIVERGED
            elif label >= 0:
                minimum = result.minima[label]
                assert math.dist(path.xy[-1], (minimum.x, minimum.y)) <= result.radius


def test_runs_that_end_nowhere_or_diverge_are_labelled_so():
    stalled = optimizers.basins("himmelblau", "sgd", 1, resolution=5, lr=1e-6)
    assert np.all(stalled.minimum == BasinsResult.NOWHERE)
    exploded = optimizers.basins("himmelblau", "sgd", 50, resolution=5, lr=1.0)
    assert np.all(exploded.minimum == BasinsResult.DIVERGED)


def test_a_surface_without_minima_labels_nothing_but_divergence():
    result = optimizers.basins("saddle", "sgd", 50, resolution=4, lr=0.1)
    assert result.minima == ()
    assert set(np.unique(result.minimum)) <= {BasinsResult.NOWHERE, BasinsResult.DIVERGED}


BAD_BASINS = [
    ("resolution 1", {"resolution": 1},
     "Invalid resolution: 1 (allowed: an integer, 2 <= resolution <= 1000)"),
    ("resolution 1001", {"resolution": 1001}, "Invalid resolution: 1001"),
    ("resolution a float", {"resolution": 10.0}, "Invalid resolution: 10.0"),
    ("resolution a bool", {"resolution": True}, "Invalid resolution: True"),
    ("steps a float", {"steps": 5.0}, "Invalid steps: 5.0"),
    ("unknown optimizer", {"optimizer": "sdg"}, "Unknown optimizer: 'sdg'"),
    ("bad hyperparameter", {"lr": 0}, "Invalid learning rate: 0.0"),
    ("radius < 0", {"radius": -1.0}, "Invalid radius: -1.0 (allowed: a number > 0)"),
    ("radius 0", {"radius": 0}, "Invalid radius: 0.0 (allowed: a number > 0)"),
    ("radius nan", {"radius": math.nan}, "Invalid radius: nan (allowed: a number > 0)"),
    ("radius not a number", {"radius": "big"}, "Invalid radius: 'big' (allowed: a number)"),
]


@pytest.mark.parametrize(
    ("case", "changes", "message"),
    [pytest.param(*row, id=row[0]) for row in BAD_BASINS],
)
def test_bad_basins_input_is_refused(case, changes, message):
    arguments = dict(landscape="himmelblau", optimizer="sgd", steps=5, resolution=4)
    arguments.update(changes)
    with pytest.raises(ValueError) as refused:
        optimizers.basins(**arguments)
    assert message in str(refused.value)


def test_a_bad_radius_is_refused_before_any_run(monkeypatch):
    def no_runs(*args, **kwargs):
        raise AssertionError("basins ran the batch before validating radius")

    monkeypatch.setattr(optimizers.api, "_run_batch", no_runs)
    with pytest.raises(ValueError, match="Invalid radius"):
        optimizers.basins("himmelblau", "sgd", 5, resolution=4, radius=-1.0)


def test_a_grid_of_valid_cells_is_accepted_even_if_one_axis_alone_would_not_be():
    settings = dict(landscape="quadratic", optimizer="sgd", start=(-9.0, 3.0), steps=30,
                    x_param="momentum", x_values=[0.5, 0.9], y_param="nesterov",
                    y_values=[False, True], lr=0.01, tolerance=1e-3)
    result = run_sweep(settings)
    for j, y_value in enumerate(settings["y_values"]):
        for i, x_value in enumerate(settings["x_values"]):
            assert result.final_loss[j, i] == simulate_cell(settings, x_value, y_value).loss[-1]


# --- paths: one run over many values of one hyperparameter, strided ------------------------------

PATHS = [
    pytest.param(dict(landscape="rosenbrock", optimizer="sgd", start=(-1.5, 2.0), steps=1000,
                      param="lr", values=np.geomspace(2e-5, 0.2, 49)),
                 id="sgd-lr-on-rosenbrock-some-diverge"),
    pytest.param(dict(landscape="himmelblau", optimizer="adam", start=(1.0, 4.5), steps=120,
                      param="beta1", values=[0.0, 0.5, 0.9, 0.99, 0.999], lr=0.3,
                      schedule={"name": "step", "step_size": 30, "gamma": 0.5},
                      gradient={"name": "noisy", "noise_scale": 2.0}, seed=7, cap=50),
                 id="adam-beta1-noisy-step-schedule"),
    pytest.param(dict(landscape="booth", optimizer="newton", start=(-8.0, 8.0), steps=40,
                      param="lr", values=[0.1, 1.0, 2.5], gradient="finite_difference"),
                 id="newton-lr-finite-differences"),
    pytest.param(dict(landscape="himmelblau", optimizer="rmsprop", start=(1.0, 4.5), steps=150,
                      param="alpha", values=[0.5, 0.9, 0.99], lr=0.05,
                      schedule={"name": "reduce_on_plateau", "patience": 3, "factor": 0.5}),
                 id="rmsprop-alpha-reduce-on-plateau"),
    pytest.param(dict(landscape="saddle", optimizer="momentum", start=(-1.8, 0.01), steps=300,
                      param="lr", values=np.geomspace(1e-3, 30.0, 300)),
                 id="momentum-300-runs-in-two-chunks-on-two-threads-ending-every-way"),
]


@pytest.mark.parametrize("kwargs", PATHS)
def test_each_path_is_the_run_simulate_makes_at_its_value(kwargs):
    kwargs = dict(kwargs)
    landscape, optimizer, start, steps = (kwargs.pop(k) for k in
                                          ("landscape", "optimizer", "start", "steps"))
    param, values = kwargs.pop("param"), kwargs.pop("values")
    cap = kwargs.pop("cap", 300)
    result = optimizers.paths(landscape, optimizer, start, steps, param=param, values=values,
                              cap=cap, **kwargs)
    kept = result.steps
    np.testing.assert_array_equal(kept, optimizers.strided_indices(steps + 1, cap))
    np.testing.assert_array_equal(result.values, values)
    for i, value in enumerate(values):
        path = optimizers.simulate(landscape, optimizer, start, steps, **{**kwargs, param: value})
        here = kept < path.xy.shape[0]
        np.testing.assert_array_equal(result.xy[i, here], path.xy[kept[here]])
        np.testing.assert_array_equal(result.loss[i, here], path.loss[kept[here]])
        np.testing.assert_array_equal(result.grad_norm[i, here],
                                      np.hypot(*path.grad[kept[here]].T))
        stepped = kept < path.lr.shape[0]
        np.testing.assert_array_equal(result.lr[i, stepped], path.lr[kept[stepped]])
        assert np.isnan(result.xy[i, ~here]).all() and np.isnan(result.lr[i, ~stepped]).all()
        assert result.diverged_at[i] == (-1 if path.diverged_at is None else path.diverged_at)
        np.testing.assert_array_equal(result.final_xy[i], path.xy[-1])
        assert result.ended[i] == optimizers.outcome(path, landscape)
    if landscape == "saddle":  # the table's runs end every way a run can
        assert {outcome.kind for outcome in result.ended} == set(optimizers.OUTCOME_KINDS)


FIRST_STEPS = [
    *PATHS,
    *(pytest.param(dict(landscape="rosenbrock", optimizer=name, start=(-1.5, 2.0), steps=60,
                        param="lr", values=np.geomspace(1e-4, 3.0, 9)), id=f"{name}-lr")
      for name in optimizers.names()),
    *(pytest.param(dict(landscape="himmelblau", optimizer="momentum", start=(1.0, 4.5),
                        steps=80, param="momentum", values=[0.3, 0.6, 0.9], lr=0.01,
                        schedule=schedule), id=f"schedule-{schedule['name']}")
      for schedule in ({"name": "cosine", "T_max": 50},
                       {"name": "lambda", "lr_lambda": "1/(1 + t)"},
                       {"name": "cyclic", "step_size_up": 7, "mode": "triangular2"},
                       {"name": "one_cycle", "max_lr": 0.05, "total_steps": 80},
                       {"name": "sequential", "milestones": [20],
                        "schedulers": ["constant", {"name": "step", "step_size": 5}]})),
    pytest.param(dict(landscape=landscapes.get("linear_regression", size=40), optimizer="adam",
                      start=None, steps=90, param="lr", values=[0.01, 0.1, 1.0],
                      gradient={"name": "minibatch", "batch_size": 7}, seed=3),
                 id="adam-lr-minibatches"),
]


@pytest.mark.parametrize("kwargs", FIRST_STEPS)
def test_the_first_steps_of_a_longer_run_are_the_shorter_run(kwargs):
    kwargs = dict(kwargs)
    landscape, optimizer, start, steps = (kwargs.pop(k) for k in
                                          ("landscape", "optimizer", "start", "steps"))
    cap = kwargs.pop("cap", 300)
    if start is None:
        start = landscape.start
    full = optimizers.paths(landscape, optimizer, start, steps, cap=steps + 1, **kwargs)
    for n in sorted({1, 2, steps // 3, steps - 1, steps}):
        shorter = optimizers.paths(landscape, optimizer, start, n, cap=cap, **kwargs)
        read = optimizers.first_steps(full, landscape, n, cap)
        for name in ("steps", "values", "xy", "loss", "grad_norm", "lr", "diverged_at",
                     "final_xy"):
            np.testing.assert_array_equal(getattr(read, name), getattr(shorter, name),
                                          err_msg=f"{name} after {n} steps")
        assert read.ended == shorter.ended, n
    np.testing.assert_array_equal(full.steps, np.arange(steps + 1))  # full is left as it was


def test_first_steps_refuse_a_run_kept_at_fewer_points_or_shorter():
    strided = optimizers.paths("rosenbrock", "sgd", (-1.5, 2.0), 10, param="lr",
                               values=[1e-3], cap=5)
    full = optimizers.paths("rosenbrock", "sgd", (-1.5, 2.0), 10, param="lr", values=[1e-3],
                            cap=11)
    for paths, steps in ((strided, 4), (full, 11)):
        with pytest.raises(ValueError, match="Invalid full"):
            optimizers.first_steps(paths, "rosenbrock", steps)
    with pytest.raises(ValueError, match="Invalid cap: 1"):
        optimizers.first_steps(full, "rosenbrock", 4, 1)


@pytest.mark.parametrize(("kwargs", "message"), [
    (dict(param="lr", values=[]), "Invalid values: [] (allowed: a non-empty list of numbers)"),
    (dict(param="lr", values=[0.1, -1.0]), "Invalid learning rate: -1.0"),
    (dict(param="beta1", values=[0.5]), "Invalid hyperparameter for sgd: 'beta1'"),
    (dict(param="lr", values=[0.1], cap=1), "Invalid cap: 1 (allowed: an integer >= 2)"),
    (dict(param="momentum", values=[0.0, 0.9], nesterov=True),
     "Nesterov momentum requires a momentum and zero dampening"),
])
def test_paths_refuse_bad_input_with_a_message(kwargs, message):
    with pytest.raises(ValueError) as error:
        optimizers.paths("rosenbrock", "sgd", (-1.5, 2.0), 10, **kwargs)
    assert str(error.value).startswith(message)
