"""Static charts: curves against the step, the 3-D surface, sweep heatmaps and basin maps.

Plain data in, a plotly figure dict out; no streamlit here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from figures.animation import (
    contour_trace,
    diverged_label,
    height_title,
    point_traces,
    run_legend_name,
    surface_height,
)
from figures.palette import FONT, OKABE_ITO, SURFACE_COLORSCALE

CURVE_CAP = 2000
"""The most points one curve (or 3-D path) carries; longer runs are strided (last point kept)."""


def shown_steps(n: int, cap: int = CURVE_CAP) -> np.ndarray:
    """The indices of a series of n values that a chart draws: all of them up to ``cap``,
    else ``cap`` evenly strided with the first and the last."""
    if n <= cap:
        return np.arange(n)
    return np.unique(np.round(np.linspace(0, n - 1, cap)).astype(np.int64))


def _shown(values: np.ndarray, log_y: bool) -> tuple[np.ndarray, np.ndarray]:
    """(steps, values) as a curve draws them: strided, finite, and positive on a log axis."""
    values = np.asarray(values, dtype=np.float64)
    steps = shown_steps(values.size)
    ys = values[steps]
    ok = np.isfinite(ys) & (ys > 0) if log_y else np.isfinite(ys)
    return steps[ok], ys[ok]


def _rounded_curve(steps: np.ndarray, ys: np.ndarray) -> dict[str, list]:
    return {"x": steps.tolist(), "y": [float(f"{v:.5g}") for v in ys]}


def _base_layout(title: str, height: int, x_title: str, y_title: str, log_y: bool) -> dict:
    return {
        "title": {"text": title, "x": 0.01, "font": {"size": 19}},
        "font": FONT,
        "height": height,
        "margin": {"l": 70, "r": 20, "t": 45, "b": 50},
        "xaxis": {"title": {"text": x_title}, "gridcolor": "#e6e6e6"},
        "yaxis": {"title": {"text": y_title}, "type": "log" if log_y else "linear",
                  "gridcolor": "#e6e6e6", "exponentformat": "power"},
        "legend": {"orientation": "h", "y": -0.25},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "showlegend": False,
        "hovermode": "x unified",
    }


def step_curves(
    runs: Sequence[dict[str, Any]],
    key: str,
    *,
    title: str,
    y_title: str,
    log_y: bool = False,
    height: int = 320,
    faint: str | None = None,
    faint_name: str = "",
) -> dict[str, Any]:
    """One line per run of ``run[key]`` (a 1-D array indexed by step) against the step.

    A diverged run's line stops at its last finite point, which carries the label.
    Values that are not finite (steps not computed) and, on a log axis, non-positive values
    are dropped. With ``faint``, a run that carries ``run[faint]`` (a noisier reading of the
    same quantity, such as each mini-batch's own loss) also gets it as a thin, pale line
    under every run's own, named "<run>: <faint_name>".
    """
    pale, data = [], []
    for run in runs:
        if faint is not None and run.get(faint) is not None:
            pale.append({
                "type": "scatter", "mode": "lines", **_rounded_curve(*_shown(run[faint], log_y)),
                "name": f"{run['name']}: {faint_name}", "opacity": 0.35,
                "line": {"color": run["color"], "width": 1},
            })
        steps, ys = _shown(run[key], log_y)
        data.append({
            "type": "scatter", "mode": "lines", **_rounded_curve(steps, ys),
            "name": run_legend_name(run), "line": {"color": run["color"], "width": 3},
        })
        if run.get("diverged_at") is not None and steps.size:
            data.append({
                "type": "scatter", "mode": "markers+text", "x": [int(steps[-1])],
                "y": [float(ys[-1])], "text": [diverged_label(run["diverged_at"])],
                "textposition": "top right", "textfont": {"color": run["color"]},
                "marker": {"color": run["color"], "size": 11, "symbol": "x"},
                "showlegend": False, "hoverinfo": "skip",
            })
    return {"data": pale + data, "layout": _base_layout(title, height, "step", y_title, log_y)}


def surface_3d(
    surface: dict[str, Any], runs: Sequence[dict[str, Any]], *, height: int = 560
) -> dict[str, Any]:
    """The surface as a 3-D sheet with each run's path lying on it."""
    log_scale, floor = surface["log_scale"], surface["floor"]
    z = surface_height(surface["z"], log_scale, floor)
    data: list[dict[str, Any]] = [{
        "type": "surface", "x": np.round(surface["x"], 5).tolist(),
        "y": np.round(surface["y"], 5).tolist(), "z": np.round(z, 3).tolist(),
        "colorscale": [list(s) for s in SURFACE_COLORSCALE], "opacity": 0.92,
        "showscale": False, "hoverinfo": "skip",
        "contours": {"z": {"show": True, "usecolormap": False, "color": "#5b6b80",
                           "width": 1}},
    }]
    finite = z[np.isfinite(z)]
    lift = 0.01 * float(np.ptp(finite)) if finite.size else 0.0
    for run in runs:
        xy = np.asarray(run["xy"], dtype=np.float64).reshape(-1, 2)
        loss = np.asarray(run["loss"], dtype=np.float64)
        keep = shown_steps(xy.shape[0])
        height_values = surface_height(loss[keep], log_scale, floor) + lift
        data.append({
            "type": "scatter3d", "mode": "lines+markers",
            "x": np.round(xy[keep, 0], 4).tolist(), "y": np.round(xy[keep, 1], 4).tolist(),
            "z": np.round(height_values, 4).tolist(), "name": run_legend_name(run),
            "line": {"color": run["color"], "width": 6},
            "marker": {"size": 2.5, "color": run["color"]},
        })
    (x0, x1), (y0, y1) = surface["bounds"]
    layout = {
        "font": FONT, "height": height, "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
        "scene": {
            "xaxis": {"title": {"text": "x"}, "range": [x0, x1]},
            "yaxis": {"title": {"text": "y"}, "range": [y0, y1]},
            "zaxis": {"title": {"text": height_title(log_scale)}},
            "aspectmode": "manual", "aspectratio": {"x": 1, "y": 1, "z": 0.6},
        },
        "legend": {"orientation": "h", "y": 0.02},
        "paper_bgcolor": "white",
    }
    return {"data": data, "layout": layout}


def surface_map(surface: dict[str, Any], *, height: int = 520, title: str = "") -> dict[str, Any]:
    """A static contour map with the known points (no runs): for the Learn page."""
    data = [contour_trace(surface), *point_traces(surface["points"])]
    (x0, x1), (y0, y1) = surface["bounds"]
    layout = _base_layout(title, height, "x", "y", False)
    layout.update(hovermode="closest", showlegend=True)
    layout["xaxis"].update(range=[x0, x1], showgrid=False)
    layout["yaxis"].update(range=[y0, y1], showgrid=False, scaleanchor="x", constrain="domain")
    layout["xaxis"]["constrain"] = "domain"
    return {"data": data, "layout": layout}


def sweep_heatmap(
    x_values: np.ndarray,
    y_values: np.ndarray,
    values: np.ndarray,
    *,
    x_title: str,
    y_title: str,
    value_title: str,
    log_x: bool,
    log_y: bool,
    log_values: bool,
    diverged: np.ndarray,
    height: int = 560,
) -> dict[str, Any]:
    """A heatmap over a hyperparameter grid; diverged cells are hatched out with an ✕.

    Cell centres also carry invisible markers so a click selects the cell.
    """
    values = np.asarray(values, dtype=np.float64)
    shown = values.copy()
    if log_values:
        positive = shown[(shown > 0) & np.isfinite(shown)]
        floor = positive.min() if positive.size else 1.0
        shown = np.log10(np.maximum(shown, floor))
    shown = np.where(np.asarray(diverged, dtype=bool) | ~np.isfinite(shown), np.nan, shown)
    text = [[("diverged" if d else f"{v:.3g}") for v, d in zip(row, drow, strict=True)]
            for row, drow in zip(values, diverged, strict=True)]
    gx, gy = np.meshgrid(np.arange(len(x_values)), np.arange(len(y_values)))
    x_labels = [f"{v:.3g}" for v in x_values]
    y_labels = [f"{v:.3g}" for v in y_values]
    z = [[None if np.isnan(v) else round(float(v), 4) for v in row] for row in shown]
    data = [
        {
            "type": "heatmap", "x": x_labels, "y": y_labels, "z": z,
            "colorscale": "Viridis", "reversescale": True,
            "colorbar": {"title": {"text": ("log₁₀ " if log_values else "") + value_title}},
            "hoverinfo": "skip", "xgap": 1, "ygap": 1,
        },
        {  # Streamlit reports clicks on scatter points only: one invisible point per cell
            "type": "scatter", "mode": "markers",
            "x": [x_labels[i] for i in gx.ravel()], "y": [y_labels[j] for j in gy.ravel()],
            "customdata": np.column_stack([gx.ravel(), gy.ravel()]).tolist(),
            "text": [cell for row in text for cell in row],
            "hovertemplate": f"{x_title} = %{{x}}<br>{y_title} = %{{y}}<br>"
                             f"{value_title}: %{{text}}<br>click to open in Explore<extra></extra>",
            "marker": {"size": 14, "opacity": 0.0, "color": "#000000"},
            "showlegend": False, "name": "cells",
        },
    ]
    bad = [(x_labels[i], y_labels[j]) for j, i in zip(*np.nonzero(diverged), strict=True)]
    if bad:
        data.append({
            "type": "scatter", "mode": "markers", "x": [b[0] for b in bad],
            "y": [b[1] for b in bad], "name": "diverged",
            "marker": {"symbol": "x-thin-open", "size": 12, "color": "#D55E00",
                       "line": {"width": 2, "color": "#D55E00"}},
            "hoverinfo": "skip",
        })
    layout = _base_layout("", height, x_title + (" (log scale)" if log_x else ""),
                          y_title + (" (log scale)" if log_y else ""), False)
    # Any point in a cell is nearest that cell's centre, so a click anywhere picks the cell.
    # (The figure must not set clickmode or dragmode: Streamlit's selection relies on its own.)
    layout.update(hovermode="closest", hoverdistance=-1)
    layout["xaxis"].update(type="category", showgrid=False)
    layout["yaxis"].update(type="category", showgrid=False)
    layout["margin"]["t"] = 20
    return {"data": data, "layout": layout}


BASIN_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
                "#999999")


