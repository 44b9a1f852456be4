"""The update with its numbers: one step of a run, written in the Learn page's notation.

For a run recorded with its state (``optimizers.simulate(..., record_state=True)``) and a
point index k, :func:`step_numbers` writes step k (from x_k to x_{k+1}, torch's step count
t = k + 1) as LaTeX lines with that step's values: the gradient g_t, each state buffer before
and after, the intermediate quantities of the rule (bias corrections, the denominators), the
step Δ = x_{k+1} - x_k and the new point, plus one plain sentence of what happened.

Every input number comes from the core: the points, gradients, rates and state the run
recorded, the hyperparameters of its config, and (Newton) the surface's exact Hessian. The
intermediate quantities are the rule's own formulas applied to them, and each line ends in
the value the core recorded; ``StepNumbers.formula_point`` is where the lines' arithmetic
lands, which tests compare with the core's x_{k+1}.

Symbols are those of each optimizer's ``latex``, mapped to torch's names by its ``symbols``
(:func:`symbol_legend`): γ = lr, μ = momentum, τ = dampening, λ = weight_decay …
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from optimizers.records import COMMON_SYMBOLS, OptimizerSpec
from optimizers.specs import OPTIMIZERS_BY_NAME

COUPLED_DECAY = ("sgd", "momentum", "nesterov", "adagrad", "adadelta", "rmsprop", "adam",
                 "adamax", "nadam", "radam")
"""Optimizers whose weight decay is added to the gradient (g_t = ∇f + λθ)."""
ADAM_LIKE = ("adam", "adamw", "nadam", "radam", "adamax")


@dataclass(frozen=True)
class StepNumbers:
    """Step k of a run: its rule with the numbers, and what happened in words.

    ``lines``: LaTeX, one equation each; ``legend``: (symbol, torch's name, value) for the
    symbols the lines use; ``delta`` the step the core took, x_{k+1} - x_k; ``plain`` the step
    plain gradient descent at the same rate would take, -lr_k ∇f(x_k); ``formula_point``
    where the lines' arithmetic lands (the core's x_{k+1}, to rounding).
    """

    k: int
    lines: tuple[str, ...]
    legend: tuple[tuple[str, str, str], ...]
    sentence: str
    delta: np.ndarray
    plain: np.ndarray
    formula_point: np.ndarray


# --- formatting ----------------------------------------------------------------------------------


def num(value: float, digits: int = 4) -> str:
    """A number in LaTeX, ``digits`` significant digits, powers of ten as ×10^k."""
    value = float(value) + 0.0  # no "-0"
    if math.isnan(value):
        return r"\text{nan}"
    if math.isinf(value):
        return r"\infty" if value > 0 else r"-\infty"
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa}\times 10^{{{int(exponent)}}}"
    return text


def factor(value: float) -> str:
    """A number to multiply by: in parentheses when negative."""
    return rf"({num(value)})" if value < 0 else num(value)


def vec(values, digits: int = 4) -> str:
    """A per-coordinate quantity (x, y) as a column vector."""
    return r"\begin{pmatrix}" + r" \\ ".join(num(v, digits) for v in values) + r"\end{pmatrix}"


POINT_DIGITS = 7
"""A point's digits: enough to see a small step move it."""


def point(values) -> str:
    """A point (x, y) as a column vector, with ``POINT_DIGITS`` digits."""
    return vec(values, POINT_DIGITS)


def _name(name: str) -> str:
    return r"\texttt{" + name.replace("_", r"\_") + "}"


def symbol_legend(spec: OptimizerSpec) -> list[tuple[str, str]]:
    """(LaTeX symbol, what it stands for) for the optimizer's update rule: its own symbols
    (each a hyperparameter or state buffer, by torch's name), then the common ones."""
    return [(symbol, name) for symbol, name in spec.symbols] + list(COMMON_SYMBOLS)


_GREEK = {r"\gamma": "γ", r"\mu": "μ", r"\tau": "τ", r"\lambda": "λ", r"\eta": "η",
          r"\epsilon": "ε", r"\rho": "ρ", r"\alpha": "α", r"\beta": "β", r"\psi": "ψ",
          r"\theta": "θ", r"\bar g": "ḡ", r"\prod": "∏", r"\le": "≤", r"\max": "max",
          r"\text": ""}


def symbol_text(spec: OptimizerSpec, name: str) -> str:
    """The symbol of a hyperparameter or state buffer as plain text (γ, β_1, s_init), for a
    table that cannot show LaTeX; empty when it has none (a switch)."""
    symbol = spec.symbol(name)
    if symbol is None:
        return ""
    for latex, text in _GREEK.items():
        symbol = symbol.replace(latex, text)
    return symbol.replace("{", "").replace("}", "").replace(" ", "")


def values_latex(numbers: StepNumbers, names) -> str:
    """The legend's entries for ``names`` as one LaTeX line: γ = lr = 0.001, …"""
    return r",\quad ".join(f"{symbol} = {_name(name)} = {value}"
                           for symbol, name, value in numbers.legend if name in names)


def legend_latex(spec: OptimizerSpec) -> str:
    """The symbols of the optimizer's own rule as one LaTeX line: γ = lr, μ = momentum …"""
    return r",\quad ".join(f"{symbol} = {_name(name)}" for symbol, name in spec.symbols)


