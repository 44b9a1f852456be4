"""The engine's promises beyond the update rules.

* Gradient sources: finite differences are central differences of f with step h (five
  evaluations of f per point), close to the analytic gradient; noisy gradients are the exact
  gradient plus Gaussian noise of size noise_scale / sqrt(batch_size), reproducible from the seed.
* Evaluations are counted as they happen.
* Divergence is data, not an exception: the arrays stop before the first bad point, hold only
  finite values, and no warning is raised.
* The same call gives the same arrays; every optimizer runs on every surface.
* Each kernel compiles exactly once, whatever the Python caller passes (STYLE.md, section 2).
"""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pytest

import landscapes
import optimizers
from landscapes import kinds
from optimizers import api, engine, rules

SURFACES = landscapes.names()
OPTIMIZERS = optimizers.names()
WHOLE_STEP = [o for o in OPTIMIZERS if optimizers.OPTIMIZERS_BY_NAME[o].whole_step]
"""Optimizers with a kernel of their own (L-BFGS), not a rule in the batch kernel."""
SOURCES = [s.name for s in optimizers.GRADIENT_SOURCES if not s.data_only]
"""The gradient sources of every surface (mini-batches need a data surface: test_data.py)."""


def assert_well_formed(path):
    """Shapes agree, every value is finite, and diverged_at is where the arrays stop."""
    n = path.xy.shape[0]
    assert path.xy.shape == (n, 2) and path.grad.shape == (n, 2)
    assert path.loss.shape == (n,) and path.lr.shape == (max(n - 1, 0),)
    for array in (path.xy, path.loss, path.grad, path.lr):
        assert np.all(np.isfinite(array))
    if path.diverged_at is None:
        assert n == path.config["steps"] + 1
    else:
        assert type(path.diverged_at) is int and path.diverged_at == n
        assert path.diverged


# --- finite differences ------------------------------------------------------------------------


@pytest.mark.parametrize("h", [1e-5, 1e-2, 0.5])
@pytest.mark.parametrize("name", ["rosenbrock", "beale", "himmelblau", "goldstein_price"])
def test_finite_differences_are_central_differences_of_f_with_step_h(name, h):
    surface = landscapes.get(name)
    path = optimizers.simulate(surface, "adam", surface.start, 20, lr=0.05,
                               gradient={"name": "finite_difference", "h": h})
    x, y = path.xy[:, 0], path.xy[:, 1]
    expected = np.column_stack([
        (surface.f(x + h, y) - surface.f(x - h, y)) / (2 * h),
        (surface.f(x, y + h) - surface.f(x, y - h)) / (2 * h),
    ])
    np.testing.assert_allclose(path.grad, expected, rtol=1e-14, atol=1e-300)
    np.testing.assert_array_equal(path.loss, surface.f(x, y))


@pytest.mark.parametrize("name", SURFACES)
def test_finite_difference_gradients_are_close_to_the_analytic_gradients(name):
    surface = landscapes.get(name)
    path = optimizers.simulate(surface, "adam", surface.start, 50, lr=0.01,
                               gradient="finite_difference")
    assert_well_formed(path)
    exact = np.column_stack(surface.grad(path.xy[:, 0], path.xy[:, 1]))
    scale = 1e-6 * np.maximum(1.0, np.abs(path.loss))[:, None]
    assert np.all(np.abs(path.grad - exact) <= 1e-6 * np.abs(exact) + scale)


def test_the_optimizer_steps_along_the_finite_difference_gradient():
    path = optimizers.simulate("rosenbrock", "sgd", (-1.5, 2.0), 10, lr=1e-3,
                               gradient={"name": "finite_difference", "h": 0.1})
    np.testing.assert_allclose(path.xy[1:], path.xy[:-1] - 1e-3 * path.grad[:-1], rtol=1e-15)


# --- evaluations -------------------------------------------------------------------------------


