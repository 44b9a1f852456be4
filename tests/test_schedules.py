"""Every learning-rate schedule against torch.optim.lr_scheduler, step by step.

``Trajectory.lr[t]`` is the rate of the step from point t, i.e. the optimizer's lr after t calls
of ``scheduler.step()`` (torch's ``last_epoch == t``). The closed-form schedules are written out
below from torch's formulas; ReduceLROnPlateau is simulated as torch implements it, fed with
the losses the run recorded.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import landscapes
import optimizers

BASE_LR = 0.01
STEPS = 120


def run(schedule, lr=BASE_LR, steps=STEPS, surface="quadratic", **settings):
    """Plain SGD, so each step is x_{t+1} = x_t - lr_t g_t and shows the rate it used."""
    return optimizers.simulate(surface, "sgd", landscapes.get(surface).start, steps,
                               schedule=schedule, lr=lr, **settings)


# --- closed forms, as torch.optim.lr_scheduler defines them ----------------------------------


def step_lr(t, step_size, gamma=0.1):
    return BASE_LR * gamma ** (t // step_size)


def multistep_lr(t, milestones, gamma=0.1):
    return BASE_LR * gamma ** sum(1 for m in milestones if m <= t)  # bisect_right


def exponential_lr(t, gamma):
    return BASE_LR * gamma**t


def inverse_time_lr(t, decay):
    return BASE_LR / (1 + decay * t)


def cosine_lr(t, T_max, eta_min=0.0):
    return eta_min + (BASE_LR - eta_min) * (1 + math.cos(math.pi * t / T_max)) / 2


def warmup_cosine_lr(t, warmup_steps=50, T_max=500, eta_min=0.0, start_factor=0.1):
    """SequentialLR(LinearLR(start_factor, total_iters=W), CosineAnnealingLR, milestones=[W])."""
    if t < warmup_steps:
        return BASE_LR * (start_factor + (1 - start_factor) * t / warmup_steps)
    return cosine_lr(t - warmup_steps, T_max, eta_min)


def cyclic_lr(t, base_lr=1e-3, max_lr=1e-1, step_size_up=50, step_size_down=None,
              mode="triangular", gamma=1.0):
    """CyclicLR: the optimizer's own lr is replaced; the height of a cycle is scaled by 1,
    by 1/2^(cycle-1) (triangular2) or by gamma^t (exp_range)."""
    step_size_down = step_size_down or step_size_up
    total_size = step_size_up + step_size_down
    step_ratio = step_size_up / total_size
    cycle = math.floor(1 + t / total_size)
    x = 1.0 + t / total_size - cycle
    scale_factor = x / step_ratio if x <= step_ratio else (x - 1) / (step_ratio - 1)
    scale = {"triangular": 1.0, "triangular2": 1 / 2 ** (cycle - 1),
             "exp_range": gamma**t}[mode]
    return base_lr + (max_lr - base_lr) * scale_factor * scale


def cyclic_momentum(t, step_size_up=50, step_size_down=None, mode="triangular", gamma=1.0,
                    base_momentum=0.8, max_momentum=0.9):
    """CyclicLR's momentum: the same height as the rate, taken down from max_momentum."""
    height = cyclic_lr(t, 0.0, 1.0, step_size_up, step_size_down, mode, gamma)
    return max_momentum - (max_momentum - base_momentum) * height


def one_cycle(t, max_lr, total_steps, pct_start=0.3, anneal_strategy="cos", div_factor=25.0,
              final_div_factor=1e4, three_phase=False, base_momentum=0.85, max_momentum=0.95):
    """OneCycleLR's (lr, momentum) at step t, from its documented phases."""
    initial = max_lr / div_factor
    low = initial / final_div_factor
    if three_phase:
        phases = [(pct_start * total_steps - 1, initial, max_lr, max_momentum, base_momentum),
                  (2 * pct_start * total_steps - 2, max_lr, initial, base_momentum,
                   max_momentum),
                  (total_steps - 1, initial, low, max_momentum, max_momentum)]
    else:
        phases = [(pct_start * total_steps - 1, initial, max_lr, max_momentum, base_momentum),
                  (total_steps - 1, max_lr, low, base_momentum, max_momentum)]
    begin = 0.0
    for i, (end, lr0, lr1, m0, m1) in enumerate(phases):
        if t <= end or i == len(phases) - 1:
            pct = (t - begin) / (end - begin)
            if anneal_strategy == "cos":
                weight = (math.cos(math.pi * pct) + 1) / 2  # of the start value
            else:
                weight = 1 - pct
            return (lr1 + (lr0 - lr1) * weight, m1 + (m0 - m1) * weight)
        begin = end
    raise AssertionError("unreachable")