# --- one step ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Step:
    """What the formulas read: step k's inputs and the state before and after it."""

    spec: OptimizerSpec
    hp: dict[str, float]
    k: int
    theta: np.ndarray
    new: np.ndarray
    grad: np.ndarray  # as the source reported it (∇f, or its noisy estimate)
    lr: float
    before: dict[str, np.ndarray]
    after: dict[str, np.ndarray]
    hessian: np.ndarray | None
    rates: np.ndarray | None  # the effective step size per coordinate (``effective_rates``)
    source: str = "analytic"  # the gradient source: anything else estimates ∇f
    grad_next: np.ndarray | None = None  # the gradient at the new point (L-BFGS's secant)

    @property
    def nabla(self) -> str:
        """The gradient at θ_{t-1} as the run saw it: ∇f, or (a noisy, mini-batch or
        finite-difference source) its estimate, marked with a tilde."""
        symbol = r"\nabla f" if self.source == "analytic" else r"\widetilde{\nabla f}"
        return rf"{symbol}(\theta_{{{self.k}}})"

    @property
    def t(self) -> int:
        return self.k + 1

    def g(self) -> np.ndarray:
        """g_t: the gradient, with coupled weight decay added."""
        decay = self.hp.get("weight_decay", 0.0)
        if self.spec.name in COUPLED_DECAY and decay != 0.0:
            return self.grad + decay * self.theta
        return self.grad

    def gradient_line(self) -> str:
        decay = self.hp.get("weight_decay", 0.0)
        if self.spec.name in COUPLED_DECAY and decay != 0.0:
            return (rf"g_{{{self.t}}} = {self.nabla} + \lambda\theta_{{{self.k}}}"
                    rf" = {vec(self.grad)} + {factor(decay)}\,{point(self.theta)}"
                    rf" = {vec(self.g())}")
        return rf"g_{{{self.t}}} = {self.nabla} = {vec(self.grad)}"

    def update_line(self, middle: str) -> str:
        """θ_t = ``middle`` = the new point the core recorded."""
        return rf"\theta_{{{self.t}}} = {middle} = {point(self.new)}"


def _ema(symbol: str, t: int, decay_symbol: str, decay: float, old, new_term: str, new,
         result) -> str:
    """symbol_t = β symbol_{t-1} + (1-β) term = β old + (1-β) new = result."""
    return (rf"{symbol}_{{{t}}} = {decay_symbol}\,{symbol}_{{{t - 1}}} + (1-{decay_symbol})\,"
            rf"{new_term} = {num(decay)}\,{vec(old)} + {num(1 - decay)}\,{vec(new)}"
            rf" = {vec(result)}")


def _sgd(s: _Step) -> tuple[list[str], np.ndarray]:
    mu, tau, nesterov = s.hp["momentum"], s.hp["dampening"], s.hp["nesterov"]
    g, t, lr = s.g(), s.t, s.lr
    lines = [s.gradient_line()]
    direction = g
    if mu != 0.0:
        b = s.after["momentum_buffer"]
        if t == 1:
            lines.append(rf"b_1 = g_1 = {vec(b)}\quad(\text{{the buffer starts at the first "
                         rf"gradient}})")
        else:
            lines.append(rf"b_{{{t}}} = \mu b_{{{t - 1}}} + (1-\tau) g_{{{t}}} = {num(mu)}\,"
                         rf"{vec(s.before['momentum_buffer'])} + {num(1 - tau)}\,{vec(g)}"
                         rf" = {vec(b)}")
        if nesterov:
            direction = g + mu * b
            lines.append(rf"g_{{{t}}} + \mu b_{{{t}}} = {vec(direction)}")
        else:
            direction = b
    landed = s.theta - lr * direction
    symbol = (rf"(g_{{{t}}} + \mu b_{{{t}}})" if nesterov and mu else
              (rf"b_{{{t}}}" if mu else rf"g_{{{t}}}"))
    lines.append(s.update_line(
        rf"\theta_{{{s.k}}} - \gamma\,{symbol} = {point(s.theta)} - {num(lr)}\,{vec(direction)}"))
    return lines, landed


def _adagrad(s: _Step) -> tuple[list[str], np.ndarray]:
    g, t, lr = s.g(), s.t, s.lr
    total = s.after["sum"]
    previous = (np.full(2, s.hp["initial_accumulator_value"]) if t == 1
                else s.before["sum"])
    clr = lr / (1.0 + (t - 1) * s.hp["lr_decay"])
    scaled = g / (np.sqrt(total) + s.hp["eps"])
    landed = s.theta - clr * scaled
    return [
        s.gradient_line(),
        rf"s_{{{t}}} = s_{{{t - 1}}} + g_{{{t}}}^2 = {vec(previous)} + {vec(g * g)}"
        rf" = {vec(total)}",
        rf"\frac{{\gamma}}{{1 + (t-1)\eta}} = \frac{{{num(lr)}}}{{1 + {t - 1}\cdot "
        rf"{num(s.hp['lr_decay'])}}} = {num(clr)},\quad "
        rf"\frac{{g_{{{t}}}}}{{\sqrt{{s_{{{t}}}}} + \epsilon}} = {vec(scaled)}",
        s.update_line(rf"{point(s.theta)} - {num(clr)}\,{vec(scaled)}"),
    ], landed


def _adadelta(s: _Step) -> tuple[list[str], np.ndarray]:
    g, t, rho, eps = s.g(), s.t, s.hp["rho"], s.hp["eps"]
    v, u_old, u = s.after["square_avg"], s.before["acc_delta"], s.after["acc_delta"]
    delta = np.sqrt(u_old + eps) / np.sqrt(v + eps) * g
    landed = s.theta - s.lr * delta
    return [
        s.gradient_line(),
        _ema("v", t, r"\rho", rho, s.before["square_avg"], rf"g_{{{t}}}^2", g * g, v),
        rf"\Delta_{{{t}}} = \frac{{\sqrt{{u_{{{t - 1}}} + \epsilon}}}}"
        rf"{{\sqrt{{v_{{{t}}} + \epsilon}}}}\, g_{{{t}}} = {vec(delta)}",
        _ema("u", t, r"\rho", rho, u_old, rf"\Delta_{{{t}}}^2", delta * delta, u),
        s.update_line(rf"\theta_{{{s.k}}} - \gamma\Delta_{{{t}}} = {point(s.theta)} - "
                      rf"{num(s.lr)}\,{vec(delta)}"),
    ], landed


