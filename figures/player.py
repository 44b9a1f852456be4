"""What the in-browser player draws, packed for the trip: a small manifest and one binary blob.

The player (``ui/player/player.js``) draws the map once (the surface as a picture, its colour
bar, its known points), then every path, head, step curve and readout itself from typed
arrays: nothing is re-sent while the visitor plays, scrubs or drags a run's slider.

``player_payload(surface, runs, neighbourhoods)`` returns ``(manifest, blob)``:

* ``blob`` is the arrays, one after another, each starting at a multiple of 8 bytes; float32
  for everything drawn (a path, a curve), float64 where a value is sent back to the server (a
  slider's values), int32 for step indices.
* ``manifest`` (plain JSON) says what each array is: ``{"offset", "dtype", "shape"}`` (an
  *array reference*), with the map's settings, the curves to draw and each run's name, style
  and ending.

For each run, its committed path at every point t = 0 .. m (``xy`` (m+1, 2), ``loss``,
``gap`` = loss − f* where f* is known, ``grad_norm`` = ‖∇f(x_t)‖, and ``lr`` padded to m+1:
``lr[t]`` is the rate of the step from point t to t + 1, NaN at the last point) and, where the
server computed one, its neighbourhood: the same run at each value of a slider (``lr``, and
β1 or momentum where the optimizer has one), at the kept steps ``steps`` (k of them, the last
point kept), as ``xy`` (n, k, 2), ``loss``, ``lr``, ``grad_norm`` (n, k), with how each value's
run ended (``ended``: "" or "diverged at step 37"; ``ended_at``: the step it names, or
-1). Drawn once, not animated: the paths of its
other seeds (``band``), its exact-gradient path (``reference``) and its optimizer's second
sequence of points (``averaged``: ASGD's average, schedule-free AdamW's x), and every point
where it evaluated f (``evaluated``: L-BFGS's, at most EVALUATED_CAP, drawn as small dots).
Where asked (``arrows``), each run's arrows at every point t, (m+1, 2) float32, NaN at the
last point: ``descent`` = -lr_t ∇f(x_t), ``step`` = x_{t+1} - x_t and, for a momentum method,
``velocity`` (what momentum adds); the manifest's ``arrows`` names and colours them.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np
from isal import isal_zlib

from figures.animation import (
    MAX_END_LABELS,
    end_label,
    end_text,
    height_title,
    last_seen,
    surface_height,
    surface_png,
    text_position,
)
from figures.palette import POINT_STYLES, SURFACE_COLORSCALE, style_of
from figures.status import timeline
from figures.step_view import ARROWS, arrow_series
from optimizers import strided_indices

ALIGN = 8
"""Every array in the blob starts at a multiple of this many bytes (a Float64Array needs 8)."""


class Packer:
    """Arrays appended one after another into one blob; ``add`` returns the array's reference."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._size = 0

    def add(self, values: Any, dtype: str = "<f4") -> dict[str, Any]:
        array = np.ascontiguousarray(np.asarray(values), dtype=np.dtype(dtype))
        data = array.tobytes()
        reference = {"offset": self._size, "dtype": array.dtype.str[1:], "shape": list(array.shape)}
        padding = -len(data) % ALIGN
        self._parts.append(data + b"\0" * padding)
        self._size += len(data) + padding
        return reference

    def blob(self) -> bytes:
        return b"".join(self._parts)


def unpack(blob: bytes, reference: dict[str, Any]) -> np.ndarray:
    """The array a reference names (the inverse of ``Packer.add``; the browser does the same)."""
    dtype = np.dtype("<" + reference["dtype"])
    count = int(np.prod(reference["shape"], dtype=np.int64))
    return np.frombuffer(blob, dtype=dtype, count=count,
                         offset=reference["offset"]).reshape(reference["shape"])


def encode(blob: bytes) -> bytes:
    """The blob as it travels: its bytes regrouped by position in each 4-byte word (every
    float's sign-and-exponent bytes together, then the next bytes …), then deflated (zlib
    format, ISA-L's level 1). Neighbouring points of a path share their high bytes, so this
    about halves the size (Compare's 8 × 1000 steps with neighbourhoods: ~3.4 MB -> ~1.5 MB);
    the browser inflates it with its own DecompressionStream("deflate") and regroups the
    bytes back.

    ISA-L, by measurement (thread CPU ms, Explore's default 1.33 MB | its 3 runs at 3000 steps
    1.65 MB): ISA-L level 1 0.648 MB 1.5 ms | 0.815 MB 2.1 ms; the standard library's zlib
    level 1 0.633 MB 12.8 ms | 0.794 MB 16.1 ms, and its Z_RLE 0.726 MB 6.7 ms | 0.925 MB
    8.6 ms; zlib-ng level 1 4.9 ms, libdeflate level 1 6.0 ms. A new value of any control
    pays it once per rerun (``python -m benchmarks load single``)."""
    words = np.frombuffer(blob, dtype=np.uint8).reshape(-1, 4)  # ALIGN keeps whole words
    return isal_zlib.compress(words.T.tobytes(), 1)


