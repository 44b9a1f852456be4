"""The map's animation for slides: frames drawn with Pillow, saved as GIF, MP4 or a PNG.

The same data the player takes (``figures.player_payload``: a surface view and the runs)
is drawn into 16:9 pictures of ``WIDTH`` × ``HEIGHT`` pixels times ``scale``: a title line
with the step counter, the surface's colour bands and contour lines (``surface_bands``, the
map's own colours), the known minima and the start, each run's path in its colour, dash and
marker (``figures.run_style``), and a legend that names each run with its status in words at
that step (``figures.run_status``). A frame is shown at each step of ``frame_indices`` (at
most ``FRAME_CAP``, the first and last always).

Paths only grow, so each frame adds the new stretch of every path to one picture of the trails
and copies it: a frame costs a copy, a paste and a little text, not a redraw of every path.

GIF: Pillow, one palette for every frame. MP4: PyAV (FFmpeg's libraries in its wheels), H.264
in yuv420p (what browsers and PowerPoint play) where the wheel has libx264, else MPEG-4 part 2.
"""

from __future__ import annotations

import functools
import io
import itertools
import math
import tempfile
from collections.abc import Callable, Iterator, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from figures.animation import height_range, height_title, surface_bands
from figures.palette import POINT_STYLES, SURFACE_COLORSCALE, style_of
from figures.status import run_status

FRAME_CAP = 150
"""The most frames one animation has (7.5 s at ``FRAME_MS``); longer runs are strided."""

WIDTH, HEIGHT = 960, 540
"""A frame's size at ``scale`` 1 (16:9, a slide's shape)."""

FRAME_MS = 50
"""Milliseconds a frame shows (20 frames a second: 150 frames play in 7.5 s)."""
HOLD_MS = 2000
"""How long the last frame stays before a GIF loops (an MP4 repeats it as long)."""

MP4_CODECS = ("libx264", "mpeg4")
"""The MP4 encoders in order of preference: H.264, else MPEG-4 part 2."""

Progress = Callable[[float], None]
"""Told the fraction done (0 to 1) after each frame."""

INK = (20, 28, 40)
MUTED = (80, 90, 105)
FRAME_LINE = (120, 130, 145)

# Layout at scale 1, in pixels.
TITLE_BAND = 48
MAP_LEFT, MAP_TOP, MAP_BOTTOM = 56, 62, 40  # room for the y ticks, the title, the x ticks
MAP_MAX_WIDTH = 540
LEGEND_GAP, LEGEND_RIGHT = 30, 18
LEGEND_ROW = 42
LINE_WIDTH = 3


def _font_file(bold: bool) -> str:
    return "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"


@functools.lru_cache(maxsize=32)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu Sans (it has −, ₁₀, ‖ …) where the system has it, else Pillow's own font."""
    try:
        return ImageFont.truetype(_font_file(bold), size)
    except OSError:
        return ImageFont.load_default(size)


def frame_indices(n_points: int, cap: int = FRAME_CAP) -> np.ndarray:
    """The steps shown as frames: at most ``cap``, evenly strided, the first and last
    included."""
    if n_points <= 1:
        return np.zeros(1, dtype=np.int64)
    count = max(2, min(cap, n_points))
    return np.unique(np.round(np.linspace(0, n_points - 1, count)).astype(np.int64))


# --- dashes and markers, as plotly draws them -------------------------------------------------


def dash_pattern(dash: str, width: float) -> tuple[float, ...] | None:
    """A plotly dash as on and off lengths in pixels (None: solid). Named dashes scale with
    the line as plotly.js scales them (by max(width, 3)); "2px,6px"-style lists are taken as
    they are, in pixels at this ``width``'s scale (width / 3)."""
    w = max(width, 3.0)
    named = {"solid": None, "dot": (w, w), "dash": (3 * w, 3 * w), "longdash": (5 * w, 5 * w),
             "dashdot": (3 * w, w, w, w), "longdashdot": (5 * w, 2 * w, w, 2 * w)}
    if dash in named:
        return named[dash]
    return tuple(max(0.5, float(part.strip().removesuffix("px")) * width / LINE_WIDTH)
                 for part in dash.split(","))


DashState = tuple[int, float]
"""Where a dashed line is in its pattern: the piece it is in and how far into it (pixels)."""
DASH_START: DashState = (0, 0.0)


