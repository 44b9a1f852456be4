"""Every page under streamlit's AppTest: it runs, its controls (also at their extremes) change
the output without an exception, and a tampered link loads with the warning."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from figures.player import decode, unpack
from ui import tables

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["explore", "compare", "schedules", "sensitivity", "learn", "lessons"]


def _open(page: str, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.query_params.clear()
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _output(at: AppTest) -> tuple:
    """What the page shows: chart specs, tables, component args, the URL."""
    charts = tuple(c.proto.spec for c in at.get("plotly_chart"))
    tables = tuple(str(t) for t in _tables(at))
    components = tuple(str(c.proto) for c in at.get("component_instance"))
    return charts, tables, components, tuple(sorted(at.query_params.items()))


def _tables(at: AppTest) -> list[dict[str, list[str]]]:
    """The page's tables of runs (``ui.tables``), each as {column: its cells}."""
    found = [rows for m in at.markdown for rows in tables.read(m.value)]
    return [{name: [row[name] for row in rows] for name in rows[0]} for rows in found if rows]


def _key(widgets, name: str) -> str:
    """The key of the control called ``name`` (keys read page.generation.name[.detail])."""
    return next(w.key for w in widgets if w.key and (
        (part := w.key.split(".", 2)[-1]) == name or part.startswith(f"{name}.")))


def _open_cards(at: AppTest) -> AppTest:
    """Open every run card (Explore's "...: hyperparameters", Compare's "Runs: ..."): a card
    draws its inputs only while open."""
    for expander in at.expander:
        key = expander.proto.id.rsplit("-", 1)[-1]
        if ".card." in key:
            at.session_state[key] = True
    return at.run()


