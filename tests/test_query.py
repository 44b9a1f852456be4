"""ui/query.py: every page's config survives config -> query -> config, and bad links fall back
field by field with a message naming the field."""

from dataclasses import replace

import pytest

from landscapes.parameters import Parameter
from ui import configs, query, settings
from ui.query import (
    PAGES,
    compare_from_query,
    compare_to_query,
    explore_from_query,
    explore_to_query,
    sensitivity_from_query,
)

CONFIGS = {
    "explore": configs.ExploreConfig(
        surface=settings.surface_setting("quadratic", condition_number=100.0),
        runs=(settings.run("adam", lr=0.3, beta1=0.8, amsgrad=1.0),
              settings.run("sgd", lr=0.01, momentum=0.9, nesterov=1.0)),
        schedule=settings.schedule_setting("multistep", milestones=(50, 120), gamma=0.5),
        gradient=settings.gradient_setting("noisy", noise_scale=2.5, batch_size=8.0),
        seed=7, steps=1234, start=(-3.25, 1.5),
    ),
    "compare": configs.CompareConfig(runs=tuple(settings.run("sgd", lr=10 ** -k) for k in range(8)),
                                     shared_lr=True, lr=0.02, tolerance=1e-3, start=(1.0, -2.0),
                                     rank_by="final loss"),
    "schedules": configs.SchedulesConfig(
        schedules=(settings.schedule_setting("cyclic", base_lr=0.001, max_lr=0.2),
                   settings.schedule_setting("reduce_on_plateau", patience=5.0)),
        focus="reduce_on_plateau"),
    "sensitivity": configs.SensitivityConfig(run=settings.run("adam", lr=0.01), x_param="beta1",
                                             y_param="beta2", resolution=7, metric="steps",
                                             x_range=(0.5, 0.95), y_range=(0.9, 0.9999)),
    "learn": configs.LearnConfig(optimizer="lion", surface="ackley", lr_small=0.0001,
                                 batch_size=64),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_defaults_round_trip(page):
    record, to_query, from_query = PAGES[page]
    config, problems = from_query(to_query(record()))
    assert problems == []
    assert config == record()


@pytest.mark.parametrize("page", list(CONFIGS))
def test_changed_configs_round_trip(page):
    _, to_query, from_query = PAGES[page]
    query = to_query(CONFIGS[page])
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in query.items())
    config, problems = from_query(query)
    assert problems == []
    assert config == CONFIGS[page]


@pytest.mark.parametrize("page", list(PAGES))
def test_empty_query_is_the_default(page):
    record, _, from_query = PAGES[page]
    assert from_query({}) == (record(), [])


BAD_EXPLORE = [
    ({"surface": "nowhere"}, "'surface'", "unknown surface"),
    ({"surface": "quadratic(condition_number=1e9)"}, "'surface.condition_number'", "allowed"),
    ({"runs": "adam(lr=-1)"}, "'runs[1].lr'", "Invalid learning rate: -1.0"),
    ({"runs": "adam(beta1=1)"}, "'runs[1].beta1'", "beta1"),
    ({"runs": "adam(lr=abc)"}, "'runs[1].lr'", "not a number"),
    ({"runs": "teleport"}, "'runs[1]'", "unknown optimizer"),
    ({"runs": "sgd(nesterov=1)"}, "'runs[1].nesterov'", "Nesterov momentum requires"),
    ({"runs": ";".join(["sgd"] * 9)}, "'runs[9]'", "at most 8"),
    ({"schedule": "step(step_size=0)"}, "'schedule.step_size'", "step_size"),
    ({"schedule": "cyclic(max_lr=0.0001)"}, "'schedule.max_lr'", "max_lr"),
    ({"gradient": "noisy(batch_size=0.5)"}, "'gradient.batch_size'", "batch_size"),
    ({"steps": "999999"}, "'steps'", "allowed"),
    ({"steps": "12.5"}, "'steps'", "integer"),
    ({"start": "99,99"}, "'start'", "inside the plot window"),
    ({"start": "nan,1"}, "'start'", "pair"),
    ({"seed": "-3"}, "'seed'", "allowed"),
    ({"colour": "red"}, "'colour'", "unknown field"),
    ({"runs": "adam(lr=0.1"}, "'runs[1]'", "not of the form"),
    ({"schedule": "step(interval=week)"}, "'schedule.interval'",
     "Invalid interval for schedule 'step': 'week' (allowed: 'step', 'epoch')"),
    ({"schedule": "step(interval=epoch)"}, "'schedule.interval'", "needs a data surface"),
]


