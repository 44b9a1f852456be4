"""The step-by-step section's charts: the loss along the step against its Taylor models, the
arrows at the current point on a small local map, and curves of the optimizer's state with a
cursor at the current step. Plain data in, a plotly figure dict out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from figures.local_model import LocalModel, StepSlice
from figures.palette import FONT, OKABE_ITO, SURFACE_COLORSCALE
from figures.step_math import StepNumbers, effective_rates

TRUE_COLOR, LINEAR_COLOR, QUADRATIC_COLOR = "#222222", OKABE_ITO[4], OKABE_ITO[3]
GRADIENT_COLOR, STEP_COLOR, VELOCITY_COLOR = OKABE_ITO[1], OKABE_ITO[0], OKABE_ITO[2]
X_COLOR, Y_COLOR = OKABE_ITO[0], OKABE_ITO[1]


def _layout(title: str, height: int, x_title: str, y_title: str, *, log_y: bool = False
            ) -> dict[str, Any]:
    return {
        "title": {"text": title, "x": 0.01, "font": {"size": 17}},
        "font": {**FONT, "size": 14},
        "height": height,
        "margin": {"l": 60, "r": 15, "t": 40, "b": 45},
        "xaxis": {"title": {"text": x_title, "standoff": 4}, "gridcolor": "#e6e6e6",
                  "automargin": True},
        "yaxis": {"title": {"text": y_title, "standoff": 4}, "gridcolor": "#e6e6e6",
                  "type": "log" if log_y else "linear", "exponentformat": "power",
                  "automargin": True},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "legend": {"orientation": "h", "y": -0.22, "font": {"size": 13}},
        "hovermode": "closest",
    }


def _finite(values) -> list[float | None]:
    """Values as a JSON list, a value that is not finite as null (a gap)."""
    values = np.asarray(values, dtype=np.float64)
    listed = values.tolist()
    # only the gaps are visited: a test of every value took ~1 ms per 1500-point curve with one
    for i in np.flatnonzero(~np.isfinite(values)).tolist():
        listed[i] = None
    return listed


def taylor_slice(sl: StepSlice, height: int = 340) -> dict[str, Any]:
    """The true loss along the step's line against the linear and quadratic models, the
    point (s = 0), where the step lands (s = L) and the quadratic model's lowest point."""
    s = _finite(sl.s)
    data = [
        {"type": "scatter", "mode": "lines", "x": s, "y": _finite(sl.true), "name": "true f",
         "line": {"color": TRUE_COLOR, "width": 3}},
        {"type": "scatter", "mode": "lines", "x": s, "y": _finite(sl.linear),
         "name": "linear model", "line": {"color": LINEAR_COLOR, "width": 2, "dash": "dot"}},
        {"type": "scatter", "mode": "lines", "x": s, "y": _finite(sl.quadratic),
         "name": "quadratic model", "line": {"color": QUADRATIC_COLOR, "width": 2,
                                              "dash": "dash"}},
    ]
    landed = sl.model.f + sl.slope * sl.landing + 0.5 * sl.curvature * sl.landing ** 2
    true_at = np.interp(sl.landing, sl.s, sl.true)
    data.append({"type": "scatter", "mode": "markers", "x": [0.0], "y": [sl.model.f],
                 "name": "the point", "marker": {"color": TRUE_COLOR, "size": 10}})
    data.append({"type": "scatter", "mode": "markers", "x": [sl.landing, sl.landing],
                 "y": _finite([true_at, landed]), "name": "where the step lands",
                 "marker": {"color": STEP_COLOR, "size": 11, "symbol": "x"}})
    lowest = sl.model_minimum
    if lowest is not None and sl.s[0] <= lowest <= sl.s[-1]:
        data.append({"type": "scatter", "mode": "markers", "x": [lowest],
                     "y": _finite([sl.model.f + 0.5 * sl.slope * lowest]),
                     "name": "the model's lowest point",
                     "marker": {"color": QUADRATIC_COLOR, "size": 10, "symbol": "diamond"}})
    layout = _layout("Loss along the step: true f and its Taylor models", height,
                     "distance s along the step", "f")
    layout["shapes"] = [{"type": "line", "xref": "x", "yref": "paper", "x0": sl.landing,
                         "x1": sl.landing, "y0": 0, "y1": 1,
                         "line": {"color": STEP_COLOR, "width": 1, "dash": "dot"}}]
    # the models leave the picture far from the point: keep the true loss's range in view
    finite = sl.true[np.isfinite(sl.true)]
    if finite.size:
        low, high = float(finite.min()), float(finite.max())
        pad = 0.15 * (high - low or abs(high) or 1.0)
        layout["yaxis"]["range"] = [min(low, sl.model.f) - pad, max(high, sl.model.f) + pad]
    layout["height"] = height + 30
    return {"data": data, "layout": layout}


