"""Gradient-descent optimizers, learning-rate schedules and gradient sources, in one engine.

    >>> import optimizers
    >>> path = optimizers.simulate("rosenbrock", "adam", (-1.5, 2.0), 500, lr=0.05)
    >>> path.xy.shape
    (501, 2)

Layers, lowest first (each module imports only those above it, and ``landscapes``):
``records`` (the spec records); ``rules``, ``schedules``, ``sources`` (each optimizer,
schedule and gradient source: its code beside its spec); ``specs`` (the tables by name);
``engine`` (the kernels, their dispatch written from the tables); ``api`` (validation at the
boundary, and ``simulate``, ``sweep``, ``paths``, ``basins``, ``outcome``).
"""

from optimizers.api import (
    ESCAPE_FACTOR,
    MAX_STEPS,
    OUTCOME_KINDS,
    BasinsResult,
    Evaluations,
    Outcome,
    Paths,
    SweepResult,
    Trajectory,
    accepted,
    basins,
    first_steps,
    gradient_names,
    names,
    outcome,
    paths,
    prepare,
    schedule_names,
    simulate,
    strided_indices,
    sweep,
)
from optimizers.specs import (
    GRADIENT_SOURCES,
    GRADIENT_SOURCES_BY_NAME,
    OPTIMIZERS,
    OPTIMIZERS_BY_NAME,
    SCHEDULES,
    SCHEDULES_BY_NAME,
)

__all__ = [
    "ESCAPE_FACTOR",
    "GRADIENT_SOURCES",
    "GRADIENT_SOURCES_BY_NAME",
    "MAX_STEPS",
    "OPTIMIZERS",
    "OPTIMIZERS_BY_NAME",
    "OUTCOME_KINDS",
    "SCHEDULES",
    "SCHEDULES_BY_NAME",
    "BasinsResult",
    "Evaluations",
    "Outcome",
    "Paths",
    "SweepResult",
    "Trajectory",
    "accepted",
    "basins",
    "first_steps",
    "gradient_names",
    "names",
    "outcome",
    "paths",
    "prepare",
    "schedule_names",
    "simulate",
    "strided_indices",
    "sweep",
]
