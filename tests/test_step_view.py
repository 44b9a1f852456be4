"""The local model at a point (figures.local_model) and the step-by-step section's figures
(figures.step_view): Taylor's models from the surface's exact derivatives, the loss along the
step, finite differences, the arrows, and the state over time."""

from __future__ import annotations

import numpy as np
import pytest

import figures
import landscapes
import optimizers
from figures import local_model, step_view

# (surface, point, step): curved places, a saddle, a step against the gradient
PLACES = [
    ("rosenbrock", (-1.5, 2.0), (0.05, -0.02)),
    ("himmelblau", (1.0, 1.0), (0.3, 0.4)),
    ("saddle", (0.5, -0.3), (-0.2, 0.1)),
    ("ackley", (0.7, -1.2), (0.01, 0.01)),
    ("quadratic", (-9.0, 3.0), (1.0, -2.0)),
]


@pytest.mark.parametrize(("name", "point", "step"), PLACES, ids=[p[0] for p in PLACES])
def test_the_taylor_slice_agrees_with_the_surfaces_exact_derivatives(name, point, step):
    surface = landscapes.get(name)
    sl = local_model.step_slice(surface, point, step, lr=0.01)
    g = np.array(surface.grad(*point))
    (fxx, fxy), (_, fyy) = surface.hessian(*point)
    u = np.array(step) / np.hypot(*step)
    assert sl.slope == pytest.approx(g @ u, rel=1e-12)
    assert sl.curvature == pytest.approx(fxx * u[0] ** 2 + 2 * fxy * u[0] * u[1]
                                         + fyy * u[1] ** 2, rel=1e-12)
    # the models touch f at the point; by finite differences of f along the line, f's slope
    # and curvature there are the models'
    f = lambda s: surface.f(point[0] + s * u[0], point[1] + s * u[1])  # noqa: E731
    h = 1e-4
    assert (f(h) - f(-h)) / (2 * h) == pytest.approx(sl.slope, rel=1e-6, abs=1e-8)
    second = (f(h) - 2 * f(0.0) + f(-h)) / h ** 2
    assert second == pytest.approx(sl.curvature, rel=1e-4, abs=1e-4)
    # the models, written out from the exact f, gradient and Hessian
    f0, d = f(0.0), sl.s[:, None] * u[None, :]
    linear = f0 + d @ g
    quadratic = linear + 0.5 * (fxx * d[:, 0] ** 2 + 2 * fxy * d[:, 0] * d[:, 1]
                                + fyy * d[:, 1] ** 2)
    np.testing.assert_allclose(sl.linear, linear, rtol=1e-12, atol=1e-12 * abs(f0))
    np.testing.assert_allclose(sl.quadratic, quadratic, rtol=1e-12, atol=1e-12 * abs(f0))
    # near the point the quadratic model is the better one: errors of order s^3 and s^2
    near = np.abs(sl.s) <= 0.1 * np.abs(sl.s).max()
    assert (np.abs(sl.true - sl.quadratic)[near].max()
            <= np.abs(sl.true - sl.linear)[near].max() + 1e-12)
    np.testing.assert_array_equal(sl.true, surface.f(point[0] + sl.s * u[0],
                                                     point[1] + sl.s * u[1]))
    assert sl.s[0] < 0 < sl.landing <= sl.s[-1]


def test_a_gradient_step_overshoots_exactly_when_lr_times_the_curvature_exceeds_2():
    """On the bowl f = (x² + κ y²)/2 a gradient step along y lands lr κ of the way to the
    bottom of the model (the true f here), higher than it started beyond 2."""
    surface = landscapes.get("quadratic")  # condition number 20 along y
    point = (0.0, 3.0)
    for lr, overshoots in ((0.05, False), (0.09, False), (0.11, True), (0.2, True)):
        path = optimizers.simulate(surface, "sgd", point, 1, lr=lr)
        sl = local_model.step_slice(surface, point, path.xy[1] - path.xy[0], lr)
        assert sl.lr_curvature == pytest.approx(lr * 20.0)
        assert sl.landing_ratio == pytest.approx(lr * 20.0, rel=1e-12)
        assert sl.overshoots is overshoots
        assert ("exceeds 2" in sl.sentence) is overshoots
        assert bool(path.loss[0] < surface.f(*path.xy[1])) is overshoots
    concave = local_model.step_slice(landscapes.get("saddle"), (0.0, 0.5), (0.0, 0.1), 0.1)
    assert concave.curvature < 0 and "no lowest point ahead" in concave.sentence