@pytest.mark.parametrize(("query", "field", "why"), BAD_EXPLORE)
def test_bad_explore_fields_fall_back_with_a_message(query, field, why):
    config, problems = explore_from_query(query)
    assert problems, "a bad field must be reported"
    assert problems[0].startswith(field) and why in problems[0], problems
    default = configs.ExploreConfig()
    assert config.steps == default.steps or "steps" not in query


def test_good_fields_survive_next_to_bad_ones():
    config, problems = explore_from_query(
        {"runs": "adam(lr=0.2,beta1=7);sgd(lr=0.5)", "steps": "42", "start": "500,0"})
    assert config.runs == (settings.run("adam", lr=0.2), settings.run("sgd", lr=0.5))
    assert config.steps == 42 and config.start is None
    assert len(problems) == 2


@pytest.mark.parametrize(("page", "query", "field"), [
    ("compare", {"shared_lr": "maybe"}, "'shared_lr'"),
    ("compare", {"lr": "0"}, "'lr'"),
    ("compare", {"tolerance": "-1"}, "'tolerance'"),
    ("compare", {"rank": "speed"}, "'rank'"),
    ("schedules", {"schedules": "step(gamma=3);nothing"}, "'schedules[1].gamma'"),
    ("schedules", {"focus": "cosine", "schedules": "step"}, "'focus'"),
    ("schedules", {"schedules": "cosine;step(interval=epoch)"}, "'schedules[2].interval'"),
    ("sensitivity", {"x": "amsgrad", "run": "adam"}, "'x'"),
    ("sensitivity", {"metric": "speed"}, "'metric'"),
    ("sensitivity", {"resolution": "1000"}, "'resolution'"),
    ("sensitivity", {"x_range": "0.1"}, "'x_range'"),
    ("sensitivity", {"x_range": "0.1,0.01"}, "'x_range'"),
    ("sensitivity", {"x_range": "0,0.1"}, "'x_range'"),  # lr > 0
    ("sensitivity", {"y_range": "0.5,1.5"}, "'y_range'"),  # momentum <= 1
    ("learn", {"optimizer": "sgdd"}, "'optimizer'"),
    ("learn", {"batch_size": "0"}, "'batch_size'"),
])
def test_bad_fields_on_other_pages(page, query, field):
    record, _, from_query = PAGES[page]
    config, problems = from_query(query)
    assert any(p.startswith(field) for p in problems), problems
    assert isinstance(config, record)


# --- typed surfaces ------------------------------------------------------------------------------

CUSTOM = settings.custom_setting("log(x) + (y - 1)^2 / 0.3", (-1.0, 3.5, -2.0, 2.25))


@pytest.mark.parametrize("page", ["explore", "compare"])
def test_a_typed_surface_round_trips_through_the_link(page):
    record, to_query, from_query = PAGES[page]
    config = record(surface=CUSTOM, start=(1.25, 0.5))
    query = to_query(config)
    assert query["surface"] == "custom"
    assert query["formula"] == "log(x) + (y - 1)^2 / 0.3"
    assert query["window"] == "-1,3.5,-2,2.25"
    assert from_query(query) == (config, [])


@pytest.mark.parametrize(("query", "field", "fragment"), [
    ({"surface": "custom", "formula": "x + os"}, "'formula'", "unknown name 'os' at column 5"),
    ({"surface": "custom", "formula": "(x"}, "'formula'", "missing ')'"),
    ({"surface": "custom"}, "'surface'", "needs its 'formula'"),
    ({"surface": "custom", "formula": "x^2", "window": "3,1,0,1"}, "'window'",
     "Invalid x range"),
    ({"surface": "custom", "formula": "x^2", "window": "1,2"}, "'window'", "x_min,x_max"),
])
def test_a_bad_formula_in_a_link_falls_back_with_a_note(query, field, fragment):
    config, problems = explore_from_query(query)
    assert len(problems) == 1 and problems[0].startswith(field) and fragment in problems[0]
    if field == "'window'":  # the formula is kept, in its suggested window
        assert config.surface == settings.custom_setting("x^2")
    else:
        assert config.surface == configs.ExploreConfig().surface


