"""Update rules of every optimizer, one coordinate at a time, as scalar Numba functions.

Every first-order rule here acts on each coordinate independently, exactly as ``torch.optim``
does on each element of a parameter tensor:

    p_new = _<name>_update(p, g, s, i, lr, step, h, k)

``p`` is coordinate ``i``, ``g`` its gradient, ``s[:, i]`` its state (float64 slots indexed
by the constants below, named after torch's state buffers), ``lr`` the learning rate of this
step (after the schedule), ``step`` torch's step count (1 on the first update) and ``h[:, i]``
its hyperparameters (indexed by the hyperparameter constants below), ``k[:, i]`` the step's
factors (see below). Every coordinate carries its own hyperparameters, so a batch of runs (a
sweep over lr x beta1, say) is just one long parameter vector: slots-major arrays keep each
slot contiguous across coordinates, which lets the compiler vectorise a loop over them.
Newton's method couples the coordinates through the Hessian and lives in
:func:`newton_direction`.

Per-step factors. torch computes a few numbers once per step and parameter tensor: Adam's
bias corrections, Nadam's momentum schedule, RAdam's rectification, Adagrad's decayed rate.
:func:`prepare_step` computes them once per run and step into the factor slots of ``k``
(one column per coordinate, like ``s``), and the rules only read them: this keeps the
divisions, square roots and powers they cost off each coordinate's update.

torch evaluates ``beta ** step`` with ``pow``, which costs about 20 ns, more than the rest of
an Adam step. Here ``beta ** step`` is a running product kept in the state (slots
``BETA1_POWER``, ``BETA2_POWER``). After t steps it differs from ``pow`` by at most about t
rounding errors (relative 1e-11 after 100 000 steps; a test checks it), far below anything a
trajectory can show.
"""

from __future__ import annotations

import numpy as np
from numba.core import types
from numba.core.errors import TypingError
from numba.extending import overload

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

# --- per-step factors (computed by prepare_step, read by the rules) ---------------------------
STEP_SIZE = 0  # adam, adamw, adamax: lr / (1 - beta1^t); adagrad: lr / (1 + (t - 1) lr_decay)
BIAS_CORRECTION1 = 1  # radam: 1 - beta1^t
BIAS_CORRECTION2 = 2  # nadam: 1 - beta2^t
BIAS_CORRECTION2_SQRT = 3  # adam, adamw, radam: sqrt(1 - beta2^t)
GRAD_COEFFICIENT = 4  # nadam: -lr (1 - mu_t) / (1 - mu_1 ... mu_t)
AVG_COEFFICIENT = 5  # nadam: -lr mu_{t+1} / (1 - mu_1 ... mu_t mu_{t+1})
RECTIFICATION = 6  # radam: r_t when the variance is tractable (rho_t > 5), else 0
N_FACTORS = 7


@jit(inline="always")
def lerp(start, end, weight):
    """start + weight (end - start), evaluated as torch's CPU ``lerp`` does."""
    if weight < 0.5:
        return start + weight * (end - start)
    return end - (end - start) * (1.0 - weight)


@jit(inline="always")
def _advance_power(s, i, slot, beta):
    """beta ** step for this step: the running product in slot ``slot``, advanced once."""
    s[slot, i] *= beta
    return s[slot, i]


@jit(inline="always")
def _with_weight_decay(g, p, h, i):
    """torch's coupled (L2) weight decay: g + weight_decay p, skipped when it is zero."""
    weight_decay = h[WEIGHT_DECAY, i]
    return g + weight_decay * p if weight_decay != 0.0 else g


@jit
def init_state(optimizer, s, h):
    """The state before the first step: zeros, except Adagrad's sum and the running products."""
    s[:] = 0.0
    s[BETA1_POWER] = 1.0
    s[BETA2_POWER] = 1.0
    s[MU_PRODUCT] = 1.0
    if optimizer == ADAGRAD:
        for i in range(s.shape[1]):
            s[SUM, i] = h[INITIAL_ACCUMULATOR_VALUE, i]


@jit(inline="always")
def _nadam_mu(beta1, momentum_decay, step):
    """Nadam's momentum coefficient mu_t = beta1 (1 - 0.96^(t psi) / 2)."""
    return beta1 * (1.0 - 0.5 * 0.96 ** (step * momentum_decay))