def constant_factor_lr(t, factor=1 / 3, total_iters=5):
    """ConstantLR; with total_iters = 0 a loop's first step multiplies by factor and nothing
    ever divides it back (the chainable form checks t == 0 before t == total_iters)."""
    if total_iters == 0:
        return BASE_LR * factor
    return BASE_LR * (factor if t < total_iters else 1.0)


def linear_lr(t, start_factor=1 / 3, end_factor=1.0, total_iters=5):
    return BASE_LR * (start_factor + (end_factor - start_factor) * min(total_iters, t)
                      / total_iters)


def polynomial_lr(t, total_iters=5, power=1.0):
    return BASE_LR * (1 - min(total_iters, t) / total_iters) ** power


def warm_restarts_lr(t, T_0, T_mult=1, eta_min=0.0):
    """CosineAnnealingWarmRestarts, advanced one step() at a time as torch does."""
    t_cur, t_i = 0, T_0
    for _ in range(t):
        t_cur += 1
        if t_cur >= t_i:
            t_cur, t_i = t_cur - t_i, t_i * T_mult
    return eta_min + (BASE_LR - eta_min) * (1 + math.cos(math.pi * t_cur / t_i)) / 2


def multiplicative_lr(t, factor):
    """MultiplicativeLR: step k >= 1 multiplies the rate by factor(k)."""
    return BASE_LR * math.prod(factor(k) for k in range(1, t + 1))


