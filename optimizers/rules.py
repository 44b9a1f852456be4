"""Every optimizer: its update rule and its spec, side by side, as torch.optim defines them.

A rule is one pure function of one coordinate, exactly as ``torch.optim`` updates each element
of a parameter tensor::

    new_param, *new_state = rule(param, grad, lr, step, *state, *hyperparameters)

with torch's names throughout: ``grad`` is the coordinate's gradient, ``lr`` this step's rate
(after the schedule), ``step`` torch's step count (1 on the first update); the state buffers
are named as torch names them (``exp_avg``, ``momentum_buffer``, ``sum`` …) and start at 0 (a
rule sets them on step 1); the hyperparameters are torch's (``betas`` split into ``beta1``,
``beta2``). The engine calls a rule by the names of its arguments, so a rule takes exactly what
it uses. Newton's method couples the coordinates: its rule also takes the other coordinate's
gradient and the Hessian (``records.OTHER_COORDINATE_INPUTS``, ``SECOND_ORDER_INPUTS``);
Adafactor's step depends on root mean squares over both coordinates, so its rule also reads
the other coordinate and its state buffer, as they were before the step.

torch evaluates ``beta ** step`` with ``pow``, which costs more than the rest of an Adam step.
Here it is a running product kept as state (``beta1_power``, ``beta2_power``). After t steps it
differs from ``pow`` by at most about t rounding errors (relative 1e-11 after 100 000 steps; a
test checks it), far below anything a trajectory can show.

Adding an optimizer: write its rule and its ``OptimizerSpec`` below, add the spec to
``OPTIMIZERS``, and give it rows in the test tables (tests/test_optimizers.py:
``TORCH_DEFAULTS``, ``CONFIGURATIONS`` and a reference rule). The engine's dispatch and the
hyperparameters' packing are derived from the table; docs/ARCHITECTURE.md has the checklist.
"""

from __future__ import annotations

import numpy as np

from landscapes.jit import jit
from landscapes.parameters import Parameter
from optimizers.records import (
    OTHER,
    OTHER_COORDINATE_INPUTS,
    RULE_INPUTS,
    SECOND_ORDER_INPUTS,
    OptimizerSpec,
)

rule = jit(forceinline=True, no_cpython_wrapper=True)
"""The decorator of an update rule: compiled once, then inlined by LLVM into every kernel that
runs it (inlining it in Numba instead would type it again at each of its ~25 call sites)."""


@rule
def lerp(start, end, weight):
    """start + weight (end - start), evaluated as torch's CPU ``lerp`` does."""
    if weight < 0.5:
        return start + weight * (end - start)
    return end - (end - start) * (1.0 - weight)


# --- shared hyperparameters -------------------------------------------------------------------


def _lr(default: float) -> Parameter:
    return Parameter("lr", default, (0.0, 1e3), "learning rate: the size of each step",
                     low_open=True, slider=(1e-5, 10.0), log=True)


_WEIGHT_DECAY = Parameter("weight_decay", 0.0, (0.0, 10.0),
                          "pulls the point towards the origin (L2 penalty)", slider=(0.0, 1.0))
_MOMENTUM = Parameter("momentum", 0.0, (0.0, 1.0),
                      "fraction of the previous step carried into this one", slider=(0.0, 0.999))


def _beta1(default: float = 0.9) -> Parameter:
    return Parameter("beta1", default, (0.0, 1.0),
                     "decay rate of the running mean of gradients (momentum)",
                     high_open=True, slider=(0.0, 0.999))


def _beta2(default: float = 0.999) -> Parameter:
    return Parameter("beta2", default, (0.0, 1.0),
                     "decay rate of the running mean of squared gradients",
                     high_open=True, slider=(0.0, 0.9999))


def _eps(default: float) -> Parameter:
    return Parameter("eps", default, (0.0, 10.0), "added to the denominator so it is never zero",
                     slider=(1e-12, 1.0), log=True)


def _switch(name: str, help_text: str) -> Parameter:
    return Parameter(name, 0.0, (0.0, 1.0), help_text, kind="bool")


_AMSGRAD = _switch("amsgrad", "use the largest second moment seen so far")

SYMBOLS = {
    "lr": r"\gamma", "momentum": r"\mu", "dampening": r"\tau", "weight_decay": r"\lambda",
    "eps": r"\epsilon", "alpha": r"\alpha", "beta1": r"\beta_1", "beta2": r"\beta_2",
    "momentum_buffer": "b_t", "square_avg": "v_t", "exp_avg": "m_t", "exp_avg_sq": "v_t",
    "beta1_power": r"\beta_1^t", "beta2_power": r"\beta_2^t",
}
"""The LaTeX symbol of each hyperparameter or state buffer that several optimizers share."""


def _symbols(*entries: str | tuple[str, str]) -> tuple[tuple[str, str], ...]:
    """An optimizer's ``symbols``, in the order its legend lists them: a shared name stands
    for (``SYMBOLS[name]``, name), a pair (symbol, name) for a symbol of its own."""
    return tuple((SYMBOLS[entry], entry) if isinstance(entry, str) else entry
                 for entry in entries)

# --- SGD, with momentum and Nesterov's variant as presets ---------------------------------------


@rule
def sgd(param, grad, lr, step, momentum_buffer, momentum, dampening, nesterov, weight_decay):
    if weight_decay != 0.0:
        grad = grad + weight_decay * param
    # The buffer starts as the first gradient; with momentum = 0 it is kept but never used.
    buf = grad if step == 1 else momentum * momentum_buffer + (1.0 - dampening) * grad
    direction = (grad + momentum * buf if nesterov != 0.0 else buf) if momentum != 0.0 else grad
    return param - lr * direction, buf


def _sgd_spec(name: str, title: str, momentum: float, nesterov: bool,
              summary: str) -> OptimizerSpec:
    hyper = [_lr(1e-3)]
    if name == "sgd":
        hyper += [
            _MOMENTUM,
            Parameter("dampening", 0.0, (0.0, 1.0), "damps the new gradient's share of momentum"),
            _switch("nesterov", "use Nesterov's look-ahead"),
        ]
    else:
        hyper.append(Parameter("momentum", momentum, (0.0, 1.0),
                               "fraction of the previous step carried into this one",
                               low_open=True, slider=(0.01, 0.999)))
    hyper.append(_WEIGHT_DECAY)
    return OptimizerSpec(
        name=name,
        title=title,
        hyperparameters=tuple(hyper),
        rule=sgd,
        state=("momentum_buffer",),
        fixed={} if name == "sgd" else {"dampening": 0.0, "nesterov": float(nesterov)},
        latex=(
            r"g_t = \nabla f(\theta_{t-1}) + \lambda\theta_{t-1} \\"
            r"b_t = \mu b_{t-1} + (1-\tau) g_t \quad (b_1 = g_1) \\"
            r"\theta_t = \theta_{t-1} - \gamma\,"
            + (r"(g_t + \mu b_t)" if nesterov else (r"b_t" if momentum else r"g_t"))
        ),
        summary=summary,
        when_to_use=(
            "The baseline. Plain SGD shows the raw effect of the learning rate; momentum "
            "is the usual fix for ravines and plateaus."
        ),
        reference="torch.optim.SGD; Polyak (1964); Sutskever et al. (2013) for Nesterov's form",
        symbols=_symbols("lr", "momentum", "dampening", "weight_decay", "momentum_buffer"),
    )


