"""The small models behind the data surfaces: each one's loss on one example, and its entry.

A data surface is a model with two parameters (x, y) and its loss averaged over n examples
(u_i, v_i): f = (1/n) sum_i l(x, y; u_i, v_i). Each model below is one ``DataModel``: its loss
on one example with the derivatives, ``example(x, y, u, v) -> (l, lx, ly, lxx, lxy, lyy)``, how
its examples are drawn, what it predicts, and what a person reads about it. The examples are
stored in the surface's parameter vector, p = (n, u_1 .. u_n, v_1 .. v_n), and :func:`data_sum`
is the one loop over them, over all of them or over a shuffled mini-batch.

Adding a model: write its example loss and its ``DataModel`` below, append it to ``MODELS``,
and give it a row in tests/test_data.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from landscapes.hashing import GOLDEN, splitmix64
from landscapes.jit import generate, jit, switch_source
from landscapes.spec import GLOBAL_MINIMUM, SADDLE_POINT, CriticalPoint

DATA_HEADER = 1  # p[0]: the number of examples n; then the n inputs, then the n targets


@dataclass(frozen=True)
class DataModel:
    """A model whose loss over a dataset is a surface: its math, its data and its text."""

    name: str
    title: str
    latex: str
    axes: tuple[str, str]  # the model's names for x and y
    bounds: tuple[tuple[float, float], tuple[float, float]]
    start: tuple[float, float]
    description: str
    example: Callable  # (x, y, u, v) -> (l, lx, ly, lxx, lxy, lyy), compiled
    draw: Callable  # (size, noise, rng) -> (u, v), NumPy
    predict: Callable  # (w, b, u) -> the model's output, broadcasting NumPy
    critical_points: Callable  # (surface, u, v) -> the CriticalPoints that can be located


def newton_minimum(surface, guess: tuple[float, float]) -> tuple[float, float] | None:
    """A minimum of ``surface`` (anything with f, grad and hessian) found from ``guess`` by
    Newton steps with the Hessian's eigenvalues made positive (so a step always goes downhill)
    and halved until f decreases (plain Newton steps once the gradient is below 1e-6, where f
    is flat to rounding); None unless it is reliable: a gradient below 1e-10 (1e-9 once f
    stops decreasing in floating point) and a positive-definite Hessian there."""
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



# --- linear regression: l = (x u + y - v)^2  (w = x, b = y) ----------------------------------


@jit(inline="always")
def linear_regression(x, y, u, v):
    r = x * u + y - v
    return r * r, 2.0 * r * u, 2.0 * r, 2.0 * u * u, 2.0 * u, 2.0


def _least_squares_fit(surface, u, v):
    """The exact least-squares line (when the inputs are not all equal)."""
    design = np.column_stack([u, np.ones_like(u)])
    if np.linalg.matrix_rank(design) < 2:
        return []
    w, b = np.linalg.lstsq(design, v, rcond=None)[0]
    return [CriticalPoint(float(w), float(b), GLOBAL_MINIMUM)]


def _draw_linear(size, noise, rng):
    """u ~ N(0, 1), v = 2u - 1 + noise N(0, 1)."""
    u = rng.standard_normal(size)
    return u, 2.0 * u - 1.0 + noise * rng.standard_normal(size)


LINEAR_REGRESSION = DataModel(
    "linear_regression", "Linear regression (data)",
    r"f(w, b) = \frac{1}{n}\sum_{i=1}^{n} \left(w\,u_i + b - v_i\right)^2",
    ("w", "b"), ((-2.5, 5.5), (-4.5, 3.5)), (-1.5, 2.5),
    "Fit a straight line v = w·u + b to n noisy points by least squares. The map's "
    "horizontal axis is the slope w, the vertical one the intercept b, and the height is "
    "the mean squared error over all the points: a bowl with one lowest point, the "
    "least-squares line. With mini-batches each step only sees a few points, so the path "
    "jitters around the smooth full-batch path and never quite settles unless the "
    "learning rate shrinks.",
    example=linear_regression, draw=_draw_linear, critical_points=_least_squares_fit,
    predict=lambda w, b, u: w * u + b,
)

# --- logistic regression: l = log(1 + e^z) - v z, z = x u + y, v in {0, 1} --------------------


@jit(inline="always")
def logistic_regression(x, y, u, v):
    z = x * u + y
    e = np.exp(-abs(z))  # log(1 + e^z) and the sigmoid, without overflow
    sigma = 1.0 / (1.0 + e) if z >= 0.0 else e / (1.0 + e)
    curvature = e / ((1.0 + e) * (1.0 + e))  # sigma (1 - sigma)
    return (max(z, 0.0) + np.log1p(e) - v * z, (sigma - v) * u, sigma - v,
            curvature * u * u, curvature * u, curvature)


def _logistic_fit(surface, u, v):
    """The best sigmoid, if Newton's method finds it (separable labels have none)."""
    found = newton_minimum(surface, (0.0, 0.0))
    return [] if found is None else [CriticalPoint(*found, GLOBAL_MINIMUM)]


