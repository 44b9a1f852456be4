"""2-D loss surfaces: a registry of functions with exact gradients and Hessians.

    >>> import landscapes
    >>> surface = landscapes.get("rosenbrock")
    >>> surface.f(1.0, 1.0)
    0.0

Layers, lowest first (each module imports only those above it): ``jit`` (the decorator and
the generated dispatch), ``parameters``, ``spec``, ``hashing``; the math: ``surfaces`` (the
built-in surfaces with their entries), ``program`` (a typed formula's stack machine),
``models`` (the data surfaces' models); ``kinds`` (the table of every kind and its compiled
dispatch); ``landscape`` (``Landscape``); ``data``, ``formula``; ``registry``.
"""

from landscapes.data import NAMES as _DATA_NAMES
from landscapes.data import from_data
from landscapes.formula import from_formula
from landscapes.landscape import Landscape
from landscapes.parameters import Parameter
from landscapes.registry import get, names
from landscapes.spec import GLOBAL_MINIMUM, LOCAL_MINIMUM, SADDLE_POINT, CriticalPoint

SurfaceParameter = Parameter
"""The old name of a surface's parameter record (now the one ``Parameter`` of the core)."""

__all__ = [
    "GLOBAL_MINIMUM",
    "LOCAL_MINIMUM",
    "SADDLE_POINT",
    "CriticalPoint",
    "Landscape",
    "Parameter",
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
