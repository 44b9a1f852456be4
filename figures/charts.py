"""Static charts: curves against the step, the 3-D surface, sweep heatmaps and basin maps.

Plain data in, a plotly figure dict out; no streamlit here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from figures.animation import (
    MAX_END_LABELS,
    contour_trace,
    end_label,
    end_text,
    height_title,
    point_traces,
    run_legend_name,
    surface_height,
)
from figures.palette import FONT, OKABE_ITO, SURFACE_COLORSCALE, style_of
from optimizers import strided_indices

CURVE_CAP = 2000
"""The most points one curve (or 3-D path) carries; longer runs are strided (last point kept)."""


def shown_steps(n: int, cap: int = CURVE_CAP) -> np.ndarray:
    """The indices of a series of n values that a chart draws: all of them up to ``cap``,
    else ``cap`` evenly strided with the first and the last (``optimizers.strided_indices``)."""
    return strided_indices(n, cap)


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
        # automargin: the axis titles go beside the tick labels, whatever their size
        "xaxis": {"title": {"text": x_title, "standoff": 4}, "gridcolor": "#e6e6e6",
                  "automargin": True},
        "yaxis": {"title": {"text": y_title, "standoff": 4}, "type": "log" if log_y else "linear",
                  "gridcolor": "#e6e6e6", "exponentformat": "power", "automargin": True},
        "legend": {"orientation": "h", "y": -0.25},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "showlegend": False,
        "hovermode": "x unified",
    }


PER_STEP = ("lr",)
"""Series indexed by step, not by point: ``lr[t]`` is the rate of the step from point t to
point t + 1, so a run of n steps has n of them and n + 1 points."""

LEGEND_FONT = 13
LEGEND_ROW = 22
"""Pixels one row of a step chart's legend takes (added to the chart's height)."""

LEGEND_WIDTH = 380
"""The width (px) a step chart's legend is assumed to wrap in: the narrowest a chart gets."""

LABEL_LINE = 20
"""Pixels between two stacked end labels."""


def _legend_rows(names: Sequence[str]) -> int:
    """Rows a horizontal legend of ``names`` takes in ``LEGEND_WIDTH`` pixels (an estimate:
    ~7 px a character at the legend's font size, 45 px of line sample per entry)."""
    rows, used = 1, 0.0
    for name in names:
        width = 45 + 7.0 * len(name)
        if used and used + width > LEGEND_WIDTH:
            rows, used = rows + 1, 0.0
        used += width
    return rows


def _integer_steps(layout: dict[str, Any], last_step: int) -> None:
    """Whole-number ticks on the step axis: a short run would otherwise get 0.5, 1.5, ...."""
    layout["xaxis"].update(tickformat="d", tick0=0)
    if last_step <= 10:
        layout["xaxis"]["dtick"] = 1 if last_step <= 6 else 2