@jit(inline="always")
def _prepare_nothing(s, h, k, i, j, lr, step):
    """The optimizers without per-step factors."""


@jit(inline="always")
def _prepare_adam(s, h, k, i, j, lr, step):
    """adam, adamw: step_size = lr / (1 - beta1^t) and sqrt(1 - beta2^t)."""
    k[STEP_SIZE, i] = k[STEP_SIZE, j] = lr / (1.0 - _advance_power(s, i, BETA1_POWER, h[BETA1, i]))
    k[BIAS_CORRECTION2_SQRT, i] = k[BIAS_CORRECTION2_SQRT, j] = np.sqrt(
        1.0 - _advance_power(s, i, BETA2_POWER, h[BETA2, i]))


@jit(inline="always")
def _prepare_adamax(s, h, k, i, j, lr, step):
    """adamax: step_size = lr / (1 - beta1^t)."""
    k[STEP_SIZE, i] = k[STEP_SIZE, j] = lr / (1.0 - _advance_power(s, i, BETA1_POWER, h[BETA1, i]))


@jit(inline="always")
def _prepare_adagrad(s, h, k, i, j, lr, step):
    """adagrad: step_size = lr / (1 + (t - 1) lr_decay)."""
    k[STEP_SIZE, i] = k[STEP_SIZE, j] = lr / (1.0 + (step - 1) * h[LR_DECAY, i])


@jit(inline="always")
def _prepare_nadam(s, h, k, i, j, lr, step):
    """nadam: 1 - beta2^t and the two coefficients of its update (see the slots)."""
    beta1, momentum_decay = h[BETA1, i], h[MOMENTUM_DECAY, i]
    mu = _nadam_mu(beta1, momentum_decay, step)
    mu_next = _nadam_mu(beta1, momentum_decay, step + 1)
    mu_product = s[MU_PRODUCT, i] * mu
    s[MU_PRODUCT, i] = mu_product
    k[BIAS_CORRECTION2, i] = k[BIAS_CORRECTION2, j] = 1.0 - _advance_power(
        s, i, BETA2_POWER, h[BETA2, i])
    k[GRAD_COEFFICIENT, i] = k[GRAD_COEFFICIENT, j] = -lr * (1.0 - mu) / (1.0 - mu_product)
    k[AVG_COEFFICIENT, i] = k[AVG_COEFFICIENT, j] = -lr * mu_next / (1.0 - mu_product * mu_next)


@jit(inline="always")
def _prepare_radam(s, h, k, i, j, lr, step):
    """radam: 1 - beta1^t, 1 - beta2^t, its square root and the rectification r_t."""
    beta2 = h[BETA2, i]
    beta2_power = _advance_power(s, i, BETA2_POWER, beta2)
    bias_correction2 = 1.0 - beta2_power
    k[BIAS_CORRECTION1, i] = k[BIAS_CORRECTION1, j] = 1.0 - _advance_power(
        s, i, BETA1_POWER, h[BETA1, i])
    k[BIAS_CORRECTION2_SQRT, i] = k[BIAS_CORRECTION2_SQRT, j] = np.sqrt(bias_correction2)
    rho_inf = 2.0 / (1.0 - beta2) - 1.0
    rho_t = rho_inf - 2.0 * step * beta2_power / bias_correction2
    k[RECTIFICATION, i] = k[RECTIFICATION, j] = np.sqrt(
        (rho_t - 4.0) * (rho_t - 2.0) * rho_inf / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t)
    ) if rho_t > 5.0 else 0.0


@jit(inline="always")
def prepare_step(optimizer, s, h, k, i, j, lr, step):
    """Compute the step's factors from column i's state and hyperparameters into k[:, i] and
    k[:, j] (the run's two coordinates), advancing column i's running products once."""
    if optimizer == ADAM or optimizer == ADAMW:
        _prepare_adam(s, h, k, i, j, lr, step)
    elif optimizer == ADAMAX:
        _prepare_adamax(s, h, k, i, j, lr, step)
    elif optimizer == ADAGRAD:
        _prepare_adagrad(s, h, k, i, j, lr, step)
    elif optimizer == NADAM:
        _prepare_nadam(s, h, k, i, j, lr, step)
    elif optimizer == RADAM:
        _prepare_radam(s, h, k, i, j, lr, step)


