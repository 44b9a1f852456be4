"""The records that describe an optimizer, a schedule and a gradient source.

Each is one frozen dataclass: what a person reads (title, LaTeX, summary, torch's name), its
parameters (``landscapes.Parameter``: torch's names, defaults, valid ranges, slider ranges)
and the code that runs it. The tables of them live beside that code: ``optimizers.rules``,
``optimizers.schedules``, ``optimizers.sources``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from landscapes.parameters import Parameter

Hyperparameter = Parameter
"""An optimizer's hyperparameter is a ``Parameter`` (the old name, kept for the app)."""

RULE_INPUTS = ("param", "grad", "lr", "step")
"""What every update rule is given first: the coordinate, its gradient, this step's rate, and
torch's step count (1 on the first update)."""
OTHER_COORDINATE_INPUTS = ("param_other", "grad_other")
"""What a rule that couples the coordinates may take: the other coordinate and its gradient, as
they were before this step (so may ``<buffer>_other``, the other coordinate's state buffer)."""
SECOND_ORDER_INPUTS = ("hess_own", "hess_cross", "hess_other")
"""What a second-order rule takes: the Hessian's entries, seen from this coordinate (own
diagonal, the cross term, the other diagonal)."""
OTHER = "_other"
"""The suffix of an argument that is the other coordinate's value of an input or buffer."""

COMMON_SYMBOLS = (
    (r"\theta_t", "the point (x, y) after t steps"),
    (r"g_t", "the gradient at the point, with any coupled weight decay added"),
    (r"t", "torch's step count, 1 on the first update"),
)
"""The symbols every update rule's LaTeX uses, and what each stands for."""


@dataclass(frozen=True)
class OptimizerSpec:
    """An optimizer as the app and the engine know it.

    ``rule(param, grad, lr, step, *state, *hyperparameters)`` returns the new coordinate and
    then the new value of each name in ``state``, for one coordinate: its arguments are named
    (see ``RULE_INPUTS``, ``OTHER_COORDINATE_INPUTS``, ``SECOND_ORDER_INPUTS``, this spec's
    hyperparameters, ``state``, and ``<buffer>_other`` for the other coordinate's buffer),
    and the engine binds them by name. Every state buffer starts at 0; the rule sets it on
    step 1 (as torch's SGD starts its momentum buffer at the first gradient).
    ``shared_state`` names the buffers that depend only on the step and the hyperparameters
    (running products such as beta1 ** step), the same for every coordinate: a single run keeps
    one copy, so the compiler computes what follows from them once per step. ``fixed`` holds
    preset hyperparameters not offered to users (the momentum and nesterov presets of SGD).
    ``symbols`` says what each symbol of ``latex`` stands for: (LaTeX symbol, the name of one
    of its hyperparameters or state buffers), beside ``COMMON_SYMBOLS``; every hyperparameter
    but a switch, and every state buffer, has one.
    ``averaged`` names the state buffer that holds a second sequence of points, the one a user
    evaluates (ASGD's average ``ax``, schedule-free AdamW's ``x``), beside the points where
    gradients are taken; empty for an optimizer with one sequence. ``averaged_title`` names
    it for a reader. ``whole_step``: the optimizer has no per-coordinate rule (``rule`` is
    None); its own kernel runs torch's whole ``step()`` (L-BFGS).
    """

    name: str
    title: str
    hyperparameters: tuple[Parameter, ...]
    rule: Callable | None
    state: tuple[str, ...]
    latex: str
    summary: str
    when_to_use: str
    reference: str
    fixed: dict[str, float] = field(default_factory=dict)
    shared_state: tuple[str, ...] = ()
    symbols: tuple[tuple[str, str], ...] = ()
    averaged: str = ""
    averaged_title: str = ""
    whole_step: bool = False
    _arguments: tuple[str, ...] = field(init=False, repr=False, compare=False, default=())

    def __post_init__(self):
        labelled = tuple(
            replace(hp, label="learning rate" if hp.name == "lr" else f"{hp.name} value")
            for hp in self.hyperparameters
        )
        object.__setattr__(self, "hyperparameters", labelled)
        object.__setattr__(self, "_arguments", () if self.rule is None else
                           tuple(inspect.signature(self.rule.py_func).parameters))

    @property
    def defaults(self) -> dict[str, float]:
        return {hp.name: hp.default for hp in self.hyperparameters}

    def hyperparameter(self, name: str) -> Parameter:
        for hp in self.hyperparameters:
            if hp.name == name:
                return hp
        raise KeyError(name)

    def symbol(self, name: str) -> str | None:
        """The LaTeX symbol of a hyperparameter or state buffer, or None."""
        return next((symbol for symbol, named in self.symbols if named == name), None)

    @property
    def rule_arguments(self) -> tuple[str, ...]:
        """The names the rule takes, in order."""
        return self._arguments

    @property
    def other_state(self) -> tuple[str, ...]:
        """The state buffers whose other coordinate's value the rule reads."""
        return tuple(name for name in self.state if name + OTHER in self.rule_arguments)

    @property
    def second_order(self) -> bool:
        """Whether the rule needs the Hessian (and so couples the coordinates)."""
        return any(name in SECOND_ORDER_INPUTS for name in self.rule_arguments)


@dataclass(frozen=True)
class ScheduleSpec:
    """A learning-rate schedule: torch's semantics, its parameters and its closed form.

    ``factors(t, **parameters)`` gives (a_t, b_t) with lr_t = a_t lr + b_t for NumPy arrays of
    scheduler steps t (every schedule but reduce_on_plateau is affine in the base rate); None
    for a schedule that depends on the losses. ``check(values)`` returns a problem that ties
    two parameters together, or None. ``momentum(t, **parameters)`` gives the momentum (or
    beta1) the schedule sets at steps t, for a schedule that cycles it as torch's CyclicLR and
    OneCycleLR do with ``cycle_momentum``; None when it leaves the optimizer's own.

    As a part of a ``composite`` schedule (SequentialLR, ChainedScheduler, whose
    ``schedulers`` are other schedules), its k-th step maps the rate it finds to
    p_k lr + u_k base + v_k: ``chainable(k, **parameters) -> (p, u, v)`` for a schedule whose
    torch class works on the current rate (StepLR multiplies it), else the rate is set from
    ``factors`` (p = 0). ``restart(**parameters) -> (p, u, v)`` is what SequentialLR's switch
    to it at a milestone does, when that is not its closed form at step 0.
    """

    name: str
    title: str
    parameters: tuple[Parameter, ...]
    latex: str
    summary: str
    torch_equivalent: str
    factors: Callable | None = None
    check: Callable[[dict], str | None] = lambda values: None
    momentum: Callable | None = None
    chainable: Callable | None = None
    restart: Callable | None = None
    composite: bool = False

    def __post_init__(self):
        labelled = tuple(replace(p, label=f"{p.name} for schedule '{self.name}'")
                         for p in self.parameters)
        object.__setattr__(self, "parameters", labelled)


@dataclass(frozen=True)
class GradientSourceSpec:
    """Where a run's gradients come from; ``data_only`` sources need a data surface."""

    name: str
    title: str
    parameters: tuple[Parameter, ...]
    summary: str
    data_only: bool = False

    def __post_init__(self):
        labelled = tuple(replace(p, label=f"{p.name} for gradient source '{self.name}'")
                         for p in self.parameters)
        object.__setattr__(self, "parameters", labelled)
