"""The compiled engine: every optimizer on every surface, dispatched on integer codes.

One step is exactly one iteration of a PyTorch training loop::

    loss_t, g_t = f(x_t), grad f(x_t)          # the gradient source may add noise
    lr_t        = scheduler's current rate
    x_{t+1}     = optimizer.step()             # torch's update rule, step count t + 1
    scheduler.step()                           # reduce_on_plateau is given loss_t

A scheduler may instead step once every ``interval`` steps (an epoch of a data surface);
reduce_on_plateau is then given the mean loss of the interval. On a data surface with the
``minibatch`` source, loss_t and g_t are the loss and gradient of step t's mini-batch.

A run stops, without raising, at the first point x_t that is not finite or lies outside the
escape box (the plot window widened about its centre), or whose loss or gradient is not
finite; ``t`` is reported as the divergence index.

Three kernels share the surfaces and the update rules. ``fast_simulate_kernel(optimizer)``
records every point of one run in the common case (see ``takes_fast_path``), compiled for
that one optimizer; ``simulate_kernel`` does so in every other case; ``batch_kernel`` runs
many independent runs in parallel and keeps only summaries. Each has exactly one compiled
signature: ``optimizers.api`` coerces every argument to int64, float64 or C-contiguous
float64/int64 arrays, and allocates every array (the kernels are compiled without Numba's
reference-counting runtime, which costs more than a step). Numba compiles a kernel when it
is first called, so the first trajectory compiles only the fast kernel of its optimizer.

A call from one compiled function to another stays a call (Numba does not let LLVM inline
across them), and a call in a loop keeps the loop from being vectorised and costs the
registers of everything live across it. The rules and the built-in surfaces are therefore
``inline="always"``; the big, rarely used paths (typed formulas, data surfaces, finite
differences, Hessians) stay behind calls, off the hot loops.
"""

from __future__ import annotations

import functools

import numba
import numpy as np

from landscapes import _surfaces as S
from landscapes.jit import jit
from optimizers import _rules as R
from optimizers import _schedules as Q

ANALYTIC = 0
FINITE_DIFFERENCE = 1
NOISY = 2
MINIBATCH = 3

CHUNK_RUNS = 256
"""Runs advanced together, step by step, by one thread of ``batch_kernel``."""

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_TWO_POW_MINUS_53 = 2.0**-53
_ONE = np.uint64(1)


@jit
def _splitmix64(z):
    z = z + _GOLDEN
    z = (z ^ (z >> _S30)) * _MIX1
    z = (z ^ (z >> _S27)) * _MIX2
    return z ^ (z >> _S31)


@jit
def standard_normal(seed, counter):
    """A standard normal draw that depends only on (seed, counter).

    A counter-based generator (SplitMix64 hashing, then Box-Muller): the same draw comes back in
    any order and on any thread, so parallel runs are reproducible from their seed.
    """
    key = _splitmix64(_splitmix64(np.uint64(seed)))
    h1 = _splitmix64(key ^ np.uint64(2 * counter))
    h2 = _splitmix64(key ^ np.uint64(2 * counter + 1))
    u1 = (np.float64(h1 >> _S11) + 1.0) * _TWO_POW_MINUS_53  # in (0, 1]
    u2 = np.float64(h2 >> _S11) * _TWO_POW_MINUS_53
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)


