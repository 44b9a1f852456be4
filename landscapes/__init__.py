"""Analytic 2-D loss surfaces: a registry of functions, gradients and Hessians.

    >>> import landscapes
    >>> surface = landscapes.get("rosenbrock")
    >>> surface.f(1.0, 1.0)
    0.0
"""

from landscapes.data import NAMES as _DATA_NAMES
from landscapes.data import from_data
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
    "data_names",
    "from_data",
    "from_formula",
    "get",
    "names",
]


def data_names() -> list[str]:
    """The kinds of data surface ``from_data`` builds (not in ``names()``: they take a dataset)."""
    return list(_DATA_NAMES)
