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

import functools

import numpy as np

from landscapes import formula
from landscapes.jit import jit
from landscapes.parameters import Parameter
from optimizers.records import ScheduleSpec

_GAMMA = Parameter("gamma", 0.1, (0.0, 1.0), "factor applied at each decay", low_open=True)
_STEPS = 1e6  # the longest span a schedule's step counts may name


def _steps(name: str, default: float, help_text: str, low: float = 1, **options) -> Parameter:
    return Parameter(name, default, (low, _STEPS), help_text, kind="int", **options)


def _from_ratios(ratios, t):
    """(lr_t / lr, 0) of a schedule whose k-th ``scheduler.step()`` multiplies the optimizer's
    rate by ``ratios(k)`` (k = 0 is the step its constructor takes): the running product a
    training loop builds, step by step, rounding included (torch's chainable form)."""
    if t.size == 0:
        return np.ones(0), np.zeros(0)
    k = np.arange(int(t.max()) + 1)
    with np.errstate(all="ignore"):
        return np.cumprod(ratios(k))[t], np.zeros(t.shape)


def _ratio_maps(ratios):
    """The chainable step maps (ratio, 0, 0) of a schedule that multiplies the rate."""
    def maps(k, **parameters):
        return ratios(k, **parameters), np.zeros(k.shape), np.zeros(k.shape)
    return maps


def _total_iters(default: float, help_text: str) -> Parameter:
    return _steps("total_iters", default, help_text, low=0)


def _cosine_maps(k, t_max, eta_min):
    """CosineAnnealingLR's chainable step: the rate's distance to eta_min times the ratio of
    consecutive cosine factors, (1 + cos(pi k / T)) / (1 + cos(pi (k-1) / T)); where that
    ratio would divide by zero (k - 1 = T, 3T, ...) it adds (base - eta_min)(1 - cos(pi/T))/2
    instead; the constructor's step (k = 0) leaves the rate alone."""
    with np.errstate(all="ignore"):
        ratio = (1.0 + np.cos(np.pi * k / t_max)) / (1.0 + np.cos(np.pi * (k - 1) / t_max))
        jump = (k >= 1) & ((k - 1 - t_max) % (2 * t_max) == 0)
        first = k == 0
        p = np.where(first | jump, 1.0, ratio)
        lift = 0.5 * (1.0 - np.cos(np.pi / t_max))
        u = np.where(jump, lift, 0.0)
        v = np.where(first, 0.0, np.where(jump, -eta_min * lift, eta_min * (1.0 - ratio)))
    return p, u, v


def _cosine(t, t_max, eta_min):
    """(c_t, eta_min (1 - c_t)) with c_t = (1 + cos(pi t / T_max)) / 2."""
    c = 0.5 * (1.0 + np.cos(np.pi * t / t_max))
    return c, eta_min * (1.0 - c)


CONSTANT = ScheduleSpec(
    "constant", "Constant", (), r"\gamma_t = \gamma",
    "The same learning rate at every step. As a part of a sequential or chained schedule it "
    "leaves the rate as it finds it (torch: MultiplicativeLR with lambda t: 1.0).",
    "no scheduler",
    factors=lambda t: (1.0, 0.0),
    chainable=_ratio_maps(lambda k: np.ones(k.shape)),
    restart=lambda: (1.0, 0.0, 0.0),
)

