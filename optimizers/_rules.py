"""Update rules of every optimizer, one coordinate at a time, as scalar Numba functions.

Every first-order rule here acts on each coordinate independently, exactly as ``torch.optim``
does on each element of a parameter tensor:

    p_new = _<name>_update(p, g, s, i, lr, step, h)

``p`` is coordinate ``i``, ``g`` its gradient, ``s[i]`` the coordinate's state (a row of
float64 slots, indexed by the constants below, named after torch's state buffers), ``lr`` the learning
rate of this step (after the schedule), ``step`` torch's step count (1 on the first update) and
``h`` the hyperparameter vector (indexed by the hyperparameter constants below). Newton's
method couples the coordinates through the Hessian and lives in :func:`newton_direction`.

Note: torch evaluates the bias corrections with ``beta ** step``; a ``pow`` call costs about
20 ns, more than the rest of an Adam step. Here ``beta ** step`` is a running product kept in
the state (slots ``BETA1_POWER``, ``BETA2_POWER``). After t steps it differs from ``pow`` by at
most about t rounding errors (relative 1e-11 after 100 000 steps; a test checks it), far
below anything a trajectory can show.
"""

from __future__ import annotations

import numpy as np

from landscapes.jit import jit

# --- optimizer codes --------------------------------------------------------------------------
SGD = 0
ADAGRAD = 1
ADADELTA = 2
RMSPROP = 3
ADAM = 4
ADAMW = 5
ADAMAX = 6
NADAM = 7
RADAM = 8
LION = 9
NEWTON = 10

# --- hyperparameter slots (torch's names; betas split into beta1, beta2) -----------------------
LR = 0
MOMENTUM = 1
DAMPENING = 2
NESTEROV = 3
WEIGHT_DECAY = 4
BETA1 = 5
BETA2 = 6
EPS = 7
AMSGRAD = 8
RHO = 9
ALPHA = 10
CENTERED = 11
LR_DECAY = 12
INITIAL_ACCUMULATOR_VALUE = 13
MOMENTUM_DECAY = 14
DAMPING = 15
N_HYPERPARAMETERS = 16

HYPERPARAMETER_SLOTS = {
    "lr": LR,
    "momentum": MOMENTUM,
    "dampening": DAMPENING,
    "nesterov": NESTEROV,
    "weight_decay": WEIGHT_DECAY,
    "beta1": BETA1,
    "beta2": BETA2,
    "eps": EPS,
    "amsgrad": AMSGRAD,
    "rho": RHO,
    "alpha": ALPHA,
    "centered": CENTERED,
    "lr_decay": LR_DECAY,
    "initial_accumulator_value": INITIAL_ACCUMULATOR_VALUE,
    "momentum_decay": MOMENTUM_DECAY,
    "damping": DAMPING,
}

# --- state slots (torch's buffer names) -------------------------------------------------------
MOMENTUM_BUFFER = 0
SUM = 1
SQUARE_AVG = 2
ACC_DELTA = 3
GRAD_AVG = 4
EXP_AVG = 5
EXP_AVG_SQ = 6
MAX_EXP_AVG_SQ = 7
EXP_INF = 8
MU_PRODUCT = 9
BETA1_POWER = 10  # beta1 ** step, kept as a running product (see the module note)
BETA2_POWER = 11  # beta2 ** step
N_STATE_SLOTS = 12


@jit
def lerp(start, end, weight):
    """start + weight (end - start), evaluated as torch's CPU ``lerp`` does."""
    if weight < 0.5:
        return start + weight * (end - start)
    return end - (end - start) * (1.0 - weight)


@jit
def _advance_power(s, i, slot, beta):
    """beta ** step for this step: the running product in slot ``slot``, advanced once."""
    s[i, slot] *= beta
    return s[i, slot]


@jit
def _with_weight_decay(g, p, h):
    """torch's coupled (L2) weight decay: g + weight_decay p, skipped when it is zero."""
    if h[WEIGHT_DECAY] != 0.0:
        return g + h[WEIGHT_DECAY] * p
    return g


@jit
def init_state(optimizer, s, h):
    """The state before the first step: zeros, except Adagrad's sum and the running products."""
    s[:] = 0.0
    s[:, BETA1_POWER] = 1.0
    s[:, BETA2_POWER] = 1.0
    s[:, MU_PRODUCT] = 1.0
    if optimizer == ADAGRAD:
        s[:, SUM] = h[INITIAL_ACCUMULATOR_VALUE]