CLOSED_FORMS = [
    (None, lambda t: BASE_LR),
    ("constant", lambda t: BASE_LR),
    ({"name": "step", "step_size": 7}, lambda t: step_lr(t, 7)),
    ({"name": "step", "step_size": 10, "gamma": 0.5}, lambda t: step_lr(t, 10, 0.5)),
    ({"name": "multistep", "milestones": [30, 5, 12]}, lambda t: multistep_lr(t, [5, 12, 30])),
    ({"name": "multistep", "milestones": [3, 3, 40], "gamma": 0.5},
     lambda t: multistep_lr(t, [3, 3, 40], 0.5)),
    ({"name": "exponential", "gamma": 0.97}, lambda t: exponential_lr(t, 0.97)),
    ({"name": "inverse_time", "decay": 0.1}, lambda t: inverse_time_lr(t, 0.1)),
    ({"name": "cosine", "T_max": 500}, lambda t: cosine_lr(t, 500)),
    ({"name": "cosine", "T_max": 40, "eta_min": 1e-3}, lambda t: cosine_lr(t, 40, 1e-3)),
    ({"name": "warmup_cosine"}, warmup_cosine_lr),
    ({"name": "warmup_cosine", "warmup_steps": 10, "T_max": 60, "eta_min": 1e-4,
      "start_factor": 0.25},
     lambda t: warmup_cosine_lr(t, 10, 60, 1e-4, 0.25)),
    ({"name": "cyclic"}, cyclic_lr),
    ({"name": "cyclic", "base_lr": 1e-4, "max_lr": 0.02, "step_size_up": 8},
     lambda t: cyclic_lr(t, 1e-4, 0.02, 8)),
    ({"name": "cyclic", "base_lr": 1e-4, "max_lr": 0.02, "step_size_up": 4,
      "step_size_down": 11},
     lambda t: cyclic_lr(t, 1e-4, 0.02, 4, 11)),
    ({"name": "cyclic", "base_lr": 1e-4, "max_lr": 0.02, "step_size_up": 5, "step_size_down": 3,
      "mode": "triangular2"},
     lambda t: cyclic_lr(t, 1e-4, 0.02, 5, 3, "triangular2")),
    ({"name": "cyclic", "base_lr": 1e-4, "max_lr": 0.02, "step_size_up": 6, "mode": "exp_range",
      "gamma": 0.97},
     lambda t: cyclic_lr(t, 1e-4, 0.02, 6, None, "exp_range", 0.97)),
    ({"name": "one_cycle", "max_lr": 0.05, "total_steps": STEPS},
     lambda t: one_cycle(t, 0.05, STEPS)[0]),
    ({"name": "one_cycle", "max_lr": 0.05, "total_steps": 200, "pct_start": 0.25,
      "anneal_strategy": "linear", "div_factor": 10, "final_div_factor": 100},
     lambda t: one_cycle(t, 0.05, 200, 0.25, "linear", 10, 100)[0]),
    ({"name": "one_cycle", "max_lr": 0.05, "total_steps": 130, "pct_start": 0.4,
      "three_phase": True},
     lambda t: one_cycle(t, 0.05, 130, 0.4, three_phase=True)[0]),
    ({"name": "one_cycle", "max_lr": 0.05, "total_steps": STEPS, "pct_start": 0.7,
      "three_phase": True, "anneal_strategy": "linear"},
     lambda t: one_cycle(t, 0.05, STEPS, 0.7, "linear", three_phase=True)[0]),
    ({"name": "sequential", "milestones": [20],
      "schedulers": [{"name": "linear", "start_factor": 0.25, "total_iters": 20},
                     {"name": "cosine", "T_max": 100}]},
     lambda t: warmup_cosine_lr(t, 20, 100, 0.0, 0.25)),
    ({"name": "chained", "schedulers": [{"name": "step", "step_size": 10, "gamma": 0.5},
                                        {"name": "exponential", "gamma": 0.99}]},
     lambda t: step_lr(t, 10, 0.5) * 0.99**t),
    ({"name": "constant_factor"}, constant_factor_lr),
    ({"name": "constant_factor", "factor": 0.5, "total_iters": 17},
     lambda t: constant_factor_lr(t, 0.5, 17)),
    ({"name": "constant_factor", "factor": 0.25, "total_iters": 0},
     lambda t: constant_factor_lr(t, 0.25, 0)),
    ({"name": "linear"}, linear_lr),
    ({"name": "linear", "start_factor": 0.05, "end_factor": 0.6, "total_iters": 40},
     lambda t: linear_lr(t, 0.05, 0.6, 40)),
    ({"name": "linear", "start_factor": 1.0, "end_factor": 0.0, "total_iters": 30},
     lambda t: linear_lr(t, 1.0, 0.0, 30)),
    ({"name": "linear", "start_factor": 0.5, "total_iters": 0}, lambda t: BASE_LR * 0.5),
    ({"name": "polynomial"}, polynomial_lr),
    ({"name": "polynomial", "total_iters": 50, "power": 0.9},
     lambda t: polynomial_lr(t, 50, 0.9)),
    ({"name": "polynomial", "total_iters": 200, "power": 2.0},
     lambda t: polynomial_lr(t, 200, 2.0)),
    ({"name": "cosine_warm_restarts", "T_0": 10}, lambda t: warm_restarts_lr(t, 10)),
    ({"name": "cosine_warm_restarts", "T_0": 7, "T_mult": 2, "eta_min": 1e-3},
     lambda t: warm_restarts_lr(t, 7, 2, 1e-3)),
    ({"name": "cosine_warm_restarts", "T_0": 1, "T_mult": 3},
     lambda t: warm_restarts_lr(t, 1, 3)),
    ({"name": "lambda", "lr_lambda": "1 / (1 + 0.01*t)"}, lambda t: BASE_LR / (1 + 0.01 * t)),
    ({"name": "lambda", "lr_lambda": "0.9^t * (1 + sin(t/3))"},
     lambda t: BASE_LR * 0.9**t * (1 + math.sin(t / 3))),
    ({"name": "multiplicative", "lr_lambda": "0.99"},
     lambda t: multiplicative_lr(t, lambda k: 0.99)),
    ({"name": "multiplicative", "lr_lambda": "1 - 1/(t + 20)"},
     lambda t: multiplicative_lr(t, lambda k: 1 - 1 / (k + 20))),
    ({"name": "multiplicative", "lr_lambda": "1/t"},
     lambda t: multiplicative_lr(t, lambda k: 1 / k)),
]


