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

Two kernels, both written from the tables (``landscapes.kinds``, ``optimizers.rules``):

* :func:`batch_kernel` runs many independent runs in parallel, advancing a chunk of runs
  together one step at a time, each step one loop over the runs with the codes fixed (the
  compiler vectorises it). It runs every optimizer, surface, schedule and gradient source, and
  records every run's points at chosen steps: every point of a single run
  (``optimizers.simulate`` uses it for all but the common case), or many runs strided
  (``optimizers.paths``).
* :func:`fast_kernel` ``(rule)`` records every point of one run in the common case (see
  :func:`takes_fast_path`), compiled for one first-order rule, so the step carries no dispatch
  on the optimizer and its state stays in registers: a switch over the optimizers in the step
  loop measured ~1.2x slower, and compiling every rule into one kernel ~3x longer to the first
  trajectory. It is compiled on its first use, once per rule.

Each has exactly one compiled signature: ``optimizers.api`` coerces every argument to int64,
float64 or C-contiguous float64/int64 arrays, and allocates every array (the kernels are
compiled without Numba's reference-counting runtime, which costs more than a step). Closed-form
schedules and the ``noisy`` source's noise are computed before a run, in NumPy, and reach the
kernels as arrays.
"""

from __future__ import annotations

import inspect
import textwrap

import numpy as np

from landscapes import kinds, models
from landscapes.hashing import splitmix64
from landscapes.jit import generate, jit, switch_source
from optimizers import rules, schedules, sources
from optimizers.records import OTHER

ANALYTIC = sources.CODES["analytic"]
FINITE_DIFFERENCE = sources.CODES["finite_difference"]
NOISY = sources.CODES["noisy"]
MINIBATCH = sources.CODES["minibatch"]

LR = rules.HYPERPARAMETERS["lr"]
N_HYPERPARAMETERS = len(rules.HYPERPARAMETERS)
N_STATE = rules.N_STATE
SECOND_ORDER = np.array([any(spec.second_order for spec in rules.OPTIMIZERS if spec.rule is r)
                         for r in rules.RULES], dtype=np.bool_)
"""SECOND_ORDER[code]: whether the rule with this code needs the Hessian."""

CHUNK_RUNS = 256
"""Runs advanced together, step by step, by one thread of ``batch_kernel``."""
CHECK_EVERY = 64
"""fast_kernel checks its points for divergence in blocks of this many."""

_ONE = np.uint64(1)

# --- the steps of every rule, written from the table --------------------------------------------


def _spec_of(rule):
    return next(spec for spec in rules.OPTIMIZERS if spec.rule is rule)


def cycled_hyperparameter(rule) -> str:
    """What a schedule with cycle_momentum sets each step, as torch picks it: the rule's
    momentum if it takes one, else its beta1 (betas[0]), else "" (nothing to cycle)."""
    arguments = _spec_of(rule).rule_arguments
    return next((name for name in ("momentum", "beta1") if name in arguments), "")


CYCLED_SLOT = np.array([rules.HYPERPARAMETERS[cycled_hyperparameter(r)]
                        if cycled_hyperparameter(r) else -1 for r in rules.RULES], dtype=np.int64)
"""CYCLED_SLOT[code]: the hyperparameter slot a momentum-cycling schedule sets, or -1."""
BETA1_POWER_SLOT = np.array([
    _spec_of(r).state.index("beta1_power")
    if cycled_hyperparameter(r) == "beta1" and "beta1_power" in _spec_of(r).state else -1
    for r in rules.RULES], dtype=np.int64)
"""BETA1_POWER_SLOT[code]: the state slot where the rule keeps beta1^step, or -1."""
CYCLED = 2
"""The row of ``rate_ab`` holding the momentum (or beta1) a schedule cycles, when it does."""


def _rule_call(rule, bind) -> str:
    """``rule(...)`` with each argument spelled by ``bind(name)``."""
    return f"{rule.__name__}({', '.join(bind(name) for name in _spec_of(rule).rule_arguments)})"


def _step_all_case(rule) -> str:
    """Run r of a batch (coordinates p[r] and p[m + r]) updated by ``rule``, for every r: one
    loop the compiler can vectorise. Shared state is read once and stored in run r's column,
    so what follows from it is computed once per run. What a rule reads of the other
    coordinate (``param_other``, ``<buffer>_other``) is read before either is updated."""
    spec = _spec_of(rule)
    slot = {name: k for k, name in enumerate(spec.state)}
    arguments = spec.rule_arguments
    before = {"r": {}, "m + r": {}}  # the other coordinate's values before the step, by name
    if "param_other" in arguments:
        before["r"]["param_other"], before["m + r"]["param_other"] = "param_y", "param_x"
    for name in spec.other_state:
        before["r"][name + OTHER], before["m + r"][name + OTHER] = f"{name}_y", f"{name}_x"

    def call(i: str, other: str, own: int, cross_other: int) -> str:
        spelled = {
            "param": f"p[{i}]", "grad": f"g[{i}]", "lr": "rates[r]", "step": "step",
            "grad_other": f"g[{other}]", "hess_own": f"hess[{own}, r]",
            "hess_cross": "hess[1, r]", "hess_other": f"hess[{cross_other}, r]",
            **before[i],
        }

        def bind(name):
            if name in spelled:
                return spelled[name]
            if name in slot:
                return f"s[{slot[name]}, {'r' if name in spec.shared_state else i}]"
            return f"hc[{rules.HYPERPARAMETERS[name]}, r]"

        outputs = [f"p[{i}]"] + [
            (f"shared_{slot[name]}" if i == "r" else "_") if name in spec.shared_state
            else f"s[{slot[name]}, {i}]" for name in spec.state]
        return f"{', '.join(outputs)} = {_rule_call(rule, bind)}"

    lines = ["for r in range(m):"]
    if "param_other" in arguments:
        lines.append("    param_x, param_y = p[r], p[m + r]")
    lines += [f"    {name}_x, {name}_y = s[{slot[name]}, r], s[{slot[name]}, m + r]"
              for name in spec.other_state]
    lines += ["    " + call("r", "m + r", 0, 2), "    " + call("m + r", "r", 2, 0)]
    lines += [f"    s[{slot[name]}, r] = shared_{slot[name]}" for name in spec.shared_state]
    return "\n".join(lines)


_RULES_NAMESPACE = {"__name__": __name__, "__file__": __file__, "np": np,
                    **{rule.__name__: rule for rule in rules.RULES}}

_STEP_ALL = switch_source("step_all", "p, g, hess, s, hc, rates, step, m",
                          {code: _step_all_case(rule) for code, rule in enumerate(rules.RULES)},
                          "p[:] = np.nan")
step_all = generate("step_all", _STEP_ALL, _RULES_NAMESPACE, no_cpython_wrapper=True)
"""``step_all(rule, p, g, hess, s, hc, rates, step, m)``: one step (torch's count ``step``)
of every coordinate of m runs, in place. ``s`` has a column per coordinate, ``hc`` (the
hyperparameters) and ``rates`` one per run; ``hess`` (3, m) is read by second-order rules only.

The batch kernel does not call it: its text is written in the kernel in place of the call
(:func:`_written_in`). Called, Numba compiles it as a library of its own, to machine code, and
LLVM then inlines all of it into the kernel anyway: ~2 s of CPU on an empty cache for nothing."""


def _written_in(kernel, call: str, function: str, namespace: dict, **options):
    """``kernel`` compiled with ``call`` (one line of it) replaced by the body of the generated
    ``function`` text, its arguments bound to the call's (a statement ``argument = value``
    each, before the body)."""
    source = textwrap.dedent(inspect.getsource(kernel))
    signature, body = function.split("\n", 1)
    parameters = signature[signature.index("(") + 1 : signature.rindex(")")].split(", ")
    line = next(line for line in source.splitlines() if line.strip() == call)
    indent = line[: len(line) - len(line.lstrip())]
    values = call[call.index("(") + 1 : call.rindex(")")].split(", ")
    bound = "".join(f"{indent}{parameter} = {value}\n"
                    for parameter, value in zip(parameters, values, strict=True)
                    if parameter != value)
    body = textwrap.indent(textwrap.dedent(body), indent)
    source = source.replace(line + "\n", bound + body)
    name = kernel.__name__.lstrip("_")
    return generate(name, f"def {name}" + source[source.index("("):], namespace, **options)


# --- gradient sources ---------------------------------------------------------------------------


@jit(inline="always")
def _usable(x, y, f, gx, gy, box):
    """x_t inside the escape box (x_low, x_high, y_low, y_high), with finite loss and gradient."""
    inside = (box[0] <= x) & (x <= box[1]) & (box[2] <= y) & (y <= box[3])  # False for NaN
    return inside & (abs(f) < np.inf) & (abs(gx) < np.inf) & (abs(gy) < np.inf)


# A call, not inlined by Numba: L-BFGS's _closure, inlined at five places, would type it five
# times (measured: L-BFGS's two kernels 2.6-3.1 -> 4.4 s of compile when it was inlined).
@jit(no_cpython_wrapper=True)
def finite_difference(surface, sp, x, y, h):
    """f(x, y) and the central-difference gradient (f(x+h) - f(x-h)) / 2h: five evaluations,
    through one call site of the surface (one compiled copy of its dispatch)."""
    f = dfx = dfy = 0.0
    for k in range(5):
        step = h if k % 2 == 1 else -h
        value = kinds.at(surface, x + step if 1 <= k <= 2 else x, y + step if k >= 3 else y,
                         sp)[0]
        if k == 0:
            f = value
        elif k <= 2:
            dfx += value if k == 1 else -value
        else:
            dfy += value if k == 3 else -value
    return f, dfx / (2.0 * h), dfy / (2.0 * h)


@jit
def minibatch(model, sp, batch_size, seed, t, x, y):
    """The loss and gradient of mini-batch t of a shuffled data loader, as a torch training
    loop computes them from its batch.

    As DataLoader(shuffle=True, drop_last=False) with batch size B = min(batch_size, n) deals
    them: an epoch is ceil(n / B) batches, the last one smaller when B does not divide n, and
    every epoch visits each example once, in the order of a fresh permutation keyed by
    (seed, epoch) (``landscapes.models.shuffled_index``). Step t takes batch t mod
    ceil(n / B) of epoch t // ceil(n / B); loss and gradient are the means over the batch. A
    step costs O(B), not O(n).
    """
    n = int(sp[0])
    size = int(batch_size)
    batches = (n + size - 1) // size
    first = (t % batches) * size
    last = min(first + size, n)
    # the epoch's key: a hash of (seed, epoch), never 0 (which means data order)
    key = splitmix64(splitmix64(np.uint64(seed)) ^ np.uint64(t // batches)) | _ONE
    f, gx, gy, _, _, _ = models.data_sum(model, x, y, sp, first, last, key)
    count = last - first
    return f / count, gx / count, gy / count


@jit(inline="always")
def evaluate(surface, sp, source, gq, noise, seed, t, second_order, p, f, g, hess):
    """Loss f[r] and gradient (g[r], g[m + r]) of each of the m = len(f) runs at step t, as the
    source reports them, and (``second_order``) the exact Hessian in hess[:, r].

    Coordinates are laid out as p = (x_0 .. x_{m-1}, y_0 .. y_{m-1}). Every run draws the same
    noise and the same mini-batches from the seed, so a run of a batch is exactly the run
    ``simulate`` makes with the same settings. A mini-batch of all n examples is the full data,
    so batch_size >= n is exactly full-batch descent.
    """
    m = f.shape[0]
    model = kinds.DATA_MODEL[surface]
    if source == FINITE_DIFFERENCE:
        for r in range(m):
            f[r], g[r], g[m + r] = finite_difference(surface, sp, p[r], p[m + r], gq[0])
    elif source == MINIBATCH and model >= 0 and gq[0] < sp[0]:
        for r in range(m):
            f[r], g[r], g[m + r] = minibatch(model, sp, gq[0], seed, t, p[r], p[m + r])
    else:
        kinds.surface_all(surface, p, m, sp, f, g)
        if source == NOISY:
            for r in range(m):
                g[r] += noise[t, 0]
            for r in range(m):
                g[m + r] += noise[t, 1]
    if second_order:
        for r in range(m):
            _, _, _, hess[0, r], hess[1, r], hess[2, r] = kinds.at(surface, p[r], p[m + r], sp)


# --- the batch kernel ---------------------------------------------------------------------------

# Rows of a chunk's tally: per-run summaries, all float64 (an index is exact up to 2^53).
FIRST_UNUSABLE = 0  # the index of the first tallied point that was not usable, or inf
FIRST_REACHED = 1  # the index of the first usable point with loss <= target_loss, or inf
FINAL_X = 2  # the last usable point and its loss
FINAL_Y = 3
FINAL_LOSS = 4
N_TALLY_ROWS = 5


@jit(inline="always")
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


def _batch_kernel(
    chunks, surface, sp, rule, h, varied_slots, varied_values, rate_ab, plateau, q,
    interval, source, gq, noise, seed, starts, steps, box, target_loss, tally_every, hc, s,
    memory, p, g, hess, f, rates, tally, final_xy, final_loss, reached_at, diverged_at, kept,
    xy, loss, grad, lr_used, state,
):
    """Run the chunks ``chunks`` (lo, hi) of len(starts) independent runs and keep a summary
    of each; called from several threads at once (it releases the GIL), each with its own
    chunks and its own workspace.

    Run r starts at ``starts[r]`` (n, 2) with the hyperparameters ``h`` (N_HYPERPARAMETERS,),
    except that slot ``varied_slots[k]`` takes ``varied_values[k, r]``; step t's rate is
    rate_ab[0, t] h[LR] + rate_ab[1, t] (or reduce_on_plateau's, when ``plateau``). A chunk is
    the m = len(f) runs lo .. lo + m - 1, advanced together one step at a time in the
    workspace, which stays in cache: ``hc`` and ``rates`` (one column per run), ``s`` (one
    column per coordinate), ``memory``, ``p``, ``g``, ``hess`` (3, m), ``f``, ``tally``
    (N_TALLY_ROWS, m); ``sp`` is the thread's own copy of the surface parameters, since a typed
    formula uses the tail of its vector as scratch. ``p`` holds the chunk's points in the
    layout of :func:`evaluate`. A run that becomes unusable keeps computing (harmless NaNs)
    but its tally no longer changes.

    Points are tallied every ``tally_every`` steps and at the end: 1 makes every summary exact;
    a basin map, which needs only where runs end, tallies just the first and the last point.
    Writes per run: the last usable point and its loss, the first step whose loss is
    <= target_loss (-1: never) and the divergence index (-1: none). With non-empty ``xy``
    (n, k, 2) and ``tally_every`` 1, every run has its points at the steps ``kept`` (k,)
    (ascending) recorded while it is usable: xy[run, j], ``loss`` (n, k), ``grad`` (n, k, 2)
    and the rate of the step from it in ``lr_used`` (n, k) (later slots are left as they
    were); a chunk stops once none of its runs is usable. With non-empty ``state``
    (points, N_STATE, 2) also run 0's state after each step (row t: after t steps, so row 0 is
    all zeros; a shared buffer is in column 0 only), for a single run recorded at every step.
    With a third row of ``rate_ab`` (``CYCLED``) the schedule sets the rule's momentum or
    beta1 (``CYCLED_SLOT``) to rate_ab[CYCLED, t] before step t + 1, and a running beta1^step
    (``BETA1_POWER_SLOT``) to rate_ab[CYCLED, t]^t, so the step's bias correction takes this
    step's beta1, as torch's does.
    """
    n = starts.shape[0]
    m = f.shape[0]
    record = xy.shape[0] > 0
    record_state = state.shape[0] > 0
    second_order = SECOND_ORDER[rule]
    for c in range(chunks[0], chunks[1]):
        lo = c * m
        count = min(m, n - lo)
        for k in range(hc.shape[0]):  # slot by slot: contiguous stores
            hc[k, :] = h[k]
        for r in range(m):
            run = lo + r if r < count else lo  # pad a short chunk with its first run
            p[r], p[m + r] = starts[run, 0], starts[run, 1]
            for k in range(varied_slots.shape[0]):
                hc[varied_slots[k], r] = varied_values[k, run]
            schedules.init_plateau(memory[r])
            tally[FIRST_UNUSABLE, r] = tally[FIRST_REACHED, r] = np.inf
            tally[FINAL_X, r], tally[FINAL_Y, r], tally[FINAL_LOSS, r] = p[r], p[m + r], np.nan
            rates[r] = hc[LR, r]
        s[:] = 0.0
        j = 0  # the next slot of ``kept``
        for t in range(steps + 1):
            evaluate(surface, sp, source, gq, noise, seed, t, second_order, p, f, g, hess)
            if t % tally_every == 0 or t == steps:
                _tally(p, f, g, box, target_loss, t, tally)
            keep = record and j < kept.shape[0] and kept[j] == t
            if keep:
                usable = 0
                for r in range(count):
                    if tally[FIRST_UNUSABLE, r] > t:
                        usable += 1
                        xy[lo + r, j, 0], xy[lo + r, j, 1], loss[lo + r, j] = p[r], p[m + r], f[r]
                        grad[lo + r, j, 0], grad[lo + r, j, 1] = g[r], g[m + r]
                if usable == 0:
                    break
            if t == steps:
                break
            if not plateau:
                for r in range(m):
                    rates[r] = rate_ab[0, t] * hc[LR, r] + rate_ab[1, t]
            if keep:
                for r in range(count):
                    if tally[FIRST_UNUSABLE, r] > t:
                        lr_used[lo + r, j] = rates[r]
                j += 1
            if rate_ab.shape[0] > CYCLED:
                for r in range(m):
                    hc[CYCLED_SLOT[rule], r] = rate_ab[CYCLED, t]
                if BETA1_POWER_SLOT[rule] >= 0:
                    for r in range(m):
                        s[BETA1_POWER_SLOT[rule], r] = rate_ab[CYCLED, t] ** t
            step_all(rule, p, g, hess, s, hc, rates, t + 1, m)
            if record_state:
                for k in range(s.shape[0]):
                    state[t + 1, k, 0], state[t + 1, k, 1] = s[k, 0], s[k, m]
            if plateau:  # after the step, as scheduler.step(loss) is, once an interval
                for r in range(m):
                    memory[r, schedules.INTERVAL_LOSS] += f[r]
                if (t + 1) % interval == 0:
                    for r in range(m):
                        rates[r] = schedules.plateau_step(
                            q, memory[r], rates[r], memory[r, schedules.INTERVAL_LOSS] / interval)
                        memory[r, schedules.INTERVAL_LOSS] = 0.0
        for r in range(count):
            final_xy[lo + r, 0] = tally[FINAL_X, r]
            final_xy[lo + r, 1] = tally[FINAL_Y, r]
            final_loss[lo + r] = tally[FINAL_LOSS, r]
            first_unusable, first_reached = tally[FIRST_UNUSABLE, r], tally[FIRST_REACHED, r]
            diverged_at[lo + r] = -1 if first_unusable == np.inf else int(first_unusable)
            reached_at[lo + r] = -1 if first_reached == np.inf else int(first_reached)


batch_kernel = _written_in(_batch_kernel, "step_all(rule, p, g, hess, s, hc, rates, t + 1, m)",
                           _STEP_ALL, {**globals(), **_RULES_NAMESPACE}, nogil=True)
"""The compiled :func:`_batch_kernel`, with ``step_all``'s switch written in place of its
call."""

# --- the fast kernel, one per first-order rule --------------------------------------------------


def takes_fast_path(surface: int, rule: int, plateau: bool, source: int) -> bool:
    """Whether ``fast_kernel`` can run this setting (else ``batch_kernel``): a built-in
    surface, the analytic or noisy source, a first-order rule and a closed-form schedule."""
    return (kinds.is_built_in(surface) and source in (ANALYTIC, NOISY)
            and not SECOND_ORDER[rule] and not plateau)


@jit(no_cpython_wrapper=True)
def first_unusable(xy, loss, grad, lo, hi, box):
    """The first of points lo .. hi - 1 that is not usable, or -1."""
    for u in range(lo, hi):
        if not _usable(xy[u, 0], xy[u, 1], loss[u], grad[u, 0], grad[u, 1], box):
            return u
    return -1


_FAST_KERNEL = """\
def {name}(surface, sp, h, rates, noisy, noise, start, box, xy, loss, grad):
{hyperparameters}
{state}
    x, y = start[0], start[1]
    points = xy.shape[0]
    for first in range(0, points, CHECK_EVERY):
        end = min(first + CHECK_EVERY, points)
        for t in range(first, end):
            f, gx, gy, _, _, _ = surface_of(surface, x, y, sp)
            if noisy:
                gx, gy = gx + noise[t, 0], gy + noise[t, 1]
            xy[t, 0], xy[t, 1], loss[t], grad[t, 0], grad[t, 1] = x, y, f, gx, gy
            lr = rates[t]
            step = t + 1
            {x_step}
            {y_step}
{shared}
            x, y = new_x, new_y
        bad = first_unusable(xy, loss, grad, first, end, box)
        if bad >= 0:
            return bad
    return points
"""


_FAST_KERNELS: dict[int, object] = {}
"""The fast kernels written so far, by rule code."""


def fast_kernel(rule: int):
    """The single-run kernel of the first-order rule with this code (same results as
    :func:`batch_kernel` with one run, bit for bit). Compiled on first use, cached on disk.

    ``fast(surface, sp, h, rates, noisy, noise, start, box, xy, loss, grad)`` runs len(xy) - 1
    steps from ``start`` with the hyperparameters ``h`` (N_HYPERPARAMETERS,), step t at rate
    ``rates[t]``, adding ``noise[t]`` to gradient t when ``noisy``, and returns the number of
    points written (the index of the first unusable point, or len(xy)).

    The inner loop, over a block of CHECK_EVERY steps, holds only the surface's evaluation, the
    update and the writes of x_t, its loss and its gradient, all inlined: no call, and no
    branch out of the loop. The divergence check follows each block, over the points just
    written (it reads them back: the loss is the one the step's evaluation gave). The
    loop also takes a step from the last point, which is dropped, and steps past the first
    unusable point until its block ends: a step's arithmetic never raises, so this changes
    nothing but the time.
    """
    code = int(rule)
    if code not in _FAST_KERNELS:
        _FAST_KERNELS[code] = _write_fast_kernel(code)
    return _FAST_KERNELS[code]


def _write_fast_kernel(code: int):
    rule = rules.RULES[code]
    spec = _spec_of(rule)
    if spec.second_order:
        raise ValueError(f"no fast kernel for the second-order rule {rule.__name__}")
    hyper = [name for name in spec.rule_arguments if name in rules.HYPERPARAMETERS]
    own = [name for name in spec.state if name not in spec.shared_state]

    def step(coordinate: str) -> str:
        other = "y" if coordinate == "x" else "x"

        def bind(name):
            if name in ("param", "grad", "param_other", "grad_other"):
                return {"param": coordinate, "grad": f"g{coordinate}", "param_other": other,
                        "grad_other": f"g{other}"}[name]
            if name in own:
                return f"{name}_{coordinate}"
            if name.endswith(OTHER) and name[:-len(OTHER)] in own:
                return f"{name[:-len(OTHER)]}_{other}"
            return name  # lr, step, a hyperparameter, or shared state (one copy)
        # x's new value of a buffer y reads waits in {name}_x_next until y's step is done
        outputs = [f"new_{coordinate}"] + [
            (f"{name}_x_next" if coordinate == "x" and name in spec.other_state
             else f"{name}_{coordinate}") if name in own else
            (f"{name}_next" if coordinate == "x" else "_") for name in spec.state]
        return f"{', '.join(outputs)} = {_rule_call(rule, bind)}"

    source = _FAST_KERNEL.format(
        name=f"simulate_{rule.__name__}",
        hyperparameters="\n".join(f"    {name} = h[{rules.HYPERPARAMETERS[name]}]"
                                  for name in hyper) or "    pass",
        state="\n".join(f"    {name}_x = {name}_y = 0.0" for name in own)
        + "".join(f"\n    {name} = 0.0" for name in spec.shared_state),
        x_step=step("x"), y_step=step("y"),
        shared="\n".join([f"            {name} = {name}_next" for name in spec.shared_state]
                          + [f"            {name}_x = {name}_x_next"
                             for name in spec.other_state]),
    )
    namespace = {**_RULES_NAMESPACE, "surface_of": kinds.built_in,
                 "first_unusable": first_unusable, "CHECK_EVERY": CHECK_EVERY}
    return generate(f"simulate_{rule.__name__}", source, namespace)


def entry_points() -> list:
    """Every kernel Python calls, compiled so far or not: the batch kernel, the fast kernels
    written so far, the surfaces' evaluation and the basins' labelling."""
    return [batch_kernel, *_FAST_KERNELS.values(), kinds.evaluate_built_in_on,
            kinds.evaluate_on, nearest_minimum, lbfgs_kernel]


# --- basins -------------------------------------------------------------------------------------


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


# --- L-BFGS: its own kernel ---------------------------------------------------------------------
#
# torch's LBFGS is not a per-coordinate rule: one optimizer.step(closure) runs up to max_iter
# inner iterations, each evaluating f and its gradient at new points (a fixed step, or a strong
# Wolfe line search that tries several), and its direction mixes the coordinates through a
# history of (s, y) pairs. So it runs here, one run at a time, and is handed the closure's
# evaluations directly.

LBFGS_C1 = 1e-4
LBFGS_C2 = 0.9
LBFGS_LINE_TOLERANCE = 1e-9  # torch's _strong_wolfe default: LBFGS.step does not pass its own
LBFGS_MAX_LS = 25


@jit(inline="always")
def _closure(surface, sp, source, gq, x, y, evaluated, count):
    """f and its gradient at (x, y), as the closure computes them, recorded as evaluation
    number count[0] (in ``evaluated`` while there is room)."""
    k = count[0]
    if k < evaluated.shape[0]:
        evaluated[k, 0], evaluated[k, 1] = x, y
    count[0] = k + 1
    if source == FINITE_DIFFERENCE:
        return finite_difference(surface, sp, x, y, gq[0])
    f, gx, gy, _, _, _ = kinds.at(surface, x, y, sp)
    return f, gx, gy


@jit(inline="always")
def _cubic_interpolate(x1, f1, g1, x2, f2, g2, lo, hi):
    """The minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to [lo, hi];
    their midpoint when the cubic has none (torch's _cubic_interpolate)."""
    d1 = g1 + g2 - 3.0 * (f1 - f2) / (x1 - x2)
    d2_square = d1 * d1 - g1 * g2
    if d2_square >= 0.0:
        d2 = np.sqrt(d2_square)
        if x1 <= x2:
            min_pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2.0 * d2))
        else:
            min_pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2.0 * d2))
        return min(max(min_pos, lo), hi)
    return (lo + hi) / 2.0