def test_finite_differences_are_the_gradient_sources_own_estimate_and_count_its_cost():
    surface = landscapes.get("rosenbrock")
    path = optimizers.simulate(surface, "sgd", (-1.5, 2.0), 6, lr=1e-3,
                               gradient={"name": "finite_difference", "h": 1e-4})
    last = path.xy.shape[0] - 1
    estimate = local_model.finite_differences(surface, path.xy[last], last, 1e-4, True)
    np.testing.assert_array_equal(estimate.estimate, path.grad[last])
    np.testing.assert_array_equal(estimate.exact, surface.grad(*path.xy[last]))
    assert np.all(np.abs(estimate.error) < 1e-4)
    assert estimate.so_far == path.evaluations.function == 5 * (last + 1)
    assert "35 so far" in estimate.sentence
    rows = estimate.rows()
    assert [row[""] for row in rows] == ["∂f/∂x", "∂f/∂y"]
    assert rows[0]["exact"] == f"{estimate.exact[0]:.10g}"
    exact_run = local_model.finite_differences(surface, (-1.5, 2.0), 3)
    assert exact_run.h == local_model.DEFAULT_H and "would have cost" in exact_run.sentence


def test_the_local_map_draws_each_arrow_from_its_tail_to_scale():
    surface = landscapes.get("rosenbrock")
    path = optimizers.simulate(surface, "momentum", (-1.5, 2.0), 10, lr=1e-3,
                               record_state=True)
    numbers = figures.step_numbers(path, 6)
    arrows = step_view.step_arrows(numbers, path.config["hyperparameters"])
    assert [a[0] for a in arrows] == ["−lr ∇f (the gradient alone)", "the step taken",
                                      "what momentum adds"]
    model = local_model.local_model(surface, path.xy[6])
    half = 1.6 * step_view.arrows_reach(arrows)
    figure = step_view.local_map(local_model.local_grid(surface, model, half), model, arrows)
    notes = figure["layout"]["annotations"]
    x, y = path.xy[6]
    step_note, added = notes[1], notes[2]
    assert (step_note["ax"], step_note["ay"]) == (x, y)
    assert step_note["x"] == pytest.approx(path.xy[7, 0]) and step_note["y"] == pytest.approx(
        path.xy[7, 1])
    # the momentum's part starts at the gradient's tip and ends at the step's
    assert (added["ax"], added["ay"]) == (notes[0]["x"], notes[0]["y"])
    assert (added["x"], added["y"]) == pytest.approx((step_note["x"], step_note["y"]))
    assert figure["layout"]["yaxis"]["scaleanchor"] == "x"
    plain = step_view.step_arrows(figures.step_numbers(
        optimizers.simulate(surface, "sgd", (-1.5, 2.0), 3, record_state=True), 1), {})
    assert len(plain) == 2


def test_the_taylor_slice_figure_marks_the_point_the_landing_and_the_models_bottom():
    surface = landscapes.get("quadratic")
    sl = local_model.step_slice(surface, (0.0, 3.0), (0.0, -6.6), 0.11)
    figure = step_view.taylor_slice(sl)
    names = [trace["name"] for trace in figure["data"]]
    assert names == ["true f", "linear model", "quadratic model", "the point",
                     "where the step lands", "the model's lowest point"]
    assert figure["data"][4]["x"] == [sl.landing, sl.landing]
    assert figure["data"][5]["x"] == [pytest.approx(3.0)]  # the bottom of the bowl


@pytest.mark.parametrize(("optimizer", "settings", "titles"), [
    ("adam", {}, ["Effective step size per coordinate",
                  "Momentum: ‖m‖ (running mean of gradients)"]),
    ("adagrad", {}, ["Effective step size per coordinate", "AdaGrad's sum of squared gradients"]),
    ("momentum", {}, ["Momentum: ‖b‖ (momentum buffer)"]),
    ("sgd", {}, []),
    ("rmsprop", {"centered": True}, ["Effective step size per coordinate"]),
    ("rprop", {}, ["Rprop's step size per coordinate"]),
    ("newton", {}, []),
])
def test_the_state_over_time_shows_what_each_optimizer_keeps(optimizer, settings, titles):
    path = optimizers.simulate("rosenbrock", optimizer, (-1.5, 2.0), 20, record_state=True,
                               **settings)
    charts = step_view.state_charts(path)
    assert [chart["title"] for chart in charts] == titles
    for chart in charts:
        figure = step_view.state_curves(chart["series"], 7, title=chart["title"],
                                        y_title=chart["y_title"], log_y=chart["log_y"])
        assert figure["layout"]["shapes"][0]["x0"] == 7
        assert all(len(trace["y"]) == 21 for trace in figure["data"])