def schedule_id(schedule):
    if schedule is None or isinstance(schedule, str):
        return str(schedule)
    return ",".join(f"{k}={v}" for k, v in schedule.items())


@pytest.mark.parametrize(
    ("schedule", "closed_form"),
    [pytest.param(s, f, id=schedule_id(s)) for s, f in CLOSED_FORMS],
)
def test_closed_form_schedules_follow_torchs_formula(schedule, closed_form):
    path = run(schedule)
    expected = [closed_form(t) for t in range(STEPS)]
    assert path.steps == STEPS
    np.testing.assert_allclose(path.lr, expected, rtol=1e-12, atol=0)


@pytest.mark.parametrize(
    "schedule", [pytest.param(s, id=schedule_id(s)) for s, _ in CLOSED_FORMS]
)
def test_each_step_uses_the_scheduled_rate(schedule):
    """SGD: x_{t+1} = x_t - lr[t] g_t, so the rate recorded is the rate the optimizer used
    (a schedule that would cycle SGD's momentum is asked not to)."""
    if isinstance(schedule, dict) and schedule["name"] in ("cyclic", "one_cycle"):
        schedule = {**schedule, "cycle_momentum": False}
    path = run(schedule)
    np.testing.assert_allclose(path.xy[1:], path.xy[:-1] - path.lr[:, None] * path.grad[:-1],
                               rtol=1e-14, atol=1e-300)


def test_every_schedule_is_exercised():
    used = {"constant" if s is None else s if isinstance(s, str) else s["name"]
            for s, _ in CLOSED_FORMS}
    assert used | {"reduce_on_plateau"} == set(optimizers.schedule_names())


# --- momentum cycled against the rate (CyclicLR, OneCycleLR with cycle_momentum) -------------

MOMENTUM_FORMS = [
    ({"name": "cyclic"}, cyclic_momentum),
    ({"name": "cyclic", "step_size_up": 5, "step_size_down": 3, "mode": "triangular2",
      "base_momentum": 0.5, "max_momentum": 0.99},
     lambda t: cyclic_momentum(t, 5, 3, "triangular2", 1.0, 0.5, 0.99)),
    ({"name": "cyclic", "step_size_up": 6, "mode": "exp_range", "gamma": 0.97},
     lambda t: cyclic_momentum(t, 6, None, "exp_range", 0.97)),
    ({"name": "one_cycle", "max_lr": 0.05, "total_steps": STEPS},
     lambda t: one_cycle(t, 0.05, STEPS)[1]),
    ({"name": "one_cycle", "max_lr": 0.05, "total_steps": 130, "pct_start": 0.4,
      "three_phase": True, "anneal_strategy": "linear", "base_momentum": 0.6},
     lambda t: one_cycle(t, 0.05, 130, 0.4, "linear", three_phase=True, base_momentum=0.6)[1]),
]


@pytest.mark.parametrize(("schedule", "closed_form"),
                         [pytest.param(s, f, id=schedule_id(s)) for s, f in MOMENTUM_FORMS])
@pytest.mark.parametrize(("optimizer", "name"), [("sgd", "momentum"), ("rmsprop", "momentum"),
                                                 ("adam", "beta1"), ("nadam", "beta1")])
def test_cycled_momentum_follows_torchs_formula(schedule, closed_form, optimizer, name):
    path = optimizers.simulate("quadratic", optimizer, (1.0, 1.0), STEPS, schedule=schedule,
                               lr=BASE_LR)
    assert path.momentum_name == name
    np.testing.assert_allclose(path.momentum, [closed_form(t) for t in range(STEPS)],
                               rtol=1e-12, atol=0)


def test_without_cycle_momentum_the_optimizers_own_is_kept():
    path = run({"name": "cyclic", "cycle_momentum": False})
    assert path.momentum_name == "" and path.momentum.size == 0


