"""Data-defined surfaces: a small model's loss averaged over a dataset drawn from a seed.

The point (x, y) of the map is the model's two parameters; the surface is the loss over the
whole dataset. The examples (u_i, v_i) are drawn here with ``np.random.default_rng(seed)`` and
stored in the kernels' parameter vector, p = (n, u_1 .. u_n, v_1 .. v_n), the way a typed
formula stores its program; the Numba functions in ``landscapes._surfaces`` loop over them, so
value, gradient and Hessian are exact. The ``minibatch`` gradient source of ``optimizers``
then trains on real mini-batches of the same examples.

    >>> surface = from_data("linear_regression", size=100, noise=0.3, seed=1)
    >>> surface.data_size
    100
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from landscapes import _surfaces as S
from landscapes.registry import GLOBAL_MINIMUM, SADDLE_POINT, CriticalPoint, Landscape

MAX_SIZE = 2000
"""The largest dataset accepted (every evaluation of f loops over all of it)."""

MAX_NOISE = 5.0
DEFAULTS = {"size": 200, "noise": 0.5, "seed": 0}
SETTINGS_RANGE = {"size": (2, MAX_SIZE), "noise": (0.0, MAX_NOISE), "seed": (0, 2**31 - 1)}


@dataclass(frozen=True)
class DataKind:
    """What is fixed for one kind of data surface: its model, text and plot window."""

    name: str
    code: int
    title: str
    latex: str
    axes: tuple[str, str]  # the model's names for x and y
    bounds: tuple[tuple[float, float], tuple[float, float]]
    start: tuple[float, float]
    description: str


KINDS: dict[str, DataKind] = {kind.name: kind for kind in (
    DataKind(
        "linear_regression", S.LINEAR_REGRESSION, "Linear regression (data)",
        r"f(w, b) = \frac{1}{n}\sum_{i=1}^{n} \left(w\,u_i + b - v_i\right)^2",
        ("w", "b"), ((-2.5, 5.5), (-4.5, 3.5)), (-1.5, 2.5),
        "Fit a straight line v = w·u + b to n noisy points by least squares. The map's "
        "horizontal axis is the slope w, the vertical one the intercept b, and the height is "
        "the mean squared error over all the points: a bowl with one lowest point, the "
        "least-squares line. With mini-batches each step only sees a few points, so the path "
        "jitters around the smooth full-batch path and never quite settles unless the "
        "learning rate shrinks.",
    ),
    DataKind(
        "logistic_regression", S.LOGISTIC_REGRESSION, "Logistic regression (data)",
        r"f(w, b) = \frac{1}{n}\sum_{i=1}^{n} \left[\log\left(1 + e^{z_i}\right) - v_i z_i"
        r"\right],\quad z_i = w\,u_i + b",
        ("w", "b"), ((-3.0, 9.0), (-5.0, 5.0)), (-2.0, 4.0),
        "Classify points on a line into two groups with a sigmoid 1 / (1 + e^(−(w·u + b))). "
        "The height is the average cross-entropy. Labels come from a noisy threshold: the "
        "more noise, the more the groups overlap and the gentler the best sigmoid. With no "
        "noise at all the groups separate cleanly and the loss keeps falling as w grows, so "
        "there is no lowest point in the window.",
    ),
    DataKind(
        "tanh_network", S.TANH_NETWORK, "Tiny tanh network (data)",
        r"f(w_1, w_2) = \frac{1}{n}\sum_{i=1}^{n} \left(w_2 \tanh(w_1 u_i) - v_i\right)^2",
        ("w₁", "w₂"), ((-3.0, 3.0), (-2.5, 2.5)), (2.5, -1.5),
        "A one-neuron network, v ≈ w₂·tanh(w₁·u), fitted by mean squared error. Flipping the "
        "sign of both weights gives the same network, so there are two mirror-image best "
        "fits; between them, at the origin, the network outputs zero and the surface has a "
        "saddle. Runs near the origin stall before they pick a side, as real networks do "
        "on their symmetries.",
    ),
)}

NAMES = tuple(KINDS)


def _checked(kind: str, size, noise, seed) -> tuple[int, float, int]:
    if kind not in KINDS:
        raise ValueError(f"Unknown data surface: {kind!r} (valid: {', '.join(KINDS)})")
    low, high = SETTINGS_RANGE["size"]
    if isinstance(size, bool) or not isinstance(size, int | float | np.integer | np.floating) \
            or not (math.isfinite(size) and size == int(size) and low <= size <= high):
        raise ValueError(f"Invalid size: {size!r} (allowed: an integer, {low} <= size <= {high})")
    try:
        noise_value = float(noise)
    except (TypeError, ValueError):
        noise_value = math.nan
    if not (math.isfinite(noise_value) and 0.0 <= noise_value <= MAX_NOISE):
        raise ValueError(f"Invalid noise: {noise!r} (allowed: 0 <= noise <= {MAX_NOISE:g})")
    low, high = SETTINGS_RANGE["seed"]
    if isinstance(seed, bool) or not isinstance(seed, int | float | np.integer | np.floating) \
            or not (math.isfinite(seed) and seed == int(seed) and low <= seed <= high):
        raise ValueError(f"Invalid seed: {seed!r} (allowed: an integer, {low} <= seed <= {high})")
    return int(size), noise_value, int(seed)


def dataset(kind: str, size: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The n examples (u, v) of a data surface, drawn from ``seed``.

    linear: u ~ N(0, 1), v = 2u - 1 + noise·N(0, 1). logistic: u ~ N(0, 1.5²), v = 1 when
    2u + 0.5 + noise·L > 0 with L standard logistic, so P(v = 1) = σ((2u + 0.5) / noise).
    tanh: u ~ U(-3, 3), v = tanh(1.5u) + noise·N(0, 1).
    """
    rng = np.random.default_rng(seed)
    if kind == "linear_regression":
        u = rng.standard_normal(size)
        v = 2.0 * u - 1.0 + noise * rng.standard_normal(size)
    elif kind == "logistic_regression":
        u = 1.5 * rng.standard_normal(size)
        v = (2.0 * u + 0.5 + noise * rng.logistic(size=size) > 0.0).astype(np.float64)
    else:
        u = rng.uniform(-3.0, 3.0, size)
        v = np.tanh(1.5 * u) + noise * rng.standard_normal(size)
    return u, v


