"""The animated map: a surface drawn once, paths that grow frame by frame in the browser.

Input is plain data: a surface view (grid, window, known points) and runs (name, colour, path,
and how the run ended: ``run["outcome"]``, an ``optimizers.Outcome`` read for its ``label``).
Output is a plotly figure as a plain dict. The contour lives only in the base figure; each frame
restyles just the path and head traces (``traces=[...]``), so the browser never redraws the
surface and Play needs no server round-trip. Frames are capped (``FRAME_CAP``) with a stride that
always keeps the first and the last step.
"""

from __future__ import annotations

import base64
import math
import struct
import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np

from figures.palette import FONT, POINT_STYLES, SURFACE_COLORSCALE, style_of

FRAME_CAP = 150
"""The most frames one animation carries; longer runs are shown with a stride."""

FULL_PATH_CAP = 1500
"""The most points of a path drawn in the final state (the base figure and the last frame)."""

SPEEDS = (("▶ Play", 60), ("▶▶ 2×", 30), ("▶▶▶ 4×", 12), ("½× slow", 160))
"""The play buttons: label and milliseconds per frame."""


def map_height(bounds: Sequence[Sequence[float]], width: int = 760) -> int:
    """A figure height that fits the window at equal aspect in a plot about ``width`` wide,
    with room for the legend above it and the controls below (``CONTROLS_BOTTOM``)."""
    ratio = (bounds[1][1] - bounds[1][0]) / (bounds[0][1] - bounds[0][0])
    return int(min(820, max(520, width * ratio + 100 + CONTROLS_BOTTOM)))


def end_label(run: dict[str, Any]) -> str:
    """The words at a run's end ("left the map at step k", "diverged at step k"; empty for a
    run that ended in the window or whose outcome is not given)."""
    outcome = run.get("outcome")
    return outcome.label if outcome is not None else ""


def end_text(run: dict[str, Any]) -> str:
    """The full words for how a run ended (for hover text): the label and why."""
    outcome = run.get("outcome")
    return outcome.text if outcome is not None else ""


def frame_indices(n_points: int, cap: int = FRAME_CAP) -> np.ndarray:
    """Point indices shown as frames: at most ``cap``, evenly strided, first and last included."""
    if n_points <= 0:
        return np.zeros(1, dtype=np.int64)
    count = max(2, min(cap, n_points)) if n_points > 1 else 1
    return np.unique(np.round(np.linspace(0, n_points - 1, count)).astype(np.int64))


def decimals_for(bounds: Sequence[Sequence[float]]) -> int:
    """Decimal places that keep coordinates to about 1/10 000 of the window (small payload)."""
    span = max(bounds[0][1] - bounds[0][0], bounds[1][1] - bounds[1][0])
    return max(0, 4 - math.floor(math.log10(span)))


def _rounded(values: np.ndarray, decimals: int) -> list[float]:
    return np.round(np.asarray(values, dtype=np.float64), decimals).tolist()


def surface_height(z: np.ndarray, log_scale: bool, floor: float,
                   like: np.ndarray | None = None) -> np.ndarray:
    """What the colour scale shows: f, or log10(f - floor + eps) when the surface spans
    decades, with eps a millionth of the largest gap in ``z`` (or in ``like``: the surface's
    grid, so that points of a path get the heights the surface's picture gives them)."""
    z = np.asarray(z, dtype=np.float64)
    if not log_scale:
        return z
    gap = z - floor
    reference = gap if like is None else np.asarray(like, dtype=np.float64) - floor
    eps = max(1e-12, 1e-6 * float(np.nanmax(reference)))
    return np.log10(np.maximum(gap, 0.0) + eps)


def height_title(log_scale: bool) -> str:
    return "log₁₀(f − f*)" if log_scale else "f(x, y)"


def _hint(clickable: bool) -> str:
    """What a map's hover adds: an invitation to click, only where a click does something."""
    return "click: start here" if clickable else ""


