"""The surface registry, held to its promises.

Every surface in ``landscapes.names()`` must

* have a gradient that matches central differences of f, and a Hessian that matches central
  differences of the gradient, wherever f is smooth;
* list only true critical points: the gradient vanishes at each, every GLOBAL_MINIMUM has the
  same value and no point of the window is lower, a LOCAL_MINIMUM has a positive-definite
  Hessian and a SADDLE_POINT an indefinite or singular one;
* evaluate on floats (giving floats) and on arrays of any broadcastable shape, finitely
  everywhere in its window;

and ``landscapes.get`` must reject unknown surfaces and invalid parameters with messages that
name the bad value and what is allowed.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest

import landscapes
from landscapes import GLOBAL_MINIMUM, LOCAL_MINIMUM, SADDLE_POINT

NAMES = landscapes.names()

# The registry order is the display order.
BUILT_IN_SURFACES = [
    "rosenbrock",
    "beale",
    "saddle",
    "quadratic",
    "himmelblau",
    "rastrigin",
    "ackley",
    "booth",
    "matyas",
    "goldstein_price",
    "six_hump_camel",
    "three_hump_camel",
    "styblinski_tang",
    "monkey_saddle",
]

# f at the global minimum, as published (Surjanovic & Bingham, "Virtual Library of Simulation
# Experiments"; Jamil & Yang, "A literature survey of benchmark functions", 2013).
TEXTBOOK_MINIMUM_VALUE = {
    "rosenbrock": 0.0,
    "beale": 0.0,
    "saddle": -math.inf,
    "quadratic": 0.0,
    "himmelblau": 0.0,
    "rastrigin": 0.0,
    "ackley": 0.0,
    "booth": 0.0,
    "matyas": 0.0,
    "goldstein_price": 3.0,
    "six_hump_camel": -1.0316284535,
    "three_hump_camel": 0.0,
    "styblinski_tang": -78.33233140754282,
    "monkey_saddle": -math.inf,
}

# Points where f has a kink; derivatives are compared with finite differences only away from them.
NOT_DIFFERENTIABLE_AT = {"ackley": ((0.0, 0.0),)}
KINK_CLEARANCE = 1e-3

N_DERIVATIVE_CHECKS = 200
N_MINIMUM_CHECKS = 10_000
RTOL = 1e-5
ATOL_PER_UNIT = 1e-6  # absolute tolerance per unit of the differentiated function's magnitude


# --- helpers ----------------------------------------------------------------------------------


def uniform_points(surface, n: int, seed: int):
    """n points drawn uniformly from the surface's window (seeded, so every run is the same)."""
    rng = np.random.default_rng(seed)
    (x_low, x_high), (y_low, y_high) = surface.bounds
    return rng.uniform(x_low, x_high, n), rng.uniform(y_low, y_high, n)


def smooth_points(surface, n: int, seed: int):
    """n uniform points of the window, none within KINK_CLEARANCE of a kink."""
    x, y = uniform_points(surface, 4 * n, seed)
    keep = np.ones(x.shape, dtype=bool)
    for kx, ky in NOT_DIFFERENTIABLE_AT.get(surface.name, ()):
        keep &= np.hypot(x - kx, y - ky) > KINK_CLEARANCE
    return x[keep][:n], y[keep][:n]


def window_grid(surface, n: int = 500):
    """An n-by-n grid spanning the window, edges included."""
    (x_low, x_high), (y_low, y_high) = surface.bounds
    return np.meshgrid(np.linspace(x_low, x_high, n), np.linspace(y_low, y_high, n))


@functools.cache
def typical_slope(name: str) -> float:
    """The surface's scale: (max f - min f) over the window, divided by the window's diagonal."""
    surface = landscapes.get(name)
    values = surface.f(*window_grid(surface, 201))
    (x_low, x_high), (y_low, y_high) = surface.bounds
    return float(np.ptp(values)) / math.hypot(x_high - x_low, y_high - y_low)