def _draw_logistic(size, noise, rng):
    """u ~ N(0, 1.5^2), v = 1 when 2u + 0.5 + noise L > 0 with L standard logistic, so
    P(v = 1) = sigma((2u + 0.5) / noise)."""
    u = 1.5 * rng.standard_normal(size)
    return u, (2.0 * u + 0.5 + noise * rng.logistic(size=size) > 0.0).astype(np.float64)


LOGISTIC_REGRESSION = DataModel(
    "logistic_regression", "Logistic regression (data)",
    r"f(w, b) = \frac{1}{n}\sum_{i=1}^{n} \left[\log\left(1 + e^{z_i}\right) - v_i z_i"
    r"\right],\quad z_i = w\,u_i + b",
    ("w", "b"), ((-3.0, 9.0), (-5.0, 5.0)), (-2.0, 4.0),
    "Classify points on a line into two groups with a sigmoid 1 / (1 + e^(−(w·u + b))). "
    "The height is the average cross-entropy. Labels come from a noisy threshold: the "
    "more noise, the more the groups overlap and the gentler the best sigmoid. With no "
    "noise at all the groups separate cleanly and the loss keeps falling as w grows, so "
    "there is no lowest point in the window.",
    example=logistic_regression, draw=_draw_logistic,
    critical_points=_logistic_fit,
    predict=lambda w, b, u: 0.5 * (1.0 + np.tanh(0.5 * (w * u + b))),  # the sigmoid
)

# --- a one-neuron tanh network: l = (y tanh(x u) - v)^2  (w1 = x, w2 = y) -----------------------


@jit(inline="always")
def tanh_network(x, y, u, v):
    t = np.tanh(x * u)
    s = 1.0 - t * t  # dt/dx = s u, ds/dx = -2 t s u
    r = y * t - v
    return (r * r, 2.0 * r * y * (1.0 - t * t) * u, 2.0 * r * t,
            2.0 * y * u * u * s * (y * s - 2.0 * r * t), 2.0 * s * u * (y * t + r), 2.0 * t * t)


def _mirror_fits(surface, u, v):
    """The two mirror-image best fits, if Newton's method finds one, and the saddle at 0."""
    found = newton_minimum(surface, (1.5, 1.0))
    fits = [] if found is None else [CriticalPoint(*found, GLOBAL_MINIMUM),
                                     CriticalPoint(-found[0], -found[1], GLOBAL_MINIMUM)]
    return [*fits, CriticalPoint(0.0, 0.0, SADDLE_POINT)]


def _draw_tanh(size, noise, rng):
    """u ~ U(-3, 3), v = tanh(1.5u) + noise N(0, 1)."""
    u = rng.uniform(-3.0, 3.0, size)
    return u, np.tanh(1.5 * u) + noise * rng.standard_normal(size)