def test_typed_surfaces_stay_on_explore_and_compare():
    config, problems = sensitivity_from_query({"surface": "custom", "formula": "x^2"})
    assert config.surface == configs.SensitivityConfig().surface
    assert any("Explore and Compare only" in p for p in problems)


# --- data surfaces (Explore and Compare) ----------------------------------------------------------

DATA = settings.data_setting("logistic_regression", size=80, noise=1.25, seed=3)


def test_a_data_surface_with_mini_batches_and_seeds_round_trips_through_the_link():
    config = configs.ExploreConfig(
        surface=DATA, gradient=settings.gradient_setting("minibatch", batch_size=5), seed=7,
        seeds=4, start=(1.5, -0.5))
    query = explore_to_query(config)
    assert query["surface"] == "logistic_regression(size=80,noise=1.25,seed=3)"
    assert query["gradient"] == "minibatch(batch_size=5)"
    assert query["seeds"] == "4"
    assert explore_from_query(query) == (config, [])


@pytest.mark.parametrize(("query", "field", "fragment"), [
    ({"surface": "linear_regression(size=1)"}, "'surface.size'", "Invalid size: 1"),
    ({"surface": "tanh_network(depth=3)"}, "'surface.depth'", "allowed: size, noise, seed"),
    ({"gradient": "minibatch(batch_size=4)"}, "'gradient'", "needs a data surface"),
    ({"seeds": "11"}, "'seeds'", "1 <= seeds <= 10"),
])
def test_bad_data_fields_fall_back_with_a_message(query, field, fragment):
    _, problems = explore_from_query(query)
    assert len(problems) == 1 and problems[0].startswith(field) and fragment in problems[0]


@pytest.mark.parametrize("page", ["schedules", "sensitivity"])
def test_data_surfaces_stay_on_explore_and_compare(page):
    record, _, from_query = PAGES[page]
    config, problems = from_query({"surface": "linear_regression"})
    assert config.surface == record().surface
    assert any("Explore and Compare only" in p for p in problems)
    assert settings.landscape_of(DATA).data_size == 80


# --- data surfaces on Compare: each run with its own batch size ----------------------------------

RACE = configs.CompareConfig(
    surface=DATA,
    runs=(settings.run("sgd", lr=0.1), replace(settings.run("sgd", lr=0.1), batch_size=16),
          replace(settings.run("adam", lr=0.05, beta1=0.8), batch_size=1)),
    steps=400, start=(1.5, -0.5), seed=11,
)


def test_a_compare_race_of_batch_sizes_round_trips_through_the_link():
    query = compare_to_query(RACE)
    assert query["surface"] == "logistic_regression(size=80,noise=1.25,seed=3)"
    assert query["runs"] == ("sgd(lr=0.1);sgd(lr=0.1,batch_size=16);"
                             "adam(lr=0.05,beta1=0.8,batch_size=1)")
    assert query["seed"] == "11"
    assert compare_from_query(query) == (RACE, [])


def test_the_whole_dataset_as_a_batch_is_the_full_batch():
    query = {**compare_to_query(RACE), "runs": "sgd(lr=0.1,batch_size=80)"}
    config, problems = compare_from_query(query)
    assert problems == [] and config.runs == (settings.run("sgd", lr=0.1),)


def test_run_labels_show_the_batch_size_when_runs_differ_in_it():
    full, batch = RACE.runs[0], RACE.runs[1]
    assert full.label() == "Gradient descent (lr=0.1)"
    assert full.label(full_batch=True) == "Gradient descent (lr=0.1, full batch)"
    assert batch.label() == "Gradient descent (lr=0.1, batch_size=16)"
    assert batch.with_values(lr=0.5).batch_size == 16  # the shared lr keeps the batch size
    assert batch.gradient(settings.gradient_setting("analytic")).core() == {"name": "minibatch",
                                                                            "batch_size": 16.0}
    assert full.gradient(settings.gradient_setting("analytic")).name == "analytic"


