"""Data surfaces: a small model's loss averaged over a dataset drawn from a seed.

The point (x, y) of the map is the model's two parameters; the surface is the loss over the
whole dataset. The examples (u_i, v_i) are drawn here with ``np.random.default_rng(seed)`` and
stored in the kernels' parameter vector, p = (n, u_1 .. u_n, v_1 .. v_n), the way a typed
formula stores its program; the models and the loop over their examples are in
``landscapes.models``, so value, gradient and Hessian are exact. The ``minibatch`` gradient
source of ``optimizers`` then trains on real mini-batches of the same examples.

    >>> surface = from_data("linear_regression", size=100, noise=0.3, seed=1)
    >>> surface.data_size
    100
"""

from __future__ import annotations

import math

import numpy as np

from landscapes import kinds, models
from landscapes.landscape import Landscape
from landscapes.parameters import Parameter
from landscapes.spec import GLOBAL_MINIMUM

MAX_SIZE = 2000
"""The largest dataset accepted (every evaluation of f loops over all of it)."""

MAX_NOISE = 5.0

SETTINGS = (
    Parameter("size", 200, (2, MAX_SIZE), "examples in the dataset", kind="int"),
    Parameter("noise", 0.5, (0.0, MAX_NOISE), "noise of the targets"),
    Parameter("seed", 0, (0, 2**31 - 1), "the seed the examples are drawn from", kind="int"),
)
"""A data surface's settings."""
DEFAULTS = {setting.name: setting.default for setting in SETTINGS}
SETTINGS_RANGE = {setting.name: setting.valid for setting in SETTINGS}

KINDS: dict[str, models.DataModel] = {model.name: model for model in models.MODELS}
"""Every data model by name (``title``, ``axes``, ``description`` … are what the app shows)."""
NAMES = tuple(KINDS)


def _model(kind: str) -> models.DataModel:
    if kind not in KINDS:
        raise ValueError(f"Unknown data surface: {kind!r} (valid: {', '.join(KINDS)})")
    return KINDS[kind]


def dataset(kind: str, size: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The n examples (u, v) of a data surface, drawn from ``seed`` (see each model's draw)."""
    return _model(kind).draw(size, noise, np.random.default_rng(seed))


def predict(kind: str, w, b, u):
    """The model's output at inputs ``u`` for parameters (w, b) (broadcasting NumPy)."""
    w, b, u = (np.asarray(a, dtype=np.float64) for a in (w, b, u))
    return _model(kind).predict(w, b, u)


def input_grid(landscape: Landscape, count: int) -> np.ndarray:
    """``count`` evenly spaced inputs u over a data surface's examples, reaching 5% of their
    span beyond the smallest and the largest: where its model's curve is drawn."""
    u, _ = landscape.dataset
    margin = 0.05 * (u.max() - u.min())
    return np.linspace(u.min() - margin, u.max() + margin, count)


def fits(landscape: Landscape, xy: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """The model's output at the inputs ``grid`` for every parameter point (w, b) of ``xy``:
    row t is the fit at x_t, (len(xy), len(grid))."""
    xy = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
    return predict(landscape.name, xy[:, :1], xy[:, 1:], np.asarray(grid)[None, :])


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
    model = _model(kind)
    for setting, value in zip(SETTINGS, (size, noise, seed), strict=True):
        problem = setting.problem(value)
        if problem:
            raise ValueError(problem)
    size, noise, seed = int(size), float(noise), int(seed)
    u, v = dataset(kind, size, noise, seed)
    program = (float(size), *u.tolist(), *v.tolist())
    draft = Landscape(name=kind, title=model.title, latex=model.latex, code=kinds.DATA[kind],
                      bounds=model.bounds, start=model.start, description=model.description,
                      log_scale=False, program=program)
    points = model.critical_points(draft, u, v)
    bounds = model.bounds
    for p in points:
        bounds = _bounds_with(bounds, (p.x, p.y))
    return Landscape(
        name=kind, title=f"{model.title}: n = {size}, noise = {noise:g}, seed = {seed}",
        latex=model.latex, code=kinds.DATA[kind], bounds=bounds, start=model.start,
        description=model.description,
        log_scale=any(p.kind == GLOBAL_MINIMUM for p in points),  # colours f - f*
        points=tuple(points), program=program,
    )