def _end_labels(ends: list[tuple[dict[str, Any], float, float, dict[str, str]]],
                x_range: tuple[float, float], y_range: tuple[float, float], plot_height: float
                ) -> list[dict[str, Any]]:
    """Annotations for the ends of the runs that left the map or diverged: each beside its
    end point, on the side that keeps it inside the chart (left of a point in the right part,
    under a point near the top, else above it), and moved a line further into the chart while
    it would cover one already placed. Annotations are not clipped at the plot's edge, as
    scatter text is; positions are estimated in pixels for a ``LEGEND_WIDTH``-wide plot."""
    (x0, x1), (y0, y1) = x_range, y_range
    placed: list[tuple[float, float, float, float]] = []  # (left, right, low, high) in px

    def covers(left: float, right: float, low: float) -> bool:
        return any(left < b and right > a and low < d and low + LABEL_LINE > c
                   for a, b, c, d in placed)

    def height(y: float) -> float:
        return (y - y0) / (y1 - y0) if y1 > y0 else 0.5

    def outside_in(end) -> tuple[bool, float]:
        """Labels over low points from the lowest up, then labels under high points from the
        highest down: each stack grows into the chart."""
        fy = height(end[2])
        return (fy > 0.75, -fy if fy > 0.75 else fy)

    notes = []
    for run, x, y, style in sorted(ends, key=outside_in):
        label = end_label(run)
        fx = (x - x0) / (x1 - x0) if x1 > x0 else 1.0
        fy = height(y)
        px, py = fx * LEGEND_WIDTH, fy * plot_height
        width = 8.0 * len(label)
        rightwards, below = fx < 0.45, fy > 0.75
        left = px if rightwards else px - width
        step = -LABEL_LINE if below else LABEL_LINE
        low = py - LABEL_LINE if below else py
        shift = 0.0
        while covers(left, left + width, low + shift) and abs(shift) < LABEL_LINE * len(ends):
            shift += step
        placed.append((left, left + width, low + shift, low + shift + LABEL_LINE))
        notes.append({
            "x": x, "y": y, "xref": "x", "yref": "y", "text": label, "showarrow": False,
            "xanchor": "left" if rightwards else "right", "yanchor": "top" if below else "bottom",
            "xshift": 6 if rightwards else -6, "yshift": shift,
            "font": {"color": style["text"], "size": 14}, "bgcolor": "rgba(255,255,255,0.85)",
            "hovertext": end_text(run),
        })
    return notes


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
    per_step: bool | None = None,
) -> dict[str, Any]:
    """One line per run of ``run[key]`` (a 1-D array indexed by point or by step) against the
    step, each in its run's colour and dash (``figures.run_style``), with a legend of the
    runs' names under the chart (the chart grows by the legend's height).

    A run that left the map or diverged (``run["outcome"]``) ends in a marker (✕: diverged,
    ▶: left the map) with its full words on hover, and its label beside it when at most
    ``MAX_END_LABELS`` runs have one. Values that are not finite (steps not
    computed) and, on a log axis, non-positive values are dropped. With ``faint``, a run that
    carries ``run[faint]`` (a noisier reading of the same quantity, such as each mini-batch's
    own loss) also gets it as a thin, pale line under every run's own, named
    "<run>: <faint_name>". ``per_step`` (default: ``key`` in ``PER_STEP``) says the series
    holds one value per step rather than per point.
    """
    per_step = key in PER_STEP if per_step is None else per_step
    pale, data, ends = [], [], []
    last_step, drawn = 0, []
    for run in runs:
        style = style_of(run)
        if faint is not None and run.get(faint) is not None:
            pale.append({
                "type": "scatter", "mode": "lines", **_rounded_curve(*_shown(run[faint], log_y)),
                "name": f"{run['name']}: {faint_name}", "opacity": 0.35, "showlegend": False,
                "line": {"color": style["color"], "width": 1},
            })
        steps, ys = _shown(run[key], log_y)
        line = {"color": style["color"], "width": 3, "dash": style["dash"]}
        if per_step and steps.size:
            # Step t carries the run from point t to point t + 1 at rate lr[t], so the rate is
            # a stair over [t, t + 1] and its line ends at the run's last point, the step
            # where the loss and gradient lines end (after a divergence too: the core keeps
            # no rate for the step that reached the unusable point).
            steps, ys = np.append(steps, steps[-1] + 1), np.append(ys, ys[-1])
            line["shape"] = "hv"
        data.append({
            "type": "scatter", "mode": "lines", **_rounded_curve(steps, ys),
            "name": run_legend_name(run), "legendgroup": run["name"], "line": line,
        })
        if steps.size:
            last_step = max(last_step, int(steps[-1]))
            drawn.append(ys)
        if end_label(run) and steps.size:
            end_x, end_y = int(steps[-1]), float(f"{ys[-1]:.5g}")
            data.append({
                "type": "scatter", "mode": "markers", "x": [end_x], "y": [end_y],
                "name": end_label(run), "legendgroup": run["name"], "showlegend": False,
                "marker": {"color": style["color"], "size": 11,
                           "symbol": "x" if run["outcome"].diverged else "triangle-right"},
                "hovertemplate": f"{run['name']}: {end_text(run)}<extra></extra>",
            })
            ends.append((run, end_x, np.log10(end_y) if log_y else end_y, style))
    rows = _legend_rows([run_legend_name(run) for run in runs]) if runs else 0
    layout = _base_layout(title, height + rows * LEGEND_ROW, "step", y_title, log_y)
    layout.update(showlegend=bool(runs))
    # under the axis title, in a margin of its own: the bottom margin grows by the legend's
    # rows, and the legend sits at the container's bottom, inside it
    layout["margin"]["b"] += rows * LEGEND_ROW
    layout["legend"] = {"orientation": "h", "x": 0, "xanchor": "left", "y": 0, "yref": "container",
                        "yanchor": "bottom", "font": {"size": LEGEND_FONT}, "tracegroupgap": 0}
    _integer_steps(layout, last_step)
    y_range = _value_range(drawn, log_y)
    if y_range is not None and y_range[1] - y_range[0] < FLAT:
        # every run at one value (a shared constant lr): plotly would zoom into rounding
        # noise (ticks like 0.05000000000000001665); show a decade around it instead
        middle = 0.5 * (y_range[0] + y_range[1])
        half = 0.5 if log_y else max(0.5 * abs(middle), 0.5)
        y_range = (middle - half, middle + half)
        layout["yaxis"]["range"] = list(y_range)
    if ends and y_range is not None and len(ends) <= MAX_END_LABELS:  # more would pile up:
        margin = layout["margin"]                                    # the markers' hover says it
        plot_height = height - margin["t"] - margin["b"]
        layout["annotations"] = _end_labels(ends, (0.0, float(max(last_step, 1))), y_range,
                                            plot_height)
    return {"data": pale + data, "layout": layout}


