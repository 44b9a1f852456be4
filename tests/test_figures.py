"""figures/: plain data in, figure dicts out: the player's payload (its arrays, its size, how
runs ended), run styles, the leaderboard's rankings, and the exports."""

import base64
import colorsys
import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import figures
import landscapes
import optimizers
from figures.animation import png_data_uri
from figures.player import decode, encode, unpack

PAYLOAD_LIMIT = 2_000_000
"""Compare's 8 runs x 1000 steps with their neighbourhoods, in bytes (issue 11)."""


def _surface(name="rosenbrock", grid=200):
    surface = landscapes.get(name)
    (x0, x1), (y0, y1) = surface.bounds
    xs, ys = np.linspace(x0, x1, grid), np.linspace(y0, y1, grid)
    return {
        "x": xs, "y": ys, "z": surface.f(*np.meshgrid(xs, ys)), "log_scale": surface.log_scale,
        "floor": 0.0, "bounds": surface.bounds,
        "points": [(p.x, p.y, p.kind) for p in surface.points],
    }


def _run(path, surface, name="sgd", index=0, **extra):
    """A run as ``ui.compute.run_payloads`` hands it to the figures."""
    return {"name": name, "color": figures.run_color(index), "style": figures.run_style(index),
            "xy": path.xy, "loss": path.loss, "lr": path.lr, "gap": path.loss,
            "grad_norm": np.hypot(*path.grad.T), "diverged_at": path.diverged_at,
            "outcome": optimizers.outcome(path, surface), **extra}


def _runs(count=8, steps=1000, name="rosenbrock"):
    surface = landscapes.get(name)
    return [_run(optimizers.simulate(surface, spec.name, surface.start, steps), surface,
                 spec.name, i)
            for i, spec in enumerate(optimizers.OPTIMIZERS[:count])]


def _hoods(runs, name="rosenbrock", steps=1000):
    from ui import neighbourhoods

    surface = landscapes.get(name)
    return [neighbourhoods.neighbourhood(surface, run["name"], optimizers.OPTIMIZERS_BY_NAME[
        run["name"]].defaults, surface.start, steps) for run in runs]


def _payload_bytes(manifest, blob) -> int:
    """What travels: the manifest's JSON and the encoded blob."""
    return len(json.dumps(manifest, separators=(",", ":"), allow_nan=False)) + len(encode(blob))


def test_the_player_payload_for_8_runs_of_1000_steps_with_neighbourhoods_fits_the_budget():
    runs = _runs()
    manifest, blob = figures.player_payload(_surface(), runs, _hoods(runs))
    assert _payload_bytes(manifest, blob) <= PAYLOAD_LIMIT
    assert manifest["steps"] == 1000
    assert all(len(run["sliders"]) >= 1 for run in manifest["runs"])


def test_the_blob_travels_encoded_and_decodes_to_the_same_bytes():
    runs = _runs(count=2, steps=200)
    _, blob = figures.player_payload(_surface(), runs, _hoods(runs, steps=200))
    assert decode(encode(blob)) == blob
    assert len(encode(blob)) < 0.7 * len(blob)


def _strict(token: str):
    raise ValueError(f"{token} is not JSON")


def test_a_figure_travels_as_json_with_every_value_exact_and_gaps_as_null():
    from ui import compute

    figure = {"data": [{"x": np.arange(3.0), "y": [0.1 + 0.2, float("nan"), 1e-300],
                        "z": np.array([[np.inf, -np.inf], [2.5, np.nan]]), "name": "f − f*",
                        "count": np.int64(3), "shown": np.bool_(True)}],
              "layout": {"height": 300, "title": {"text": "‖∇f‖ at step 7"}}}
    parsed = json.loads(compute.to_json(figure), parse_constant=_strict)
    assert parsed == {"data": [{"x": [0.0, 1.0, 2.0], "y": [0.30000000000000004, None, 1e-300],
                                "z": [[None, None], [2.5, None]], "name": "f − f*",
                                "count": 3, "shown": True}],
                      "layout": {"height": 300, "title": {"text": "‖∇f‖ at step 7"}}}


def test_every_array_of_the_payload_reads_back_as_float32_of_what_was_packed():
    runs = _runs(count=3, steps=300)
    manifest, blob = figures.player_payload(_surface(), runs, _hoods(runs, steps=300))
    for run, entry in zip(runs, manifest["runs"], strict=True):
        xy = unpack(blob, entry["arrays"]["xy"])
        assert xy.dtype == np.float32 and xy.shape == run["xy"].shape
        np.testing.assert_array_equal(xy, run["xy"].astype(np.float32))
        lr = unpack(blob, entry["arrays"]["lr"])  # one per point, none from the last point
        np.testing.assert_array_equal(lr[:-1], run["lr"].astype(np.float32))
        assert np.isnan(lr[-1])
        for slider in entry["sliders"]:
            values = unpack(blob, slider["values"])
            assert values.dtype == np.float64  # sent back to the server exactly as computed
            assert values[slider["current"]] == optimizers.OPTIMIZERS_BY_NAME[
                run["name"]].defaults[slider["name"]]
            k = unpack(blob, entry["steps"]).size
            assert unpack(blob, slider["xy"]).shape == (values.size, k, 2)
            assert len(slider["ended"]) == len(slider["ended_at"]) == values.size
            for words, at in zip(slider["ended"], slider["ended_at"], strict=True):
                assert (at == -1) if not words else words.endswith(f"at step {at}")


