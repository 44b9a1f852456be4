"""The local model at a point: Taylor's linear and quadratic models from the surface's exact
gradient and Hessian, the loss along the step against them, and finite differences.

At a point x with f = f(x), g = ∇f(x) and H = ∇²f(x) (the surface's exact derivatives, as its
``grad`` and ``hessian`` give them):

    linear model     f(x + d) ≈ f + gᵀd
    quadratic model  f(x + d) ≈ f + gᵀd + ½ dᵀHd

Along the unit direction u of a step of length L, with slope g_u = gᵀu and curvature
κ = uᵀHu, the quadratic model is f + g_u s + ½ κ s², lowest at s* = -g_u / κ when κ > 0. The
step lands at s = L. Gradient descent (L = lr ‖g‖, u = -g/‖g‖) lands at L / s* = lr κ times the
way to that lowest point, and higher on the model than it started exactly when lr κ > 2: the
course's reason why too large a learning rate oscillates and then diverges.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from optimizers.specs import GRADIENT_SOURCES_BY_NAME

DEFAULT_H = GRADIENT_SOURCES_BY_NAME["finite_difference"].parameters[0].default
"""The central difference's step when the run itself did not use one (the source's default)."""


@dataclass(frozen=True)
class LocalModel:
    """f, its exact gradient and Hessian at ``point``, and the two Taylor models."""

    point: np.ndarray
    f: float
    grad: np.ndarray
    hessian: np.ndarray

    def linear(self, d: np.ndarray) -> np.ndarray:
        """f + gᵀd for displacements ``d`` (..., 2)."""
        return self.f + d @ self.grad

    def quadratic(self, d: np.ndarray) -> np.ndarray:
        """f + gᵀd + ½ dᵀHd for displacements ``d`` (..., 2)."""
        return self.linear(d) + 0.5 * np.einsum("...i,ij,...j->...", d, self.hessian, d)


def local_model(landscape, point) -> LocalModel:
    """The Taylor models of ``landscape`` at ``point`` from its exact derivatives."""
    x, y = (float(v) for v in point)
    (fxx, fxy), (_, fyy) = landscape.hessian(x, y)
    return LocalModel(point=np.array([x, y]), f=float(landscape.f(x, y)),
                      grad=np.array(landscape.grad(x, y), dtype=np.float64),
                      hessian=np.array([[fxx, fxy], [fxy, fyy]], dtype=np.float64))


@dataclass(frozen=True)
class StepSlice:
    """The loss along a step's line: ``s`` the distance from the point along ``direction``,
    the true loss and both models at each s, where the step lands (``landing`` = its length)
    and the quadratic model's slope and curvature along the line."""

    model: LocalModel
    direction: np.ndarray
    s: np.ndarray
    true: np.ndarray
    linear: np.ndarray
    quadratic: np.ndarray
    landing: float
    slope: float
    curvature: float
    lr: float

    @property
    def lr_curvature(self) -> float:
        """lr × κ: above 2, a gradient step along this line lands higher on the model."""
        return self.lr * self.curvature

    @property
    def model_minimum(self) -> float | None:
        """s* = -g_u / κ, the quadratic model's lowest point on the line (None if κ <= 0)."""
        return -self.slope / self.curvature if self.curvature > 0 else None

    @property
    def landing_ratio(self) -> float | None:
        """L / s*: the step's length over the distance to the model's lowest point ahead
        (equal to lr κ for a plain gradient step); None without such a point."""
        lowest = self.model_minimum
        return self.landing / lowest if lowest is not None and lowest > 0 else None

    @property
    def overshoots(self) -> bool:
        """The step lands higher on the quadratic model than it started: L > 2 s*."""
        ratio = self.landing_ratio
        return ratio is not None and ratio > 2.0

    @property
    def sentence(self) -> str:
        """What the local model says about this step, in words."""
        words = (f"Along the step the slope is {self.slope:.3g} and the curvature "
                 f"κ = {self.curvature:.3g}, so lr × κ = {self.lr_curvature:.3g}")
        if self.curvature <= 0:
            return (words + ": the surface curves down (or not at all) this way, so the "
                    "quadratic model has no lowest point ahead and any step goes downhill on it.")
        ratio = self.landing_ratio
        if ratio is None:
            return words + ": the step goes uphill on the model from its first inch."
        words += (f". The step goes {ratio:.3g}× the distance to the model's lowest point on "
                  "this line")
        if self.lr_curvature > 2:
            words += "; lr × κ exceeds 2, so a gradient step this size overshoots"
        if ratio > 2:
            return words + ": it lands higher on the model than it started (it overshoots)."
        if ratio > 1:
            return words + ": past the bottom but lower than the start (it zig-zags inwards)."
        return words + ": it stops short of the bottom."


