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
    and return floats or arrays of the broadcast shape. A typed formula
    (:func:`landscapes.from_formula`) has no tunable parameters: its compiled ``program`` is
    the parameter vector the kernels receive instead of ``values``.
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
    program: tuple[float, ...] = field(default=(), repr=False)
    _p: np.ndarray = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        if not self.values:
            object.__setattr__(self, "values", tuple(q.default for q in self.parameters))
        vector = self.program or self.values
        object.__setattr__(self, "_p", np.asarray(vector, dtype=np.float64))

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
    def data_size(self) -> int:
        """The number of examples of a data surface (``landscapes.from_data``), else 0."""
        return int(self._p[0]) if self.code >= S.FIRST_DATA else 0

    @property
    def dataset(self) -> tuple[np.ndarray, np.ndarray]:
        """A data surface's examples (inputs u, targets v); empty arrays for other surfaces."""
        n = self.data_size
        return (self._p[S.DATA_HEADER:S.DATA_HEADER + n].copy(),
                self._p[S.DATA_HEADER + n:S.DATA_HEADER + 2 * n].copy())

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
        xb, yb = np.broadcast_arrays(
            np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        )
        shape = xb.shape
        xs = np.ascontiguousarray(xb.reshape(-1))
        ys = np.ascontiguousarray(yb.reshape(-1))
        out = np.empty((3, xs.size), dtype=np.float64)
        # a copy: a formula surface uses the tail of its vector as scratch
        S.evaluate_on(np.int64(self.code), self.surface_params, np.int64(what), xs, ys, out)
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
    Landscape(
        name="himmelblau",
        title="Himmelblau's function",
        latex=r"f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2",
        code=S.HIMMELBLAU,
        bounds=((-5.0, 5.0), (-5.0, 5.0)),
        start=(1.0, 4.5),
        description=(
            "Four valleys, one in each quadrant, and all four minima are exactly zero: there is "
            "no single right answer. Which one a run reaches depends on where it starts and on "
            "how the optimizer steps. From the default start, plain gradient descent rolls down "
            "to (3, 2), while Adam's per-coordinate steps head diagonally and carry it to the "
            "valley on the left."
        ),
        log_scale=True,
        points=(
            _pt(3, 2),
            _pt(-2.805118086952745, 3.131312518250573),
            _pt(-3.779310253377747, -3.2831859912861696),
            _pt(3.5844283403304917, -1.8481265269644036),
            _pt(3.385154183607021, 0.07385187983774928, SADDLE_POINT),
            _pt(0.08667750455539634, 2.884254701174776, SADDLE_POINT),
            _pt(-3.0730257507643897, -0.08135304428796751, SADDLE_POINT),
            _pt(-0.12796134673068005, -1.9537149802445766, SADDLE_POINT),
        ),
    ),
    Landscape(
        name="rastrigin",
        title="Rastrigin's function",
        latex=r"f(x, y) = 20 + x^2 - 10\cos(2\pi x) + y^2 - 10\cos(2\pi y)",
        code=S.RASTRIGIN,
        bounds=((-5.12, 5.12), (-5.12, 5.12)),
        start=(2.2, -1.8),
        description=(
            "A bowl covered in an egg-crate of bumps: there is a local minimum next to every "
            "point with whole-number coordinates, and only the one at the origin is global. "
            "Gradient descent stops in the dimple it starts in (here the one near (2, -2)), and "
            "small steps can never climb out. Local slope alone cannot find the global minimum; "
            "this is why people use restarts, noise or many starting points."
        ),
        log_scale=False,
        points=(
            _pt(0, 0),
            _pt(1.9899122337085497, -1.9899122337085497, LOCAL_MINIMUM),
        ),
    ),
    Landscape(
        name="ackley",
        title="Ackley's function",
        latex=(
            r"f(x, y) = -20\,e^{-0.2\sqrt{(x^2 + y^2)/2}}"
            r" - e^{(\cos 2\pi x + \cos 2\pi y)/2} + e + 20"
        ),
        code=S.ACKLEY,
        bounds=((-5.0, 5.0), (-5.0, 5.0)),
        start=(2.8, -1.6),
        description=(
            "A nearly flat plain full of small potholes, with one deep, narrow funnel at the "
            "origin. Away from the centre the pull of the funnel is weak compared with the "
            "ripples, so gradient methods settle in the nearest pothole (here near (3, -2)). "
            "The bottom of the funnel is a sharp point where the gradient is undefined; the "
            "lab uses zero there."
        ),
        log_scale=False,
        points=(
            _pt(0, 0),
            _pt(2.973139419924383, -1.9821399503814776, LOCAL_MINIMUM),
        ),
    ),
    Landscape(
        name="booth",
        title="Booth's function",
        latex=r"f(x, y) = (x + 2y - 7)^2 + (2x + y - 5)^2",
        code=S.BOOTH,
        bounds=((-10.0, 10.0), (-10.0, 10.0)),
        start=(-8.0, 8.0),
        description=(
            "A smooth, tilted bowl with a single minimum at (1, 3): a good first check that "
            "every optimizer works. The bowl curves nine times more sharply across its long axis "
            "than along it, and that axis runs diagonally, so the two coordinates are coupled and "
            "gradient descent's path bends instead of heading straight for the minimum."
        ),
        log_scale=True,
        points=(_pt(1, 3),),
    ),
    Landscape(
        name="matyas",
        title="Matyas function",
        latex=r"f(x, y) = 0.26\,(x^2 + y^2) - 0.48\,xy",
        code=S.MATYAS,
        bounds=((-10.0, 10.0), (-10.0, 10.0)),
        start=(9.0, 3.0),
        description=(
            "A shallow valley along the diagonal y = x, with its minimum at the origin. Its "
            "floor rises 25 times more gently than its sides, so once gradient descent reaches "
            "the floor the slope is tiny and progress slows to a crawl. Adaptive methods take "
            "bigger steps on the flat floor, but because the valley is diagonal, scaling each "
            "coordinate separately cannot undo its shape."
        ),
        log_scale=True,
        points=(_pt(0, 0),),
    ),
    Landscape(
        name="goldstein_price",
        title="Goldstein–Price function",
        latex=(
            r"f(x, y) = \left[1 + (x + y + 1)^2 (19 - 14x + 3x^2 - 14y + 6xy + 3y^2)\right]"
            r"\left[30 + (2x - 3y)^2 (18 - 32x + 12x^2 + 48y - 36xy + 27y^2)\right]"
        ),
        code=S.GOLDSTEIN_PRICE,
        bounds=((-2.0, 2.0), (-2.0, 2.0)),
        start=(1.5, 1.5),
        description=(
            "A steep, lumpy surface whose values run from 3 at the global minimum (0, -1) to "
            "about a million at the edge of the window, so the gradient is enormous on the "
            "walls and small in the hollows. A learning rate that is safe on the walls is "
            "painfully slow elsewhere, and a larger one blows up. Local minima with values 30, "
            "84 and 840 catch runs that start on the wrong side: from the default start, "
            "gradient descent and Adam usually stop in one of them."
        ),
        log_scale=True,
        points=(
            _pt(0, -1),
            _pt(-0.6, -0.4, LOCAL_MINIMUM),
            _pt(1.8, 0.2, LOCAL_MINIMUM),
            _pt(1.2, 0.8, LOCAL_MINIMUM),
            _pt(-0.4, -0.6, SADDLE_POINT),
            _pt(1.2, -0.2, SADDLE_POINT),
            _pt(1.4, 0.6, SADDLE_POINT),
            _pt(0.6, 0.4, SADDLE_POINT),
        ),
    ),
    Landscape(
        name="six_hump_camel",
        title="Six-hump camel",
        latex=r"f(x, y) = \left(4 - 2.1x^2 + \tfrac{1}{3}x^4\right) x^2 + xy + (-4 + 4y^2)\, y^2",
        code=S.SIX_HUMP_CAMEL,
        bounds=((-3.0, 3.0), (-2.0, 2.0)),
        start=(-2.0, 1.0),
        description=(
            "Six hollows: two global minima, mirror images of each other near (0.09, -0.71) and "
            "(-0.09, 0.71), and two pairs of shallower local minima farther out. Started in an "
            "outer hollow, gradient descent settles there; momentum with enough speed can roll "
            "over the ridge to a global minimum. A small picture of a real loss surface: "
            "several equally good answers, and some worse ones."
        ),
        log_scale=True,
        points=(
            _pt(0.08984201310031807, -0.7126564030207396),
            _pt(-0.08984201310031807, 0.7126564030207396),
            _pt(-1.7036067149699807, 0.7960835686726252, LOCAL_MINIMUM),
            _pt(1.7036067149699807, -0.7960835686726252, LOCAL_MINIMUM),
            _pt(-1.6071047529201967, -0.5686514548841314, LOCAL_MINIMUM),
            _pt(1.6071047529201967, 0.5686514548841314, LOCAL_MINIMUM),
            _pt(0, 0, SADDLE_POINT),
            _pt(-1.1092053368047865, 0.7682680925095399, SADDLE_POINT),
            _pt(1.1092053368047865, -0.7682680925095399, SADDLE_POINT),
        ),
    ),
    Landscape(
        name="three_hump_camel",
        title="Three-hump camel",
        latex=r"f(x, y) = 2x^2 - 1.05x^4 + \tfrac{1}{6}x^6 + xy + y^2",
        code=S.THREE_HUMP_CAMEL,
        bounds=((-2.0, 2.0), (-2.0, 2.0)),
        start=(-1.5, -1.5),
        description=(
            "One global minimum at the origin, with a shallow side hollow on either side. From "
            "the default start plain gradient descent settles in the left hollow, while Adam's "
            "evenly sized steps carry it over the low ridge to the centre. The side minima are "
            "only a little higher (0.30 against 0): a local minimum can look good enough."
        ),
        log_scale=True,
        points=(
            _pt(0, 0),
            _pt(-1.7475523458302888, 0.8737761729151444, LOCAL_MINIMUM),
            _pt(1.7475523458302888, -0.8737761729151444, LOCAL_MINIMUM),
            _pt(-1.0705422918236598, 0.5352711459118299, SADDLE_POINT),
            _pt(1.0705422918236598, -0.5352711459118299, SADDLE_POINT),
        ),
    ),
    Landscape(
        name="styblinski_tang",
        title="Styblinski–Tang function",
        latex=r"f(x, y) = \tfrac{1}{2}\left(x^4 - 16x^2 + 5x + y^4 - 16y^2 + 5y\right)",
        code=S.STYBLINSKI_TANG,
        bounds=((-5.0, 5.0), (-5.0, 5.0)),
        start=(4.5, 4.0),
        description=(
            "Four basins of the same shape but different depth, one in each quadrant; the "
            "deepest is at (-2.90, -2.90) with f ≈ -78.3. Each coordinate is its own 1-D "
            "problem, so with small steps gradient descent's basin is decided by the side of "
            "x ≈ 0.157 on which each coordinate starts. From the default start gradient descent "
            "and Adam reach the shallowest basin (-50.1), with no sign that deeper ones exist."
        ),
        log_scale=False,
        points=(
            _pt(-2.9035340277711774, -2.9035340277711774),
            _pt(-2.9035340277711774, 2.746802770990837, LOCAL_MINIMUM),
            _pt(2.746802770990837, -2.9035340277711774, LOCAL_MINIMUM),
            _pt(2.746802770990837, 2.746802770990837, LOCAL_MINIMUM),
            _pt(-2.9035340277711774, 0.1567312567803401, SADDLE_POINT),
            _pt(0.1567312567803401, -2.9035340277711774, SADDLE_POINT),
            _pt(2.746802770990837, 0.1567312567803401, SADDLE_POINT),
            _pt(0.1567312567803401, 2.746802770990837, SADDLE_POINT),
        ),
    ),
    Landscape(
        name="monkey_saddle",
        title="Monkey saddle",
        latex=r"f(x, y) = x^3 - 3xy^2",
        code=S.MONKEY_SADDLE,
        bounds=((-2.0, 2.0), (-2.0, 2.0)),
        start=(1.5, 0.01),
        description=(
            "Three ridges and three valleys meet at the origin, where the slope and the "
            "curvature both vanish: a saddle even flatter than the ordinary one. Started on a "
            "ridge, gradient descent slides towards the centre and slows to a crawl, because "
            "the slope shrinks with the square of the distance; it escapes into a valley only "
            "once its small sideways offset has grown. There is no minimum: a run that leaves "
            "the window has escaped, not failed."
        ),
        log_scale=False,
        points=(_pt(0, 0, SADDLE_POINT),),
    ),
)

_BY_NAME = {entry.name: entry for entry in _LANDSCAPES}


def names() -> list[str]:
    """The names of every registered surface, in display order."""
    return [entry.name for entry in _LANDSCAPES]


def get(name: str, **parameters: float) -> Landscape:
    """The registry entry ``name``, with optional surface parameters (e.g. condition_number).

    A data surface's name (``landscapes.data_names()``) gives ``landscapes.from_data(name,
    **parameters)``, with parameters size, noise and seed."""
    from landscapes import data  # a module that needs this one

    if name in data.KINDS:
        return data.from_data(name, **parameters)
    try:
        entry = _BY_NAME[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"Unknown surface: {name!r} (valid surfaces: {', '.join(names())})"
        ) from None
    return entry.with_parameters(**parameters) if parameters else entry