@pytest.mark.parametrize("optimizer, slider", [("sgd", "lr"), ("sgd", "momentum"),
                                               ("adam", "lr"), ("adam", "beta1"),
                                               ("rmsprop", "alpha")])
def test_a_precomputed_path_equals_simulate_at_that_value_within_float32_rounding(optimizer,
                                                                                  slider):
    """What a player slider draws at a value is the run simulated at that value: every kept
    point, in float32."""
    surface = landscapes.get("rosenbrock")
    defaults = optimizers.OPTIMIZERS_BY_NAME[optimizer].defaults
    path = optimizers.simulate(surface, optimizer, surface.start, 400, **defaults)
    run = _run(path, surface, optimizer)
    manifest, blob = figures.player_payload(_surface(), [run],
                                            _hoods([run], steps=400))
    entry = manifest["runs"][0]
    chosen = next(s for s in entry["sliders"] if s["name"] == slider)
    values, steps = unpack(blob, chosen["values"]), unpack(blob, entry["steps"])
    xy = unpack(blob, chosen["xy"])
    for j in (0, values.size // 3, values.size - 1):
        exact = optimizers.simulate(surface, optimizer, surface.start, 400,
                                    **{**defaults, slider: float(values[j])})
        kept = steps[steps < exact.xy.shape[0]]
        np.testing.assert_array_equal(xy[j, :kept.size], exact.xy[kept].astype(np.float32))
        assert np.isnan(xy[j, kept.size:]).all()  # nothing drawn past a divergence


def test_diverged_run_is_labelled_where_it_was_last_seen():
    surface = landscapes.get("quadratic")
    path = optimizers.simulate(surface, "sgd", surface.start, 200, lr=0.2)
    run = _run(path, surface)
    label = run["outcome"].label
    assert label == f"diverged at step {path.diverged_at}"
    manifest, blob = figures.player_payload(_surface("quadratic"), [run])
    entry = manifest["runs"][0]
    assert entry["label"] == label and label in entry["ended"]
    at = path.diverged_at  # the player's readout, read as player.js reads it
    assert figures.status_at(entry["status"], at - 1) in ("running", label)
    assert figures.status_at(entry["status"], 0) == "running"
    assert figures.status_at(entry["status"], at) == label
    assert unpack(blob, entry["arrays"]["xy"]).shape[0] == path.xy.shape[0]
    (x0, x1), (y0, y1) = surface.bounds
    x, y = entry["label_at"]
    assert x0 <= x <= x1 and y0 <= y <= y1
    curves = figures.step_curves([run], "gap", title="Loss", y_title="f", log_y=True)
    assert [note["text"] for note in curves["layout"]["annotations"]] == [label]


def test_a_run_that_left_the_map_is_labelled_where_it_crossed_the_edge():
    surface = landscapes.get("saddle")
    path = optimizers.simulate(surface, "sgd", surface.start, 300, lr=0.1)
    run = _run(path, surface)
    assert run["outcome"].label == "left the map at step 30"
    entry = figures.player_payload(_surface("saddle"), [run])[0]["runs"][0]
    assert entry["label"] == "left the map at step 30"
    assert "without bound" in entry["ended"]
    x, y = entry["label_at"]
    (x0, x1), (y0, y1) = surface.bounds
    assert x0 <= x <= x1 and y0 <= y <= y1
    assert min(abs(y - y0), abs(y - y1), abs(x - x0), abs(x - x1)) < 1e-3  # on the edge
    a, b = path.xy[29], path.xy[30]  # ... on the segment that left
    t = np.dot([x, y] - a, b - a) / np.dot(b - a, b - a)
    assert 0 <= t <= 1 and np.hypot(*(a + t * (b - a) - [x, y])) < 1e-3
    assert entry["label_position"].startswith("bottom")  # below a point at the top edge


def test_a_run_that_diverges_at_once_still_packs():
    surface = landscapes.get("quadratic")
    path = optimizers.simulate(surface, "sgd", surface.start, 50, lr=10.0)
    assert path.xy.shape[0] == 1
    run = _run(path, surface)
    manifest, blob = figures.player_payload(_surface("quadratic"), [run])
    json.dumps(manifest, allow_nan=False)
    assert unpack(blob, manifest["runs"][0]["arrays"]["xy"]).shape == (1, 2)
    figures.step_curves([run], "lr", title="lr", y_title="lr", log_y=True)


def test_surface_picture_is_a_png_of_the_same_pixels():
    rgb = np.arange(3 * 4 * 3, dtype=np.uint8).reshape(3, 4, 3) * 7
    uri = png_data_uri(rgb)
    assert uri.startswith("data:image/png;base64,")
    png = base64.b64decode(uri.split(",", 1)[1])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(png))), rgb)


def _raced(*runs):
    """Leaderboard runs: (name, final point, losses, outcome)."""
    return [{"name": name, "color": figures.run_color(i), "xy": np.array([[0.0, 0.0], end]),
             "loss": np.array(loss), "outcome": outcome}
            for i, (name, end, loss, outcome) in enumerate(runs)]


ENDED = optimizers.Outcome("in the window")
RACE = _raced(
    ("slow", [0.5, 0.5], [4.0, 1e-3], ENDED),  # never within 1e-6, nearest the minimum
    ("late", [1.0, 1.1], [4.0, 1.0, 1.0, 1e-7], ENDED),  # reaches it at step 3
    ("blown", [9.0, 9.0], [4.0, 1e-9], optimizers.Outcome("diverged", 2)),
    ("early", [1.0, 1.2], [4.0, 1e-7, 1e-7], ENDED),  # at step 1: first
    ("lowest", [3.0, 3.0], [4.0, 1e-2, 1e-12], ENDED),  # at step 2, lowest, far away
    ("twin", [0.5, 0.5], [4.0, 1e-3], ENDED),  # ties with "slow" everywhere
)