TANH_NETWORK = DataModel(
    "tanh_network", "Tiny tanh network (data)",
    r"f(w_1, w_2) = \frac{1}{n}\sum_{i=1}^{n} \left(w_2 \tanh(w_1 u_i) - v_i\right)^2",
    ("w₁", "w₂"), ((-3.0, 3.0), (-2.5, 2.5)), (2.5, -1.5),
    "A one-neuron network, v ≈ w₂·tanh(w₁·u), fitted by mean squared error. Flipping the "
    "sign of both weights gives the same network, so there are two mirror-image best "
    "fits; between them, at the origin, the network outputs zero and the surface has a "
    "saddle. Runs near the origin stall before they pick a side, as real networks do "
    "on their symmetries.",
    example=tanh_network, draw=_draw_tanh, critical_points=_mirror_fits,
    predict=lambda w1, w2, u: w2 * np.tanh(w1 * u),
)


MODELS: tuple[DataModel, ...] = (LINEAR_REGRESSION, LOGISTIC_REGRESSION, TANH_NETWORK)
"""Every data model; a model's index here is its ``model`` number in the kernels."""

# --- the loop over the examples --------------------------------------------------------------

example = generate(
    "example",
    switch_source("example", "x, y, u, v",
                  {k: f"return {m.example.__name__}(x, y, u, v)" for k, m in enumerate(MODELS)},
                  "return np.nan, np.nan, np.nan, np.nan, np.nan, np.nan"),
    {"__name__": __name__, "__file__": __file__, "np": np,
     **{m.example.__name__: m.example for m in MODELS}},
    inline="always",
)
"""``example(model, x, y, u, v)``: the loss of model number ``model`` on one example."""

FEISTEL_ROUNDS = 4
_ONE = np.uint64(1)


@jit
def shuffled_index(position, n, key):
    """The example at ``position`` of a keyed pseudo-random permutation of range(n).

    A data loader with shuffle=True deals the n examples in a fresh random order every
    epoch; storing that order would need an array, which the kernels never allocate. Instead
    the permutation is computed one position at a time by a small Feistel network over
    [0, 2^k), 2^k the next power of two >= n: the k bits of a value are split into a left
    part L of ceil(k / 2) bits and a right part R of the rest, and each of four rounds maps
    (L, R) to (R, L xor F(R)), where F is a SplitMix64 hash of R, the key and the round,
    cut to L's width (so the parts trade widths every round). A round is undone by
    recomputing F(R), so the network permutes [0, 2^k). *Cycle-walking* applies it again
    while the value lands in [n, 2^k): following a cycle of a permutation of [0, 2^k) from a
    value below n always comes back below n, so the result is a permutation of range(n); as
    2^k < 2n it takes fewer than two applications on average. The key is a uint64 (the
    engine hashes (seed, epoch) into it); same (n, key), same order, on any thread.
    """
    bits = 0
    while (1 << bits) < n:
        bits += 1
    v = np.uint64(position)
    while True:
        wr = np.uint64(bits // 2)
        wl = np.uint64(bits) - wr
        left, right = v >> wr, v & ((_ONE << wr) - _ONE)
        for r in range(FEISTEL_ROUNDS):
            f = splitmix64((key ^ right) + np.uint64(r) * GOLDEN) & ((_ONE << wl) - _ONE)
            left, right = right, left ^ f
            wl, wr = wr, wl
        v = (left << wr) | right
        if v < np.uint64(n):
            return np.int64(v)


@jit(no_cpython_wrapper=True)
def data_sum(model, x, y, p, first, last, key):
    """The sums of the loss and its derivatives over the examples at positions first ..
    last - 1 (f, fx, fy, fxx, fxy, fyy): in data order when ``key`` is 0, else in the
    shuffled order of :func:`shuffled_index`."""
    n = int(p[0])
    f = gx = gy = hxx = hxy = hyy = 0.0
    for position in range(first, last):
        i = position if key == 0 else shuffled_index(position, n, key)
        lf, lx, ly, lxx, lxy, lyy = example(model, x, y, p[DATA_HEADER + i],
                                            p[DATA_HEADER + n + i])
        f += lf
        gx += lx
        gy += ly
        hxx += lxx
        hxy += lxy
        hyy += lyy
    return f, gx, gy, hxx, hxy, hyy
