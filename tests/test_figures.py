"""figures/: plain data in, figure dicts out: frame cap, last step, payload, divergence label."""

import base64
import json

import numpy as np
import pytest

import figures
import landscapes
import optimizers
from figures.animation import FULL_PATH_CAP, map_height, png_data_uri

PAYLOAD_LIMIT = 3_000_000


def _surface(name="rosenbrock", grid=200):
    surface = landscapes.get(name)
    (x0, x1), (y0, y1) = surface.bounds
    xs, ys = np.linspace(x0, x1, grid), np.linspace(y0, y1, grid)
    return {
        "x": xs, "y": ys, "z": surface.f(*np.meshgrid(xs, ys)), "log_scale": surface.log_scale,
        "floor": 0.0, "bounds": surface.bounds,
        "points": [(p.x, p.y, p.kind) for p in surface.points],
    }


def _runs(count=8, steps=1000, name="rosenbrock"):
    surface = landscapes.get(name)
    runs = []
    for i, spec in enumerate(optimizers.OPTIMIZERS[:count]):
        path = optimizers.simulate(surface, spec.name, surface.start, steps)
        runs.append({"name": spec.name, "color": figures.run_color(i), "xy": path.xy,
                     "loss": path.loss, "lr": path.lr, "diverged_at": path.diverged_at,
                     "grad_norm": np.hypot(*path.grad.T), "gap": path.loss})
    return runs


@pytest.mark.parametrize("n_points", [1, 2, 3, 149, 150, 151, 1001, 100_001])
def test_frame_indices_are_capped_and_keep_first_and_last(n_points):
    idx = figures.frame_indices(n_points)
    assert len(idx) <= figures.FRAME_CAP
    assert idx[0] == 0 and idx[-1] == n_points - 1
    assert np.all(np.diff(idx) > 0)


def test_animation_for_8_runs_of_1000_steps_fits_the_budget():
    figure = figures.animated_paths(_surface(), _runs())
    payload = json.dumps(figure, separators=(",", ":"), allow_nan=False)
    assert len(payload) <= PAYLOAD_LIMIT
    assert len(figure["frames"]) <= figures.FRAME_CAP
    assert figure["frames"][-1]["name"] == "1000"  # the last step is a frame


def test_frames_carry_only_the_path_traces_and_never_redraw():
    figure = figures.animated_paths(_surface(), _runs(count=3, steps=300))
    animated = figure["frames"][0]["traces"]
    assert len(animated) == 2 * 3
    assert all(figure["data"][i]["type"] == "scatter" for i in animated)
    assert all(f["traces"] == animated for f in figure["frames"])
    assert all(len(f["data"]) == len(animated) for f in figure["frames"])
    assert not any(t["type"] in ("contour", "heatmap") for t in figure["data"])
    for button in figure["layout"]["updatemenus"][0]["buttons"]:
        assert button["args"][1]["frame"]["redraw"] is False
    xaxis, yaxis = figure["layout"]["xaxis"], figure["layout"]["yaxis"]
    assert xaxis["range"] == [-2.0, 2.0] and yaxis["range"] == [-1.0, 3.0]


def test_last_frame_is_the_finished_path_and_paths_grow():
    runs = _runs(count=1, steps=500)
    figure = figures.animated_paths(_surface(), runs)
    first, last = figure["frames"][0]["data"][0], figure["frames"][-1]["data"][0]
    assert len(first["x"]) == 1
    assert len(last["x"]) == min(501, FULL_PATH_CAP)
    assert last["x"][-1] == pytest.approx(runs[0]["xy"][-1, 0], abs=1e-3)
    sizes = [len(f["data"][0]["x"]) for f in figure["frames"][:-1]]
    assert sizes == sorted(sizes)


def test_diverged_run_is_drawn_to_where_it_diverged_and_labelled():
    surface = landscapes.get("quadratic")
    path = optimizers.simulate(surface, "sgd", surface.start, 200, lr=0.2)
    assert path.diverged_at is not None
    run = {"name": "sgd", "color": "#0072B2", "xy": path.xy, "loss": path.loss,
           "diverged_at": path.diverged_at}
    figure = figures.animated_paths(_surface("quadratic"), [run])
    label = figures.diverged_label(path.diverged_at)
    assert label == f"diverged at step {path.diverged_at}"
    head = figure["data"][-1]
    assert head["text"] == [label]
    assert label in figure["data"][-2]["name"]
    assert len(figure["data"][-2]["x"]) == path.xy.shape[0]
    assert figure["frames"][-1]["data"][1]["text"] == [label]
    assert figure["frames"][0]["data"][1]["text"] == [""]
    curves = figures.step_curves([{**run, "gap": path.loss}], "gap", title="Loss",
                                 y_title="f", log_y=True)
    assert any(label in (t.get("text") or [""])[0] for t in curves["data"])


def test_a_run_that_diverges_at_once_still_draws():
    surface = landscapes.get("quadratic")
    path = optimizers.simulate(surface, "sgd", surface.start, 50, lr=10.0)
    assert path.xy.shape[0] == 1
    run = {"name": "sgd", "color": "#0072B2", "xy": path.xy, "loss": path.loss, "lr": path.lr,
           "diverged_at": path.diverged_at}
    figure = figures.animated_paths(_surface("quadratic"), [run])
    json.dumps(figure, allow_nan=False)
    figures.step_curves([run], "lr", title="lr", y_title="lr", log_y=True)