SGD = _sgd_spec(
    "sgd", "Gradient descent (SGD)", 0.0, False,
    "Step straight downhill: the new point is the old one minus the learning rate times "
    "the gradient. With momentum > 0 it keeps a running velocity; nesterov evaluates the "
    "momentum step as a look-ahead.",
)
MOMENTUM = _sgd_spec(
    "momentum", "SGD with momentum", 0.9, False,
    "A heavy ball: each step adds the gradient to a velocity that remembers earlier "
    "steps, so consistent directions speed up and zig-zags cancel out.",
)
NESTEROV = _sgd_spec(
    "nesterov", "Nesterov momentum", 0.9, True,
    "Momentum with a look-ahead: the step uses the gradient plus the momentum it is "
    "about to apply, which brakes earlier when the velocity overshoots.",
)

# --- AdaGrad ------------------------------------------------------------------------------------


@rule
def adagrad(param, grad, lr, step, sum, lr_decay, weight_decay,
            initial_accumulator_value, eps):
    if weight_decay != 0.0:
        grad = grad + weight_decay * param
    clr = lr / (1.0 + (step - 1) * lr_decay)
    total = (initial_accumulator_value if step == 1 else sum) + grad * grad
    return param - clr * (grad / (np.sqrt(total) + eps)), total


ADAGRAD = OptimizerSpec(
    name="adagrad",
    title="AdaGrad",
    hyperparameters=(
        _lr(1e-2),
        Parameter("lr_decay", 0.0, (0.0, 10.0), "the rate shrinks as lr / (1 + (t-1) lr_decay)",
                  slider=(0.0, 0.1)),
        _WEIGHT_DECAY,
        Parameter("initial_accumulator_value", 0.0, (0.0, 1e3),
                  "starting value of the sum of squared gradients", slider=(0.0, 10.0)),
        _eps(1e-10),
    ),
    rule=adagrad,
    state=("sum",),
    latex=(
        r"g_t = \nabla f(\theta_{t-1}) + \lambda\theta_{t-1} \\"
        r"s_t = s_{t-1} + g_t^2 \quad (s_0 = s_\text{init}) \\"
        r"\theta_t = \theta_{t-1}"
        r" - \frac{\gamma}{1 + (t-1)\eta}\,\frac{g_t}{\sqrt{s_t} + \epsilon}"
    ),
    summary=(
        "Divides each coordinate's step by the square root of all its squared gradients so "
        "far. Steep directions get small steps, gentle ones large; but the sum only grows, "
        "so every step shrinks over time and the run can stall."
    ),
    when_to_use="Sparse or badly scaled problems with a short horizon.",
    reference="torch.optim.Adagrad; Duchi, Hazan & Singer (2011)",
    symbols=_symbols("lr", (r"\eta", "lr_decay"), "eps", "weight_decay",
                     (r"s_\text{init}", "initial_accumulator_value"), ("s_t", "sum")),
)

# --- AdaDelta -----------------------------------------------------------------------------------


@rule
def adadelta(param, grad, lr, step, square_avg, acc_delta, rho, eps, weight_decay):
    if weight_decay != 0.0:
        grad = grad + weight_decay * param
    square_avg = square_avg * rho + (1.0 - rho) * grad * grad
    delta = np.sqrt(acc_delta + eps) / np.sqrt(square_avg + eps) * grad
    acc_delta = acc_delta * rho + (1.0 - rho) * delta * delta
    return param - lr * delta, square_avg, acc_delta


ADADELTA = OptimizerSpec(
    name="adadelta",
    title="AdaDelta",
    hyperparameters=(
        _lr(1.0),
        Parameter("rho", 0.9, (0.0, 1.0), "decay rate of both running averages",
                  slider=(0.0, 0.999)),
        _eps(1e-6),
        _WEIGHT_DECAY,
    ),
    rule=adadelta,
    state=("square_avg", "acc_delta"),
    latex=(
        r"g_t = \nabla f(\theta_{t-1}) + \lambda\theta_{t-1} \\"
        r"v_t = \rho v_{t-1} + (1-\rho) g_t^2 \\"
        r"\Delta_t = \frac{\sqrt{u_{t-1} + \epsilon}}{\sqrt{v_t + \epsilon}}\, g_t \\"
        r"u_t = \rho u_{t-1} + (1-\rho)\Delta_t^2 \\"
        r"\theta_t = \theta_{t-1} - \gamma \Delta_t"
    ),
    summary=(
        "Fixes AdaGrad's ever-shrinking steps with a decaying average of squared gradients, "
        "and scales each step by the typical size of recent steps, so the units match and "
        "lr = 1 is a sensible default. It starts very slowly: the first steps are about √ε."
    ),
    when_to_use="When you do not want to tune a learning rate at all.",
    reference="torch.optim.Adadelta; Zeiler (2012)",
    symbols=_symbols("lr", (r"\rho", "rho"), "eps", "weight_decay", "square_avg",
                     ("u_t", "acc_delta")),
)

# --- RMSprop ------------------------------------------------------------------------------------


@rule
def rmsprop(param, grad, lr, step, square_avg, grad_avg, momentum_buffer, alpha, eps,
            weight_decay, momentum, centered):
    if weight_decay != 0.0:
        grad = grad + weight_decay * param
    square_avg = square_avg * alpha + (1.0 - alpha) * grad * grad
    if centered != 0.0:
        grad_avg = lerp(grad_avg, grad, 1.0 - alpha)
        avg = np.sqrt(square_avg - grad_avg * grad_avg) + eps
    else:
        avg = np.sqrt(square_avg) + eps
    if momentum > 0.0:
        momentum_buffer = momentum_buffer * momentum + grad / avg
        return param - lr * momentum_buffer, square_avg, grad_avg, momentum_buffer
    return param - lr * (grad / avg), square_avg, grad_avg, momentum_buffer


RMSPROP = OptimizerSpec(
    name="rmsprop",
    title="RMSprop",
    hyperparameters=(
        _lr(1e-2),
        Parameter("alpha", 0.99, (0.0, 1.0), "decay rate of the squared-gradient average",
                  slider=(0.0, 0.9999)),
        _eps(1e-8),
        _WEIGHT_DECAY,
        _MOMENTUM,
        _switch("centered", "divide by the gradient's variance instead of its raw second moment"),
    ),
    rule=rmsprop,
    state=("square_avg", "grad_avg", "momentum_buffer"),
    latex=(
        r"g_t = \nabla f(\theta_{t-1}) + \lambda\theta_{t-1} \\"
        r"v_t = \alpha v_{t-1} + (1-\alpha) g_t^2 \\"
        r"\tilde v_t = v_t - \bar g_t^2 \text{ if centered, where } "
        r"\bar g_t = \alpha \bar g_{t-1} + (1-\alpha) g_t \\"
        r"b_t = \mu b_{t-1} + \frac{g_t}{\sqrt{\tilde v_t} + \epsilon} \\"
        r"\theta_t = \theta_{t-1} - \gamma b_t"
    ),
    summary=(
        "AdaGrad with a memory that fades: each coordinate's step is divided by the root "
        "mean square of its recent gradients, so steps stay roughly the size of lr in "
        "every direction."
    ),
    when_to_use="A robust default for non-stationary problems; common for recurrent nets.",
    reference="torch.optim.RMSprop; Hinton, Coursera lecture 6e (2012)",
    symbols=_symbols("lr", "alpha", "eps", "weight_decay", "momentum", "square_avg",
                     (r"\bar g_t", "grad_avg"), "momentum_buffer"),
)

