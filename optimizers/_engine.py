"""The compiled engine: every optimizer on every surface, dispatched on integer codes.

One step is exactly one iteration of a PyTorch training loop::

    loss_t, g_t = f(x_t), grad f(x_t)          # the gradient source may add noise
    lr_t        = scheduler's current rate
    x_{t+1}     = optimizer.step()             # torch's update rule, step count t + 1
    scheduler.step()                           # reduce_on_plateau is given loss_t

A run stops early, without raising, when the loss or gradient is not finite or when the new
point is not finite or leaves the escape box (the plot window widened about its centre); that
is reported as divergence at the index of the first bad point.

Every kernel has exactly one compiled signature: the Python layer (``optimizers.api``) coerces
every argument to int64, float64 scalars or C-contiguous float64/int64 arrays.
"""

from __future__ import annotations

import numba
import numpy as np

from landscapes import _surfaces as S
from landscapes.jit import jit
from optimizers import _rules as R
from optimizers import _schedules as Q

ANALYTIC = 0
FINITE_DIFFERENCE = 1
NOISY = 2

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_TWO_POW_MINUS_53 = 2.0**-53


@jit
def _splitmix64(z):
    z = z + _GOLDEN
    z = (z ^ (z >> _S30)) * _MIX1
    z = (z ^ (z >> _S27)) * _MIX2
    return z ^ (z >> _S31)


@jit
def standard_normal(seed, stream, counter):
    """A standard normal draw that depends only on (seed, stream, counter).

    A counter-based generator (SplitMix64 hashing, then Box-Muller): the same draw comes back in
    any order and on any thread, so parallel runs are reproducible from their seed.
    """
    key = _splitmix64(_splitmix64(np.uint64(seed)) ^ np.uint64(stream))
    h1 = _splitmix64(key ^ np.uint64(2 * counter))
    h2 = _splitmix64(key ^ np.uint64(2 * counter + 1))
    u1 = (np.float64(h1 >> _S11) + 1.0) * _TWO_POW_MINUS_53  # in (0, 1]
    u2 = np.float64(h2 >> _S11) * _TWO_POW_MINUS_53
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)


@jit
def finite_difference(surface, sp, x, y, h):
    """f(x, y) and the central-difference gradient (f(x+h) - f(x-h)) / 2h: five evaluations."""
    f = S.value(surface, x, y, sp)
    gx = (S.value(surface, x + h, y, sp) - S.value(surface, x - h, y, sp)) / (2.0 * h)
    gy = (S.value(surface, x, y + h, sp) - S.value(surface, x, y - h, sp)) / (2.0 * h)
    return f, gx, gy


@jit
def loss_and_gradient(surface, sp, source, gq, seed, stream, t, x, y):
    """f(x, y) and the gradient as the chosen source reports it at step t.

    finite_difference: central differences with step gq[0] (four extra evaluations of f).
    noisy: the exact gradient plus N(0, (gq[0] / sqrt(gq[1]))^2) per coordinate, the noise of
    a mini-batch of size gq[1] when one example's gradient noise has scale gq[0].
    """
    if source == FINITE_DIFFERENCE:
        return finite_difference(surface, sp, x, y, gq[0])
    loss = S.value(surface, x, y, sp)
    gx, gy = S.gradient(surface, x, y, sp)
    if source == NOISY:
        scale = gq[0] / np.sqrt(gq[1])
        gx += scale * standard_normal(seed, stream, 2 * t)
        gy += scale * standard_normal(seed, stream, 2 * t + 1)
    return loss, gx, gy


@jit
def _inside(x, y, box):
    """Finite and within the escape box (x_low, x_high, y_low, y_high)."""
    return box[0] <= x <= box[1] and box[2] <= y <= box[3]