def test_sgd_takes_the_cycled_momentum_at_every_step():
    """torch's SGD with the momentum the scheduler set: buf = g on the first step, then
    buf = momentum_t buf + g; x -= lr_t buf."""
    path = run({"name": "one_cycle", "max_lr": 0.05, "total_steps": STEPS}, surface="rosenbrock")
    x, buf = path.xy[0].copy(), None
    for t in range(path.steps):
        g = path.grad[t]
        buf = g.copy() if buf is None else path.momentum[t] * buf + g
        x = x - path.lr[t] * buf
        np.testing.assert_allclose(path.xy[t + 1], x, rtol=1e-12, atol=1e-14)


def test_adam_takes_the_cycled_beta1_in_its_bias_correction():
    """torch's Adam computes 1 - beta1^step with the beta1 the scheduler set at this step,
    not the product of earlier betas."""
    path = optimizers.simulate("rosenbrock", "adam", (-1.5, 2.0), STEPS, lr=BASE_LR,
                               schedule={"name": "cyclic", "step_size_up": 7,
                                         "base_momentum": 0.5, "max_momentum": 0.95})
    beta2, eps = 0.999, 1e-8
    x, m, v = path.xy[0].copy(), np.zeros(2), np.zeros(2)
    for t in range(path.steps):
        step, beta1, g = t + 1, path.momentum[t], path.grad[t]
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        denom = np.sqrt(v) / math.sqrt(1 - beta2**step) + eps
        x = x - path.lr[t] / (1 - beta1**step) * m / denom
        np.testing.assert_allclose(path.xy[t + 1], x, rtol=1e-12, atol=1e-14)


def test_cycling_the_momentum_of_an_optimizer_without_one_is_refused_as_torch_does():
    with pytest.raises(ValueError, match="optimizer must support momentum or beta1 with "
                                         "`cycle_momentum` option enabled"):
        optimizers.simulate("quadratic", "adagrad", (1.0, 1.0), 5, schedule="cyclic")
    optimizers.simulate("quadratic", "adagrad", (1.0, 1.0), 5,
                        schedule={"name": "cyclic", "cycle_momentum": False})


def test_one_cycle_refuses_a_run_longer_than_total_steps_as_torch_does():
    message = ("Invalid total_steps for schedule 'one_cycle': 100 (allowed: total_steps >= 120, "
               "the scheduler steps this run takes; torch's OneCycleLR stops a longer loop with "
               "'Tried to step 101 times. The specified number of total steps is 100')")
    with pytest.raises(ValueError) as refused:
        run({"name": "one_cycle", "max_lr": 0.1, "total_steps": 100})
    assert str(refused.value) == message
    run({"name": "one_cycle", "max_lr": 0.1, "total_steps": STEPS})


def test_one_cycle_refuses_a_phase_without_steps():
    with pytest.raises(ValueError, match="a phase would last no step"):
        run({"name": "one_cycle", "max_lr": 0.1, "total_steps": 200, "pct_start": 0.005})


def test_schedules_compose_with_adaptive_optimizers():
    """The schedule sets lr; Adam's first step then moves every coordinate by about lr_0."""
    schedule = {"name": "warmup_cosine", "warmup_steps": 4, "start_factor": 0.5}
    path = optimizers.simulate("rosenbrock", "adam", (-1.5, 2.0), 1, lr=0.1, schedule=schedule)
    np.testing.assert_allclose(np.abs(path.xy[1] - path.xy[0]), 0.05, rtol=1e-8)


# --- ReduceLROnPlateau -------------------------------------------------------------------------


class ReduceLROnPlateau:
    """torch.optim.lr_scheduler.ReduceLROnPlateau(mode='min', threshold_mode='rel')."""

    def __init__(self, lr, factor=0.1, patience=10, threshold=1e-4, cooldown=0, min_lr=0.0,
                 eps=1e-8):
        self.lr, self.factor, self.patience, self.threshold = lr, factor, patience, threshold
        self.cooldown, self.min_lr, self.eps = cooldown, min_lr, eps
        self.best = math.inf
        self.num_bad_epochs = 0
        self.cooldown_counter = 0

    def step(self, metrics):
        current = float(metrics)
        if current < self.best * (1 - self.threshold):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            new_lr = max(self.lr * self.factor, self.min_lr)
            if self.lr - new_lr > self.eps:
                self.lr = new_lr
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0