# --- Adam and AdamW -----------------------------------------------------------------------------


@rule
def _adam_step(param, grad, lr, step, exp_avg, exp_avg_sq, max_exp_avg_sq, beta1_power,
               beta2_power, beta1, beta2, eps, amsgrad):
    """Adam's update of ``param`` by ``grad`` (after any weight decay)."""
    beta1_power = beta1 if step == 1 else beta1_power * beta1
    beta2_power = beta2 if step == 1 else beta2_power * beta2
    step_size = lr / (1.0 - beta1_power)
    bias_correction2_sqrt = np.sqrt(1.0 - beta2_power)
    exp_avg = lerp(exp_avg, grad, 1.0 - beta1)
    exp_avg_sq = exp_avg_sq * beta2 + (1.0 - beta2) * grad * grad
    if amsgrad != 0.0:
        max_exp_avg_sq = max(max_exp_avg_sq, exp_avg_sq)
        second_moment = max_exp_avg_sq
    else:
        second_moment = exp_avg_sq
    denom = np.sqrt(second_moment) / bias_correction2_sqrt + eps
    return (param - step_size * (exp_avg / denom), exp_avg, exp_avg_sq, max_exp_avg_sq,
            beta1_power, beta2_power)


@rule
def adam(param, grad, lr, step, exp_avg, exp_avg_sq, max_exp_avg_sq, beta1_power, beta2_power,
         beta1, beta2, eps, weight_decay, amsgrad):
    """Coupled (L2) weight decay, then Adam's update."""
    if weight_decay != 0.0:
        grad = grad + weight_decay * param
    return _adam_step(param, grad, lr, step, exp_avg, exp_avg_sq, max_exp_avg_sq, beta1_power,
                      beta2_power, beta1, beta2, eps, amsgrad)


@rule
def adamw(param, grad, lr, step, exp_avg, exp_avg_sq, max_exp_avg_sq, beta1_power, beta2_power,
          beta1, beta2, eps, weight_decay, amsgrad):
    """Decoupled weight decay param (1 - lr weight_decay), then Adam's update."""
    return _adam_step(param * (1.0 - lr * weight_decay), grad, lr, step, exp_avg, exp_avg_sq,
                      max_exp_avg_sq, beta1_power, beta2_power, beta1, beta2, eps, amsgrad)


_ADAM_STATE = ("exp_avg", "exp_avg_sq", "max_exp_avg_sq", "beta1_power", "beta2_power")
_POWERS = ("beta1_power", "beta2_power")
_ADAM_MOMENTS = (
    r"m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t \\"
    r"v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2 \\"
    r"\hat m_t = \frac{m_t}{1-\beta_1^t}, \quad \hat v_t = \frac{v_t}{1-\beta_2^t}"
    r"\quad(\text{amsgrad: } \hat v_t = \frac{v^{\max}_t}{1-\beta_2^t},\ "
    r"v^{\max}_t = \max(v^{\max}_{t-1}, v_t)) \\"
    r"\theta_t = \theta_{t-1} - \gamma\,\frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}"
)
_ADAM_LATEX = r"g_t = \nabla f(\theta_{t-1}) + \lambda\theta_{t-1} \\" + _ADAM_MOMENTS
_ADAM_SYMBOLS = _symbols("lr", "beta1", "beta2", "eps", "weight_decay", "exp_avg", "exp_avg_sq",
                         (r"v^{\max}_t", "max_exp_avg_sq"), "beta1_power", "beta2_power")

ADAM = OptimizerSpec(
    name="adam",
    title="Adam",
    hyperparameters=(_lr(1e-3), _beta1(), _beta2(), _eps(1e-8), _WEIGHT_DECAY, _AMSGRAD),
    rule=adam,
    state=_ADAM_STATE,
    shared_state=_POWERS,
    latex=_ADAM_LATEX,
    symbols=_ADAM_SYMBOLS,
    summary=(
        "Momentum and RMSprop together: a running mean of gradients (β1) divided by the "
        "root of a running mean of squared gradients (β2), both corrected for starting at "
        "zero. Early steps have a size close to lr in every coordinate."
    ),
    when_to_use="The default choice for most deep-learning problems.",
    reference="torch.optim.Adam; Kingma & Ba (2015); Reddi et al. (2018) for AMSGrad",
)

ADAMW = OptimizerSpec(
    name="adamw",
    title="AdamW",
    hyperparameters=(
        _lr(1e-3), _beta1(), _beta2(), _eps(1e-8),
        Parameter("weight_decay", 1e-2, (0.0, 10.0),
                  "shrinks the point towards the origin, apart from the gradient step",
                  slider=(0.0, 1.0)),
        _AMSGRAD,
    ),
    rule=adamw,
    state=_ADAM_STATE,
    shared_state=_POWERS,
    latex=r"\theta_{t-1} \leftarrow \theta_{t-1}(1 - \gamma\lambda) \\" + _ADAM_MOMENTS,
    symbols=_ADAM_SYMBOLS,
    summary=(
        "Adam with decoupled weight decay: the point shrinks towards the origin by a "
        "fixed fraction each step instead of the decay being added to the gradient, "
        "where Adam's scaling would weaken it."
    ),
    when_to_use="Adam with regularisation; the standard for training transformers.",
    reference="torch.optim.AdamW; Loshchilov & Hutter (2019)",
)

# --- Adamax -------------------------------------------------------------------------------------


@rule
def adamax(param, grad, lr, step, exp_avg, exp_inf, beta1_power, beta1, beta2, eps,
           weight_decay):
    if weight_decay != 0.0:
        grad = grad + weight_decay * param
    beta1_power = beta1 if step == 1 else beta1_power * beta1
    exp_avg = lerp(exp_avg, grad, 1.0 - beta1)
    exp_inf = max(exp_inf * beta2, abs(grad) + eps)
    return param - lr / (1.0 - beta1_power) * (exp_avg / exp_inf), exp_avg, exp_inf, beta1_power