def predict(kind: str, w, b, u):
    """The model's output at inputs ``u`` for parameters (w, b) (broadcasting NumPy)."""
    w, b, u = (np.asarray(a, dtype=np.float64) for a in (w, b, u))
    if kind == "linear_regression":
        return w * u + b
    if kind == "logistic_regression":
        return 0.5 * (1.0 + np.tanh(0.5 * (w * u + b)))  # the sigmoid, without overflow
    return b * np.tanh(w * u)


def _newton_minimum(surface: Landscape, guess: tuple[float, float]) -> tuple[float, float] | None:
    """A minimum found from ``guess`` by Newton steps with the Hessian's eigenvalues made
    positive (so a step always goes downhill) and halved until f decreases (plain Newton steps
    once the gradient is below 1e-6, where f is flat to rounding); None unless it is
    reliable: a gradient below 1e-10 (1e-9 once f stops decreasing in floating point) and a
    positive-definite Hessian there."""
    x = np.array(guess, dtype=np.float64)
    for _ in range(200):
        g = np.array(surface.grad(*x))
        if np.hypot(*g) < 1e-10:
            (a, b), (_, c) = surface.hessian(*x)
            return (float(x[0]), float(x[1])) if a > 0 and a * c - b * b > 0 else None
        (a, b), (_, c) = surface.hessian(*x)
        if not np.all(np.isfinite([a, b, c])):
            return None
        values, vectors = np.linalg.eigh(np.array([[a, b], [b, c]]))
        step = vectors @ ((vectors.T @ g) / np.maximum(np.abs(values), 1e-8))
        f0, t = surface.f(*x), 1.0
        near = np.hypot(*g) < 1e-6 and values[0] > 0  # pure Newton: f is flat to rounding
        while not near and t > 1e-12 and not surface.f(*(x - t * step)) < f0:
            t *= 0.5
        if t <= 1e-12:  # f no longer decreases in floating point: done if the slope is nil
            (a, b), (_, c) = surface.hessian(*x)
            flat = np.hypot(*g) < 1e-9 and a > 0 and a * c - b * b > 0
            return (float(x[0]), float(x[1])) if flat else None
        x = x - t * step
    return None


def _bounds_with(bounds, point, margin: float = 1.0):
    """The window widened (whole units) so that ``point`` lies at least ``margin`` inside."""
    (x0, x1), (y0, y1) = bounds
    px, py = point
    return ((min(x0, math.floor(px - margin)), max(x1, math.ceil(px + margin))),
            (min(y0, math.floor(py - margin)), max(y1, math.ceil(py + margin))))


def from_data(kind: str, size: int = 200, noise: float = 0.5, seed: int = 0) -> Landscape:
    """The loss of model ``kind`` over ``size`` examples with ``noise``, drawn from ``seed``.

    ``kind`` is "linear_regression" (y = w·x + b, mean squared error; its minimum is the exact
    least-squares solution), "logistic_regression" (one feature, cross-entropy) or
    "tanh_network" (y = w2·tanh(w1·x), mean squared error; two mirror minima and a saddle at
    the origin). The minima of the last two are found by Newton's method and listed only when
    it converges to a point with a vanishing gradient and a positive-definite Hessian.
    """
    size, noise, seed = _checked(kind, size, noise, seed)
    spec = KINDS[kind]
    u, v = dataset(kind, size, noise, seed)
    program = (float(size), *u.tolist(), *v.tolist())
    draft = Landscape(name=kind, title=spec.title, latex=spec.latex, code=spec.code,
                      bounds=spec.bounds, start=spec.start, description=spec.description,
                      log_scale=False, program=program)
    points: list[CriticalPoint] = []
    if kind == "linear_regression":
        design = np.column_stack([u, np.ones_like(u)])
        if np.linalg.matrix_rank(design) == 2:
            w, b = np.linalg.lstsq(design, v, rcond=None)[0]
            points.append(CriticalPoint(float(w), float(b), GLOBAL_MINIMUM))
    elif kind == "logistic_regression":
        found = _newton_minimum(draft, (0.0, 0.0))
        if found:
            points.append(CriticalPoint(*found, GLOBAL_MINIMUM))
    else:
        found = _newton_minimum(draft, (1.5, 1.0))
        if found:
            points += [CriticalPoint(*found, GLOBAL_MINIMUM),
                       CriticalPoint(-found[0], -found[1], GLOBAL_MINIMUM)]
        points.append(CriticalPoint(0.0, 0.0, SADDLE_POINT))
    bounds = spec.bounds
    for p in points:
        bounds = _bounds_with(bounds, (p.x, p.y))
    return Landscape(
        name=kind, title=f"{spec.title}: n = {size}, noise = {noise:g}, seed = {seed}",
        latex=spec.latex, code=spec.code, bounds=bounds, start=spec.start,
        description=spec.description,
        log_scale=any(p.kind == GLOBAL_MINIMUM for p in points),  # colours f - f*
        points=tuple(points), program=program,
    )