def _rmsprop(s: _Step) -> tuple[list[str], np.ndarray]:
    g, t, alpha, eps, mu = s.g(), s.t, s.hp["alpha"], s.hp["eps"], s.hp["momentum"]
    v = s.after["square_avg"]
    lines = [s.gradient_line(),
             _ema("v", t, r"\alpha", alpha, s.before["square_avg"], rf"g_{{{t}}}^2", g * g, v)]
    if s.hp["centered"]:
        mean = s.after["grad_avg"]
        lines.append(_ema(r"\bar g", t, r"\alpha", alpha, s.before["grad_avg"], rf"g_{{{t}}}",
                          g, mean))
        centered = v - mean * mean
        lines.append(rf"\tilde v_{{{t}}} = v_{{{t}}} - \bar g_{{{t}}}^2 = {vec(centered)}")
    else:
        centered = v
    scaled = g / (np.sqrt(centered) + eps)
    name = r"\tilde v" if s.hp["centered"] else "v"
    lines.append(rf"\frac{{g_{{{t}}}}}{{\sqrt{{{name}_{{{t}}}}} + \epsilon}} = {vec(scaled)}")
    if mu > 0.0:
        b = s.after["momentum_buffer"]
        lines.append(rf"b_{{{t}}} = \mu b_{{{t - 1}}} + \frac{{g_{{{t}}}}}{{\sqrt{{{name}_{{{t}}}}}"
                     rf" + \epsilon}} = {num(mu)}\,{vec(s.before['momentum_buffer'])} + "
                     rf"{vec(scaled)} = {vec(b)}")
        landed = s.theta - s.lr * b
        lines.append(s.update_line(rf"\theta_{{{s.k}}} - \gamma b_{{{t}}} = {point(s.theta)} - "
                                   rf"{num(s.lr)}\,{vec(b)}"))
    else:
        landed = s.theta - s.lr * scaled
        lines.append(s.update_line(rf"{point(s.theta)} - {num(s.lr)}\,{vec(scaled)}"))
    return lines, landed


def _moments(s: _Step, g: np.ndarray, second: bool = True) -> list[str]:
    t = s.t
    lines = [_ema("m", t, r"\beta_1", s.hp["beta1"], s.before["exp_avg"], rf"g_{{{t}}}", g,
                  s.after["exp_avg"])]
    if second:
        lines.append(_ema("v", t, r"\beta_2", s.hp["beta2"], s.before["exp_avg_sq"],
                          rf"g_{{{t}}}^2", g * g, s.after["exp_avg_sq"]))
    return lines


def _adam(s: _Step) -> tuple[list[str], np.ndarray]:
    t, lr, eps = s.t, s.lr, s.hp["eps"]
    lines = []
    theta = s.theta
    if s.spec.name == "adamw":
        theta = s.theta * (1.0 - lr * s.hp["weight_decay"])
        lines.append(rf"\theta_{{{s.k}}} \leftarrow \theta_{{{s.k}}}(1-\gamma\lambda) = "
                     rf"{point(s.theta)} \cdot {num(1.0 - lr * s.hp['weight_decay'], 8)}"
                     rf" = {point(theta)}")
        lines.append(rf"g_{{{t}}} = {s.nabla} = {vec(s.grad)}")
    else:
        lines.append(s.gradient_line())
    g = s.g()
    lines += _moments(s, g)
    b1, b2 = s.after["beta1_power"][0], s.after["beta2_power"][0]
    m_hat = s.after["exp_avg"] / (1.0 - b1)
    second = s.after["exp_avg_sq"]
    if s.hp["amsgrad"]:
        second = s.after["max_exp_avg_sq"]
        lines.append(rf"v^{{\max}}_{{{t}}} = \max(v^{{\max}}_{{{t - 1}}}, v_{{{t}}}) = "
                     rf"{vec(second)}")
    v_hat = second / (1.0 - b2)
    lines.append(rf"1-\beta_1^{{{t}}} = {num(1.0 - b1)},\quad 1-\beta_2^{{{t}}} = "
                 rf"{num(1.0 - b2)},\quad \hat m_{{{t}}} = {vec(m_hat)},\quad "
                 rf"\hat v_{{{t}}} = {vec(v_hat)}")
    scaled = m_hat / (np.sqrt(v_hat) + eps)
    lines.append(rf"\frac{{\hat m_{{{t}}}}}{{\sqrt{{\hat v_{{{t}}}}} + \epsilon}} = "
                 rf"{vec(scaled)}")
    landed = theta - lr * scaled
    lines.append(s.update_line(rf"{point(theta)} - {num(lr)}\,{vec(scaled)}"))
    return lines, landed


def _adamax(s: _Step) -> tuple[list[str], np.ndarray]:
    g, t, lr = s.g(), s.t, s.lr
    lines = [s.gradient_line(), *_moments(s, g, second=False)]
    u = s.after["exp_inf"]
    lines.append(rf"u_{{{t}}} = \max(\beta_2 u_{{{t - 1}}}, |g_{{{t}}}| + \epsilon) = "
                 rf"\max({num(s.hp['beta2'])}\,{vec(s.before['exp_inf'])}, {vec(np.abs(g))} + "
                 rf"{num(s.hp['eps'])}) = {vec(u)}")
    rate = lr / (1.0 - s.after["beta1_power"][0])
    scaled = s.after["exp_avg"] / u
    landed = s.theta - rate * scaled
    lines.append(rf"\frac{{\gamma}}{{1-\beta_1^{{{t}}}}} = {num(rate)},\quad "
                 rf"\frac{{m_{{{t}}}}}{{u_{{{t}}}}} = {vec(scaled)}")
    lines.append(s.update_line(rf"{point(s.theta)} - {num(rate)}\,{vec(scaled)}"))
    return lines, landed