@jit(no_cpython_wrapper=True)
def _strong_wolfe(surface, sp, source, gq, x, y, t, dx, dy, f, gx, gy, gtd, evaluated, count,
                  bracket):
    """torch's _strong_wolfe along d from (x, y): bracket a step satisfying the strong Wolfe
    conditions (c1 = 1e-4, c2 = 0.9), then zoom by cubic interpolation; at most 25 further
    evaluations. Returns (f, gx, gy, t, evaluations) of the step it settles on. ``bracket``
    (5, 2) is scratch: the bracket's two steps, losses, gradients and slopes along d."""
    d_norm = max(abs(dx), abs(dy))
    f_new, gx_new, gy_new = _closure(surface, sp, source, gq, x + t * dx, y + t * dy,
                                     evaluated, count)
    evals = 1
    gtd_new = gx_new * dx + gy_new * dy
    t_prev, f_prev, gx_prev, gy_prev, gtd_prev = 0.0, f, gx, gy, gtd
    done = False
    ls_iter = 0
    b_t, b_f, b_gx, b_gy, b_gtd = bracket[0], bracket[1], bracket[2], bracket[3], bracket[4]
    single = False
    while ls_iter < LBFGS_MAX_LS:
        if f_new > f + LBFGS_C1 * t * gtd or (ls_iter > 1 and f_new >= f_prev):
            b_t[0], b_t[1], b_f[0], b_f[1] = t_prev, t, f_prev, f_new
            b_gx[0], b_gy[0], b_gx[1], b_gy[1] = gx_prev, gy_prev, gx_new, gy_new
            b_gtd[0], b_gtd[1] = gtd_prev, gtd_new
            break
        if abs(gtd_new) <= -LBFGS_C2 * gtd:
            b_t[0], b_f[0], b_gx[0], b_gy[0] = t, f_new, gx_new, gy_new
            single = True
            done = True
            break
        if gtd_new >= 0.0:
            b_t[0], b_t[1], b_f[0], b_f[1] = t_prev, t, f_prev, f_new
            b_gx[0], b_gy[0], b_gx[1], b_gy[1] = gx_prev, gy_prev, gx_new, gy_new
            b_gtd[0], b_gtd[1] = gtd_prev, gtd_new
            break
        min_step = t + 0.01 * (t - t_prev)
        max_step = t * 10.0
        tmp = t
        t = _cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, min_step, max_step)
        t_prev, f_prev, gx_prev, gy_prev, gtd_prev = tmp, f_new, gx_new, gy_new, gtd_new
        f_new, gx_new, gy_new = _closure(surface, sp, source, gq, x + t * dx, y + t * dy,
                                         evaluated, count)
        evals += 1
        gtd_new = gx_new * dx + gy_new * dy
        ls_iter += 1
    if ls_iter == LBFGS_MAX_LS:
        b_t[0], b_t[1], b_f[0], b_f[1] = 0.0, t, f, f_new
        b_gx[0], b_gy[0], b_gx[1], b_gy[1] = gx, gy, gx_new, gy_new
        single = False
    last = 0 if single else 1
    low, high = (0, 1) if b_f[0] <= b_f[last] else (1, 0)
    insufficient = False
    while not done and ls_iter < LBFGS_MAX_LS:
        if abs(b_t[1] - b_t[0]) * d_norm < LBFGS_LINE_TOLERANCE:
            break
        t = _cubic_interpolate(b_t[0], b_f[0], b_gtd[0], b_t[1], b_f[1], b_gtd[1],
                               min(b_t[0], b_t[1]), max(b_t[0], b_t[1]))
        top, bottom = max(b_t[0], b_t[1]), min(b_t[0], b_t[1])
        eps = 0.1 * (top - bottom)
        if min(top - t, t - bottom) < eps:
            if insufficient or t >= top or t <= bottom:
                t = top - eps if abs(t - top) < abs(t - bottom) else bottom + eps
                insufficient = False
            else:
                insufficient = True
        else:
            insufficient = False
        f_new, gx_new, gy_new = _closure(surface, sp, source, gq, x + t * dx, y + t * dy,
                                         evaluated, count)
        evals += 1
        gtd_new = gx_new * dx + gy_new * dy
        ls_iter += 1
        if f_new > f + LBFGS_C1 * t * gtd or f_new >= b_f[low]:
            b_t[high], b_f[high], b_gx[high], b_gy[high], b_gtd[high] = (
                t, f_new, gx_new, gy_new, gtd_new)
            low, high = (0, 1) if b_f[0] <= b_f[1] else (1, 0)
        else:
            if abs(gtd_new) <= -LBFGS_C2 * gtd:
                done = True
            elif gtd_new * (b_t[high] - b_t[low]) >= 0.0:
                b_t[high], b_f[high], b_gx[high], b_gy[high], b_gtd[high] = (
                    b_t[low], b_f[low], b_gx[low], b_gy[low], b_gtd[low])
            b_t[low], b_f[low], b_gx[low], b_gy[low], b_gtd[low] = (
                t, f_new, gx_new, gy_new, gtd_new)
    return b_f[low], b_gx[low], b_gy[low], b_t[low], evals