def _rendered(markdown: str) -> str:
    """The text a Markdown body shows, for bodies whose Markdown is all backslash escapes."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_and_writes_its_query(page):
    at = _open(page)
    _clean(at)
    assert at.title[0].value.lower() == page
    assert len(at.query_params) > 0
    assert not at.warning


def _ends(slider) -> tuple:
    """A slider's two extreme settings; a range slider's are its lower and its upper half."""
    if isinstance(slider.value, (tuple, list)):
        middle = slider.min + (slider.max - slider.min) / 2
        return (slider.min, middle), (middle, slider.max)
    return slider.min, slider.max


@pytest.mark.parametrize("page", PAGES)
def test_every_slider_at_both_extremes(page):
    """Each slider, moved to each end, reruns the page cleanly, and at least one of its ends
    changes what the page shows (a slider that changes nothing is a broken promise)."""
    at = _open_cards(_open(page))
    for key in [slider.key for slider in at.slider]:
        if key not in {s.key for s in at.slider}:
            continue  # another slider removed it (fewer runs on Compare)
        before = _output(at)
        changed = False
        for end in _ends(at.slider(key=key)):
            at.slider(key=key).set_value(end)
            at.run()
            _clean(at)
            changed |= _output(at) != before
        assert changed, f"the slider {key!r} on {page} changed nothing at either end"


@pytest.mark.parametrize("lr", ["1e-05", "10"])
def test_learning_rate_at_its_slider_extremes(lr):
    # the log-scale lr control is a select_slider: its ends are set through the link
    at = _open("explore", {"runs": f"sgd(lr={lr});adam(lr={lr});newton(lr={lr})"})
    _clean(at)
    assert not at.warning
    assert at.query_params["runs"].startswith(f"sgd(lr={lr})")


def test_explore_link_may_name_an_optimizer_twice():
    # a teacher's "Adam at two learning rates", or a Compare link pasted into Explore
    at = _open("explore", {"runs": "adam(lr=0.01);adam(lr=0.1);sgd(lr=0.001)"})
    _clean(at)
    assert not at.warning
    assert [e.label for e in at.expander if "hyper" in e.label] == [
        "Adam #1: hyperparameters", "Adam #2: hyperparameters",
        "Gradient descent (SGD): hyperparameters"]
    assert at.query_params["runs"] == "adam(lr=0.01);adam(lr=0.1);sgd(lr=0.001)"


def test_explore_run_cards_add_and_remove_a_repeated_run():
    at = _open_cards(_open("explore", {"runs": "adam(lr=0.01)"}))
    at.button(key=_key(at.button, "run.adam.add")).click().run()
    _clean(at)
    assert at.query_params["runs"] == "adam(lr=0.01);adam(lr=0.01)"
    assert not [b for b in at.button if b.key.endswith("run.adam.2.remove")]  # a closed card
    _open_cards(at).button(key=_key(at.button, "run.adam.2.remove")).click().run()
    _clean(at)
    assert at.query_params["runs"] == "adam(lr=0.01)"
    assert [e.label for e in at.expander if "hyper" in e.label] == ["Adam: hyperparameters"]


def test_sensitivity_axes_span_the_suggested_range_or_the_users():
    # SGD on Rosenbrock diverges for lr above ~3e-3: the suggested lr axis stops there
    at = _open("sensitivity", {"surface": "rosenbrock", "run": "sgd(lr=0.001)", "x": "lr",
                               "y": "momentum", "resolution": "5"})
    _clean(at)
    lr_axis = at.select_slider(key=_key(at.select_slider, "x_range"))
    low, high = lr_axis.value
    assert 1e-5 <= low < high <= 1e-2
    assert "x_range" not in at.query_params  # the suggestion is not pinned in the link
    lr_axis.set_value((1e-4, 1e-3)).run()
    _clean(at)
    assert at.query_params["x_range"] == "0.0001,0.001"
    assert at.selectbox(key=_key(at.selectbox, "cell_x")).options[0] == "0.0001"


def test_a_late_rerun_carrying_the_previous_query_keeps_the_visitors_latest_move():
    """Under load a move can reach the server before the browser got the last URL write-back:
    it carries the previous query, which must not be read as a new link."""
    at = _open("explore")
    previous = dict(at.query_params)
    at.slider(key=_key(at.slider, "steps")).set_value(100).run()
    assert at.query_params["steps"] == "100"
    at.query_params.clear()
    for key, value in previous.items():  # the browser has not seen the write-back yet
        at.query_params[key] = value
    at.slider(key=_key(at.slider, "steps")).set_value(200).run()
    _clean(at)
    assert at.query_params["steps"] == "200"
    assert at.slider(key=_key(at.slider, "steps")).value == 200


def test_a_link_opened_again_on_arrival_is_read_again():
    # Sensitivity opens the same cell twice: Explore shows it both times
    link = {"runs": "adam(lr=0.01)", "steps": "120"}
    at = _open("explore", link)
    at.slider(key=_key(at.slider, "steps")).set_value(300).run()
    at.switch_page("pages/compare.py").run()
    at.query_params.clear()
    for key, value in link.items():
        at.query_params[key] = value
    at.switch_page("pages/explore.py").run()
    _clean(at)
    assert at.query_params["steps"] == "120"


def test_explore_extremes_diverge_without_a_traceback():
    at = _open("explore", {"runs": "sgd(lr=10);adam(lr=10)", "surface": "goldstein_price",
                           "steps": "3000"})
    _clean(at)
    assert "diverged" in str(_output(at))


@pytest.mark.parametrize(("page", "query"), [
    ("explore", {"runs": "adam(lr=-1);warp", "steps": "abc", "start": "99,99"}),
    ("compare", {"runs": "sgd(lr=0)", "tolerance": "-1", "bogus": "1"}),
    ("schedules", {"schedules": "step(gamma=5)", "focus": "nothing"}),
    ("sensitivity", {"x": "amsgrad", "resolution": "0"}),
    ("learn", {"optimizer": "nope", "lr_small": "-1"}),
])
def test_tampered_link_loads_with_the_warning(page, query):
    at = _open(page, query)
    _clean(at)
    assert at.warning, "a bad link must say which fields were ignored"
    text = _rendered(at.warning[0].value)
    assert "ignored" in text
    for key in query:
        assert key in text


def test_bad_typed_input_shows_an_error_next_to_it_and_the_page_keeps_working():
    at = _open("explore")
    at.number_input(key=next(n.key for n in at.number_input if n.key.endswith(".x"))).set_value(
        1e6).run()
    assert not at.exception
    assert any("Invalid start" in _rendered(e.value) for e in at.error)
    assert at.get("component_instance")  # the map is still drawn


def _leaderboard(at: AppTest):
    return next(t for t in _tables(at) if "steps to tolerance" in t)


def test_compare_leaderboard_ranks_by_the_chosen_order():
    at = _open("compare", {"runs": "sgd(lr=0.01);sgd(lr=0.095);momentum(lr=0.01);adam(lr=0.5)"})
    board = _leaderboard(at)  # by default: soonest to the tolerance first, "never" last
    reached = [int(s) for s in board["steps to tolerance"] if s != "never"]
    assert reached == sorted(reached) and reached
    assert list(board["steps to tolerance"][:len(reached)]) == [str(s) for s in reached]
    at.selectbox(key=_key(at.selectbox, "rank")).set_value("final loss").run()
    _clean(at)
    assert at.query_params["rank"] == "final loss"
    losses = [float(v) for v in _leaderboard(at)["final loss"]]
    assert losses == sorted(losses)


def test_compare_says_each_runs_status_in_words_in_its_leaderboard():
    """Compare knows a tolerance: its leaderboard says "reached the tolerance at step k", the
    step its "steps to tolerance" column gives."""
    at = _open("compare", {"runs": "sgd(lr=0.01);adam(lr=0.5)", "steps": "300"})
    board = _leaderboard(at)
    for steps, words in zip(board["steps to tolerance"], board["outcome"], strict=True):
        assert words == (f"reached the tolerance at step {steps}" if steps != "never"
                         else "did not reach the tolerance in 300 steps")
    assert "reached the tolerance at step" in " ".join(board["outcome"])


def test_compare_shared_learning_rate_switch():
    at = _open("compare")
    before = _output(at)
    at.toggle(key=next(t.key for t in at.toggle if t.key.endswith(".shared"))).set_value(True).run()
    _clean(at)
    assert at.query_params["shared_lr"] == "1"
    assert _output(at) != before


def test_explore_schedule_and_noisy_gradient():
    at = _open("explore")
    at.selectbox(key=_key(at.selectbox, "schedule.name")).set_value("step").run()
    _clean(at)
    at.selectbox(key=_key(at.selectbox, "gradient.name")).set_value("noisy").run()
    _clean(at)
    assert at.query_params["schedule"].startswith("step")
    assert at.query_params["gradient"].startswith("noisy")


def test_a_list_parameter_is_typed_as_numbers_separated_by_commas():
    """Multi-step decay's milestones, a list parameter: the box shows the link's list, a typed
    list goes into the link, and text that is not a list is refused with the Parameter's message
    while the last good list stays in use."""
    at = _open("explore", {"schedule": "multistep(milestones=50/120,gamma=0.5)"})
    _clean(at)
    box = _key(at.text_input, "schedule.multistep.milestones")
    assert at.text_input(key=box).value == "50, 120"
    at.text_input(key=box).set_value("30, 60, 90").run()
    _clean(at)
    assert at.query_params["schedule"] == "multistep(milestones=30/60/90,gamma=0.5)"
    at.text_input(key=box).set_value("30, soon").run()
    assert [e.value for e in at.error] == [
        "Invalid milestones for schedule 'multistep'\\: '30, soon' \\(allowed\\: a "
        "non\\-empty list of positive integer steps\\)\\. Using 30, 60, 90 until this is "
        "fixed\\."]
    assert at.query_params["schedule"] == "multistep(milestones=30/60/90,gamma=0.5)"


def test_a_surface_parameter_on_a_log_scale_moves_on_a_log_ladder():
    """The quadratic's condition number is ``log`` in its Parameter: its slider offers values
    spaced evenly in log, from 1 to 1000."""
    at = _open("explore", {"surface": "quadratic"})
    slider = at.select_slider(key=_key(at.select_slider, "surface.quadratic.condition_number"))
    options = [float(o) for o in slider.options]
    assert options[0] == 1.0 and options[-1] == 1000.0 and len(options) >= 12
    assert max(b / a for a, b in itertools.pairwise(options)) < 2


def test_an_input_is_chosen_by_its_parameters_kind():
    """``inputs.parameter_input`` reads a parameter's kind, not its name: a made-up list
    parameter gets the list box, a choice its choices."""

    def script():
        import streamlit as st

        from landscapes.parameters import Parameter
        from ui import inputs

        checkpoints = Parameter("checkpoints", (5, 9), (1, 100), "steps to look at", kind="list")
        colour = Parameter("colour", "red", help="a colour", kind="choice",
                           choices=("red", "blue"))
        st.session_state["got list"] = inputs.parameter_input(checkpoints, (5, 9), "list", "help")
        st.session_state["got choice"] = inputs.parameter_input(colour, "red", "choice", "help")

    at = AppTest.from_function(script, default_timeout=60).run()
    assert at.text_input(key="list").value == "5, 9" and at.session_state["got list"] == (5, 9)
    at.text_input(key="list").set_value("3; 40, 7").run()
    assert at.session_state["got list"] == (3, 40, 7)
    at.selectbox(key="choice").set_value("blue").run()
    assert at.session_state["got choice"] == "blue"


CUSTOM_LINK = {"surface": "custom", "formula": "log(x) + (y - 1)^2", "window": "-1,3,-2,2",
               "runs": "sgd(lr=0.1);adam(lr=0.05);newton(lr=1)"}


@pytest.mark.parametrize("page", ["explore", "compare"])
def test_a_typed_formula_from_a_link_runs_and_shows_its_latex(page):
    at = _open(page, CUSTOM_LINK)
    _clean(at)
    assert not at.warning
    shown = [element.value for element in at.get("latex")]
    assert any(r"\log\left(x\right)" in s for s in shown)
    assert any(r"\frac{\partial f}{\partial x} = \frac{1}{x}" in s for s in shown)
    assert at.get("component_instance")  # the map, with the paths
    assert at.query_params["formula"] == CUSTOM_LINK["formula"]


def test_explore_typed_formula_good_then_bad():
    at = _open("explore")
    at.selectbox(key=_key(at.selectbox, "surface.name")).set_value("custom").run()
    _clean(at)
    box = next(t.key for t in at.text_input if t.key.endswith(".formula"))
    at.text_input(key=box).set_value("sin(x)*cos(y) + 0.1*x^2").run()
    _clean(at)
    assert at.query_params["formula"] == "sin(x)*cos(y) + 0.1*x^2"
    assert "run" in str(_output(at))
    at.text_input(key=box).set_value("sin(x)*cos(y) + os.system(1)").run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "unknown name 'os' at column 17" in _rendered(errors[0])
    assert at.query_params["formula"] == "sin(x)*cos(y) + 0.1*x^2"  # the last good one
    assert at.get("component_instance")  # the rest of the page keeps working


def test_a_bad_formula_in_a_link_shows_the_note_with_the_text_as_typed():
    at = _open("explore", {"surface": "custom", "formula": "__import__('os')"})
    _clean(at)
    note = at.warning[0].value
    assert "'formula'" in _rendered(note) and "unknown name '__import__'" in _rendered(note)
    assert r"\_\_import\_\_" in note  # escaped: Markdown would show a bold "import"


DATA_LINK = {"surface": "tanh_network(size=150,noise=0.3,seed=2)",
             "runs": "sgd(lr=0.1);adam(lr=0.05)", "gradient": "minibatch(batch_size=8)",
             "seed": "4", "seeds": "3", "steps": "200"}


def test_a_data_surface_from_a_link_runs_with_its_batches_and_seeds():
    at = _open("explore", DATA_LINK)
    _clean(at)
    assert not at.warning
    assert at.get("component_instance")  # the map and the data view
    assert {k: at.query_params[k] for k in DATA_LINK} == DATA_LINK


def test_explore_with_a_data_surface_and_a_batch_size():
    at = _open("explore")
    gradient = at.selectbox(key=_key(at.selectbox, "gradient.name"))
    assert "Mini-batches of the data" not in gradient.options  # only for data surfaces
    at.selectbox(key=_key(at.selectbox, "surface.name")).set_value("linear_regression").run()
    _clean(at)
    at.selectbox(key=_key(at.selectbox, "gradient.name")).set_value("minibatch").run()
    _clean(at)
    before = _output(at)
    at.number_input(key=next(n.key for n in at.number_input if n.key.endswith("batch_size"))
                    ).set_value(3).run()
    _clean(at)
    assert at.query_params["surface"] == "linear_regression"
    assert at.query_params["gradient"] == "minibatch(batch_size=3)"
    assert _output(at) != before
    at.number_input(key=next(n.key for n in at.number_input if n.key.endswith("seeds"))
                    ).set_value(4).run()
    _clean(at)
    assert at.query_params["seeds"] == "4"


# --- Compare on a data surface: each run with its own batch size ---------------------------------

COMPARE_DATA_LINK = {"surface": "linear_regression(size=120,noise=0.8)",
                     "runs": "sgd(lr=0.05);sgd(lr=0.05,batch_size=8);sgd(lr=0.05,batch_size=1)",
                     "steps": "150", "seed": "3"}


def _player(at: AppTest) -> tuple[dict, bytes]:
    """The player's manifest and the blob of its arrays, as the browser receives them
    (decoded: ``figures.player.unpack`` reads an array from it)."""
    for component in at.get("component_instance"):
        args = json.loads(component.proto.json_args)
        if "manifest" in args:
            blob = next(a.bytes for a in component.proto.special_args if a.key == "blob")
            return args["manifest"], decode(blob)
    raise AssertionError("no player on the page")


def _data_id(at: AppTest) -> str:
    """The id by which the player's browser side knows the data it has already drawn."""
    return next(json.loads(c.proto.json_args)["data_id"] for c in at.get("component_instance")
                if "manifest" in json.loads(c.proto.json_args))