def decode(data: bytes) -> bytes:
    """The inverse of ``encode``."""
    regrouped = np.frombuffer(zlib.decompress(data), dtype=np.uint8)
    return regrouped.reshape(4, -1).T.tobytes()


CURVES = {
    # key: (title, y title when f* is known, y title otherwise)
    "gap": ("Loss", "f − f*", "f"),
    "lr": ("Learning rate", "lr", "lr"),
    "grad_norm": ("Gradient norm", "‖∇f‖", "‖∇f‖"),
}
"""The step curves the player can draw under or beside its map, in this order."""


def curve_specs(keys: Sequence[str], bounded: bool, lr_title: str = "",
                batched: bool = False) -> list[dict[str, Any]]:
    """The curves to draw: loss (log of f − f* where f* is known), learning rate (log) and
    gradient norm (log), each with its title and axis title."""
    specs = []
    for key in CURVES:
        if key not in keys:
            continue
        title, y_bounded, y_free = CURVES[key]
        if key == "gap" and batched:
            title = "Loss (faint: each batch's own)"
        if key == "lr" and lr_title:
            title = lr_title
        specs.append({"key": key, "title": title, "y_title": y_bounded if bounded else y_free,
                      "log": bounded if key == "gap" else True})
    return specs


def _points(surface: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"x": float(x), "y": float(y), "kind": kind, **POINT_STYLES[kind]}
            for x, y, kind in surface["points"] if kind in POINT_STYLES]


def _colour_range(surface: dict[str, Any]) -> tuple[float, float]:
    height = surface_height(surface["z"], surface["log_scale"], surface["floor"])
    finite = height[np.isfinite(height)]
    return (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)


def _padded_lr(lr: np.ndarray, points: int) -> np.ndarray:
    """The rate of the step leaving each point: ``lr`` with NaN at the points past its end."""
    out = np.full(points, np.nan)
    out[: min(points, lr.size)] = lr[:points]
    return out


def _run(run: dict[str, Any], pack: Packer, bounds, neighbourhood: dict[str, Any] | None,
         writes_label: bool, arrows: bool = False) -> dict[str, Any]:
    style = style_of(run)
    xy = np.asarray(run["xy"], dtype=np.float64).reshape(-1, 2)
    points = xy.shape[0]
    label = end_label(run)
    arrays = {
        "xy": pack.add(xy),
        "loss": pack.add(run["loss"]),
        "gap": pack.add(run["gap"]),
        "lr": pack.add(_padded_lr(np.asarray(run["lr"], dtype=np.float64), points)),
        "grad_norm": pack.add(run["grad_norm"]),
    }
    if run.get("batch_gap") is not None:
        arrays["batch_gap"] = pack.add(run["batch_gap"])
    if run.get("fit") is not None:
        arrays["fit"] = pack.add(run["fit"])
    extra = [np.asarray(p, dtype=np.float64).reshape(-1, 2) for p in run.get("band") or []]
    entry: dict[str, Any] = {
        "name": run["name"], "color": style["color"], "dash": style["dash"],
        "symbol": style["symbol"], "text": style["text"], "label": label,
        "ended": end_text(run), "status": timeline(run), "arrays": arrays,
        "band": [pack.add(p) for p in extra],
        "reference": (pack.add(np.asarray(run["reference"], dtype=np.float64).reshape(-1, 2))
                      if run.get("reference") is not None else None),
        "averaged": (pack.add(np.asarray(run["averaged"], dtype=np.float64).reshape(-1, 2))
                     if run.get("averaged") is not None else None),
        "averaged_title": run.get("averaged_title") or "the averaged points",
        "evaluated": (pack.add(_evaluated_points(run["evaluated"]))
                      if run.get("evaluated") is not None and len(run["evaluated"]) else None),
        "sliders": [],
    }
    if arrows and run.get("grad") is not None:
        series = arrow_series(xy, np.asarray(run["grad"], dtype=np.float64),
                              np.asarray(run["lr"], dtype=np.float64), bool(run.get("momentum")))
        entry["arrows"] = {key: pack.add(values) for key, values in series.items()}
    if label and writes_label and points:
        seen = last_seen(xy, bounds)
        entry["label_at"] = [seen[0], seen[1]]
        entry["label_position"] = text_position(seen, bounds)
    if neighbourhood is not None:
        entry["steps"] = pack.add(neighbourhood["steps"], "<i4")
        for slider in neighbourhood["sliders"]:
            entry["sliders"].append({
                "name": slider["name"],
                "values": pack.add(slider["values"], "<f8"),
                "current": int(slider["current"]),
                "log": bool(slider["log"]),
                "ended": list(slider["ended"]),
                "ended_at": [int(at) for at in slider["ended_at"]],
                "xy": pack.add(slider["xy"]),
                "loss": pack.add(slider["loss"]),
                "lr": pack.add(slider["lr"]),
                "grad_norm": pack.add(slider["grad_norm"]),
            })
    return entry


