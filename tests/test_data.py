"""Data surfaces and real mini-batches.

* A data surface is a model's loss averaged over a dataset drawn from a seed: value, gradient
  and Hessian agree with finite differences; linear regression's listed minimum is the exact
  least-squares fit; the tanh network has mirror minima and a saddle at the origin.
* The ``minibatch`` source deals examples as a shuffled data loader does: each epoch visits
  every example exactly once (the keyed permutation, tested directly), batch size n is exactly
  full-batch descent, runs are reproducible from their seed, and a batch gradient is an
  unbiased estimate of the full gradient.
* Evaluations count per-example gradients; finite differences work on data surfaces too.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import landscapes
import optimizers
from landscapes import data, kinds, models
from landscapes.hashing import splitmix64
from optimizers import engine
from optimizers.api import batch_examples

KINDS = landscapes.data_names()
POINTS = [(0.7, -0.4), (-1.3, 0.9), (2.1, 1.7)]


def _surface(kind: str, **settings):
    return landscapes.from_data(kind, **{"size": 60, "seed": 4, **settings})


def _minibatch(size: int) -> dict:
    return {"name": "minibatch", "batch_size": size}


# --- the surfaces ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("point", POINTS)
def test_gradient_and_hessian_match_finite_differences(kind, point):
    surface = _surface(kind)
    x, y, h = *point, 1e-5
    gx, gy = surface.grad(x, y)
    fd_x = (surface.f(x + h, y) - surface.f(x - h, y)) / (2 * h)
    fd_y = (surface.f(x, y + h) - surface.f(x, y - h)) / (2 * h)
    np.testing.assert_allclose([gx, gy], [fd_x, fd_y], rtol=1e-6, atol=1e-7)
    (fxx, fxy), (fyx, fyy) = surface.hessian(x, y)
    assert fxy == fyx
    dx = np.subtract(surface.grad(x + h, y), surface.grad(x - h, y)) / (2 * h)
    dy = np.subtract(surface.grad(x, y + h), surface.grad(x, y - h)) / (2 * h)
    np.testing.assert_allclose([fxx, fxy, fyy], [dx[0], dx[1], dy[1]], rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("kind", KINDS)
def test_the_loss_is_the_mean_of_the_example_losses(kind):
    surface = _surface(kind)
    u, v = surface.dataset
    w, b = 0.8, -0.3
    z = w * u + b
    expected = {
        "linear_regression": np.mean((z - v) ** 2),
        "logistic_regression": np.mean(np.logaddexp(0.0, z) - v * z),
        "tanh_network": np.mean((b * np.tanh(w * u) - v) ** 2),
    }[kind]
    assert surface.f(w, b) == pytest.approx(expected, rel=1e-12)


def test_the_listed_linear_regression_minimum_is_the_least_squares_fit():
    surface = _surface("linear_regression", noise=0.7)
    (w, b), = surface.minima
    np.testing.assert_allclose(surface.grad(w, b), (0.0, 0.0), atol=1e-12)
    u, v = surface.dataset
    np.testing.assert_allclose((w, b), np.polyfit(u, v, 1), rtol=1e-10)


@pytest.mark.parametrize("kind", ["logistic_regression", "tanh_network"])
def test_the_located_minima_have_zero_gradient_and_positive_curvature(kind):
    surface = _surface(kind)
    assert surface.minima
    for x, y in surface.minima:
        np.testing.assert_allclose(surface.grad(x, y), (0.0, 0.0), atol=1e-9)
        (a, b), (_, c) = surface.hessian(x, y)
        assert a > 0 and a * c - b * b > 0


def test_the_tanh_network_has_mirror_minima_and_a_saddle_at_the_origin():
    surface = _surface("tanh_network")
    (x1, y1), (x2, y2) = surface.minima
    assert (x2, y2) == (-x1, -y1)
    assert surface.f(x1, y1) == pytest.approx(surface.f(x2, y2), rel=1e-12)
    assert surface.grad(0.0, 0.0) == (0.0, 0.0)
    (a, b), (_, c) = surface.hessian(0.0, 0.0)
    assert a * c - b * b < 0
    assert (0.0, 0.0, landscapes.SADDLE_POINT) in {(p.x, p.y, p.kind) for p in surface.points}


def test_noise_free_separable_labels_list_no_minimum():
    assert not _surface("logistic_regression", noise=0.0).minima


def test_the_same_settings_give_the_same_data_and_a_new_seed_new_data():
    a, b = _surface("linear_regression"), _surface("linear_regression")
    c = _surface("linear_regression", seed=5)
    np.testing.assert_array_equal(a.dataset[0], b.dataset[0])
    assert not np.array_equal(a.dataset[0], c.dataset[0])
    assert a.data_size == 60 and landscapes.get("rosenbrock").data_size == 0


@pytest.mark.parametrize(("call", "message"), [
    (lambda: landscapes.from_data("quadratic"), "Unknown data surface: 'quadratic'"),
    (lambda: landscapes.from_data("linear_regression", size=1), "Invalid size: 1"),
    (lambda: landscapes.from_data("linear_regression", size=2.5), "Invalid size: 2.5"),
    (lambda: landscapes.from_data("linear_regression", noise=-1), "Invalid noise: -1"),
    (lambda: landscapes.from_data("tanh_network", seed=-3), "Invalid seed: -3"),
    (lambda: optimizers.simulate("rosenbrock", "sgd", (0, 0), 3, gradient="minibatch"),
     "Invalid gradient source for surface 'rosenbrock': 'minibatch'"),
    (lambda: optimizers.simulate(_surface("tanh_network"), "sgd", (0, 0), 3,
                                 gradient=_minibatch(0)),
     "Invalid batch_size for gradient source 'minibatch': 0"),
])
def test_bad_inputs_raise_with_the_value_named(call, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call()


# --- the shuffled loader -----------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 3, 7, 8, 9, 31, 100, 257, 1000])
@pytest.mark.parametrize("key", [1, 2, 0xDEADBEEF, 2**64 - 1])
def test_each_epoch_visits_every_example_exactly_once(n, key):
    order = [models.shuffled_index(i, n, np.uint64(key)) for i in range(n)]
    assert sorted(order) == list(range(n))


def test_different_keys_give_different_orders():
    orders = {tuple(models.shuffled_index(i, 50, np.uint64(key)) for i in range(50))
              for key in range(1, 21)}
    assert len(orders) == 20


def _epoch_key(seed, epoch):
    """The key of an epoch's order, as the engine hashes it: splitmix64(splitmix64(seed) ^
    epoch), made odd (0 means data order)."""
    mix = splitmix64.py_func
    with np.errstate(over="ignore"):
        return mix(mix(np.uint64(seed)) ^ np.uint64(epoch)) | np.uint64(1)


def _batch_gradient(surface, size, seed, t, x, y):
    return engine.minibatch(np.int64(kinds.DATA_MODEL[surface.code]), surface.surface_params,
                            float(size), np.int64(seed), np.int64(t), float(x), float(y))


@pytest.mark.parametrize(("n", "size"), [(10, 3), (12, 4), (7, 1), (9, 8)])
def test_an_epoch_is_ceil_n_over_b_batches_covering_every_example_once(n, size):
    """Gradients of one-example datasets pick out which examples a batch used."""
    surface = landscapes.from_data("linear_regression", size=n, seed=1)
    u, v = surface.dataset
    x, y = 0.3, -0.2
    per_example = np.column_stack([2 * (x * u + y - v) * u, 2 * (x * u + y - v)])
    batches = math.ceil(n / size)
    for epoch in range(3):
        total = np.zeros(2)
        for j in range(batches):
            _, gx, gy = _batch_gradient(surface, size, 7, epoch * batches + j, x, y)
            taken = size if j < batches - 1 else n - size * (batches - 1)  # the last is smaller
            total += np.array([gx, gy]) * taken  # a batch mean times its size: its sum
        # the sums of an epoch's batches add up to the sum over every example, once each
        np.testing.assert_allclose(total, per_example.sum(axis=0), rtol=1e-10, atol=1e-12)


def test_the_loader_order_is_the_keyed_permutation_of_the_epoch():
    surface = landscapes.from_data("linear_regression", size=10, seed=2)
    u, v = surface.dataset
    x, y = 0.5, 0.1
    per_example = np.column_stack([2 * (x * u + y - v) * u, 2 * (x * u + y - v)])
    seed, size = 3, 4
    for t in range(6):
        epoch, j = divmod(t, 3)
        key = _epoch_key(seed, epoch)
        positions = range(j * size, min((j + 1) * size, 10))
        chosen = [models.shuffled_index(p, 10, key) for p in positions]
        _, gx, gy = _batch_gradient(surface, size, seed, t, x, y)
        np.testing.assert_allclose((gx, gy), per_example[chosen].mean(axis=0), rtol=1e-12)


# --- mini-batch runs ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("optimizer", ["sgd", "adam", "newton"])
def test_batch_size_n_or_more_is_exactly_the_full_batch_path(kind, optimizer):
    surface = _surface(kind)
    lr = 1.0 if optimizer == "newton" else 0.05
    full = optimizers.simulate(surface, optimizer, surface.start, 200, lr=lr)
    for size in (60, 61, 1000):
        batch = optimizers.simulate(surface, optimizer, surface.start, 200, lr=lr, seed=3,
                                    gradient=_minibatch(size))
        np.testing.assert_array_equal(batch.xy, full.xy)
        np.testing.assert_array_equal(batch.loss, full.loss)


@pytest.mark.parametrize("kind", KINDS)
def test_a_mini_batch_run_is_reproducible_from_its_seed(kind):
    surface = _surface(kind)

    def run(seed):
        return optimizers.simulate(surface, "momentum", surface.start, 300, lr=0.02, seed=seed,
                                   gradient=_minibatch(5))

    first, again, other = run(11), run(11), run(12)
    np.testing.assert_array_equal(first.xy, again.xy)
    np.testing.assert_array_equal(first.grad, again.grad)
    assert not np.array_equal(first.xy, other.xy)


def _loader_batch(n, size, seed, t):
    """The examples of mini-batch t: the keyed permutation of its epoch, as the engine deals."""
    batches = math.ceil(n / size)
    epoch, j = divmod(t, batches)
    key = _epoch_key(seed, epoch)
    return [models.shuffled_index(p, n, key) for p in range(j * size, min((j + 1) * size, n))]


def test_trajectory_loss_and_grad_are_the_batchs_as_a_torch_loop_reports_them():
    """loss_t = mean over the batch of (w u + b - v)^2, and its gradient: not the full data."""
    n, size, seed = 10, 4, 3
    surface = landscapes.from_data("linear_regression", size=n, seed=2)
    u, v = surface.dataset
    path = optimizers.simulate(surface, "sgd", surface.start, 9, lr=0.05, seed=seed,
                               gradient=_minibatch(size))
    for t in range(10):
        x, y = path.xy[t]
        chosen = _loader_batch(n, size, seed, t)
        residual = (x * u + y - v)[chosen]
        assert path.loss[t] == pytest.approx(np.mean(residual**2), rel=1e-12)
        np.testing.assert_allclose(path.grad[t], [np.mean(2 * residual * u[chosen]),
                                                  np.mean(2 * residual)], rtol=1e-12)
    full = surface.f(path.xy[:, 0], path.xy[:, 1])
    assert not np.allclose(path.loss, full), "a batch's loss is not the full-data loss"


@pytest.mark.parametrize("kind", KINDS)
def test_the_expected_batch_gradient_is_the_full_gradient(kind):
    """Averaged over 400 seeds x 20 steps, a batch gradient of 5 of 60 examples has a standard
    error of about 1/90 of one batch's spread: the mean must lie within 5 standard errors."""
    surface = _surface(kind)
    x, y = 0.9, 0.6
    draws = np.array([_batch_gradient(surface, 5, seed, t, x, y)[1:]
                      for seed in range(400) for t in range(20)])
    standard_error = draws.std(axis=0) / math.sqrt(draws.shape[0])
    np.testing.assert_array_less(np.abs(draws.mean(axis=0) - surface.grad(x, y)),
                                 5 * standard_error + 1e-12)