@jit
def _sgd_update(p, g, s, i, lr, step, h):
    momentum = h[MOMENTUM]
    g = _with_weight_decay(g, p, h)
    if momentum != 0.0:
        if step == 1:
            buf = g
        else:
            buf = momentum * s[i, MOMENTUM_BUFFER] + (1.0 - h[DAMPENING]) * g
        s[i, MOMENTUM_BUFFER] = buf
        g = g + momentum * buf if h[NESTEROV] != 0.0 else buf
    return p - lr * g


@jit
def _adagrad_update(p, g, s, i, lr, step, h):
    g = _with_weight_decay(g, p, h)
    clr = lr / (1.0 + (step - 1) * h[LR_DECAY])
    s[i, SUM] += g * g
    return p - clr * (g / (np.sqrt(s[i, SUM]) + h[EPS]))


@jit
def _adadelta_update(p, g, s, i, lr, step, h):
    rho, eps = h[RHO], h[EPS]
    g = _with_weight_decay(g, p, h)
    s[i, SQUARE_AVG] = s[i, SQUARE_AVG] * rho + (1.0 - rho) * g * g
    delta = np.sqrt(s[i, ACC_DELTA] + eps) / np.sqrt(s[i, SQUARE_AVG] + eps) * g
    s[i, ACC_DELTA] = s[i, ACC_DELTA] * rho + (1.0 - rho) * delta * delta
    return p - lr * delta


@jit
def _rmsprop_update(p, g, s, i, lr, step, h):
    alpha, momentum = h[ALPHA], h[MOMENTUM]
    g = _with_weight_decay(g, p, h)
    s[i, SQUARE_AVG] = s[i, SQUARE_AVG] * alpha + (1.0 - alpha) * g * g
    if h[CENTERED] != 0.0:
        s[i, GRAD_AVG] = lerp(s[i, GRAD_AVG], g, 1.0 - alpha)
        avg = np.sqrt(s[i, SQUARE_AVG] - s[i, GRAD_AVG] * s[i, GRAD_AVG]) + h[EPS]
    else:
        avg = np.sqrt(s[i, SQUARE_AVG]) + h[EPS]
    if momentum > 0.0:
        s[i, MOMENTUM_BUFFER] = s[i, MOMENTUM_BUFFER] * momentum + g / avg
        return p - lr * s[i, MOMENTUM_BUFFER]
    return p - lr * (g / avg)


@jit
def _adam_update(p, g, s, i, lr, step, h):
    beta1, beta2 = h[BETA1], h[BETA2]
    s[i, EXP_AVG] = lerp(s[i, EXP_AVG], g, 1.0 - beta1)
    s[i, EXP_AVG_SQ] = s[i, EXP_AVG_SQ] * beta2 + (1.0 - beta2) * g * g
    step_size = lr / (1.0 - _advance_power(s, i, BETA1_POWER, beta1))
    bias_correction2_sqrt = np.sqrt(1.0 - _advance_power(s, i, BETA2_POWER, beta2))
    if h[AMSGRAD] != 0.0:
        s[i, MAX_EXP_AVG_SQ] = max(s[i, MAX_EXP_AVG_SQ], s[i, EXP_AVG_SQ])
        denom = np.sqrt(s[i, MAX_EXP_AVG_SQ]) / bias_correction2_sqrt + h[EPS]
    else:
        denom = np.sqrt(s[i, EXP_AVG_SQ]) / bias_correction2_sqrt + h[EPS]
    return p - step_size * (s[i, EXP_AVG] / denom)


@jit
def _adamax_update(p, g, s, i, lr, step, h):
    beta1 = h[BETA1]
    g = _with_weight_decay(g, p, h)
    s[i, EXP_AVG] = lerp(s[i, EXP_AVG], g, 1.0 - beta1)
    s[i, EXP_INF] = max(s[i, EXP_INF] * h[BETA2], abs(g) + h[EPS])
    clr = lr / (1.0 - _advance_power(s, i, BETA1_POWER, beta1))
    return p - clr * (s[i, EXP_AVG] / s[i, EXP_INF])