# ranking -> the expected order of RACE
RANKED = {
    "steps to tolerance": ["early", "lowest", "late", "slow", "twin", "blown"],
    "final loss": ["lowest", "late", "early", "slow", "twin", "blown"],  # late, early: a tie
    "distance to nearest minimum": ["late", "early", "slow", "twin", "lowest", "blown"],
}


def test_the_rankings_table_is_what_the_tests_cover():
    assert set(figures.RANKINGS) == set(RANKED)
    assert figures.DEFAULT_RANKING == "steps to tolerance"
    assert all(r.description.endswith(".") for r in figures.RANKINGS.values())


@pytest.mark.parametrize("rank_by", list(RANKED))
def test_leaderboard_ranks_by_the_chosen_ranking_with_diverged_runs_last(rank_by):
    rows = figures.leaderboard(RACE, [(1.0, 1.0)], 0.0, 1e-6, rank_by=rank_by)
    assert [r["run"] for r in rows] == RANKED[rank_by]
    assert [r["rank"] for r in rows] == list(range(1, len(RACE) + 1))


def test_steps_to_tolerance_puts_the_first_run_to_reach_it_first():
    race = _raced(
        ("never", [0.0, 0.0], [4.0, 1e-3, 1e-4], ENDED),
        ("second", [0.0, 0.0], [4.0, 1.0, 1e-8], ENDED),
        ("first", [0.0, 0.0], [4.0, 1e-7, 1e-7], ENDED),
    )
    rows = figures.leaderboard(race, [], 0.0, 1e-6)  # the default ranking
    assert [(r["run"], r["steps to tolerance"]) for r in rows] == [
        ("first", 1), ("second", 2), ("never", None)]


def test_leaderboard_rows_say_how_each_run_ended_in_words_and_readable_colours():
    rows = {r["run"]: r for r in figures.leaderboard(RACE, [(1.0, 1.0)], 0.0, 1e-6)}
    assert rows["blown"]["outcome"] == "diverged at step 2"
    assert rows["slow"]["outcome"] == "did not reach the tolerance in 1 step"
    assert rows["early"]["outcome"] == "reached the tolerance at step 1"
    assert rows["early"]["distance to nearest minimum"] == pytest.approx(0.2)
    for row in rows.values():
        assert figures.contrast_on_white(row["text_color"]) >= 4.5


def test_an_unknown_ranking_is_refused_with_the_valid_ones():
    with pytest.raises(ValueError, match=r"Unknown ranking: 'speed' \(valid rankings: steps "
                                         r"to tolerance, final loss, distance"):
        figures.leaderboard(RACE, [], 0.0, 1e-6, rank_by="speed")


def test_sweep_heatmap_hatches_diverged_cells_and_gives_every_cell_a_clickable_point():
    result = optimizers.sweep("rosenbrock", "sgd", (-1.5, 2.0), 50, x_values=[1e-4, 1e-3, 1.0],
                              y_param="momentum", y_values=[0.0, 0.9])
    diverged = result.diverged_at >= 0
    assert diverged[:, 2].all() and not diverged[:, 0].any()  # lr = 1 blows up, 1e-4 never
    figure = figures.sweep_heatmap(result.x_values, result.y_values, result.final_loss,
                                   x_title="lr", y_title="momentum", value_title="f",
                                   log_x=True, log_y=False, log_values=True, diverged=diverged)
    heat, cells, crosses = figure["data"]
    assert [row[2] for row in heat["z"]] == [None, None]  # no colour for a diverged cell
    assert all(v is not None for row in heat["z"] for v in row[:2])
    assert sorted(map(tuple, cells["customdata"])) == [(i, j) for i in range(3) for j in range(2)]
    assert set(zip(crosses["x"], crosses["y"], strict=True)) == {("1", "0"), ("1", "0.9")}
    # Streamlit reports a click only on a scatter point, and only with its own click modes
    assert "clickmode" not in figure["layout"] and "dragmode" not in figure["layout"]
    assert figure["layout"]["hoverdistance"] == -1  # a click anywhere in a cell picks it
    json.dumps(figure)


def test_basins_map_colours_each_start_by_the_minimum_its_run_reaches():
    b = optimizers.basins("himmelblau", "sgd", 100, resolution=10, lr=0.01)
    minima = [(p.x, p.y, p.kind) for p in b.minima]
    figure = figures.basins_map(b.xs, b.ys, b.minimum, minima, bounds=((-5, 5), (-5, 5)))
    heat = figure["data"][0]
    n = len(minima)
    expected = np.where(b.minimum == b.NOWHERE, n, np.where(b.minimum == b.DIVERGED, n + 1,
                                                             b.minimum))
    assert np.array_equal(np.asarray(heat["z"]), expected)
    assert len(np.unique(expected)) >= 4  # Himmelblau's four minima each draw some starts
    legend = [t["name"] for t in figure["data"][1:]]
    assert legend[-2:] == ["ends elsewhere", "diverged"] and len(legend) == n + 2
    json.dumps(figure)