def test_sgd_with_batch_one_moves_differently_from_full_batch_and_stays_finite():
    surface = _surface("tanh_network")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sgd = optimizers.simulate(surface, "sgd", surface.start, 500, lr=0.05,
                                  gradient=_minibatch(1))
    full = optimizers.simulate(surface, "sgd", surface.start, 500, lr=0.05)
    assert sgd.diverged_at is None and np.all(np.isfinite(sgd.xy))
    assert not np.array_equal(sgd.xy, full.xy)


@pytest.mark.parametrize(("n", "size", "steps", "examples"), [
    (10, 3, 4, 10), (10, 3, 5, 13), (10, 10, 3, 30), (10, 50, 2, 20), (7, 1, 9, 9),
])
def test_a_loader_deals_these_many_examples(n, size, steps, examples):
    assert batch_examples(n, size, steps) == examples


def test_evaluations_count_example_gradients():
    surface = _surface("linear_regression")
    batch = optimizers.simulate(surface, "sgd", surface.start, 29, lr=0.01,
                                gradient=_minibatch(8))
    # 30 points; an epoch is 8 batches (7 of 8 examples and one of 4)
    assert batch.evaluations == optimizers.Evaluations(
        function=30, gradient=30, examples=3 * 60 + 6 * 8)
    full = optimizers.simulate(surface, "sgd", surface.start, 29, lr=0.01)
    assert full.evaluations == optimizers.Evaluations(function=30, gradient=30, examples=30 * 60)