@pytest.mark.parametrize("optimizer", ["sgd", "adam", "newton"])
@pytest.mark.parametrize("gradient", ["analytic", "noisy"])
def test_analytic_and_noisy_gradients_cost_one_f_and_one_gradient_per_point(optimizer, gradient):
    path = optimizers.simulate("rosenbrock", optimizer, (-1.5, 2.0), 12, gradient=gradient,
                               lr=1e-4)
    points = path.xy.shape[0]
    assert path.evaluations.function == path.evaluations.gradient == points == 13
    assert path.evaluations.hessian == (12 if optimizer == "newton" else 0)
    assert path.evaluations.total == sum(
        (path.evaluations.function, path.evaluations.gradient, path.evaluations.hessian)
    )


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_finite_differences_cost_five_evaluations_of_f_per_point_and_no_gradient(optimizer):
    path = optimizers.simulate("rosenbrock", optimizer, (-1.5, 2.0), 12, lr=1e-4,
                               gradient="finite_difference")
    assert path.evaluations == optimizers.Evaluations(function=5 * 13, gradient=0, hessian=0)


def test_newton_with_finite_differences_still_counts_its_hessians():
    path = optimizers.simulate("rosenbrock", "newton", (-1.5, 2.0), 10,
                               gradient="finite_difference")
    assert path.evaluations == optimizers.Evaluations(function=5 * 11, gradient=0, hessian=10)


@pytest.mark.parametrize("gradient", SOURCES)
def test_a_diverged_run_counts_the_evaluations_it_made(gradient):
    """f and the gradient were also evaluated at the unusable point that ended the run, and
    Newton took a Hessian at every recorded point (the last step was taken from the last one).
    """
    path = optimizers.simulate("monkey_saddle", "newton", (0.0, 0.0), 10, gradient=gradient,
                               seed=1)
    assert path.diverged_at == len(path.xy) >= 1  # 0/0, or a noisy step far away
    evaluated = len(path.xy) + 1
    per_point = 5 if gradient == "finite_difference" else 1
    assert path.evaluations.function == per_point * evaluated
    assert path.evaluations.gradient == (0 if gradient == "finite_difference" else evaluated)
    assert path.evaluations.hessian == len(path.xy)


# --- noisy gradients ---------------------------------------------------------------------------


def noise_of(path, surface):
    """The gradient the optimizer saw minus the exact gradient at the same point."""
    exact = np.column_stack(surface.grad(path.xy[:, 0], path.xy[:, 1]))
    return path.grad - exact


def noisy_run(seed=0, steps=200, **gradient):
    return optimizers.simulate("quadratic", "sgd", (-9.0, 3.0), steps, lr=1e-3, seed=seed,
                               gradient={"name": "noisy", **gradient})


def test_the_same_seed_gives_the_same_noisy_run():
    first, second = noisy_run(seed=42), noisy_run(seed=42)
    np.testing.assert_array_equal(first.xy, second.xy)
    np.testing.assert_array_equal(first.grad, second.grad)


def test_different_seeds_give_different_noise():
    surface = landscapes.get("quadratic")
    a, b = noise_of(noisy_run(seed=1), surface), noise_of(noisy_run(seed=2), surface)
    assert np.all(a != b)
    assert abs(np.corrcoef(a.ravel(), b.ravel())[0, 1]) < 0.2


def test_zero_noise_is_the_analytic_run():
    noiseless = noisy_run(noise_scale=0.0)
    analytic = optimizers.simulate("quadratic", "sgd", (-9.0, 3.0), 200, lr=1e-3)
    np.testing.assert_array_equal(noiseless.xy, analytic.xy)


N_NOISE_SAMPLES = 20_000


@pytest.mark.parametrize(("noise_scale", "batch_size"), [(1.0, 1), (1.0, 4), (3.0, 100),
                                                         (0.5, 9)])