@jit(inline="always")
def _sgd_update(p, g, s, i, lr, step, h, k):
    momentum = h[MOMENTUM, i]
    g = _with_weight_decay(g, p, h, i)
    # The buffer starts as the first gradient; with momentum = 0 it is kept but never used.
    buf = g if step == 1 else momentum * s[MOMENTUM_BUFFER, i] + (1.0 - h[DAMPENING, i]) * g
    s[MOMENTUM_BUFFER, i] = buf
    direction = (g + momentum * buf if h[NESTEROV, i] != 0.0 else buf) if momentum != 0.0 else g
    return p - lr * direction


@jit(inline="always")
def _adagrad_update(p, g, s, i, lr, step, h, k):
    g = _with_weight_decay(g, p, h, i)
    total = s[SUM, i] + g * g
    s[SUM, i] = total
    return p - k[STEP_SIZE, i] * (g / (np.sqrt(total) + h[EPS, i]))


@jit(inline="always")
def _adadelta_update(p, g, s, i, lr, step, h, k):
    rho, eps = h[RHO, i], h[EPS, i]
    g = _with_weight_decay(g, p, h, i)
    square_avg = s[SQUARE_AVG, i] * rho + (1.0 - rho) * g * g
    delta = np.sqrt(s[ACC_DELTA, i] + eps) / np.sqrt(square_avg + eps) * g
    s[SQUARE_AVG, i] = square_avg
    s[ACC_DELTA, i] = s[ACC_DELTA, i] * rho + (1.0 - rho) * delta * delta
    return p - lr * delta


@jit(inline="always")
def _rmsprop_update(p, g, s, i, lr, step, h, k):
    alpha, momentum = h[ALPHA, i], h[MOMENTUM, i]
    g = _with_weight_decay(g, p, h, i)
    square_avg = s[SQUARE_AVG, i] * alpha + (1.0 - alpha) * g * g
    s[SQUARE_AVG, i] = square_avg
    if h[CENTERED, i] != 0.0:
        grad_avg = lerp(s[GRAD_AVG, i], g, 1.0 - alpha)
        s[GRAD_AVG, i] = grad_avg
        avg = np.sqrt(square_avg - grad_avg * grad_avg) + h[EPS, i]
    else:
        avg = np.sqrt(square_avg) + h[EPS, i]
    if momentum > 0.0:
        buf = s[MOMENTUM_BUFFER, i] * momentum + g / avg
        s[MOMENTUM_BUFFER, i] = buf
        return p - lr * buf
    return p - lr * (g / avg)


@jit(inline="always")
def _adam_update(p, g, s, i, lr, step, h, k):
    beta2 = h[BETA2, i]
    exp_avg = lerp(s[EXP_AVG, i], g, 1.0 - h[BETA1, i])
    exp_avg_sq = s[EXP_AVG_SQ, i] * beta2 + (1.0 - beta2) * g * g
    s[EXP_AVG, i], s[EXP_AVG_SQ, i] = exp_avg, exp_avg_sq
    if h[AMSGRAD, i] != 0.0:
        second_moment = max(s[MAX_EXP_AVG_SQ, i], exp_avg_sq)
        s[MAX_EXP_AVG_SQ, i] = second_moment
    else:
        second_moment = exp_avg_sq
    denom = np.sqrt(second_moment) / k[BIAS_CORRECTION2_SQRT, i] + h[EPS, i]
    return p - k[STEP_SIZE, i] * (exp_avg / denom)


@jit(inline="always")
def _adam_rule(p, g, s, i, lr, step, h, k):
    """adam: coupled (L2) weight decay, then Adam's update."""
    return _adam_update(p, _with_weight_decay(g, p, h, i), s, i, lr, step, h, k)


@jit(inline="always")
def _adamw_rule(p, g, s, i, lr, step, h, k):
    """adamw: decoupled weight decay p (1 - lr weight_decay), then Adam's update."""
    return _adam_update(p * (1.0 - lr * h[WEIGHT_DECAY, i]), g, s, i, lr, step, h, k)


@jit(inline="always")
def _adamax_update(p, g, s, i, lr, step, h, k):
    g = _with_weight_decay(g, p, h, i)
    exp_avg = lerp(s[EXP_AVG, i], g, 1.0 - h[BETA1, i])
    exp_inf = max(s[EXP_INF, i] * h[BETA2, i], abs(g) + h[EPS, i])
    s[EXP_AVG, i], s[EXP_INF, i] = exp_avg, exp_inf
    return p - k[STEP_SIZE, i] * (exp_avg / exp_inf)


