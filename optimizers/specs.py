"""One place for every fact about an optimizer, a schedule and a gradient source.

Names, hyperparameters with torch's defaults, the ranges that are valid, the ranges sliders
offer, the update rule in LaTeX and a plain-words explanation. The engine, the validation in
``optimizers.api``, the pages and the docs all read these records, so nothing drifts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from optimizers import _rules as R
from optimizers import _schedules as Q


@dataclass(frozen=True)
class Hyperparameter:
    """A hyperparameter: torch's name and default, its valid range and a slider range.

    Valid means ``low <= value <= high``, with the open ends given by ``low_open`` and
    ``high_open`` (e.g. beta1 in [0, 1)). ``slider`` is the range the app offers; ``log``
    says the slider should move on a log scale. ``boolean`` values are 0.0 or 1.0.
    """

    name: str
    default: float
    low: float
    high: float
    description: str
    low_open: bool = False
    high_open: bool = False
    slider: tuple[float, float] | None = None
    log: bool = False
    boolean: bool = False

    @property
    def slider_range(self) -> tuple[float, float]:
        return self.slider if self.slider is not None else (self.low, self.high)

    def allowed(self) -> str:
        """The valid range in words, e.g. ``0 <= beta1 < 1``."""
        if self.boolean:
            return f"{self.name} is True or False"
        low_op = "<" if self.low_open else "<="
        high_op = "<" if self.high_open else "<="
        return f"{self.low:g} {low_op} {self.name} {high_op} {self.high:g}"

    def problem(self, value: float) -> str | None:
        """None if ``value`` is valid, else torch's style of message naming it."""
        if self.boolean:
            ok = value in (0.0, 1.0)
        else:
            ok = (
                math.isfinite(value)
                and (value > self.low if self.low_open else value >= self.low)
                and (value < self.high if self.high_open else value <= self.high)
            )
        if ok:
            return None
        label = "learning rate" if self.name == "lr" else f"{self.name} value"
        return f"Invalid {label}: {value!r} (allowed: {self.allowed()})"


def _lr(default: float) -> Hyperparameter:
    return Hyperparameter(
        "lr", default, 0.0, 1e3, "learning rate: the size of each step",
        low_open=True, slider=(1e-5, 10.0), log=True,
    )


_WEIGHT_DECAY = Hyperparameter(
    "weight_decay", 0.0, 0.0, 10.0, "pulls the point towards the origin (L2 penalty)",
    slider=(0.0, 1.0),
)


def _beta1(default: float = 0.9) -> Hyperparameter:
    return Hyperparameter(
        "beta1", default, 0.0, 1.0, "decay rate of the running mean of gradients (momentum)",
        high_open=True, slider=(0.0, 0.999),
    )


def _beta2(default: float = 0.999) -> Hyperparameter:
    return Hyperparameter(
        "beta2", default, 0.0, 1.0, "decay rate of the running mean of squared gradients",
        high_open=True, slider=(0.0, 0.9999),
    )


def _eps(default: float) -> Hyperparameter:
    return Hyperparameter(
        "eps", default, 0.0, 10.0, "added to the denominator so it is never zero",
        slider=(1e-12, 1.0), log=True,
    )


_MOMENTUM = Hyperparameter(
    "momentum", 0.0, 0.0, 1.0, "fraction of the previous step carried into this one",
    slider=(0.0, 0.999),
)


@dataclass(frozen=True)
class OptimizerSpec:
    """An optimizer as the app and the engine know it."""

    name: str
    title: str
    code: int
    hyperparameters: tuple[Hyperparameter, ...]
    latex: str
    summary: str
    when_to_use: str
    reference: str
    fixed: dict[str, float] = field(default_factory=dict)  # preset values not offered to users

    @property
    def defaults(self) -> dict[str, float]:
        return {hp.name: hp.default for hp in self.hyperparameters}

    def hyperparameter(self, name: str) -> Hyperparameter:
        for hp in self.hyperparameters:
            if hp.name == name:
                return hp
        raise KeyError(name)