def test_noise_is_zero_mean_gaussian_of_size_noise_scale_over_sqrt_batch(noise_scale,
                                                                         batch_size):
    surface = landscapes.get("quadratic")
    path = noisy_run(seed=7, steps=N_NOISE_SAMPLES - 1, noise_scale=noise_scale,
                     batch_size=batch_size)
    assert_well_formed(path)
    noise = noise_of(path, surface)
    sigma = noise_scale / math.sqrt(batch_size)
    n = noise.shape[0]
    # mean within 5 standard errors, standard deviation within 5 standard errors (~ 1/sqrt(2n))
    assert np.all(np.abs(noise.mean(axis=0)) < 5 * sigma / math.sqrt(n))
    assert np.all(np.abs(noise.std(axis=0) / sigma - 1) < 5 / math.sqrt(2 * n))
    # Gaussian: about 68.3% within one sigma, 95.4% within two
    within_one = np.mean(np.abs(noise) < sigma)
    within_two = np.mean(np.abs(noise) < 2 * sigma)
    assert abs(within_one - 0.6827) < 0.01 and abs(within_two - 0.9545) < 0.005
    # independent across coordinates and across steps
    assert abs(np.corrcoef(noise[:, 0], noise[:, 1])[0, 1]) < 5 / math.sqrt(n)
    for k in range(2):
        assert abs(np.corrcoef(noise[:-1, k], noise[1:, k])[0, 1]) < 5 / math.sqrt(n)


def test_noise_shrinks_like_one_over_the_square_root_of_the_batch():
    surface = landscapes.get("quadratic")
    spread = {
        b: noise_of(noisy_run(seed=3, steps=5000, batch_size=b), surface).std()
        for b in (1, 16)
    }
    assert spread[16] / spread[1] == pytest.approx(0.25, rel=0.05)


# --- divergence --------------------------------------------------------------------------------


def test_sgd_with_a_huge_learning_rate_diverges_on_rosenbrock_as_data_not_an_error():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = optimizers.simulate("rosenbrock", "sgd", (-1.5, 2.0), 1000, lr=0.005)
    assert_well_formed(path)
    assert path.diverged_at is not None and path.diverged_at > 2
    assert len(path.xy) == path.diverged_at
    assert path.evaluations.function == path.evaluations.gradient == path.diverged_at + 1


@pytest.mark.parametrize("lr", [0.1, 1.0, 1000.0])
def test_any_huge_learning_rate_is_reported_not_raised(lr):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = optimizers.simulate("goldstein_price", "sgd", (1.5, 1.5), 50, lr=lr)
    assert_well_formed(path)
    assert path.diverged