@jit(inline="always")
def _nadam_update(p, g, s, i, lr, step, h, k):
    beta2 = h[BETA2, i]
    g = _with_weight_decay(g, p, h, i)
    exp_avg = lerp(s[EXP_AVG, i], g, 1.0 - h[BETA1, i])
    exp_avg_sq = s[EXP_AVG_SQ, i] * beta2 + (1.0 - beta2) * g * g
    s[EXP_AVG, i], s[EXP_AVG_SQ, i] = exp_avg, exp_avg_sq
    denom = np.sqrt(exp_avg_sq / k[BIAS_CORRECTION2, i]) + h[EPS, i]
    p = p + k[GRAD_COEFFICIENT, i] * (g / denom)
    return p + k[AVG_COEFFICIENT, i] * (exp_avg / denom)


@jit(inline="always")
def _radam_update(p, g, s, i, lr, step, h, k):
    beta2 = h[BETA2, i]
    g = _with_weight_decay(g, p, h, i)
    exp_avg = lerp(s[EXP_AVG, i], g, 1.0 - h[BETA1, i])
    exp_avg_sq = s[EXP_AVG_SQ, i] * beta2 + (1.0 - beta2) * g * g
    s[EXP_AVG, i], s[EXP_AVG_SQ, i] = exp_avg, exp_avg_sq
    corrected_exp_avg = exp_avg / k[BIAS_CORRECTION1, i]
    rect = k[RECTIFICATION, i]
    if rect > 0.0:
        adaptive_lr = k[BIAS_CORRECTION2_SQRT, i] / (np.sqrt(exp_avg_sq) + h[EPS, i])
        return p - corrected_exp_avg * lr * adaptive_lr * rect
    return p - corrected_exp_avg * lr


@jit(inline="always")
def _lion_update(p, g, s, i, lr, step, h, k):
    beta1, beta2 = h[BETA1, i], h[BETA2, i]
    exp_avg = s[EXP_AVG, i]
    direction = np.sign(beta1 * exp_avg + (1.0 - beta1) * g)
    s[EXP_AVG, i] = beta2 * exp_avg + (1.0 - beta2) * g
    return p * (1.0 - lr * h[WEIGHT_DECAY, i]) - lr * direction


@jit(inline="always")
def update(optimizer, p, g, s, i, lr, step, h, k):
    """Coordinate i's update by the first-order optimizer with this code; returns p_new."""
    if optimizer == SGD:
        return _sgd_update(p, g, s, i, lr, step, h, k)
    if optimizer == ADAM:
        return _adam_rule(p, g, s, i, lr, step, h, k)
    if optimizer == ADAMW:
        return _adamw_rule(p, g, s, i, lr, step, h, k)
    if optimizer == ADAGRAD:
        return _adagrad_update(p, g, s, i, lr, step, h, k)
    if optimizer == ADADELTA:
        return _adadelta_update(p, g, s, i, lr, step, h, k)
    if optimizer == RMSPROP:
        return _rmsprop_update(p, g, s, i, lr, step, h, k)
    if optimizer == ADAMAX:
        return _adamax_update(p, g, s, i, lr, step, h, k)
    if optimizer == NADAM:
        return _nadam_update(p, g, s, i, lr, step, h, k)
    if optimizer == RADAM:
        return _radam_update(p, g, s, i, lr, step, h, k)
    if optimizer == LION:
        return _lion_update(p, g, s, i, lr, step, h, k)
    return np.nan


@jit(inline="always")
def update_pair(optimizer, x, y, gx, gy, s, lr, step, h, k):
    """(x, y) after one step of the first-order optimizer with this code.

    One inlined copy of :func:`update`, with every optimizer's rule, serves both coordinates
    through a loop over them: a copy per coordinate doubled the compile time (measured when
    the fast kernel used it: ~10 s against ~5 s). The kernels compiled for one optimizer use
    :func:`fixed_step` instead.
    """
    new_x = new_y = 0.0
    for i in range(2):
        moved = update(optimizer, y if i else x, gy if i else gx, s, i, lr, step, h, k)
        new_x, new_y = (new_x, moved) if i else (moved, new_y)
    return new_x, new_y