def test_figures_and_the_core_import_neither_streamlit_nor_plotly():
    """The core and the figure builders are pure: a fresh interpreter that imports them all
    has loaded neither streamlit nor plotly (figures are plain dicts)."""
    code = ("import sys, landscapes, optimizers, figures, figures.animation, figures.charts, "
            "figures.tables, figures.palette, figures.player; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'streamlit', 'plotly'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent, check=True)
    assert done.stdout.strip() == "[]"


def test_a_data_surface_sends_its_data_view_and_each_runs_fit_at_every_point():
    surface = landscapes.from_data("tanh_network", size=50)
    view = _surface()
    view["bounds"] = surface.bounds
    u, v = surface.dataset
    grid = np.linspace(u.min(), u.max(), 30)
    view["data"] = {"u": u, "v": v, "grid": grid, "axes": ("w1", "w2"), "title": "data"}
    runs = []
    for i, seed in enumerate((0, 1)):
        path = optimizers.simulate(surface, "sgd", surface.start, 200, lr=0.1, seed=seed,
                                   gradient={"name": "minibatch", "batch_size": 4})
        fit = landscapes.data.predict("tanh_network", path.xy[:, :1], path.xy[:, 1:], grid)
        runs.append({**_run(path, surface, "sgd", i), "fit": fit,
                     "band": [path.xy[::-1][:50]], "reference": path.xy[:10]})
    manifest, blob = figures.player_payload(view, runs)
    data_view = manifest["map"]["data_view"]
    np.testing.assert_array_equal(unpack(blob, data_view["u"]), u.astype(np.float32))
    assert data_view["axes"] == ["w1", "w2"]
    for run, entry in zip(runs, manifest["runs"], strict=True):
        fit = unpack(blob, entry["arrays"]["fit"])
        assert fit.shape == (run["xy"].shape[0], 30)  # the model at every point of the path
        np.testing.assert_array_equal(fit[-1], run["fit"][-1].astype(np.float32))
        assert len(entry["band"]) == 1 and entry["reference"]["shape"] == [10, 2]


def test_leaderboard_counts_example_gradients_on_a_data_surface():
    surface = landscapes.from_data("linear_regression", size=40)
    runs = []
    for i, batch in enumerate((40, 4)):
        path = optimizers.simulate(surface, "sgd", surface.start, 30, lr=0.1,
                                   gradient={"name": "minibatch", "batch_size": batch})
        runs.append(_run(path, surface, f"batch {batch}", i, evaluations=path.evaluations))
    rows = {r["run"]: r for r in figures.leaderboard(runs, [], surface.minimum_value, 1e-6)}
    assert rows["batch 40"]["example gradients"] == 40 * 31
    assert rows["batch 4"]["example gradients"] == 4 * 31
    plain = figures.leaderboard(_runs(count=1, steps=10), [], 0.0, 1e-6)
    assert "example gradients" not in plain[0]  # only where examples are counted


# --- mini-batch runs: the loss over all the data, and each batch's own beside it ----------------


def _data_scene(steps: int, gradient: str = "minibatch"):
    from ui import compute, settings

    values = {"batch_size": 8.0} if gradient == "minibatch" else {}
    return compute.Scene(settings.data_setting("linear_regression", size=120, noise=0.8),
                         (settings.run("sgd", lr=0.05),), steps, seed=1,
                         gradient=settings.gradient_setting(gradient, **values))


def test_a_minibatch_run_shows_the_loss_over_all_the_data_at_the_points_drawn():
    from ui import compute

    scene = _data_scene(2400)  # longer than a curve draws: strided
    landscape, path = scene.landscape(), compute.trajectories(scene)[0]
    run = compute.run_payloads(scene)[0]
    shown = figures.shown_steps(path.xy.shape[0])
    assert 0 < len(shown) < path.xy.shape[0] and shown[-1] == path.steps
    full = landscape.f(path.xy[shown, 0], path.xy[shown, 1])
    np.testing.assert_allclose(run["loss"][shown], full, rtol=1e-12)
    assert not np.allclose(full, path.loss[shown])  # a batch's loss is not the data's
    floor = landscape.minimum_value
    np.testing.assert_allclose(run["gap"][shown], full - floor, rtol=1e-12)
    np.testing.assert_allclose(run["batch_gap"], path.loss - floor, rtol=1e-12)

    chart = figures.step_curves([run], "gap", title="Loss", y_title="f − f*", log_y=True,
                                faint="batch_gap", faint_name="batch loss")
    faint, line = chart["data"]
    assert faint["name"] == f"{run['name']}: batch loss" and faint["opacity"] < 1
    assert faint["line"]["width"] < line["line"]["width"]
    assert line["x"] == shown.tolist()  # every point drawn was computed
    np.testing.assert_allclose(line["y"], full - floor, rtol=1e-4)

    row = figures.leaderboard([run], [], floor, 1e-6)[0]
    assert row["final loss"] == pytest.approx(landscape.f(*path.xy[-1]), rel=1e-12)
    height = figures.surface_3d(compute.surface_view(scene.surface), [run])["data"][1]["z"]
    assert len(height) == len(shown) and np.isfinite(height).all()


def test_a_run_on_the_exact_gradient_has_no_batch_loss():
    from ui import compute

    scene = _data_scene(50, gradient="analytic")
    run, path = compute.run_payloads(scene)[0], compute.trajectories(scene)[0]
    assert run["batch_gap"] is None
    np.testing.assert_array_equal(run["loss"], path.loss)
    chart = figures.step_curves([run], "gap", title="Loss", y_title="f", faint="batch_gap")
    assert len(chart["data"]) == 1


def test_the_csv_has_the_loss_each_step_saw_and_the_loss_over_all_the_data():
    from ui import compute

    scene = _data_scene(30)
    landscape, path = scene.landscape(), compute.trajectories(scene)[0]
    lines = [line for line in compute.trajectories_csv(scene).splitlines()
             if not line.startswith("#")]
    header = lines[0].split(",")
    assert header[5:7] == ["loss", "full_loss"]
    for t in (0, 7, 30):
        cells = lines[1 + t].split(",")
        assert float(cells[5]) == pytest.approx(path.loss[t], rel=1e-9)
        assert float(cells[6]) == pytest.approx(landscape.f(*path.xy[t]), rel=1e-9)


# --- run styles: told apart without colour; names readable on white ------------------------------


def test_eight_runs_differ_in_dash_and_symbol_not_only_in_colour():
    styles = [figures.run_style(i) for i in range(8)]
    for key in ("color", "dash", "symbol", "symbol_3d"):
        assert len({style[key] for style in styles}) == 8, key
    assert figures.run_style(8) == styles[0]  # cycling, as the colours do


# Okabe–Ito pairs that come close with deuteranopia or protanopia (simulated, CIELAB distance
# under 25), as palette indices, and the kind of line each dash draws
CLOSE_PAIRS = [(4, 7), (2, 3), (1, 4), (0, 5), (3, 5), (0, 3), (1, 7)]
DASH_KINDS = {"solid": "line", "dash": "dashes", "longdash": "dashes", "dot": "dots",
              "2px,6px": "dots", "2px,3px,2px,9px": "dots", "dashdot": "dash-dots",
              "longdashdot": "dash-dots"}


@pytest.mark.parametrize(("a", "b"), CLOSE_PAIRS)
def test_runs_whose_colours_come_close_draw_different_kinds_of_line(a, b):
    first, second = figures.run_style(a), figures.run_style(b)
    assert DASH_KINDS[first["dash"]] != DASH_KINDS[second["dash"]]
    assert first["dash_3d"] != second["dash_3d"]


@pytest.mark.parametrize("index", range(8))
def test_a_runs_name_is_written_in_a_readable_shade_of_its_own_colour(index):
    style = figures.run_style(index)
    assert figures.contrast_on_white(style["text"]) >= 4.5  # WCAG AA, normal text

    def hue(color):
        return colorsys.rgb_to_hsv(*(int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)))[0]

    if style["color"] != "#000000":
        assert hue(style["text"]) == pytest.approx(hue(style["color"]), abs=0.02)
    if figures.contrast_on_white(style["color"]) >= 4.5:
        assert style["text"].lower() == style["color"].lower()  # kept when it reads already