def _nadam(s: _Step) -> tuple[list[str], np.ndarray]:
    g, t, lr, beta1, psi = s.g(), s.t, s.lr, s.hp["beta1"], s.hp["momentum_decay"]
    mu = beta1 * (1.0 - 0.5 * 0.96 ** (t * psi))
    mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * psi))
    product = s.after["mu_product"][0]
    v_hat = s.after["exp_avg_sq"] / (1.0 - s.after["beta2_power"][0])
    denom = np.sqrt(v_hat) + s.hp["eps"]
    now = (1.0 - mu) / (1.0 - product) * g
    ahead = mu_next / (1.0 - product * mu_next) * s.after["exp_avg"]
    landed = s.theta - lr * (now + ahead) / denom
    return [
        s.gradient_line(),
        rf"\mu_{{{t}}} = {num(mu)},\quad \mu_{{{t + 1}}} = {num(mu_next)},\quad "
        rf"\prod_{{i\le {t}}}\mu_i = {num(product)}",
        *_moments(s, g),
        rf"\hat v_{{{t}}} = {vec(v_hat)},\quad \frac{{(1-\mu_t) g_t}}{{1-\prod_{{i\le t}}\mu_i}}"
        rf" = {vec(now)},\quad \frac{{\mu_{{t+1}} m_t}}{{1-\prod_{{i\le t+1}}\mu_i}} = "
        rf"{vec(ahead)}",
        s.update_line(rf"{point(s.theta)} - {num(lr)}\,\left({vec(now + ahead)} \big/ "
                      rf"{vec(denom)}\right)"),
    ], landed


def _radam(s: _Step) -> tuple[list[str], np.ndarray]:
    g, t, lr, beta2 = s.g(), s.t, s.lr, s.hp["beta2"]
    b1, b2 = s.after["beta1_power"][0], s.after["beta2_power"][0]
    m_hat = s.after["exp_avg"] / (1.0 - b1)
    rho_inf = 2.0 / (1.0 - beta2) - 1.0
    rho_t = rho_inf - 2.0 * t * b2 / (1.0 - b2)
    lines = [s.gradient_line(), *_moments(s, g),
             rf"\hat m_{{{t}}} = {vec(m_hat)},\quad \rho_\infty = {num(rho_inf)},\quad "
             rf"\rho_{{{t}}} = {num(rho_t)}"]
    if rho_t > 5.0:
        rect = math.sqrt((rho_t - 4.0) * (rho_t - 2.0) * rho_inf
                         / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t))
        adaptive = math.sqrt(1.0 - b2) / (np.sqrt(s.after["exp_avg_sq"]) + s.hp["eps"])
        scaled = m_hat * adaptive * rect
        lines.append(rf"\rho_{{{t}}} > 5:\ r_{{{t}}} = {num(rect)},\quad "
                     rf"\frac{{\sqrt{{1-\beta_2^{{{t}}}}}}}{{\sqrt{{v_{{{t}}}}}+\epsilon}} = "
                     rf"{vec(adaptive)}")
    else:
        scaled = m_hat
        lines.append(rf"\rho_{{{t}}} \le 5:\ \text{{the plain momentum step }}\hat m_{{{t}}}")
    landed = s.theta - lr * scaled
    lines.append(s.update_line(rf"{point(s.theta)} - {num(lr)}\,{vec(scaled)}"))
    return lines, landed


def _lion(s: _Step) -> tuple[list[str], np.ndarray]:
    t, lr, beta1 = s.t, s.lr, s.hp["beta1"]
    c = beta1 * s.before["exp_avg"] + (1.0 - beta1) * s.grad
    shrink = 1.0 - lr * s.hp["weight_decay"]
    landed = s.theta * shrink - lr * np.sign(c)
    return [
        rf"g_{{{t}}} = {s.nabla} = {vec(s.grad)}",
        rf"c_{{{t}}} = \beta_1 m_{{{t - 1}}} + (1-\beta_1) g_{{{t}}} = {num(beta1)}\,"
        rf"{vec(s.before['exp_avg'])} + {num(1.0 - beta1)}\,{vec(s.grad)} = {vec(c)}",
        s.update_line(rf"\theta_{{{s.k}}}(1-\gamma\lambda) - \gamma\,\mathrm{{sign}}(c_{{{t}}})"
                      rf" = {point(s.theta)}\cdot {num(shrink, 8)} - {num(lr)}\,"
                      rf"{vec(np.sign(c))}"),
        _ema("m", t, r"\beta_2", s.hp["beta2"], s.before["exp_avg"], rf"g_{{{t}}}", s.grad,
             s.after["exp_avg"]),
    ], landed


def _rprop(s: _Step) -> tuple[list[str], np.ndarray]:
    t, g = s.t, s.grad
    agreement = g * s.before["prev"]
    factors = np.where(agreement > 0, s.hp["etaplus"],
                       np.where(agreement < 0, s.hp["etaminus"], 1.0))
    size, kept = s.after["step_size"], s.after["prev"]
    previous = np.full(2, s.lr) if t == 1 else s.before["step_size"]
    landed = s.theta - size * np.sign(kept)
    return [
        rf"g_{{{t}}} = {s.nabla} = {vec(g)},\quad g_{{{t}}}\,g_{{{t - 1}}} = "
        rf"{vec(agreement)}\ \Rightarrow\ \eta_{{{t}}} = {vec(factors)}",
        rf"\Delta_{{{t}}} = \min\big(\max(\eta_{{{t}}} \Delta_{{{t - 1}}}, \Delta_{{\min}}),"
        rf" \Delta_{{\max}}\big) = \min\big(\max({vec(factors * previous)}, "
        rf"{num(s.hp['step_size_min'])}), {num(s.hp['step_size_max'])}\big) = {vec(size)}"
        + (r"\quad(\Delta_0 = \gamma)" if t == 1 else ""),
        rf"g_{{{t}}} \leftarrow 0 \text{{ where the sign flipped: }} {vec(kept)}",
        s.update_line(rf"\theta_{{{s.k}}} - \Delta_{{{t}}}\,\mathrm{{sign}}(g_{{{t}}}) = "
                      rf"{point(s.theta)} - {vec(size * np.sign(kept))}"),
    ], landed