def local_map(grid: dict[str, np.ndarray], model: LocalModel,
              arrows: Sequence[tuple[str, np.ndarray, np.ndarray, str]], height: int = 380
              ) -> dict[str, Any]:
    """A small map about the point: the true loss's contours, the quadratic model's contours
    (dashed), and ``arrows`` (name, offset of its tail from the point, vector, colour), all
    to scale on equal axes."""
    x, y = grid["x"], grid["y"]
    true, quadratic = grid["true"], grid["quadratic"]
    finite = true[np.isfinite(true)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    levels = {"start": low, "end": high, "size": (high - low) / 14 or 1.0}
    data: list[dict[str, Any]] = [
        {"type": "contour", "x": _finite(x), "y": _finite(y),
         "z": [_finite(row) for row in true], "contours": {**levels, "coloring": "heatmap"},
         "colorscale": [list(stop) for stop in SURFACE_COLORSCALE], "showscale": False,
         "name": "f",
         "hoverinfo": "skip", "line": {"width": 0.5}},
        {"type": "contour", "x": _finite(x), "y": _finite(y),
         "z": [_finite(row) for row in quadratic],
         "contours": {**levels, "coloring": "none"}, "showscale": False,
         "line": {"color": QUADRATIC_COLOR, "dash": "dash", "width": 1.5}, "hoverinfo": "skip",
         "name": "quadratic model", "showlegend": True},
        {"type": "scatter", "mode": "markers", "x": [float(model.point[0])],
         "y": [float(model.point[1])], "name": "the point",
         "marker": {"color": "white", "size": 10, "line": {"color": "black", "width": 2}}},
    ]
    notes = []
    cx, cy = (float(v) for v in model.point)
    for name, offset, vector, color in arrows:
        (ox, oy), (dx, dy) = ((float(v) for v in offset), (float(v) for v in vector))
        if not all(np.isfinite(v) for v in (ox, oy, dx, dy)) or dx == dy == 0.0:
            continue
        tail_x, tail_y = cx + ox, cy + oy
        notes.append({"x": tail_x + dx, "y": tail_y + dy, "ax": tail_x, "ay": tail_y,
                      "xref": "x", "yref": "y",
                      "axref": "x", "ayref": "y", "showarrow": True, "arrowhead": 2,
                      "arrowsize": 1.2, "arrowwidth": 3, "arrowcolor": color, "text": ""})
        data.append({"type": "scatter", "mode": "lines", "x": [None], "y": [None],
                     "name": name, "line": {"color": color, "width": 3}})
    layout = _layout("At the point: the arrows to scale", height, "x", "y")
    layout["xaxis"].update(range=[float(x[0]), float(x[-1])], constrain="domain")
    layout["yaxis"].update(range=[float(y[0]), float(y[-1])], scaleanchor="x", scaleratio=1,
                           constrain="domain")
    layout["annotations"] = notes
    layout["height"] = height + 50
    return {"data": data, "layout": layout}


def state_curves(series: Sequence[tuple[str, np.ndarray, str, str]], k: int, *, title: str,
                 y_title: str, log_y: bool = False, height: int = 300) -> dict[str, Any]:
    """Curves (name, values by point, colour, dash) against the step, with a cursor at point
    ``k``; on a log axis, values that are not positive are left out."""
    data = []
    for name, values, color, dash in series:
        values = np.asarray(values, dtype=np.float64)
        shown = values.copy()
        if log_y:
            shown[~(shown > 0)] = np.nan
        data.append({"type": "scatter", "mode": "lines", "x": list(range(values.size)),
                     "y": _finite(shown), "name": name,
                     "line": {"color": color, "width": 2.5, "dash": dash}})
    layout = _layout(title, height, "step", y_title, log_y=log_y)
    layout["shapes"] = [{"type": "line", "xref": "x", "yref": "paper", "x0": k, "x1": k,
                         "y0": 0, "y1": 1, "line": {"color": "#888888", "width": 2}}]
    layout["xaxis"].update(tickformat="d")
    layout["height"] = height + (30 if len(series) > 1 else 0)
    layout["showlegend"] = len(series) > 1
    return {"data": data, "layout": layout}


def _per_coordinate(values: np.ndarray, name: str) -> list[tuple[str, np.ndarray, str, str]]:
    return [(f"{name}: x", values[:, 0], X_COLOR, "solid"),
            (f"{name}: y", values[:, 1], Y_COLOR, "dash")]


RUNNING_PRODUCTS = ("beta1_power", "beta2_power", "mu_product")
"""State that is a running product of the hyperparameters alone (β^t), the same every run."""


def _in_use(path) -> dict[str, np.ndarray]:
    """The run's state buffers that its settings use: no momentum buffer without momentum,
    no mean gradient unless centered, no running maximum without AMSGrad, no running
    products."""
    hp = path.config["hyperparameters"]
    state = {name: values for name, values in (path.state or {}).items()
             if name not in RUNNING_PRODUCTS}
    for name, switch in (("momentum_buffer", "momentum"), ("grad_avg", "centered"),
                         ("max_exp_avg_sq", "amsgrad")):
        if switch in hp and not hp[switch]:
            state.pop(name, None)
    return state


def state_charts(path) -> list[dict[str, Any]]:
    """What the run's recorded state shows over time, as chart settings (``title``,
    ``y_title``, ``log_y``, ``series`` for :func:`state_curves`): the effective step size per
    coordinate of an adaptive method, the momentum's norm, AdaGrad's growing sum, Rprop's step
    sizes; for an optimizer with none of these, each state buffer per coordinate."""
    state = _in_use(path)
    charts = []
    rates = effective_rates(path)
    if rates is not None:
        charts.append({"title": "Effective step size per coordinate", "y_title": "step size",
                       "log_y": True, "series": _per_coordinate(rates, "step size")})
    for name, label in (("momentum_buffer", "‖b‖ (momentum buffer)"),
                        ("exp_avg", "‖m‖ (running mean of gradients)")):
        if name in state and np.any(state[name]):
            norm = np.hypot(state[name][:, 0], state[name][:, 1])
            charts.append({"title": f"Momentum: {label}", "y_title": label.split(" ")[0],
                           "log_y": True, "series": [(label, norm, VELOCITY_COLOR, "solid")]})
            break
    if "sum" in state:
        charts.append({"title": "AdaGrad's sum of squared gradients", "y_title": "s",
                       "log_y": True, "series": _per_coordinate(state["sum"], "s")})
    if "step_size" in state:
        charts.append({"title": "Rprop's step size per coordinate", "y_title": "Δ",
                       "log_y": True, "series": _per_coordinate(state["step_size"], "Δ")})
    if not charts:
        for name, values in state.items():
            charts.append({"title": name, "y_title": name, "log_y": False,
                           "series": _per_coordinate(values, name)})
    return charts


ARROWS = (("descent", "−lr ∇f (the gradient alone)", GRADIENT_COLOR),
          ("step", "the step taken", STEP_COLOR),
          ("velocity", "what momentum adds", VELOCITY_COLOR))
"""The arrows at the current point: key, name, colour (the player's map draws them too)."""


def carries_momentum(hyperparameters: dict[str, float]) -> bool:
    """Whether a run's steps carry a velocity (a momentum method): its arrows show what
    momentum adds to the gradient's step."""
    return hyperparameters.get("momentum", 0.0) > 0.0


def step_arrows(numbers: StepNumbers, hyperparameters: dict[str, float]
                ) -> list[tuple[str, np.ndarray, np.ndarray, str]]:
    """The arrows at the point, to scale: the step plain gradient descent would take
    (-lr ∇f), the step taken, and for a momentum method what momentum adds to the gradient's
    step (from the tip of the first, so the two add up to the step taken)."""
    zero = np.zeros(2)
    (_, descent, descent_color), (_, taken, step_color), (_, adds, velocity_color) = ARROWS
    arrows = [(descent, zero, numbers.plain, descent_color),
              (taken, zero, numbers.delta, step_color)]
    if carries_momentum(hyperparameters):
        arrows.append((adds, numbers.plain, numbers.delta - numbers.plain, velocity_color))
    return arrows


def arrow_series(xy: np.ndarray, grad: np.ndarray, lr: np.ndarray, momentum: bool
                 ) -> dict[str, np.ndarray]:
    """``step_arrows`` at every point t of a run, (n+1, 2) each, NaN at the last point (no
    step leaves it): ``descent`` = -lr_t ∇f(x_t) (the gradient as the run's source gave it),
    ``step`` = x_{t+1} - x_t and, for a momentum method (``momentum``), ``velocity`` = their
    difference, what momentum adds (for SGD's momentum -lr_t μ b_t, b its
    momentum_buffer before the step)."""
    xy = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
    steps = min(np.asarray(lr).shape[0], xy.shape[0] - 1)
    descent = np.full(xy.shape, np.nan)
    step = np.full(xy.shape, np.nan)
    descent[:steps] = -np.asarray(lr[:steps], dtype=np.float64)[:, None] * grad[:steps]
    step[:steps] = xy[1:steps + 1] - xy[:steps]
    series = {"descent": descent, "step": step}
    if momentum:
        series["velocity"] = step - descent
    return series


def arrows_reach(arrows: Sequence[tuple[str, np.ndarray, np.ndarray, str]]) -> float:
    """How far from the point the arrows reach (0 when they all vanish)."""
    ends = [np.hypot(*(offset + vector)) for _, offset, vector, _ in arrows]
    ends += [np.hypot(*vector) for _, _, vector, _ in arrows]
    finite = [float(e) for e in ends if np.isfinite(e)]
    return max(finite, default=0.0)