def test_the_yellow_run_is_darkened_for_text_but_drawn_yellow():
    style = figures.run_style(7)
    assert style["color"] == "#F0E442" and figures.contrast_on_white(style["color"]) < 1.5
    assert figures.contrast_on_white(style["text"]) >= 4.5


def test_every_view_draws_a_run_in_its_style():
    runs = _runs(count=4, steps=100)
    styles = [run["style"] for run in runs]
    entries = figures.player_payload(_surface(), runs)[0]["runs"]
    assert [e["dash"] for e in entries] == [s["dash"] for s in styles]
    assert [e["symbol"] for e in entries] == [s["symbol"] for s in styles]
    assert [e["text"] for e in entries] == [s["text"] for s in styles]
    curves = figures.step_curves(runs, "gap", title="Loss", y_title="f", log_y=True)
    assert [t["line"]["dash"] for t in curves["data"]] == [s["dash"] for s in styles]
    sheet = figures.surface_3d(_surface_view("rosenbrock"), runs)
    assert [t["marker"]["symbol"] for t in sheet["data"][1:]] == [s["symbol_3d"] for s in styles]
    assert [t["line"]["dash"] for t in sheet["data"][1:]] == [s["dash_3d"] for s in styles]


def test_a_run_given_only_a_palette_colour_gets_that_colours_style():
    run = {"name": "lr", "color": figures.run_color(3), "lr": np.full(5, 0.1)}
    curves = figures.step_curves([run], "lr", title="lr", y_title="lr")
    assert curves["data"][0]["line"]["dash"] == figures.run_style(3)["dash"]


# --- the step charts ----------------------------------------------------------------------------


def test_the_step_charts_have_a_legend_of_run_names_below_the_axis():
    runs = _runs(count=8, steps=100)
    chart = figures.step_curves(runs, "gap", title="Loss", y_title="f", log_y=True, height=320)
    legend = chart["layout"]["legend"]
    assert chart["layout"]["showlegend"] is True
    assert legend["yref"] == "container" and legend["y"] == 0 and legend["yanchor"] == "bottom"
    named = [t["name"] for t in chart["data"] if t.get("showlegend", True)]
    assert named == [run["name"] for run in runs]
    assert chart["layout"]["height"] > 320  # grown by the legend, not taken from the plot


def test_loss_and_lr_charts_of_a_diverged_run_end_at_the_same_step():
    surface = landscapes.get("rosenbrock")
    path = optimizers.simulate(surface, "sgd", surface.start, 200, lr=0.01)
    run = _run(path, surface)
    assert run["outcome"].label == "diverged at step 4" and path.lr.size == 3
    loss = figures.step_curves([run], "gap", title="Loss", y_title="f", log_y=True)
    lr = figures.step_curves([run], "lr", title="lr", y_title="lr", log_y=True)
    assert loss["data"][0]["x"][-1] == lr["data"][0]["x"][-1] == 3  # the last usable point
    assert lr["data"][0]["line"]["shape"] == "hv"  # lr[t] holds from point t to t + 1
    assert lr["data"][0]["y"] == [0.01] * 4
    for chart in (loss, lr):
        end = chart["data"][1]
        assert end["x"] == [3] and end["marker"]["symbol"] == "x"
        assert "diverged at step 4" in end["hovertemplate"]
        assert chart["layout"]["annotations"][0]["text"] == "diverged at step 4"


