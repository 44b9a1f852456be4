"""The surface registry: every built-in surface with its formula, plot window and known points.

The math lives in ``landscapes._surfaces`` (one Numba definition per surface); this module adds
what a person needs to read and plot it, and evaluates the math on floats or NumPy arrays.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from landscapes import _surfaces as S

Point = tuple[float, float]
Bounds = tuple[tuple[float, float], tuple[float, float]]

GLOBAL_MINIMUM = "global minimum"
LOCAL_MINIMUM = "local minimum"
SADDLE_POINT = "saddle point"


@dataclass(frozen=True)
class CriticalPoint:
    """A point where the gradient vanishes, tagged with its kind."""

    x: float
    y: float
    kind: str  # GLOBAL_MINIMUM, LOCAL_MINIMUM or SADDLE_POINT


@dataclass(frozen=True)
class SurfaceParameter:
    """A tunable constant of a surface (e.g. a condition number), with its allowed range."""

    name: str
    default: float
    low: float
    high: float
    description: str


@dataclass(frozen=True)
class Landscape:
    """One analytic 2-D surface f(x, y), its derivatives and what it teaches.

    ``f``, ``grad`` and ``hessian`` accept floats or NumPy arrays of any (broadcastable) shape
    and return floats or arrays of the broadcast shape.
    """

    name: str
    title: str
    latex: str
    code: int
    bounds: Bounds
    start: Point
    description: str
    log_scale: bool
    points: tuple[CriticalPoint, ...] = ()
    parameters: tuple[SurfaceParameter, ...] = ()
    values: tuple[float, ...] = ()
    _p: np.ndarray = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        if not self.values:
            object.__setattr__(self, "values", tuple(q.default for q in self.parameters))
        object.__setattr__(self, "_p", np.asarray(self.values, dtype=np.float64))

    # --- known points -----------------------------------------------------------------------

    @property
    def minima(self) -> tuple[Point, ...]:
        """Every global minimum as (x, y); empty for a surface unbounded below."""
        return tuple((q.x, q.y) for q in self.points if q.kind == GLOBAL_MINIMUM)

    @property
    def minimum_value(self) -> float:
        """f at the global minima, or -inf for a surface unbounded below."""
        if not self.minima:
            return -math.inf
        return float(self.f(*self.minima[0]))

    @property
    def parameter_values(self) -> dict[str, float]:
        return {q.name: v for q, v in zip(self.parameters, self.values, strict=True)}

    @property
    def surface_params(self) -> np.ndarray:
        """The float64 parameter vector the kernels receive (a copy)."""
        return self._p.copy()

    def with_parameters(self, **values: float) -> Landscape:
        """The same surface with some parameters changed (validated against their ranges)."""
        known = {q.name: q for q in self.parameters}
        merged = self.parameter_values
        for name, value in values.items():
            if name not in known:
                allowed = ", ".join(known) or "none"
                raise ValueError(
                    f"Invalid parameter for surface '{self.name}': {name!r} (allowed: {allowed})"
                )
            q = known[name]
            value = float(value)
            if not (math.isfinite(value) and q.low <= value <= q.high):
                raise ValueError(
                    f"Invalid {name} for surface '{self.name}': {value!r} "
                    f"(allowed: {q.low:g} to {q.high:g})"
                )
            merged[name] = value
        return _replace_values(self, tuple(merged[q.name] for q in self.parameters))

    # --- evaluation ---------------------------------------------------------------------------

    def f(self, x, y):
        """The surface value f(x, y)."""
        return self._evaluate(S.VALUE, x, y, 1)[0]

    def grad(self, x, y):
        """The gradient (df/dx, df/dy)."""
        return self._evaluate(S.GRADIENT, x, y, 2)

    def hessian(self, x, y):
        """The Hessian ((fxx, fxy), (fxy, fyy))."""
        fxx, fxy, fyy = self._evaluate(S.HESSIAN, x, y, 3)
        return (fxx, fxy), (fxy, fyy)

    def _evaluate(self, what: int, x, y, n_outputs: int):
        xb, yb = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))
        shape = xb.shape
        xs = np.ascontiguousarray(xb.reshape(-1))
        ys = np.ascontiguousarray(yb.reshape(-1))
        out = np.empty((3, xs.size), dtype=np.float64)
        S.evaluate_on(np.int64(self.code), self._p, np.int64(what), xs, ys, out)
        if shape == ():
            return tuple(float(out[k, 0]) for k in range(n_outputs))
        return tuple(out[k].reshape(shape) for k in range(n_outputs))


def _replace_values(landscape: Landscape, values: tuple[float, ...]) -> Landscape:
    fields = {name: getattr(landscape, name) for name in landscape.__dataclass_fields__}
    fields.pop("_p")
    fields["values"] = values
    return Landscape(**fields)


def _pt(x: float, y: float, kind: str = GLOBAL_MINIMUM) -> CriticalPoint:
    return CriticalPoint(float(x), float(y), kind)


_LANDSCAPES: tuple[Landscape, ...] = (
    Landscape(
        name="rosenbrock",
        title="Rosenbrock's banana",
        latex=r"f(x, y) = (1 - x)^2 + 100\,(y - x^2)^2",
        code=S.ROSENBROCK,
        bounds=((-2.0, 2.0), (-1.0, 3.0)),
        start=(-1.5, 2.0),
        description=(
            "A long, curved, nearly flat valley. Finding the valley is easy; walking along its "
            "floor to the minimum at (1, 1) is slow, because the gradient points mostly across "
            "the valley, not along it. Momentum and adaptive methods earn their keep here."
        ),
        log_scale=True,
        points=(_pt(1, 1),),
    ),
    Landscape(
        name="beale",
        title="Beale's function",
        latex=(
            r"f(x, y) = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2"
        ),
        code=S.BEALE,
        bounds=((-4.5, 4.5), (-4.5, 4.5)),
        start=(1.0, 1.5),
        description=(
            "Flat plateaus and steep walls with sharp ridges in the corners. Gradients range "
            "over many orders of magnitude, so a single learning rate is either too timid on "
            "the plateau or too bold at the walls; per-coordinate scaling helps. The minimum is "
            "at (3, 0.5)."
        ),
        log_scale=True,
        points=(_pt(3, 0.5), _pt(0, 1, SADDLE_POINT)),
    ),
    Landscape(
        name="saddle",
        title="Saddle",
        latex=r"f(x, y) = x^2 - y^2",
        code=S.SADDLE,
        bounds=((-2.0, 2.0), (-2.0, 2.0)),
        start=(-1.8, 0.01),
        description=(
            "Uphill one way, downhill the other, with a flat point at the origin. Started close "
            "to the ridge line, plain gradient descent creeps towards the origin and takes a "
            "long time to notice the way down; momentum and adaptive methods escape sooner. "
            "There is no minimum: a run that leaves the window has escaped, not failed."
        ),
        log_scale=False,
        points=(_pt(0, 0, SADDLE_POINT),),
    ),
    Landscape(
        name="quadratic",
        title="Ill-conditioned bowl",
        latex=r"f(x, y) = \tfrac{1}{2}\,(x^2 + \kappa\, y^2)",
        code=S.QUADRATIC,
        bounds=((-10.0, 10.0), (-5.0, 5.0)),
        start=(-9.0, 3.0),
        description=(
            "A narrow ravine: the curvature across it is κ times the curvature along it. A "
            "learning rate small enough to be stable across the ravine crawls along it, and "
            "plain gradient descent zig-zags from wall to wall. Momentum damps the zig-zag and "
            "speeds up the slow direction. κ is the condition number."
        ),
        log_scale=True,
        points=(_pt(0, 0),),
        parameters=(
            SurfaceParameter(
                "condition_number", 20.0, 1.0, 1000.0,
                "ratio of the largest to the smallest curvature",
            ),
        ),
    ),
)

_BY_NAME = {entry.name: entry for entry in _LANDSCAPES}


def names() -> list[str]:
    """The names of every registered surface, in display order."""
    return [entry.name for entry in _LANDSCAPES]


def get(name: str, **parameters: float) -> Landscape:
    """The registry entry ``name``, with optional surface parameters (e.g. condition_number)."""
    try:
        entry = _BY_NAME[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"Unknown surface: {name!r} (valid surfaces: {', '.join(names())})"
        ) from None
    return entry.with_parameters(**parameters) if parameters else entry