def _asgd(s: _Step) -> tuple[list[str], np.ndarray]:
    t, lambd, decay = s.t, s.hp["lambd"], s.hp["weight_decay"]
    eta = np.full(2, s.lr) if t == 1 else s.before["eta"]
    mu = np.ones(2) if t == 1 else s.before["mu"]
    g = s.grad + decay * s.theta if decay != 0.0 else s.grad
    landed = s.theta * (1.0 - lambd * eta) - eta * g
    gradient = (rf"g_{{{t}}} = {s.nabla} + w\,\theta_{{{s.k}}} = {vec(s.grad)} + "
                rf"{factor(decay)}\,{point(s.theta)} = {vec(g)}" if decay != 0.0
                else rf"g_{{{t}}} = {s.nabla} = {vec(g)}")
    return [
        gradient,
        rf"\eta_{{{t}}} = {num(eta[0])}" + (r"\quad(\eta_1 = \gamma)" if t == 1 else ""),
        s.update_line(rf"\theta_{{{s.k}}}(1 - \lambda\eta_{{{t}}}) - \eta_{{{t}}} g_{{{t}}} = "
                      rf"{point(s.theta)} \cdot {num(1.0 - lambd * eta[0], 8)} - "
                      rf"{num(eta[0])}\,{vec(g)}"),
        rf"\bar\theta_{{{t}}} = \bar\theta_{{{t - 1}}} + \mu_{{{t}}}(\theta_{{{t}}} - "
        rf"\bar\theta_{{{t - 1}}}) = {point(s.after['ax'])},\quad \mu_{{{t}}} = {num(mu[0])}",
        rf"\eta_{{{t + 1}}} = \frac{{\gamma}}{{(1 + \lambda\gamma t)^{{\alpha}}}} = "
        rf"{num(s.after['eta'][0])},\quad \mu_{{{t + 1}}} = \frac{{1}}{{\max(1,\ t - t_0)}}"
        rf" = {num(s.after['mu'][0])}",
    ], landed


def _newton(s: _Step) -> tuple[list[str], np.ndarray]:
    damped = s.hessian + s.hp["damping"] * np.eye(2)
    direction = np.linalg.solve(damped, s.grad) if np.linalg.det(damped) != 0 else (
        np.full(2, np.nan))
    landed = s.theta - s.lr * direction
    matrix = (r"\begin{pmatrix}" + f"{num(damped[0, 0])} & {num(damped[0, 1])}" + r" \\ "
              + f"{num(damped[1, 0])} & {num(damped[1, 1])}" + r"\end{pmatrix}")
    return [
        rf"{s.nabla} = {vec(s.grad)},\quad \nabla^2 f(\theta_{{{s.k}}}) + "
        rf"\lambda I = {matrix}",
        rf"\big(\nabla^2 f + \lambda I\big)^{{-1}}\nabla f = {vec(direction)}",
        s.update_line(rf"{point(s.theta)} - {num(s.lr)}\,{vec(direction)}"),
    ], landed


def _rms(values: np.ndarray) -> float:
    """The root mean square over the two coordinates, as the kernels take it."""
    return float(np.sqrt(values[0] * values[0] + values[1] * values[1]) / 2.0 ** 0.5)


def _lerp(start: np.ndarray, end: np.ndarray, weight: float) -> np.ndarray:
    """start + weight (end - start), in the order torch's CPU ``lerp`` (and the kernels) take."""
    if weight < 0.5:
        return start + weight * (end - start)
    return end - (end - start) * (1.0 - weight)


def _adafactor(s: _Step) -> tuple[list[str], np.ndarray]:
    t, lr, g = s.t, s.lr, s.grad
    tau, d, eps1, eps2 = s.hp["beta2_decay"], s.hp["d"], s.hp["eps1"], s.hp["eps2"]
    decay = s.hp["weight_decay"]
    weight = t ** tau  # 1 - beta2_t: the weight of the new squared gradient
    rho = min(lr, 1.0 / t ** 0.5)
    scale = _rms(s.theta)
    alpha = max(eps2, scale) * rho
    shrink = 1.0 - lr * decay
    variance = s.after["variance"]
    update = (1.0 / np.sqrt(np.maximum(variance, eps1 * eps1))) * g
    update_rms = _rms(update)
    clip = max(1.0, update_rms / d)
    theta = s.theta * shrink if decay != 0.0 else s.theta
    landed = theta + (-alpha / clip) * update
    kept = (rf"\theta_{{{s.k}}}(1-\gamma\lambda)" if decay != 0.0 else rf"\theta_{{{s.k}}}")
    start = (rf"{point(s.theta)}\cdot {num(shrink, 8)}" if decay != 0.0 else point(s.theta))
    return [
        rf"g_{{{t}}} = {s.nabla} = {vec(g)}",
        rf"1-\hat\beta_{{2,{t}}} = t^{{\tau}} = {t}^{{{num(tau)}}} = {num(weight)},\quad "
        rf"\rho_{{{t}}} = \min(\gamma, 1/\sqrt{{t}}) = \min({num(lr)}, "
        rf"{num(1.0 / t ** 0.5)}) = {num(rho)}",
        rf"\alpha_{{{t}}} = \max(\epsilon_2, \mathrm{{RMS}}(\theta_{{{s.k}}}))\,\rho_{{{t}}}"
        rf" = \max({num(eps2)}, {num(scale)})\cdot {num(rho)} = {num(alpha)}",
        rf"V_{{{t}}} = \hat\beta_{{2,{t}}} V_{{{t - 1}}} + (1-\hat\beta_{{2,{t}}})\, "
        rf"g_{{{t}}}^2 = {num(1.0 - weight)}\,{vec(s.before['variance'])} + {num(weight)}\,"
        rf"{vec(g * g)} = {vec(variance)}",
        rf"U_{{{t}}} = \frac{{g_{{{t}}}}}{{\max(\sqrt{{V_{{{t}}}}}, \epsilon_1)}} = "
        rf"{vec(update)},\quad \max(1, \mathrm{{RMS}}(U_{{{t}}})/d) = \max(1, "
        rf"{num(update_rms)}/{num(d)}) = {num(clip)}",
        s.update_line(rf"{kept} - \frac{{\alpha_{{{t}}} U_{{{t}}}}}{{\max(1, "
                      rf"\mathrm{{RMS}}(U_{{{t}}})/d)}} = {start} - {num(alpha / clip)}\,"
                      rf"{vec(update)}"),
    ], landed


