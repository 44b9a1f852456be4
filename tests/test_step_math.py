"""The update with its numbers (figures.step_math): every optimizer's step written with the
values the core recorded, and arithmetic that lands where the core's step landed."""

from __future__ import annotations

import numpy as np
import pytest

import figures
import landscapes
import optimizers
from figures import step_math
from tests.test_optimizers import CONFIGURATIONS, configuration_id

ROSENBROCK, START = landscapes.get("rosenbrock"), (-1.5, 2.0)
STEPS = 10


def recorded(optimizer, **hyperparameters):
    return optimizers.simulate(ROSENBROCK, optimizer, START, STEPS, record_state=True,
                               **hyperparameters)


def panel(path, k):
    return figures.step_numbers(path, k, np.array(ROSENBROCK.hessian(*path.xy[k])))


@pytest.mark.parametrize(("optimizer", "hyperparameters"),
                         [pytest.param(o, h, id=configuration_id(o, h, s))
                          for o, h, s in CONFIGURATIONS])
def test_every_optimizers_step_is_written_with_the_numbers_the_core_recorded(optimizer,
                                                                             hyperparameters):
    path = recorded(optimizer, **hyperparameters)
    assert path.diverged_at is None
    for k in (0, 1, STEPS - 1):
        shown = panel(path, k)
        text = "\n".join(shown.lines)
        # the lines end at the core's new point, from the core's point and gradient
        new_point = next(line for line in shown.lines
                         if line.startswith(rf"\theta_{{{k + 1}}} ="))
        assert new_point.endswith(step_math.point(path.xy[k + 1]))
        assert step_math.vec(path.grad[k]) in text
        # every state buffer the rule writes out shows its recorded value after the step
        spec = optimizers.OPTIMIZERS_BY_NAME[optimizer]
        for name in spec.state:
            if name in spec.shared_state or not np.any(path.state[name][k + 1]):
                continue  # a running product (shown as 1 - beta^t), or a buffer never used
            value = path.state[name][k + 1]  # as a quantity, or as a point (ASGD's average)
            assert step_math.vec(value) in text or step_math.point(value) in text, name
        # the lines' arithmetic lands where the core's step landed (Newton: a 2x2 solve)
        np.testing.assert_allclose(shown.formula_point, path.xy[k + 1],
                                   rtol=1e-12 if optimizer == "newton" else 1e-13)
        np.testing.assert_array_equal(shown.delta, path.xy[k + 1] - path.xy[k])
        assert shown.sentence.startswith(f"Step {k} → {k + 1} has length")


@pytest.mark.parametrize("optimizer", optimizers.names())
def test_every_optimizer_has_a_panel_with_its_symbols_mapped_to_torchs_names(optimizer):
    spec = optimizers.OPTIMIZERS_BY_NAME[optimizer]
    # ASGD's default lr = 0.01 leaves Rosenbrock's window within 4 steps from this start
    path = recorded(optimizer, lr=min(spec.defaults["lr"], 1e-3))
    shown = panel(path, 3)
    assert [name for _, name, _ in shown.legend] == [name for _, name in spec.symbols]
    lr = dict((name, value) for _, name, value in shown.legend)["lr"]
    assert lr == step_math.num(path.lr[3])
    assert r"\texttt{lr}" in figures.legend_latex(spec)


def test_an_optimizer_without_a_written_out_form_shows_its_rule_and_its_state():
    path = recorded("adam", lr=0.1)
    step = step_math._Step(
        spec=optimizers.OPTIMIZERS_BY_NAME["adam"], hp={}, k=2, theta=path.xy[2],
        new=path.xy[3], grad=path.grad[2], lr=0.1,
        before={n: v[2] for n, v in path.state.items()},
        after={n: v[3] for n, v in path.state.items()}, hessian=None, rates=None)
    lines, point = step_math._generic(step)
    assert lines[0] == optimizers.OPTIMIZERS_BY_NAME["adam"].latex  # the spec's own first
    assert any(line.startswith("m_t = " + step_math.vec(path.state["exp_avg"][3]))
               for line in lines)
    assert lines[-1].endswith(step_math.point(path.xy[3]))
    np.testing.assert_array_equal(point, path.xy[3])


def test_adams_first_step_has_length_lr_in_every_coordinate_whatever_the_gradient():
    path = recorded("adam", lr=0.05)
    shown = panel(path, 0)
    np.testing.assert_allclose(np.abs(shown.delta), 0.05, rtol=1e-6)
    assert "first step has length lr in every coordinate" in shown.sentence
    assert abs(path.grad[0, 0]) > 100  # the gradient is large, the step is not


def test_the_sentence_says_how_much_momentum_adds_to_the_gradient_step():
    path = optimizers.simulate("quadratic", "momentum", (-9.0, 3.0), 20, record_state=True,
                               lr=0.01)
    first, faster, back = panel_of(path, 0), panel_of(path, 2), panel_of(path, 5)
    assert "starts at the first gradient" in first.sentence
    ratio = np.linalg.norm(faster.delta) / np.linalg.norm(faster.plain)
    assert f"{ratio:.3g}× what the gradient alone would give" in faster.sentence
    assert ratio > 1.05 and "momentum carries the last steps' direction" in faster.sentence
    # past the bottom of the bowl the velocity points uphill
    assert np.dot(back.delta, back.plain) < 0
    assert "uphill against the gradient: the run is overshooting" in back.sentence