FLAT = 1e-9
"""A span of drawn values (in axis units) below which a chart counts as flat."""


def _value_range(drawn: list[np.ndarray], log_y: bool) -> tuple[float, float] | None:
    """The lowest and highest drawn value in axis units (log10 on a log axis), or None."""
    if not drawn:
        return None
    values = np.concatenate(drawn)
    values = np.log10(values) if log_y else values
    return float(values.min()), float(values.max())


CAMERA_EYE = (("x", 0.5), ("y", -1.4), ("z", 1.8))
"""Where the 3-D view looks from: in front of the window (x runs left to right and y away,
as on the map) and higher than plotly's default, so it sees into valleys, where paths go."""

PATH_LIFT = 0.02
"""How far the 3-D paths float above the sheet, as a share of its height range: enough to stay
in front of the sheet's triangles (which cut the corners of a curved surface) from the default
camera, little enough to read as lying on it."""


def _sheet_top(surface: dict[str, Any], z: np.ndarray, x: np.ndarray, y: np.ndarray
               ) -> np.ndarray:
    """The highest the drawn sheet gets in the grid cell around each (x, y): the largest of
    the cell's four corners, since its triangles interpolate between them (NaN outside the
    grid or where the sheet has a hole)."""
    gx, gy = np.asarray(surface["x"], dtype=np.float64), np.asarray(surface["y"], dtype=np.float64)
    inside = (gx[0] <= x) & (x <= gx[-1]) & (gy[0] <= y) & (y <= gy[-1])
    i = np.clip(np.searchsorted(gx, x), 1, gx.size - 1)
    j = np.clip(np.searchsorted(gy, y), 1, gy.size - 1)
    top = np.fmax.reduce([z[j, i], z[j - 1, i], z[j, i - 1], z[j - 1, i - 1]])
    return np.where(inside, top, np.nan)


