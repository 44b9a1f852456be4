"""Exports for slides (``figures.export``): each file opens, with the frames and size it should
have, and the pages offer them (AppTest)."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

import figures
import landscapes
import optimizers
from figures import export

ROOT = Path(__file__).resolve().parent.parent


def _view(surface):
    (x0, x1), (y0, y1) = surface.bounds
    xs, ys = np.linspace(x0, x1, 120), np.linspace(y0, y1, 120)
    z = surface.f(*np.meshgrid(xs, ys))
    return {"x": xs, "y": ys, "z": np.where(np.isfinite(z), z, np.nan),
            "log_scale": surface.log_scale, "floor": float(np.nanmin(z)),
            "bounds": surface.bounds, "points": [(p.x, p.y, p.kind) for p in surface.points]}


def _frames(name="rosenbrock", runs=(("adam", 0.05), ("sgd", 0.001)), steps=300, **options):
    surface = landscapes.get(name)
    payloads = []
    for i, (optimizer, lr) in enumerate(runs):
        path = optimizers.simulate(surface, optimizer, surface.start, steps, lr=lr)
        payloads.append({"name": optimizer, "color": figures.run_color(i),
                         "style": figures.run_style(i), "xy": path.xy, "loss": path.loss,
                         "outcome": optimizers.outcome(path, surface)})
    return export.SlideFrames(_view(surface), payloads, f"{surface.title}: test", **options)


def test_the_gif_has_a_frame_per_step_shown_at_the_frames_size_and_loops():
    frames = _frames()
    gif = Image.open(io.BytesIO(export.gif_bytes(frames)))
    assert gif.format == "GIF" and gif.size == (export.WIDTH, export.HEIGHT)
    assert gif.n_frames == len(frames.steps) == export.FRAME_CAP
    assert gif.info["loop"] == 0
    durations = []
    for k in range(gif.n_frames):
        gif.seek(k)
        durations.append(gif.info["duration"])
    assert durations == [export.FRAME_MS] * (gif.n_frames - 1) + [export.HOLD_MS]


def test_the_mp4_is_h264_yuv420p_with_every_frame_and_the_held_last_one():
    frames = _frames()
    data = export.mp4_bytes(frames)
    assert export.mp4_codec() == "libx264"  # PyAV's wheels carry libx264 (else mpeg4)
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        assert stream.codec_context.pix_fmt == "yuv420p"
        decoded = list(container.decode(video=0))
    assert len(decoded) == len(frames.steps) + export.HOLD_FRAMES
    assert (decoded[0].width, decoded[0].height) == (export.WIDTH, export.HEIGHT)
    assert data[4:8] == b"ftyp" and data.find(b"moov") < data.find(b"mdat")  # plays as it loads


def test_the_png_is_the_last_frame_at_twice_the_size():
    once, twice = _frames(), _frames(scale=2.0)
    png = Image.open(io.BytesIO(export.png_bytes(twice)))
    assert png.format == "PNG"
    assert png.size == (2 * export.WIDTH, 2 * export.HEIGHT) == tuple(2 * s for s in once.size)
    # the same picture: shrunk back, it is the 1x last frame up to the lines' antialiasing
    small = np.asarray(png.convert("RGB").resize(once.size, Image.BOX), dtype=np.float64)
    last = np.asarray(once.last_frame(), dtype=np.float64)
    assert np.mean(np.abs(small - last)) < 12


def test_the_frames_grow_the_paths_and_the_last_frame_is_the_animations_last():
    frames = _frames()
    pictures = [np.asarray(image) for _, image in frames.frames()]
    assert [step for step, _ in frames.frames()] == list(frames.steps)
    assert not np.array_equal(pictures[0], pictures[-1])
    # drawn in one go, the paths' joints may differ by a pixel from those drawn in stretches
    last = np.asarray(frames.last_frame(), dtype=np.float64)
    assert np.mean(np.abs(pictures[-1] - last)) < 0.5


def test_the_legend_says_each_runs_status_at_the_step_shown():
    frames = _frames(runs=(("adam", 0.05), ("sgd", 0.01)), steps=300)  # sgd diverges at 4
    assert [run["outcome"].label for run in frames.runs] == ["", "diverged at step 4"]
    assert frames.statuses(0) == ["running", "running"]
    assert frames.statuses(4) == ["running", "diverged at step 4"]
    assert frames.statuses(frames.last_step) == ["ran all 300 steps", "diverged at step 4"]


def test_a_run_that_diverges_and_a_surface_with_gaps_are_drawn_without_trouble():
    surface = landscapes.from_formula("log(x) + y^2")
    path = optimizers.simulate(surface, "sgd", (1.0, 1.0), 50, lr=5.0)
    run = {"name": "sgd", "color": figures.run_color(0), "xy": path.xy, "loss": path.loss,
           "outcome": optimizers.outcome(path, surface)}
    frames = export.SlideFrames(_view(surface), [run], "gaps")
    assert frames.last_frame().size == (export.WIDTH, export.HEIGHT)
    assert run["outcome"].kind in ("diverged", "left the map")


@pytest.mark.parametrize(("dash", "width", "pattern"), [
    ("solid", 3, None),
    ("dot", 3, (3, 3)),
    ("dash", 4, (12, 12)),
    ("longdashdot", 3, (15, 6, 3, 6)),
    ("2px,6px", 6, (4, 12)),  # a list in px at this line's scale (width / 3)
])
def test_dashes_are_plotlys(dash, width, pattern):
    assert export.dash_pattern(dash, width) == pattern


@pytest.mark.parametrize("dash", figures.palette.DASHES)
@pytest.mark.parametrize("width", [3, 4, 5.333])
def test_a_dashed_line_drawn_in_stretches_is_the_line_drawn_at_once(dash, width):
    """The pattern carries on across stretches, at any width (fractional lengths once stalled
    the loop: 8 runs' legend at 4/3 the size never finished)."""
    from PIL import ImageDraw

    line = np.array([[5.0, 10.0], [60.3, 10.0], [61.0, 10.0], [200.0, 10.0]])
    pictures = []
    for cuts in ([0, 3], [0, 1, 2, 3]):
        image = Image.new("RGB", (220, 20), "white")
        draw, state = ImageDraw.Draw(image), export.DASH_START
        for a, b in itertools.pairwise(cuts):
            state = export.draw_dashed(draw, line[a:b + 1], export.dash_pattern(dash, width),
                                       state, "#000000", round(width))
        pictures.append(np.asarray(image))
    assert np.array_equal(*pictures)
    drawn = (pictures[0][10, 5:200] < 128).all(axis=-1).mean()
    assert drawn == 1.0 if dash == "solid" else 0.1 < drawn < 0.9


@pytest.mark.timeout(120)
def test_every_runs_dash_is_drawn_at_any_size():
    runs = tuple((spec.name, 1e-3) for spec in optimizers.OPTIMIZERS[:8])
    for scale in (4 / 3, 1.37):
        frames = _frames(runs=runs, steps=60, scale=scale)
        assert frames.last_frame().size == frames.size


@pytest.mark.parametrize("n_points", [1, 2, 3, 149, 150, 151, 1001, 100_001])
def test_frames_are_capped_and_keep_the_first_and_last_step(n_points):
    steps = export.frame_indices(n_points)
    assert len(steps) <= export.FRAME_CAP
    assert steps[0] == 0 and steps[-1] == max(n_points - 1, 0)
    assert np.all(np.diff(steps) > 0)


@pytest.mark.parametrize(("low", "high", "ticks"), [
    (-2, 2, [-2, -1, 0, 1, 2]),
    (-1, 3, [-1, 0, 1, 2, 3]),
    (0.0, 0.7, [0.0, 0.2, 0.4, 0.6]),
    (-5.12, 5.12, [-4, -2, 0, 2, 4]),
])
def test_ticks_are_round_numbers_inside_the_window(low, high, ticks):
    assert export.nice_ticks(low, high) == pytest.approx(ticks)


# --- the pages ----------------------------------------------------------------------------------


def _open(page: str, query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.query_params.clear()
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _downloads(at: AppTest) -> dict[str, str]:
    return {d.proto.id: d.proto.label for d in at.get("download_button")}


@pytest.mark.parametrize(("page", "kind"), [("explore", "gif"), ("compare", "mp4"),
                                            ("schedules", "png")])
def test_a_pages_export_button_draws_the_file_and_offers_it(page, kind):
    at = _open(page, {"steps": "40"})
    makes = {b.key: b.label for b in at.button if ".make." in (b.key or "")}
    assert set(makes) == {f"{page}.make.{k}" for k in ("gif", "mp4", "png")}, makes
    at.button(key=f"{page}.make.{kind}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    labels = [d.proto.label for d in at.get("download_button")]
    assert f"⬇ {__import__('ui.exports').exports.EXPORTS[kind].label}" in labels, labels
    assert f"{page}.make.{kind}" not in {b.key for b in at.button}  # the button became it