@jit
def data_loss_and_gradient(surface, sp, source, gq, seed, t, x, y):
    """The loss and the gradient the source reports at step t on a data surface.

    analytic and noisy: the full-data loss and gradient (the caller adds noisy's noise).
    finite_difference: the full-data loss and central differences of it (five passes).
    minibatch: the loss and gradient of mini-batch t of a shuffled data loader, what a
    torch training loop computes from its batch, as DataLoader(shuffle=True,
    drop_last=False) with batch size B = min(gq[0], n) deals them: an epoch is
    ceil(n / B) batches, the last one smaller when B does not divide n, and every epoch
    visits each example once, in the order of a fresh permutation keyed by (seed, epoch)
    (``landscapes._surfaces.shuffled_index``). Step t takes batch t mod ceil(n / B) of
    epoch t // ceil(n / B); loss and gradient are the means over the batch's examples. A
    batch of all n examples is the full data, summed in data order, so B >= n is exactly
    full-batch descent. A step costs O(B), not O(n): the full-data loss of a mini-batch
    run is the landscape's ``f`` at its points.
    """
    n = int(sp[0])
    if source == MINIBATCH and gq[0] < n:
        size = int(gq[0])
        batches = (n + size - 1) // size
        first = (t % batches) * size
        last = min(first + size, n)
        # the epoch's key: a hash of (seed, epoch), never 0 (which means data order)
        key = _splitmix64(_splitmix64(np.uint64(seed)) ^ np.uint64(t // batches)) | _ONE
        f, bx, by = S.data_sum(surface, x, y, sp, first, last, key)  # first, last: int64
        count = last - first
        return f / count, bx / count, by / count
    # One call site of the loop over the data serves all five finite-difference points
    # (x, x + h e_x, x - h e_x, x + h e_y, x - h e_y), which keeps the compiled code small.
    whole = np.uint64(0)
    zero = t - t  # typed as t: a literal 0 would compile data_sum a second time
    evaluations = 5 if source == FINITE_DIFFERENCE else 1
    h = gq[0] if source == FINITE_DIFFERENCE else 0.0  # gq is empty for the analytic source
    f = gx = gy = dfx = dfy = 0.0
    for k in range(evaluations):
        step = h if k % 2 == 1 else -h
        px = x + step if 1 <= k <= 2 else x
        py = y + step if k >= 3 else y
        fk, ax, ay = S.data_sum(surface, px, py, sp, zero, n, whole)
        fk /= n
        if k == 0:
            f, gx, gy = fk, ax / n, ay / n
        elif k <= 2:
            dfx += fk if k == 1 else -fk
        else:
            dfy += fk if k == 3 else -fk
    if source == FINITE_DIFFERENCE:
        return f, dfx / (2.0 * h), dfy / (2.0 * h)
    return f, gx, gy


@jit
def _value_at(surface, sp, x, y):
    """f(x, y) behind a call: one compiled copy of the surface dispatch serves the loss of
    every step and the five evaluations of a finite difference (the loss is off the critical
    path of a step, so the call costs nothing measurable; another copy costs ~1 s of compile)."""
    return S.value(surface, x, y, sp)


@jit
def finite_difference(surface, sp, x, y, h):
    """f(x, y) and the central-difference gradient (f(x+h) - f(x-h)) / 2h: five evaluations."""
    f = _value_at(surface, sp, x, y)
    gx = (_value_at(surface, sp, x + h, y) - _value_at(surface, sp, x - h, y)) / (2.0 * h)
    gy = (_value_at(surface, sp, x, y + h) - _value_at(surface, sp, x, y - h)) / (2.0 * h)
    return f, gx, gy


@jit(inline="always")
def _add_noise(gx, gy, gq, seed, t):
    """The noisy source: N(0, (gq[0] / sqrt(gq[1]))^2) added to each coordinate at step t, the
    noise of a mini-batch of size gq[1] when one example's gradient noise has scale gq[0]."""
    scale = gq[0] / np.sqrt(gq[1])
    return gx + scale * standard_normal(seed, 2 * t), gy + scale * standard_normal(seed, 2 * t + 1)


@jit
def loss_and_gradient(surface, sp, source, gq, seed, t, x, y):
    """f(x, y) and the gradient as the chosen source reports it at step t.

    finite_difference: central differences with step gq[0] (four extra evaluations of f).
    noisy: the exact gradient plus the noise of :func:`_add_noise`.
    minibatch (data surfaces only): the loss and gradient of a real mini-batch of gq[0]
    examples. Every source on a data surface goes through :func:`data_loss_and_gradient`.
    """
    if surface >= S.FIRST_DATA:
        loss, gx, gy = data_loss_and_gradient(surface, sp, source, gq, seed, t, x, y)
    elif source == FINITE_DIFFERENCE:
        return finite_difference(surface, sp, x, y, gq[0])
    else:
        loss = _value_at(surface, sp, x, y)
        gx, gy = S.gradient(surface, x, y, sp)
    if source == NOISY:
        gx, gy = _add_noise(gx, gy, gq, seed, t)
    return loss, gx, gy


@jit(inline="always")
def _usable(x, y, f, gx, gy, box):
    """x_t inside the escape box (x_low, x_high, y_low, y_high), with finite loss and gradient."""
    inside = (box[0] <= x) & (x <= box[1]) & (box[2] <= y) & (y <= box[3])  # False for NaN
    return inside & (abs(f) < np.inf) & (abs(gx) < np.inf) & (abs(gy) < np.inf)


@jit(inline="always")
def _evaluate(surface, sp, source, gq, seed, t, p, f, g, with_values):
    """Gradient (g[r], g[m + r]) and, if ``with_values``, loss f[r] of each of the
    m = len(f) runs at step t (other sources than the analytic one always give the loss).

    Coordinates are laid out as p = (x_0 .. x_{m-1}, y_0 .. y_{m-1}). Every run draws the
    same noise sequence from the seed, as ``simulate`` does, so a batch run is exactly the
    run ``simulate`` makes with the same settings.
    """
    m = f.shape[0]
    if source == ANALYTIC:
        S.values_and_gradients(surface, p, m, sp, f, g, with_values)
    else:
        for r in range(m):
            f[r], g[r], g[m + r] = loss_and_gradient(
                surface, sp, source, gq, seed, t, p[r], p[m + r]
            )


@jit(inline="always")
def _move(surface, sp, optimizer, h, s, k, p, g, rates, step):
    """One optimizer step (torch's step count ``step``) for every run, in place."""
    if optimizer == R.NEWTON:
        m = p.shape[0] // 2
        for r in range(m):
            fxx, fxy, fyy = S.hessian(surface, p[r], p[m + r], sp)
            dx, dy = R.newton_direction(g[r], g[m + r], fxx, fxy, fyy, h[R.DAMPING, r])
            p[r] -= rates[r] * dx
            p[m + r] -= rates[m + r] * dy
    else:
        R.fixed_step_all(optimizer, p, g, s, rates, step, h, k)


@jit
def schedule_rates(schedule, q, interval, lr0, rates):
    """rates[t] = lr_t of a closed-form schedule for base rate lr0, whose scheduler steps
    once every ``interval`` optimizer steps (1: every step; an epoch's steps: every epoch)."""
    for t in range(rates.shape[0]):
        a, b = Q.affine(schedule, q, t // interval)
        rates[t] = a * lr0 + b


def takes_fast_path(surface, optimizer, schedule, source):
    """Whether ``fast_simulate_kernel`` can run this setting (else ``simulate_kernel``):
    a built-in surface, the analytic or noisy source, a first-order optimizer and a
    closed-form schedule."""
    return (surface < S.FORMULA and source in (ANALYTIC, NOISY) and optimizer != R.NEWTON
            and schedule != Q.REDUCE_ON_PLATEAU)


@jit
def simulate_kernel(
    surface, sp, optimizer, h, schedule, q, interval, source, gq, seed, start, box,
    state, factors, memory, xy, loss, grad, lr_used,
):
    """Run len(xy) - 1 steps from ``start`` (x, y), writing every point: any surface,
    optimizer, schedule and gradient source.

    Returns (n_points, diverged_at): points 0 .. n_points - 1 of ``xy``, ``loss`` and
    ``grad`` are written and ``lr_used[t]`` is the rate of the step from point t;
    ``diverged_at`` is the index of the first unusable point (== n_points), or -1.
    ``h`` is (N_HYPERPARAMETERS, 2), a column per coordinate; ``state`` (N_STATE_SLOTS, 2),
    ``factors`` (N_FACTORS, 2) and ``memory`` (N_PLATEAU_SLOTS,) are workspace;
    ``lr_used`` has len(xy) entries (the last is workspace).

    The step calls compiled functions (:func:`loss_and_gradient`, ``R.step_pair``) rather
    than inlining every surface and rule: the common case has its own kernel,
    :func:`fast_simulate_kernel`, and a second inlined copy here would cost seconds of
    compile for a few ns a step.
    """
    R.init_state(optimizer, state, h)
    Q.init_plateau(memory)
    steps = xy.shape[0] - 1
    plateau = schedule == Q.REDUCE_ON_PLATEAU
    if not plateau:
        schedule_rates(schedule, q, interval, h[R.LR, 0], lr_used)
    rate = h[R.LR, 0]
    x, y = start[0], start[1]
    for t in range(steps + 1):
        f, gx, gy = loss_and_gradient(surface, sp, source, gq, seed, t, x, y)
        if not _usable(x, y, f, gx, gy, box):
            return t, t
        xy[t, 0], xy[t, 1], loss[t], grad[t, 0], grad[t, 1] = x, y, f, gx, gy
        if t == steps:
            break
        if plateau:  # given the mean loss of its interval, as scheduler.step(loss) would be
            lr_used[t] = rate
            memory[Q.INTERVAL_LOSS] += f
            if (t + 1) % interval == 0:
                rate = Q.plateau_step(q, memory, rate, memory[Q.INTERVAL_LOSS] / interval)
                memory[Q.INTERVAL_LOSS] = 0.0
        if optimizer == R.NEWTON:
            fxx, fxy, fyy = S.hessian(surface, x, y, sp)
            dx, dy = R.newton_direction(gx, gy, fxx, fxy, fyy, h[R.DAMPING, 0])
            x, y = x - lr_used[t] * dx, y - lr_used[t] * dy
        else:
            x, y = R.step_pair(optimizer, x, y, gx, gy, state, lr_used[t], t + 1, h, factors)
    return steps + 1, -1


CHECK_EVERY = 64
"""fast_simulate_kernel checks its points for divergence in blocks of this many."""


@jit
def _first_unusable(surface, sp, xy, loss, grad, lo, hi, box):
    """The first of points lo .. hi - 1 on a built-in surface that is not usable, or -1;
    fills in their losses first."""
    for u in range(lo, hi):
        loss[u] = S.builtin_value(surface, xy[u, 0], xy[u, 1], sp)
        if not _usable(xy[u, 0], xy[u, 1], loss[u], grad[u, 0], grad[u, 1], box):
            return u
    return -1


def fast_simulate_kernel(optimizer):
    """:func:`simulate_kernel` for the settings of :func:`takes_fast_path` (the common case),
    compiled for one first-order optimizer; same arguments, with ``optimizer`` this code.

    The optimizer is a constant of the compiled kernel (``R.fixed_step``), so a step carries
    no dispatch on it, and Numba compiles, on first use, only the kernels of the optimizers
    a process runs. Each kernel is cached on disk under its code.

    The inner loop, over a block of CHECK_EVERY steps, holds only the gradient, the update
    and the writes of x_t and its gradient, all inlined: no branch out of the loop and, but
    for the noisy source's draws, no call. (In one A/B on Adam/Rosenbrock, a call in the step
    loop, even on a branch never taken, cost the registers of everything live across it:
    ~59 ns a step with the general loop's calls, ~46 ns without.) The losses and the
    divergence check follow each block, over the points just written. The loop also takes a
    step from the last point, which is dropped, and steps past the first unusable point
    until its block ends: a step's arithmetic never raises, so this changes nothing but the
    time.
    """
    return _fast_kernel_for(int(optimizer))  # one kernel per code, whatever its integer type


@functools.cache
def _fast_kernel_for(code):
    if code not in R.FIRST_ORDER_STEPS:
        raise ValueError(f"no fast kernel for optimizer code {code}")

    @jit
    def fast_kernel(
        surface, sp, optimizer, h, schedule, q, interval, source, gq, seed, start, box,
        state, factors, memory, xy, loss, grad, lr_used,
    ):
        R.init_state(code, state, h)
        schedule_rates(schedule, q, interval, h[R.LR, 0], lr_used)
        points = xy.shape[0]
        noisy = source == NOISY
        x, y = start[0], start[1]
        for first in range(0, points, CHECK_EVERY):
            end = min(first + CHECK_EVERY, points)
            for t in range(first, end):
                gx, gy = S.builtin_gradient(surface, x, y, sp)
                if noisy:
                    gx, gy = _add_noise(gx, gy, gq, seed, t)
                xy[t, 0], xy[t, 1], grad[t, 0], grad[t, 1] = x, y, gx, gy
                x, y = R.fixed_step(code, x, y, gx, gy, state, lr_used[t], t + 1, h, factors)
            bad = _first_unusable(surface, sp, xy, loss, grad, first, end, box)
            if bad >= 0:
                return bad, bad
        return points, -1

    return fast_kernel


@jit
def nearest_minimum(final_xy, diverged_at, minima, radius, nowhere, diverged, label):
    """label[r]: the index of the point of ``minima`` (k, 2) nearest to where run r ended,
    if it lies within ``radius`` of it (the first of equally near ones); ``nowhere`` if none
    does, ``diverged`` if the run diverged."""
    for r in range(final_xy.shape[0]):
        best, nearest = nowhere, radius * radius
        for i in range(minima.shape[0]):
            squared = (final_xy[r, 0] - minima[i, 0]) ** 2 + (final_xy[r, 1] - minima[i, 1]) ** 2
            if squared < nearest or (squared == nearest and best == nowhere):
                best, nearest = i, squared
        label[r] = diverged if diverged_at[r] >= 0 else best


# Rows of a chunk's tally: per-run summaries, all float64 (an index is exact up to 2^53).
FIRST_UNUSABLE = 0  # the index of the first tallied point that was not usable, or inf
FIRST_REACHED = 1  # the index of the first usable point with loss <= target_loss, or inf
FINAL_X = 2  # the last usable point and its loss
FINAL_Y = 3
FINAL_LOSS = 4
N_TALLY_ROWS = 5


@jit
def _tally(p, f, g, box, target_loss, t, tally):
    """Fold step t's points into the tally of every run of the chunk.

    Once a run has an unusable point, its summaries stop changing. Written to vectorise
    across runs: every value is loaded before any store, and updates are selects and
    minima, never branches (a conditional store kept this loop scalar, ~8 ns a run)."""
    m = f.shape[0]
    for r in range(m):
        x, y, loss = p[r], p[m + r], f[r]
        usable = _usable(x, y, loss, g[r], g[m + r], box)
        first_unusable = min(tally[FIRST_UNUSABLE, r], np.inf if usable else t)
        ok = t < first_unusable
        first_reached = min(tally[FIRST_REACHED, r],
                            t if ok & (loss <= target_loss) else np.inf)
        final_x, final_y, final_loss = tally[FINAL_X, r], tally[FINAL_Y, r], tally[FINAL_LOSS, r]
        tally[FIRST_UNUSABLE, r] = first_unusable
        tally[FIRST_REACHED, r] = first_reached
        tally[FINAL_X, r] = x if ok else final_x
        tally[FINAL_Y, r] = y if ok else final_y
        tally[FINAL_LOSS, r] = loss if ok else final_loss


@jit
def _advance_chunk(
    surface, sp, optimizer, h, schedule, q, interval, source, gq, seed, steps, box,
    target_loss, tally_every, s, k, memory, p, g, f, rates, tally,
):
    """Advance the m = len(f) runs of one chunk together, one step at a time.

    ``p`` holds the starts in the layout of :func:`_evaluate`; ``h``, ``s``, ``k`` (the step
    factors) and ``rates`` have one column per coordinate, ``tally`` (N_TALLY_ROWS, m) one per
    run. Every loop runs over the chunk's runs with the codes fixed, so the compiler can
    vectorise it. A run that becomes unusable keeps computing (harmless NaNs) but its tally
    no longer changes. Points are tallied every ``tally_every`` steps and at the end: 1 makes
    every summary exact; a basin map, which needs only where runs end, tallies just the first
    and the last point.

    Compiled once per optimizer code (``numba.literally``), so the step is one loop of that
    optimizer's arithmetic (``R.fixed_step_all``). The step's helpers are inlined: calls with
    this many arguments cost ~0.4 ns a run-step at 256 runs a chunk (measured: a basin map's
    single-thread time fell from 28 to 18 ms).
    """
    numba.literally(optimizer)
    m = f.shape[0]
    for r in range(m):
        Q.init_plateau(memory[r])
        tally[FIRST_UNUSABLE, r] = tally[FIRST_REACHED, r] = np.inf
        tally[FINAL_X, r], tally[FINAL_Y, r], tally[FINAL_LOSS, r] = p[r], p[m + r], np.nan
    for i in range(2 * m):
        rates[i] = h[R.LR, i]
    R.init_state(optimizer, s, h)
    plateau = schedule == Q.REDUCE_ON_PLATEAU
    for t in range(steps + 1):
        tallied = t % tally_every == 0 or t == steps
        _evaluate(surface, sp, source, gq, seed, t, p, f, g, tallied or plateau)
        if tallied:
            _tally(p, f, g, box, target_loss, t, tally)
        if t == steps:
            break
        if not plateau and schedule != Q.CONSTANT:
            a, b = Q.affine(schedule, q, t // interval)
            for i in range(2 * m):
                rates[i] = a * h[R.LR, i] + b
        _move(surface, sp, optimizer, h, s, k, p, g, rates, t + 1)
        if plateau:  # after the step, as scheduler.step(loss) is, once an interval
            for r in range(m):
                memory[r, Q.INTERVAL_LOSS] += f[r]
            if (t + 1) % interval == 0:
                for r in range(m):
                    rates[r] = rates[m + r] = Q.plateau_step(
                        q, memory[r], rates[r], memory[r, Q.INTERVAL_LOSS] / interval)
                    memory[r, Q.INTERVAL_LOSS] = 0.0


def batch_kernel(optimizer):
    """The kernel that runs len(starts) independent runs in parallel and keeps a summary of
    each, compiled for one optimizer (as :func:`fast_simulate_kernel` is).

    Run r starts at ``starts[r]`` (n, 2) with the hyperparameters ``h``
    (N_HYPERPARAMETERS,), except that slot ``varied_slots[k]`` takes ``varied_values[k,
    r]``. Runs are advanced in chunks of m; each thread reuses its own workspace
    (``hypers``, ``states``, ``factors``, ``memories``, ``points``, ``gradients``,
    ``losses``, ``rates``, ``tallies``; leading dimension: thread), which stays in cache;
    ``sps`` holds a copy of the surface parameters per thread, since a surface may use the
    tail of its parameter vector as scratch. Writes per run: the last usable point and its
    loss, the first step whose loss is <= target_loss (-1: never) and the divergence index
    (-1: none), exact when ``tally_every`` is 1 (see _advance_chunk).
    """
    return _batch_kernel_for(int(optimizer))


@functools.cache
def _batch_kernel_for(code):
    if not 0 <= code <= R.NEWTON:
        raise ValueError(f"no batch kernel for optimizer code {code}")

    @jit(parallel=True)
    def batch_kernel_of_one_optimizer(
        surface, sps, optimizer, h, varied_slots, varied_values, schedule, q, interval, source,
        gq, seed, starts, steps, box, target_loss, tally_every, hypers, states, factors,
        memories, points, gradients, losses, rates, tallies, final_xy, final_loss, reached_at,
        diverged_at,
    ):
        n = starts.shape[0]
        m = losses.shape[1]
        for c in numba.prange((n + m - 1) // m):
            thread = numba.get_thread_id()
            hc, p, tally = hypers[thread], points[thread], tallies[thread]
            lo = c * m
            count = min(m, n - lo)
            for k in range(hc.shape[0]):  # slot by slot: contiguous stores
                hc[k, :] = h[k]
            for r in range(m):
                run = lo + r if r < count else lo  # pad a short chunk with its first run
                p[r], p[m + r] = starts[run, 0], starts[run, 1]
                for k in range(varied_slots.shape[0]):
                    hc[varied_slots[k], r] = hc[varied_slots[k], m + r] = varied_values[k, run]
            _advance_chunk(
                surface, sps[thread], code, hc, schedule, q, interval, source, gq, seed, steps,
                box, target_loss, tally_every, states[thread], factors[thread],
                memories[thread], p, gradients[thread], losses[thread], rates[thread], tally,
            )
            for r in range(count):
                final_xy[lo + r, 0] = tally[FINAL_X, r]
                final_xy[lo + r, 1] = tally[FINAL_Y, r]
                final_loss[lo + r] = tally[FINAL_LOSS, r]
                first_unusable, first_reached = tally[FIRST_UNUSABLE, r], tally[FIRST_REACHED, r]
                diverged_at[lo + r] = -1 if first_unusable == np.inf else int(first_unusable)
                reached_at[lo + r] = -1 if first_reached == np.inf else int(first_reached)

    return batch_kernel_of_one_optimizer