def torch_plateau_rates(lr, losses, **settings):
    """The rate of each step of a loop that calls scheduler.step(loss_t) after step t."""
    scheduler = ReduceLROnPlateau(lr, **settings)
    rates = []
    for loss in losses:
        rates.append(scheduler.lr)
        scheduler.step(loss)
    return np.array(rates)


# Noisy gradients on the bowl make the loss stall and bounce, so the scheduler has work to do.
NOISY = {"name": "noisy", "noise_scale": 2.0}
PLATEAU_CASES = [
    ("defaults", {}, 0.05),
    ("patience", {"patience": 3, "factor": 0.5}, 0.05),
    ("cooldown", {"patience": 2, "factor": 0.7, "cooldown": 6}, 0.05),
    ("min_lr", {"patience": 1, "factor": 0.5, "min_lr": 0.004}, 0.05),
    ("threshold", {"patience": 4, "factor": 0.5, "threshold": 0.2}, 0.05),
    ("eps", {"patience": 1, "factor": 0.5, "eps": 0.01}, 0.05),
]


@pytest.mark.parametrize(("case", "settings", "lr"), PLATEAU_CASES,
                         ids=[case for case, _, _ in PLATEAU_CASES])
def test_reduce_on_plateau_is_torchs_reduce_lr_on_plateau(case, settings, lr):
    path = run({"name": "reduce_on_plateau", **settings}, lr=lr, steps=400, gradient=NOISY,
               seed=3)
    assert path.diverged_at is None
    expected = torch_plateau_rates(lr, path.loss[:-1], **settings)
    np.testing.assert_array_equal(path.lr, expected)
    assert expected[-1] < lr, "the case never reduces the rate: it tests nothing"


@pytest.mark.parametrize(("case", "settings"), [
    ("cooldown", {"cooldown": 6}),
    ("min_lr", {"min_lr": 0.004}),
    ("threshold", {"threshold": 0.2}),
    ("eps", {"eps": 0.01}),
])
def test_every_plateau_setting_in_the_table_makes_a_difference(case, settings):
    """Otherwise the table could not catch an engine that ignores it."""
    (_, full, lr), = [c for c in PLATEAU_CASES if c[0] == case]
    without = {k: v for k, v in full.items() if k not in settings}
    path = run({"name": "reduce_on_plateau", **full}, lr=lr, steps=400, gradient=NOISY, seed=3)
    assert not np.array_equal(torch_plateau_rates(lr, path.loss[:-1], **full),
                              torch_plateau_rates(lr, path.loss[:-1], **without))


def test_reduce_on_plateau_never_goes_below_min_lr_and_only_ever_falls():
    path = run({"name": "reduce_on_plateau", "patience": 0, "factor": 0.5, "min_lr": 1e-3},
               lr=0.05, steps=300, gradient=NOISY, seed=1)
    assert np.all(np.diff(path.lr) <= 0)
    assert path.lr.min() == 1e-3


# --- schedules made of schedules: SequentialLR and ChainedScheduler, as a loop steps them ------