def test_the_players_data_id_changes_with_its_data_and_only_then():
    at = _open("explore", {"steps": "100"})
    first, (manifest, _) = _data_id(at), _player(at)
    at.run()
    assert _data_id(at) == first
    at.slider(key=_key(at.slider, "steps")).set_value(120).run()
    assert _data_id(at) != first and _player(at)[0]["steps"] == 120
    at.slider(key=_key(at.slider, "steps")).set_value(100).run()
    assert _data_id(at) == first and _player(at)[0] == manifest


def test_compare_races_batch_sizes_on_a_data_surface_from_a_link():
    at = _open("compare", COMPARE_DATA_LINK)
    _clean(at)
    assert not at.warning
    assert {k: at.query_params[k] for k in COMPARE_DATA_LINK} == COMPARE_DATA_LINK
    board = _tables(at)[0]
    assert sorted(board["run"]) == sorted([
        "Gradient descent (lr=0.05, full batch)", "Gradient descent (lr=0.05, batch_size=8)",
        "Gradient descent (lr=0.05, batch_size=1)"])
    examples = dict(zip(board["run"], map(int, board["example gradients"]), strict=True))
    assert examples["Gradient descent (lr=0.05, full batch)"] == 120 * 151
    assert examples["Gradient descent (lr=0.05, batch_size=1)"] == 151
    manifest, blob = _player(at)
    assert manifest["map"]["data_view"]["axes"] == ["w", "b"]  # the data view beside the map
    assert sorted(run["name"] for run in manifest["runs"]) == sorted(examples)
    for run in manifest["runs"]:  # each run's fit, at every point of its path
        assert unpack(blob, run["arrays"]["fit"]).shape[0] == 151


