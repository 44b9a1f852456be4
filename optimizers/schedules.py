"""Every learning-rate schedule: its closed form and its spec, side by side, with torch's
semantics.

At step t (0 on the first optimizer step) the rate is ``lr_t``; a training loop then calls
``scheduler.step()`` once, exactly as ``torch.optim.lr_scheduler`` counts ``last_epoch``. Every
closed-form schedule is affine in the optimizer's base rate: its ``factors(t, **parameters)``
gives NumPy arrays (a_t, b_t) (or numbers, the same at every step) with lr_t = a_t lr + b_t,
computed for a whole run before it starts, so a batch of runs with different base rates
shares them. ``reduce_on_plateau`` depends on the losses seen so far: the kernels advance it
with :func:`plateau_step`, given its parameters in the spec's order.

Adding a schedule: write its factors and its ``ScheduleSpec`` below, add the spec to
``SCHEDULES``, and give it a row in tests/test_schedules.py (``CLOSED_FORMS``) and in the
tables of tests/test_engine.py.
"""

from __future__ import annotations

import numpy as np

from landscapes.jit import jit
from landscapes.parameters import Parameter
from optimizers.records import ScheduleSpec

_GAMMA = Parameter("gamma", 0.1, (0.0, 1.0), "factor applied at each decay", low_open=True)
_STEPS = 1e6  # the longest span a schedule's step counts may name


def _steps(name: str, default: float, help_text: str, low: float = 1, **options) -> Parameter:
    return Parameter(name, default, (low, _STEPS), help_text, kind="int", **options)


def _cosine(t, t_max, eta_min):
    """(c_t, eta_min (1 - c_t)) with c_t = (1 + cos(pi t / T_max)) / 2."""
    c = 0.5 * (1.0 + np.cos(np.pi * t / t_max))
    return c, eta_min * (1.0 - c)


CONSTANT = ScheduleSpec("constant", "Constant", (), r"\gamma_t = \gamma",
                        "The same learning rate at every step.", "no scheduler",
                        factors=lambda t: (1.0, 0.0))