def test_step_ticks_are_whole_numbers():
    surface = landscapes.get("rosenbrock")
    run = _run(optimizers.simulate(surface, "sgd", surface.start, 3, lr=1e-3), surface)
    for key in ("gap", "lr"):
        xaxis = figures.step_curves([run], key, title="", y_title="")["layout"]["xaxis"]
        assert xaxis["tickformat"] == "d" and xaxis["dtick"] >= 1
    long = figures.step_curves(_runs(count=1, steps=300), "gap", title="", y_title="")
    assert long["layout"]["xaxis"]["tickformat"] == "d"


def test_a_flat_chart_shows_a_decade_around_its_value_not_rounding_noise():
    surface = landscapes.get("saddle")
    runs = [_run(optimizers.simulate(surface, name, surface.start, 300, lr=0.05), surface,
                 name, i) for i, name in enumerate(("sgd", "adam"))]
    chart = figures.step_curves(runs, "lr", title="lr", y_title="lr", log_y=True)
    low, high = chart["layout"]["yaxis"]["range"]
    assert low == pytest.approx(np.log10(0.05) - 0.5) and high == pytest.approx(low + 1)
    for note in chart["layout"]["annotations"]:  # the end labels sit by their lines
        assert note["y"] == pytest.approx(np.log10(0.05))
    assert "range" not in figures.step_curves(runs, "gap", title="", y_title="")["layout"]["yaxis"]


def test_end_labels_stay_inside_the_chart_and_do_not_cover_each_other():
    surface = landscapes.get("saddle")
    runs = [_run(optimizers.simulate(surface, "sgd", surface.start, 300, lr=lr), surface,
                 f"sgd {lr}", i) for i, lr in enumerate((0.1, 0.11, 0.12))]
    chart = figures.step_curves(runs, "gap", title="Loss", y_title="f")
    notes = chart["layout"]["annotations"]
    assert len(notes) == 3
    last = max(t["x"][-1] for t in chart["data"] if t.get("mode") == "lines")
    for note in notes:
        # a label near the right edge is written leftwards from its point
        if note["x"] > 0.55 * last:
            assert note["xanchor"] == "right"
    # the three ends lie near the bottom, a few pixels apart: their labels sit above them,
    # the lowest in place and the others stacked a line apart, up into the chart
    assert all(note["yanchor"] == "bottom" for note in notes)
    lowest = min(notes, key=lambda note: note["y"])
    assert lowest["yshift"] == 0
    assert sorted(note["yshift"] for note in notes if note is not lowest) == [20, 20]


# --- the 3-D view -------------------------------------------------------------------------------


def _surface_view(name):
    view = _surface(name)
    z = view["z"]
    view["floor"] = min(landscapes.get(name).minimum_value, float(np.nanmin(z)))
    return view


@pytest.mark.parametrize("name", ["rosenbrock", "himmelblau", "saddle"])
def test_3d_paths_float_just_above_the_drawn_sheet(name):
    runs = _runs(count=3, steps=300, name=name)
    view = _surface_view(name)
    figure = figures.surface_3d(view, runs)
    sheet = np.asarray(figure["data"][0]["z"], dtype=float)
    span = np.nanmax(sheet) - np.nanmin(sheet)
    xs, ys = np.asarray(figure["data"][0]["x"]), np.asarray(figure["data"][0]["y"])
    for trace in figure["data"][1:]:
        x, y, z = (np.asarray(trace[k], dtype=float) for k in "xyz")
        inside = (xs[0] <= x) & (x <= xs[-1]) & (ys[0] <= y) & (y <= ys[-1])
        i = np.clip(np.searchsorted(xs, x[inside]), 0, xs.size - 1)
        j = np.clip(np.searchsorted(ys, y[inside]), 0, ys.size - 1)
        # above each grid corner around the point (the sheet's triangles span them) ...
        corners = np.maximum.reduce([sheet[j, i], sheet[j - 1, i], sheet[j, i - 1],
                                     sheet[j - 1, i - 1]])
        assert np.all(z[inside] >= corners - 0.05 * span)
        # ... and not far above the surface
        assert np.all(z[inside] <= corners + 0.1 * span)
        assert trace["line"]["width"] >= 6
    assert figure["layout"]["scene"]["camera"]["eye"]["z"] > 1.25  # above plotly's default


def test_3d_paths_are_drawn_only_over_the_sheet():
    surface = landscapes.get("saddle")
    path = optimizers.simulate(surface, "sgd", surface.start, 300, lr=0.1)
    figure = figures.surface_3d(_surface_view("saddle"), [_run(path, surface)])
    trace = figure["data"][1]
    shown = [x is not None for x in trace["x"]]
    assert shown[0] and not shown[-1]  # cut where the run left the window
    low, high = figure["layout"]["scene"]["zaxis"]["range"]
    assert low == pytest.approx(-4, abs=0.01) and high < 4.5  # the sheet's heights, not -8000


# --- what the pages receive, and the exports ----------------------------------------------------


def _saddle_scene():
    from ui import compute, settings

    return compute.Scene(
        settings.surface_setting("saddle"),
        (settings.run("sgd", lr=0.1), settings.run("adam", lr=0.05, amsgrad=1)),
        300, start=(-1.8, 0.01),
        schedule=settings.schedule_setting("step", step_size=100, gamma=0.5), seed=3)