ADAMAX = OptimizerSpec(
    name="adamax",
    title="Adamax",
    hyperparameters=(_lr(2e-3), _beta1(), _beta2(), _eps(1e-8), _WEIGHT_DECAY),
    rule=adamax,
    state=("exp_avg", "exp_inf", "beta1_power"),
    shared_state=("beta1_power",),
    latex=(
        r"g_t = \nabla f(\theta_{t-1}) + \lambda\theta_{t-1} \\"
        r"m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t \\"
        r"u_t = \max(\beta_2 u_{t-1}, |g_t| + \epsilon) \\"
        r"\theta_t = \theta_{t-1} - \frac{\gamma}{1-\beta_1^t}\,\frac{m_t}{u_t}"
    ),
    summary=(
        "Adam with the infinity norm: the denominator is a decaying maximum of absolute "
        "gradients instead of a root mean square, which makes it less sensitive to rare "
        "large gradients."
    ),
    when_to_use="Like Adam, where gradients have occasional outliers.",
    reference="torch.optim.Adamax; Kingma & Ba (2015), section 7",
    symbols=_symbols("lr", "beta1", "beta2", "eps", "weight_decay", "exp_avg", ("u_t", "exp_inf"),
                     "beta1_power"),
)

# --- NAdam --------------------------------------------------------------------------------------


@rule
def nadam(param, grad, lr, step, exp_avg, exp_avg_sq, mu_product, beta2_power, beta1, beta2,
          eps, weight_decay, momentum_decay):
    if weight_decay != 0.0:
        grad = grad + weight_decay * param
    # the momentum schedule mu_t = beta1 (1 - 0.96^(t psi) / 2), and its running product
    mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * momentum_decay))
    mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * momentum_decay))
    mu_product = mu if step == 1 else mu_product * mu
    beta2_power = beta2 if step == 1 else beta2_power * beta2
    exp_avg = lerp(exp_avg, grad, 1.0 - beta1)
    exp_avg_sq = exp_avg_sq * beta2 + (1.0 - beta2) * grad * grad
    denom = np.sqrt(exp_avg_sq / (1.0 - beta2_power)) + eps
    param = param + (-lr * (1.0 - mu) / (1.0 - mu_product)) * (grad / denom)
    param = param + (-lr * mu_next / (1.0 - mu_product * mu_next)) * (exp_avg / denom)
    return param, exp_avg, exp_avg_sq, mu_product, beta2_power


NADAM = OptimizerSpec(
    name="nadam",
    title="NAdam",
    hyperparameters=(
        _lr(2e-3), _beta1(), _beta2(), _eps(1e-8), _WEIGHT_DECAY,
        Parameter("momentum_decay", 4e-3, (0.0, 1.0),
                  "how quickly the momentum schedule μ_t warms up", slider=(0.0, 0.1)),
    ),
    rule=nadam,
    state=("exp_avg", "exp_avg_sq", "mu_product", "beta2_power"),
    shared_state=("mu_product", "beta2_power"),
    latex=(
        r"g_t = \nabla f(\theta_{t-1}) + \lambda\theta_{t-1} \\"
        r"\mu_t = \beta_1\,(1 - \tfrac12\, 0.96^{t\psi}) \\"
        r"m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t, \quad "
        r"v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2, \quad \hat v_t = \frac{v_t}{1-\beta_2^t} \\"
        r"\theta_t = \theta_{t-1} - \gamma\left[\frac{(1-\mu_t)\, g_t}{1-\prod_{i\le t}\mu_i}"
        r" + \frac{\mu_{t+1}\, m_t}{1-\prod_{i\le t+1}\mu_i}\right]"
        r"\Big/\left(\sqrt{\hat v_t} + \epsilon\right)"
    ),
    summary=(
        "Adam with Nesterov's look-ahead: the step mixes the current gradient with the "
        "momentum it is about to apply, using a momentum coefficient that warms up "
        "over the first steps."
    ),
    when_to_use="Like Adam, often a little faster early in training.",
    reference="torch.optim.NAdam; Dozat (2016)",
    symbols=_symbols("lr", "beta1", "beta2", "eps", "weight_decay", (r"\psi", "momentum_decay"),
                     "exp_avg", "exp_avg_sq", (r"\prod_{i\le t}\mu_i", "mu_product"),
                     "beta2_power"),
)

# --- RAdam --------------------------------------------------------------------------------------


@rule
def radam(param, grad, lr, step, exp_avg, exp_avg_sq, beta1_power, beta2_power, beta1, beta2,
          eps, weight_decay):
    if weight_decay != 0.0:
        grad = grad + weight_decay * param
    beta1_power = beta1 if step == 1 else beta1_power * beta1
    beta2_power = beta2 if step == 1 else beta2_power * beta2
    bias_correction2 = 1.0 - beta2_power
    exp_avg = lerp(exp_avg, grad, 1.0 - beta1)
    exp_avg_sq = exp_avg_sq * beta2 + (1.0 - beta2) * grad * grad
    corrected_exp_avg = exp_avg / (1.0 - beta1_power)
    # the variance is tractable once rho_t > 5: then the step is rectified by r_t
    rho_inf = 2.0 / (1.0 - beta2) - 1.0
    rho_t = rho_inf - 2.0 * step * beta2_power / bias_correction2
    if rho_t > 5.0:
        rect = np.sqrt((rho_t - 4.0) * (rho_t - 2.0) * rho_inf
                       / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t))
        adaptive_lr = np.sqrt(bias_correction2) / (np.sqrt(exp_avg_sq) + eps)
        param = param - corrected_exp_avg * lr * adaptive_lr * rect
    else:
        param = param - corrected_exp_avg * lr
    return param, exp_avg, exp_avg_sq, beta1_power, beta2_power


RADAM = OptimizerSpec(
    name="radam",
    title="RAdam",
    hyperparameters=(_lr(1e-3), _beta1(), _beta2(), _eps(1e-8), _WEIGHT_DECAY),
    rule=radam,
    state=("exp_avg", "exp_avg_sq", "beta1_power", "beta2_power"),
    shared_state=_POWERS,
    latex=(
        r"g_t = \nabla f(\theta_{t-1}) + \lambda\theta_{t-1} \\"
        r"m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t, \quad \hat m_t = \frac{m_t}{1-\beta_1^t}, "
        r"\quad v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2 \\"
        r"\rho_\infty = \tfrac{2}{1-\beta_2} - 1, \quad "
        r"\rho_t = \rho_\infty - \tfrac{2t\beta_2^t}{1-\beta_2^t}, \quad "
        r"r_t = \sqrt{\tfrac{(\rho_t-4)(\rho_t-2)\rho_\infty}"
        r"{(\rho_\infty-4)(\rho_\infty-2)\rho_t}} \\"
        r"\theta_t = \theta_{t-1} - \gamma\,\hat m_t \cdot "
        r"\begin{cases} r_t\,\frac{\sqrt{1-\beta_2^t}}{\sqrt{v_t}+\epsilon} & \rho_t > 5 \\"
        r" 1 & \text{otherwise}\end{cases}"
    ),
    summary=(
        "Rectified Adam: while too few gradients have been seen for the second moment to "
        "be trusted, it takes plain momentum steps, then switches the adaptive scaling on "
        "gradually (the factor r_t), a built-in warm-up."
    ),
    when_to_use="Adam without hand-tuning a warm-up schedule.",
    reference="torch.optim.RAdam; Liu et al. (2020)",
    symbols=_symbols("lr", "beta1", "beta2", "eps", "weight_decay", "exp_avg", "exp_avg_sq",
                     "beta1_power", "beta2_power"),
)

# --- Lion ---------------------------------------------------------------------------------------