def _adamw_schedule_free(s: _Step) -> tuple[list[str], np.ndarray]:
    t, g, y = s.t, s.grad, s.theta
    beta1, beta2, eps = s.hp["beta1"], s.hp["beta2"], s.hp["eps"]
    decay, warmup = s.hp["weight_decay"], s.hp["warmup_steps"]
    rate = s.lr * (t / warmup) if t <= warmup else s.lr
    z_old = y if t == 1 else s.before["z"]
    lr_max, weight_sum = s.after["lr_max"][0], s.after["weight_sum"][0]
    weight = t ** s.hp["r"] * lr_max ** s.hp["weight_lr_power"]
    c = weight / weight_sum if weight_sum != 0.0 else 0.0
    v = s.after["exp_avg_sq"]
    normalised = g / (np.sqrt(v / (1.0 - beta2 ** t)) + eps)
    if decay != 0.0:
        normalised = normalised + decay * y
    landed = _lerp(y, z_old, c) + normalised * (rate * (beta1 * (1.0 - c) - 1.0))
    z = z_old - normalised * rate
    x = _lerp(landed, z, 1.0 - 1.0 / beta1)
    decayed = rf" + \lambda y_{{{s.k}}}" if decay != 0.0 else ""
    return [
        rf"g_{{{t}}} = {s.nabla} = {vec(g)}\quad(\theta = y\text{{, where gradients are "
        rf"taken}})",
        rf"\gamma_{{{t}}} = \gamma\min(1, t/T_w) = {num(rate)},\quad "
        rf"\max_{{i\le {t}}}\gamma_i = {num(lr_max)},\quad c_{{{t}}} = \frac{{t^r\,"
        rf"(\max_{{i\le t}}\gamma_i)^p}}{{\sum_{{j\le t}} j^r (\max_{{i\le j}}\gamma_i)^p}}"
        rf" = \frac{{{num(weight)}}}{{{num(weight_sum)}}} = {num(c)}",
        _ema("v", t, r"\beta_2", beta2, s.before["exp_avg_sq"], rf"g_{{{t}}}^2", g * g, v),
        rf"u_{{{t}}} = \frac{{g_{{{t}}}}}{{\sqrt{{v_{{{t}}}/(1-\beta_2^{{{t}}})}} + \epsilon}}"
        rf"{decayed} = {vec(normalised)}",
        rf"z_{{{t}}} = z_{{{t - 1}}} - \gamma_{{{t}}} u_{{{t}}} = {point(z_old)} - "
        rf"{num(rate)}\,{vec(normalised)} = {point(z)}"
        + (r"\quad(z_0 = \theta_0)" if t == 1 else ""),
        s.update_line(rf"(1-c_{{{t}}})\,y_{{{s.k}}} + c_{{{t}}} z_{{{t - 1}}} + \gamma_{{{t}}}"
                      rf"\big(\beta_1(1-c_{{{t}}}) - 1\big) u_{{{t}}} = {point(_lerp(y, z_old, c))}"
                      rf" + {factor(rate * (beta1 * (1.0 - c) - 1.0))}\,{vec(normalised)}"),
        rf"x_{{{t}}} = y_{{{t}}} + (1 - 1/\beta_1)(z_{{{t}}} - y_{{{t}}}) = {point(x)}"
        rf"\quad(\text{{the average you evaluate}})",
    ], landed


def _lbfgs(s: _Step) -> tuple[list[str], np.ndarray]:
    """One torch step of L-BFGS is a whole inner loop (up to max_iter directions from the
    history of pairs, each with its own move): written with what the core records of it,
    the gradients where it starts and ends, and the pair (s, y) the whole step makes."""
    t, g = s.t, s.grad
    delta = s.new - s.theta
    lines = [
        rf"g_{{{t}}} = {s.nabla} = {vec(g)},\quad \|g_{{{t}}}\|_\infty = "
        rf"{num(np.max(np.abs(g)))}\ (\text{{stops at }}\tau_g = "
        rf"{num(s.hp['tolerance_grad'])})",
        rf"\Delta_{{{t}}} = \sum_{{\text{{inner }} i}} \alpha_i d_i = {vec(delta)}\quad"
        rf"(d_i = -H_i \nabla f,\ \text{{at most }} K = {int(s.hp['max_iter'])}"
        rf"\text{{ inner iterations}})",
        rf"g_{{{t}}}^\top \Delta_{{{t}}} = {num(float(g @ delta))}\quad"
        + (r"(\text{downhill})" if g @ delta < 0 else r"(\text{not downhill})"),
    ]
    if s.grad_next is not None:
        y = s.grad_next - g
        ys, ss = float(y @ delta), float(delta @ delta)
        lines.append(
            rf"s = \Delta_{{{t}}},\quad y = \nabla f(\theta_{{{t}}}) - {s.nabla} = "
            rf"{vec(s.grad_next)} - {vec(g)} = {vec(y)},\quad y^\top s = {num(ys)}"
            + (rf",\quad \frac{{y^\top s}}{{s^\top s}} = {num(ys / ss)}" if ss > 0 else ""))
    landed = s.theta + delta
    lines.append(s.update_line(rf"\theta_{{{s.k}}} + \Delta_{{{t}}} = {point(s.theta)} + "
                               rf"{vec(delta)}"))
    return lines, landed