def test_surface_picture_is_a_valid_png():
    uri = png_data_uri(np.zeros((3, 4, 3), dtype=np.uint8))
    assert base64.b64decode(uri.split(",", 1)[1]).startswith(b"\x89PNG\r\n\x1a\n")


def test_map_height_is_bounded():
    for name in landscapes.names():
        assert 520 <= map_height(landscapes.get(name).bounds) <= 820


def test_leaderboard_ranks_and_marks_divergence():
    runs = [
        {"name": "a", "color": "#000", "xy": np.array([[0.0, 0.0], [2.0, 0.0]]),
         "loss": np.array([4.0, 1.0]), "diverged_at": None},
        {"name": "b", "color": "#111", "xy": np.array([[0.0, 0.0], [1.0, 1.0]]),
         "loss": np.array([4.0, 1e-8]), "diverged_at": None},
        {"name": "c", "color": "#222", "xy": np.array([[0.0, 0.0]]),
         "loss": np.array([4.0]), "diverged_at": 1},
    ]
    rows = figures.leaderboard(runs, [(1.0, 1.0)], 0.0, 1e-6)
    assert [r["run"] for r in rows] == ["b", "a", "c"]
    assert rows[0]["steps to tolerance"] == 1 and rows[1]["steps to tolerance"] is None
    assert rows[0]["distance to nearest minimum"] == pytest.approx(0.0)
    assert rows[2]["diverged"] == "at step 1"


def test_sweep_heatmap_and_basins_map_build():
    result = optimizers.sweep("rosenbrock", "sgd", (-1.5, 2.0), 50, x_values=[1e-4, 1e-3, 1.0],
                              y_param="momentum", y_values=[0.0, 0.9])
    figure = figures.sweep_heatmap(result.x_values, result.y_values, result.final_loss,
                                   x_title="lr", y_title="momentum", value_title="f",
                                   log_x=True, log_y=False, log_values=True,
                                   diverged=result.diverged_at >= 0)
    json.dumps(figure)
    b = optimizers.basins("himmelblau", "sgd", 100, resolution=10, lr=0.01)
    json.dumps(figures.basins_map(b.xs, b.ys, b.minimum, [(p.x, p.y, p.kind) for p in b.minima],
                                  bounds=((-5, 5), (-5, 5))))


def test_figures_do_not_import_streamlit():
    import sys

    import figures.animation

    source = "".join(open(m.__file__).read() for m in (figures.animation, figures.charts,
                                                        figures.tables, figures.palette))
    assert "streamlit" not in source.replace("no streamlit", "")
    assert "figures" in sys.modules


def test_a_data_surface_adds_a_data_view_whose_fits_move_with_the_frames():
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
        runs.append({"name": f"run {i}", "color": figures.run_color(i), "xy": path.xy,
                     "diverged_at": None, "fit": fit, "band": [path.xy[::-1][:50]],
                     "reference": path.xy[:10]})
    figure = figures.animated_paths(view, runs)
    data = figure["data"]
    fits = [i for i, t in enumerate(data) if t.get("xaxis") == "x2" and t["mode"] == "lines"]
    assert len(fits) == 2
    assert all(set(fits) <= set(f["traces"]) for f in figure["frames"])
    first, last = figure["frames"][0], figure["frames"][-1]
    position = first["traces"].index(fits[0])
    assert first["data"][position]["y"] == np.round(runs[0]["fit"][0], 4).tolist()
    assert last["data"][position]["y"] == data[fits[0]]["y"]  # the finished fit
    assert figure["layout"]["xaxis2"]["anchor"] == "y2"
    static = [t for t in data if t.get("line", {}).get("width") in (1.5, 2)]
    assert len(static) == 4  # per run: one extra seed and the dashed full-batch path
    assert not any(i in first["traces"] for i, t in enumerate(data) if t in static)


def test_leaderboard_counts_example_gradients_on_a_data_surface():
    surface = landscapes.from_data("linear_regression", size=40)
    runs = []
    for i, batch in enumerate((40, 4)):
        path = optimizers.simulate(surface, "sgd", surface.start, 30, lr=0.1,
                                   gradient={"name": "minibatch", "batch_size": batch})
        runs.append({"name": f"batch {batch}", "color": figures.run_color(i), "xy": path.xy,
                     "loss": path.loss, "diverged_at": None, "evaluations": path.evaluations})
    rows = {r["run"]: r for r in figures.leaderboard(runs, [], surface.minimum_value, 1e-6)}
    assert rows["batch 40"]["example gradients"] == 40 * 31
    assert rows["batch 4"]["example gradients"] == 4 * 31
    plain = figures.leaderboard(_runs(count=1, steps=10), [], 0.0, 1e-6)
    assert "example gradients" not in plain[0]  # only where examples are counted


# --- mini-batch runs: the loss over all the data, and each batch's own beside it ----------------


def _data_scene(steps: int, gradient: str = "minibatch"):
    from ui import compute
    from ui import state as S

    values = {"batch_size": 8.0} if gradient == "minibatch" else {}
    return compute.Scene(S.data_setting("linear_regression", size=120, noise=0.8),
                         (S.run("sgd", lr=0.05),), steps, seed=1,
                         gradient=S.gradient_setting(gradient, **values))


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
    lines = compute.trajectories_csv(scene).splitlines()
    header = lines[0].split(",")
    assert header[5:7] == ["loss", "full_loss"]
    for t in (0, 7, 30):
        cells = lines[1 + t].split(",")
        assert float(cells[5]) == pytest.approx(path.loss[t], rel=1e-9)
        assert float(cells[6]) == pytest.approx(landscape.f(*path.xy[t]), rel=1e-9)