class TorchLoop:
    """What a training loop sees when it builds torch's schedulers on one optimizer, in order,
    and calls step() once per step: each scheduler reads and writes the optimizer's lr (and
    momentum) as its class's chainable get_lr does. ``group`` is the param group."""

    def __init__(self, lr):
        self.group = {"lr": lr, "momentum": math.nan}

    def build(self, name, **p):
        group = self.group
        group.setdefault("initial_lr", group["lr"])
        s = {"name": name, "p": p, "epoch": 0, "base": group["initial_lr"]}
        if name == "one_cycle":
            group["initial_lr"] = p["max_lr"] / p.get("div_factor", 25.0)
            s["base"] = group["initial_lr"]
        self.first_step(s)
        return s

    def first_step(self, s):
        """The constructor's step (last_epoch 0, initial mode)."""
        s["epoch"] = 0
        self.apply(s, initial=True)

    def step(self, s):
        s["epoch"] += 1
        self.apply(s)

    def restart(self, s):
        """SequentialLR at a milestone: last_epoch = 0, the closed form if the class has one."""
        s["epoch"] = 0
        if s["name"] == "multiplicative":
            self.group["lr"] *= s["p"]["factor"](0)
        elif s["name"] in ("one_cycle", "lambda"):
            self.apply(s)
        else:  # the closed forms at 0 of ConstantLR, LinearLR, ExponentialLR, StepLR, cosine
            factor = {"constant_factor": s["p"].get("factor", 1 / 3),
                      "linear": s["p"].get("start_factor", 1 / 3)}.get(s["name"], 1.0)
            self.group["lr"] = s["base"] * factor

    def apply(self, s, initial=False):
        g, p, k, name = self.group, s["p"], s["epoch"], s["name"]
        if name == "constant_factor":
            factor, total = p.get("factor", 1 / 3), p.get("total_iters", 5)
            g["lr"] *= factor if k == 0 else (1 / factor if k == total else 1.0)
        elif name == "linear":
            a, b, total = p.get("start_factor", 1 / 3), p.get("end_factor", 1.0), p.get(
                "total_iters", 5)
            if k == 0:
                g["lr"] *= a
            elif k <= total:
                g["lr"] *= 1 + (b - a) / (total * a + (k - 1) * (b - a))
        elif name == "exponential":
            g["lr"] *= 1.0 if initial else p["gamma"]
        elif name == "step":
            g["lr"] *= p.get("gamma", 0.1) if k > 0 and k % p["step_size"] == 0 else 1.0
        elif name == "cosine":
            T, eta = p["T_max"], p.get("eta_min", 0.0)
            if initial:
                pass
            elif (k - 1 - T) % (2 * T) == 0:
                g["lr"] += (s["base"] - eta) * (1 - math.cos(math.pi / T)) / 2
            else:
                g["lr"] = (1 + math.cos(math.pi * k / T)) / (1 + math.cos(math.pi * (k - 1) / T)
                                                             ) * (g["lr"] - eta) + eta
        elif name == "multiplicative":
            g["lr"] *= 1.0 if initial else p["factor"](k)
        elif name == "lambda":
            g["lr"] = s["base"] * p["factor"](k)
        elif name == "one_cycle":
            g["lr"], g["momentum"] = one_cycle(k, p["max_lr"], p["total_steps"])
        else:
            raise AssertionError(name)


def torch_sequential(lr, steps, parts, milestones):
    loop = TorchLoop(lr)
    built = [loop.build(name, **p) for name, p in parts]
    loop.group["lr"] = loop.group["initial_lr"]  # SequentialLR resets, then steps the first
    loop.first_step(built[0])
    seen = [(loop.group["lr"], loop.group["momentum"])]
    for t in range(1, steps):
        i = sum(1 for m in milestones if m <= t)
        (loop.restart if i and milestones[i - 1] == t else loop.step)(built[i])
        seen.append((loop.group["lr"], loop.group["momentum"]))
    return np.array(seen)


def torch_chained(lr, steps, parts):
    loop = TorchLoop(lr)
    built = [loop.build(name, **p) for name, p in parts]
    seen = [(loop.group["lr"], loop.group["momentum"])]
    for _ in range(1, steps):
        for s in built:
            loop.step(s)
        seen.append((loop.group["lr"], loop.group["momentum"]))
    return np.array(seen)