def draw_dashed(draw: ImageDraw.ImageDraw, points: np.ndarray, pattern: tuple[float, ...] | None,
                state: DashState, color: str, width: int) -> DashState:
    """Draw the polyline ``points`` ((n, 2) pixels) in ``pattern`` (on, off, on … lengths),
    starting at ``state``; returns the state where it ended, so the next stretch of a path
    carries the pattern on. Each step of the loop ends a piece of the pattern or a segment
    of the line, so it always gets to the end (no modulo arithmetic to round into a stall)."""
    if len(points) < 2:
        return state
    if pattern is None:
        draw.line([tuple(p) for p in points.tolist()], fill=color, width=width, joint="curve")
        return state
    k, into = state
    for a, b in itertools.pairwise(points.tolist()):
        length = math.hypot(b[0] - a[0], b[1] - a[1])
        done = 0.0
        while length - done > 1e-9:
            piece = min(pattern[k] - into, length - done)
            if k % 2 == 0:  # an "on" piece
                s, e = done / length, (done + piece) / length
                draw.line([(a[0] + s * (b[0] - a[0]), a[1] + s * (b[1] - a[1])),
                           (a[0] + e * (b[0] - a[0]), a[1] + e * (b[1] - a[1]))],
                          fill=color, width=width)
            done += piece
            into += piece
            if pattern[k] - into <= 1e-9:
                k, into = (k + 1) % len(pattern), 0.0
    return k, into


def _star(cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    return [(cx + (r if k % 2 == 0 else 0.45 * r) * math.sin(k * math.pi / 5),
             cy - (r if k % 2 == 0 else 0.45 * r) * math.cos(k * math.pi / 5)) for k in range(10)]


def _cross(cx: float, cy: float, r: float, turn: float) -> list[tuple[float, float]]:
    """A plus sign of arms r long and 0.6 r wide, turned by ``turn`` radians."""
    t = 0.3 * r
    outline = [(t, r), (t, t), (r, t), (r, -t), (t, -t), (t, -r), (-t, -r), (-t, -t), (-r, -t),
               (-r, t), (-t, t), (-t, r)]
    c, s = math.cos(turn), math.sin(turn)
    return [(cx + x * c - y * s, cy + x * s + y * c) for x, y in outline]


def draw_marker(draw: ImageDraw.ImageDraw, symbol: str, cx: float, cy: float, size: float,
                color: str, edge: str | None = None, edge_width: int = 0) -> None:
    """A plotly marker ``symbol`` of ``size`` pixels across at (cx, cy); "-open" symbols are
    outlines in ``color``."""
    r = size / 2
    hollow = symbol.endswith("-open")
    shape = symbol.removesuffix("-open")
    fill, outline, width = ((None, color, max(2, round(size / 8))) if hollow
                            else (color, edge, edge_width))
    if shape == "circle":
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=fill, outline=outline, width=width)
        return
    if shape == "x-thin":
        for sign in (1, -1):
            draw.line([(cx - r, cy - sign * r), (cx + r, cy + sign * r)], fill=color, width=width)
        return
    polygons = {
        "square": lambda: [(cx - 0.8 * r, cy - 0.8 * r), (cx + 0.8 * r, cy - 0.8 * r),
                           (cx + 0.8 * r, cy + 0.8 * r), (cx - 0.8 * r, cy + 0.8 * r)],
        "diamond": lambda: [(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)],
        "triangle-up": lambda: [(cx, cy - r), (cx + r, cy + 0.75 * r), (cx - r, cy + 0.75 * r)],
        "triangle-down": lambda: [(cx, cy + r), (cx + r, cy - 0.75 * r), (cx - r, cy - 0.75 * r)],
        "cross": lambda: _cross(cx, cy, r, 0.0),
        "x": lambda: _cross(cx, cy, r, math.pi / 4),
        "star": lambda: _star(cx, cy, r),
    }
    points = polygons.get(shape, polygons["square"])()
    draw.polygon(points, fill=fill, outline=outline, width=width)