def test_compare_switches_to_a_data_surface_and_sets_batch_sizes():
    at = _open_cards(_open("compare"))
    at.slider(key=_key(at.slider, "count")).set_value(3).run()
    at.selectbox(key=_key(at.selectbox, "surface.name")).set_value("logistic_regression").run()
    _clean(at)
    assert at.query_params["surface"] == "logistic_regression"
    assert "full batch" not in str(_tables(at)[0])  # no run has a batch size yet
    before = _output(at)
    at.number_input(key=_key(at.number_input, "run1.batch_size")).set_value(16)
    at.number_input(key=_key(at.number_input, "run2.batch_size")).set_value(1).run()
    _clean(at)
    assert at.query_params["runs"] == ("sgd(lr=0.01);sgd(lr=0.05,batch_size=16);"
                                       "sgd(lr=0.095,batch_size=1)")
    assert at.query_params["seed"] == "0"
    names = list(_tables(at)[0]["run"])
    assert "Gradient descent (lr=0.05, batch_size=16)" in names
    assert "Gradient descent (lr=0.01, full batch)" in names
    assert _output(at) != before
    at.number_input(key=_key(at.number_input, "seed")).set_value(9).run()
    _clean(at)
    assert at.query_params["seed"] == "9"
    at.selectbox(key=_key(at.selectbox, "surface.name")).set_value("rosenbrock").run()
    _clean(at)  # off a data surface every run trains on the full batch again
    assert "batch_size" not in at.query_params["runs"] and "seed" not in at.query_params