@rule
def lion(param, grad, lr, step, exp_avg, beta1, beta2, weight_decay):
    direction = np.sign(beta1 * exp_avg + (1.0 - beta1) * grad)
    exp_avg = beta2 * exp_avg + (1.0 - beta2) * grad
    return param * (1.0 - lr * weight_decay) - lr * direction, exp_avg


LION = OptimizerSpec(
    name="lion",
    title="Lion",
    hyperparameters=(_lr(1e-4), _beta1(0.9), _beta2(0.99), _WEIGHT_DECAY),
    rule=lion,
    state=("exp_avg",),
    latex=(
        r"c_t = \beta_1 m_{t-1} + (1-\beta_1) g_t \\"
        r"\theta_t = \theta_{t-1}(1 - \gamma\lambda) - \gamma\,\mathrm{sign}(c_t) \\"
        r"m_t = \beta_2 m_{t-1} + (1-\beta_2) g_t"
    ),
    summary=(
        "Only the sign of an interpolated momentum is used, so every coordinate moves by "
        "exactly lr each step. Found by automated program search; needs a smaller lr "
        "than Adam."
    ),
    when_to_use="Memory-light alternative to AdamW for large models.",
    reference="Chen et al., Symbolic Discovery of Optimization Algorithms (2023)",
    symbols=_symbols("lr", "beta1", "beta2", "weight_decay", "exp_avg"),
)

# --- ASGD ---------------------------------------------------------------------------------------


@rule
def asgd(param, grad, lr, step, eta, mu, ax, lambd, alpha, t0, weight_decay):
    """torch's ASGD (its single-tensor form, with a float64 default dtype): a plain gradient
    step at the rate eta after shrinking the point by (1 - lambd eta), and the running
    average ax of the points from step t0 on (before, ax is the point itself). eta starts at
    lr and then follows lr / (1 + lambd lr t)^alpha with this step's lr, for the next step."""
    if step == 1:
        eta, mu = lr, 1.0
    if weight_decay != 0.0:
        grad = grad + weight_decay * param
    param = param * (1.0 - lambd * eta)
    param = param - eta * grad
    ax = param if mu == 1.0 else ax + (param - ax) * mu
    new_eta = lr / (1.0 + lambd * lr * step) ** alpha
    new_mu = 1.0 / max(1.0, step - t0)
    return param, new_eta, new_mu, ax


ASGD = OptimizerSpec(
    name="asgd",
    title="Averaged SGD (ASGD)",
    hyperparameters=(
        _lr(1e-2),
        Parameter("lambd", 1e-4, (0.0, 1e3),
                  "decay term: shrinks the point and slows the rate eta over time",
                  slider=(0.0, 1.0)),
        Parameter("alpha", 0.75, (0.0, 10.0), "power of the rate's decay",
                  slider=(0.0, 2.0)),
        Parameter("t0", 1e6, (0.0, 1e6), "the step after which the points are averaged",
                  slider=(0.0, 1000.0)),
        _WEIGHT_DECAY,
    ),
    rule=asgd,
    state=("eta", "mu", "ax"),
    shared_state=("eta", "mu"),
    averaged="ax",
    averaged_title="the average ax",
    latex=(
        r"g_t = \nabla f(\theta_{t-1}) + w\,\theta_{t-1} \\"
        r"\theta_t = \theta_{t-1}(1 - \lambda\eta_t) - \eta_t g_t"
        r"\qquad (\eta_1 = \gamma) \\"
        r"\bar\theta_t = \bar\theta_{t-1} + \mu_t(\theta_t - \bar\theta_{t-1})"
        r"\qquad (\mu_1 = 1) \\"
        r"\eta_{t+1} = \frac{\gamma}{(1 + \lambda\gamma t)^{\alpha}}, \quad"
        r"\mu_{t+1} = \frac{1}{\max(1,\ t - t_0)}"
    ),
    summary=(
        "Plain SGD whose rate eta slowly decays, plus a second point: the running average "
        "of every point visited since step t0 (the thin line in the same colour on the "
        "map; torch calls it ax). The path itself is where gradients are taken; the average "
        "is what you would evaluate at the end, and it smooths out the zig-zag and noise of "
        "the path. Until step t0 the average is just the current point: with torch's "
        "default t0 = 1e6 it never starts, so set t0 small to see it."
    ),
    when_to_use=(
        "Noisy gradients (stochastic or mini-batch), where averaging the iterates cancels "
        "much of the noise that a single iterate keeps."
    ),
    reference="torch.optim.ASGD; Polyak & Juditsky (1992)",
    symbols=_symbols("lr", (r"\lambda", "lambd"), "alpha", ("t_0", "t0"), ("w", "weight_decay"),
                     (r"\eta_t", "eta"), (r"\mu_t", "mu"), (r"\bar\theta_t", "ax")),
)

# --- Rprop --------------------------------------------------------------------------------------


@rule
def rprop(param, grad, lr, step, prev, step_size, etaminus, etaplus, step_size_min,
          step_size_max):
    """torch's Rprop: each coordinate keeps its own step size, set to lr on the first step,
    then multiplied by etaplus when the gradient kept its sign, by etaminus when it flipped
    (and that gradient is then forgotten: prev = 0, no move), clamped to
    [step_size_min, step_size_max]. The move is the step size times the gradient's sign. As in
    torch, lr is only the first step size: a schedule changes nothing after step 1."""
    if step == 1:
        step_size = lr
    agreement = grad * prev
    if agreement > 0.0:
        step_size = step_size * etaplus
    elif agreement < 0.0:
        step_size = step_size * etaminus
        grad = 0.0
    step_size = min(max(step_size, step_size_min), step_size_max)
    return param - step_size * np.sign(grad), grad, step_size


RPROP = OptimizerSpec(
    name="rprop",
    title="Rprop",
    hyperparameters=(
        _lr(1e-2),
        Parameter("etaminus", 0.5, (0.0, 1.0),
                  "the step size is multiplied by this when the gradient changes sign",
                  low_open=True, high_open=True, slider=(0.05, 0.95)),
        Parameter("etaplus", 1.2, (1.0, 100.0),
                  "the step size is multiplied by this while the gradient keeps its sign",
                  low_open=True, slider=(1.01, 3.0)),
        Parameter("step_size_min", 1e-6, (0.0, 1e3), "the smallest step size allowed",
                  slider=(1e-8, 1.0), log=True),
        Parameter("step_size_max", 50.0, (0.0, 1e6), "the largest step size allowed",
                  low_open=True, slider=(1e-3, 100.0), log=True),
    ),
    rule=rprop,
    state=("prev", "step_size"),
    latex=(
        r"\eta_t = \begin{cases} \eta_+ & g_t\, g_{t-1} > 0 \\ \eta_- & g_t\, g_{t-1} < 0"
        r" \\ 1 & \text{otherwise} \end{cases} \qquad (\Delta_0 = \gamma) \\"
        r"\Delta_t = \min\big(\max(\eta_t \Delta_{t-1}, \Delta_{\min}), \Delta_{\max}\big) \\"
        r"g_t \leftarrow 0 \text{ if } g_t\, g_{t-1} < 0 \\"
        r"\theta_t = \theta_{t-1} - \Delta_t\,\mathrm{sign}(g_t)"
    ),
    summary=(
        "Resilient backpropagation ignores how large the gradient is and looks only at its "
        "sign. Every coordinate has its own step size: it grows by etaplus while the slope "
        "keeps pointing the same way and shrinks by etaminus when the sign flips (the "
        "minimum was jumped over; that step is skipped). lr is only the first step size, so "
        "a learning-rate schedule has no effect after the first step, exactly as in torch."
    ),
    when_to_use=(
        "Full-batch problems whose gradients vary wildly in size; it breaks down with noisy "
        "mini-batch gradients, whose signs flip at random."
    ),
    reference="torch.optim.Rprop; Riedmiller & Braun (1993)",
    symbols=_symbols("lr", (r"\eta_-", "etaminus"), (r"\eta_+", "etaplus"),
                     (r"\Delta_{\min}", "step_size_min"), (r"\Delta_{\max}", "step_size_max"),
                     ("g_{t-1}", "prev"), (r"\Delta_t", "step_size")),
)