MAX_ITER = rules.HYPERPARAMETERS["max_iter"]
MAX_EVAL = rules.HYPERPARAMETERS["max_eval"]
TOLERANCE_GRAD = rules.HYPERPARAMETERS["tolerance_grad"]
TOLERANCE_CHANGE = rules.HYPERPARAMETERS["tolerance_change"]
HISTORY_SIZE = rules.HYPERPARAMETERS["history_size"]
LINE_SEARCH_FN = rules.HYPERPARAMETERS["line_search_fn"]


@jit(nogil=True)
def lbfgs_kernel(
    runs, surface, sp, source, gq, h, varied_slots, varied_values, rate_ab, starts, steps, box,
    target_loss, hc, dirs, stps, ro, al, bracket, count, final_xy, final_loss, reached_at,
    diverged_at, evaluations, kept, xy, loss, grad, lr_used, evaluated,
):
    """Runs ``runs`` (lo, hi) of torch's LBFGS, one optimizer.step(closure) per point, from
    ``starts`` (n, 2), with the hyperparameters ``h`` except that slot ``varied_slots[k]``
    takes ``varied_values[k, run]``; step t's lr is rate_ab[0, t] lr + rate_ab[1, t].

    Each step is torch's: the closure at x_t (the point's loss and gradient), then up to
    max_iter iterations of the two-loop recursion over the last history_size pairs
    (s, y) (s the move, y the change of gradient; a pair is kept only when y.s > 1e-10),
    each moving by t d with t = lr (min(1, 1 / |g|_1) lr on the very first iteration) or the
    step a strong Wolfe line search settles on, until max_iter or max_eval (0: torch's None,
    max_iter * 5 // 4) is reached, the gradient's largest entry is <= tolerance_grad, or the
    move or the change of loss is below tolerance_change. The history and the last direction
    carry over from step to step, as torch keeps them in its state.

    Writes what ``engine.batch_kernel`` writes (the summaries, ``kept`` points) and, per run,
    ``evaluations``: every closure call, the one at the last point included. ``evaluated``
    (k, 2) receives the first k points where run 0 evaluated f. ``hc``, ``dirs``, ``stps``
    (history_size, 2), ``ro``, ``al`` (history_size,), ``bracket`` (5, 2) and ``count`` (1,)
    are the thread's scratch.
    """
    record = xy.shape[0] > 0
    for run in range(runs[0], runs[1]):
        for k in range(h.shape[0]):
            hc[k] = h[k]
        for k in range(varied_slots.shape[0]):
            hc[varied_slots[k]] = varied_values[k, run]
        max_iter = int(hc[MAX_ITER])
        max_eval = int(hc[MAX_EVAL]) if hc[MAX_EVAL] > 0.0 else max_iter * 5 // 4
        tolerance_grad, tolerance_change = hc[TOLERANCE_GRAD], hc[TOLERANCE_CHANGE]
        history = int(hc[HISTORY_SIZE])
        line_search = hc[LINE_SEARCH_FN] != 0.0
        points = evaluated if run == 0 else evaluated[:0]
        count[0] = 0
        x, y = starts[run, 0], starts[run, 1]
        dx = dy = step_t = 0.0
        pgx = pgy = 0.0
        h_diag = 1.0
        num_old = head = 0
        n_total = 0
        kept_at = 0
        first_unusable = first_reached = -1
        final_x, final_y, last_loss = x, y, np.nan
        for pt in range(steps + 1):
            f, gx, gy = _closure(surface, sp, source, gq, x, y, points, count)
            if not _usable(x, y, f, gx, gy, box):
                first_unusable = pt
                break
            final_x, final_y, last_loss = x, y, f
            if first_reached < 0 and f <= target_loss:
                first_reached = pt
            lr = rate_ab[0, pt] * hc[LR] + rate_ab[1, pt]
            at_kept = record and kept_at < kept.shape[0] and kept[kept_at] == pt
            if at_kept:
                xy[run, kept_at, 0], xy[run, kept_at, 1], loss[run, kept_at] = x, y, f
                grad[run, kept_at, 0], grad[run, kept_at, 1] = gx, gy
                lr_used[run, kept_at] = lr
                kept_at += 1
            if pt == steps:
                break
            # one optimizer.step(closure): the closure above was its first evaluation
            if max(abs(gx), abs(gy)) <= tolerance_grad:
                continue
            current_evals = 1
            n_iter = 0
            while n_iter < max_iter:
                n_iter += 1
                n_total += 1
                if n_total == 1:
                    dx, dy = -gx, -gy
                    num_old = head = 0
                    h_diag = 1.0
                else:
                    yx, yy = gx - pgx, gy - pgy
                    sx, sy = dx * step_t, dy * step_t
                    ys = yx * sx + yy * sy
                    if ys > 1e-10:
                        if num_old == history:  # forget the oldest pair
                            head = (head + 1) % history
                            num_old -= 1
                        slot = (head + num_old) % history
                        dirs[slot, 0], dirs[slot, 1] = yx, yy
                        stps[slot, 0], stps[slot, 1] = sx, sy
                        ro[slot] = 1.0 / ys
                        num_old += 1
                        h_diag = ys / (yx * yx + yy * yy)
                    qx, qy = -gx, -gy
                    for i in range(num_old - 1, -1, -1):
                        j = (head + i) % history
                        al[j] = (stps[j, 0] * qx + stps[j, 1] * qy) * ro[j]
                        qx += -al[j] * dirs[j, 0]
                        qy += -al[j] * dirs[j, 1]
                    rx, ry = qx * h_diag, qy * h_diag
                    for i in range(num_old):
                        j = (head + i) % history
                        be_i = (dirs[j, 0] * rx + dirs[j, 1] * ry) * ro[j]
                        rx += (al[j] - be_i) * stps[j, 0]
                        ry += (al[j] - be_i) * stps[j, 1]
                    dx, dy = rx, ry
                pgx, pgy = gx, gy
                prev_loss = f
                step_t = min(1.0, 1.0 / (abs(gx) + abs(gy))) * lr if n_total == 1 else lr
                gtd = gx * dx + gy * dy
                if gtd > -tolerance_change:
                    break
                ls_evals = 0
                optimal = False
                if line_search:
                    f, gx, gy, step_t, ls_evals = _strong_wolfe(
                        surface, sp, source, gq, x, y, step_t, dx, dy, f, gx, gy, gtd, points,
                        count, bracket)
                    x, y = x + step_t * dx, y + step_t * dy
                    optimal = max(abs(gx), abs(gy)) <= tolerance_grad
                else:
                    x, y = x + step_t * dx, y + step_t * dy
                    if n_iter != max_iter:
                        f, gx, gy = _closure(surface, sp, source, gq, x, y, points, count)
                        optimal = max(abs(gx), abs(gy)) <= tolerance_grad
                        ls_evals = 1
                current_evals += ls_evals
                if n_iter == max_iter or current_evals >= max_eval or optimal:
                    break
                if max(abs(dx * step_t), abs(dy * step_t)) <= tolerance_change:
                    break
                if abs(f - prev_loss) < tolerance_change:
                    break
        final_xy[run, 0], final_xy[run, 1], final_loss[run] = final_x, final_y, last_loss
        reached_at[run] = first_reached
        diverged_at[run] = first_unusable
        evaluations[run] = count[0]
