"""A surface ready to evaluate: its entry, its parameter values and the kernels' vector.

``Landscape`` is what ``landscapes.get``, ``from_formula`` and ``from_data`` return: every field
a person reads or the app plots, the kind's ``code`` and the float64 parameter vector the
kernels receive. ``f``, ``grad`` and ``hessian`` evaluate it on floats or NumPy arrays.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from landscapes import kinds, models
from landscapes.parameters import Parameter
from landscapes.spec import GLOBAL_MINIMUM, Bounds, CriticalPoint, Point


@dataclass(frozen=True)
class Landscape:
    """One 2-D surface f(x, y), its derivatives and what it teaches.

    ``f``, ``grad`` and ``hessian`` accept floats or NumPy arrays of any (broadcastable) shape
    and return floats or arrays of the broadcast shape. A typed formula or a data surface has
    no tunable parameters: its ``program`` (the formula's code, or the dataset) is the
    parameter vector the kernels receive instead of ``values``.
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
    parameters: tuple[Parameter, ...] = ()
    values: tuple[float, ...] = ()
    program: tuple[float, ...] = field(default=(), repr=False)
    _p: np.ndarray = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        if not self.values:
            object.__setattr__(self, "values", tuple(q.default for q in self.parameters))
        vector = self.program or self.values
        object.__setattr__(self, "_p", np.asarray(vector, dtype=np.float64))

    # --- known points ---------------------------------------------------------------------------

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
        return int(self._p[0]) if kinds.DATA_MODEL[self.code] >= 0 else 0

    @property
    def dataset(self) -> tuple[np.ndarray, np.ndarray]:
        """A data surface's examples (inputs u, targets v); empty arrays for other surfaces."""
        n, first = self.data_size, models.DATA_HEADER
        return self._p[first:first + n].copy(), self._p[first + n:first + 2 * n].copy()

    @property
    def surface_params(self) -> np.ndarray:
        """The float64 parameter vector the kernels receive (a copy: a formula uses its tail
        as scratch)."""
        return self._p.copy()

    def with_parameters(self, **values: float) -> Landscape:
        """The same surface with some parameters changed (each checked by its Parameter)."""
        known = {q.name: q for q in self.parameters}
        merged = self.parameter_values
        for name, value in values.items():
            if name not in known:
                allowed = ", ".join(known) or "none"
                raise ValueError(
                    f"Invalid parameter for surface '{self.name}': {name!r} (allowed: {allowed})"
                )
            parameter = replace(known[name], label=f"{name} for surface '{self.name}'")
            problem = parameter.problem(value)
            if problem:
                raise ValueError(problem)
            merged[name] = parameter.coerce(value)
        return replace(self, values=tuple(merged[q.name] for q in self.parameters))

    # --- evaluation -----------------------------------------------------------------------------

    def f(self, x, y):
        """The surface value f(x, y)."""
        return self._evaluate(kinds.VALUE, x, y, 1)[0]

    def grad(self, x, y):
        """The gradient (df/dx, df/dy)."""
        return self._evaluate(kinds.GRADIENT, x, y, 2)

    def hessian(self, x, y):
        """The Hessian ((fxx, fxy), (fxy, fyy))."""
        fxx, fxy, fyy = self._evaluate(kinds.HESSIAN, x, y, 3)
        return (fxx, fxy), (fxy, fyy)

    def _evaluate(self, what: int, x, y, n_outputs: int):
        xb, yb = np.broadcast_arrays(
            np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        )
        shape = xb.shape
        xs = np.ascontiguousarray(xb.reshape(-1))
        ys = np.ascontiguousarray(yb.reshape(-1))
        out = np.empty((3, xs.size), dtype=np.float64)
        evaluate = kinds.evaluate_built_in_on if kinds.is_built_in(self.code) else kinds.evaluate_on
        evaluate(np.int64(self.code), self.surface_params, np.int64(what), xs, ys, out)
        if shape == ():
            return tuple(float(out[k, 0]) for k in range(n_outputs))
        return tuple(out[k].reshape(shape) for k in range(n_outputs))