def _generic(s: _Step) -> tuple[list[str], np.ndarray]:
    """Any optimizer without a written-out form: its rule, then its state with the numbers."""
    lines = [s.spec.latex]
    lines.append(rf"g_{{{s.t}}} = {s.nabla} = {vec(s.grad)}")
    for name in s.spec.state:
        symbol = s.spec.symbol(name) or _name(name)
        lines.append(rf"{symbol} = {vec(s.after[name])}")
    lines.append(rf"\theta_{{{s.t}}} = \theta_{{{s.k}}} + \Delta = {point(s.theta)} + "
                 rf"{vec(s.new - s.theta)} = {point(s.new)}")
    return lines, s.new


WRITERS: dict[str, Callable[[_Step], tuple[list[str], np.ndarray]]] = {
    "sgd": _sgd, "momentum": _sgd, "nesterov": _sgd, "adagrad": _adagrad,
    "adadelta": _adadelta, "rmsprop": _rmsprop, "adam": _adam, "adamw": _adam,
    "adamax": _adamax, "nadam": _nadam, "radam": _radam, "lion": _lion, "rprop": _rprop,
    "asgd": _asgd, "newton": _newton, "adafactor": _adafactor,
    "adamw_schedule_free": _adamw_schedule_free, "lbfgs": _lbfgs,
}
"""The optimizers whose steps are written out term by term; any other gets ``_generic``."""


def effective_rates(path) -> np.ndarray | None:
    """Adaptive methods' step size per coordinate (the factor the gradient, or the momentum,
    is multiplied by) after each step, (n+1, 2) with row 0 NaN; None for a method without one.

    Adam, AdamW, NAdam: lr / (√v̂ + ε) (AMSGrad: v̂ from the largest v); Adamax:
    lr / ((1-β1^t) u); RAdam: lr r_t √(1-β2^t) / (√v + ε) once rectified, else lr; AdaGrad:
    lr / ((1 + (t-1)η)(√s + ε)); RMSprop: lr / (√ṽ + ε); AdaDelta: lr √(u_{t-1}+ε)/√(v_t+ε).
    """
    spec = OPTIMIZERS_BY_NAME.get(path.config["optimizer"])
    state, hp = path.state, _hyperparameters(path)
    if spec is None or state is None:
        return None
    n = path.xy.shape[0]
    lr = np.full((n, 1), np.nan)
    lr[1:, 0] = path.lr[: n - 1]
    t = np.arange(n, dtype=np.float64)[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        if spec.name in ("adam", "adamw", "nadam"):
            second = state["max_exp_avg_sq"] if hp.get("amsgrad") else state["exp_avg_sq"]
            v_hat = second / (1.0 - state["beta2_power"])
            rates = lr / (np.sqrt(v_hat) + hp["eps"])
        elif spec.name == "adamax":
            rates = lr / ((1.0 - state["beta1_power"]) * state["exp_inf"])
        elif spec.name == "radam":
            b2 = state["beta2_power"]
            rho_inf = 2.0 / (1.0 - hp["beta2"]) - 1.0
            rho_t = rho_inf - 2.0 * t * b2 / (1.0 - b2)
            rect = np.sqrt(np.abs((rho_t - 4.0) * (rho_t - 2.0) * rho_inf
                                  / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t)))
            adaptive = lr * rect * np.sqrt(1.0 - b2) / (np.sqrt(state["exp_avg_sq"]) + hp["eps"])
            rates = np.where(rho_t > 5.0, adaptive, lr)
        elif spec.name == "adagrad":
            rates = lr / ((1.0 + (t - 1.0) * hp["lr_decay"]) * (np.sqrt(state["sum"])
                                                                  + hp["eps"]))
        elif spec.name == "rmsprop":
            v = state["square_avg"] - (state["grad_avg"] ** 2 if hp["centered"] else 0.0)
            rates = lr / (np.sqrt(v) + hp["eps"])
        elif spec.name == "adadelta":
            u_before = np.vstack([np.zeros((1, 2)), state["acc_delta"][:-1]])
            rates = lr * np.sqrt(u_before + hp["eps"]) / np.sqrt(state["square_avg"] + hp["eps"])
        else:
            return None
    rates = np.array(rates, dtype=np.float64)
    rates[0] = np.nan
    return rates


def _hyperparameters(path, k: int | None = None) -> dict[str, float]:
    """The run's hyperparameters (at step k: a schedule may cycle its momentum or beta1)."""
    spec = OPTIMIZERS_BY_NAME[path.config["optimizer"]]
    values = {**spec.fixed, **path.config["hyperparameters"]}
    cycled = getattr(path, "momentum_name", "")
    if k is not None and cycled and k < len(path.momentum):
        values[cycled] = float(path.momentum[k])
    return values


def _angle(a: np.ndarray, b: np.ndarray) -> float:
    """The angle between two vectors, in degrees (NaN when one is zero)."""
    norms = float(np.linalg.norm(a) * np.linalg.norm(b))
    if norms == 0.0 or not math.isfinite(norms):
        return math.nan
    return math.degrees(math.acos(max(-1.0, min(1.0, float(np.dot(a, b)) / norms))))