def test_a_run_that_escapes_the_saddle_stops_at_the_edge_of_the_escape_box():
    box = optimizers.api.escape_box(landscapes.get("saddle"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = optimizers.simulate("saddle", "sgd", (-1.8, 0.01), 100_000)
    assert_well_formed(path)
    assert path.diverged
    last_x, last_y = path.xy[-1]
    assert box[0] <= last_x <= box[1] and box[2] <= last_y <= box[3]
    assert abs(path.xy[-1, 1]) > 0.9 * box[3]  # it got near the edge, downhill along y


def test_a_100_000_step_run_on_the_ridge_of_the_saddle_stays_finite():
    """Started exactly on y = 0 it never escapes; x decays towards 0 through subnormals."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = optimizers.simulate("saddle", "sgd", (-1.8, 0.0), 100_000)
    assert_well_formed(path)
    assert path.diverged_at is None and path.xy.shape == (100_001, 2)
    assert np.all(path.xy[:, 1] == 0.0) and abs(path.xy[-1, 0]) < 1e-80


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_every_optimizer_survives_100_000_steps_at_the_saddle_point(optimizer):
    """Zero gradient forever: adaptive denominators stay 0 + eps, Newton faces H = diag(2, -2)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = optimizers.simulate("saddle", optimizer, (0.0, 0.0), 100_000)
    assert_well_formed(path)
    assert path.diverged_at is None
    assert np.all(path.xy == 0.0)


@pytest.mark.parametrize("damping", [0.0, 1e-3])
def test_newton_at_a_singular_hessian_ends_cleanly(damping):
    """At the monkey saddle's origin the gradient and the Hessian both vanish."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = optimizers.simulate("monkey_saddle", "newton", (0.0, 0.0), 20, damping=damping)
    assert_well_formed(path)
    if damping:
        assert path.diverged_at is None and np.all(path.xy == 0.0)
    else:
        assert path.diverged_at is None or path.diverged_at >= 1


def test_newton_on_a_nearly_singular_hessian_reports_divergence_without_warnings():
    """Rosenbrock's Hessian is singular on the curve y = x^2 + 1/200."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = optimizers.simulate("rosenbrock", "newton", (0.5, 0.25 + 1 / 200), 20)
    assert_well_formed(path)


# --- reproducibility and coverage --------------------------------------------------------------


@pytest.mark.parametrize("gradient", SOURCES)
@pytest.mark.parametrize("schedule", [None, {"name": "reduce_on_plateau", "patience": 2}])
def test_the_same_call_twice_gives_identical_arrays(gradient, schedule):
    def call():
        return optimizers.simulate("himmelblau", "nadam", (1.0, 4.5), 300, lr=0.05, seed=9,
                                   gradient=gradient, schedule=schedule)

    first, second = call(), call()
    for a, b in ((first.xy, second.xy), (first.loss, second.loss), (first.grad, second.grad),
                 (first.lr, second.lr)):
        np.testing.assert_array_equal(a, b)
    assert first.diverged_at == second.diverged_at
    assert first.evaluations == second.evaluations


@pytest.mark.parametrize("name", SURFACES)
@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_every_optimizer_runs_on_every_surface_from_its_default_start(optimizer, name):
    surface = landscapes.get(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = optimizers.simulate(surface, optimizer, surface.start, 200)
    assert_well_formed(path)
    np.testing.assert_array_equal(path.xy[0], surface.start)
    assert path.config["landscape"] == name and path.config["optimizer"] == optimizer


# --- one compiled signature per kernel ---------------------------------------------------------

# Each schedule with parameters that make it do something within a few steps.
SCHEDULES = {
    "constant": "constant",
    "constant_factor": {"name": "constant_factor", "factor": 0.5, "total_iters": 2},
    "linear": {"name": "linear", "start_factor": 0.25, "total_iters": 3},
    "step": {"name": "step", "step_size": 2},
    "multistep": {"name": "multistep", "milestones": [1, 3]},
    "exponential": {"name": "exponential", "gamma": 0.9},
    "polynomial": {"name": "polynomial", "total_iters": 3, "power": 2},
    "inverse_time": {"name": "inverse_time", "decay": 1},
    "cosine": {"name": "cosine", "T_max": 3},
    "cosine_warm_restarts": {"name": "cosine_warm_restarts", "T_0": 2, "T_mult": 2},
    "warmup_cosine": {"name": "warmup_cosine", "warmup_steps": 2, "T_max": 3},
    "cyclic": {"name": "cyclic", "step_size_up": 2, "mode": "exp_range", "gamma": 0.9,
               "cycle_momentum": False},  # not every optimizer has a momentum to cycle
    "one_cycle": {"name": "one_cycle", "max_lr": 0.1, "total_steps": 10, "three_phase": True,
                  "cycle_momentum": False},
    "lambda": {"name": "lambda", "lr_lambda": "1/(1 + t)"},
    "multiplicative": {"name": "multiplicative", "lr_lambda": "0.5 + 0.1*t"},
    "sequential": {"name": "sequential", "milestones": [2],
                   "schedulers": ["constant", {"name": "cosine", "T_max": 2}]},
    "chained": {"name": "chained", "schedulers": [{"name": "step", "step_size": 1},
                                                  {"name": "cosine", "T_max": 2}]},
    "reduce_on_plateau": {"name": "reduce_on_plateau", "patience": 0},
}
GRADIENTS = {
    "analytic": "analytic",
    "finite_difference": {"name": "finite_difference", "h": 1e-4},
    "noisy": {"name": "noisy", "noise_scale": 2, "batch_size": 3},
    "minibatch": {"name": "minibatch", "batch_size": 2},
}


def _both_kernels(surface, optimizer, steps, schedule=None, gradient="analytic", **hp):
    """The run of ``simulate`` through the fast kernel and through the batch kernel."""
    run = api._prepare(surface, optimizer, schedule, gradient, 3, hp)
    assert engine.takes_fast_path(run.surface.code, run.rule, run.plateau, run.source)
    outputs = []
    points = steps + 1
    start = np.array(run.surface.start, dtype=float)
    for fast in (True, False):
        xy, loss, grad = np.zeros((points, 2)), np.zeros(points), np.zeros((points, 2))
        lr = np.zeros(points)
        if fast:
            run.rates(lr)
            written = engine.fast_kernel(run.rule)(
                np.int64(run.surface.code), run.surface.surface_params, run.h, lr,
                np.int64(run.source == engine.NOISY), run.noise(points), start,
                api.escape_box(run.surface), xy, loss, grad)
        else:
            diverged = api._run_batch(run, start[None, :], steps, -math.inf,
                                      record=(np.arange(points), xy[None], loss[None],
                                              grad[None], lr[None]))[3]
            written = points if diverged[0] < 0 else diverged[0]
        outputs.append((int(written), xy[:written], loss[:written], grad[:written],
                        lr[:max(written - 1, 0)]))
    return outputs


@pytest.mark.parametrize("optimizer", [o for o in optimizers.names()
                                       if o != "newton" and o not in WHOLE_STEP])
@pytest.mark.parametrize("name", ["rosenbrock", "himmelblau", "ackley", "quadratic"])
def test_the_fast_kernel_makes_exactly_the_batch_kernels_run(optimizer, name):
    """The common case has its own kernel; it must agree with the general one bit for bit."""
    fast, general = _both_kernels(name, optimizer, 300, schedule={"name": "cosine", "T_max": 200},
                                  gradient={"name": "noisy", "noise_scale": 0.5}, lr=1e-2)
    assert fast[0] == general[0]
    for a, b in zip(fast[1:], general[1:], strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("lr", [0.01, 3.0, 1000.0])
def test_the_fast_kernel_finds_the_same_divergence_as_the_batch_kernel(lr):
    fast, general = _both_kernels("rosenbrock", "sgd", 500, lr=lr)
    assert fast[0] == general[0] < 501
    for a, b in zip(fast[1:], general[1:], strict=True):
        np.testing.assert_array_equal(a, b)


def test_the_tables_cover_every_schedule_and_gradient_source():
    assert list(SCHEDULES) == optimizers.schedule_names()
    assert list(GRADIENTS) == optimizers.gradient_names()


def test_each_kernel_has_one_signature_whatever_the_caller_passes():
    spellings = itertools.cycle([
        {"start": None, "steps": 4, "seed": 0},
        {"start": "ints", "steps": np.int32(4), "seed": np.int64(5)},
        {"start": "array", "steps": np.int64(4), "seed": np.uint64(6)},
    ])
    for optimizer, name, schedule, gradient in itertools.product(
        OPTIMIZERS, SURFACES + landscapes.data_names(), SCHEDULES.values(), GRADIENTS.values()
    ):
        surface = landscapes.get(name, size=5) if name in landscapes.data_names() else (
            landscapes.get(name))
        if GRADIENTS["minibatch"] is gradient and not surface.data_size:
            continue
        if optimizer in WHOLE_STEP and (gradient in (GRADIENTS["noisy"], GRADIENTS["minibatch"])
                                        or schedule is SCHEDULES["reduce_on_plateau"]):
            continue  # refused: tests/test_validation.py
        spelling = next(spellings)
        start = {
            None: surface.start,
            "ints": tuple(round(v) for v in surface.start),
            "array": np.asarray(surface.start, dtype=np.float32),
        }[spelling["start"]]
        optimizers.simulate(surface, optimizer, start, spelling["steps"], schedule=schedule,
                            gradient=gradient, seed=spelling["seed"])
    optimizers.simulate(landscapes.get("quadratic", condition_number=7), "adam", [1, 1], 2,
                        lr=1, beta1=np.float32(0.5), amsgrad=True, weight_decay=0)
    optimizers.simulate("rosenbrock", "sgd", (0, 0), 2, momentum=1, nesterov=np.bool_(True))
    optimizers.simulate("rosenbrock", "adam", (0, 0), 3,
                        schedule={"name": "one_cycle", "max_lr": 0.1, "total_steps": 3})
    assert len(engine.batch_kernel.signatures) == 1
    assert len(engine.lbfgs_kernel.signatures) == 1
    for code, rule in enumerate(rules.RULES):
        averaged = any(spec.averaged for spec in optimizers.OPTIMIZERS if spec.rule is rule)
        if not engine.SECOND_ORDER[code] and not averaged:  # an average needs the batch kernel
            assert len(engine.fast_kernel(code).signatures) == 1, rule.__name__


def test_every_first_order_rule_has_a_fast_kernel_and_second_order_rules_none():
    assert list(engine.SECOND_ORDER) == [spec.second_order for spec in (
        next(s for s in optimizers.OPTIMIZERS if s.rule is rule) for rule in rules.RULES)]
    with pytest.raises(ValueError, match="no fast kernel"):
        engine.fast_kernel(rules.RULE_CODES[rules.newton])


_CACHE_PROBE = """
import json, optimizers
from optimizers import engine, rules
report = {}
for name in ("adam", "sgd"):
    end = optimizers.simulate("rosenbrock", name, (-1.5, 2.0), 50, lr=0.01).xy[-1].tolist()
    kernel = engine.fast_kernel(rules.RULE_CODES[optimizers.OPTIMIZERS_BY_NAME[name].rule])
    report[name] = [end, sum(kernel.stats.cache_hits.values())]
print(json.dumps(report))
"""


def test_each_rules_fast_kernel_is_cached_on_disk_under_its_own_name(tmp_path):
    """The fast kernels are written from a template, one per rule; a new process must load
    each from the disk cache, and must never be handed another rule's kernel."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {"NUMBA_CACHE_DIR": str(tmp_path), "PYTHONPATH": str(root), "PATH": ""}

    def probe():
        done = subprocess.run([sys.executable, "-c", _CACHE_PROBE], env=env, cwd=root,
                              capture_output=True, text=True, timeout=300, check=True)
        return json.loads(done.stdout)

    cold, warm = probe(), probe()
    assert cold["adam"][1] == cold["sgd"][1] == 0
    assert warm["adam"][1] == warm["sgd"][1] == 1
    for name in ("adam", "sgd"):
        assert warm[name][0] == cold[name][0]
        assert warm[name][0] == optimizers.simulate(
            "rosenbrock", name, (-1.5, 2.0), 50, lr=0.01).xy[-1].tolist()
    assert cold["adam"][0] != cold["sgd"][0]


def test_batch_kernel_has_one_signature_whatever_the_caller_passes():
    optimizers.sweep("rosenbrock", "adam", (-1.5, 2.0), 5, x_values=[0.01, 0.1],
                     y_param="beta1", y_values=np.array([0.5, 0.9], dtype=np.float32))
    optimizers.sweep("quadratic", "sgd", (-9, 3), np.int32(5), x_values=range(1, 3),
                     y_param="momentum", y_values=[0, 0.9], schedule=SCHEDULES["cyclic"],
                     gradient=GRADIENTS["noisy"], seed=np.int64(3), tolerance=1)
    optimizers.sweep(landscapes.get("quadratic", condition_number=2), "newton", (1.0, 1.0), 3,
                     x_values=[1], y_param="damping", y_values=[0, 1],
                     schedule=SCHEDULES["reduce_on_plateau"], gradient="finite_difference")
    optimizers.basins("himmelblau", "rmsprop", 5, resolution=3, centered=True)
    optimizers.basins("rastrigin", "lion", np.int64(5), resolution=np.int32(4), radius=1,
                      schedule=SCHEDULES["warmup_cosine"], gradient=GRADIENTS["noisy"])
    data = landscapes.from_data("tanh_network", size=10)
    optimizers.sweep(data, "adam", (1, 1), 5, x_values=[0.1], y_param="beta1", y_values=[0.5],
                     gradient=GRADIENTS["minibatch"], seed=np.uint64(2))
    optimizers.basins(data, "newton", 3, resolution=3)
    assert len(engine.batch_kernel.signatures) == 1


def test_surface_evaluation_has_one_signature_whatever_the_caller_passes():
    surface = landscapes.get("quadratic", condition_number=3)
    grid = np.arange(12.0).reshape(3, 4)
    data = landscapes.from_data("logistic_regression", size=7)
    for x, y in [
        (1, 2), (1.5, -2.5), (np.float32(1), np.int64(2)), (grid, grid.T[:3, :3].sum()),
        (grid[:, ::2], 0), (grid.astype(np.float32), grid.astype(np.int16)), ([1, 2], [[3], [4]]),
    ]:
        for each in (surface, data):
            each.f(x, y)
            each.grad(x, y)
            each.hessian(x, y)
    assert len(kinds.evaluate_on.signatures) == len(kinds.evaluate_built_in_on.signatures) == 1


def test_prepare_compiles_every_kernel_the_core_can_call_and_says_what_it_is_doing():
    """After ``optimizers.prepare()``, nothing the app can ask for compiles a new kernel."""
    told = []
    optimizers.prepare(lambda done, total, what: told.append((done, total, what)))
    assert [done for done, _, _ in told] == list(range(len(told)))
    assert told[-1][2] == "ready" and told[0][0] == 0 and told[0][1] == len(told) - 1
    before = {id(kernel): len(kernel.signatures) for kernel in engine.entry_points()}
    assert all(before.values())
    data = landscapes.from_data("linear_regression", size=10)
    typed = landscapes.from_formula("x^2 + y^2")
    for optimizer in OPTIMIZERS:
        for surface in ("ackley", data, typed):
            optimizers.simulate(surface, optimizer, (0.5, 0.5), 3)
        if optimizer not in WHOLE_STEP:  # L-BFGS refuses both (tests/test_validation.py)
            optimizers.simulate("booth", optimizer, (0.5, 0.5), 3, gradient="noisy",
                                schedule=SCHEDULES["reduce_on_plateau"])
    optimizers.sweep(data, "adam", (0.5, 0.5), 3, x_values=[0.1], y_param="beta1",
                     y_values=[0.5], gradient=GRADIENTS["minibatch"])
    optimizers.basins(typed, "newton", 3, resolution=3)
    typed.f(np.zeros(3), np.zeros(3))
    assert {id(kernel): len(kernel.signatures) for kernel in engine.entry_points()} == before


@pytest.mark.parametrize(("n", "cap"), [(0, 5), (1, 5), (2, 5), (7, 150), (1000, 150),
                                        (151, 150), (10**6, 3)])
def test_strided_indices_keep_the_first_and_the_last_and_at_most_cap(n, cap):
    indices = optimizers.strided_indices(n, cap)
    assert indices.dtype == np.int64 and len(indices) <= max(cap, 0)
    assert np.all(np.diff(indices) > 0)
    if n:
        assert indices[0] == 0 and indices[-1] == n - 1
        assert len(indices) == min(n, cap)
        gaps = np.diff(indices)
        assert gaps.size == 0 or gaps.max() - gaps.min() <= 1  # evenly strided
    else:
        assert indices.size == 0