def step_slice(landscape, point, step, lr: float, samples: int = 121) -> StepSlice:
    """The true loss and the Taylor models along the line of ``step`` from ``point``.

    The line spans from a little behind the point to past the landing and, when the model has
    a lowest point ahead, to past twice its distance (where a gradient step starts to
    overshoot), at most three steps long. A zero step looks along the negative gradient."""
    model = local_model(landscape, point)
    step = np.asarray(step, dtype=np.float64)
    length = float(np.hypot(*step))
    if length > 0 and math.isfinite(length):
        direction = step / length
    else:
        norm = float(np.hypot(*model.grad))
        direction = -model.grad / norm if norm > 0 else np.array([1.0, 0.0])
    slope = float(model.grad @ direction)
    curvature = float(direction @ model.hessian @ direction)
    reach = length if length > 0 else 1e-3 * max(1.0, float(np.hypot(*model.point)))
    far = 1.3 * reach
    if curvature > 0 and slope < 0:
        far = max(far, min(2.3 * (-slope / curvature), 3.0 * reach))
    s = np.linspace(-0.3 * reach, far, samples)
    displacements = s[:, None] * direction[None, :]
    points = model.point[None, :] + displacements
    return StepSlice(
        model=model, direction=direction, s=s,
        true=np.asarray(landscape.f(points[:, 0], points[:, 1]), dtype=np.float64),
        linear=model.linear(displacements), quadratic=model.quadratic(displacements),
        landing=length, slope=slope, curvature=curvature, lr=float(lr),
    )


@dataclass(frozen=True)
class FiniteDifferences:
    """The central-difference gradient at a point beside the exact one.

    ``estimate[i] = (f(x + h e_i) - f(x - h e_i)) / 2h``, the estimate the
    ``finite_difference`` gradient source makes (the same arithmetic on the same values of f);
    ``evaluations`` the evaluations of f one estimate costs (4, plus 1 for the loss);
    ``so_far`` what the run's gradients up to this point cost or would have cost that way.
    """

    exact: np.ndarray
    estimate: np.ndarray
    h: float
    so_far: int
    run_used_them: bool

    @property
    def error(self) -> np.ndarray:
        return self.estimate - self.exact

    @property
    def relative_error(self) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.abs(self.error) / np.abs(self.exact)

    def rows(self) -> list[dict[str, str]]:
        """The table: one row per coordinate."""
        return [{
            "": f"∂f/∂{axis}",
            "exact": f"{self.exact[i]:.10g}",
            "central difference": f"{self.estimate[i]:.10g}",
            "error (relative)": f"{self.error[i]:.2g} ({self.relative_error[i]:.1g})",
        } for i, axis in enumerate("xy")]

    @property
    def sentence(self) -> str:
        """How the estimate was made, and what such estimates cost the run so far."""
        made = (f"Central differences (f(x + h) − f(x − h)) / 2h with h = {self.h:g}, beside "
                "the surface's exact gradient. ")
        if self.run_used_them:
            return made + ("This run estimated its gradients this way: 5 evaluations of f a "
                           f"point (4 for the differences, 1 for the loss), {self.so_far} so far.")
        return made + ("This run used the exact gradient; estimating each gradient this way "
                       "would have cost 5 evaluations of f a point (4 for the differences, 1 "
                       f"for the loss): {self.so_far} up to this point.")


def finite_differences(landscape, point, k: int, h: float | None = None,
                       run_used_them: bool = False) -> FiniteDifferences:
    """The central difference at ``point`` (point k of a run) with step ``h`` (the run's own,
    or ``DEFAULT_H``), beside the exact gradient; what it costs through point k."""
    h = DEFAULT_H if h is None else float(h)
    x, y = (float(v) for v in point)
    f = landscape.f(np.array([x + h, x - h, x, x]), np.array([y, y, y + h, y - h]))
    dfx, dfy = (f[0] - f[1]) / (2.0 * h), (f[2] - f[3]) / (2.0 * h)
    return FiniteDifferences(exact=np.array(landscape.grad(x, y), dtype=np.float64),
                             estimate=np.array([dfx, dfy]), h=h, so_far=5 * (k + 1),
                             run_used_them=run_used_them)


def local_grid(landscape, model: LocalModel, half_width: float, samples: int = 41
               ) -> dict[str, np.ndarray]:
    """The true loss and the quadratic model on a square grid about the point, for a small
    map: ``x``, ``y`` (samples,), ``true`` and ``quadratic`` (samples, samples)."""
    cx, cy = model.point
    xs = np.linspace(cx - half_width, cx + half_width, samples)
    ys = np.linspace(cy - half_width, cy + half_width, samples)
    gx, gy = np.meshgrid(xs, ys)
    displacements = np.stack([gx - cx, gy - cy], axis=-1)
    true = np.asarray(landscape.f(gx, gy), dtype=np.float64)
    return {"x": xs, "y": ys, "true": np.where(np.isfinite(true), true, np.nan),
            "quadratic": model.quadratic(displacements)}