@pytest.mark.parametrize(("typed", "message"), [
    (0, "Invalid batch_size: 0 (allowed: an integer, 1 <= batch_size <= 120)"),
    (121, "Invalid batch_size: 121 (allowed: an integer, 1 <= batch_size <= 120)"),
])
def test_compare_bad_batch_size_shows_an_error_and_keeps_the_last_good_one(typed, message):
    at = _open_cards(_open("compare", COMPARE_DATA_LINK))
    at.number_input(key=_key(at.number_input, "run1.batch_size")).set_value(typed).run()
    assert not at.exception
    errors = [_rendered(e.value) for e in at.error]
    assert len(errors) == 1 and errors[0].startswith(message) and "Using 8" in errors[0]
    assert at.query_params["runs"] == COMPARE_DATA_LINK["runs"]
    assert at.get("component_instance")  # the map is still drawn


def test_compare_tampered_data_link_loads_with_the_warning():
    at = _open("compare", {"surface": "tanh_network(size=50)",
                           "runs": "sgd(lr=0.1,batch_size=0);adam(batch_size=abc);"
                                   "adam(batch_size=51);sgd(batch_size=4)",
                           "seed": "-1"})
    _clean(at)
    text = _rendered(at.warning[0].value)
    for field in ("runs[1].batch_size", "runs[2].batch_size", "runs[3].batch_size", "'seed'"):
        assert field in text
    assert at.query_params["runs"] == ("sgd(lr=0.1);adam(lr=0.001);adam(lr=0.001);"
                                       "sgd(lr=0.001,batch_size=4)")