# --- the picture ------------------------------------------------------------------------------


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About ``count`` round values in [low, high]: 1, 2 or 5 times a power of ten apart,
    whichever is nearest (in ratio) to (high - low) / (count - 1)."""
    span = high - low
    if not span > 0:
        return [low]
    raw = span / max(count - 1, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    step = min((m * power for m in (1, 2, 5, 10)), key=lambda s: abs(math.log(s / raw)))
    first = math.ceil(low / step - 1e-9) * step
    return [round(first + k * step, 12) for k in range(int((high - first) / step + 1e-9) + 1)]


def _fit(text: str, face, width: float) -> str:
    """``text``, cut with an ellipsis to fit ``width`` pixels."""
    if face.getlength(text) <= width:
        return text
    while text and face.getlength(text + "…") > width:
        text = text[:-1]
    return text + "…"


@functools.lru_cache(maxsize=512)
def _words(text: str, size: int, bold: bool, fill: tuple[int, int, int]) -> Image.Image:
    """``text`` on white, cut to its height band: drawn once, pasted into every frame that
    shows it (a step counter or a status), which is much quicker than drawing it each time."""
    face = font(size, bold)
    ascent, descent = face.getmetrics()
    image = Image.new("RGB", (max(1, math.ceil(face.getlength(text))) + 2, ascent + descent),
                      "white")
    ImageDraw.Draw(image).text((0, 0), text, font=face, fill=fill)
    return image


class SlideFrames:
    """The frames of the animation for slides at ``scale`` (1: ``WIDTH`` × ``HEIGHT``).

    ``surface`` and ``runs`` as ``figures.player_payload`` takes them; ``title`` is the line
    that says what the picture shows. ``steps`` are the steps shown, one frame each.
    """

    def __init__(self, surface: dict[str, Any], runs: Sequence[dict[str, Any]], title: str,
                 *, scale: float = 1.0, frame_cap: int = FRAME_CAP):
        self.surface, self.runs, self.title, self.scale = surface, list(runs), title, scale
        self.size = (round(WIDTH * scale), round(HEIGHT * scale))
        self.paths = [np.asarray(r["xy"], dtype=np.float64).reshape(-1, 2) for r in self.runs]
        longest = max([p.shape[0] for p in self.paths] or [1])
        self.steps = frame_indices(longest, frame_cap)
        self.last_step = int(self.steps[-1])
        self._place_map()
        self._chrome = self._draw_chrome()
        self._backdrop = self._draw_backdrop()

    def px(self, value: float) -> int:
        return max(1, round(value * self.scale))

    # where things go

    def _place_map(self) -> None:
        (x0, x1), (y0, y1) = self.surface["bounds"]
        aspect = (x1 - x0) / (y1 - y0)
        height = HEIGHT - MAP_TOP - MAP_BOTTOM
        width = min(MAP_MAX_WIDTH, height * aspect)
        height = width / aspect
        left, top = self.px(MAP_LEFT), self.px(MAP_TOP)
        self.map_box = (left, top, left + self.px(width), top + self.px(height))
        self.legend_left = self.map_box[2] + self.px(LEGEND_GAP)

    def to_pixels(self, xy: np.ndarray) -> np.ndarray:
        """Map coordinates to pixels of the map's own picture (far points held a few map
        widths out, so a diverged path still points where it went)."""
        (x0, x1), (y0, y1) = self.surface["bounds"]
        left, top, right, bottom = self.map_box
        w, h = right - left, bottom - top
        u = (xy[:, 0] - x0) / (x1 - x0) * w
        v = (y1 - xy[:, 1]) / (y1 - y0) * h
        return np.stack([np.clip(u, -4 * w, 5 * w), np.clip(v, -4 * h, 5 * h)], axis=-1)

    # what stays the same in every frame

    def _draw_backdrop(self) -> Image.Image:
        """The map's picture under the paths: the colour bands at the map's size (the heights
        interpolated from the surface's grid, so the contour lines are one pixel wide), the
        paths of other seeds and exact-gradient references (thin, not animated)."""
        left, top, right, bottom = self.map_box
        height, low, high = height_range(self.surface)
        undefined = np.isnan(height)
        filled = np.where(undefined, low, height).astype(np.float32)
        size = (right - left, bottom - top)
        smooth = np.asarray(Image.fromarray(filled[::-1], mode="F").resize(size, Image.BILINEAR))
        gaps = np.asarray(Image.fromarray(undefined[::-1].astype(np.uint8) * 255)
                          .resize(size, Image.NEAREST)) > 0
        picture = Image.fromarray(surface_bands(np.where(gaps, np.nan, smooth)[::-1], low, high))
        draw = ImageDraw.Draw(picture)
        for run in self.runs:
            style = style_of(run)
            if run.get("reference") is not None:
                reference = self.to_pixels(np.asarray(run["reference"]).reshape(-1, 2))
                draw_dashed(draw, reference, dash_pattern("dash", self.px(2)), DASH_START,
                            style["color"], self.px(2))
            for xy in run.get("band") or []:
                draw_dashed(draw, self.to_pixels(np.asarray(xy).reshape(-1, 2)), None, DASH_START,
                            style["color"], self.px(1.5))
        return picture

    def _draw_chrome(self) -> Image.Image:
        """The frame around the map: title, axes' ticks and names, the legend's samples and
        the key to the markers and colours."""
        image = Image.new("RGB", self.size, "white")
        draw = ImageDraw.Draw(image)
        px = self.px
        draw.text((px(16), px(TITLE_BAND / 2)), _fit(self.title, font(px(19), True),
                                                        self.size[0] * 0.72),
                  font=font(px(19), True), fill=INK, anchor="lm")
        left, top, right, bottom = self.map_box
        (x0, x1), (y0, y1) = self.surface["bounds"]
        small = font(px(13))
        for x in nice_ticks(x0, x1):
            u = left + (x - x0) / (x1 - x0) * (right - left)
            draw.line([(u, bottom), (u, bottom + px(5))], fill=FRAME_LINE, width=px(1))
            draw.text((u, bottom + px(7)), f"{x:g}", font=small, fill=MUTED, anchor="mt")
        for y in nice_ticks(y0, y1):
            v = top + (y1 - y) / (y1 - y0) * (bottom - top)
            draw.line([(left - px(5), v), (left, v)], fill=FRAME_LINE, width=px(1))
            draw.text((left - px(8), v), f"{y:g}", font=small, fill=MUTED, anchor="rm")
        draw.text(((left + right) / 2, bottom + px(24)), "x", font=font(px(15)), fill=INK,
                  anchor="mt")
        draw.text((left - px(44), (top + bottom) / 2), "y", font=font(px(15)), fill=INK,
                  anchor="mm")

        x = self.legend_left
        for i, run in enumerate(self.runs):
            style = style_of(run)
            y = px(MAP_TOP + 10 + i * LEGEND_ROW)
            sample = np.array([[x, y], [x + px(36), y]], dtype=np.float64)
            draw_dashed(draw, sample, dash_pattern(style["dash"], px(LINE_WIDTH)), DASH_START,
                        style["color"], px(LINE_WIDTH))
            draw_marker(draw, style["symbol"], x + px(18), y, px(11), style["color"], "white",
                        px(1))
            draw.text((x + px(46), y), _fit(run["name"], font(px(15), True),
                                            self.size[0] - x - px(46 + LEGEND_RIGHT)),
                      font=font(px(15), True), fill=style["text"], anchor="lm")
        self._legend_key(image, draw, px(MAP_TOP + 10 + len(self.runs) * LEGEND_ROW))
        return image

    def _legend_key(self, image: Image.Image, draw: ImageDraw.ImageDraw, y: int) -> None:
        """The markers' meanings, and the colour bar of the surface's shading."""
        px, x = self.px, self.legend_left
        kinds = {kind for _, _, kind in self.surface["points"]}
        entries = [("circle-open", "start", "#000000")] + [
            (style["symbol"], kind, style["color"]) for kind, style in POINT_STYLES.items()
            if kind in kinds]
        small = font(px(13))
        for symbol, words, color in entries:
            draw_marker(draw, symbol, x + px(8), y, px(13), color)
            draw.text((x + px(20), y), words, font=small, fill=MUTED, anchor="lm")
            x += px(28) + small.getlength(words)
        _, low, high = height_range(self.surface)
        bar_left, bar_right = self.legend_left, self.size[0] - px(LEGEND_RIGHT + 40)
        top = max(y + px(24), self.map_box[3] - px(30))
        t = np.linspace(0.0, 1.0, max(bar_right - bar_left, 2))
        stops = np.array([s for s, _ in SURFACE_COLORSCALE])
        colours = np.array([[int(c[i:i + 2], 16) for i in (1, 3, 5)]
                            for _, c in SURFACE_COLORSCALE], dtype=np.float64)
        rgb = np.stack([np.interp(t, stops, colours[:, k]) for k in range(3)], axis=-1)
        strip = np.repeat(rgb[None].round().astype(np.uint8), px(12), axis=0)
        image.paste(Image.fromarray(strip), (bar_left, top))
        draw.rectangle([bar_left, top, bar_right, top + px(12)], outline=FRAME_LINE,
                       width=px(1))
        draw.text((bar_left, top - px(4)), f"colour: {height_title(self.surface['log_scale'])}",
                  font=small, fill=MUTED, anchor="lb")
        draw.text((bar_left, top + px(15)), f"{low:.3g}", font=small, fill=MUTED, anchor="lt")
        draw.text((bar_right, top + px(15)), f"{high:.3g}", font=small, fill=MUTED,
                  anchor="rt")

    # the frames

    def frames(self) -> Iterator[tuple[int, Image.Image]]:
        """(step, picture) for every step shown, in order."""
        trails = _Trails(self)
        for step in self.steps:
            trails.grow(int(step))
            yield int(step), self._frame(int(step), trails)

    def last_frame(self) -> Image.Image:
        """The picture at the last step, every path drawn (without the frames before it)."""
        trails = _Trails(self)
        trails.grow(self.last_step)
        return self._frame(self.last_step, trails)

    def _frame(self, step: int, trails: _Trails) -> Image.Image:
        image = self._chrome.copy()
        on_map = trails.picture.copy()
        draw = ImageDraw.Draw(on_map)
        px = self.px
        for symbol, u, v, size, color in self._fixed_markers:
            draw_marker(draw, symbol, u, v, size, color)
        for symbol, u, v, color in trails.heads():
            draw_marker(draw, symbol, u, v, px(14), color, "white", px(2))
        image.paste(on_map, self.map_box[:2])
        draw = ImageDraw.Draw(image)
        left, top, right, bottom = self.map_box
        draw.rectangle([left - 1, top - 1, right, bottom], outline=FRAME_LINE, width=px(1))
        counter = _words(f"step {step} of {self.last_step}", px(19), True, INK)
        image.paste(counter, (self.size[0] - px(16) - counter.width,
                              px(TITLE_BAND / 2) - counter.height // 2))
        for i, status in enumerate(self.statuses(step)):
            words = _words(status, px(13), False, MUTED)
            y = px(MAP_TOP + 10 + i * LEGEND_ROW) + px(17)
            image.paste(words, (self.legend_left + px(46), y - words.height // 2))
        return image

    def statuses(self, step: int) -> list[str]:
        """What the legend says under each run's name at ``step`` (``figures.run_status``:
        "running", "diverged at step 37" …; at the last step, how each run ended)."""
        return [run_status(run, None if step >= self.last_step else step) for run in self.runs]

    @functools.cached_property
    def _fixed_markers(self) -> list[tuple[str, float, float, int, str]]:
        """The known points and the start, drawn over the paths: (symbol, u, v, size, colour)."""
        markers = []
        for x, y, kind in self.surface["points"]:
            style = POINT_STYLES[kind]
            u, v = self.to_pixels(np.array([[x, y]]))[0]
            markers.append((style["symbol"], u, v, self.px(style["size"] * 0.8), style["color"]))
        if self.paths and self.paths[0].shape[0]:
            u, v = self.to_pixels(self.paths[0][:1])[0]
            markers.append(("circle-open", u, v, self.px(15), "#000000"))
        return markers



class _Trails:
    """The map's picture with every path drawn up to a step, grown stretch by stretch (a
    dashed path's pattern carries on where the last stretch ended)."""

    def __init__(self, frames: SlideFrames):
        self.picture = frames._backdrop.copy()
        self.draw = ImageDraw.Draw(self.picture)
        self.width = frames.px(LINE_WIDTH)
        self.styles = [style_of(run) for run in frames.runs]
        self.patterns = [dash_pattern(s["dash"], self.width) for s in self.styles]
        self.pixels = [frames.to_pixels(p) for p in frames.paths]
        self.drawn = [0] * len(self.pixels)  # the last point of each path already drawn
        self.dashes = [DASH_START] * len(self.pixels)

    def grow(self, step: int) -> None:
        """Draw every path up to its point ``step`` (or its last point)."""
        for i, points in enumerate(self.pixels):
            end = min(step, points.shape[0] - 1)
            if end > self.drawn[i]:
                self.dashes[i] = draw_dashed(self.draw, points[self.drawn[i]:end + 1],
                                             self.patterns[i], self.dashes[i],
                                             self.styles[i]["color"], self.width)
                self.drawn[i] = end

    def heads(self) -> list[tuple[str, float, float, str]]:
        """Where each path is now: (symbol, u, v, colour)."""
        return [(style["symbol"], *points[drawn], style["color"])
                for style, points, drawn in zip(self.styles, self.pixels, self.drawn, strict=True)
                if points.shape[0]]


