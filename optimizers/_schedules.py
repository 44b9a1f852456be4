"""Learning-rate schedules as Numba functions of the step count, with torch's semantics.

At step t (0 on the first optimizer step) the rate is ``lr_t``; a training loop then calls
``scheduler.step()`` once, exactly as ``torch.optim.lr_scheduler`` counts ``last_epoch``.
Every closed-form schedule is affine in the optimizer's base rate, so :func:`affine` returns
``(a_t, b_t)`` with ``lr_t = a_t * lr + b_t``; a whole batch of runs with different base rates
then shares one evaluation per step. ``reduce_on_plateau`` depends on the losses seen so far
and is advanced by :func:`plateau_step`.

Parameter vectors ``q`` (all float64):

==================  ========================================================================
schedule            q
==================  ========================================================================
constant            ()
step                (step_size, gamma)
multistep           (gamma, milestone_1, milestone_2, ...)   milestones sorted
exponential         (gamma,)
inverse_time        (decay,)
cosine              (T_max, eta_min)
warmup_cosine       (warmup_steps, T_max, eta_min, start_factor)
cyclic              (base_lr, max_lr, step_size_up, step_size_down)
reduce_on_plateau   (factor, patience, threshold, cooldown, min_lr, eps)
==================  ========================================================================
"""

from __future__ import annotations

import numpy as np

from landscapes.jit import jit

CONSTANT = 0
STEP = 1
MULTISTEP = 2
EXPONENTIAL = 3
INVERSE_TIME = 4
COSINE = 5
WARMUP_COSINE = 6
CYCLIC = 7
REDUCE_ON_PLATEAU = 8

# reduce_on_plateau's memory, as in torch's ReduceLROnPlateau, and the running sum of the
# losses since its last step (it is given their mean once an interval: every step or epoch).
BEST = 0
NUM_BAD_EPOCHS = 1
COOLDOWN_COUNTER = 2
INTERVAL_LOSS = 3
N_PLATEAU_SLOTS = 4


@jit
def _cosine_factor(t, t_max):
    """(1 + cos(pi t / T_max)) / 2: 1 at t = 0, 0 at t = T_max."""
    return 0.5 * (1.0 + np.cos(np.pi * t / t_max))


@jit
def affine(schedule, q, t):
    """(a_t, b_t) with lr_t = a_t * lr + b_t for a closed-form schedule at step t."""
    if schedule == STEP:
        return q[1] ** (t // int(q[0])), 0.0
    if schedule == MULTISTEP:
        passed = 0
        for k in range(1, q.shape[0]):
            if q[k] <= t:
                passed += 1
        return q[0] ** passed, 0.0
    if schedule == EXPONENTIAL:
        return q[0] ** t, 0.0
    if schedule == INVERSE_TIME:
        return 1.0 / (1.0 + q[0] * t), 0.0
    if schedule == COSINE:
        c = _cosine_factor(t, q[0])
        return c, q[1] * (1.0 - c)
    if schedule == WARMUP_COSINE:
        warmup, t_max, eta_min, start_factor = q[0], q[1], q[2], q[3]
        if t < warmup:
            return start_factor + (1.0 - start_factor) * t / warmup, 0.0
        c = _cosine_factor(t - warmup, t_max)
        return c, eta_min * (1.0 - c)
    if schedule == CYCLIC:
        base_lr, max_lr, up, down = q[0], q[1], q[2], q[3]
        total = up + down
        cycle = np.floor(1.0 + t / total)
        x = 1.0 + t / total - cycle
        ratio = up / total
        scale = x / ratio if x <= ratio else (x - 1.0) / (ratio - 1.0)
        return 0.0, base_lr + (max_lr - base_lr) * scale
    return 1.0, 0.0


@jit(inline="always")
def init_plateau(memory):
    memory[BEST] = np.inf
    memory[NUM_BAD_EPOCHS] = 0.0
    memory[COOLDOWN_COUNTER] = 0.0
    memory[INTERVAL_LOSS] = 0.0


@jit
def plateau_step(q, memory, lr, loss):
    """torch's ReduceLROnPlateau.step(loss) in mode 'min', threshold_mode 'rel'; returns lr."""
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