@jit
def _nadam_update(p, g, s, i, lr, step, h):
    beta1, beta2, momentum_decay = h[BETA1], h[BETA2], h[MOMENTUM_DECAY]
    g = _with_weight_decay(g, p, h)
    mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * momentum_decay))
    mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * momentum_decay))
    s[i, MU_PRODUCT] *= mu
    s[i, EXP_AVG] = lerp(s[i, EXP_AVG], g, 1.0 - beta1)
    s[i, EXP_AVG_SQ] = s[i, EXP_AVG_SQ] * beta2 + (1.0 - beta2) * g * g
    denom = np.sqrt(s[i, EXP_AVG_SQ] / (1.0 - _advance_power(s, i, BETA2_POWER, beta2))) + h[EPS]
    p = p + (-lr * (1.0 - mu) / (1.0 - s[i, MU_PRODUCT])) * (g / denom)
    return p + (-lr * mu_next / (1.0 - s[i, MU_PRODUCT] * mu_next)) * (s[i, EXP_AVG] / denom)


@jit
def _radam_update(p, g, s, i, lr, step, h):
    beta1, beta2 = h[BETA1], h[BETA2]
    g = _with_weight_decay(g, p, h)
    s[i, EXP_AVG] = lerp(s[i, EXP_AVG], g, 1.0 - beta1)
    s[i, EXP_AVG_SQ] = s[i, EXP_AVG_SQ] * beta2 + (1.0 - beta2) * g * g
    beta2_power = _advance_power(s, i, BETA2_POWER, beta2)
    bias_correction2 = 1.0 - beta2_power
    corrected_exp_avg = s[i, EXP_AVG] / (1.0 - _advance_power(s, i, BETA1_POWER, beta1))
    rho_inf = 2.0 / (1.0 - beta2) - 1.0
    rho_t = rho_inf - 2.0 * step * beta2_power / bias_correction2
    if rho_t > 5.0:
        rect = np.sqrt(
            (rho_t - 4.0) * (rho_t - 2.0) * rho_inf / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t)
        )
        adaptive_lr = np.sqrt(bias_correction2) / (np.sqrt(s[i, EXP_AVG_SQ]) + h[EPS])
        return p - corrected_exp_avg * lr * adaptive_lr * rect
    return p - corrected_exp_avg * lr


@jit
def _lion_update(p, g, s, i, lr, step, h):
    beta1, beta2 = h[BETA1], h[BETA2]
    direction = np.sign(beta1 * s[i, EXP_AVG] + (1.0 - beta1) * g)
    s[i, EXP_AVG] = beta2 * s[i, EXP_AVG] + (1.0 - beta2) * g
    return p * (1.0 - lr * h[WEIGHT_DECAY]) - lr * direction


@jit
def update(optimizer, p, g, s, i, lr, step, h):
    """One coordinate's update by the first-order optimizer with this code; returns p_new."""
    if optimizer == SGD:
        return _sgd_update(p, g, s, i, lr, step, h)
    if optimizer == ADAM:
        return _adam_update(p, _with_weight_decay(g, p, h), s, i, lr, step, h)
    if optimizer == ADAMW:
        # Decoupled weight decay (Loshchilov & Hutter): shrink p, then a plain Adam step.
        return _adam_update(p * (1.0 - lr * h[WEIGHT_DECAY]), g, s, i, lr, step, h)
    if optimizer == ADAGRAD:
        return _adagrad_update(p, g, s, i, lr, step, h)
    if optimizer == ADADELTA:
        return _adadelta_update(p, g, s, i, lr, step, h)
    if optimizer == RMSPROP:
        return _rmsprop_update(p, g, s, i, lr, step, h)
    if optimizer == ADAMAX:
        return _adamax_update(p, g, s, i, lr, step, h)
    if optimizer == NADAM:
        return _nadam_update(p, g, s, i, lr, step, h)
    if optimizer == RADAM:
        return _radam_update(p, g, s, i, lr, step, h)
    if optimizer == LION:
        return _lion_update(p, g, s, i, lr, step, h)
    return np.nan


@jit
def newton_direction(gx, gy, fxx, fxy, fyy, damping):
    """Solve (H + damping I) d = g for the 2x2 Hessian H; a singular system gives inf or NaN."""
    a = fxx + damping
    c = fyy + damping
    det = a * c - fxy * fxy
    return (c * gx - fxy * gy) / det, (a * gy - fxy * gx) / det