def test_run_payloads_carry_each_runs_outcome_and_style():
    from ui import compute

    scene = _saddle_scene()
    runs = compute.run_payloads(scene)
    assert runs[0]["outcome"].text == ("left the map at step 30 "
                                       "(the loss falls without bound this way)")
    assert runs[1]["outcome"].label == "left the map at step 36"
    assert [run["style"] for run in runs] == [figures.run_style(0), figures.run_style(1)]


def _csv_header_and_rows(text):
    comments = [line for line in text.splitlines() if line.startswith("#")]
    settings = dict(line[2:].split(": ", 1) for line in comments[1:])
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    return comments[0], settings, rows


def test_the_csv_starts_with_the_settings_and_has_no_blank_cell():
    from ui import compute

    scene = _saddle_scene()
    text = compute.trajectories_csv(scene)
    title, settings, rows = _csv_header_and_rows(text)
    assert title == "# Descent Lab: trajectories"
    assert settings["surface"] == "saddle (Saddle)"
    assert settings["start"] == "(-1.8, 0.01)"
    assert settings["steps"] == "300"
    assert settings["schedule"] == "step(step_size=100, gamma=0.5, interval=step)"
    assert settings["gradient"] == "analytic"
    assert settings["seed"] == "3"
    assert settings["run 1"] == ("Gradient descent (lr=0.1); sgd(lr=0.1, momentum=0, "
                                 "dampening=0, nesterov=False, weight_decay=0); left the map at "
                                 "step 30 (the loss falls without bound this way)")
    assert settings["run 2"].startswith("Adam (lr=0.05, amsgrad=1); adam(lr=0.05, beta1=0.9, "
                                        "beta2=0.999, eps=1e-08, weight_decay=0, amsgrad=True)")
    assert "nan" in settings["lr"]  # the last point's rate, explained
    assert all(cell.strip() for row in rows for cell in row.values())
    paths = compute.trajectories(scene)
    assert len(rows) == sum(p.xy.shape[0] for p in paths)
    by_run = [[r for r in rows if r["optimizer"] == name] for name in ("sgd", "adam")]
    for run_rows, path in zip(by_run, paths, strict=True):
        lr = [float(r["lr"]) for r in run_rows]
        np.testing.assert_allclose(lr[:-1], path.lr, rtol=1e-9)
        assert np.isnan(lr[-1])  # the last point takes no step
        assert len({r["outcome"] for r in run_rows}) == 1


def test_the_csv_reads_back_with_a_comment_aware_reader():
    import pandas as pd

    from ui import compute

    scene = _saddle_scene()
    frame = pd.read_csv(io.StringIO(compute.trajectories_csv(scene)), comment="#")
    assert list(frame.columns) == list(compute.CSV_COLUMNS)
    assert frame["lr"].dtype == float and frame["x"].dtype == float
    assert frame["lr"].isna().sum() == 2  # the last point of each run
    assert frame["averaged_x"].isna().all()  # neither SGD nor Adam keeps a second point
    assert frame["momentum"].isna().sum() == 2  # gradient descent's 0, Adam's beta1 0.9
    assert set(frame["momentum"].dropna()) == {0.0, 0.9}
    assert frame.drop(columns=["lr", "momentum", "averaged_x", "averaged_y"]).notna().all().all()


def _averaging_scene():
    from ui import compute, settings

    return compute.Scene(
        settings.surface_setting("quadratic"),
        (settings.run("asgd", lr=0.02, t0=5), settings.run("adamw_schedule_free", lr=0.5),
         settings.run("sgd", lr=0.02)), 60)


def test_every_point_where_lbfgs_evaluated_f_is_sent_to_the_player_for_its_dots():
    """L-BFGS's evaluations go to the player beside its path (it draws them as small dots);
    Adam evaluates once per point of its path and sends none."""
    from ui import compute, settings

    scene = compute.Scene(settings.surface_setting("rosenbrock"),
                          (settings.run("lbfgs", lr=1.0, line_search_fn=1.0),
                           settings.run("adam", lr=0.05)), 20)
    path = compute.trajectories(scene)[0]
    runs = compute.run_payloads(scene)
    manifest, blob = figures.player_payload(compute.surface_view(scene.surface), runs)
    dots = unpack(blob, manifest["runs"][0]["evaluated"])
    assert dots.shape == (path.evaluations.function, 2) == path.evaluated_xy.shape
    assert path.evaluations.function > 20  # more than one evaluation a step
    np.testing.assert_array_equal(dots, path.evaluated_xy.astype(dots.dtype))
    assert manifest["runs"][1]["evaluated"] is None


def test_an_optimizers_second_sequence_is_drawn_thin_and_dotted_and_written_to_the_csv():
    """ASGD's average and schedule-free AdamW's x: sent to the player beside the run's path
    (drawn once, thin and dotted in the run's colour), named for what it is; the CSV's averaged
    columns hold it (nan for SGD)."""
    from ui import compute

    scene = _averaging_scene()
    paths = compute.trajectories(scene)
    runs = compute.run_payloads(scene)
    manifest, blob = figures.player_payload(compute.surface_view(scene.surface), runs)
    for run, entry, title in zip(runs[:2], manifest["runs"],
                                 ("the average ax", "x, the average you evaluate"), strict=False):
        assert entry["averaged_title"] == title
        averaged = unpack(blob, entry["averaged"])
        np.testing.assert_array_equal(averaged, run["averaged"].astype(np.float32))
        assert not np.allclose(run["averaged"][-1], run["xy"][-1])  # a second, other point
    assert manifest["runs"][2]["averaged"] is None
    _, _, rows = _csv_header_and_rows(compute.trajectories_csv(scene))
    for path in paths[:2]:
        kept = [r for r in rows if r["optimizer"] == path.config["optimizer"]]
        np.testing.assert_allclose([[float(r["averaged_x"]), float(r["averaged_y"])]
                                    for r in kept], path.averaged_xy, rtol=1e-9)
    assert all(r["averaged_x"] == "nan" for r in rows if r["optimizer"] == "sgd")