EVALUATED_CAP = 3000
"""The most of an optimizer's evaluated points (L-BFGS's) a map draws, evenly strided."""


def _evaluated_points(points) -> np.ndarray:
    """At most EVALUATED_CAP of the points where a run evaluated f, evenly strided."""
    points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    return points[strided_indices(points.shape[0], EVALUATED_CAP)]


def _bounds(surface: dict[str, Any]) -> list[list[float]]:
    return [[float(v) for v in pair] for pair in surface["bounds"]]


def surface_layer(surface: dict[str, Any]) -> dict[str, Any]:
    """What the map draws of the surface alone, the same whatever runs on it: its window
    (``bounds``), its picture (``image``, a PNG), its colour bar and its known points. The
    picture is most of a new payload's time (~25 ms), so a page makes this once per surface
    and passes it to ``player_payload``."""
    low, high = _colour_range(surface)
    return {
        "bounds": _bounds(surface),
        "image": surface_png(surface),
        "colorbar": {"low": low, "high": high, "title": height_title(surface["log_scale"]),
                     "colorscale": [list(stop) for stop in SURFACE_COLORSCALE]},
        "points": _points(surface),
    }


def player_payload(
    surface: dict[str, Any],
    runs: Sequence[dict[str, Any]],
    neighbourhoods: Sequence[dict[str, Any] | None] | None = None,
    *,
    curves: Sequence[str] = ("gap", "lr", "grad_norm"),
    lr_title: str = "",
    clickable: bool = True,
    start: tuple[float, float] | None = None,
    layer: dict[str, Any] | None = None,
    arrows: bool = False,
) -> tuple[dict[str, Any], bytes]:
    """The manifest and blob the player draws (see the module's docstring).

    ``surface`` is a surface view (``ui.compute.surface_view``: grid, ``log_scale``,
    ``floor``, ``bounds``, ``points``, ``bounded``, optional ``data`` view); ``runs`` are run
    payloads (``ui.compute.run_payloads``); ``neighbourhoods`` one per run (None where a run
    has none), as ``ui.compute.neighbourhoods`` gives them. ``clickable``: a click or drag on
    the map moves the start (the browser sends it back; the page reruns the runs there).
    ``layer``: ``surface_layer(surface)`` made beforehand (made here when None).
    ``arrows``: each run's arrows at every point (``figures.step_view.arrow_series``, from
    its ``grad``, ``lr`` and ``momentum``), which the map draws at the current step.
    """
    pack = Packer()
    neighbourhoods = list(neighbourhoods or [None] * len(runs))
    bounds = _bounds(surface)
    labelled = sum(bool(end_label(run)) for run in runs)
    entries = [_run(run, pack, bounds, hood, labelled <= MAX_END_LABELS, arrows)
               for run, hood in zip(runs, neighbourhoods, strict=True)]
    if start is None and runs:
        first = np.asarray(runs[0]["xy"], dtype=np.float64).reshape(-1, 2)
        start = (float(first[0, 0]), float(first[0, 1])) if first.size else None
    view = surface.get("data")
    data_view = None
    if view is not None:
        data_view = {"u": pack.add(view["u"]), "v": pack.add(view["v"]),
                     "grid": pack.add(view["grid"]), "axes": list(view["axes"]),
                     "title": view["title"]}
    floor = surface.get("floor")
    manifest = {
        "map": {**(layer or surface_layer(surface)), "data_view": data_view},
        "bounded": bool(surface.get("bounded", False)),
        "floor": float(floor) if floor is not None and np.isfinite(floor) else None,
        "curves": curve_specs(curves, bool(surface.get("bounded", False)), lr_title,
                              any(run.get("batch_gap") is not None for run in runs)),
        "clickable": bool(clickable),
        "start": list(start) if start is not None else None,
        "steps": max((int(np.asarray(run["xy"]).reshape(-1, 2).shape[0]) - 1 for run in runs),
                     default=0),
        "runs": entries,
        "arrows": ([{"key": key, "name": name, "color": color} for key, name, color in ARROWS]
                   if arrows else []),
    }
    return manifest, pack.blob()