def sheet_trace(surface: dict[str, Any]) -> dict[str, Any]:
    """The 3-D sheet of the surface alone (the first trace of ``surface_3d``)."""
    z = surface_height(surface["z"], surface["log_scale"], surface["floor"])
    return {
        "type": "surface", "x": np.round(surface["x"], 5).tolist(),
        "y": np.round(surface["y"], 5).tolist(), "z": np.round(z, 3).tolist(),
        "colorscale": [list(s) for s in SURFACE_COLORSCALE], "opacity": 0.92,
        "showscale": False, "hoverinfo": "skip",
        "contours": {"z": {"show": True, "usecolormap": False, "color": "#5b6b80",
                           "width": 1}},
    }


def _rounded_where(values: np.ndarray, shown: np.ndarray) -> list[float | None]:
    """``values`` to 4 decimals as a JSON list, None (a gap) where not ``shown``."""
    listed = np.round(values, 4).tolist()
    if shown.all():
        return listed
    return [v if ok else None for v, ok in zip(listed, shown.tolist(), strict=True)]


def surface_3d(
    surface: dict[str, Any], runs: Sequence[dict[str, Any]], *, height: int = 560,
    sheet: Any = None,
) -> dict[str, Any]:
    """The surface as a 3-D sheet with each run's path lying on it, in its run's colour, dash
    and marker symbol.

    A path is drawn at the highest the sheet gets in the grid cell under each point (or f
    itself, where that is higher), plus ``PATH_LIFT`` of the sheet's height range, so the
    sheet does not hide it, and only where it is over the sheet. The camera (``CAMERA_EYE``)
    looks from above the window's near edge, into the valleys.

    ``sheet`` stands in the figure for the sheet's trace (``sheet_trace(surface)`` when None):
    a page that keeps the sheet's JSON per surface puts a marker there and splices it in.
    """
    log_scale, floor = surface["log_scale"], surface["floor"]
    z = surface_height(surface["z"], log_scale, floor)
    data: list[Any] = [sheet_trace(surface) if sheet is None else sheet]
    finite = z[np.isfinite(z)]
    lift = PATH_LIFT * float(np.ptp(finite)) if finite.size else 0.0
    for run in runs:
        style = style_of(run)
        xy = np.asarray(run["xy"], dtype=np.float64).reshape(-1, 2)
        loss = np.asarray(run["loss"], dtype=np.float64)
        keep = shown_steps(xy.shape[0])
        # measured from the sheet's own floor, so a path and the sheet under it agree
        own = surface_height(loss[keep], log_scale, floor, like=surface["z"])
        under = _sheet_top(surface, z, xy[keep, 0], xy[keep, 1])
        height_values = np.fmax(own, under) + lift
        # only over the sheet: a run that left the window would stretch the height axis
        # (down to -10 000 on the saddle) and flatten the sheet to a plane
        over = np.isfinite(under) & np.isfinite(height_values)
        data.append({
            "type": "scatter3d", "mode": "lines+markers",
            "x": _rounded_where(xy[keep, 0], over), "y": _rounded_where(xy[keep, 1], over),
            "z": _rounded_where(height_values, over), "name": run_legend_name(run),
            "line": {"color": style["color"], "width": 8, "dash": style["dash_3d"]},
            "marker": {"size": 3, "color": style["color"], "symbol": style["symbol_3d"]},
            "hovertemplate": f"{run['name']}<br>(%{{x:.3f}}, %{{y:.3f}})<extra></extra>",
        })
    (x0, x1), (y0, y1) = surface["bounds"]
    layout = {
        "font": FONT, "height": height, "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
        "scene": {
            "xaxis": {"title": {"text": "x"}, "range": [x0, x1]},
            "yaxis": {"title": {"text": "y"}, "range": [y0, y1]},
            "zaxis": {"title": {"text": height_title(log_scale)}, "nticks": 5,  # seen from
                      # above, the height axis is short: more ticks would overlap
                      **({"range": [float(finite.min()), float(finite.max()) + 2 * lift]}
                         if finite.size else {})},
            "aspectmode": "manual", "aspectratio": {"x": 1, "y": 1, "z": 0.6},
            "camera": {"eye": dict(CAMERA_EYE)},
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
