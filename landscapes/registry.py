"""The surface registry: ``get(name)`` and ``names()`` over the built-in surfaces' table.

Each entry is defined once, with its math, in ``landscapes.surfaces``; a data surface's name
gives ``landscapes.data.from_data`` with its settings.
"""

from __future__ import annotations

from landscapes import data, kinds, surfaces
from landscapes.landscape import Landscape
from landscapes.spec import Surface


def landscape_of(entry: Surface) -> Landscape:
    """A built-in surface's entry as a Landscape with its default parameters."""
    return Landscape(
        name=entry.name, title=entry.title, latex=entry.latex, code=kinds.BUILT_IN[entry.name],
        bounds=entry.bounds, start=entry.start, description=entry.description,
        log_scale=entry.log_scale, points=entry.points, parameters=entry.parameters,
    )


_BY_NAME = {entry.name: landscape_of(entry) for entry in surfaces.BUILT_IN}


def names() -> list[str]:
    """The names of every built-in surface, in display order."""
    return list(_BY_NAME)


def get(name: str, **parameters: float) -> Landscape:
    """The registry entry ``name``, with optional surface parameters (e.g. condition_number).

    A data surface's name (``landscapes.data_names()``) gives ``landscapes.from_data(name,
    **parameters)``, with parameters size, noise and seed."""
    if name in data.KINDS:
        return data.from_data(name, **parameters)
    try:
        entry = _BY_NAME[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"Unknown surface: {name!r} (valid surfaces: {', '.join(names())})"
        ) from None
    return entry.with_parameters(**parameters) if parameters else entry
