"""The map's shared pieces: the surface as a picture, its colour scale, its known points, and
how a run's end is told (labels, where a run was last seen on the map).

The player (``figures.player``, drawn by ``ui/player/player.js``) and the static charts
(``figures.charts``) both build on these; plain data in, plain dicts, strings and numbers out.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from typing import Any

import numpy as np
from PIL import Image

from figures.palette import POINT_STYLES, SURFACE_COLORSCALE
from figures.status import event_words


def end_label(run: dict[str, Any]) -> str:
    """The words at a run's end ("left the map at step k", "diverged at step k"; empty for a
    run that ended in the window or whose outcome is not given)."""
    outcome = run.get("outcome")
    return outcome.label if outcome is not None else ""


def end_text(run: dict[str, Any]) -> str:
    """The full words for how a run ended (for hover text): the label and why."""
    outcome = run.get("outcome")
    return outcome.text if outcome is not None else ""


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
    """An (h, w, 3) uint8 image as a PNG data: URI."""
    png = io.BytesIO()
    Image.fromarray(rgb, mode="RGB").save(png, format="PNG", compress_level=9)
    return "data:image/png;base64," + base64.b64encode(png.getvalue()).decode("ascii")


def height_range(surface: dict[str, Any]) -> tuple[np.ndarray, float, float]:
    """The colour-scale heights and their finite range (NaN where f is undefined)."""
    height = surface_height(surface["z"], surface["log_scale"], surface["floor"])
    height = np.where(np.isfinite(height), height, np.nan)
    if not np.isfinite(height).any():
        return height, 0.0, 1.0
    return height, float(np.nanmin(height)), float(np.nanmax(height))


def surface_png(surface: dict[str, Any]) -> str:
    """The surface as filled contour bands with darker edges, as a PNG data URI."""
    height, low, high = height_range(surface)
    return png_data_uri(surface_bands(height, low, high))


def surface_bands(height: np.ndarray, low: float, high: float) -> np.ndarray:
    """Colour-scale heights (rows along y, upwards; NaN: f undefined) as an (h, w, 3) uint8
    picture, top row first: ``BANDS`` colour bands between ``low`` and ``high`` with darker
    edges (the contour lines), blank where f is undefined."""
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
    return np.ascontiguousarray(rgb[::-1].round().astype(np.uint8))


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


def run_legend_name(run: dict[str, Any]) -> str:
    """A run's name in a legend, with its last event in words (``figures.status``)."""
    words = event_words(run)
    return f"{run['name']} — {words}" if words else run["name"]


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


MAX_END_LABELS = 3
"""The most end labels a map or a step chart writes beside the runs' ends; with more they
would pile up where the runs leave together, and the legend (the map's names carry the words)
and the end markers' hover say it instead."""

