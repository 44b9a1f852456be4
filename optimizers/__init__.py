"""Gradient-descent optimizers, learning-rate schedules and gradient sources, in one engine.

    >>> import optimizers
    >>> path = optimizers.simulate("rosenbrock", "adam", (-1.5, 2.0), 500, lr=0.05)
    >>> path.xy.shape
    (501, 2)
"""

from optimizers.api import (
    ESCAPE_FACTOR,
    MAX_STEPS,
    OUTCOME_KINDS,
    BasinsResult,
    Evaluations,
    Outcome,
    SweepResult,
    Trajectory,
    basins,
    gradient_names,
    names,
    outcome,
    schedule_names,
    simulate,
    sweep,
)
from optimizers.specs import (
    GRADIENT_SOURCES,
    OPTIMIZERS,
    OPTIMIZERS_BY_NAME,
    SCHEDULES,
    SCHEDULES_BY_NAME,
)

__all__ = [
    "ESCAPE_FACTOR",
    "GRADIENT_SOURCES",
    "MAX_STEPS",
    "OPTIMIZERS",
    "OPTIMIZERS_BY_NAME",
    "OUTCOME_KINDS",
    "SCHEDULES",
    "SCHEDULES_BY_NAME",
    "BasinsResult",
    "Evaluations",
    "Outcome",
    "SweepResult",
    "Trajectory",
    "basins",
    "gradient_names",
    "names",
    "outcome",
    "schedule_names",
    "simulate",
    "sweep",
]
