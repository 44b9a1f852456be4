"""One place to look up every optimizer, schedule and gradient source by name.

The specs are defined beside their code (``optimizers.rules``, ``optimizers.schedules``,
``optimizers.sources``); the engine, the validation in ``optimizers.api``, the pages and the
docs all read them from these tables, so nothing drifts.
"""

from __future__ import annotations

from optimizers.records import GradientSourceSpec, Hyperparameter, OptimizerSpec, ScheduleSpec
from optimizers.rules import OPTIMIZERS
from optimizers.schedules import SCHEDULES
from optimizers.sources import GRADIENT_SOURCES

ScheduleParameter = Hyperparameter
"""The old name of a schedule's or gradient source's parameter (one ``Parameter`` now)."""

OPTIMIZERS_BY_NAME = {spec.name: spec for spec in OPTIMIZERS}
SCHEDULES_BY_NAME = {spec.name: spec for spec in SCHEDULES}
GRADIENT_SOURCES_BY_NAME = {spec.name: spec for spec in GRADIENT_SOURCES}

__all__ = [
    "GRADIENT_SOURCES",
    "GRADIENT_SOURCES_BY_NAME",
    "OPTIMIZERS",
    "OPTIMIZERS_BY_NAME",
    "SCHEDULES",
    "SCHEDULES_BY_NAME",
    "GradientSourceSpec",
    "Hyperparameter",
    "OptimizerSpec",
    "ScheduleParameter",
    "ScheduleSpec",
]
