"""One Parameter record, one rule: ``problem(value)`` for every kind, as a table.

Every tunable value of the core is a ``landscapes.Parameter``: the optimizers'
hyperparameters, the schedules' and gradient sources' parameters, the surfaces' parameters
and the data surfaces' settings. Each row below is (parameter, value, the message it must
give, or None for a valid value).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import landscapes
import optimizers
from landscapes import Parameter
from landscapes.data import SETTINGS

LR = Parameter("lr", 1e-3, (0.0, 1e3), "learning rate", low_open=True, label="learning rate")
BETA1 = Parameter("beta1", 0.9, (0.0, 1.0), "momentum", high_open=True)
STEPS = Parameter("step_size", 100, (1, 1e6), "steps", kind="int")
SWITCH = Parameter("amsgrad", 0.0, (0.0, 1.0), "switch", kind="bool")
INTERVAL = Parameter("interval", "step", kind="choice", choices=("step", "epoch"))
MILESTONES = Parameter("milestones", (), (1, 1e6), "steps", kind="list", required=True)

CASES = [
    (LR, 0.5, None),
    (LR, 1e3, None),
    (LR, 0, "Invalid learning rate: 0 (allowed: 0 < lr <= 1000)"),
    (LR, math.inf, "Invalid learning rate: inf (allowed: 0 < lr <= 1000)"),
    (LR, "fast", "Invalid learning rate: 'fast' (allowed: 0 < lr <= 1000)"),
    (LR, np.float32(0.25), None),
    (BETA1, 0.0, None),
    (BETA1, 1.0, "Invalid beta1: 1.0 (allowed: 0 <= beta1 < 1)"),
    (STEPS, 7, None),
    (STEPS, 7.0, None),
    (STEPS, 7.5, "Invalid step_size: 7.5 (allowed: an integer, 1 <= step_size <= 1000000)"),
    (STEPS, math.nan, "Invalid step_size: nan (allowed: an integer, 1 <= step_size <= 1000000)"),
    (SWITCH, True, None),
    (SWITCH, 0.0, None),
    (SWITCH, 0.5, "Invalid amsgrad: 0.5 (allowed: amsgrad is True or False)"),
    (INTERVAL, "epoch", None),
    (INTERVAL, "week", "Invalid interval: 'week' (allowed: 'step', 'epoch')"),
    (MILESTONES, [30, 5], None),
    (MILESTONES, (3.0,), None),
    (MILESTONES, [], "Invalid milestones: [] (allowed: a non-empty list of positive integer "
                     "steps)"),
    (MILESTONES, [0, 5], "Invalid milestones: [0, 5] (allowed: a non-empty list of positive "
                         "integer steps)"),
    (MILESTONES, "12", "Invalid milestones: '12' (allowed: a non-empty list of positive "
                       "integer steps)"),
]


@pytest.mark.parametrize(("parameter", "value", "message"), CASES,
                         ids=[f"{p.name}={v!r}" for p, v, _ in CASES])
def test_problem_names_the_value_and_what_is_allowed(parameter, value, message):
    assert parameter.problem(value) == message
    assert parameter.accepts(value) == (message is None)


@pytest.mark.parametrize("parameter", [LR, BETA1, STEPS, SWITCH], ids=lambda p: p.name)
def test_accepts_each_is_accepts_on_every_number_of_an_array(parameter):
    numbers = np.array([v for p, v, _ in CASES if isinstance(v, int | float) and p.kind in (
        "float", "int", "bool")] + [-1.0, 1e-300, 0.999999, 1e6, 1e6 + 1, -math.inf])
    np.testing.assert_array_equal(parameter.accepts_each(numbers),
                                  [parameter.accepts(float(v)) for v in numbers])


@pytest.mark.parametrize(("parameter", "value", "coerced"), [
    (LR, np.float32(0.25), 0.25), (STEPS, 7, 7.0), (SWITCH, True, 1.0),
    (INTERVAL, "epoch", "epoch"), (MILESTONES, [30, 5.0, 12], (5, 12, 30)),
])
def test_a_valid_value_is_coerced_to_its_kinds_one_type(parameter, value, coerced):
    assert parameter.coerce(value) == coerced
    assert type(parameter.coerce(value)) is type(coerced)


def test_the_names_the_app_reads():
    assert (LR.low, LR.high, LR.description, LR.slider_range) == (0.0, 1e3, "learning rate",
                                                                  (0.0, 1e3))
    assert SWITCH.boolean and not LR.boolean and STEPS.integer and not LR.integer


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="Invalid kind: 'complex'"):
        Parameter("z", 0.0, kind="complex")


def _every_parameter():
    for spec in optimizers.OPTIMIZERS:
        yield from spec.hyperparameters
    for spec in (*optimizers.SCHEDULES, *optimizers.GRADIENT_SOURCES):
        yield from spec.parameters
    for name in landscapes.names():
        yield from landscapes.get(name).parameters
    yield from SETTINGS


@pytest.mark.parametrize("parameter", list(_every_parameter()), ids=lambda p: p.label or p.name)
def test_every_parameter_of_the_core_is_one_record_whose_default_is_valid(parameter):
    assert isinstance(parameter, Parameter)
    if not parameter.required:
        assert parameter.problem(parameter.default) is None
    low, high = parameter.slider_range
    assert parameter.low <= low <= high <= parameter.high