def _why(s: _Step, ratio: float, angle: float) -> str:
    """The reason, in words, for the step's size and direction."""
    name, t = s.spec.name, s.t
    if name == "sgd" and s.hp["momentum"] == 0.0:
        if s.hp["weight_decay"]:
            return "plain gradient descent, with weight decay pulling the landed towards the origin"
        return "plain gradient descent moves exactly lr × the gradient, downhill"
    if name in ("sgd", "momentum", "nesterov", "rmsprop") and s.hp["momentum"] > 0.0:
        if t == 1 and name != "rmsprop":
            return ("the momentum buffer starts at the first gradient, so the first step is a "
                    "plain gradient step" + (" plus Nesterov's look-ahead" if s.hp["nesterov"]
                                             else ""))
        if angle > 90.0:
            return "momentum carries it uphill against the gradient: the run is overshooting"
        turned = ", turning it off the gradient's direction" if angle > 30.0 else ""
        if ratio > 1.05:
            return "momentum carries the last steps' direction" + turned
        if ratio < 0.95:
            return "the velocity still points partly elsewhere, which brakes the step"
        return "momentum keeps the step's length" + turned if turned else (
            "momentum and the gradient agree")
    if name in ADAM_LIKE and t == 1 and name != "radam":
        return (f"{s.spec.title}'s first step has length lr in every coordinate, whatever the "
                "gradient's size (the running means hold one gradient, so m̂/√v̂ = g/|g|)")
    if name == "radam":
        return ("the variance of v is not yet trusted (ρ_t ≤ 5), so RAdam takes a plain "
                "momentum step" if _radam_plain(s) else
                "RAdam's rectified adaptive step: each coordinate scaled by its own √v")
    if name == "rprop":
        return ("Rprop looks only at the gradient's sign: each coordinate's step size grows "
                "while the sign holds and shrinks when it flips")
    if name == "asgd":
        return ("ASGD takes a plain gradient step at its rate η_t, after shrinking the point by "
                "1 − λη_t, and averages the points from step t0 on")
    if name == "lion":
        return "Lion moves every coordinate by exactly lr: only the sign of its momentum counts"
    if name == "newton":
        curvature = np.linalg.eigvalsh(s.hessian + s.hp["damping"] * np.eye(2))
        if curvature.min() <= 0.0:
            return (f"the damped Hessian has a non-positive eigenvalue ({curvature.min():.3g}), "
                    "so the quadratic model has no bottom: Newton heads for its saddle or top")
        return "Newton jumps to the bottom of the local quadratic model"
    if name == "adagrad":
        return ("AdaGrad divides each coordinate by the root of its growing sum of squared "
                "gradients, so its steps only shrink")
    if name in ADAM_LIKE or name in ("rmsprop", "adadelta"):
        return "each coordinate is scaled by its own running size of the gradient"
    if name == "lbfgs":
        return ("one L-BFGS step is a whole inner loop of quasi-Newton moves, each along the "
                "gradient bent by the curvature its history of moves has measured")
    if name == "adafactor":
        return ("Adafactor's step is relative to the point's size, shrinks like 1/sqrt(t), and "
                "is scaled down when its RMS exceeds d")
    if name == "adamw_schedule_free":
        return ("the gradient is taken at y, between the base sequence z and the average x; "
                "averaging does a schedule's work")
    return "the optimizer's rule and its state set this step"


def _radam_plain(s: _Step) -> bool:
    b2 = s.after["beta2_power"][0]
    rho_inf = 2.0 / (1.0 - s.hp["beta2"]) - 1.0
    return rho_inf - 2.0 * s.t * b2 / (1.0 - b2) <= 5.0


def _sentence(s: _Step, delta: np.ndarray, plain: np.ndarray) -> str:
    length, plain_length = float(np.linalg.norm(delta)), float(np.linalg.norm(plain))
    ratio = length / plain_length if plain_length > 0 else math.inf
    angle = _angle(delta, plain)
    words = f"Step {s.k} → {s.k + 1} has length {length:.3g}"
    if math.isfinite(ratio):
        words += (f", {ratio:.3g}× what the gradient alone would give "
                  f"(lr × ‖∇f‖ = {plain_length:.3g})")
    if math.isfinite(angle) and angle >= 1.0:
        words += f", {angle:.0f}° away from steepest descent"
    if s.rates is not None:
        words += f"; effective step size per coordinate ({s.rates[0]:.3g}, {s.rates[1]:.3g})"
    words = f"{words}: {_why(s, ratio, angle)}."
    if s.source != "analytic":
        words += (f" Here g is the {s.source.replace('_', ' ')} source's estimate of ∇f "
                  "(the comparison above uses it too).")
    return words


def step_numbers(path, k: int, hessian: np.ndarray | None = None) -> StepNumbers:
    """Step k of ``path`` (a Trajectory recorded with ``record_state=True``), 0 <= k < steps:
    its update rule with the numbers, and a sentence of what happened. ``hessian`` (2, 2) is
    the surface's exact Hessian at x_k, needed by Newton's method only."""
    if path.state is None:
        raise ValueError("step_numbers needs a run recorded with record_state=True")
    if not 0 <= k < path.steps:
        raise ValueError(f"Invalid step: {k!r} (allowed: 0 <= step < {path.steps})")
    spec = OPTIMIZERS_BY_NAME[path.config["optimizer"]]
    rates = effective_rates(path)
    step = _Step(
        spec=spec, hp=_hyperparameters(path, k), k=k, theta=path.xy[k].copy(),
        new=path.xy[k + 1].copy(), grad=path.grad[k].copy(), lr=float(path.lr[k]),
        before={name: values[k] for name, values in path.state.items()},
        after={name: values[k + 1] for name, values in path.state.items()},
        hessian=None if hessian is None else np.asarray(hessian, dtype=np.float64),
        rates=None if rates is None else rates[k + 1],
        source=path.config["gradient"]["name"], grad_next=path.grad[k + 1].copy(),
    )
    if spec.name == "newton" and step.hessian is None:
        raise ValueError("Newton's step needs the surface's Hessian at the landed")
    lines, landed = WRITERS.get(spec.name, _generic)(step)
    delta = step.new - step.theta
    plain = -step.lr * step.grad
    values = {**step.hp, "lr": step.lr, **{name: step.after[name] for name in spec.state}}
    legend = []
    for symbol, name in spec.symbols:
        value = values.get(name)
        if value is None:
            continue
        shown = num(value) if np.ndim(value) == 0 else vec(value)
        legend.append((symbol, name, shown))
    return StepNumbers(k=k, lines=tuple(lines), legend=tuple(legend),
                       sentence=_sentence(step, delta, plain), delta=delta, plain=plain,
                       formula_point=np.asarray(landed, dtype=np.float64))