STEP = ScheduleSpec(
    "step", "Step decay",
    (_steps("step_size", 100, "steps between decays", required=True), _GAMMA),
    r"\gamma_t = \gamma \cdot \text{gamma}^{\lfloor t / \text{step\_size} \rfloor}",
    "Multiply the rate by gamma every step_size steps: a staircase.",
    "torch.optim.lr_scheduler.StepLR",
    factors=lambda t, step_size, gamma: (gamma ** (t // int(step_size)), np.zeros(t.shape)),
    chainable=_ratio_maps(lambda k, step_size, gamma: np.where(
        (k > 0) & (k % int(step_size) == 0), gamma, 1.0)),
)

MULTISTEP = ScheduleSpec(
    "multistep", "Multi-step decay",
    (Parameter("milestones", (100, 200), (1, _STEPS), "steps at which the rate is decayed",
               kind="list", required=True), _GAMMA),
    r"\gamma_t = \gamma \cdot \text{gamma}^{\#\{m \in \text{milestones}:\, m \le t\}}",
    "Multiply the rate by gamma at each listed step.",
    "torch.optim.lr_scheduler.MultiStepLR",
    factors=lambda t, milestones, gamma: (
        gamma ** np.searchsorted(np.asarray(milestones), t, side="right"), np.zeros(t.shape)),
    chainable=_ratio_maps(lambda k, milestones, gamma: gamma ** np.sum(
        np.asarray(milestones)[:, None] == k[None, :], axis=0)),
)

EXPONENTIAL = ScheduleSpec(
    "exponential", "Exponential decay",
    (Parameter("gamma", 0.99, (0.0, 1.0), "factor applied every step", low_open=True,
               required=True),),
    r"\gamma_t = \gamma \cdot \text{gamma}^t",
    "Multiply the rate by gamma after every step: a smooth geometric decay.",
    "torch.optim.lr_scheduler.ExponentialLR",
    factors=lambda t, gamma: (gamma**t, np.zeros(t.shape)),
    chainable=_ratio_maps(lambda k, gamma: np.where(k > 0, gamma, 1.0)),
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
    chainable=lambda k, T_max, eta_min: _cosine_maps(k, T_max, eta_min),
)


def _refuse_total_iters_0(name: str, total_iters: float) -> None:
    """SequentialLR switches to a part with its closed form at 0, which for LinearLR and
    PolynomialLR divides by total_iters."""
    if total_iters == 0:
        raise ValueError(
            f"Invalid total_iters for schedule '{name}': 0 (allowed: total_iters >= 1 where a "
            f"sequential schedule switches to it: torch's closed form divides by total_iters)")


def _constant_factor_ratios(k, factor, total_iters):
    """ConstantLR's chainable form: lr * factor on the first step, lr / factor when the count
    reaches total_iters (never, when total_iters is 0: the first case wins), else lr."""
    return np.where(k == 0, factor, np.where(k == int(total_iters), 1.0 / factor, 1.0))


CONSTANT_FACTOR = ScheduleSpec(
    "constant_factor", "Constant factor, then full rate",
    (Parameter("factor", 1.0 / 3.0, (0.0, 1.0), "fraction of the rate until total_iters",
               low_open=True),
     _total_iters(5, "steps at the reduced rate")),
    r"\gamma_t = \begin{cases}\text{factor}\cdot\gamma & t < \text{total\_iters}"
    r" \\ \gamma & t \ge \text{total\_iters}\end{cases}",
    "Hold the rate at a fraction of itself for the first total_iters steps, then jump to the "
    "full rate: a crude warm-up. With total_iters = 0 a training loop never jumps back (torch "
    "multiplies by factor on the first step and only divides when the count reaches "
    "total_iters again), so the rate stays reduced.",
    "torch.optim.lr_scheduler.ConstantLR",
    factors=lambda t, factor, total_iters: _from_ratios(
        lambda k: _constant_factor_ratios(k, factor, total_iters), t),
    chainable=_ratio_maps(_constant_factor_ratios),
    restart=lambda factor, total_iters: (0.0, factor if total_iters > 0 else 1.0, 0.0),
)


def _linear_ratios(k, start_factor, end_factor, total_iters):
    """LinearLR's chainable form: lr * start_factor on the first step; then, for
    1 <= k <= T, the ratio of consecutive factors s + (e - s) k / T, written as
    1 + (e - s) / (T s + (k - 1)(e - s)); afterwards lr is left alone."""
    T, s, e = int(total_iters), start_factor, end_factor
    with np.errstate(all="ignore"):
        ramp = 1.0 + (e - s) / (T * s + (k - 1) * (e - s))
    return np.where(k == 0, s, np.where(k <= T, ramp, 1.0))


LINEAR = ScheduleSpec(
    "linear", "Linear ramp",
    (Parameter("start_factor", 1.0 / 3.0, (0.0, 1.0), "fraction of the rate at step 0",
               low_open=True),
     Parameter("end_factor", 1.0, (0.0, 1.0), "fraction of the rate from total_iters on"),
     _total_iters(5, "steps of the ramp")),
    r"\gamma_t = \gamma\left(s + (e - s)\,\frac{\min(t,\ T)}{T}\right)",
    "Move the rate in a straight line from start_factor times itself to end_factor times "
    "itself over total_iters steps, then hold it: the usual linear warm-up (or a linear "
    "decay, with end_factor below start_factor).",
    "torch.optim.lr_scheduler.LinearLR",
    factors=lambda t, start_factor, end_factor, total_iters: _from_ratios(
        lambda k: _linear_ratios(k, start_factor, end_factor, total_iters), t),
    chainable=_ratio_maps(_linear_ratios),
    restart=lambda start_factor, end_factor, total_iters: (
        _refuse_total_iters_0("linear", total_iters) or (0.0, start_factor, 0.0)),
)


def _polynomial_ratios(k, total_iters, power):
    """PolynomialLR's chainable form: for 1 <= k <= T the ratio
    ((1 - k/T) / (1 - (k-1)/T))^power of consecutive factors; lr is left alone otherwise."""
    T = int(total_iters)
    with np.errstate(all="ignore"):
        ratio = ((1.0 - k / T) / (1.0 - (k - 1) / T)) ** power
    return np.where((k >= 1) & (k <= T), ratio, 1.0)


POLYNOMIAL = ScheduleSpec(
    "polynomial", "Polynomial decay",
    (_total_iters(5, "steps until the rate reaches 0"),
     Parameter("power", 1.0, (0.0, 100.0), "the power of the polynomial")),
    r"\gamma_t = \gamma\left(1 - \frac{\min(t,\ T)}{T}\right)^{\text{power}}",
    "Shrink the rate to exactly zero over total_iters steps along (1 - t/T)^power: a straight "
    "line for power 1, a fast early drop for powers below 1. After total_iters it stays at 0.",
    "torch.optim.lr_scheduler.PolynomialLR",
    factors=lambda t, total_iters, power: _from_ratios(
        lambda k: _polynomial_ratios(k, total_iters, power), t),
    chainable=_ratio_maps(_polynomial_ratios),
    restart=lambda total_iters, power: (
        _refuse_total_iters_0("polynomial", total_iters) or (0.0, 1.0, 0.0)),
)


def _warm_restarts(t, T_0, T_mult, eta_min):
    """SGDR: T_cur counts the steps since the last restart, T_i the length of the current
    cycle (T_0, then T_0 T_mult, T_0 T_mult^2 ...); the rate follows a cosine from the full rate
    to eta_min over each cycle, as CosineAnnealingWarmRestarts.step() advances them."""
    T_0, T_mult = int(T_0), int(T_mult)
    if T_mult == 1:
        t_cur, t_i = t % T_0, np.full(t.shape, float(T_0))
    else:
        t_cur, t_i = np.zeros(t.shape), np.ones(t.shape)
        begin, period = 0, T_0
        while t.size and begin <= t.max():
            inside = (t >= begin) & (t < begin + period)
            t_cur[inside], t_i[inside] = t[inside] - begin, period
            begin, period = begin + period, period * T_mult
    c = 0.5 * (1.0 + np.cos(np.pi * t_cur / t_i))
    return c, eta_min * (1.0 - c)


COSINE_WARM_RESTARTS = ScheduleSpec(
    "cosine_warm_restarts", "Cosine with warm restarts",
    (_steps("T_0", 100, "steps until the first restart", required=True),
     _steps("T_mult", 1, "each cycle is this many times longer than the one before"),
     Parameter("eta_min", 0.0, (0.0, 1e3), "the lowest rate")),
    r"\gamma_t = \eta_{min} + \tfrac12(\gamma - \eta_{min})"
    r"\left(1 + \cos\frac{\pi\,T_{cur}}{T_i}\right)",
    "Anneal along a cosine from the full rate towards eta_min, then jump back to the full rate "
    "and start again; with T_mult above 1 each cycle is longer than the last (SGDR).",
    "torch.optim.lr_scheduler.CosineAnnealingWarmRestarts",
    factors=_warm_restarts,
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


CYCLIC_MODES = ("triangular", "triangular2", "exp_range")


def _cyclic_height(t, step_size_up, step_size_down, mode, gamma):
    """CyclicLR's height in [0, 1] at step t: a triangle, 0 at each cycle's start and 1 after
    step_size_up steps, times the mode's amplitude: 1 (triangular), 1 / 2^(cycle - 1) (halved
    every cycle, triangular2) or gamma^t (exp_range, on the step count)."""
    down = step_size_down or step_size_up
    total = step_size_up + down
    cycle = np.floor(1.0 + t / total)
    x = 1.0 + t / total - cycle
    ratio = step_size_up / total
    triangle = np.where(x <= ratio, x / ratio, (x - 1.0) / (ratio - 1.0))
    if mode == "triangular2":
        return triangle / 2.0 ** (cycle - 1.0)
    if mode == "exp_range":
        return triangle * gamma ** t.astype(np.float64)
    return triangle


def _cyclic(t, base_lr, max_lr, step_size_up, step_size_down, mode, gamma, **momentum):
    height = _cyclic_height(t, step_size_up, step_size_down, mode, gamma)
    return np.zeros(t.shape), base_lr + (max_lr - base_lr) * height


def _cyclic_momentum(t, step_size_up, step_size_down, mode, gamma, cycle_momentum,
                     base_momentum, max_momentum, **rates):
    """The momentum moves against the rate: max_momentum at the bottom of a cycle, down by
    the same height towards base_momentum at its top."""
    if not cycle_momentum:
        return None
    height = _cyclic_height(t, step_size_up, step_size_down, mode, gamma)
    return max_momentum - (max_momentum - base_momentum) * height


def _cycled_momentum(base: float, base_help: str, top: float,
                     top_help: str) -> tuple[Parameter, ...]:
    """torch's cycle_momentum (on by default), base_momentum and max_momentum, each momentum
    (or beta1) in [0, 1]: the parameters of a schedule that cycles the momentum."""
    return (
        Parameter("cycle_momentum", 1.0, kind="bool",
                  help="cycle the optimizer's momentum (or beta1) against the rate"),
        Parameter("base_momentum", base, (0.0, 1.0), base_help),
        Parameter("max_momentum", top, (0.0, 1.0), top_help),
    )


CYCLIC = ScheduleSpec(
    "cyclic", "Cyclic",
    (Parameter("base_lr", 1e-3, (0.0, 1e3), "the bottom of each cycle"),
     Parameter("max_lr", 1e-1, (0.0, 1e3), "the top of each cycle", low_open=True),
     _steps("step_size_up", 50, "steps from bottom to top"),
     _steps("step_size_down", 0, "steps from top to bottom (0: same as step_size_up)", low=0),
     Parameter("mode", "triangular", help="how the height of the cycles changes",
               kind="choice", choices=CYCLIC_MODES),
     Parameter("gamma", 1.0, (0.0, 1.0), "exp_range shrinks the height by gamma every step",
               low_open=True),
     *_cycled_momentum(0.8, "the momentum (or beta1) at the top of the rate's cycle",
                       0.9, "the momentum (or beta1) at the bottom of the rate's cycle")),
    r"\gamma_t = \text{base} + (\text{max} - \text{base})\cdot\text{triangle}(t)"
    r"\cdot\text{scale}(t)",
    "Sweep the rate up and down between base_lr and max_lr in a triangle wave; it replaces "
    "the optimizer's lr. mode 'triangular' keeps every cycle the same height, 'triangular2' "
    "halves the height after each cycle, and 'exp_range' shrinks it by gamma every step. With "
    "cycle_momentum (torch's default) the momentum, or Adam's beta1, swings the other way: "
    "high while the rate is low, low while it is high.",
    "torch.optim.lr_scheduler.CyclicLR",
    factors=_cyclic,
    momentum=_cyclic_momentum,
    check=lambda v: None if v["max_lr"] >= v["base_lr"] else (
        f"Invalid max_lr for schedule 'cyclic': {v['max_lr']!r} "
        f"(allowed: max_lr >= base_lr = {v['base_lr']!r})"),
)

ANNEAL_STRATEGIES = ("cos", "linear")


def _one_cycle_phases(t, max_lr, total_steps, pct_start, anneal_strategy, div_factor,
                      final_div_factor, three_phase, base_momentum, max_momentum):
    """OneCycleLR at the step counts t: (lr_t, momentum_t).

    The phases end at steps pct_start T - 1 and T - 1 (three_phase: pct_start T - 1,
    2 pct_start T - 2 and T - 1); step t belongs to the first phase whose end it has not
    passed (else the last), and moves from the phase's start to its end value by the fraction
    (t - start) / (end - start), along a half cosine or a line. The rate goes initial = max_lr /
    div_factor -> max_lr -> initial / final_div_factor (three_phase: initial -> max_lr ->
    initial -> initial / final_div_factor); the momentum max -> base -> max (-> max)."""
    T = int(total_steps)
    if t.size and t.max() > T:
        raise ValueError(
            f"Invalid total_steps for schedule 'one_cycle': {T} (allowed: total_steps >= "
            f"{int(t.max())}, the scheduler steps this run takes; torch's OneCycleLR stops a "
            f"longer loop with 'Tried to step {T + 1} times. The specified number of total "
            f"steps is {T}')")
    initial = max_lr / div_factor
    low = initial / final_div_factor
    if three_phase:
        ends = [pct_start * T - 1, 2 * pct_start * T - 2, T - 1]
        rates = [(initial, max_lr), (max_lr, initial), (initial, low)]
        momenta = [(max_momentum, base_momentum), (base_momentum, max_momentum),
                   (max_momentum, max_momentum)]
    else:
        ends = [pct_start * T - 1, T - 1]
        rates = [(initial, max_lr), (max_lr, low)]
        momenta = [(max_momentum, base_momentum), (base_momentum, max_momentum)]
    phase = np.full(t.shape, len(ends) - 1)
    for i in reversed(range(len(ends) - 1)):  # the ends need not be in order (three_phase)
        phase = np.where(t <= ends[i], i, phase)
    begins = np.asarray([0.0, *ends[:-1]])[phase]
    lengths = np.asarray(ends)[phase] - begins
    if np.any(lengths == 0.0):
        raise ValueError(
            f"Invalid pct_start for schedule 'one_cycle': {pct_start!r} (with total_steps = {T}"
            f" a phase would last no step, which torch's OneCycleLR divides by; allowed: "
            f"pct_start * total_steps != 1)")
    fraction = (t - begins) / lengths

    def anneal(pairs):
        start, end = (np.asarray(side)[phase] for side in zip(*pairs, strict=True))
        if anneal_strategy == "cos":
            return end + (start - end) / 2.0 * (np.cos(np.pi * fraction) + 1.0)
        return (end - start) * fraction + start

    return anneal(rates), anneal(momenta)


def _one_cycle(t, cycle_momentum, **parameters):
    return np.zeros(t.shape), _one_cycle_phases(t, **parameters)[0]


def _one_cycle_momentum(t, cycle_momentum, **parameters):
    return _one_cycle_phases(t, **parameters)[1] if cycle_momentum else None


ONE_CYCLE = ScheduleSpec(
    "one_cycle", "One cycle",
    (Parameter("max_lr", 0.1, (0.0, 1e3), "the peak rate", low_open=True, required=True),
     _steps("total_steps", 1000, "steps in the cycle (at least the run's)", required=True),
     Parameter("pct_start", 0.3, (0.0, 1.0), "fraction of the cycle spent raising the rate"),
     Parameter("anneal_strategy", "cos", help="the shape of each phase", kind="choice",
               choices=ANNEAL_STRATEGIES),
     Parameter("div_factor", 25.0, (0.0, 1e6), "the rate starts at max_lr / div_factor",
               low_open=True),
     Parameter("final_div_factor", 1e4, (0.0, 1e9),
               "the rate ends at max_lr / div_factor / final_div_factor", low_open=True),
     Parameter("three_phase", 0.0, help="come back down to the start before the final drop",
               kind="bool"),
     *_cycled_momentum(0.85, "the momentum (or beta1) at the peak rate",
                       0.95, "the momentum (or beta1) at the start and the end")),
    r"\gamma_t:\ \tfrac{\text{max\_lr}}{\text{div}} \nearrow \text{max\_lr} \searrow"
    r" \tfrac{\text{max\_lr}}{\text{div}\cdot\text{final\_div}}",
    "One big cycle over the whole run (super-convergence): the rate climbs from max_lr / "
    "div_factor to max_lr over the first pct_start of total_steps, then anneals far below its "
    "start. It replaces the optimizer's lr. With cycle_momentum (torch's default) the "
    "momentum, or Adam's beta1, does the opposite: it dips while the rate peaks. torch stops a "
    "loop that steps it more than total_steps times, so total_steps must cover the run.",
    "torch.optim.lr_scheduler.OneCycleLR",
    factors=_one_cycle,
    momentum=_one_cycle_momentum,
)

# --- a factor typed as a formula in t --------------------------------------------------------

FORMULA_VARIABLES = ("t",)
"""The variable of a typed lr_lambda: the scheduler's step count."""


@functools.lru_cache(maxsize=64)
def lambda_tree(text: str) -> formula.Node:
    """A typed lr_lambda, parsed by the safe formula parser (never evaluated as Python)."""
    return formula.parse(text, FORMULA_VARIABLES)


def _lambda_problem(schedule: str):
    def check(values) -> str | None:
        text = values["lr_lambda"]
        try:
            lambda_tree(text)
        except ValueError as error:
            return f"Invalid lr_lambda for schedule '{schedule}': {text!r} ({error})"
        return None
    return check


def lambda_values(text: str, t: np.ndarray, schedule: str) -> np.ndarray:
    """The typed factor at the step counts ``t``; a ValueError names the first t where it is
    not a finite number (1/t at t = 0, log of a negative number ...)."""
    values = formula.values(lambda_tree(text), t=t.astype(np.float64))
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        raise ValueError(
            f"Invalid lr_lambda for schedule '{schedule}': {text!r} (at t = {t[bad[0]]} it "
            f"gives {values[bad[0]]}; allowed: a formula in t that is a finite number at every "
            f"step)")
    return values


def _lambda_parameter(default: str, help_text: str) -> Parameter:
    return Parameter("lr_lambda", default, help=help_text, kind="text", required=True)


LAMBDA = ScheduleSpec(
    "lambda", "Lambda (typed factor)",
    (_lambda_parameter("1 / (1 + 0.01*t)", "the factor at step t, a formula in t"),),
    r"\gamma_t = \gamma \cdot \lambda(t)",
    "Type the factor yourself: at step t the rate is the base rate times your formula in t, "
    "e.g. 0.99^t or 1/(1 + 0.01*t). It is read by the app's formula parser (numbers, t, pi, "
    "e, + - * / ^ and sin, cos, tan, exp, log, sqrt, abs, tanh), never run as code.",
    "torch.optim.lr_scheduler.LambdaLR(lr_lambda=lambda t: ...)",
    factors=lambda t, lr_lambda: (lambda_values(lr_lambda, t, "lambda"), np.zeros(t.shape)),
    check=_lambda_problem("lambda"),
)


def _multiplicative_ratios(k, lr_lambda):
    """MultiplicativeLR: the constructor's step leaves lr alone; step k >= 1 multiplies it by
    lambda(k)."""
    ratios = np.ones(k.shape)
    ratios[k >= 1] = lambda_values(lr_lambda, k[k >= 1], "multiplicative")
    return ratios


MULTIPLICATIVE = ScheduleSpec(
    "multiplicative", "Multiplicative (typed factor)",
    (_lambda_parameter("0.99", "the factor applied at step t, a formula in t"),),
    r"\gamma_t = \gamma \prod_{k=1}^{t} \lambda(k)",
    "Type the factor that multiplies the rate at every step: 0.99 gives an exponential decay, "
    "a formula in t changes the factor as training goes on. The rate is the product of all the "
    "factors so far, as in a training loop.",
    "torch.optim.lr_scheduler.MultiplicativeLR(lr_lambda=lambda t: ...)",
    factors=lambda t, lr_lambda: _from_ratios(lambda k: _multiplicative_ratios(k, lr_lambda), t),
    check=_lambda_problem("multiplicative"),
    chainable=_ratio_maps(_multiplicative_ratios),
    # MultiplicativeLR has no closed form: at a milestone its step rule runs at count 0
    restart=lambda lr_lambda: (
        float(lambda_values(lr_lambda, np.zeros(1, dtype=np.int64), "multiplicative")[0]),
        0.0, 0.0),
)


# --- schedules made of schedules: SequentialLR and ChainedScheduler ---------------------------
#
# A part acts on the optimizer's rate the way its torch class's step() does. Its k-th step
# (k = 0 is the step its constructor takes) is an affine map of the rate it finds,
# lr <- p_k lr + u_k base + v_k, where base is the rate it was built with (torch's base_lrs):
# a chainable schedule multiplies (``ratios``), CosineAnnealingLR moves the rate towards eta_min
# (``chainable``), and every other schedule sets the rate outright from its closed form
# (p = 0). The rate and every base are themselves affine in the optimizer's lr, so a
# composite is affine in it too: a running pair (a, b) with lr = a * lr_0 + b.


def _step_maps(spec: ScheduleSpec, values: dict, k: np.ndarray):
    """(p_k, u_k, v_k) of a part's k-th step, for the step counts k."""
    if spec.chainable is not None:
        return spec.chainable(k, **values)
    a, b = spec.factors(k, **values)
    return np.zeros(k.shape), np.broadcast_to(a, k.shape), np.broadcast_to(b, k.shape)


def _restart_map(spec: ScheduleSpec, values: dict):
    """What SequentialLR does to a part at its milestone: torch re-evaluates it at count 0,
    with its closed form where its class has one, else with its step rule (p, u, v)."""
    if spec.restart is not None:
        return spec.restart(**values)
    a, b = spec.factors(np.zeros(1, dtype=np.int64), **values)
    return 0.0, float(np.broadcast_to(a, (1,))[0]), float(np.broadcast_to(b, (1,))[0])


class _Rate:
    """The optimizer's rate as a * lr + b, and what a composite's parts have done to it."""

    def __init__(self):
        self.a, self.b = 1.0, 0.0

    def apply(self, p, u, v, base):
        self.a, self.b = p * self.a + u * base[0], p * self.b + u * base[1] + v


def _parts(schedulers):
    """Each part's spec and parameter values."""
    return [(SCHEDULES_BY_NAME[part["name"]],
             {key: value for key, value in part.items() if key != "name"})
            for part in schedulers]


def _built(parts):
    """Every part's base rate, as (a, b), when it is constructed in order: the optimizer's
    initial_lr, which OneCycleLR's constructor overwrites with max_lr / div_factor."""
    initial, bases = (1.0, 0.0), []
    for spec, values in parts:
        bases.append(initial)
        if spec.name == "one_cycle":
            initial = (0.0, values["max_lr"] / values["div_factor"])
    return bases, initial


def _composite_run(t, schedulers, milestones, sequential):
    """(a_t, b_t, momentum_t or None) of SequentialLR (``sequential``) or ChainedScheduler
    over the parts ``schedulers``, as a training loop sees them after t calls of step()."""
    parts = _parts(schedulers)
    n = int(t.max()) + 1 if t.size else 1
    bases, initial = _built(parts)
    # the step counts each part sees: every step when chained; from its milestone to the next
    # when sequential (and the constructor's step, 0, always)
    starts = [0, *milestones] if sequential else [0] * len(parts)
    ends = [*milestones, n] if sequential else [n] * len(parts)
    counts = [np.arange(max(end - start, 1)) for start, end in zip(starts, ends, strict=True)]
    maps = [_step_maps(spec, values, k) for (spec, values), k in zip(parts, counts, strict=True)]
    cycles = [spec.momentum is not None and spec.momentum(np.zeros(0, dtype=np.int64), **values)
              is not None for spec, values in parts]
    momenta = [spec.momentum(k, **values) if cycled else None
               for (spec, values), k, cycled in zip(parts, counts, cycles, strict=True)]
    rate = _Rate()
    momentum = np.full(n, np.nan)
    current = np.nan
    for i in range(len(parts)):  # the constructors, in order: each takes its first step
        rate.apply(*(m[0] for m in maps[i]), bases[i])
        current = momenta[i][0] if cycles[i] else current
    if sequential:  # SequentialLR resets the rate and steps only the first part again
        rate.a, rate.b = initial
        rate.apply(*(m[0] for m in maps[0]), bases[0])
        current = momenta[0][0] if cycles[0] else current
    a, b = np.empty(n), np.empty(n)
    a[0], b[0], momentum[0] = rate.a, rate.b, current
    for step in range(1, n):
        if sequential:
            i = int(np.searchsorted(milestones, step, side="right"))
            k = step - starts[i]
            if k == 0:
                rate.apply(*_restart_map(*parts[i]), bases[i])
            else:
                rate.apply(maps[i][0][k], maps[i][1][k], maps[i][2][k], bases[i])
            current = momenta[i][k] if cycles[i] else current
        else:
            for i in range(len(parts)):
                rate.apply(maps[i][0][step], maps[i][1][step], maps[i][2][step], bases[i])
                current = momenta[i][step] if cycles[i] else current
        a[step], b[step], momentum[step] = rate.a, rate.b, current
    return a[t], b[t], (momentum[t] if any(cycles) else None)


def _sequential_problem(values) -> str | None:
    parts, milestones = values["schedulers"], values["milestones"]
    if len(milestones) != len(parts) - 1:
        return ("Invalid milestones for schedule 'sequential': "
                f"{list(milestones)!r} (allowed: one milestone fewer than schedulers, here "
                f"{len(parts) - 1}; torch says: Sequential Schedulers expects number of "
                f"schedulers provided to be one more than the number of milestone points)")
    if len(set(milestones)) != len(milestones):
        return (f"Invalid milestones for schedule 'sequential': {list(milestones)!r} (allowed: "
                f"distinct steps, one where each schedule after the first takes over)")
    for spec, part in _parts(parts)[1:]:  # what each does when it takes over
        try:
            _restart_map(spec, part)
        except ValueError as error:
            return str(error)
    return None


SEQUENTIAL = ScheduleSpec(
    "sequential", "Sequential (one schedule after another)",
    (Parameter("milestones", (), (1, _STEPS), "steps at which the next schedule takes over",
               kind="list", required=True),),
    r"\gamma_t = \text{schedule}_i(t - m_i) \quad \text{for } m_i \le t < m_{i+1}",
    "Run one schedule, then hand over to the next at each milestone: typically a short "
    "linear warm-up followed by any other schedule. Each schedule after the first starts "
    "from its own beginning at its milestone, as torch restarts it there.",
    "torch.optim.lr_scheduler.SequentialLR(optimizer, schedulers, milestones)",
    factors=lambda t, schedulers, milestones: _composite_run(t, schedulers, milestones,
                                                             True)[:2],
    momentum=lambda t, schedulers, milestones: _composite_run(t, schedulers, milestones,
                                                              True)[2],
    check=_sequential_problem,
    composite=True,
)

CHAINED = ScheduleSpec(
    "chained", "Chained (schedules at once)",
    (),
    r"\gamma_t = \text{step}_n \circ \dots \circ \text{step}_1(\gamma_{t-1})",
    "Step every schedule at every step, one after the other, each acting on the rate the one "
    "before it left: two decays multiply, and a schedule that sets the rate outright (cyclic, "
    "one cycle, lambda) overrides the ones before it.",
    "torch.optim.lr_scheduler.ChainedScheduler(schedulers)",
    factors=lambda t, schedulers: _composite_run(t, schedulers, (), False)[:2],
    momentum=lambda t, schedulers: _composite_run(t, schedulers, (), False)[2],
    composite=True,
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
    CONSTANT, CONSTANT_FACTOR, LINEAR, STEP, MULTISTEP, EXPONENTIAL, POLYNOMIAL, INVERSE_TIME,
    COSINE, COSINE_WARM_RESTARTS, WARMUP_COSINE, CYCLIC, ONE_CYCLE, LAMBDA, MULTIPLICATIVE,
    SEQUENTIAL, CHAINED, REDUCE_ON_PLATEAU,
)
"""Every schedule, in display order."""

SCHEDULES_BY_NAME = {spec.name: spec for spec in SCHEDULES}

NOT_PARTS = ("warmup_cosine", "sequential", "chained", "reduce_on_plateau")
"""Schedules a sequential or chained schedule does not take: torch refuses
ReduceLROnPlateau; warmup_cosine is itself a sequential one (linear, then cosine), and parts
are not nested."""
NOT_A_PART_BECAUSE = {
    "warmup_cosine": "it is itself a sequential schedule: use linear, then cosine",
    "sequential": "parts are not nested here",
    "chained": "parts are not nested here",
    "reduce_on_plateau": "torch's SequentialLR and ChainedScheduler refuse ReduceLROnPlateau",
}
PARTS = tuple(spec.name for spec in SCHEDULES if spec.name not in NOT_PARTS)
"""The schedules a sequential or chained schedule can be made of."""

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


@jit(no_cpython_wrapper=True)
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