# --- Adafactor ----------------------------------------------------------------------------------


@rule
def adafactor(param, grad, lr, step, param_other, grad_other, variance, variance_other,
              beta2_decay, d, eps1, eps2, weight_decay):
    """torch's Adafactor on the point (x, y) as one parameter vector of two elements.

    A vector is never factored: torch keeps the full second moment ``variance`` of a 1-D
    parameter (a row and a column factor only for a matrix, and on a 1 x 2 matrix the factored
    estimate R C / mean(R) is the column factor itself, this same variance). What couples the
    coordinates are two root mean squares over the vector, hence ``param_other``,
    ``grad_other`` and ``variance_other``: the relative step size
    alpha_t = max(eps2, RMS(theta_{t-1})) min(lr, 1 / sqrt(t)), and the update clipping
    U / max(1, RMS(U) / d). Decoupled weight decay multiplies the point by (1 - lr
    weight_decay) after alpha_t is taken. eps1 (None in torch: the dtype's machine epsilon)
    floors the variance at eps1^2.
    """
    beta2_weight = step ** beta2_decay  # 1 - beta2_t
    rho = min(lr, 1.0 / step ** 0.5)
    alpha = max(eps2, np.sqrt(param * param + param_other * param_other) / 2.0 ** 0.5) * rho
    if weight_decay != 0.0:
        param = param * (1.0 - lr * weight_decay)
    floor = eps1 * eps1
    variance = lerp(variance, grad * grad, beta2_weight)
    other = lerp(variance_other, grad_other * grad_other, beta2_weight)
    update = (1.0 / np.sqrt(max(variance, floor))) * grad
    update_other = (1.0 / np.sqrt(max(other, floor))) * grad_other
    clip = max(1.0, np.sqrt(update * update + update_other * update_other) / (2.0 ** 0.5 * d))
    return param + (-alpha / clip) * update, variance


ADAFACTOR = OptimizerSpec(
    name="adafactor",
    title="Adafactor",
    hyperparameters=(
        Parameter("lr", 1e-2, (0.0, 1e3),
                  "the largest relative step size: rho_t = min(lr, 1/sqrt(t)); also scales "
                  "the weight decay", low_open=True, slider=(1e-4, 1.0), log=True),
        Parameter("beta2_decay", -0.8, (-10.0, 0.0),
                  "the second moment's weight on the new squared gradient is t^beta2_decay",
                  slider=(-2.0, 0.0)),
        Parameter("d", 1.0, (1.0, 1e6), "clipping threshold on the update's root mean square",
                  slider=(1.0, 10.0)),
        Parameter("eps1", float(np.finfo(np.float64).eps), (0.0, 10.0),
                  "floor of the second moment's square root (None in torch: the machine "
                  "epsilon, 2.2e-16 in float64)", log=True,
                  # Streamlit's select_slider takes floats within 5e-12 of each other for the
                  # same option: a ladder down to 1e-16 turned the default into its first rung
                  slider=(1e-10, 1.0)),
        Parameter("eps2", 1e-3, (0.0, 10.0),
                  "the smallest parameter scale the relative step size uses",
                  slider=(1e-6, 1.0), log=True),
        _WEIGHT_DECAY,
    ),
    rule=adafactor,
    state=("variance",),
    latex=(
        r"\hat\beta_{2,t} = 1 - t^{\tau}, \quad \rho_t = \min(\gamma, 1/\sqrt t), \quad"
        r"\alpha_t = \max(\epsilon_2, \mathrm{RMS}(\theta_{t-1}))\,\rho_t \\"
        r"V_t = \hat\beta_{2,t} V_{t-1} + (1 - \hat\beta_{2,t})\, g_t^2 \\"
        r"U_t = \frac{g_t}{\max(\sqrt{V_t}, \epsilon_1)}, \quad"
        r"\theta_t = \theta_{t-1}(1 - \gamma\lambda)"
        r" - \frac{\alpha_t\, U_t}{\max(1, \mathrm{RMS}(U_t)/d)}"
    ),
    summary=(
        "Built to save memory on huge weight matrices: instead of a second moment per "
        "weight it keeps one per row and one per column and multiplies them back together. "
        "Our two coordinates form a vector, not a matrix, so there is nothing to factor: the "
        "second moment here is the full per-coordinate average V_t of squared gradients, "
        "exactly Adam's without momentum (and a 1 x 2 matrix would give the same V_t). What "
        "is left of Adafactor is its step size: relative to the size of the point "
        "(RMS over both coordinates, at least eps2) and shrinking like 1/sqrt(t) once t > "
        "1/lr², with the update scaled down whenever its RMS exceeds d. The averaging "
        "forgets fast at first (its weight on the new gradient is t^beta2_decay), so the "
        "first step is a sign step."
    ),
    when_to_use=(
        "Large models whose optimizer memory matters (transformers); on a 2-D surface it "
        "shows the relative step size and update clipping."
    ),
    reference="torch.optim.Adafactor; Shazeer & Stern (2018)",
    symbols=_symbols("lr", (r"\tau", "beta2_decay"), ("d", "d"), (r"\epsilon_1", "eps1"),
                     (r"\epsilon_2", "eps2"), "weight_decay", ("V_t", "variance")),
)

# --- Schedule-free AdamW ------------------------------------------------------------------------