STEP = ScheduleSpec(
    "step", "Step decay",
    (_steps("step_size", 100, "steps between decays", required=True), _GAMMA),
    r"\gamma_t = \gamma \cdot \text{gamma}^{\lfloor t / \text{step\_size} \rfloor}",
    "Multiply the rate by gamma every step_size steps: a staircase.",
    "torch.optim.lr_scheduler.StepLR",
    factors=lambda t, step_size, gamma: (gamma ** (t // int(step_size)), np.zeros(t.shape)),
)

MULTISTEP = ScheduleSpec(
    "multistep", "Multi-step decay",
    (Parameter("milestones", (), (1, _STEPS), "steps at which the rate is decayed", kind="list",
               required=True), _GAMMA),
    r"\gamma_t = \gamma \cdot \text{gamma}^{\#\{m \in \text{milestones}:\, m \le t\}}",
    "Multiply the rate by gamma at each listed step.",
    "torch.optim.lr_scheduler.MultiStepLR",
    factors=lambda t, milestones, gamma: (
        gamma ** np.searchsorted(np.asarray(milestones), t, side="right"), np.zeros(t.shape)),
)

EXPONENTIAL = ScheduleSpec(
    "exponential", "Exponential decay",
    (Parameter("gamma", 0.99, (0.0, 1.0), "factor applied every step", low_open=True,
               required=True),),
    r"\gamma_t = \gamma \cdot \text{gamma}^t",
    "Multiply the rate by gamma after every step: a smooth geometric decay.",
    "torch.optim.lr_scheduler.ExponentialLR",
    factors=lambda t, gamma: (gamma**t, np.zeros(t.shape)),
)

INVERSE_TIME = ScheduleSpec(
    "inverse_time", "Inverse-time decay",
    (Parameter("decay", 0.01, (0.0, 1e3), "how fast the rate falls", required=True),),
    r"\gamma_t = \frac{\gamma}{1 + \text{decay}\cdot t}",
    "The rate falls like 1/t, the classical choice that guarantees convergence of SGD.",
    "no torch class (LambdaLR with lambda t: 1 / (1 + decay * t))",
    factors=lambda t, decay: (1.0 / (1.0 + decay * t), np.zeros(t.shape)),
)

COSINE = ScheduleSpec(
    "cosine", "Cosine annealing",
    (_steps("T_max", 500, "steps from the full rate to eta_min", required=True),
     Parameter("eta_min", 0.0, (0.0, 1e3), "the lowest rate")),
    r"\gamma_t = \eta_{min} + \tfrac12(\gamma - \eta_{min})(1 + \cos(\pi t / T_{max}))",
    "Glide from the full rate down to eta_min along half a cosine wave.",
    "torch.optim.lr_scheduler.CosineAnnealingLR",
    factors=lambda t, T_max, eta_min: _cosine(t, T_max, eta_min),
)


def _warmup_cosine(t, warmup_steps, T_max, eta_min, start_factor):
    warm = t < warmup_steps
    c, b = _cosine(t - warmup_steps, T_max, eta_min)
    a = np.where(warm, start_factor + (1.0 - start_factor) * t / warmup_steps, c)
    return a, np.where(warm, 0.0, b)


WARMUP_COSINE = ScheduleSpec(
    "warmup_cosine", "Linear warm-up, then cosine",
    (_steps("warmup_steps", 50, "length of the linear warm-up"),
     _steps("T_max", 500, "length of the cosine phase"),
     Parameter("eta_min", 0.0, (0.0, 1e3), "the lowest rate"),
     Parameter("start_factor", 0.1, (0.0, 1.0), "fraction of the rate at step 0",
               low_open=True)),
    r"\gamma_t = \begin{cases}\gamma\,(s + (1-s)\,t/W) & t < W \\"
    r" \text{cosine}(t - W) & t \ge W\end{cases}",
    "Ramp the rate up linearly over the first steps, then anneal it along a cosine.",
    "SequentialLR(LinearLR(start_factor, total_iters=W), CosineAnnealingLR(T_max, eta_min))",
    factors=_warmup_cosine,
)


def _triangle(t, base_lr, max_lr, step_size_up, step_size_down):
    """CyclicLR's triangle: 0 at each cycle's start, 1 after step_size_up steps."""
    down = step_size_down or step_size_up
    total = step_size_up + down
    cycle = np.floor(1.0 + t / total)
    x = 1.0 + t / total - cycle
    ratio = step_size_up / total
    scale = np.where(x <= ratio, x / ratio, (x - 1.0) / (ratio - 1.0))
    return np.zeros(t.shape), base_lr + (max_lr - base_lr) * scale


CYCLIC = ScheduleSpec(
    "cyclic", "Cyclic (triangular)",
    (Parameter("base_lr", 1e-3, (0.0, 1e3), "the bottom of each cycle"),
     Parameter("max_lr", 1e-1, (0.0, 1e3), "the top of each cycle", low_open=True),
     _steps("step_size_up", 50, "steps from bottom to top"),
     _steps("step_size_down", 0, "steps from top to bottom (0: same as step_size_up)", low=0)),
    r"\gamma_t = \text{base} + (\text{max} - \text{base})\cdot\text{triangle}(t)",
    "Sweep the rate up and down between base_lr and max_lr in a triangle wave; it "
    "replaces the optimizer's lr. (torch also cycles momentum; that is not modelled.)",
    "torch.optim.lr_scheduler.CyclicLR(mode='triangular', cycle_momentum=False)",
    factors=_triangle,
    check=lambda v: None if v["max_lr"] >= v["base_lr"] else (
        f"Invalid max_lr for schedule 'cyclic': {v['max_lr']!r} "
        f"(allowed: max_lr >= base_lr = {v['base_lr']!r})"),
)

REDUCE_ON_PLATEAU = ScheduleSpec(
    "reduce_on_plateau", "Reduce on plateau",
    (Parameter("factor", 0.1, (0.0, 1.0), "factor applied when the loss stalls", low_open=True),
     _steps("patience", 10, "steps without improvement tolerated", low=0),
     Parameter("threshold", 1e-4, (0.0, 1.0), "relative improvement that counts"),
     _steps("cooldown", 0, "steps to wait after a reduction", low=0),
     Parameter("min_lr", 0.0, (0.0, 1e3), "never go below this rate"),
     Parameter("eps", 1e-8, (0.0, 1.0), "smaller changes are ignored")),
    r"\begin{gathered}\gamma \leftarrow \max(\text{factor}\cdot\gamma,\ \text{min\_lr})"
    r"\\ \text{after more than patience steps}\\ \text{without a new best loss}"
    r"\end{gathered}",
    "Adaptive: watch the loss and cut the rate when it has not improved for a while.",
    "torch.optim.lr_scheduler.ReduceLROnPlateau(mode='min', threshold_mode='rel')",
)

SCHEDULES: tuple[ScheduleSpec, ...] = (
    CONSTANT, STEP, MULTISTEP, EXPONENTIAL, INVERSE_TIME, COSINE, WARMUP_COSINE, CYCLIC,
    REDUCE_ON_PLATEAU,
)
"""Every schedule, in display order."""

# reduce_on_plateau's memory, as in torch's ReduceLROnPlateau, and the running sum of the
# losses since its last step (it is given their mean once an interval: every step or epoch).
BEST = 0
NUM_BAD_EPOCHS = 1
COOLDOWN_COUNTER = 2
INTERVAL_LOSS = 3
N_PLATEAU_SLOTS = 4


@jit(inline="always")
def init_plateau(memory):
    memory[BEST] = np.inf
    memory[NUM_BAD_EPOCHS] = 0.0
    memory[COOLDOWN_COUNTER] = 0.0
    memory[INTERVAL_LOSS] = 0.0


@jit
def plateau_step(q, memory, lr, loss):
    """torch's ReduceLROnPlateau.step(loss) in mode 'min', threshold_mode 'rel'; returns lr.
    ``q`` holds REDUCE_ON_PLATEAU's parameters in its spec's order."""
    factor, patience, threshold, cooldown, min_lr, eps = q[0], q[1], q[2], q[3], q[4], q[5]
    if loss < memory[BEST] * (1.0 - threshold):
        memory[BEST] = loss
        memory[NUM_BAD_EPOCHS] = 0.0
    else:
        memory[NUM_BAD_EPOCHS] += 1.0
    if memory[COOLDOWN_COUNTER] > 0.0:
        memory[COOLDOWN_COUNTER] -= 1.0
        memory[NUM_BAD_EPOCHS] = 0.0
    if memory[NUM_BAD_EPOCHS] > patience:
        reduced = max(lr * factor, min_lr)
        if lr - reduced > eps:
            lr = reduced
        memory[COOLDOWN_COUNTER] = cooldown
        memory[NUM_BAD_EPOCHS] = 0.0
    return lr