@pytest.mark.parametrize(("query", "field", "fragment"), [
    ({"runs": "sgd(batch_size=0)"}, "'runs[1].batch_size'",
     "Invalid batch_size: 0.0 (allowed: an integer, 1 <= batch_size <= 80)"),
    ({"runs": "sgd(batch_size=81)"}, "'runs[1].batch_size'", "1 <= batch_size <= 80"),
    ({"runs": "sgd(batch_size=2.5)"}, "'runs[1].batch_size'", "an integer"),
    ({"runs": "sgd(batch_size=big)"}, "'runs[1].batch_size'", "not a number"),
    ({"runs": "sgd(batch_size=4)", "surface": "quadratic"}, "'runs[1].batch_size'",
     "allowed only on a data surface"),
    ({"seed": "-1"}, "'seed'", "0 <= seed <= 2147483647"),
])
def test_bad_batch_sizes_in_a_compare_link_fall_back_with_a_message(query, field, fragment):
    config, problems = compare_from_query({**compare_to_query(RACE), **query})
    assert len(problems) == 1, problems
    assert problems[0].startswith(field) and fragment in problems[0], problems
    assert all(r.batch_size is None for r in config.runs) or "runs" not in query


def test_explore_runs_take_no_batch_size():
    _, problems = explore_from_query({"surface": "linear_regression",
                                        "runs": "sgd(batch_size=4)"})
    assert problems and problems[0].startswith("'runs[1].batch_size'")


# --- a schedule counted in epochs of a data surface ---------------------------------------------


def test_a_schedule_counted_in_epochs_round_trips_through_the_link():
    per_epoch = settings.counted_in(settings.schedule_setting("step", step_size=2.0, gamma=0.5),
                                    "epoch")
    config = configs.ExploreConfig(surface=DATA, schedule=per_epoch, seed=3,
                                   gradient=settings.gradient_setting("minibatch", batch_size=16))
    query = explore_to_query(config)
    assert query["schedule"] == "step(step_size=2,gamma=0.5,interval=epoch)"
    assert explore_from_query(query) == (config, [])
    assert per_epoch.core() == {"name": "step", "step_size": 2.0, "gamma": 0.5,
                                "interval": "epoch"}
    assert settings.schedule_label(per_epoch) == "Step decay, per epoch"
    assert settings.steps_per_epoch(DATA, config.gradient) == 5  # 80 examples in batches of 16
    assert settings.steps_per_epoch(DATA, settings.gradient_setting("analytic")) == 1


def test_steps_are_the_default_count_and_stay_out_of_the_link():
    config = configs.ExploreConfig(surface=DATA,
                                   schedule=settings.schedule_setting("cosine", T_max=50.0))
    assert explore_to_query(config)["schedule"] == "cosine(T_max=50)"
    assert settings.schedule_label(config.schedule) == "Cosine annealing"


def test_epochs_off_a_data_surface_fall_back_to_steps():
    config, problems = explore_from_query({"schedule": "step(step_size=2,interval=epoch)"})
    assert config.schedule == settings.schedule_setting("step", step_size=2.0)
    assert problems == ["'schedule.interval': 'epoch' needs a data surface (an epoch is one "
                        "pass over its examples); ignored, using the default"]


# --- schedules with words and typed formulas -----------------------------------------------------


@pytest.mark.parametrize("schedule", [
    settings.schedule_setting("lambda", lr_lambda="1/(1 + 0.05*t) * (1 + sin(t/10))"),
    settings.schedule_setting("multiplicative", lr_lambda="0.999"),
    settings.schedule_setting("cyclic", mode="exp_range", gamma=0.99),
])
def test_a_schedule_with_a_formula_or_a_mode_round_trips_through_the_link(schedule):
    config = configs.ExploreConfig(schedule=schedule)
    back, problems = explore_from_query(explore_to_query(config))
    assert problems == []
    assert back == config


def test_a_tampered_formula_in_a_link_is_refused_quoting_it():
    config, problems = explore_from_query({"schedule": "lambda(lr_lambda=__import__(os))"})
    assert config.schedule == settings.schedule_setting("lambda")  # its default formula
    assert problems == [
        "'schedule.lr_lambda': Invalid lr_lambda for schedule 'lambda': '__import__(os)' "
        "(unknown name '__import__' at column 1; allowed: t, pi, e, sin, cos, tan, exp, log, "
        "sqrt, abs, tanh); ignored, using the default"]


LIST = Parameter("checkpoints", (5, 9), (1, 100), "steps", kind="list")
CHOICE = Parameter("colour", "red", kind="choice", choices=("red", "blue"))
COUNT = Parameter("count", 3, (1, 10), kind="int")