@pytest.mark.parametrize("kind", KINDS)
def test_finite_differences_work_on_data_surfaces_and_cost_five_passes(kind):
    surface = _surface(kind)
    fd = optimizers.simulate(surface, "adam", surface.start, 50, lr=0.05,
                             gradient={"name": "finite_difference", "h": 1e-6})
    exact = optimizers.simulate(surface, "adam", surface.start, 50, lr=0.05)
    np.testing.assert_allclose(fd.grad[:5], exact.grad[:5], rtol=1e-5, atol=1e-7)
    assert fd.evaluations == optimizers.Evaluations(function=5 * 51, gradient=0)


def test_a_sweep_runs_on_a_data_surface_with_mini_batches():
    surface = _surface("linear_regression")
    result = optimizers.sweep(surface, "sgd", surface.start, 100, x_values=[0.01, 0.05],
                              y_param="momentum", y_values=[0.0, 0.5], gradient=_minibatch(8),
                              seed=1)
    single = optimizers.simulate(surface, "sgd", surface.start, 100, lr=0.05, momentum=0.5,
                                 gradient=_minibatch(8), seed=1)
    assert result.final_loss[1, 1] == single.loss[-1]


def test_get_by_name_builds_a_data_surface():
    surface = landscapes.get("tanh_network", size=30, noise=0.1, seed=2)
    assert surface.data_size == 30 and surface.code == kinds.DATA["tanh_network"]
    assert "tanh_network" not in landscapes.names()
    assert list(data.KINDS) == KINDS