COMPOSITES = [
    ("warm-up then exponential",
     {"name": "sequential", "milestones": [30],
      "schedulers": [{"name": "linear", "start_factor": 0.1, "total_iters": 20},
                     {"name": "exponential", "gamma": 0.95}]},
     lambda: torch_sequential(BASE_LR, STEPS, [("linear", {"start_factor": 0.1,
                                                           "total_iters": 20}),
                                               ("exponential", {"gamma": 0.95})], [30])),
    ("constant factor, cosine, step",
     {"name": "sequential", "milestones": [10, 50],
      "schedulers": [{"name": "constant_factor", "factor": 0.5, "total_iters": 4},
                     {"name": "cosine", "T_max": 15, "eta_min": 1e-3},
                     {"name": "step", "step_size": 7, "gamma": 0.5}]},
     lambda: torch_sequential(BASE_LR, STEPS, [("constant_factor", {"factor": 0.5,
                                                                    "total_iters": 4}),
                                               ("cosine", {"T_max": 15, "eta_min": 1e-3}),
                                               ("step", {"step_size": 7, "gamma": 0.5})],
                              [10, 50])),
    ("a multiplicative factor after a milestone multiplies the rate it finds",
     {"name": "sequential", "milestones": [25],
      "schedulers": [{"name": "step", "step_size": 10, "gamma": 0.5},
                     {"name": "multiplicative", "lr_lambda": "0.9 + 0.001*t"}]},
     lambda: torch_sequential(BASE_LR, STEPS, [("step", {"step_size": 10, "gamma": 0.5}),
                                               ("multiplicative",
                                                {"factor": lambda t: 0.9 + 0.001 * t})], [25])),
    ("a warm-up before one cycle starts from one cycle's initial rate",
     {"name": "sequential", "milestones": [20],
      "schedulers": [{"name": "linear", "start_factor": 0.5, "total_iters": 10},
                     {"name": "one_cycle", "max_lr": 0.05, "total_steps": 200}]},
     lambda: torch_sequential(BASE_LR, STEPS, [("linear", {"start_factor": 0.5,
                                                           "total_iters": 10}),
                                               ("one_cycle", {"max_lr": 0.05,
                                                              "total_steps": 200})], [20])),
    ("constant factor with exponential (torch's example)",
     {"name": "chained",
      "schedulers": [{"name": "constant_factor", "factor": 0.1, "total_iters": 20},
                     {"name": "exponential", "gamma": 0.9}]},
     lambda: torch_chained(BASE_LR, STEPS, [("constant_factor", {"factor": 0.1,
                                                                 "total_iters": 20}),
                                            ("exponential", {"gamma": 0.9})])),
    ("cosine past T_max with a step decay: the restart adds the unscaled height",
     {"name": "chained",
      "schedulers": [{"name": "cosine", "T_max": 12}, {"name": "step", "step_size": 9,
                                                       "gamma": 0.5}]},
     lambda: torch_chained(BASE_LR, STEPS, [("cosine", {"T_max": 12}),
                                            ("step", {"step_size": 9, "gamma": 0.5})])),
    ("a lambda after a decay overrides it",
     {"name": "chained",
      "schedulers": [{"name": "exponential", "gamma": 0.9},
                     {"name": "lambda", "lr_lambda": "1 + 0.01*t"}]},
     lambda: torch_chained(BASE_LR, STEPS, [("exponential", {"gamma": 0.9}),
                                            ("lambda", {"factor": lambda t: 1 + 0.01 * t})])),
]


@pytest.mark.parametrize(("case", "schedule", "torch_loop"), COMPOSITES,
                         ids=[case for case, _, _ in COMPOSITES])
@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_sequential_and_chained_schedules_are_what_torchs_loop_sees(case, schedule,
                                                                     torch_loop, optimizer):
    path = optimizers.simulate("quadratic", optimizer, (1.0, 1.0), STEPS, schedule=schedule,
                               lr=BASE_LR)
    seen = torch_loop()
    np.testing.assert_allclose(path.lr, seen[:, 0], rtol=1e-12, atol=1e-18)
    cycled = ~np.isnan(seen[:, 1])
    if cycled.any():
        assert path.momentum_name == ("momentum" if optimizer == "sgd" else "beta1")
        np.testing.assert_allclose(path.momentum, seen[:, 1], rtol=1e-12)
    else:
        assert path.momentum_name == ""


def test_chained_differs_from_the_product_of_closed_forms_where_torch_does():
    """Past T_max, CosineAnnealingLR's chainable step adds the base rate's share, which the
    step decay before it never scaled: the product of the two closed forms would differ."""
    path = run({"name": "chained", "schedulers": [{"name": "cosine", "T_max": 12},
                                                  {"name": "step", "step_size": 9,
                                                   "gamma": 0.5}]})
    product = [cosine_lr(t, 12) * 0.5 ** (t // 9) for t in range(STEPS)]
    assert not np.allclose(path.lr, product)
    np.testing.assert_allclose(path.lr[:12], product[:12], rtol=1e-12)
