"""Analytic 2-D loss surfaces: a registry of functions, gradients and Hessians.

    >>> import landscapes
    >>> surface = landscapes.get("rosenbrock")
    >>> surface.f(1.0, 1.0)
    0.0
"""

from landscapes.formula import from_formula
from landscapes.registry import (
    GLOBAL_MINIMUM,
    LOCAL_MINIMUM,
    SADDLE_POINT,
    CriticalPoint,
    Landscape,
    SurfaceParameter,
    get,
    names,
)

__all__ = [
    "GLOBAL_MINIMUM",
    "LOCAL_MINIMUM",
    "SADDLE_POINT",
    "CriticalPoint",
    "Landscape",
    "SurfaceParameter",
    "from_formula",
    "get",
    "names",
]