def central_difference(fn, x, y):
    """(dfn/dx, dfn/dy) by central differences with the relative step h = 1e-6 max(1, |.|)."""
    hx = 1e-6 * np.maximum(1.0, np.abs(x))
    hy = 1e-6 * np.maximum(1.0, np.abs(y))
    return (
        (fn(x + hx, y) - fn(x - hx, y)) / (2.0 * hx),
        (fn(x, y + hy) - fn(x, y - hy)) / (2.0 * hy),
    )


def assert_close(actual, expected, atol, what, x, y):
    """|actual - expected| <= atol + RTOL |expected| everywhere; report the worst point."""
    allowed = atol + RTOL * np.abs(expected)
    excess = np.abs(actual - expected) / allowed
    worst = int(np.argmax(excess))
    assert excess[worst] <= 1.0, (
        f"{what} at ({x[worst]!r}, {y[worst]!r}): {actual[worst]!r}, "
        f"finite differences give {expected[worst]!r}"
    )


def hessian_eigenvalues(surface, x, y):
    return np.linalg.eigvalsh(np.array(surface.hessian(x, y)))


def points_of_kind(*kinds):
    return [
        pytest.param(name, point, id=f"{name}-{point.kind}-({point.x:.4g},{point.y:.4g})")
        for name in NAMES
        for point in landscapes.get(name).points
        if point.kind in kinds
    ]


# --- the registry -----------------------------------------------------------------------------


def test_registry_lists_every_built_in_surface_in_display_order():
    assert NAMES[: len(BUILT_IN_SURFACES)] == BUILT_IN_SURFACES


def test_names_and_codes_are_unique():
    surfaces = [landscapes.get(name) for name in NAMES]
    assert len(set(NAMES)) == len(NAMES)
    assert len({surface.code for surface in surfaces}) == len(surfaces)


@pytest.mark.parametrize("name", NAMES)
def test_every_surface_is_described_for_a_reader(name):
    surface = landscapes.get(name)
    assert surface.name == name
    assert surface.title and surface.latex.startswith("f(x, y) =") and surface.description
    (x_low, x_high), (y_low, y_high) = surface.bounds
    assert x_low < x_high and y_low < y_high


@pytest.mark.parametrize("name", NAMES)
def test_start_is_inside_the_window(name):
    surface = landscapes.get(name)
    (x_low, x_high), (y_low, y_high) = surface.bounds
    x, y = surface.start
    assert x_low <= x <= x_high and y_low <= y <= y_high


@pytest.mark.parametrize("name", NAMES)
def test_listed_points_are_inside_the_window_and_tagged_with_a_known_kind(name):
    surface = landscapes.get(name)
    (x_low, x_high), (y_low, y_high) = surface.bounds
    for point in surface.points:
        assert point.kind in (GLOBAL_MINIMUM, LOCAL_MINIMUM, SADDLE_POINT)
        assert x_low <= point.x <= x_high and y_low <= point.y <= y_high


@pytest.mark.parametrize("name", NAMES)
def test_log_scale_only_where_the_minimum_is_finite(name):
    surface = landscapes.get(name)
    if surface.log_scale:
        assert math.isfinite(surface.minimum_value)


# --- derivatives ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_gradient_matches_central_differences_of_f(name):
    surface = landscapes.get(name)
    x, y = smooth_points(surface, N_DERIVATIVE_CHECKS, seed=1)
    atol = ATOL_PER_UNIT * np.maximum(1.0, np.abs(surface.f(x, y)))
    fd_x, fd_y = central_difference(surface.f, x, y)
    gx, gy = surface.grad(x, y)
    assert_close(gx, fd_x, atol, f"{name}: df/dx", x, y)
    assert_close(gy, fd_y, atol, f"{name}: df/dy", x, y)