# --- schedules counted in epochs ---------------------------------------------------------------


@pytest.mark.parametrize(("n", "size"), [(60, 8), (60, 60), (61, 20), (7, 1)])
@pytest.mark.parametrize(("schedule", "closed_form"), [
    ({"name": "step", "step_size": 2, "gamma": 0.5}, lambda e: 0.5 ** (e // 2)),
    ({"name": "exponential", "gamma": 0.9}, lambda e: 0.9**e),
    ({"name": "multistep", "milestones": [1, 3], "gamma": 0.1},
     lambda e: 0.1 ** (int(e >= 1) + int(e >= 3))),
])
def test_an_epoch_schedule_steps_once_per_pass_over_the_data(n, size, schedule, closed_form):
    """As a loop calling scheduler.step() after each epoch: the rate of step t is the closed
    form at epoch t // ceil(n / B)."""
    surface = landscapes.from_data("linear_regression", size=n, seed=4)
    steps = 5 * math.ceil(n / size)
    path = optimizers.simulate(surface, "sgd", surface.start, steps, lr=0.01, seed=1,
                               gradient=_minibatch(size),
                               schedule={**schedule, "interval": "epoch"})
    epochs = np.arange(steps) // math.ceil(n / size)
    np.testing.assert_allclose(path.lr, [0.01 * closed_form(e) for e in epochs], rtol=1e-12)
    assert path.config["schedule"]["interval"] == "epoch"


@pytest.mark.parametrize("gradient", ["analytic", "finite_difference", {"name": "minibatch",
                                                                          "batch_size": 500}])
def test_with_the_full_batch_an_epoch_is_one_step(gradient):
    surface = _surface("logistic_regression")
    schedule = {"name": "cosine", "T_max": 50}
    by_step = optimizers.simulate(surface, "adam", surface.start, 80, lr=0.05, gradient=gradient,
                                  schedule=schedule)
    by_epoch = optimizers.simulate(surface, "adam", surface.start, 80, lr=0.05,
                                   gradient=gradient, schedule={**schedule, "interval": "epoch"})
    np.testing.assert_array_equal(by_epoch.lr, by_step.lr)
    np.testing.assert_array_equal(by_epoch.xy, by_step.xy)


def test_reduce_on_plateau_by_epoch_is_given_each_epochs_mean_batch_loss():
    """scheduler.step(running_loss / batches) after each epoch, as a typical torch loop."""
    from tests.test_schedules import ReduceLROnPlateau

    n, size, lr = 60, 8, 0.5
    batches = math.ceil(n / size)
    settings = {"patience": 1, "factor": 0.5}
    surface = _surface("tanh_network")
    path = optimizers.simulate(surface, "sgd", surface.start, 40 * batches, lr=lr, seed=5,
                               gradient=_minibatch(size),
                               schedule={"name": "reduce_on_plateau", **settings,
                                         "interval": "epoch"})
    assert path.diverged_at is None
    scheduler, expected = ReduceLROnPlateau(lr, **settings), []
    for epoch in range(40):
        expected += [scheduler.lr] * batches
        scheduler.step(np.mean(path.loss[epoch * batches:(epoch + 1) * batches]))
    np.testing.assert_allclose(path.lr, expected, rtol=1e-15)
    assert expected[-1] < lr, "the rate never fell: the case tests nothing"


def test_epoch_schedules_work_in_sweeps_as_in_simulate():
    surface = _surface("linear_regression")
    settings = {"gradient": _minibatch(8), "seed": 2,
                "schedule": {"name": "step", "step_size": 1, "gamma": 0.5, "interval": "epoch"}}
    lrs = [0.01, 0.05]
    result = optimizers.sweep(surface, "sgd", surface.start, 30, x_values=lrs, y_param="momentum",
                              y_values=[0.0, 0.9], **settings)
    for i, momentum in enumerate([0.0, 0.9]):
        for j, lr in enumerate(lrs):
            path = optimizers.simulate(surface, "sgd", surface.start, 30, lr=lr,
                                       momentum=momentum, **settings)
            assert result.final_loss[i, j] == path.loss[-1]


# --- the loss over all the data, and the model's fit along a run ---------------------------------


def test_the_full_loss_of_a_mini_batch_run_is_f_at_its_points_and_of_any_other_its_loss():
    surface = landscapes.from_data("linear_regression", size=40, noise=0.5, seed=1)
    batched = optimizers.simulate(surface, "sgd", surface.start, 30, lr=0.05,
                                  gradient=_minibatch(4), seed=2)
    exact = optimizers.simulate(surface, "sgd", surface.start, 30, lr=0.05)
    assert batched.on_minibatches and not exact.on_minibatches
    f = surface.f(batched.xy[:, 0], batched.xy[:, 1])
    np.testing.assert_array_equal(batched.full_loss(surface), f)
    assert not np.allclose(batched.loss, f)  # each batch's own loss is another number
    steps = np.array([0, 7, 30])
    np.testing.assert_array_equal(batched.full_loss(surface, steps), f[steps])
    np.testing.assert_array_equal(exact.full_loss(surface), exact.loss)


@pytest.mark.parametrize("kind", landscapes.data_names())
def test_the_fit_at_each_point_is_the_model_at_those_parameters_over_the_input_grid(kind):
    surface = landscapes.from_data(kind, size=30, seed=4)
    u, _ = surface.dataset
    grid = landscapes.data.input_grid(surface, 11)
    span = u.max() - u.min()
    assert grid.size == 11 and np.all(np.diff(grid) > 0)
    assert grid[0] == pytest.approx(u.min() - 0.05 * span)
    assert grid[-1] == pytest.approx(u.max() + 0.05 * span)
    xy = np.array([[0.5, -1.0], [2.0, 0.25]])
    fits = landscapes.data.fits(surface, xy, grid)
    assert fits.shape == (2, 11)
    for row, (w, b) in zip(fits, xy, strict=True):
        np.testing.assert_allclose(row, landscapes.data.predict(kind, w, b, grid))