# --- files ------------------------------------------------------------------------------------


def _told(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(min(done / max(total, 1), 1.0))


def gif_bytes(frames: SlideFrames, progress: Progress | None = None) -> bytes:
    """The animation as a looping GIF: one palette (from the first frame: the surface, the
    text, and every run's colour in the legend) for every frame, each shown ``FRAME_MS`` and
    the last ``HOLD_MS``."""
    total = len(frames.steps)
    pictures: list[Image.Image] = []
    palette = None
    for k, (_, image) in enumerate(frames.frames()):
        if palette is None:
            palette = image.quantize(colors=255, method=Image.Quantize.MEDIANCUT)
        pictures.append(image.quantize(palette=palette, dither=Image.Dither.NONE))
        _told(progress, k + 1, total + 1)
    out = io.BytesIO()
    durations = [FRAME_MS] * (len(pictures) - 1) + [HOLD_MS]
    pictures[0].save(out, format="GIF", save_all=True, append_images=pictures[1:],
                     duration=durations, loop=0, disposal=1)
    _told(progress, 1, 1)
    return out.getvalue()


@functools.lru_cache(maxsize=1)
def mp4_codec() -> str:
    """The first of ``MP4_CODECS`` this PyAV can encode with."""
    import av  # FFmpeg's libraries load in ~0.5 s: only when an MP4 is asked for
    for name in MP4_CODECS:
        try:
            av.codec.Codec(name, "w")
        except (av.FFmpegError, ValueError):
            continue
        return name
    raise RuntimeError(f"This PyAV can encode none of {', '.join(MP4_CODECS)}")


HOLD_FRAMES = HOLD_MS // FRAME_MS


def mp4_bytes(frames: SlideFrames, progress: Progress | None = None) -> bytes:
    """The animation as an MP4 (``mp4_codec()``, yuv420p, ``1000 / FRAME_MS`` frames a second,
    the index at the front so a browser plays it while it loads); the last frame is repeated
    to stay ``HOLD_MS``. Written through a temporary file: moving the index to the front
    reopens the file, which an in-memory buffer cannot do."""
    import av

    total = len(frames.steps)
    with tempfile.TemporaryDirectory(prefix="descent-lab-") as folder:
        path = Path(folder) / "animation.mp4"
        with av.open(str(path), mode="w", options={"movflags": "+faststart"}) as container:
            stream = container.add_stream(mp4_codec(), rate=Fraction(1000, FRAME_MS))
            stream.width, stream.height = frames.size
            stream.pix_fmt = "yuv420p"
            if stream.codec_context.name == "libx264":
                stream.options = {"preset": "veryfast", "crf": "20"}
            else:
                stream.bit_rate = 4_000_000
            shown = 0
            for k, (_, image) in enumerate(frames.frames()):
                frame = av.VideoFrame.from_image(image)
                for _ in range(1 + (HOLD_FRAMES if k == total - 1 else 0)):
                    frame.pts = shown
                    container.mux(stream.encode(frame))
                    shown += 1
                _told(progress, k + 1, total + 1)
            container.mux(stream.encode(None))
        data = path.read_bytes()
    _told(progress, 1, 1)
    return data


def png_bytes(frames: SlideFrames, progress: Progress | None = None) -> bytes:
    """The last frame as a PNG."""
    image = frames.last_frame()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    _told(progress, 1, 1)
    return out.getvalue()