def _sgd_spec(
    name: str, title: str, momentum: float, nesterov: bool, summary: str
) -> OptimizerSpec:
    hyper = [_lr(1e-3)]
    if name == "sgd":
        hyper += [
            _MOMENTUM,
            Hyperparameter("dampening", 0.0, 0.0, 1.0,
                           "damps the new gradient's share of momentum"),
            Hyperparameter("nesterov", 0.0, 0.0, 1.0, "use Nesterov's look-ahead", boolean=True),
        ]
    else:
        hyper.append(Hyperparameter(
            "momentum", momentum, 0.0, 1.0, "fraction of the previous step carried into this one",
            low_open=True, slider=(0.01, 0.999),
        ))
    hyper.append(_WEIGHT_DECAY)
    return OptimizerSpec(
        name=name,
        title=title,
        code=R.SGD,
        hyperparameters=tuple(hyper),
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
    )


OPTIMIZERS: tuple[OptimizerSpec, ...] = (
    _sgd_spec(
        "sgd", "Gradient descent (SGD)", 0.0, False,
        "Step straight downhill: the new point is the old one minus the learning rate times "
        "the gradient. With momentum > 0 it keeps a running velocity; nesterov evaluates the "
        "momentum step as a look-ahead.",
    ),
    _sgd_spec(
        "momentum", "SGD with momentum", 0.9, False,
        "A heavy ball: each step adds the gradient to a velocity that remembers earlier "
        "steps, so consistent directions speed up and zig-zags cancel out.",
    ),
    _sgd_spec(
        "nesterov", "Nesterov momentum", 0.9, True,
        "Momentum with a look-ahead: the step uses the gradient plus the momentum it is "
        "about to apply, which brakes earlier when the velocity overshoots.",
    ),
    OptimizerSpec(
        name="adagrad",
        title="AdaGrad",
        code=R.ADAGRAD,
        hyperparameters=(
            _lr(1e-2),
            Hyperparameter("lr_decay", 0.0, 0.0, 10.0,
                           "the rate shrinks as lr / (1 + (t-1) lr_decay)", slider=(0.0, 0.1)),
            _WEIGHT_DECAY,
            Hyperparameter("initial_accumulator_value", 0.0, 0.0, 1e3,
                           "starting value of the sum of squared gradients", slider=(0.0, 10.0)),
            _eps(1e-10),
        ),
        latex=(
            r"s_t = s_{t-1} + g_t^2 \\"
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
    ),
    OptimizerSpec(
        name="adadelta",
        title="AdaDelta",
        code=R.ADADELTA,
        hyperparameters=(
            _lr(1.0),
            Hyperparameter("rho", 0.9, 0.0, 1.0, "decay rate of both running averages",
                           slider=(0.0, 0.999)),
            _eps(1e-6),
            _WEIGHT_DECAY,
        ),
        latex=(
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
    ),
    OptimizerSpec(
        name="rmsprop",
        title="RMSprop",
        code=R.RMSPROP,
        hyperparameters=(
            _lr(1e-2),
            Hyperparameter("alpha", 0.99, 0.0, 1.0, "decay rate of the squared-gradient average",
                           slider=(0.0, 0.9999)),
            _eps(1e-8),
            _WEIGHT_DECAY,
            _MOMENTUM,
            Hyperparameter("centered", 0.0, 0.0, 1.0,
                           "divide by the gradient's variance instead of its raw second moment",
                           boolean=True),
        ),
        latex=(
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
    ),
    OptimizerSpec(
        name="adam",
        title="Adam",
        code=R.ADAM,
        hyperparameters=(
            _lr(1e-3), _beta1(), _beta2(), _eps(1e-8), _WEIGHT_DECAY,
            Hyperparameter("amsgrad", 0.0, 0.0, 1.0,
                           "use the largest second moment seen so far", boolean=True),
        ),
        latex=(
            r"m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t \\"
            r"v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2 \\"
            r"\hat m_t = \frac{m_t}{1-\beta_1^t}, \quad \hat v_t = \frac{v_t}{1-\beta_2^t} \\"
            r"\theta_t = \theta_{t-1} - \gamma\,\frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}"
        ),
        summary=(
            "Momentum and RMSprop together: a running mean of gradients (β1) divided by the "
            "root of a running mean of squared gradients (β2), both corrected for starting at "
            "zero. Early steps have a size close to lr in every coordinate."
        ),
        when_to_use="The default choice for most deep-learning problems.",
        reference="torch.optim.Adam; Kingma & Ba (2015); Reddi et al. (2018) for AMSGrad",
    ),
    OptimizerSpec(
        name="adamw",
        title="AdamW",
        code=R.ADAMW,
        hyperparameters=(
            _lr(1e-3), _beta1(), _beta2(), _eps(1e-8),
            Hyperparameter("weight_decay", 1e-2, 0.0, 10.0,
                           "shrinks the point towards the origin, apart from the gradient step",
                           slider=(0.0, 1.0)),
            Hyperparameter("amsgrad", 0.0, 0.0, 1.0,
                           "use the largest second moment seen so far", boolean=True),
        ),
        latex=(
            r"\theta_{t-1} \leftarrow \theta_{t-1}(1 - \gamma\lambda) \\"
            r"\theta_t = \theta_{t-1} - \gamma\,\frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}"
            r"\quad(\hat m_t, \hat v_t \text{ as in Adam})"
        ),
        summary=(
            "Adam with decoupled weight decay: the point shrinks towards the origin by a "
            "fixed fraction each step instead of the decay being added to the gradient, "
            "where Adam's scaling would weaken it."
        ),
        when_to_use="Adam with regularisation; the standard for training transformers.",
        reference="torch.optim.AdamW; Loshchilov & Hutter (2019)",
    ),
    OptimizerSpec(
        name="adamax",
        title="Adamax",
        code=R.ADAMAX,
        hyperparameters=(_lr(2e-3), _beta1(), _beta2(), _eps(1e-8), _WEIGHT_DECAY),
        latex=(
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
    ),
    OptimizerSpec(
        name="nadam",
        title="NAdam",
        code=R.NADAM,
        hyperparameters=(
            _lr(2e-3), _beta1(), _beta2(), _eps(1e-8), _WEIGHT_DECAY,
            Hyperparameter("momentum_decay", 4e-3, 0.0, 1.0,
                           "how quickly the momentum schedule μ_t warms up", slider=(0.0, 0.1)),
        ),
        latex=(
            r"\mu_t = \beta_1\,(1 - \tfrac12\, 0.96^{t\psi}) \\"
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
    ),
    OptimizerSpec(
        name="radam",
        title="RAdam",
        code=R.RADAM,
        hyperparameters=(_lr(1e-3), _beta1(), _beta2(), _eps(1e-8), _WEIGHT_DECAY),
        latex=(
            r"\rho_\infty = \tfrac{2}{1-\beta_2} - 1, \quad "
            r"\rho_t = \rho_\infty - \tfrac{2t\beta_2^t}{1-\beta_2^t} \\"
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
    ),
    OptimizerSpec(
        name="lion",
        title="Lion",
        code=R.LION,
        hyperparameters=(
            _lr(1e-4), _beta1(0.9), _beta2(0.99), _WEIGHT_DECAY,
        ),
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
    ),
    OptimizerSpec(
        name="newton",
        title="Damped Newton",
        code=R.NEWTON,
        hyperparameters=(
            Hyperparameter("lr", 1.0, 0.0, 1e3, "step length along the Newton direction",
                           low_open=True, slider=(1e-3, 1.0), log=True),
            Hyperparameter("damping", 0.0, 0.0, 1e6,
                           "λ added to the Hessian's diagonal (Levenberg–Marquardt)",
                           slider=(0.0, 100.0)),
        ),
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
    ),
)


@dataclass(frozen=True)
class ScheduleParameter:
    """A schedule's parameter with torch's name; ``integer`` parameters count steps."""

    name: str
    default: float
    low: float
    high: float
    description: str
    integer: bool = False
    low_open: bool = False
    required: bool = False


@dataclass(frozen=True)
class ScheduleSpec:
    name: str
    title: str
    code: int
    parameters: tuple[ScheduleParameter, ...]
    latex: str
    summary: str
    torch_equivalent: str


_GAMMA = ScheduleParameter("gamma", 0.1, 0.0, 1.0, "factor applied at each decay", low_open=True)

SCHEDULES: tuple[ScheduleSpec, ...] = (
    ScheduleSpec("constant", "Constant", Q.CONSTANT, (), r"\gamma_t = \gamma",
                 "The same learning rate at every step.", "no scheduler"),
    ScheduleSpec(
        "step", "Step decay", Q.STEP,
        (ScheduleParameter("step_size", 100, 1, 1e6, "steps between decays", integer=True,
                           required=True), _GAMMA),
        r"\gamma_t = \gamma \cdot \text{gamma}^{\lfloor t / \text{step\_size} \rfloor}",
        "Multiply the rate by gamma every step_size steps: a staircase.",
        "torch.optim.lr_scheduler.StepLR",
    ),
    ScheduleSpec(
        "multistep", "Multi-step decay", Q.MULTISTEP,
        (ScheduleParameter("milestones", 0, 0, 1e6, "steps at which the rate is decayed",
                           integer=True, required=True), _GAMMA),
        r"\gamma_t = \gamma \cdot \text{gamma}^{\#\{m \in \text{milestones}:\, m \le t\}}",
        "Multiply the rate by gamma at each listed step.",
        "torch.optim.lr_scheduler.MultiStepLR",
    ),
    ScheduleSpec(
        "exponential", "Exponential decay", Q.EXPONENTIAL,
        (ScheduleParameter("gamma", 0.99, 0.0, 1.0, "factor applied every step", low_open=True,
                           required=True),),
        r"\gamma_t = \gamma \cdot \text{gamma}^t",
        "Multiply the rate by gamma after every step: a smooth geometric decay.",
        "torch.optim.lr_scheduler.ExponentialLR",
    ),
    ScheduleSpec(
        "inverse_time", "Inverse-time decay", Q.INVERSE_TIME,
        (ScheduleParameter("decay", 0.01, 0.0, 1e3, "how fast the rate falls", required=True),),
        r"\gamma_t = \frac{\gamma}{1 + \text{decay}\cdot t}",
        "The rate falls like 1/t, the classical choice that guarantees convergence of SGD.",
        "no torch class (LambdaLR with lambda t: 1 / (1 + decay * t))",
    ),
    ScheduleSpec(
        "cosine", "Cosine annealing", Q.COSINE,
        (ScheduleParameter("T_max", 500, 1, 1e6, "steps from the full rate to eta_min",
                           integer=True, required=True),
         ScheduleParameter("eta_min", 0.0, 0.0, 1e3, "the lowest rate")),
        r"\gamma_t = \eta_{min} + \tfrac12(\gamma - \eta_{min})(1 + \cos(\pi t / T_{max}))",
        "Glide from the full rate down to eta_min along half a cosine wave.",
        "torch.optim.lr_scheduler.CosineAnnealingLR",
    ),
    ScheduleSpec(
        "warmup_cosine", "Linear warm-up, then cosine", Q.WARMUP_COSINE,
        (ScheduleParameter("warmup_steps", 50, 1, 1e6, "length of the linear warm-up",
                           integer=True),
         ScheduleParameter("T_max", 500, 1, 1e6, "length of the cosine phase", integer=True),
         ScheduleParameter("eta_min", 0.0, 0.0, 1e3, "the lowest rate"),
         ScheduleParameter("start_factor", 0.1, 0.0, 1.0, "fraction of the rate at step 0",
                           low_open=True)),
        r"\gamma_t = \begin{cases}\gamma\,(s + (1-s)\,t/W) & t < W \\"
        r" \text{cosine}(t - W) & t \ge W\end{cases}",
        "Ramp the rate up linearly over the first steps, then anneal it along a cosine.",
        "SequentialLR(LinearLR(start_factor, total_iters=W), CosineAnnealingLR(T_max, eta_min))",
    ),
    ScheduleSpec(
        "cyclic", "Cyclic (triangular)", Q.CYCLIC,
        (ScheduleParameter("base_lr", 1e-3, 0.0, 1e3, "the bottom of each cycle"),
         ScheduleParameter("max_lr", 1e-1, 0.0, 1e3, "the top of each cycle", low_open=True),
         ScheduleParameter("step_size_up", 50, 1, 1e6, "steps from bottom to top", integer=True),
         ScheduleParameter("step_size_down", 0, 0, 1e6,
                           "steps from top to bottom (0: same as step_size_up)", integer=True)),
        r"\gamma_t = \text{base} + (\text{max} - \text{base})\cdot\text{triangle}(t)",
        "Sweep the rate up and down between base_lr and max_lr in a triangle wave; it "
        "replaces the optimizer's lr. (torch also cycles momentum; that is not modelled.)",
        "torch.optim.lr_scheduler.CyclicLR(mode='triangular', cycle_momentum=False)",
    ),
    ScheduleSpec(
        "reduce_on_plateau", "Reduce on plateau", Q.REDUCE_ON_PLATEAU,
        (ScheduleParameter("factor", 0.1, 0.0, 1.0, "factor applied when the loss stalls",
                           low_open=True),
         ScheduleParameter("patience", 10, 0, 1e6, "steps without improvement tolerated",
                           integer=True),
         ScheduleParameter("threshold", 1e-4, 0.0, 1.0, "relative improvement that counts"),
         ScheduleParameter("cooldown", 0, 0, 1e6, "steps to wait after a reduction",
                           integer=True),
         ScheduleParameter("min_lr", 0.0, 0.0, 1e3, "never go below this rate"),
         ScheduleParameter("eps", 1e-8, 0.0, 1.0, "smaller changes are ignored")),
        r"\begin{gathered}\gamma \leftarrow \max(\text{factor}\cdot\gamma,\ \text{min\_lr})"
        r"\\ \text{after more than patience steps}\\ \text{without a new best loss}"
        r"\end{gathered}",
        "Adaptive: watch the loss and cut the rate when it has not improved for a while.",
        "torch.optim.lr_scheduler.ReduceLROnPlateau(mode='min', threshold_mode='rel')",
    ),
)


@dataclass(frozen=True)
class GradientSourceSpec:
    name: str
    title: str
    parameters: tuple[ScheduleParameter, ...]
    summary: str
    data_only: bool = False  # needs a data surface (landscapes.from_data)


GRADIENT_SOURCES: tuple[GradientSourceSpec, ...] = (
    GradientSourceSpec("analytic", "Exact gradient", (),
                       "The exact partial derivatives: full-batch gradient descent."),
    GradientSourceSpec(
        "finite_difference", "Finite differences",
        (ScheduleParameter("h", 1e-5, 0.0, 1.0, "step of the central difference",
                           low_open=True),),
        "Estimate each partial derivative as (f(x + h) - f(x - h)) / 2h: two extra function "
        "evaluations per coordinate, per step.",
    ),
    GradientSourceSpec(
        "noisy", "Noisy (mini-batch)",
        (ScheduleParameter("noise_scale", 1.0, 0.0, 1e6, "noise of a single example's gradient"),
         ScheduleParameter("batch_size", 1, 1, 1e6, "examples averaged per step", integer=True)),
        "The exact gradient plus Gaussian noise of size noise_scale / √batch_size, drawn from "
        "the run's seed: batch size 1 is stochastic gradient descent, larger batches are "
        "mini-batches, and the noise shrinks like one over the square root of the batch.",
    ),
    GradientSourceSpec(
        "minibatch", "Mini-batches of the data",
        (ScheduleParameter("batch_size", 32, 1, 1e6, "examples per mini-batch", integer=True),),
        "Data surfaces only. Each step uses the average gradient of a real batch of examples, "
        "dealt out like a shuffled data loader: every epoch visits each example once in a new "
        "order drawn from the seed, and the last batch of an epoch may be smaller. Batch size "
        "1 is stochastic gradient descent; the dataset's size (or more) is full-batch descent.",
        data_only=True,
    ),
)

OPTIMIZERS_BY_NAME = {spec.name: spec for spec in OPTIMIZERS}
SCHEDULES_BY_NAME = {spec.name: spec for spec in SCHEDULES}
GRADIENT_SOURCES_BY_NAME = {spec.name: spec for spec in GRADIENT_SOURCES}