# --- a schedule counted in epochs of a data surface ----------------------------------------------

EPOCH_LINK = {"surface": "linear_regression(size=120)", "runs": "sgd(lr=0.05)",
              "gradient": "minibatch(batch_size=8)", "seed": "1", "steps": "150",
              "schedule": "step(step_size=2,gamma=0.5)"}


def _curve(at: AppTest, key: str) -> tuple[str, np.ndarray]:
    """The player's step curve ``key`` ("gap", "lr", "grad_norm"): its title, and its values
    for the first run."""
    manifest, blob = _player(at)
    title = next(c["title"] for c in manifest["curves"] if c["key"] == key)
    return title, unpack(blob, manifest["runs"][0]["arrays"][key])


def test_explore_counts_a_schedule_in_epochs_of_the_mini_batches():
    at = _open("explore", EPOCH_LINK)
    _clean(at)
    title, steps_lr = _curve(at, "lr")
    assert title == "Learning rate: step decay"
    assert steps_lr[1:3].tolist() == np.float32([0.05, 0.025]).tolist()  # decay every 2 steps
    at.radio(key=_key(at.radio, "schedule.interval")).set_value("epoch").run()
    _clean(at)
    assert at.query_params["schedule"] == "step(step_size=2,gamma=0.5,interval=epoch)"
    title, lr = _curve(at, "lr")
    assert title == "Learning rate: step decay, per epoch"
    assert lr[29] == np.float32(0.05) and lr[30] == np.float32(0.025)  # 2 epochs of 120 / 8
    assert any("1 epoch = 15 steps" in c.value for c in at.caption)
    assert _curve(at, "gap")[0] == "Loss (faint: each batch's own)"
    manifest, _ = _player(at)
    assert "batch_gap" in manifest["runs"][0]["arrays"]  # each batch's own loss, drawn faint

    shared = _open("explore", dict(at.query_params))  # the link opens the same view
    _clean(shared)
    assert not shared.warning
    assert shared.radio(key=_key(shared.radio, "schedule.interval")).value == "epoch"
    np.testing.assert_array_equal(_curve(shared, "lr")[1], lr)


