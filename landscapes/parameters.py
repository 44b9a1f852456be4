"""One record for every tunable value of the core, and the one rule that checks it.

A ``Parameter`` is a name, a default, a kind (``float``, ``int``, ``bool``, ``choice``,
``list`` or ``text``), the values that are valid, the range a slider offers, whether that
slider moves on a log scale, and a line of help. ``problem(value)`` says, in torch's style,
what is wrong with a value (``Invalid learning rate: -1.0 (allowed: 0 < lr <= 1000)``), or
returns None. The optimizers' hyperparameters, the schedules' and gradient sources'
parameters, the surfaces' parameters and the data surfaces' settings are all Parameters, and
every check of them in the core goes through ``problem``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

KINDS = ("float", "int", "bool", "choice", "list", "text")


@dataclass(frozen=True)
class Parameter:
    """A named value with its default, what is valid, a slider range and a line of help.

    ``valid`` is (low, high) for numbers (and for a list's elements); the ends are included
    unless ``low_open`` or ``high_open``. ``spellings`` are other values that stand for a number
    (torch's ``None`` and ``"strong_wolfe"`` for L-BFGS's line_search_fn switch), read by
    :meth:`spelled`. ``slider`` is the range the app offers (default:
    ``valid``). A ``bool`` is 0.0 or 1.0 (False or True); a ``choice`` one of ``choices``; a
    ``list`` a non-empty sequence of ``int`` elements in ``valid``, kept sorted; a ``text`` any
    string (a typed formula, which its owner parses). ``label`` is the name used in messages
    (default: the name).
    """

    name: str
    default: Any
    valid: tuple[float, float] = (-math.inf, math.inf)
    help: str = ""
    kind: str = "float"
    log: bool = False
    low_open: bool = False
    high_open: bool = False
    slider: tuple[float, float] | None = None
    choices: tuple[str, ...] = ()
    required: bool = False
    label: str | None = None
    spellings: tuple[tuple[Any, float], ...] = ()

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Invalid kind: {self.kind!r} (allowed: {', '.join(KINDS)})")

    # --- the names the app reads ----------------------------------------------------------------

    @property
    def low(self) -> float:
        return self.valid[0]

    @property
    def high(self) -> float:
        return self.valid[1]

    @property
    def description(self) -> str:
        return self.help

    @property
    def boolean(self) -> bool:
        return self.kind == "bool"

    @property
    def integer(self) -> bool:
        return self.kind in ("int", "list")

    @property
    def slider_range(self) -> tuple[float, float]:
        return self.slider if self.slider is not None else self.valid

    # --- the rule -----------------------------------------------------------------------------

    def spelled(self, value: Any) -> Any:
        """The number a spelling stands for (``spellings``), or ``value`` itself."""
        for spelling, number in self.spellings:
            if value is spelling or (isinstance(value, str) and value == spelling):
                return number
        return value

    def allowed(self) -> str:
        """What is valid, in words: ``0 <= beta1 < 1``, ``an integer, 1 <= step_size <= 1e+06``."""
        if self.kind == "bool" and self.spellings:
            return " or ".join(repr(spelling) for spelling, _ in self.spellings)
        if self.kind == "bool":
            return f"{self.name} is True or False"
        if self.kind == "choice":
            return ", ".join(map(repr, self.choices))
        if self.kind == "text":
            return "text"
        low_op = "<" if self.low_open else "<="
        high_op = "<" if self.high_open else "<="
        if self.kind == "list":
            return "a non-empty list of positive integer steps"
        show = _integer if self.kind == "int" else "{:g}".format
        bounds = f"{show(self.low)} {low_op} {self.name} {high_op} {show(self.high)}"
        return f"an integer, {bounds}" if self.kind == "int" else bounds

    def accepts(self, value: Any) -> bool:
        """Whether ``value`` is valid (see :meth:`problem`)."""
        value = self.spelled(value)
        if self.kind == "choice":
            return isinstance(value, str) and value in self.choices
        if self.kind == "text":
            return isinstance(value, str)
        if self.kind == "list":
            numbers = _numbers(value)
            return bool(numbers) and all(self._in_range(v, integer=True) for v in numbers)
        number = _number(value)
        if number is None:
            return False
        if self.kind == "bool":
            return number in (0.0, 1.0)
        return self._in_range(number, integer=self.kind == "int")

    def accepts_each(self, values: Any) -> np.ndarray:
        """:meth:`accepts` for each of an array of numbers, at once (a bool array)."""
        values = np.asarray(values, dtype=np.float64)
        if self.kind not in ("float", "int"):
            return np.array([self.accepts(float(v)) for v in values.reshape(-1)],
                            dtype=bool).reshape(values.shape)
        ok = np.isfinite(values)
        if self.kind == "int":
            ok &= values == np.round(values)
        ok &= (values > self.low) if self.low_open else (values >= self.low)
        ok &= (values < self.high) if self.high_open else (values <= self.high)
        return ok

    def problem(self, value: Any) -> str | None:
        """None if ``value`` is valid, else torch's style of message naming it."""
        if self.accepts(value):
            return None
        return f"Invalid {self.label or self.name}: {value!r} (allowed: {self.allowed()})"

    def coerce(self, value: Any) -> Any:
        """A valid ``value`` in its kind's one type: float (bool and int kinds too: 0.0/1.0,
        whole numbers), str for a choice, a sorted tuple of ints for a list."""
        if self.kind in ("choice", "text"):
            return value
        if self.kind == "list":
            return tuple(sorted(int(v) for v in _numbers(value)))
        return float(_number(self.spelled(value)))

    def _in_range(self, value: float, integer: bool) -> bool:
        if not math.isfinite(value) or (integer and value != int(value)):
            return False
        above = value > self.low if self.low_open else value >= self.low
        below = value < self.high if self.high_open else value <= self.high
        return above and below


def _integer(value: float) -> str:
    return str(int(value)) if abs(value) < 1e15 else f"{value:g}"


def _number(value: Any) -> float | None:
    """A float for anything that is a number (bools and NumPy scalars included), else None."""
    if isinstance(value, str | bytes):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _numbers(value: Any) -> list[float] | None:
    if isinstance(value, str | bytes):
        return None
    try:
        numbers = [_number(v) for v in value]
    except TypeError:
        return None
    return None if any(v is None for v in numbers) else numbers