def contour_trace(surface: dict[str, Any]) -> dict[str, Any]:
    """The filled contour of the surface (log colour scale where ``log_scale``)."""
    z = surface_height(surface["z"], surface["log_scale"], surface["floor"])
    return {
        "type": "contour",
        "x": _rounded(surface["x"], 5),
        "y": _rounded(surface["y"], 5),
        "z": np.round(z, 3).tolist(),
        "colorscale": [list(stop) for stop in SURFACE_COLORSCALE],
        "ncontours": 28,
        "contours": {"coloring": "fill", "showlines": True},
        "line": {"width": 0.6, "color": "rgba(40, 50, 70, 0.35)"},
        "colorbar": {"title": {"text": height_title(surface["log_scale"])}, "thickness": 16},
        "hovertemplate": "x = %{x:.3f}<br>y = %{y:.3f}<extra></extra>",
        "name": "surface",
        "showlegend": False,
    }


BANDS = 24
"""Colour bands of the backdrop; their edges are drawn as contour lines."""


def _colorscale_rgb(t: np.ndarray) -> np.ndarray:
    stops = np.array([s for s, _ in SURFACE_COLORSCALE])
    colours = np.array([[int(c[i:i + 2], 16) for i in (1, 3, 5)] for _, c in SURFACE_COLORSCALE],
                       dtype=np.float64)
    return np.stack([np.interp(t, stops, colours[:, k]) for k in range(3)], axis=-1)


