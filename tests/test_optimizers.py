"""Every optimizer takes torch's steps.

The reference below is torch.optim's documented single-tensor algorithm for each optimizer,
written out as plain Python on floats, one coordinate at a time (torch updates each element of
a parameter tensor independently), with the gradients of ``landscapes.get(name).grad``. Lion
follows Chen et al. (2023) and Newton's method solves ``(H + damping I) d = g`` with NumPy.
The engine must reproduce the reference's first steps to 1e-12 relative, for every optimizer,
for a table of hyperparameter settings that switches every option on (amsgrad, centered,
momentum, nesterov, dampening, weight decay, lr_decay, initial_accumulator_value, ...).

The engine keeps ``beta ** step`` as a running product instead of calling ``pow`` (see the
note in ``optimizers.rules``); a long Adam run checks that this stays within 1e-10 of torch.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import landscapes
import optimizers

# torch.optim's defaults for each optimizer, in the lab's names (betas split into beta1, beta2).
# "momentum" and "nesterov" are the lab's presets of torch's SGD; Lion's are Chen et al.'s.
TORCH_DEFAULTS = {
    "sgd": {"lr": 1e-3, "momentum": 0.0, "dampening": 0.0, "nesterov": False,
            "weight_decay": 0.0},
    "momentum": {"lr": 1e-3, "momentum": 0.9, "dampening": 0.0, "nesterov": False,
                 "weight_decay": 0.0},
    "nesterov": {"lr": 1e-3, "momentum": 0.9, "dampening": 0.0, "nesterov": True,
                 "weight_decay": 0.0},
    "adagrad": {"lr": 1e-2, "lr_decay": 0.0, "weight_decay": 0.0,
                "initial_accumulator_value": 0.0, "eps": 1e-10},
    "adadelta": {"lr": 1.0, "rho": 0.9, "eps": 1e-6, "weight_decay": 0.0},
    "rmsprop": {"lr": 1e-2, "alpha": 0.99, "eps": 1e-8, "weight_decay": 0.0, "momentum": 0.0,
                "centered": False},
    "adam": {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.0,
             "amsgrad": False},
    "adamw": {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 1e-2,
              "amsgrad": False},
    "adamax": {"lr": 2e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.0},
    "nadam": {"lr": 2e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.0,
              "momentum_decay": 4e-3},
    "radam": {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.0},
    "lion": {"lr": 1e-4, "beta1": 0.9, "beta2": 0.99, "weight_decay": 0.0},
    "asgd": {"lr": 1e-2, "lambd": 1e-4, "alpha": 0.75, "t0": 1e6, "weight_decay": 0.0},
    "adafactor": {"lr": 1e-2, "beta2_decay": -0.8, "d": 1.0, "eps1": np.finfo(np.float64).eps,
                  "eps2": 1e-3, "weight_decay": 0.0},
    "adamw_schedule_free": {"lr": 2.5e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8,
                            "weight_decay": 0.0, "warmup_steps": 0, "r": 0.0,
                            "weight_lr_power": 2.0},
    # max_eval: torch's None, spelled 0 here (max_iter * 5 // 4); line_search_fn None is off
    "lbfgs": {"lr": 1.0, "max_iter": 20, "max_eval": 0, "tolerance_grad": 1e-7,
              "tolerance_change": 1e-9, "history_size": 100, "line_search_fn": False},
    "rprop": {"lr": 1e-2, "etaminus": 0.5, "etaplus": 1.2, "step_size_min": 1e-6,
              "step_size_max": 50.0},
    "newton": {"lr": 1.0, "damping": 0.0},
}


# --- the reference: torch's update rules on floats --------------------------------------------


def lerp(start, end, weight):
    """torch.lerp: start + weight (end - start)."""
    return start + weight * (end - start)


def torch_sgd(p, g, state, step, lr, hp):
    if hp["weight_decay"] != 0:
        g = g + hp["weight_decay"] * p
    if hp["momentum"] != 0:
        if "momentum_buffer" not in state:  # the buffer starts at the first gradient
            buf = g
        else:
            buf = state["momentum_buffer"] * hp["momentum"] + (1 - hp["dampening"]) * g
        state["momentum_buffer"] = buf
        g = g + hp["momentum"] * buf if hp["nesterov"] else buf
    return p + -lr * g


def torch_adagrad(p, g, state, step, lr, hp):
    if hp["weight_decay"] != 0:
        g = g + hp["weight_decay"] * p
    clr = lr / (1 + (step - 1) * hp["lr_decay"])
    state["sum"] = state.get("sum", hp["initial_accumulator_value"]) + g * g
    std = math.sqrt(state["sum"]) + hp["eps"]
    return p + -clr * g / std


def torch_adadelta(p, g, state, step, lr, hp):
    rho, eps = hp["rho"], hp["eps"]
    if hp["weight_decay"] != 0:
        g = g + hp["weight_decay"] * p
    state["square_avg"] = state.get("square_avg", 0.0) * rho + (1 - rho) * g * g
    std = math.sqrt(state["square_avg"] + eps)
    delta = math.sqrt(state.get("acc_delta", 0.0) + eps) / std * g
    state["acc_delta"] = state.get("acc_delta", 0.0) * rho + (1 - rho) * delta * delta
    return p + -lr * delta


def torch_rmsprop(p, g, state, step, lr, hp):
    alpha = hp["alpha"]
    if hp["weight_decay"] != 0:
        g = g + hp["weight_decay"] * p
    state["square_avg"] = state.get("square_avg", 0.0) * alpha + (1 - alpha) * g * g
    if hp["centered"]:
        state["grad_avg"] = lerp(state.get("grad_avg", 0.0), g, 1 - alpha)
        avg = math.sqrt(state["square_avg"] - state["grad_avg"] * state["grad_avg"])
    else:
        avg = math.sqrt(state["square_avg"])
    avg = avg + hp["eps"]
    if hp["momentum"] > 0:
        state["momentum_buffer"] = state.get("momentum_buffer", 0.0) * hp["momentum"] + g / avg
        return p + -lr * state["momentum_buffer"]
    return p + -lr * g / avg


def torch_adam(p, g, state, step, lr, hp, decoupled_weight_decay=False):
    beta1, beta2 = hp["beta1"], hp["beta2"]
    if decoupled_weight_decay:  # AdamW
        p = p * (1 - lr * hp["weight_decay"])
    elif hp["weight_decay"] != 0:
        g = g + hp["weight_decay"] * p
    state["exp_avg"] = lerp(state.get("exp_avg", 0.0), g, 1 - beta1)
    state["exp_avg_sq"] = state.get("exp_avg_sq", 0.0) * beta2 + (1 - beta2) * g * g
    bias_correction1 = 1 - beta1**step
    bias_correction2 = 1 - beta2**step
    step_size = lr / bias_correction1
    bias_correction2_sqrt = math.sqrt(bias_correction2)
    if hp["amsgrad"]:
        state["max_exp_avg_sq"] = max(state.get("max_exp_avg_sq", 0.0), state["exp_avg_sq"])
        denom = math.sqrt(state["max_exp_avg_sq"]) / bias_correction2_sqrt + hp["eps"]
    else:
        denom = math.sqrt(state["exp_avg_sq"]) / bias_correction2_sqrt + hp["eps"]
    return p + -step_size * state["exp_avg"] / denom


def torch_adamw(p, g, state, step, lr, hp):
    return torch_adam(p, g, state, step, lr, hp, decoupled_weight_decay=True)


def torch_adamax(p, g, state, step, lr, hp):
    beta1, beta2 = hp["beta1"], hp["beta2"]
    if hp["weight_decay"] != 0:
        g = g + hp["weight_decay"] * p
    state["exp_avg"] = lerp(state.get("exp_avg", 0.0), g, 1 - beta1)
    state["exp_inf"] = max(state.get("exp_inf", 0.0) * beta2, abs(g) + hp["eps"])
    clr = lr / (1 - beta1**step)
    return p + -clr * state["exp_avg"] / state["exp_inf"]


def torch_nadam(p, g, state, step, lr, hp):
    beta1, beta2, momentum_decay = hp["beta1"], hp["beta2"], hp["momentum_decay"]
    bias_correction2 = 1 - beta2**step
    if hp["weight_decay"] != 0:
        g = g + hp["weight_decay"] * p
    mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * momentum_decay))
    mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * momentum_decay))
    state["mu_product"] = state.get("mu_product", 1.0) * mu
    state["exp_avg"] = lerp(state.get("exp_avg", 0.0), g, 1 - beta1)
    state["exp_avg_sq"] = state.get("exp_avg_sq", 0.0) * beta2 + (1 - beta2) * g * g
    denom = math.sqrt(state["exp_avg_sq"] / bias_correction2) + hp["eps"]
    mu_product_next = state["mu_product"] * mu_next
    p = p + (-lr * (1.0 - mu) / (1.0 - state["mu_product"])) * g / denom
    return p + (-lr * mu_next) / (1.0 - mu_product_next) * state["exp_avg"] / denom


def torch_radam(p, g, state, step, lr, hp):
    beta1, beta2 = hp["beta1"], hp["beta2"]
    if hp["weight_decay"] != 0:
        g = g + hp["weight_decay"] * p
    state["exp_avg"] = lerp(state.get("exp_avg", 0.0), g, 1 - beta1)
    state["exp_avg_sq"] = state.get("exp_avg_sq", 0.0) * beta2 + (1 - beta2) * g * g
    bias_correction1 = 1 - beta1**step
    bias_correction2 = 1 - beta2**step
    bias_corrected_exp_avg = state["exp_avg"] / bias_correction1
    rho_inf = 2 / (1 - beta2) - 1
    rho_t = rho_inf - 2 * step * (beta2**step) / bias_correction2
    if rho_t > 5.0:
        rect = math.sqrt(
            (rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)
        )
        adaptive_lr = math.sqrt(bias_correction2) / (math.sqrt(state["exp_avg_sq"]) + hp["eps"])
        return p - bias_corrected_exp_avg * lr * adaptive_lr * rect
    return p - bias_corrected_exp_avg * lr


def torch_lion(p, g, state, step, lr, hp):
    """Chen et al. (2023): c = b1 m + (1-b1) g; p <- p (1 - lr wd) - lr sign(c);
    m <- b2 m + (1-b2) g."""
    beta1, beta2 = hp["beta1"], hp["beta2"]
    m = state.get("exp_avg", 0.0)
    c = beta1 * m + (1 - beta1) * g
    p = p * (1 - lr * hp["weight_decay"]) - lr * float(np.sign(c))
    state["exp_avg"] = beta2 * m + (1 - beta2) * g
    return p


def torch_rprop(p, g, state, step, lr, hp):
    """The step size starts at lr (on the first step only); the factor is etaplus, etaminus or
    1 as g * prev is > 0, < 0 or 0; a gradient whose sign flipped is zeroed (no move, and it
    is what prev keeps)."""
    if "step_size" not in state:
        state["prev"], state["step_size"] = 0.0, lr
    product = g * state["prev"]
    factor = hp["etaplus"] if product > 0 else hp["etaminus"] if product < 0 else 1.0
    state["step_size"] = min(max(state["step_size"] * factor, hp["step_size_min"]),
                             hp["step_size_max"])
    if factor == hp["etaminus"]:
        g = 0.0
    state["prev"] = g
    return p - state["step_size"] * float(np.sign(g))


def torch_asgd(p, g, state, step, lr, hp):
    """The single-tensor ASGD: eta starts at lr, mu at 1; the point shrinks by
    (1 - lambd eta) and steps by -eta g; ax copies the point while mu = 1, else moves mu of
    the way to it; then eta = lr / (1 + lambd lr t)^alpha and mu = 1 / max(1, t - t0)."""
    if "eta" not in state:
        state["eta"], state["mu"], state["ax"] = lr, 1.0, 0.0
    if hp["weight_decay"] != 0:
        g = g + hp["weight_decay"] * p
    p = p * (1 - hp["lambd"] * state["eta"])
    p = p + -state["eta"] * g
    if state["mu"] != 1:
        state["ax"] = state["ax"] + (p - state["ax"]) * state["mu"]
    else:
        state["ax"] = p
    state["eta"] = lr / ((1 + hp["lambd"] * lr * step) ** hp["alpha"])
    state["mu"] = 1 / max(1, step - hp["t0"])
    return p


def torch_adamw_schedule_free(p, g, state, step, lr, hp):
    """schedulefree.AdamWScheduleFree.step in train mode (p is y), k = step - 1: the warm-up
    factor, the running maximum rate, the average's weight c = w / sum of w's; then v, the
    normalised gradient (plus weight_decay y), y <- lerp(y, z, c) + lr (beta1 (1 - c) - 1) u,
    z <- z - lr u. ``x`` is what eval() would put in p: lerp(y, z, 1 - 1 / beta1)."""
    k, beta1, beta2 = step - 1, hp["beta1"], hp["beta2"]
    sched = (k + 1) / hp["warmup_steps"] if k < hp["warmup_steps"] else 1.0
    bias_correction2 = 1 - beta2 ** (k + 1)
    lr = lr * sched
    state["lr_max"] = max(lr, state.get("lr_max", -1.0))
    weight = ((k + 1) ** hp["r"]) * (state["lr_max"] ** hp["weight_lr_power"])
    state["weight_sum"] = state.get("weight_sum", 0.0) + weight
    ckp1 = weight / state["weight_sum"] if state["weight_sum"] != 0 else 0.0
    z = state["z"] if "z" in state else p  # the state starts as a copy of the parameter
    state["exp_avg_sq"] = state.get("exp_avg_sq", 0.0) * beta2 + (1 - beta2) * g * g
    normalised = g / (math.sqrt(state["exp_avg_sq"] / bias_correction2) + hp["eps"])
    if hp["weight_decay"] != 0:
        normalised = normalised + hp["weight_decay"] * p
    y = lerp(p, z, ckp1)
    y = y + normalised * (lr * (beta1 * (1 - ckp1) - 1))
    state["z"] = z - normalised * lr
    state["x"] = lerp(y, state["z"], 1 - 1 / beta1)
    return y


TORCH_RULES = {
    "sgd": torch_sgd,
    "momentum": torch_sgd,
    "nesterov": torch_sgd,
    "adagrad": torch_adagrad,
    "adadelta": torch_adadelta,
    "rmsprop": torch_rmsprop,
    "adam": torch_adam,
    "adamw": torch_adamw,
    "adamax": torch_adamax,
    "nadam": torch_nadam,
    "radam": torch_radam,
    "lion": torch_lion,
    "rprop": torch_rprop,
    "asgd": torch_asgd,
    "adamw_schedule_free": torch_adamw_schedule_free,
}


def torch_adafactor(p, g, state, step, lr, hp):
    """torch's Adafactor on the parameter vector p = [x, y] (1-D: its second moment is not
    factored); eps1 = None means the float64 machine epsilon."""
    eps1 = hp["eps1"]
    rms = math.sqrt((p[0] ** 2 + p[1] ** 2) / 2)
    alpha = max(hp["eps2"], rms) * min(lr, 1 / step ** 0.5)
    if hp["weight_decay"] != 0:
        p = [pi * (1 - lr * hp["weight_decay"]) for pi in p]
    variance = state.setdefault("variance", [0.0, 0.0])
    update = []
    for i in range(2):
        variance[i] = lerp(variance[i], g[i] * g[i], step ** hp["beta2_decay"])
        update.append(g[i] / math.sqrt(max(variance[i], eps1 * eps1)))
    clip = max(1.0, math.sqrt((update[0] ** 2 + update[1] ** 2) / 2) / hp["d"])
    return [p[i] - alpha / clip * update[i] for i in range(2)]


TORCH_VECTOR_RULES = {"adafactor": torch_adafactor}
"""Rules that couple the coordinates, on the whole parameter vector [x, y]."""


def newton_step(surface, p, lr, hp):
    """p - lr (H + damping I)^-1 g."""
    hessian = np.array(surface.hessian(*p)) + hp["damping"] * np.eye(2)
    direction = np.linalg.solve(hessian, np.array(surface.grad(*p)))
    return [p[0] - lr * float(direction[0]), p[1] - lr * float(direction[1])]


def reference_path(surface, optimizer, start, steps, **hyperparameters):
    """The points x_0 .. x_steps of a torch training loop: one optimizer.step() per point."""
    return reference_paths(surface, optimizer, start, steps, **hyperparameters)[0]


def reference_paths(surface, optimizer, start, steps, **hyperparameters):
    """The points x_0 .. x_steps, and those of the optimizer's second sequence (its buffer
    ``OptimizerSpec.averaged`` after each step, the start first; None if it keeps none)."""
    if optimizer == "lbfgs":
        return torch_lbfgs_path(surface, start, steps, **hyperparameters)[0], None
    hp = {**TORCH_DEFAULTS[optimizer], **hyperparameters}
    averaged = optimizers.OPTIMIZERS_BY_NAME[optimizer].averaged
    p = [float(start[0]), float(start[1])]
    state = [{}, {}]  # torch keeps one state per element of the parameter
    path, second = [tuple(p)], [tuple(p)]
    for t in range(steps):
        if optimizer == "newton":
            p = newton_step(surface, p, hp["lr"], hp)
        elif optimizer in TORCH_VECTOR_RULES:
            p = TORCH_VECTOR_RULES[optimizer](p, surface.grad(*p), state[0], t + 1, hp["lr"], hp)
        else:
            g = surface.grad(*p)
            rule = TORCH_RULES[optimizer]
            p = [rule(p[i], g[i], state[i], t + 1, hp["lr"], hp) for i in range(2)]
        path.append(tuple(p))
        if averaged:
            second.append((state[0][averaged], state[1][averaged]))
    return np.array(path), np.array(second) if averaged else None


# --- L-BFGS: torch's LBFGS.step, in plain Python ------------------------------------------------


def _cubic_minimum(x1, f1, g1, x2, f2, g2, bounds=None):
    """torch's _cubic_interpolate: the cubic's minimiser in the bounds, else their middle."""
    lo, hi = bounds if bounds is not None else (min(x1, x2), max(x1, x2))
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1**2 - g1 * g2
    if d2_square < 0:
        return (lo + hi) / 2
    d2 = math.sqrt(d2_square)
    if x1 <= x2:
        m = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else:
        m = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return min(max(m, lo), hi)


def _dot(a, b):
    return a[0] * b[0] + a[1] * b[1]


def torch_strong_wolfe(closure, x, t, d, f, g, gtd, c1=1e-4, c2=0.9, tolerance_change=1e-9,
                       max_ls=25):
    """torch's _strong_wolfe: -> (f, g, t, evaluations)."""
    def at(step):
        return closure([x[0] + step * d[0], x[1] + step * d[1]])

    d_norm = max(abs(d[0]), abs(d[1]))
    f_new, g_new = at(t)
    evals, gtd_new = 1, _dot(g_new, d)
    t_prev, f_prev, g_prev, gtd_prev = 0, f, g, gtd
    done, ls_iter = False, 0
    while ls_iter < max_ls:
        if f_new > f + c1 * t * gtd or (ls_iter > 1 and f_new >= f_prev):
            bracket, bf, bg, bgtd = [t_prev, t], [f_prev, f_new], [g_prev, g_new], [gtd_prev,
                                                                                  gtd_new]
            break
        if abs(gtd_new) <= -c2 * gtd:
            bracket, bf, bg, done = [t], [f_new], [g_new], True
            break
        if gtd_new >= 0:
            bracket, bf, bg, bgtd = [t_prev, t], [f_prev, f_new], [g_prev, g_new], [gtd_prev,
                                                                                  gtd_new]
            break
        tmp = t
        t = _cubic_minimum(t_prev, f_prev, gtd_prev, t, f_new, gtd_new,
                           bounds=(t + 0.01 * (t - t_prev), t * 10))
        t_prev, f_prev, g_prev, gtd_prev = tmp, f_new, g_new, gtd_new
        f_new, g_new = at(t)
        evals, gtd_new, ls_iter = evals + 1, _dot(g_new, d), ls_iter + 1
    if ls_iter == max_ls:
        bracket, bf, bg = [0, t], [f, f_new], [g, g_new]
    insufficient = False
    low, high = (0, 1) if bf[0] <= bf[-1] else (1, 0)
    while not done and ls_iter < max_ls:
        if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:
            break
        t = _cubic_minimum(bracket[0], bf[0], bgtd[0], bracket[1], bf[1], bgtd[1])
        eps = 0.1 * (max(bracket) - min(bracket))
        if min(max(bracket) - t, t - min(bracket)) < eps:
            if insufficient or t >= max(bracket) or t <= min(bracket):
                far = abs(t - max(bracket)) < abs(t - min(bracket))
                t = max(bracket) - eps if far else min(bracket) + eps
                insufficient = False
            else:
                insufficient = True
        else:
            insufficient = False
        f_new, g_new = at(t)
        evals, gtd_new, ls_iter = evals + 1, _dot(g_new, d), ls_iter + 1
        if f_new > f + c1 * t * gtd or f_new >= bf[low]:
            bracket[high], bf[high], bg[high], bgtd[high] = t, f_new, g_new, gtd_new
            low, high = (0, 1) if bf[0] <= bf[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (bracket[high] - bracket[low]) >= 0:
                bracket[high], bf[high], bg[high], bgtd[high] = (bracket[low], bf[low],
                                                                 bg[low], bgtd[low])
            bracket[low], bf[low], bg[low], bgtd[low] = t, f_new, g_new, gtd_new
    return bf[low], bg[low], bracket[low], evals


def torch_lbfgs_path(surface, start, steps, **hyperparameters):
    """The points of a torch loop calling LBFGS.step(closure) once per point, and the points
    where the closure was called (the last point's own evaluation included)."""
    hp = {**TORCH_DEFAULTS["lbfgs"], **hyperparameters}
    max_iter, lr = int(hp["max_iter"]), hp["lr"]
    max_eval = int(hp["max_eval"]) or max_iter * 5 // 4  # 0 stands for torch's None
    evaluated = []

    def closure(p):
        evaluated.append(tuple(p))
        return float(surface.f(*p)), [float(v) for v in surface.grad(*p)]

    x = [float(start[0]), float(start[1])]
    state = {"n_iter": 0}
    path = [tuple(x)]
    for _ in range(steps):
        loss, g = closure(x)
        current_evals = 1
        if max(abs(g[0]), abs(g[1])) <= hp["tolerance_grad"]:
            path.append(tuple(x))
            continue
        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1
            if state["n_iter"] == 1:
                d, old_dirs, old_stps, ro, h_diag = [-g[0], -g[1]], [], [], [], 1
            else:
                d, t = state["d"], state["t"]
                y = [g[0] - state["prev_g"][0], g[1] - state["prev_g"][1]]
                s = [d[0] * t, d[1] * t]
                ys = _dot(y, s)
                if ys > 1e-10:
                    if len(old_dirs) == hp["history_size"]:
                        old_dirs.pop(0), old_stps.pop(0), ro.pop(0)
                    old_dirs.append(y), old_stps.append(s), ro.append(1.0 / ys)
                    h_diag = ys / _dot(y, y)
                q, al = [-g[0], -g[1]], [0.0] * len(old_dirs)
                for i in range(len(old_dirs) - 1, -1, -1):
                    al[i] = _dot(old_stps[i], q) * ro[i]
                    q = [q[0] - al[i] * old_dirs[i][0], q[1] - al[i] * old_dirs[i][1]]
                r = [q[0] * h_diag, q[1] * h_diag]
                for i in range(len(old_dirs)):
                    be_i = _dot(old_dirs[i], r) * ro[i]
                    r = [r[0] + (al[i] - be_i) * old_stps[i][0],
                         r[1] + (al[i] - be_i) * old_stps[i][1]]
                d = r
            state["prev_g"], prev_loss = g, loss
            t = min(1.0, 1.0 / (abs(g[0]) + abs(g[1]))) * lr if state["n_iter"] == 1 else lr
            state["d"], state["t"] = d, t
            gtd = _dot(g, d)
            if gtd > -hp["tolerance_change"]:
                break
            ls_evals, optimal = 0, False
            if hp["line_search_fn"]:
                loss, g, t, ls_evals = torch_strong_wolfe(closure, x, t, d, loss, g, gtd)
                state["t"] = t
                x = [x[0] + t * d[0], x[1] + t * d[1]]
                optimal = max(abs(g[0]), abs(g[1])) <= hp["tolerance_grad"]
            else:
                x = [x[0] + t * d[0], x[1] + t * d[1]]
                if n_iter != max_iter:
                    loss, g = closure(x)
                    optimal, ls_evals = max(abs(g[0]), abs(g[1])) <= hp["tolerance_grad"], 1
            current_evals += ls_evals
            if n_iter == max_iter or current_evals >= max_eval or optimal:
                break
            if max(abs(d[0] * t), abs(d[1] * t)) <= hp["tolerance_change"]:
                break
            if abs(loss - prev_loss) < hp["tolerance_change"]:
                break
        path.append(tuple(x))
    closure(x)  # the last point's loss, as every run records it
    return np.array(path), np.array(evaluated)


# --- the table of optimizers under test ---------------------------------------------------------

# (optimizer, hyperparameters, steps). Three steps unless a rule needs more to show itself:
# RAdam's rectification switches on only once rho_t > 5 (step 6 at the earliest).
CONFIGURATIONS = [
    ("sgd", {}, 3),
    ("sgd", {"lr": 2e-3, "weight_decay": 0.5}, 3),
    ("sgd", {"momentum": 0.9}, 3),
    ("sgd", {"momentum": 0.9, "dampening": 0.5}, 3),
    ("sgd", {"momentum": 0.9, "nesterov": True}, 3),
    ("sgd", {"momentum": 0.5, "nesterov": True, "weight_decay": 0.5}, 3),
    ("momentum", {}, 3),
    ("momentum", {"momentum": 0.5, "weight_decay": 0.5}, 3),
    ("nesterov", {}, 3),
    ("nesterov", {"momentum": 0.99, "lr": 5e-4}, 3),
    ("adagrad", {}, 3),
    ("adagrad", {"lr": 0.1, "lr_decay": 0.5}, 3),
    ("adagrad", {"initial_accumulator_value": 2.0, "weight_decay": 0.5}, 3),
    ("adagrad", {"eps": 1e-1}, 3),
    ("adadelta", {}, 3),
    ("adadelta", {"lr": 0.5, "rho": 0.5, "eps": 1e-3, "weight_decay": 0.5}, 3),
    ("rmsprop", {}, 3),
    ("rmsprop", {"centered": True}, 3),
    ("rmsprop", {"momentum": 0.9}, 3),
    ("rmsprop", {"centered": True, "momentum": 0.5, "alpha": 0.9, "weight_decay": 0.5}, 3),
    ("rmsprop", {"eps": 1.0}, 3),
    ("adam", {}, 3),
    ("adam", {"lr": 0.1}, 3),
    ("adam", {"lr": 0.5, "beta2": 0.5, "amsgrad": True}, 3),
    ("adam", {"lr": 0.1, "beta1": 0.5, "beta2": 0.9, "eps": 1e-1, "weight_decay": 0.5}, 3),
    ("adamw", {}, 3),
    ("adamw", {"lr": 0.5, "beta2": 0.5, "weight_decay": 0.5, "amsgrad": True}, 3),
    ("adamax", {}, 3),
    ("adamax", {"lr": 0.1, "beta1": 0.5, "beta2": 0.5, "eps": 1.0, "weight_decay": 0.5}, 3),
    ("nadam", {}, 3),
    ("nadam", {"lr": 0.1, "momentum_decay": 0.5, "weight_decay": 0.5}, 3),
    ("nadam", {"beta1": 0.5, "beta2": 0.9, "eps": 1e-1}, 3),
    ("radam", {}, 8),
    ("radam", {"lr": 2e-3, "beta2": 0.9, "weight_decay": 0.5}, 8),
    ("radam", {"beta1": 0.5, "eps": 1.0}, 8),
    ("lion", {}, 3),
    ("lion", {"lr": 0.5, "beta1": 0.95, "beta2": 0.5, "weight_decay": 0.5}, 3),
    ("rprop", {}, 8),
    ("rprop", {"lr": 0.5, "etaminus": 0.3, "etaplus": 1.5}, 8),
    ("rprop", {"lr": 0.3, "step_size_min": 0.2, "step_size_max": 0.4}, 8),
    ("asgd", {"lr": 1e-3}, 3),
    ("asgd", {"lr": 1e-3, "lambd": 0.5, "alpha": 2.0, "weight_decay": 0.5}, 4),
    ("adafactor", {}, 4),
    ("adafactor", {"lr": 0.2, "beta2_decay": -0.3, "weight_decay": 0.5}, 4),
    ("adafactor", {"eps2": 2.0, "eps1": 5.0}, 4),
    ("adafactor", {"lr": 0.5, "d": 100.0}, 6),
    ("asgd", {"lr": 1e-3, "t0": 1.0}, 5),
    ("adamw_schedule_free", {}, 4),
    ("adamw_schedule_free", {"lr": 0.1, "warmup_steps": 3, "weight_decay": 0.5,
                             "weight_lr_power": 0.5}, 5),  # the power matters in a warm-up
    ("adamw_schedule_free", {"lr": 0.05, "beta1": 0.5, "beta2": 0.9, "eps": 0.1, "r": 1.5},
     5),
    ("lbfgs", {}, 3),
    ("lbfgs", {"line_search_fn": "strong_wolfe"}, 3),
    ("lbfgs", {"lr": 0.1, "max_iter": 5, "history_size": 2}, 3),
    ("lbfgs", {"line_search_fn": "strong_wolfe", "max_eval": 6, "tolerance_grad": 0.5}, 3),
    ("lbfgs", {"lr": 0.5, "tolerance_change": 1e-2}, 3),
    ("newton", {}, 3),
    ("newton", {"lr": 0.5, "damping": 10.0}, 3),
]

# Surfaces and fixed starts: a curved valley with large gradients, and a bowl (κ = 20 and a
# custom κ, to check that surface parameters reach the kernel).
SURFACES = {
    "rosenbrock": (landscapes.get("rosenbrock"), (-1.5, 2.0)),
    "quadratic": (landscapes.get("quadratic"), (-9.0, 3.0)),
    "quadratic(kappa=3)": (landscapes.get("quadratic", condition_number=3.0), (4.0, -2.5)),
}


def configuration_id(optimizer, hyperparameters, steps):
    settings = ",".join(f"{k}={v}" for k, v in hyperparameters.items())
    return f"{optimizer}({settings})"


def configurations():
    return [
        pytest.param(optimizer, hyper, steps, id=configuration_id(optimizer, hyper, steps))
        for optimizer, hyper, steps in CONFIGURATIONS
    ]


# --- the tests ----------------------------------------------------------------------------------


def test_the_table_covers_every_optimizer():
    assert {optimizer for optimizer, _, _ in CONFIGURATIONS} == set(optimizers.names())
    assert set(TORCH_DEFAULTS) == set(optimizers.names())


@pytest.mark.parametrize("optimizer", optimizers.names())
def test_defaults_are_torchs_defaults(optimizer):
    spec = optimizers.OPTIMIZERS_BY_NAME[optimizer]
    settings = {**spec.defaults, **spec.fixed}
    assert settings == pytest.approx(
        {name: float(value) for name, value in TORCH_DEFAULTS[optimizer].items()}
    )


@pytest.mark.parametrize("surface_name", list(SURFACES))
@pytest.mark.parametrize(("optimizer", "hyperparameters", "steps"), configurations())
def test_first_steps_are_torchs_steps(optimizer, hyperparameters, steps, surface_name):
    surface, start = SURFACES[surface_name]
    path = optimizers.simulate(surface, optimizer, start, steps, **hyperparameters)
    expected, averaged = reference_paths(surface, optimizer, start, steps, **hyperparameters)
    assert path.diverged_at is None
    np.testing.assert_allclose(path.xy, expected, rtol=1e-12, atol=1e-300)
    if averaged is None:
        assert path.averaged_xy is None
    else:
        np.testing.assert_allclose(path.averaged_xy, averaged, rtol=1e-12, atol=1e-300)
    np.testing.assert_array_equal(path.lr, {**TORCH_DEFAULTS[optimizer], **hyperparameters}["lr"])
    # the recorded loss and gradient are the surface's, at the recorded points
    np.testing.assert_array_equal(path.loss, surface.f(path.xy[:, 0], path.xy[:, 1]))
    np.testing.assert_array_equal(path.grad, np.column_stack(surface.grad(path.xy[:, 0],
                                                                          path.xy[:, 1])))


@pytest.mark.parametrize(("optimizer", "hyperparameters", "steps"), configurations())
def test_every_setting_in_the_table_changes_the_first_steps(optimizer, hyperparameters, steps):
    """Otherwise the table could not catch an engine that ignores that setting."""
    for name in hyperparameters:
        without = {k: v for k, v in hyperparameters.items() if k != name}
        changed = any(  # the path, or the second sequence (ASGD's t0 changes only that)
            not np.array_equal(
                np.concatenate([a for a in reference_paths(surface, optimizer, start, steps,
                                                           **settings) if a is not None]),
                np.concatenate([a for a in reference_paths(surface, optimizer, start, steps,
                                                           **without) if a is not None]),
            )
            for surface, start in SURFACES.values()
            for settings in [hyperparameters]
        )
        assert changed, f"{name}={hyperparameters[name]!r} makes no difference"


def test_radam_rows_reach_the_rectified_branch():
    """rho_t > 5 within the steps the table runs (beta2 = 0.999 and 0.9)."""
    for beta2 in (0.999, 0.9):
        rho_inf = 2 / (1 - beta2) - 1
        rho = [rho_inf - 2 * t * beta2**t / (1 - beta2**t) for t in range(1, 9)]
        assert rho[0] < 5 < rho[-1]


def test_running_product_bias_correction_stays_within_1e_10_of_pow_over_100_000_steps():
    """Adam with beta1 = 0.999, beta2 = 0.9999: both corrections matter for the whole run.

    lr is small so the point is still far from the minimum after 100 000 steps, and every
    step's size depends on 1 - beta ** step.
    """
    surface, start, steps = landscapes.get("quadratic"), (-9.0, 3.0), 100_000
    hp = {"lr": 1e-5, "beta1": 0.999, "beta2": 0.9999}
    path = optimizers.simulate(surface, "adam", start, steps, **hp)
    expected = reference_path(surface, "adam", start, steps, **hp)
    assert path.diverged_at is None
    assert np.all(np.abs(path.xy[-1] - path.xy[0]) > 0.5)  # it moved a long way
    np.testing.assert_allclose(path.xy, expected, rtol=1e-10)


# --- behaviour a reader of the spec expects -----------------------------------------------------


def test_sgd_with_a_tiny_learning_rate_barely_moves_in_100_steps():
    surface = landscapes.get("quadratic")
    path = optimizers.simulate(surface, "sgd", surface.start, 100, lr=1e-7)
    assert np.linalg.norm(path.xy[-1] - path.xy[0]) < 1e-3
    assert path.loss[-1] < path.loss[0]
    assert path.loss[-1] > 0.999 * path.loss[0]


def first_step_below(path, level):
    below = np.flatnonzero(path.loss <= level)
    return int(below[0]) if below.size else math.inf


def test_momentum_reaches_the_bowls_minimum_faster_than_sgd_at_the_same_lr():
    surface = landscapes.get("quadratic")
    sgd = optimizers.simulate(surface, "sgd", surface.start, 3000, lr=0.01)
    heavy_ball = optimizers.simulate(surface, "momentum", surface.start, 3000, lr=0.01)
    assert first_step_below(sgd, 1e-6) < math.inf
    assert first_step_below(heavy_ball, 1e-6) < first_step_below(sgd, 1e-6) / 2


@pytest.mark.parametrize("name", ["quadratic", "booth", "matyas"])
def test_newton_solves_a_quadratic_bowl_in_one_step(name):
    surface = landscapes.get(name)
    path = optimizers.simulate(surface, "newton", surface.start, 1, lr=1.0, damping=0.0)
    np.testing.assert_allclose(path.xy[1], surface.minima[0], rtol=0, atol=1e-12)
    assert path.loss[1] == pytest.approx(surface.minimum_value, abs=1e-20)


def test_newton_heads_for_a_saddle_as_readily_as_for_a_minimum():
    path = optimizers.simulate("saddle", "newton", (1.5, -0.7), 1)
    np.testing.assert_array_equal(path.xy[1], [0.0, 0.0])


@pytest.mark.parametrize("optimizer", optimizers.names())
def test_every_optimizer_with_its_defaults_goes_downhill_on_the_booth_bowl(optimizer):
    surface = landscapes.get("booth")
    path = optimizers.simulate(surface, optimizer, surface.start, 200)
    assert not path.diverged
    assert path.loss[-1] < path.loss[0]


def test_lion_moves_every_coordinate_by_exactly_lr():
    path = optimizers.simulate("rosenbrock", "lion", (-1.5, 2.0), 5, lr=0.01)
    np.testing.assert_allclose(np.abs(np.diff(path.xy, axis=0)), 0.01, rtol=1e-12)


def test_rprop_grows_its_step_while_the_sign_holds_and_backs_off_when_it_flips():
    """On the bowl f = (x^2 + 20 y^2) / 2 from (-9, 3) with lr = 1: x moves 1, 1.2, 1.44 ...
    to the right (its gradient keeps its sign); y goes 3, 2, 0.8, -0.64, overshooting on its
    third step, so its fourth step is skipped and its step size halves to 0.72, which the
    fifth step takes back uphill towards 0."""
    path = optimizers.simulate("quadratic", "rprop", (-9.0, 3.0), 5, lr=1.0)
    steps = np.diff(path.xy, axis=0)
    np.testing.assert_allclose(steps[:, 0], [1.0, 1.2, 1.44, 1.728, 2.0736], rtol=1e-14)
    np.testing.assert_allclose(steps[:, 1], [-1.0, -1.2, -1.44, 0.0, 0.72], rtol=1e-14)


def test_adafactors_first_step_is_a_sign_step_scaled_by_the_points_rms():
    """Step 1: V_1 = g^2 (its weight 1^beta2_decay is 1), so U = sign(g), RMS(U) = 1 (no
    clipping), and the step is alpha = max(eps2, RMS(theta_0)) min(lr, 1) per coordinate. From
    (-9, 3): RMS = sqrt(45), so each coordinate moves sqrt(45) lr against its gradient."""
    path = optimizers.simulate("quadratic", "adafactor", (-9.0, 3.0), 1, lr=0.01)
    np.testing.assert_allclose(path.xy[1] - path.xy[0], [0.01 * 45**0.5, -0.01 * 45**0.5],
                               rtol=1e-13)  # the difference of two points near 9 and 3


def test_schedule_free_x_is_the_plain_mean_of_the_z_sequence_with_the_default_weights():
    """r = 0 and a constant rate make every weight lr^2, so c_t = 1/t and x_t is the mean of
    z_1 .. z_t; y_t = (1 - beta1) z_t + beta1 x_t is where the gradient is taken."""
    path = optimizers.simulate("rosenbrock", "adamw_schedule_free", (-1.5, 2.0), 30,
                               record_state=True, lr=0.05)
    z = path.state["z"][1:]
    means = np.cumsum(z, axis=0) / np.arange(1, 31)[:, None]
    np.testing.assert_allclose(path.averaged_xy[1:], means, rtol=1e-12)
    np.testing.assert_allclose(path.xy[1:], 0.1 * z + 0.9 * means, rtol=1e-12)


def test_asgd_averages_the_points_after_t0_and_follows_them_before():
    """Step t uses mu = 1 / max(1, t - 1 - t0), set by the step before (1 on the first): with
    t0 = 3, mu = 1 up to step 5, so ax is the point x_t until then, and afterwards the mean of
    x_5 .. x_t."""
    path = optimizers.simulate("quadratic", "asgd", (-9.0, 3.0), 12, lr=0.02, t0=3)
    np.testing.assert_array_equal(path.averaged_xy[:6], path.xy[:6])
    for t in range(6, 13):
        np.testing.assert_allclose(path.averaged_xy[t], path.xy[5:t + 1].mean(axis=0),
                                   rtol=1e-12)


def test_lbfgs_without_a_line_search_evaluates_f_max_iter_times_a_step():
    """Far from converging (lr = 1e-4 on Rosenbrock), every torch step runs all max_iter = 20
    iterations: the closure at the point, then once after each move but the last (torch does
    not re-evaluate after the last). 3 steps and the last point's own: 3 * 20 + 1."""
    path = optimizers.simulate("rosenbrock", "lbfgs", (-1.5, 2.0), 3, lr=1e-4)
    assert path.evaluations.function == path.evaluations.gradient == 61
    assert path.evaluated_xy.shape == (61, 2)
    np.testing.assert_array_equal(path.evaluated_xy[[0, 20, 40, 60]], path.xy)
    _, evaluated = torch_lbfgs_path(landscapes.get("rosenbrock"), (-1.5, 2.0), 3, lr=1e-4)
    np.testing.assert_allclose(path.evaluated_xy, evaluated, rtol=1e-12)


@pytest.mark.parametrize("kappa", [3.0, 20.0, 1000.0])
def test_lbfgs_with_strong_wolfe_solves_a_quadratic_bowl_in_one_step(kappa):
    """On a quadratic the cubic interpolation of the line search is exact and two conjugate
    directions span the plane: one torch step ends at the minimum, after a handful of
    evaluations, where a first-order method takes one gradient per step."""
    surface = landscapes.get("quadratic", condition_number=kappa)
    path = optimizers.simulate(surface, "lbfgs", (-9.0, 3.0), 1,
                               line_search_fn="strong_wolfe")
    np.testing.assert_allclose(path.xy[1], [0.0, 0.0], atol=1e-6)
    assert 3 <= path.evaluations.function <= 25
    assert path.evaluated_xy.shape[0] == path.evaluations.function


def test_decoupled_weight_decay_shrinks_adamws_point_but_not_adams_gradient():
    """AdamW: p (1 - lr wd) then the Adam step; Adam adds wd p to the gradient instead."""
    start, hp = (-1.5, 2.0), {"lr": 0.1, "weight_decay": 0.5}
    adamw = optimizers.simulate("rosenbrock", "adamw", start, 1, **hp)
    adam_from_shrunk = optimizers.simulate(
        "rosenbrock", "adam", (start[0] * 0.95, start[1] * 0.95), 0
    )
    plain_adam = optimizers.simulate("rosenbrock", "adam", start, 1, lr=0.1)
    # The first Adam step is lr * sign(g) (m_hat / sqrt(v_hat) = g / |g|), whatever g is.
    step = plain_adam.xy[1] - plain_adam.xy[0]
    np.testing.assert_allclose(adamw.xy[1], adam_from_shrunk.xy[0] + step, rtol=1e-9)


# --- how a run ended: on the map, off it, or diverged -------------------------------------------

# (surface: a registry name or a typed formula "f = ...", optimizer, lr, steps, start (None: the
#  surface's), the words optimizers.outcome gives)
OUTCOMES = [
    ("saddle", "sgd", 0.1, 300, None,
     "left the map at step 30 (the loss falls without bound this way)"),
    ("monkey_saddle", "sgd", 0.05, 500, None,
     "left the map at step 41 (the loss falls without bound this way)"),
    ("saddle", "adam", 0.1, 500, None,  # never reaches the escape box, still unbounded
     "left the map at step 20 (the loss falls without bound this way)"),
    ("f = -x^2", "sgd", 0.1, 300, None,
     "left the map at step 3 (the loss falls without bound this way)"),
    ("f = (x-5)^2 + y^2", "sgd", 0.1, 300, (0.0, 1.0),  # to a minimum outside the window
     "left the map at step 5"),
    ("f = exp(-x) + y^2", "sgd", 1.0, 300, (2.0, 1.0),  # falls, but towards a floor
     "left the map at step 13"),
    ("rosenbrock", "sgd", 0.01, 200, None, "diverged at step 4"),
    ("quadratic", "sgd", 0.2, 200, None, "diverged at step 5"),
    ("f = log(x) + y^2", "sgd", 0.1, 300, None, "diverged at step 31"),  # into x <= 0
    ("rosenbrock", "adam", 0.05, 500, None, "ended in the window"),
    ("saddle", "sgd", 0.001, 300, None, "ended in the window"),
    ("goldstein_price", "adam", 0.5, 500, None, "ended in the window"),  # out and back
]


def _surface(name):
    return landscapes.from_formula(name[4:]) if name.startswith("f = ") else landscapes.get(name)


@pytest.mark.parametrize(("surface_name", "optimizer", "lr", "steps", "start", "words"), OUTCOMES,
                         ids=[f"{row[0]}-{row[1]}-{row[2]:g}" for row in OUTCOMES])
def test_outcome_tells_escaping_from_diverging(surface_name, optimizer, lr, steps, start, words):
    surface = _surface(surface_name)
    path = optimizers.simulate(surface, optimizer, start or surface.start, steps, lr=lr)
    result = optimizers.outcome(path, surface)
    assert result.text == words
    assert result.kind in optimizers.OUTCOME_KINDS
    assert result.diverged == words.startswith("diverged")
    assert result.label == ("" if result.kind == "in the window" else words.split(" (")[0])
    if result.kind == "left the map":  # the first point of the last stretch off the map
        (x0, x1), (y0, y1) = surface.bounds
        inside = [x0 <= x <= x1 and y0 <= y <= y1 for x, y in path.xy]
        assert inside[result.step - 1] and not any(inside[result.step:])


def test_outcome_of_a_run_whose_start_is_unusable_is_divergence_at_step_0():
    surface = landscapes.from_formula("log(x)")
    path = optimizers.simulate(surface, "sgd", (-1.0, 0.0), 10)
    assert optimizers.outcome(path, surface) == optimizers.Outcome("diverged", 0)


def test_outcome_reads_a_minibatch_run_by_the_loss_over_all_the_data():
    surface = landscapes.from_data("linear_regression", size=40)
    path = optimizers.simulate(surface, "sgd", surface.start, 50, lr=0.05,
                               gradient={"name": "minibatch", "batch_size": 4})
    assert optimizers.outcome(path, surface).text == "ended in the window"


# --- the state the core records -----------------------------------------------------------------


def reference_state(optimizer, recorded, t, coordinate, hyperparameters):
    """The state torch's rule finds before step t + 1, read from the recorded state after t
    steps: nothing before the first step (torch creates its buffers then); NAdam's
    ``mu_product`` starts at 1 in torch, and the engine's running powers are not torch's."""
    if t == 0:
        return {}
    state = {name: float(values[t, coordinate]) for name, values in recorded.items()
             if name not in ("beta1_power", "beta2_power")}
    hp = {**TORCH_DEFAULTS[optimizer], **hyperparameters}
    if optimizer in ("sgd", "momentum", "nesterov") and hp["momentum"] == 0:
        state.pop("momentum_buffer")  # torch keeps no buffer without momentum
    return state


@pytest.mark.parametrize(("optimizer", "hyperparameters", "steps"), configurations())
def test_the_recorded_state_and_torchs_rule_give_the_next_point(optimizer, hyperparameters,
                                                                 steps):
    """Step t of torch's documented rule, from x_t, g_t and the recorded state after t steps,
    lands on the recorded x_{t+1} and leaves the recorded state after t + 1 steps."""
    surface, start = SURFACES["rosenbrock"]
    path = optimizers.simulate(surface, optimizer, start, steps, record_state=True,
                               **hyperparameters)
    plain = optimizers.simulate(surface, optimizer, start, steps, **hyperparameters)
    np.testing.assert_array_equal(path.xy, plain.xy)  # recording changes nothing
    spec = optimizers.OPTIMIZERS_BY_NAME[optimizer]
    assert set(path.state) == set(spec.state)
    hp = {**TORCH_DEFAULTS[optimizer], **hyperparameters}
    for name, values in path.state.items():
        assert values.shape == (steps + 1, 2), name
        np.testing.assert_array_equal(values[0], 0.0)
    for t in range(steps):
        if optimizer == "newton":
            expected = newton_step(surface, list(path.xy[t]), hp["lr"], hp)
            np.testing.assert_allclose(path.xy[t + 1], expected, rtol=1e-12)  # a solve
            continue
        if optimizer == "lbfgs":  # no per-coordinate state: torch_lbfgs_path checks the steps
            continue
        if optimizer in TORCH_VECTOR_RULES:
            state = {name: [float(v) for v in values[t]] for name, values in path.state.items()
                     } if t > 0 else {}
            new = TORCH_VECTOR_RULES[optimizer](list(path.xy[t]), list(path.grad[t]), state,
                                                t + 1, path.lr[t], hp)
            np.testing.assert_allclose(new, path.xy[t + 1], rtol=1e-15, atol=1e-300)
            for name, value in state.items():
                np.testing.assert_allclose(path.state[name][t + 1], value, rtol=1e-12)
            continue
        for i in range(2):
            state = reference_state(optimizer, path.state, t, i, hyperparameters)
            new = TORCH_RULES[optimizer](path.xy[t, i], path.grad[t, i], state, t + 1,
                                         path.lr[t], hp)
            # equal to a few units of the last place (torch's pow against the running powers,
            # torch's lerp against the reference's)
            assert new == pytest.approx(path.xy[t + 1, i], rel=1e-15, abs=1e-300)
            for name, value in state.items() if t > 0 else ():
                assert path.state[name][t + 1, i] == pytest.approx(value, rel=1e-12), name


def test_the_recorded_running_powers_are_the_powers_of_beta():
    path = optimizers.simulate("rosenbrock", "adam", (-1.5, 2.0), 50, record_state=True,
                               lr=0.01, beta1=0.8, beta2=0.95)
    t = np.arange(51)
    for name, beta in (("beta1_power", 0.8), ("beta2_power", 0.95)):
        np.testing.assert_allclose(path.state[name][1:, 0], beta ** t[1:], rtol=1e-13)
        np.testing.assert_array_equal(path.state[name][:, 0], path.state[name][:, 1])


def test_the_state_of_a_diverged_run_stops_with_its_points():
    path = optimizers.simulate("rosenbrock", "momentum", (-1.5, 2.0), 200, lr=0.01,
                               record_state=True)
    assert path.diverged
    assert path.state["momentum_buffer"].shape == (path.xy.shape[0], 2)
    assert np.isfinite(path.state["momentum_buffer"]).all()


def test_record_state_takes_true_or_false():
    with pytest.raises(ValueError, match=r"Invalid record_state: 'yes' \(allowed: True or "
                                         r"False\)"):
        optimizers.simulate("rosenbrock", "adam", (-1.5, 2.0), 5, record_state="yes")