def test_the_epoch_control_is_only_on_data_surfaces():
    at = _open("explore", {"schedule": "step(step_size=2)"})
    assert not at.radio  # rosenbrock has no data to count passes over
    at = _open("explore", {**EPOCH_LINK, "gradient": "analytic"})
    assert [r.label for r in at.radio] == ["count the schedule in"]


@pytest.mark.parametrize(("page", "query", "field"), [
    ("explore", {"schedule": "step(step_size=2,interval=epoch)"}, "'schedule.interval'"),
    ("schedules", {"schedules": "step(step_size=2,interval=epoch);cosine"},
     "'schedules[1].interval'"),
])
def test_a_link_counting_epochs_off_a_data_surface_warns_and_counts_steps(page, query, field):
    at = _open(page, query)
    _clean(at)
    text = _rendered(at.warning[0].value)
    assert field in text and "needs a data surface" in text
    written = at.query_params["schedule" if page == "explore" else "schedules"]
    assert written.startswith("step(step_size=2)")
    assert "epoch" not in written


def _step_panel(at: AppTest) -> list[str]:
    """The LaTeX of the page's equations: each st.latex (AppTest gives it as $$ ... $$) and
    each $$ ... $$ block of a Markdown element."""
    return ([e.value.strip().removeprefix("$$").removesuffix("$$").strip() for e in at.latex]
            + [block.strip() for m in at.markdown for block in m.value.split("$$")[1::2]])