def panel_of(path, k):
    surface = landscapes.get(path.config["landscape"])
    return figures.step_numbers(path, k, np.array(surface.hessian(*path.xy[k])))


def test_newton_says_when_the_model_has_no_bottom():
    path = optimizers.simulate("saddle", "newton", (1.5, -0.7), 2, record_state=True)
    assert "non-positive eigenvalue" in panel_of(path, 0).sentence


def test_effective_rates_are_lr_over_the_root_of_v_hat_for_adam():
    path = recorded("adam", lr=0.01)
    rates = figures.effective_rates(path)
    t = 4
    v_hat = path.state["exp_avg_sq"][t] / (1 - 0.999 ** t)
    np.testing.assert_allclose(rates[t], 0.01 / (np.sqrt(v_hat) + 1e-8), rtol=1e-12)
    assert np.isnan(rates[0]).all()
    assert figures.effective_rates(recorded("sgd")) is None


@pytest.mark.parametrize(("value", "text"), [
    (0.5, "0.5"), (-2.0, "-2"), (1.5e-7, r"1.5\times 10^{-7}"), (float("nan"), r"\text{nan}"),
    (float("inf"), r"\infty"),
])
def test_numbers_are_written_in_latex(value, text):
    assert step_math.num(value) == text


def test_a_step_outside_the_run_or_a_run_without_state_is_refused():
    path = recorded("sgd")
    with pytest.raises(ValueError, match=r"Invalid step: 10 \(allowed: 0 <= step < 10\)"):
        figures.step_numbers(path, STEPS)
    plain = optimizers.simulate(ROSENBROCK, "sgd", START, 3)
    with pytest.raises(ValueError, match="record_state=True"):
        figures.step_numbers(plain, 0)


@pytest.mark.parametrize("optimizer", ["momentum", "rmsprop", "adam", "nadam", "radam", "lion"])
def test_a_step_under_a_schedule_that_cycles_the_momentum_is_written_with_that_steps_value(
        optimizer):
    settings = {"momentum": 0.5} if optimizer == "rmsprop" else {}
    path = optimizers.simulate(ROSENBROCK, optimizer, START, 30, record_state=True,
                               schedule={"name": "one_cycle", "max_lr": 0.01,
                                         "total_steps": 30}, **settings)
    assert path.momentum_name and np.ptp(path.momentum) > 0  # it cycles
    assert path.steps >= 5
    for k in (0, path.steps // 3, path.steps - 1):
        shown = figures.step_numbers(path, k)
        np.testing.assert_allclose(shown.formula_point, path.xy[k + 1], rtol=1e-13)
        value = dict((name, v) for _, name, v in shown.legend)[path.momentum_name]
        assert value == step_math.num(path.momentum[k])


@pytest.mark.parametrize("gradient", [{"name": "noisy", "noise_scale": 2.0},
                                      {"name": "finite_difference", "h": 1e-3}])
def test_a_gradient_the_source_estimated_is_marked_as_an_estimate(gradient):
    path = optimizers.simulate(ROSENBROCK, "adam", START, 5, record_state=True, lr=0.01,
                               gradient=gradient, seed=3)
    shown = figures.step_numbers(path, 2)
    assert shown.lines[0].startswith(r"g_{3} = \widetilde{\nabla f}(\theta_{2}) = ")
    assert step_math.vec(path.grad[2]) in shown.lines[0]
    assert f"the {gradient['name'].replace('_', ' ')} source's estimate" in shown.sentence
    np.testing.assert_allclose(shown.formula_point, path.xy[3], rtol=1e-13)
    exact = figures.step_numbers(recorded("adam", lr=0.01), 2)
    assert exact.lines[0].startswith(r"g_{3} = \nabla f(\theta_{2}) = ")


def test_every_optimizer_has_its_step_written_out_term_by_term():
    assert set(step_math.WRITERS) == set(optimizers.names())


def test_an_lbfgs_step_shows_the_move_and_the_secant_pair_from_the_cores_gradients():
    path = recorded("lbfgs", lr=0.5, line_search_fn=1)
    shown = panel(path, 1)
    y = path.grad[2] - path.grad[1]
    s = path.xy[2] - path.xy[1]
    text = "\n".join(shown.lines)
    assert step_math.vec(s) in text and step_math.vec(y) in text
    assert rf"y^\top s = {step_math.num(y @ s)}" in text
    assert "downhill" in text and "inner" in shown.sentence


def test_adafactors_first_step_is_a_sign_step_of_length_its_relative_step_size():
    path = recorded("adafactor", lr=0.1)
    shown = panel(path, 0)
    # V_1 = g_1^2 (the weight 1^tau = 1), so U_1 = sign(g_1); alpha_1 = RMS(theta_0) min(lr, 1)
    alpha = np.sqrt(np.mean(np.square(START))) * 0.1
    np.testing.assert_allclose(shown.delta, -alpha * np.sign(path.grad[0]), rtol=1e-12)
    assert r"\max(1, \mathrm{RMS}(U_{1})/d) = \max(1, 1/1) = 1" in "\n".join(shown.lines)