def basins_map(
    xs: np.ndarray,
    ys: np.ndarray,
    labels: np.ndarray,
    minima: Sequence[tuple[float, float, str]],
    *,
    bounds,
    height: int = 560,
) -> dict[str, Any]:
    """Each start point coloured by the minimum its run reaches (grey: none, white: diverged)."""
    n = len(minima)
    names = [f"→ ({x:.2f}, {y:.2f})" + (" global" if k == "global minimum" else " local")
             for x, y, k in minima]
    codes = np.asarray(labels, dtype=np.float64).copy()
    codes[labels == -1] = n  # ended elsewhere
    codes[labels == -2] = n + 1  # diverged
    palette = [BASIN_COLORS[i % len(BASIN_COLORS)] for i in range(n)] + ["#bbbbbb", "#ffffff"]
    legend = [*names, "ends elsewhere", "diverged"]
    stops = []
    for i, colour in enumerate(palette):
        stops += [[i / len(palette), colour], [(i + 1) / len(palette), colour]]
    data: list[dict[str, Any]] = [{
        "type": "heatmap", "x": np.round(xs, 4).tolist(), "y": np.round(ys, 4).tolist(),
        "z": codes.tolist(), "zmin": -0.5, "zmax": len(palette) - 0.5, "colorscale": stops,
        "showscale": False, "customdata": [[legend[int(c)] for c in row] for row in codes],
        "hovertemplate": "start (%{x:.2f}, %{y:.2f})<br>%{customdata}<extra></extra>",
    }]
    for i, (x, y, kind) in enumerate(minima):
        data.append({
            "type": "scatter", "mode": "markers", "x": [x], "y": [y], "name": names[i],
            "marker": {"symbol": "star" if kind == "global minimum" else "star-open",
                       "size": 20, "color": palette[i], "line": {"width": 2, "color": "black"}},
        })
    for label, colour in (("ends elsewhere", "#bbbbbb"), ("diverged", "#ffffff")):
        data.append({"type": "scatter", "mode": "markers", "x": [None], "y": [None],
                     "name": label, "marker": {"symbol": "square", "size": 14, "color": colour,
                                               "line": {"width": 1, "color": "#666"}}})
    (x0, x1), (y0, y1) = bounds
    layout = _base_layout("", height, "start x", "start y", False)
    layout.update(hovermode="closest", showlegend=True)
    layout["legend"] = {"orientation": "v", "x": 1.02, "y": 1}
    layout["xaxis"].update(range=[x0, x1], showgrid=False, constrain="domain")
    layout["yaxis"].update(range=[y0, y1], showgrid=False, scaleanchor="x", constrain="domain")
    layout["margin"]["t"] = 20
    return {"data": data, "layout": layout}


def run_colors(count: int) -> list[str]:
    return [OKABE_ITO[i % len(OKABE_ITO)] for i in range(count)]