def png_data_uri(rgb: np.ndarray) -> str:
    """An (h, w, 3) uint8 image as a data: URI (a minimal PNG writer, standard library only)."""
    h, w, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[row].tobytes() for row in range(h))

    def chunk(tag: bytes, payload: bytes) -> bytes:
        return (struct.pack(">I", len(payload)) + tag + payload
                + struct.pack(">I", zlib.crc32(tag + payload) & 0xFFFFFFFF))

    png = (b"\x89PNG\r\n\x1a\n"
           + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _height_range(surface: dict[str, Any]) -> tuple[np.ndarray, float, float]:
    """The colour-scale heights and their finite range (NaN where f is undefined)."""
    height = surface_height(surface["z"], surface["log_scale"], surface["floor"])
    height = np.where(np.isfinite(height), height, np.nan)
    if not np.isfinite(height).any():
        return height, 0.0, 1.0
    return height, float(np.nanmin(height)), float(np.nanmax(height))


def surface_png(surface: dict[str, Any]) -> str:
    """The surface as filled contour bands with darker edges, as a PNG data URI."""
    height, low, high = _height_range(surface)
    undefined = np.isnan(height)
    t = (np.where(undefined, low, height) - low) / max(high - low, 1e-300)
    band = np.minimum((t * BANDS).astype(np.int64), BANDS - 1)
    band[undefined] = -1
    rgb = _colorscale_rgb((band + 0.5) / BANDS)
    edge = np.zeros(band.shape, dtype=bool)
    edge[:, :-1] |= band[:, 1:] != band[:, :-1]
    edge[:-1, :] |= band[1:, :] != band[:-1, :]
    rgb[edge] *= 0.82
    rgb[undefined] = 255.0  # blank where f is undefined
    return png_data_uri(np.ascontiguousarray(rgb[::-1].round().astype(np.uint8)))


def surface_backdrop(surface: dict[str, Any], clicks: int = 45, clickable: bool = True
                     ) -> list[dict[str, Any]]:
    """What the picture cannot do: a colour bar, and invisible points to hover and click."""
    _, low, high = _height_range(surface)
    (x0, x1), (y0, y1) = surface["bounds"]
    gx, gy = np.meshgrid(np.linspace(x0, x1, clicks), np.linspace(y0, y1, clicks))
    decimals = decimals_for(surface["bounds"])
    return [
        {
            "type": "scatter", "mode": "markers", "x": [None], "y": [None],
            "marker": {"color": [low], "cmin": low, "cmax": high, "showscale": True,
                       "colorscale": [list(stop) for stop in SURFACE_COLORSCALE],
                       "colorbar": {"title": {"text": height_title(surface["log_scale"])},
                                    "thickness": 16}},
            "showlegend": False, "hoverinfo": "skip", "name": "colour scale",
        },
        {
            "type": "scatter", "mode": "markers", "x": _rounded(gx.ravel(), decimals),
            "y": _rounded(gy.ravel(), decimals), "name": "surface", "showlegend": False,
            "marker": {"size": 10, "opacity": 0.0, "color": "#000000"},
            "hovertemplate": f"x = %{{x:.3f}}<br>y = %{{y:.3f}}<extra>{_hint(clickable)}</extra>",
        },
    ]


def point_traces(points: Sequence[tuple[float, float, str]]) -> list[dict[str, Any]]:
    """One marker trace per kind of known point (global/local minima, saddle points)."""
    traces = []
    for kind, style in POINT_STYLES.items():
        chosen = [(x, y) for x, y, k in points if k == kind]
        if not chosen:
            continue
        traces.append({
            "type": "scatter",
            "mode": "markers",
            "x": [p[0] for p in chosen],
            "y": [p[1] for p in chosen],
            "name": kind,
            "showlegend": False,
            "marker": {
                "symbol": style["symbol"], "size": style["size"], "color": style["color"],
                "line": {"width": 1.5, "color": style["color"]},
            },
            "hovertemplate": f"{kind}<br>(%{{x:.3f}}, %{{y:.3f}})<extra></extra>",
        })
    return traces


def _final_path(xy: np.ndarray) -> np.ndarray:
    if xy.shape[0] <= FULL_PATH_CAP:
        return xy
    keep = np.unique(np.round(np.linspace(0, xy.shape[0] - 1, FULL_PATH_CAP)).astype(np.int64))
    return xy[keep]


def run_legend_name(run: dict[str, Any]) -> str:
    label = end_label(run)
    return f"{run['name']} — {label}" if label else run["name"]


def last_seen(xy: np.ndarray, bounds: Sequence[Sequence[float]]) -> tuple[float, float]:
    """Where a path was last seen on the map: its last point if that is in the window, else
    where its last segment into the outside crossed the window's edge (the nearest point of
    the window to the last point if the path never was inside)."""
    (x0, x1), (y0, y1) = bounds
    inside = (x0 <= xy[:, 0]) & (xy[:, 0] <= x1) & (y0 <= xy[:, 1]) & (xy[:, 1] <= y1)
    if inside[-1]:
        return float(xy[-1, 0]), float(xy[-1, 1])
    seen = np.nonzero(inside)[0]
    if not seen.size:
        return float(np.clip(xy[-1, 0], x0, x1)), float(np.clip(xy[-1, 1], y0, y1))
    a, b = xy[seen[-1]], xy[seen[-1] + 1]
    t = 1.0
    for k, (low, high) in enumerate(((x0, x1), (y0, y1))):
        if b[k] > high:
            t = min(t, (high - a[k]) / (b[k] - a[k]))
        elif b[k] < low:
            t = min(t, (low - a[k]) / (b[k] - a[k]))
    return float(a[0] + t * (b[0] - a[0])), float(a[1] + t * (b[1] - a[1]))


def text_position(point: tuple[float, float], bounds: Sequence[Sequence[float]]) -> str:
    """Where a label goes around ``point`` so that it reads inside the window: to the left
    near the right edge, to the right near the left edge, below near the top."""
    (x0, x1), (y0, y1) = bounds
    fx, fy = (point[0] - x0) / (x1 - x0), (point[1] - y0) / (y1 - y0)
    across = "left" if fx > 0.65 else "right" if fx < 0.35 else "center"
    return f"{'bottom' if fy > 0.8 else 'top'} {across}"


LABEL_SHADOW = "0px 0px 3px white, 0px 0px 2px white"
"""A white halo: a label stays readable over the surface's darker bands and the paths."""

MAX_END_LABELS = 3
"""The most end labels a map or a step chart writes beside the runs' ends; with more they
would pile up where the runs leave together, and the legend (the map's names carry the words)
and the end markers' hover say it instead."""

MAP_PIXELS = 450
"""About how many pixels the longer side of the map's window takes: to size labels in data
units when keeping them apart."""


def _spread_labels(labelled: list[_RunFrames], bounds) -> None:
    """Move an end label a line further into the map while it would cover one already placed
    (runs often leave the window together)."""
    (x0, x1), (y0, y1) = bounds
    unit = max(x1 - x0, y1 - y0) / MAP_PIXELS  # data units per pixel, at equal aspect
    line, char = 22 * unit, 9 * unit
    placed: list[tuple[float, float, float, float]] = []
    for f in labelled:
        vertical, across = f.label_position.split()
        width = char * len(f.label)
        x, y = f.label_x[0], f.label_y[0]
        left = {"left": x - width, "right": x, "center": x - width / 2}[across]
        step = -line if vertical == "bottom" else line
        low = y - line if vertical == "bottom" else y
        moved = 0.0
        while any(left < b and left + width > a and low + moved < d and low + moved + line > c
                  for a, b, c, d in placed) and abs(moved) < line * len(labelled):
            moved += step
        placed.append((left, left + width, low + moved, low + moved + line))
        f.label_y = [round(y + moved, 6)]


class _FitFrames:
    """One run's model curve in the data view (a data surface), at the frames' points."""

    def __init__(self, run: dict[str, Any], indices: np.ndarray, grid: list[float]):
        fit = np.asarray(run["fit"], dtype=np.float64)
        self.grid = grid
        self.rows = [_rounded(fit[min(int(t), fit.shape[0] - 1)], 4) for t in indices]
        self.final = _rounded(fit[-1], 4)


def band_traces(run: dict[str, Any], decimals: int) -> list[dict[str, Any]]:
    """Drawn once, not animated: the run without gradient noise (``reference``, dashed), the
    optimizer's second sequence of points (``averaged``, named ``averaged_title``: ASGD's
    average, schedule-free AdamW's x; thin and dotted) and the paths of its extra seeds
    (``band``), thin lines in its colour."""
    traces = []
    if run.get("reference") is not None:
        final = _final_path(np.asarray(run["reference"], dtype=np.float64).reshape(-1, 2))
        traces.append({
            "type": "scatter", "mode": "lines", "x": _rounded(final[:, 0], decimals),
            "y": _rounded(final[:, 1], decimals), "name": f"{run['name']}: full batch",
            "legendgroup": run["name"], "showlegend": False,
            "line": {"color": run["color"], "width": 2, "dash": "dash"},
            "hovertemplate": f"{run['name']}, exact gradient<br>(%{{x:.3f}}, %{{y:.3f}})"
                             "<extra></extra>",
        })
    if run.get("averaged") is not None:
        final = _final_path(np.asarray(run["averaged"], dtype=np.float64).reshape(-1, 2))
        title = run.get("averaged_title") or "the averaged points"
        traces.append({
            "type": "scatter", "mode": "lines", "x": _rounded(final[:, 0], decimals),
            "y": _rounded(final[:, 1], decimals), "name": f"{run['name']}: {title}",
            "legendgroup": run["name"], "showlegend": False,
            "line": {"color": run["color"], "width": 1.5, "dash": "dot"},
            "hovertemplate": f"{run['name']}: {title}<br>(%{{x:.3f}}, %{{y:.3f}})"
                             "<extra></extra>",
        })
    for k, xy in enumerate(run.get("band") or []):
        final = _final_path(np.asarray(xy, dtype=np.float64).reshape(-1, 2))
        traces.append({
            "type": "scatter", "mode": "lines", "x": _rounded(final[:, 0], decimals),
            "y": _rounded(final[:, 1], decimals), "name": f"{run['name']}: seed +{k + 1}",
            "legendgroup": run["name"], "showlegend": False, "opacity": 0.75,
            "line": {"color": run["color"], "width": 1.5},
            "hovertemplate": f"{run['name']}, seed +{k + 1}<br>(%{{x:.3f}}, %{{y:.3f}})"
                             "<extra></extra>",
        })
    return traces


def _data_traces(view: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "scatter", "mode": "markers", "x": _rounded(view["u"], 4),
        "y": _rounded(view["v"], 4), "xaxis": "x2", "yaxis": "y2", "name": "data",
        "showlegend": False, "marker": {"color": "rgba(60, 60, 60, 0.45)", "size": 5},
        "hovertemplate": "u = %{x:.3f}<br>v = %{y:.3f}<extra>data</extra>",
    }


class _RunFrames:
    """One run's strided points, rounded once, sliced per frame, and its end label."""

    def __init__(self, run: dict[str, Any], indices: np.ndarray, decimals: int, bounds):
        xy = np.asarray(run["xy"], dtype=np.float64).reshape(-1, 2)
        self.length = xy.shape[0]
        self.count = int(np.searchsorted(indices, self.length - 1, side="right"))
        strided = xy[indices[: self.count]]
        self.xs = _rounded(strided[:, 0], decimals)
        self.ys = _rounded(strided[:, 1], decimals)
        final = _final_path(xy)
        self.final_x = _rounded(final[:, 0], decimals)
        self.final_y = _rounded(final[:, 1], decimals)
        self.label = end_label(run)
        seen = last_seen(xy, bounds) if xy.shape[0] else (0.0, 0.0)
        self.label_x, self.label_y = [round(seen[0], decimals)], [round(seen[1], decimals)]
        self.label_position = text_position(seen, bounds)

    def path(self, k: int) -> tuple[list[float], list[float]]:
        """The path up to frame k: strided points, ending exactly at the frame's point."""
        if k + 1 <= self.count:
            return self.xs[: k + 1], self.ys[: k + 1]
        return self.xs + self.final_x[-1:], self.ys + self.final_y[-1:]

    def label_frame(self, done: bool) -> dict[str, list]:
        """The label trace in a frame: the label at its place once the run got there, else no
        point at all. (Changing only the text of a point that stays put does not reach the
        page: with ``redraw: False`` plotly.js draws a text point's words when the point
        appears, and a text edit alone was seen to show late or never.)"""
        if done:
            return {"x": self.label_x, "y": self.label_y, "text": [self.label]}
        return {"x": [None], "y": [None], "text": [self.label]}


def animated_paths(
    surface: dict[str, Any],
    runs: Sequence[dict[str, Any]],
    *,
    frame_cap: int = FRAME_CAP,
    height: int = 640,
    title: str = "",
    clickable: bool = True,
) -> dict[str, Any]:
    """The animated contour map as a figure dict (its hover invites a click where
    ``clickable``: the page moves the start there).

    ``surface``: ``x``, ``y`` (1-D grid), ``z`` (2-D, rows along y), ``log_scale``, ``floor``
    (f* or the grid minimum), ``bounds`` ((x0, x1), (y0, y1)) and ``points`` [(x, y, kind)].
    ``runs``: ``name``, ``color``, ``xy`` ((n, 2) finite path) and ``outcome`` (how it ended:
    its ``label`` is written where the run was last seen on the map once the animation gets
    there, and its ``text`` on hover); optionally ``style`` (``figures.run_style``: by default
    the palette's style of its colour), ``band`` (paths of the same run with other seeds,
    drawn thin and not animated), ``reference`` (its path with the exact gradient, dashed
    and not animated) and ``averaged`` (the optimizer's second sequence, e.g. ASGD's average,
    thin, dotted and not animated; ``averaged_title`` names it).
    The base figure shows the finished paths; Play animates them from step 0.

    A data surface (``surface["data"]``: inputs ``u``, targets ``v``, a ``grid`` of inputs and
    the parameters' names ``axes``) adds a second plot beside the map: the data, and each run's
    model curve (``run["fit"]``, (n, len(grid)): the model at every point of the path), which
    the frames update with the paths, so it also plays in the browser.
    """
    (x0, x1), (y0, y1) = surface["bounds"]
    decimals = decimals_for(surface["bounds"])
    n_points = max([np.asarray(r["xy"]).reshape(-1, 2).shape[0] for r in runs] or [1])
    indices = frame_indices(n_points, frame_cap)
    per_run = [_RunFrames(run, indices, decimals, surface["bounds"]) for run in runs]

    # The surface is a picture under the axes, not a contour trace: during a transition
    # plotly.js removes the layer of every trace type that no frame lists, so a contour trace
    # vanishes on Play. A layout image is never touched by transitions.
    data: list[dict[str, Any]] = [*surface_backdrop(surface, clickable=clickable),
                                  *point_traces(surface["points"])]
    if runs:
        start = np.asarray(runs[0]["xy"], dtype=np.float64).reshape(-1, 2)[0]
        data.append({
            "type": "scatter", "mode": "markers", "x": [float(start[0])], "y": [float(start[1])],
            "name": "start", "showlegend": False,
            "marker": {"symbol": "circle-open", "size": 16, "color": "#000000",
                                        "line": {"width": 2.5}},
            "hovertemplate": "start (%{x:.3f}, %{y:.3f})<extra></extra>",
        })
    for run in runs:
        data += band_traces(run, decimals)
    view = surface.get("data")
    fits: list[_FitFrames] = []
    if view is not None:
        data.append(_data_traces(view))
        grid = _rounded(view["grid"], 4)
        fits = [_FitFrames(run, indices, grid) for run in runs if run.get("fit") is not None]
    animated: list[int] = []
    for run, fit in zip(runs, fits, strict=False):
        animated.append(len(data))
        data.append({
            "type": "scatter", "mode": "lines", "x": fit.grid, "y": fit.final,
            "xaxis": "x2", "yaxis": "y2", "name": f"{run['name']}: fit", "showlegend": False,
            "legendgroup": run["name"],
            "line": {"color": run["color"], "width": 3, "dash": style_of(run)["dash"]},
            "hoverinfo": "skip",
        })
    labelled: list[_RunFrames] = []
    writes_labels = sum(bool(f.label) for f in per_run) <= MAX_END_LABELS
    if writes_labels:
        _spread_labels([f for f in per_run if f.label], surface["bounds"])
    for run, frames in zip(runs, per_run, strict=True):
        style = style_of(run)
        animated += [len(data), len(data) + 1]
        data.append({
            "type": "scatter", "mode": "lines+markers", "x": frames.final_x, "y": frames.final_y,
            "name": run_legend_name(run), "legendgroup": run["name"],
            "line": {"color": style["color"], "width": 3, "dash": style["dash"]},
            "marker": {"color": style["color"], "size": 4},
            "hovertemplate": f"{run['name']}<br>(%{{x:.3f}}, %{{y:.3f}})<extra></extra>",
        })
        data.append({
            "type": "scatter", "mode": "markers", "x": frames.final_x[-1:],
            "y": frames.final_y[-1:], "name": run["name"], "legendgroup": run["name"],
            "showlegend": False,
            "marker": {"color": style["color"], "size": 15, "symbol": style["symbol"],
                       "line": {"width": 2, "color": "white"}},
            "hoverinfo": "skip",
        })
        if frames.label and writes_labels:  # where the run was last seen on the map, shown
            labelled.append(frames)                # once the animation gets there
            animated.append(len(data))
            data.append({
                "type": "scatter", "mode": "text", "x": frames.label_x, "y": frames.label_y,
                "text": [frames.label], "textposition": frames.label_position,
                "textfont": {"color": style["text"], "size": 17, "shadow": LABEL_SHADOW},
                "cliponaxis": False, "name": f"{run['name']}: end", "legendgroup": run["name"],
                "showlegend": False, "hovertext": [end_text(run)], "hoverinfo": "text",
            })

    frames = []
    last = len(indices) - 1
    for k, t in enumerate(indices):
        frame_data: list[dict[str, Any]] = [
            {"x": fit.grid, "y": fit.final if k == last else fit.rows[k]} for fit in fits
        ]
        for f in per_run:
            if k == last:
                px, py = f.final_x, f.final_y
            else:
                px, py = f.path(k)
            frame_data.append({"x": px, "y": py})
            frame_data.append({"x": px[-1:], "y": py[-1:]})
            if f in labelled:
                frame_data.append(f.label_frame(t >= f.length - 1))
        frames.append({"name": str(int(t)), "data": frame_data, "traces": animated})

    layout = _layout((x0, x1), (y0, y1), height, title)
    layout["images"] = [{
        "source": surface_png(surface), "xref": "x", "yref": "y", "x": x0, "y": y1,
        "sizex": x1 - x0, "sizey": y1 - y0, "sizing": "stretch", "layer": "below",
        "xanchor": "left", "yanchor": "top",
    }]
    layout["updatemenus"] = [_play_buttons()]
    layout["sliders"] = [_scrubber(indices)]
    if view is not None:
        _add_data_view(layout, data, view)
    return {"data": data, "layout": layout, "frames": frames}


MAP_WIDTH = 0.58
"""The map's share of the figure's width when a data view sits beside it."""


def _add_data_view(layout: dict[str, Any], data: list[dict[str, Any]], view: dict) -> None:
    """Put the data view to the right of the map, with the colour bar between them."""
    names = view["axes"]
    layout["xaxis"].update(domain=[0.0, MAP_WIDTH],
                           title={"text": f"{names[0]}  (x)", "standoff": 6})
    layout["yaxis"]["title"] = {"text": f"{names[1]}  (y)"}
    v = np.asarray(view["v"], dtype=np.float64)
    low, high = float(v.min()), float(v.max())
    margin = 0.25 * max(high - low, 1e-6)
    layout["xaxis2"] = {"domain": [MAP_WIDTH + 0.17, 1.0], "anchor": "y2", "zeroline": False,
                        "title": {"text": "u (input)"},
                        "range": [float(view["grid"][0]), float(view["grid"][-1])]}
    layout["yaxis2"] = {"anchor": "x2", "title": {"text": "v (target)"}, "zeroline": False,
                        "range": [low - margin, high + margin]}
    # inside the data plot's top corner, in the empty band above the data: the legend above
    # the plots may reach across both of them
    layout["annotations"] = [{
        "text": view["title"], "xref": "x2 domain", "yref": "y2 domain", "x": 0.02,
        "xanchor": "left", "y": 0.99, "yanchor": "top", "showarrow": False, "font": {"size": 13},
        "bgcolor": "rgba(255,255,255,0.8)",
    }]
    for trace in data:
        colorbar = trace.get("marker", {}).get("colorbar")
        if colorbar is not None:
            colorbar.update(x=MAP_WIDTH + 0.01, xanchor="left", thickness=12)


# The controls hang below the map at fixed distances in pixels (``pad``), not in fractions of
# the plot's height: the legend above the map takes a height that depends on the runs' names,
# which moves a fraction-placed control into the x axis's tick labels and title.
BUTTONS_BELOW = 80
"""Pixels from the bottom of the map to the top of the play buttons: under the tick labels
and the axis title."""
SLIDER_BELOW = 120
"""Pixels from the bottom of the map to the top of the step slider: under the buttons."""
CONTROLS_BOTTOM = 195
"""The bottom margin that holds the axis title, the buttons and the slider."""


def _layout(xr, yr, height: int, title: str) -> dict[str, Any]:
    return {
        "title": {"text": title, "x": 0.01, "font": {"size": 20}} if title else None,
        "font": FONT,
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 70 if title else 40, "b": CONTROLS_BOTTOM},
        "xaxis": {"range": list(xr), "title": {"text": "x", "standoff": 6}, "constrain": "domain",
                  "showgrid": False, "zeroline": False},
        "yaxis": {"range": list(yr), "title": {"text": "y"}, "scaleanchor": "x",
                  "constrain": "domain", "showgrid": False, "zeroline": False},
        "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom",
                   "bgcolor": "rgba(255,255,255,0.8)"},
        "hovermode": "closest",
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "dragmode": "pan",
    }