def test_explore_step_by_step_steps_back_and_on_and_jumps_with_the_numbers_the_core_recorded():
    import numpy as np

    import figures
    import landscapes
    import optimizers

    at = _open("explore", {"runs": "momentum(lr=0.001);adam(lr=0.05)", "steps": "50"})
    _clean(at)
    assert any(s.value == "Step by step" for s in at.subheader)
    field = at.number_input(key=_key(at.number_input, "step.k"))
    assert field.value == 49  # the player opens at its end: the section shows the last step
    at.button(key=_key(at.button, "step.first")).click().run()
    assert at.number_input(key=field.key).value == 0
    at.button(key=_key(at.button, "step.on")).click().run()
    _clean(at)
    assert at.number_input(key=field.key).value == 1
    at.number_input(key=field.key).set_value(17).run()
    at.button(key=_key(at.button, "step.back")).click().run()
    _clean(at)
    assert at.number_input(key=field.key).value == 16
    # the equations are the core's step 16 of the first run, momentum
    surface = landscapes.get("rosenbrock")
    path = optimizers.simulate(surface, "momentum", surface.start, 50, lr=0.001,
                               record_state=True)
    shown = figures.step_numbers(path, 16)
    assert all(line in _step_panel(at) for line in shown.lines)
    assert shown.lines[-1].endswith(figures.step_math.point(path.xy[17]))
    assert any(_rendered(m.value).endswith("\n\n" + shown.sentence) for m in at.markdown)
    # the second run, Adam, from its last step back to its first
    at.selectbox(key=_key(at.selectbox, "step.run")).set_value(1).run()
    at.button(key=_key(at.button, "step.end")).click().run()
    _clean(at)
    assert at.number_input(key=field.key).value == 49
    at.button(key=_key(at.button, "step.first")).click().run()
    _clean(at)
    adam = optimizers.simulate(surface, "adam", surface.start, 50, lr=0.05, record_state=True)
    first = figures.step_numbers(adam, 0)
    assert "first step has length lr in every coordinate" in first.sentence
    assert any(_rendered(m.value).endswith("\n\n" + first.sentence) for m in at.markdown)
    np.testing.assert_allclose(np.abs(first.delta), 0.05, rtol=1e-6)
    # the finite-difference table sits beside the exact gradient
    assert any("central difference" in table for table in _tables(at))


def test_learn_says_which_symbol_is_which_hyperparameter():
    import figures
    import optimizers

    at = _open("learn")
    _clean(at)
    shown = _step_panel(at)
    for spec in optimizers.OPTIMIZERS:
        assert figures.legend_latex(spec) in shown, spec.name
    assert r"\mu = \texttt{momentum}" in figures.legend_latex(optimizers.OPTIMIZERS_BY_NAME["sgd"])
    symbols = [list(d.value["symbol"]) for d in at.dataframe if "symbol" in d.value.columns]
    assert ["γ", "μ", "τ", "", "λ"] in symbols  # SGD's lr, momentum, dampening, nesterov …


NEW_OPTIMIZER_RUNS = ("rprop(lr=0.1);asgd(lr=0.01,t0=5);adafactor(lr=0.1);"
                      "adamw_schedule_free(lr=0.1,warmup_steps=10);"
                      "lbfgs(lr=0.5,line_search_fn=1)")
"""torch.optim's later additions (issue 14), with settings that show what each does."""


@pytest.mark.parametrize(("page", "query"), [
    ("explore", {"runs": NEW_OPTIMIZER_RUNS}),
    ("compare", {"runs": NEW_OPTIMIZER_RUNS}),
    ("sensitivity", {"run": "rprop(lr=0.1)", "y": "etaplus"}),
    ("sensitivity", {"run": "asgd(lr=0.01)", "y": "t0"}),
    ("sensitivity", {"run": "adafactor(lr=0.1)", "y": "d"}),
    ("sensitivity", {"run": "adamw_schedule_free(lr=0.1)", "y": "warmup_steps"}),
    ("sensitivity", {"run": "lbfgs(lr=0.5)", "y": "max_iter"}),
])
def test_the_later_torch_optimizers_run_on_every_page_that_runs_optimizers(page, query):
    at = _open(page, query)
    _clean(at)
    assert not at.warning
    for key, value in query.items():
        assert at.query_params[key] == value


def test_learn_says_why_muon_is_left_out():
    at = _open("learn")
    _clean(at)
    assert any(m.value.startswith("**Muon.**") and "not 2-D" in m.value for m in at.markdown)


def test_lbfgs_runs_on_explore_step_by_step_and_refuses_noisy_gradients_in_words():
    at = _open("explore", {"runs": "lbfgs(lr=1,line_search_fn=1)", "steps": "20"})
    _clean(at)
    assert any("history of its moves" in c.value for c in at.caption)
    at = _open("explore", {"runs": "lbfgs(lr=1)", "gradient": "noisy"})
    assert not at.exception
    assert any("Invalid gradient source for lbfgs: 'noisy'" in _rendered(e.value)
               for e in at.error)