@rule
def adamw_schedule_free(param, grad, lr, step, z, exp_avg_sq, x, lr_max, weight_sum, beta1,
                        beta2, eps, weight_decay, warmup_steps, r, weight_lr_power):
    """The ``schedulefree`` package's AdamWScheduleFree in train mode, where the parameter is
    y, the point gradients are taken at (the package's own notation).

    z is the base sequence of plain normalised gradient steps (it starts at the point); y is
    kept as y_t = (1 - beta1) z_t + beta1 x_t, where x is the weighted average of the z's that
    ``optimizer.eval()`` puts in the parameter for evaluation. Step t (counted k = t - 1 in
    the package) takes the rate lr_t = lr min(1, t / warmup_steps), the running maximum
    lr_max of those rates, the average's weight w_t = t^r lr_max^weight_lr_power and
    c_t = w_t / sum of w's; then, with the normalised gradient
    u = g / (sqrt(v_t / (1 - beta2^t)) + eps) + weight_decay y:
    y <- lerp(y, z, c_t) + lr_t (beta1 (1 - c_t) - 1) u and z <- z - lr_t u. x is what
    ``eval()`` computes from them, lerp(y, z, 1 - 1 / beta1).
    """
    if step == 1:
        z, lr_max, weight_sum = param, -1.0, 0.0
    if step <= warmup_steps:
        lr = lr * (step / warmup_steps)
    bias_correction2 = 1.0 - beta2 ** step
    lr_max = max(lr, lr_max)
    weight = step ** r * lr_max ** weight_lr_power
    weight_sum = weight_sum + weight
    ckp1 = weight / weight_sum if weight_sum != 0.0 else 0.0
    exp_avg_sq = exp_avg_sq * beta2 + (1.0 - beta2) * grad * grad
    normalised = grad / (np.sqrt(exp_avg_sq / bias_correction2) + eps)
    if weight_decay != 0.0:
        normalised = normalised + weight_decay * param
    param = lerp(param, z, ckp1)
    param = param + normalised * (lr * (beta1 * (1.0 - ckp1) - 1.0))
    z = z - normalised * lr
    x = lerp(param, z, 1.0 - 1.0 / beta1)
    return param, z, exp_avg_sq, x, lr_max, weight_sum


ADAMW_SCHEDULE_FREE = OptimizerSpec(
    name="adamw_schedule_free",
    title="Schedule-free AdamW",
    hyperparameters=(
        _lr(2.5e-3),
        Parameter("beta1", 0.9, (0.0, 1.0),
                  "interpolation between the average x and the base sequence z: where "
                  "gradients are taken", low_open=True, high_open=True, slider=(0.01, 0.999)),
        _beta2(),
        _eps(1e-8),
        Parameter("weight_decay", 0.0, (0.0, 10.0),
                  "L2 penalty added to the normalised gradient, at y", slider=(0.0, 1.0)),
        Parameter("warmup_steps", 0.0, (0.0, 1e6),
                  "the rate rises linearly from lr / warmup_steps to lr over these steps",
                  kind="int", slider=(0.0, 200.0)),
        Parameter("r", 0.0, (0.0, 10.0), "the average weighs step t by t^r",
                  slider=(0.0, 4.0)),
        Parameter("weight_lr_power", 2.0, (0.0, 10.0),
                  "the average weighs each step by the largest rate so far to this power",
                  slider=(0.0, 4.0)),
    ),
    rule=adamw_schedule_free,
    state=("z", "exp_avg_sq", "x", "lr_max", "weight_sum"),
    shared_state=("lr_max", "weight_sum"),
    averaged="x",
    averaged_title="x, the average you evaluate",
    latex=(
        r"\gamma_t = \gamma \min(1, t / T_w), \quad"
        r"c_t = \frac{t^r\, (\max_{i \le t}\gamma_i)^{p}}{\sum_{j \le t} j^r\, "
        r"(\max_{i \le j}\gamma_i)^{p}} \\"
        r"v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2, \quad"
        r"u_t = \frac{g_t}{\sqrt{v_t / (1 - \beta_2^t)} + \epsilon} + \lambda y_{t-1} \\"
        r"z_t = z_{t-1} - \gamma_t u_t, \quad x_t = (1 - c_t)\, x_{t-1} + c_t z_t \\"
        r"y_t = (1 - \beta_1)\, z_t + \beta_1 x_t \qquad (x_0 = y_0 = z_0 = \theta_0)"
    ),
    summary=(
        "No learning-rate schedule needed: the method keeps three points. z takes plain "
        "Adam-normalised gradient steps at the full rate; x is a running average of the z's "
        "(the weight c_t of the newest is 1/t with the default settings); y, in between "
        "(β1 of the way to x), is where the gradient is taken. The thick path on the map is "
        "y, where gradients are evaluated; the thin path in the same colour is x, the "
        "average you would evaluate and keep at the end (what optimizer.eval() puts in the "
        "model). Averaging does the work a decaying schedule would do. warmup_steps raises "
        "the rate linearly at the start."
    ),
    when_to_use=(
        "Training without choosing a schedule or the length of the run in advance; a "
        "drop-in replacement for AdamW plus a cosine schedule."
    ),
    reference="schedulefree.AdamWScheduleFree; Defazio et al., The Road Less Scheduled (2024)",
    symbols=_symbols("lr", "beta1", "beta2", "eps", "weight_decay", ("T_w", "warmup_steps"),
                     ("r", "r"), ("p", "weight_lr_power"), ("z_t", "z"), "exp_avg_sq",
                     ("x_t", "x"), (r"\max_{i \le t}\gamma_i", "lr_max"),
                     (r"\sum_{j \le t}", "weight_sum")),
)

# --- L-BFGS -------------------------------------------------------------------------------------

LBFGS = OptimizerSpec(
    name="lbfgs",
    title="L-BFGS",
    hyperparameters=(
        Parameter("lr", 1.0, (0.0, 1e3),
                  "step length along the quasi-Newton direction (the line search's first "
                  "trial)", low_open=True, slider=(1e-3, 10.0), log=True),
        Parameter("max_iter", 20.0, (1.0, 1000.0), "inner iterations per optimizer.step()",
                  kind="int", slider=(1.0, 50.0)),
        Parameter("max_eval", 0.0, (0.0, 10_000.0),
                  "evaluations of f per step before it stops iterating; 0 is torch's None: "
                  "max_iter * 5 // 4", kind="int", slider=(0.0, 100.0)),
        Parameter("tolerance_grad", 1e-7, (0.0, 1e3),
                  "a step stops once the gradient's largest entry is this small",
                  slider=(1e-12, 1.0), log=True),
        Parameter("tolerance_change", 1e-9, (0.0, 1e3),
                  "a step stops once a move or a change of loss is smaller than this",
                  slider=(1e-11, 1.0), log=True),
        Parameter("history_size", 100.0, (1.0, 1000.0),
                  "pairs (move, change of gradient) kept for the inverse-Hessian estimate",
                  kind="int", slider=(1.0, 100.0)),
        Parameter("line_search_fn", 0.0, (0.0, 1.0),
                  "on: 'strong_wolfe' (a line search for each move); off: None (fixed moves "
                  "of length lr)", kind="bool", spellings=((None, 0.0), ("strong_wolfe", 1.0))),
    ),
    rule=None,
    state=(),
    latex=(
        r"d_k = -H_k \nabla f(\theta), \quad H_k \approx (\nabla^2 f)^{-1} \text{ from the last }"
        r"m \text{ pairs } (s_i, y_i) \\"
        r"s_i = \theta_{i+1} - \theta_i, \quad y_i = \nabla f(\theta_{i+1}) - \nabla f(\theta_i)"
        r"\quad (\text{kept when } y_i^\top s_i > 10^{-10}) \\"
        r"\theta \leftarrow \theta + \alpha_k d_k, \quad \alpha_k = \gamma"
        r"\text{ or a strong Wolfe line search} \\"
        r"\text{at most } K \text{ iterations and } E \text{ evaluations per step; stop early "
        r"when } \|\nabla f\|_\infty \le \tau_g \text{ or a change} < \tau_c"
    ),
    summary=(
        "A quasi-Newton method: from the last m moves and how the gradient changed along them "
        "it estimates the inverse Hessian (the two-loop recursion) and steps along the "
        "resulting direction, like Newton's method without ever computing a Hessian. One "
        "torch step is a whole inner loop of up to max_iter iterations, each evaluating f and "
        "its gradient once, or several times with the strong Wolfe line search. So a single "
        "step costs many evaluations: the map shows every point where f was evaluated as a "
        "small dot, and the run's evaluation count says what its few steps cost next to a "
        "first-order method's one gradient per step."
    ),
    when_to_use=(
        "Smooth, deterministic, small problems (full-batch fitting, scientific computing); "
        "noisy mini-batch gradients break its curvature estimate and line search."
    ),
    reference="torch.optim.LBFGS; Nocedal (1980); Liu & Nocedal (1989); Nocedal & Wright, "
              "chapters 3 and 7",
    symbols=_symbols("lr", ("K", "max_iter"), ("E", "max_eval"), (r"\tau_g", "tolerance_grad"),
                     (r"\tau_c", "tolerance_change"), ("m", "history_size")),
    whole_step=True,
)
"""L-BFGS has no per-coordinate rule (``rule`` is None): its direction mixes the coordinates
through its history, and one step evaluates f a varying number of times, so
``optimizers.engine.lbfgs_kernel`` runs it, written from torch's LBFGS.step."""