@jit
def step_pair(optimizer, x, y, gx, gy, s, lr, step, h, k):
    """prepare_step and update_pair behind a call, for loops that keep their code small."""
    prepare_step(optimizer, s, h, k, 0, 1, lr, step)
    return update_pair(optimizer, x, y, gx, gy, s, lr, step, h, k)


FIRST_ORDER_STEPS = {
    SGD: (_prepare_nothing, _sgd_update),
    ADAGRAD: (_prepare_adagrad, _adagrad_update),
    ADADELTA: (_prepare_nothing, _adadelta_update),
    RMSPROP: (_prepare_nothing, _rmsprop_update),
    ADAM: (_prepare_adam, _adam_rule),
    ADAMW: (_prepare_adam, _adamw_rule),
    ADAMAX: (_prepare_adamax, _adamax_update),
    NADAM: (_prepare_nadam, _nadam_update),
    RADAM: (_prepare_radam, _radam_update),
    LION: (_prepare_nothing, _lion_update),
}
"""Each first-order optimizer's step factors and coordinate rule: what :func:`prepare_step`
and :func:`update` dispatch to, as a table for :func:`fixed_step`."""


def fixed_step(optimizer, x, y, gx, gy, s, lr, step, h, k):
    """:func:`step_pair` for an optimizer code that is a constant of the compiled caller.

    Only that optimizer's factors and rule are typed, compiled and inlined, and the step
    carries no dispatch. Measured on Adam/Rosenbrock, interleaved in one process: ~41 ns a
    step against ~50-53 through :func:`prepare_step` and :func:`update_pair`, and a kernel
    that compiles in ~1.5 s instead of ~3. Callable from compiled code only (see the
    overload below).
    """
    raise TypeError("fixed_step is called from compiled code only")


@overload(fixed_step, inline="always")
def _fixed_step_of_a_constant_code(optimizer, x, y, gx, gy, s, lr, step, h, k):
    if not isinstance(optimizer, types.IntegerLiteral):
        raise TypingError(f"fixed_step needs a constant optimizer code, not {optimizer}")
    prepare, rule = FIRST_ORDER_STEPS[optimizer.literal_value]

    def constant_code_step(optimizer, x, y, gx, gy, s, lr, step, h, k):
        prepare(s, h, k, 0, 1, lr, step)
        return rule(x, gx, s, 0, lr, step, h, k), rule(y, gy, s, 1, lr, step, h, k)

    return constant_code_step


def fixed_step_all(optimizer, p, g, s, lr, step, h, k):
    """One step of every run of a batch, for an optimizer code that is a constant of the
    compiled caller (first-order only; nothing for any other code).

    The runs are laid out as p = (x_0 .. x_{m-1}, y_0 .. y_{m-1}), with a column per
    coordinate in ``s``, ``h``, ``k`` and ``lr``: run r's factors are prepared from column r
    into columns r and m + r, then every coordinate is updated. Each is one loop over the
    runs or coordinates with only that optimizer's arithmetic in it, which the compiler can
    vectorise. Callable from compiled code only.
    """
    raise TypeError("fixed_step_all is called from compiled code only")


@overload(fixed_step_all, inline="always")
def _fixed_step_all_of_a_constant_code(optimizer, p, g, s, lr, step, h, k):
    if not isinstance(optimizer, types.IntegerLiteral):
        raise TypingError(f"fixed_step_all needs a constant optimizer code, not {optimizer}")
    if optimizer.literal_value not in FIRST_ORDER_STEPS:  # Newton's method: see the engine

        def no_first_order_step(optimizer, p, g, s, lr, step, h, k):
            pass

        return no_first_order_step
    prepare, rule = FIRST_ORDER_STEPS[optimizer.literal_value]
    prepares = prepare is not _prepare_nothing

    def constant_code_step_all(optimizer, p, g, s, lr, step, h, k):
        n = p.shape[0]
        m = n // 2
        if prepares:
            for r in range(m):
                prepare(s, h, k, r, m + r, lr[r], step)
        for i in range(n):
            p[i] = rule(p[i], g[i], s, i, lr[i], step, h, k)

    return constant_code_step_all


@jit(inline="always")
def newton_direction(gx, gy, fxx, fxy, fyy, damping):
    """Solve (H + damping I) d = g for the 2x2 Hessian H; a singular system gives inf or NaN."""
    a = fxx + damping
    c = fyy + damping
    det = a * c - fxy * fxy
    return (c * gx - fxy * gy) / det, (a * gy - fxy * gx) / det