@pytest.mark.parametrize(("parameter", "text", "value"), [
    (LIST, "5/9/40", (5, 9, 40)),
    (LIST, "12", (12,)),
    (CHOICE, "blue", "blue"),
    (CHOICE, "green", "green"),  # read as written: the core's check refuses it, naming it
    (COUNT, "4", 4.0),
    (None, "0.25", 0.25),  # a key no parameter has: a number, for the core to name the key
])
def test_a_links_value_is_read_by_its_parameters_kind(parameter, text, value):
    assert query.value_from_text(parameter, text) == value


@pytest.mark.parametrize(("parameter", "text", "message"), [
    (LIST, "5/x", "'5/x' is not a list of whole numbers written a/b/c"),
    (LIST, "5.5/9", "'5.5/9' is not a list of whole numbers written a/b/c"),
    (COUNT, "many", "'many' is not a number"),
    (None, "inf", "'inf' is not a number"),
])
def test_a_links_value_that_its_kind_cannot_hold_is_refused_saying_what_it_should_be(
        parameter, text, message):
    with pytest.raises(ValueError) as error:
        query.value_from_text(parameter, text)
    assert str(error.value) == message


def test_a_bad_milestone_list_in_a_link_falls_back_with_a_message():
    config, problems = explore_from_query({"schedule": "multistep(milestones=50/soon)"})
    assert config.schedule == settings.schedule_setting("multistep")
    assert problems == ["'schedule.milestones': '50/soon' is not a list of whole numbers "
                        "written a/b/c; ignored, using the default"]


# --- schedules made of schedules in a link ------------------------------------------------------

SEQUENTIAL = settings.schedule_setting(
    "sequential", schedulers=(settings.part_setting("linear", total_iters=50.0),
                              settings.part_setting("lambda", lr_lambda="0.5^(t/10)"),
                              settings.part_setting("cyclic", mode="triangular2")),
    milestones=(50, 80))


@pytest.mark.parametrize("schedule", [
    SEQUENTIAL, settings.schedule_setting("sequential"), settings.schedule_setting("chained"),
    settings.schedule_setting("chained", schedulers=(
        settings.part_setting("cosine", T_max=30.0),
        settings.part_setting("step", step_size=7.0, gamma=0.5))),
])
def test_a_sequential_or_chained_schedule_round_trips_through_the_link(schedule):
    config = configs.ExploreConfig(schedule=schedule)
    back, problems = explore_from_query(explore_to_query(config))
    assert problems == []
    assert back == config


def test_a_sequential_schedule_names_its_parts_in_the_link():
    query = explore_to_query(configs.ExploreConfig(schedule=SEQUENTIAL))
    assert query["schedule"] == ("sequential(schedulers=linear(total_iters=50)|"
                                 "lambda(lr_lambda=0.5^(t/10))|cyclic(mode=triangular2),"
                                 "milestones=50/80)")


@pytest.mark.parametrize(("text", "why"), [
    ("sequential(schedulers=linear|nope,milestones=5)",
     "'schedule.schedulers': schedulers[2]: unknown schedule 'nope' (valid: constant, "),
    ("chained(schedulers=lambda(lr_lambda=__import__(os)))",
     "'schedule.schedulers': Invalid schedulers[1] for schedule 'chained': Invalid lr_lambda "
     "for schedule 'lambda': '__import__(os)' (unknown name '__import__' at column 1"),
    ("sequential(schedulers=constant|constant|constant,milestones=5)",
     "'schedule.schedulers': Invalid milestones for schedule 'sequential': [5] (allowed: one "
     "milestone fewer than schedulers, here 2"),
    ("chained(schedulers=step(step_size=abc))",
     "'schedule.schedulers': schedulers[1].step_size: 'abc' is not a number"),
    ("chained(schedulers=reduce_on_plateau)",
     "'schedule.schedulers': Invalid schedulers[1] for schedule 'chained': 'reduce_on_plateau'"),
    ("sequential(schedulers=linear(total_iters=5|cosine,milestones=5)",
     "leaves a parenthesis open"),
])
def test_a_tampered_composite_schedule_in_a_link_is_refused_with_a_message(text, why):
    config, problems = explore_from_query({"schedule": text})
    assert len(problems) == 1 and why in problems[0], problems
    name = config.schedule.name
    assert config.schedule == (settings.schedule_setting(name) if name != "constant"
                               else configs.ExploreConfig().schedule)