@pytest.mark.parametrize("name", NAMES)
def test_hessian_matches_central_differences_of_the_gradient(name):
    surface = landscapes.get(name)
    x, y = smooth_points(surface, N_DERIVATIVE_CHECKS, seed=2)
    atol = ATOL_PER_UNIT * np.maximum(1.0, np.hypot(*surface.grad(x, y)))
    (fxx, fxy), (fyx, fyy) = surface.hessian(x, y)
    gx_x, gx_y = central_difference(lambda u, v: surface.grad(u, v)[0], x, y)
    gy_x, gy_y = central_difference(lambda u, v: surface.grad(u, v)[1], x, y)
    assert_close(fxx, gx_x, atol, f"{name}: d2f/dx2", x, y)
    assert_close(fxy, gx_y, atol, f"{name}: d2f/dxdy", x, y)
    assert_close(fyx, gy_x, atol, f"{name}: d2f/dydx", x, y)
    assert_close(fyy, gy_y, atol, f"{name}: d2f/dy2", x, y)


def test_ackley_uses_the_zero_subgradient_and_finite_curvature_at_its_tip():
    ackley = landscapes.get("ackley")
    assert ackley.grad(0.0, 0.0) == (0.0, 0.0)
    for x, y in [(0.0, 0.0), (5e-324, 0.0), (1e-300, -1e-300), (1e-160, 1e-160), (0.0, 1e-9)]:
        values = [ackley.f(x, y), *ackley.grad(x, y), *np.ravel(ackley.hessian(x, y))]
        assert all(math.isfinite(v) for v in values), (x, y, values)


# --- critical points --------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "point"), points_of_kind(GLOBAL_MINIMUM, LOCAL_MINIMUM,
                                                          SADDLE_POINT))
def test_every_listed_point_is_a_critical_point(name, point):
    surface = landscapes.get(name)
    gradient_norm = math.hypot(*surface.grad(point.x, point.y))
    assert gradient_norm <= 1e-6 * typical_slope(name)


