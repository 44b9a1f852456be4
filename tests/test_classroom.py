"""A teacher's link fields (ui/classroom.py): read back exactly, and a bad value is named."""

from __future__ import annotations

import pytest

from ui import classroom
from ui.classroom import Classroom


@pytest.mark.parametrize("room", [
    Classroom(),
    Classroom(hide=("gradient", "schedule"), lock=("runs",), title="Adam", note="Press Play."),
    Classroom(present=True),
])
def test_the_link_fields_read_back_exactly(room):
    assert classroom.from_query("explore", classroom.to_query(room)) == (room, [])


@pytest.mark.parametrize(("query", "room", "problem"), [
    ({"hide": "runs,bogus"}, Classroom(hide=("runs",)),
     "'hide': 'bogus' is not a control of this page (allowed: surface, runs, gradient, "
     "schedule); ignored"),
    ({"lock": "runs", "hide": "runs"}, Classroom(hide=("runs",)), None),
    ({"present": "maybe"}, Classroom(),
     "'present': 'maybe' is not a switch (allowed: 1 or 0); ignored"),
    ({"title": "x" * 121}, Classroom(title="x" * 120), "'title': 121 characters, cut to the "
                                                       "first 120"),
    ({"note": "two\nlines"}, Classroom(note="two lines"), None),
])
def test_a_bad_value_is_left_out_with_a_note(query, room, problem):
    assert classroom.from_query("explore", query) == (room, [problem] if problem else [])


def test_split_keeps_the_page_fields_apart():
    assert classroom.split({"runs": "adam", "hide": "runs", "present": "1"}) == (
        {"runs": "adam"}, {"hide": "runs", "present": "1"})


# room, page, whether a click on the map may move the start, whether run sliders may set runs
MAP_LOCKS = [
    (Classroom(), "explore", True, True),
    (Classroom(lock=("surface",)), "explore", False, True),
    (Classroom(hide=("surface",)), "compare", False, True),
    (Classroom(lock=("runs",)), "explore", True, False),
    (Classroom(hide=("runs",)), "compare", True, False),
    (Classroom(lock=("optimizer",)), "schedules", True, False),
    (Classroom(lock=("schedules",)), "schedules", True, True),
    (Classroom(lock=("gradient", "schedule")), "explore", True, True),
]


@pytest.mark.parametrize(("room", "page", "click", "sliders"), MAP_LOCKS)
def test_a_link_that_fixes_the_start_or_the_runs_fixes_them_on_the_map_too(room, page, click,
                                                                           sliders):
    assert (not room.start_fixed, not room.runs_fixed(page)) == (click, sliders)