def _animate_args(frames: list[str] | None, ms: int, *, fromcurrent: bool) -> list[Any]:
    return [frames, {
        "mode": "immediate",
        "fromcurrent": fromcurrent,
        "frame": {"duration": ms, "redraw": False},
        "transition": {"duration": 0},
    }]


def _play_buttons() -> dict[str, Any]:
    buttons = [
        {"label": label, "method": "animate", "args": _animate_args(None, ms, fromcurrent=True)}
        for label, ms in SPEEDS
    ]
    buttons.append({
        "label": "❚❚ Pause", "method": "animate",
        "args": _animate_args([None], 0, fromcurrent=False),
    })
    return {
        "type": "buttons", "direction": "left", "showactive": False,
        "x": 0.0, "xanchor": "left", "y": 0.0, "yanchor": "top",
        "pad": {"t": BUTTONS_BELOW, "r": 6}, "font": {"size": 15},
        "buttons": buttons,
    }


def _scrubber(indices: np.ndarray) -> dict[str, Any]:
    steps = [
        {"label": str(int(t)), "method": "animate",
         "args": _animate_args([str(int(t))], 0, fromcurrent=False)}
        for t in indices
    ]
    return {
        "active": len(steps) - 1,
        "x": 0.0, "len": 1.0, "y": 0.0, "yanchor": "top",
        "pad": {"t": SLIDER_BELOW, "b": 0},
        "currentvalue": {"prefix": "step ", "font": {"size": 16}},
        "transition": {"duration": 0},
        "steps": steps,
    }