@pytest.mark.parametrize("name", NAMES)
def test_minimum_value_is_the_textbook_value(name):
    surface = landscapes.get(name)
    expected = TEXTBOOK_MINIMUM_VALUE[name]
    if math.isinf(expected):
        assert surface.minima == () and surface.minimum_value == -math.inf
    else:
        assert surface.minimum_value == pytest.approx(expected, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("name", [n for n in NAMES if landscapes.get(n).minima])
def test_global_minima_share_one_value_that_no_point_of_the_window_beats(name):
    surface = landscapes.get(name)
    tolerance = 1e-12 * max(1.0, abs(surface.minimum_value))
    at_minima = [surface.f(x, y) for x, y in surface.minima]
    assert max(at_minima) - min(at_minima) <= tolerance
    x, y = uniform_points(surface, N_MINIMUM_CHECKS, seed=3)
    lowest = int(np.argmin(surface.f(x, y)))
    assert surface.f(x[lowest], y[lowest]) >= surface.minimum_value - tolerance, (
        f"f({x[lowest]!r}, {y[lowest]!r}) is below the listed global minimum"
    )


@pytest.mark.parametrize(("name", "point"), points_of_kind(LOCAL_MINIMUM))
def test_local_minimum_has_a_positive_definite_hessian(name, point):
    lowest, _ = hessian_eigenvalues(landscapes.get(name), point.x, point.y)
    assert lowest > 0.0


@pytest.mark.parametrize(("name", "point"), points_of_kind(SADDLE_POINT))
def test_saddle_point_has_an_indefinite_or_singular_hessian(name, point):
    lowest, highest = hessian_eigenvalues(landscapes.get(name), point.x, point.y)
    tolerance = 1e-9 * max(1.0, abs(lowest), abs(highest))
    assert lowest <= tolerance and highest >= -tolerance


# --- evaluation on floats and arrays ----------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_floats_in_floats_out(name):
    surface = landscapes.get(name)
    x, y = surface.start
    (fxx, fxy), (fyx, fyy) = surface.hessian(x, y)
    for result in (surface.f(x, y), *surface.grad(x, y), fxx, fxy, fyx, fyy):
        assert type(result) is float
    assert surface.f(1, -1) == surface.f(1.0, -1.0)  # Python ints are accepted too


@pytest.mark.parametrize("name", NAMES)
def test_a_500_by_500_grid_gives_finite_500_by_500_arrays(name):
    surface = landscapes.get(name)
    x, y = window_grid(surface, 500)
    (fxx, fxy), (fyx, fyy) = surface.hessian(x, y)
    for result in (surface.f(x, y), *surface.grad(x, y), fxx, fxy, fyx, fyy):
        assert result.shape == (500, 500)
        assert np.all(np.isfinite(result))


@pytest.mark.parametrize("name", NAMES)
def test_broadcast_shapes_match_the_full_grid(name):
    surface = landscapes.get(name)
    x, y = window_grid(surface, 500)
    column, row = x[:1, :], y[:, :1]  # shapes (1, 500) and (500, 1)
    np.testing.assert_array_equal(surface.f(column, row), surface.f(x, y))
    for broadcast, full in zip(surface.grad(column, row), surface.grad(x, y), strict=True):
        np.testing.assert_array_equal(broadcast, full)
    np.testing.assert_array_equal(surface.hessian(column, row), surface.hessian(x, y))
    x0, y0 = surface.start
    np.testing.assert_array_equal(surface.f(column[0], y0), surface.f(column[0], np.full(500, y0)))
    assert surface.f(np.float64(x0), np.array(y0)) == surface.f(x0, y0)


@pytest.mark.parametrize("name", NAMES)
def test_finite_at_every_listed_point_and_the_centre_of_the_window(name):
    surface = landscapes.get(name)
    (x_low, x_high), (y_low, y_high) = surface.bounds
    centre = (0.5 * (x_low + x_high), 0.5 * (y_low + y_high))
    for x, y in [centre, surface.start, *((q.x, q.y) for q in surface.points)]:
        values = [surface.f(x, y), *surface.grad(x, y), *np.ravel(surface.hessian(x, y))]
        assert all(math.isfinite(v) for v in values), (x, y, values)


# --- lookup and parameters --------------------------------------------------------------------


def test_unknown_surface_is_refused_with_the_list_of_valid_names():
    with pytest.raises(ValueError) as refused:
        landscapes.get("nope")
    message = str(refused.value)
    assert message.startswith("Unknown surface: 'nope'")
    assert all(name in message for name in NAMES)


INVALID_PARAMETERS = [
    (
        "quadratic",
        {"condition_number": 0.5},
        "Invalid condition_number for surface 'quadratic': 0.5 "
        "(allowed: 1 <= condition_number <= 1000)",
    ),
    (
        "quadratic",
        {"condition_number": 1e4},
        "Invalid condition_number for surface 'quadratic': 10000.0 "
        "(allowed: 1 <= condition_number <= 1000)",
    ),
    (
        "quadratic",
        {"condition_number": math.nan},
        "Invalid condition_number for surface 'quadratic': nan "
        "(allowed: 1 <= condition_number <= 1000)",
    ),
    (
        "quadratic",
        {"learning_rate": 0.1},
        "Invalid parameter for surface 'quadratic': 'learning_rate' (allowed: condition_number)",
    ),
    (
        "rosenbrock",
        {"condition_number": 10.0},
        "Invalid parameter for surface 'rosenbrock': 'condition_number' (allowed: none)",
    ),
]


@pytest.mark.parametrize(("name", "parameters", "message"), INVALID_PARAMETERS)
def test_invalid_parameters_are_refused_naming_the_value_and_the_allowed_range(
    name, parameters, message
):
    with pytest.raises(ValueError) as refused:
        landscapes.get(name, **parameters)
    assert str(refused.value) == message


def test_condition_number_reshapes_the_quadratic_and_leaves_the_default_alone():
    steep = landscapes.get("quadratic", condition_number=100)
    assert steep.parameter_values == {"condition_number": 100.0}
    assert steep.f(0.0, 1.0) == 50.0  # f = (x^2 + kappa y^2) / 2
    assert steep.hessian(0.0, 0.0) == ((1.0, 0.0), (0.0, 100.0))
    assert landscapes.get("quadratic").f(0.0, 1.0) == 10.0
