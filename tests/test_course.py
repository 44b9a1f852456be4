"""The lessons (lessons/*.toml): every file reads, every answer's claims hold when the core runs
the scene, every scene loads on the Lessons page without a warning, and a broken file or a bad
link gets a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui import course, lessons_page

ROOT = Path(__file__).resolve().parent.parent
LESSONS, PROBLEM = course.catalogue()

TOPICS = {  # the course's topics, each covered by the lesson of this name
    "learning rate too small, about right, too large": "learning_rate",
    "the gradient, its finite-difference estimate and its cost": "gradient",
    "batch vs stochastic vs mini-batch on a data surface": "batches",
    "momentum in a ravine": "momentum",
    "Nesterov's look-ahead": "nesterov",
    "AdaGrad's shrinking steps": "adagrad",
    "RMSprop and AdaDelta": "rmsprop_adadelta",
    "Adam and its bias correction": "adam",
    "Adamax and NAdam": "adamax_nadam",
    "schedules: step, exponential, on plateau": "schedules",
    "saddle points and escaping them": "saddle",
    "local vs global minima (basins)": "minima",
}


def test_every_lesson_file_reads_and_the_course_covers_its_topics():
    assert PROBLEM is None, PROBLEM
    assert len(LESSONS) >= 12
    names = [lesson.name for lesson in LESSONS]
    for topic, name in TOPICS.items():
        assert name in names, topic
    assert (course.FOLDER / "README.md").exists()


def _scenes():
    for lesson in LESSONS:
        yield pytest.param(lesson.claims, lesson.scene, id=lesson.name)
        for k, variation in enumerate(lesson.variations, start=1):
            if variation.claims:
                yield pytest.param(variation.claims, variation.scene, id=f"{lesson.name}-try{k}")


@pytest.mark.parametrize(("claims", "scene"), list(_scenes()))
def test_every_answer_is_what_the_core_measures(claims, scene):
    """Each claim an answer (or a variation's text) makes, decided from the runs the core
    computes for its scene."""
    for holds, measured in course.check(claims, scene, lessons_page.run_results(scene)):
        assert holds, measured


def test_a_claim_that_is_false_fails():
    """The checks can say no: the learning-rate lesson with its winner swapped."""
    lesson = next(x for x in LESSONS if x.name == "learning_rate")
    wrong = course.Claim("first_to_tolerance", (("run", 1), ("tolerance", 1e-6)))
    never = course.Claim("diverge", (("runs", ()),))
    results = lessons_page.run_results(lesson.scene)
    assert [ok for ok, _ in course.check((wrong, never), lesson.scene, results)] == [False, False]


def _open(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.query_params.clear()
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page("pages/lessons.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("variation", range(course.VARIATIONS + 1))
def test_every_scene_loads_without_a_warning(variation):
    """Every lesson's scene and both its variations, opened from a link."""
    for lesson in LESSONS:
        at = _open({"lesson": lesson.name, "try": str(variation)})
        assert not at.warning, (lesson.name, [w.value for w in at.warning])
        assert not at.error, (lesson.name, [e.value for e in at.error])
        assert lesson.title in at.header[0].value
        assert at.get("component_instance"), lesson.name  # the map (and the curves)


def _button(at: AppTest, label: str):
    return at.button(key=next(b.key for b in at.button if b.label.startswith(label)))


def test_next_previous_reveal_and_variations():
    at = _open({"lesson": "learning_rate"})
    assert at.header[0].value.startswith("Lesson 1 of")
    assert _button(at, "← Previous").disabled
    _button(at, "Next →").click().run()
    assert at.header[0].value.startswith("Lesson 2 of")
    assert at.query_params["lesson"] == "gradient"
    _button(at, "← Previous").click().run()
    assert at.header[0].value.startswith("Lesson 1 of")
    assert not any("measured" in c.value for c in at.caption)
    at.radio[0].set_value(0).run()
    _button(at, "Reveal the answer").click().run()
    assert any("Not quite" in w.value for w in at.warning)
    assert any(c.value.startswith("What the runs measured") and "step 93" in c.value
               for c in at.caption)
    at.radio[0].set_value(1).run()
    assert any("right" in s.value for s in at.success)
    _button(at, "Load this scene").click().run()
    assert dict(at.query_params) == {"lesson": "learning_rate", "try": "1"}
    assert any("Try this: Just below the limit" in m.value for m in at.markdown)
    _button(at, "↩ Back").click().run()
    assert "try" not in at.query_params


@pytest.mark.parametrize(("query", "message"), [
    ({"lesson": "no_such_lesson"}, "there is no lesson 'no_such_lesson'"),
    ({"lesson": "momentum", "try": "7"}, "'try': '7' is not a variation"),
    ({"lesson": "momentum", "colour": "red"}, "'colour': unknown field"),
])
def test_a_bad_link_gets_a_clear_note(query, message):
    at = _open(query)
    assert any(message in w.value.replace("\\", "") for w in at.warning), [
        w.value for w in at.warning]
    assert at.header[0].value.startswith("Lesson")


GOOD = """
title = "t"
text = "x"
question = "q"
choices = ["a", "b"]
correct = 1
answer = "a"
[scene]
surface = "quadratic"
runs = "sgd(lr=0.01);adam(lr=0.1)"
steps = 50
[[claims]]
kind = "lowest_final_loss"
run = 2
[[try]]
label = "l1"
text = "t1"
[try.scene]
steps = 60
[[try]]
label = "l2"
text = "t2"
[try.scene]
surface = "rosenbrock"
"""


@pytest.mark.parametrize(("name", "change", "message"), [
    ("01_x.toml", None, None),
    ("x.toml", None, "a lesson file is named NN_name.toml"),
    ("01_x.toml", ('runs = "sgd(lr=0.01);adam(lr=0.1)"', 'runs = "sgdd(lr=0.01)"'),
     "01_x.toml, scene: 'runs[1]': unknown optimizer 'sgdd'"),
    ("01_x.toml", ('surface = "quadratic"', 'surface = "quadratic(condition_number=-1)"'),
     "01_x.toml, scene: 'surface.condition_number': Invalid condition_number"),
    ("01_x.toml", ("steps = 60", "steps = 0"), "01_x.toml, try 1, scene: 'steps'"),
    ("01_x.toml", ("run = 2", "run = 3"), "run 3 is not a run of the scene (1 to 2)"),
    ("01_x.toml", ('kind = "lowest_final_loss"', 'kind = "fastest"'),
     "kind 'fastest' is not one of"),
    ("01_x.toml", ("correct = 1", "correct = 3"), "'correct' must be the number"),
    ("01_x.toml", ("answer = ", "hint = 'h'\nanswer = "), "unknown key 'hint'"),
    ("01_x.toml", ('label = "l2"', 'label = "l2"\nlevel = 2'), "try 2: unknown key 'level'"),
    ("01_x.toml", ('[scene]\n', '[scene]\nnames = ["one"]\n'), "1 names for 2 runs"),
    ("01_x.toml", ('[scene]\n', '[scene]\npage = "learn"\n'), "page 'learn' is not one of"),
    ("01_x.toml", ('title = "t"', 'title = '), "not valid TOML"),
])
def test_a_broken_lesson_file_is_named_with_what_is_wrong(tmp_path, name, change, message):
    text = GOOD if change is None else GOOD.replace(*change)
    assert change is None or text != GOOD
    path = tmp_path / name
    path.write_text(text)
    if message is None:
        assert course.read(path).name == "x"
        return
    with pytest.raises(course.LessonError) as error:
        course.read(path)
    assert message in str(error.value)


def test_the_query_round_trip():
    for lesson in LESSONS:
        for variation in range(course.VARIATIONS + 1):
            config = course.LessonsConfig(lesson.name, variation)
            assert course.lessons_from_query(course.lessons_to_query(config)) == (config, [])