@jit
def _step(surface, sp, optimizer, h, state, x, y, gx, gy, rate, t):
    """x_{t+1} from x_t: torch's update with step count t + 1 (Newton solves with the Hessian)."""
    if optimizer == R.NEWTON:
        fxx, fxy, fyy = S.hessian(surface, x, y, sp)
        dx, dy = R.newton_direction(gx, gy, fxx, fxy, fyy, h[R.DAMPING])
        return x - rate * dx, y - rate * dy
    return (
        R.update(optimizer, x, gx, state, 0, rate, t + 1, h),
        R.update(optimizer, y, gy, state, 1, rate, t + 1, h),
    )


@jit
def _begin(optimizer, h, state, memory):
    R.init_state(optimizer, state, h)
    Q.init_plateau(memory)


@jit
def simulate_kernel(
    surface, sp, optimizer, h, schedule, q, source, gq, seed, x0, y0, box,
    state, memory, xy, loss, grad, lr_used,
):
    """Run len(xy) - 1 steps from (x0, y0), writing every point; returns (n_points, diverged_at).

    Points 0 .. n_points - 1 of ``xy``, ``loss`` and ``grad`` are written (all finite) and
    ``lr_used[t]`` is the rate of the step from point t. ``diverged_at`` is the index of the
    first bad point, or -1.
    """
    steps = xy.shape[0] - 1
    _begin(optimizer, h, state, memory)
    plateau = schedule == Q.REDUCE_ON_PLATEAU
    if not plateau:
        for t in range(steps):
            a, b = Q.affine(schedule, q, t)
            lr_used[t] = a * h[R.LR] + b
    rate = h[R.LR]
    x, y = x0, y0
    for t in range(steps + 1):
        f, gx, gy = loss_and_gradient(surface, sp, source, gq, seed, 0, t, x, y)
        if not (np.isfinite(f) and np.isfinite(gx) and np.isfinite(gy)):
            return t, t
        xy[t, 0], xy[t, 1], loss[t], grad[t, 0], grad[t, 1] = x, y, f, gx, gy
        if t == steps:
            break
        if plateau:
            lr_used[t] = rate
            rate = Q.plateau_step(q, memory, rate, f)
        x, y = _step(surface, sp, optimizer, h, state, x, y, gx, gy, lr_used[t], t)
        if not _inside(x, y, box):
            return t + 1, t + 1
    return steps + 1, -1


@jit(parallel=True)
def batch_kernel(
    surface, sp, optimizer, hyper, schedule, q, source, gq, seed, starts, steps, box,
    target_loss, states, memories, final_xy, final_loss, reached_at, diverged_at,
):
    """Run one trajectory per row of ``starts`` (n, 2) with hyperparameters ``hyper[r]``.

    Writes the last finite point and its loss, the first step whose loss is <= target_loss
    (-1 if never) and the divergence index (-1 if none) of every run, in parallel over runs.
    Run r draws its gradient noise from stream r, so results do not depend on threading.
    """
    for r in numba.prange(starts.shape[0]):
        h, state, memory = hyper[r], states[r], memories[r]
        _begin(optimizer, h, state, memory)
        plateau_lr = h[R.LR]
        x, y = starts[r, 0], starts[r, 1]
        reached_at[r] = -1
        diverged_at[r] = -1
        final_xy[r, 0], final_xy[r, 1], final_loss[r] = x, y, np.nan
        for t in range(steps + 1):
            f, gx, gy = loss_and_gradient(surface, sp, source, gq, seed, r, t, x, y)
            if not (np.isfinite(f) and np.isfinite(gx) and np.isfinite(gy)):
                diverged_at[r] = t
                break
            final_xy[r, 0], final_xy[r, 1], final_loss[r] = x, y, f
            if reached_at[r] < 0 and f <= target_loss:
                reached_at[r] = t
            if t == steps:
                break
            if schedule == Q.REDUCE_ON_PLATEAU:
                rate = plateau_lr
            else:
                a, b = Q.affine(schedule, q, t)
                rate = a * h[R.LR] + b
            x, y = _step(surface, sp, optimizer, h, state, x, y, gx, gy, rate, t)
            if not _inside(x, y, box):
                diverged_at[r] = t + 1
                break
            if schedule == Q.REDUCE_ON_PLATEAU:
                plateau_lr = Q.plateau_step(q, memory, plateau_lr, f)