# --- damped Newton ------------------------------------------------------------------------------


@rule
def newton(param, grad, lr, step, grad_other, hess_own, hess_cross, hess_other, damping):
    """This coordinate of the solution d of (H + damping I) d = g for the 2x2 Hessian H; a
    singular system gives inf or NaN."""
    a = hess_own + damping
    c = hess_other + damping
    det = a * c - hess_cross * hess_cross
    return param - lr * ((c * grad - hess_cross * grad_other) / det)


NEWTON = OptimizerSpec(
    name="newton",
    title="Damped Newton",
    hyperparameters=(
        Parameter("lr", 1.0, (0.0, 1e3), "step length along the Newton direction",
                  low_open=True, slider=(1e-3, 1.0), log=True),
        Parameter("damping", 0.0, (0.0, 1e6),
                  "λ added to the Hessian's diagonal (Levenberg–Marquardt)",
                  slider=(0.0, 100.0)),
    ),
    rule=newton,
    state=(),
    latex=(
        r"\theta_t = \theta_{t-1} - \gamma\,\big(\nabla^2 f(\theta_{t-1}) + \lambda I\big)^{-1}"
        r"\nabla f(\theta_{t-1})"
    ),
    summary=(
        "The second-order reference: it models the surface as a quadratic bowl using the "
        "Hessian and jumps to that bowl's bottom. On a true bowl it converges in one step; "
        "where the curvature is negative it heads for saddles and maxima as readily as "
        "minima."
    ),
    when_to_use=(
        "Small problems where the Hessian is affordable; a yardstick for the first-order "
        "methods."
    ),
    reference="Nocedal & Wright, Numerical Optimization, chapter 3",
    symbols=_symbols("lr", (r"\lambda", "damping")),
)


OPTIMIZERS: tuple[OptimizerSpec, ...] = (
    SGD, MOMENTUM, NESTEROV, ADAGRAD, ADADELTA, RMSPROP, ADAM, ADAMW, ADAMAX, NADAM, RADAM, LION,
    RPROP, ASGD, ADAFACTOR, ADAMW_SCHEDULE_FREE, LBFGS, NEWTON,
)
"""Every optimizer, in display order."""

LEFT_OUT: dict[str, str] = {
    "Muon": (
        "torch.optim.Muon is not here. It orthogonalises the update of a weight matrix "
        "(Newton-Schulz iterations towards the nearest matrix with all singular values 1) "
        "and refuses any parameter that is not 2-D. Our point is two scalars, a vector: there "
        "is no matrix for the orthogonalisation to act on, so there is nothing to show."
    ),
}
"""torch.optim's optimizers the lab leaves out, and why (the Learn page shows it)."""

RULES: tuple = tuple(dict.fromkeys(spec.rule for spec in OPTIMIZERS if spec.rule is not None))
"""Every distinct rule; a rule's place here is its code in the kernels."""
RULE_CODES = {rule: code for code, rule in enumerate(RULES)}

HYPERPARAMETERS: dict[str, int] = {}
"""name -> slot in the kernels' hyperparameter vector, for every hyperparameter any optimizer
takes (in order of first appearance)."""
for _spec in OPTIMIZERS:
    for _name in (*(hp.name for hp in _spec.hyperparameters), *_spec.fixed):
        HYPERPARAMETERS.setdefault(_name, len(HYPERPARAMETERS))

N_STATE = max(len(spec.state) for spec in OPTIMIZERS)
"""The most state buffers any rule keeps (the rows of the kernels' state arrays)."""


def check_table() -> None:
    """Every rule takes exactly its inputs, its spec's state and its hyperparameters, and
    returns the new coordinate and its state; the shared state is state. Raised at import,
    naming what to fix, so a mistake in a new optimizer shows at once."""
    for spec in OPTIMIZERS:
        hyper = {hp.name for hp in spec.hyperparameters} | set(spec.fixed)
        if spec.whole_step != (spec.rule is None):
            raise TypeError(f"{spec.name}: a spec has a rule, or is whole_step with none")
        if spec.whole_step:
            continue
        arguments = spec.rule_arguments
        if arguments[:len(RULE_INPUTS)] != RULE_INPUTS:
            raise TypeError(f"rule {spec.rule.__name__} of {spec.name} must start with "
                            f"{', '.join(RULE_INPUTS)}")
        inputs = (*OTHER_COORDINATE_INPUTS, *SECOND_ORDER_INPUTS,
                  *(name + OTHER for name in spec.state))
        unknown = [a for a in arguments[len(RULE_INPUTS):]
                   if a not in hyper and a not in spec.state and a not in inputs]
        if unknown or [a for a in arguments if a in spec.state] != list(spec.state):
            raise TypeError(
                f"rule {spec.rule.__name__} of {spec.name} takes {', '.join(arguments)}; each "
                f"argument after {', '.join(RULE_INPUTS)} must be one of its state "
                f"({', '.join(spec.state) or 'none'}, in that order), its hyperparameters "
                f"({', '.join(sorted(hyper))}), {', '.join(OTHER_COORDINATE_INPUTS)}, "
                f"{', '.join(SECOND_ORDER_INPUTS)} or a buffer's <name>{OTHER}")
        if not set(spec.shared_state) <= set(spec.state):
            raise TypeError(f"shared_state of {spec.name} must be part of its state")
        named = hyper | set(spec.state)
        unknown = [name for _, name in spec.symbols if name not in named]
        if unknown:
            raise TypeError(f"symbols of {spec.name} name {', '.join(unknown)}, which are "
                            f"neither its hyperparameters nor its state")
        if spec.averaged and spec.averaged not in spec.state:
            raise TypeError(f"averaged of {spec.name} must name one of its state buffers")


check_table()