def test_the_csv_has_the_momentum_a_schedule_cycles():
    import pandas as pd

    from ui import compute, settings

    scene = compute.Scene(settings.surface_setting("quadratic"), (settings.run("adam"),), 30,
                          schedule=settings.schedule_setting("one_cycle", total_steps=30.0))
    frame = pd.read_csv(io.StringIO(compute.trajectories_csv(scene)), comment="#")
    path = compute.trajectories(scene)[0]
    np.testing.assert_allclose(frame["momentum"][:-1], path.momentum, rtol=1e-9)
    assert frame["momentum"].iloc[0] == 0.95 and frame["momentum"].min() < 0.86


def test_a_typed_surface_is_written_with_its_formula():
    from ui import compute, settings

    scene = compute.Scene(settings.custom_setting("-x^2"), (settings.run("sgd", lr=0.1),), 20)
    _, header, rows = _csv_header_and_rows(compute.trajectories_csv(scene))
    assert header["surface"] == "f(x, y) = -x^2 (typed; window x in [-3, 3], y in [-3, 3])"
    assert rows[-1]["outcome"].startswith("left the map at step 3")


def test_the_html_page_has_a_title_and_a_caption_of_what_it_shows():
    from ui import player

    page = player.animated_html(_saddle_scene())
    title = re.search(r"<title>(.*?)</title>", page).group(1)
    assert title == "Descent Lab: Saddle: 2 runs, 300 steps from (-1.8, 0.01)"
    caption = re.search(r"<figcaption>(.*?)</figcaption>", page, re.S).group(1)
    for words in ("saddle (Saddle)", "(-1.8, 0.01)", "step(step_size=100, gamma=0.5",
                  "Gradient descent (lr=0.1)", "sgd(lr=0.1, momentum=0",
                  "adam(lr=0.05, beta1=0.9", "left the map at step 30", "300 steps",
                  "Made with Descent Lab"):
        assert words in caption, words
    assert page.count("<html") == 1 and "new DescentLabPlayer" in page
    assert "<script src" not in page and "https://" not in page.split("<figcaption>")[1]


def test_the_players_frame_is_one_page_with_its_script_and_style_inside():
    """The folder Streamlit serves the player from holds its page with player.js and
    player.css inside it (a page makes a frame per chart, all at once: each waits for one
    response, not three in turn) and plotly.js, which the page fetches when it needs it."""
    from ui import player

    folder = player._component_folder()
    page = (folder / "index.html").read_text()
    assert "<script src" not in page and 'rel="stylesheet"' not in page
    source = Path(player.__file__).with_name("player")
    assert (source / "player.css").read_text() in page
    assert "window.DescentLabPlayer = Player;" in page
    served = sorted(f.name for f in folder.iterdir() if not f.name.endswith(".part"))
    assert served == ["index.html", "plotly.min.js", "plotly.min.js.gz"]


def test_the_arrows_at_every_point_are_the_cores_gradient_step_and_what_momentum_adds():
    """The player's arrows (Explore): at each point t, -lr_t ∇f(x_t) from the core's recorded
    gradient, the step x_{t+1} - x_t, and for a momentum method what momentum adds (for SGD's
    momentum, -lr μ b_t from its recorded momentum_buffer), float32 of the core's float64;
    NaN at the last point. Sent only where asked: Compare's payload stays as it was."""
    from ui import compute, settings

    scene = compute.Scene(settings.surface_setting("rosenbrock"),
                          (settings.run("momentum", lr=0.001), settings.run("adam", lr=0.05)),
                          40)
    runs = compute.run_payloads(scene)
    manifest, blob = figures.player_payload(compute.surface_view(scene.surface), runs,
                                            arrows=True)
    assert [a["key"] for a in manifest["arrows"]] == ["descent", "step", "velocity"]
    momentum, adam = (compute.recorded_run(scene, i) for i in range(2))
    for path, entry in zip((momentum, adam), manifest["runs"], strict=True):
        descent = unpack(blob, entry["arrows"]["descent"])
        step = unpack(blob, entry["arrows"]["step"])
        assert descent.dtype == np.float32 and descent.shape == path.xy.shape
        np.testing.assert_array_equal(descent[:-1], (-path.lr[:, None] * path.grad[:-1])
                                      .astype(np.float32))
        np.testing.assert_array_equal(step[:-1], np.diff(path.xy, axis=0).astype(np.float32))
        assert np.isnan(descent[-1]).all() and np.isnan(step[-1]).all()
    velocity = unpack(blob, manifest["runs"][0]["arrows"]["velocity"])
    mu, buffer = 0.9, momentum.state["momentum_buffer"]
    np.testing.assert_allclose(velocity[1:-1], -momentum.lr[1:, None] * mu * buffer[1:-1],
                               rtol=1e-5, atol=1e-12)
    assert "velocity" not in manifest["runs"][1]["arrows"]  # Adam: no momentum hyperparameter
    plain, _ = figures.player_payload(compute.surface_view(scene.surface), runs)
    assert plain["arrows"] == [] and all("arrows" not in r for r in plain["runs"])
