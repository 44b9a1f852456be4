"""What describes a surface: its entry in the registry, and the points it marks.

A ``Surface`` is everything a person reads and the app plots (name, title, formula, window,
start, known critical points, tunable parameters, an explanation) plus ``math``, the one Numba
function that computes its value and derivatives (see ``landscapes.surfaces``). A built-in
surface is one such entry; a typed formula and a data surface get one when they are built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from landscapes.parameters import Parameter

Point = tuple[float, float]
Bounds = tuple[tuple[float, float], tuple[float, float]]

GLOBAL_MINIMUM = "global minimum"
LOCAL_MINIMUM = "local minimum"
SADDLE_POINT = "saddle point"
POINT_KINDS = (GLOBAL_MINIMUM, LOCAL_MINIMUM, SADDLE_POINT)


@dataclass(frozen=True)
class CriticalPoint:
    """A point where the gradient vanishes, tagged with its kind (one of ``POINT_KINDS``)."""

    x: float
    y: float
    kind: str


def point(x: float, y: float, kind: str = GLOBAL_MINIMUM) -> CriticalPoint:
    return CriticalPoint(float(x), float(y), kind)


@dataclass(frozen=True)
class Surface:
    """A surface as the registry lists it; ``math(x, y, p)`` gives (f, fx, fy, fxx, fxy, fyy)."""

    name: str
    title: str
    latex: str
    math: Callable
    bounds: Bounds
    start: Point
    description: str
    log_scale: bool
    points: tuple[CriticalPoint, ...] = ()
    parameters: tuple[Parameter, ...] = ()
