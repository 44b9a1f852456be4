"""What a teacher's link adds to any page: controls hidden or locked, a title and a note on
top, and presentation mode; as a small frozen record and its URL query form.

Pure (no streamlit). The fields sit beside the page's own in its link:
``?surface=rosenbrock&runs=adam(lr=0.05)&hide=gradient,schedule&lock=runs&title=Adam&note=…``
and ``present=1``. A control is a named group of a page's widgets (``CONTROLS``); a bad value
is left out with a line in ``problems`` saying what is wrong and what is allowed, like every
other field of a link.
"""

from __future__ import annotations

from dataclasses import dataclass

FIELDS = ("hide", "lock", "title", "note", "present")
TITLE_MAX = 120
NOTE_MAX = 600

CONTROLS: dict[str, dict[str, str]] = {
    "explore": {"surface": "Surface, steps and start", "runs": "Optimizers",
                "gradient": "Gradient source", "schedule": "Learning-rate schedule"},
    "compare": {"surface": "Surface, steps and start",
                "settings": "Learning rate, tolerance and ranking", "runs": "Runs"},
    "schedules": {"surface": "Surface, steps and start", "optimizer": "Optimizer",
                  "schedules": "Schedules"},
    "sensitivity": {"surface": "Surface, steps and start", "optimizer": "Optimizer",
                    "sweep": "Sweep axes and metric", "basins": "Basins' start points"},
    "learn": {"rates": "The three learning rates", "batch": "Batch size",
              "optimizer": "Optimizer picker", "surface": "Surface picker"},
    "lessons": {"navigation": "Lesson navigation (previous, next, the list, the variations)",
                "question": "The question and its answer"},
}
"""Each page's controls a teacher can hide or lock: name (as the link writes it) -> label."""

START = "surface"
"""The control that holds the start point on every page that has one: a click on the map
moves the start, so a link that hides or locks it makes the map take no click."""
RUN_VALUES = {"explore": "runs", "compare": "runs", "schedules": "optimizer"}
"""The control holding the runs' hyperparameters a player's run slider sets when released:
a link that hides or locks it leaves the player no run slider."""


@dataclass(frozen=True)
class Classroom:
    hide: tuple[str, ...] = ()
    lock: tuple[str, ...] = ()
    title: str = ""
    note: str = ""
    present: bool = False

    @property
    def for_students(self) -> bool:
        """Whether the link was made for students (it hides or locks something, or has text)."""
        return bool(self.hide or self.lock or self.title or self.note)

    def state(self, control: str) -> str:
        """``hidden``, ``locked`` or ``free``."""
        return "hidden" if control in self.hide else "locked" if control in self.lock else "free"

    @property
    def start_fixed(self) -> bool:
        """Whether the link fixes the start (hides or locks ``START``): no click moves it."""
        return self.state(START) != "free"

    def runs_fixed(self, page: str) -> bool:
        """Whether the link fixes the runs' values on ``page`` (hides or locks the control a
        run slider would set, ``RUN_VALUES``)."""
        control = RUN_VALUES.get(page)
        return control is not None and self.state(control) != "free"


def split(query: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """A link's query as (the page's own fields, the classroom's fields)."""
    ours = {k: v for k, v in query.items() if k in FIELDS}
    return {k: v for k, v in query.items() if k not in FIELDS}, ours


def _names(page: str, key: str, text: str, problems: list[str]) -> tuple[str, ...]:
    allowed = CONTROLS.get(page, {})
    names = []
    for name in filter(None, (part.strip() for part in text.split(","))):
        if name not in allowed:
            problems.append(f"'{key}': {name!r} is not a control of this page (allowed: "
                            f"{', '.join(allowed) or 'none'}); ignored")
        elif name not in names:
            names.append(name)
    return tuple(names)


def _text(key: str, text: str, limit: int, problems: list[str]) -> str:
    text = " ".join(text.split())  # one paragraph: no line breaks or runs of spaces
    if len(text) > limit:
        problems.append(f"'{key}': {len(text)} characters, cut to the first {limit}")
        text = text[:limit]
    return text


def from_query(page: str, query: dict[str, str]) -> tuple[Classroom, list[str]]:
    """The classroom fields of a link for ``page`` (other fields are not looked at)."""
    q = {k: (v[-1] if isinstance(v, list) else v) for k, v in query.items()}
    problems: list[str] = []
    hide = _names(page, "hide", q.get("hide", ""), problems)
    lock = tuple(n for n in _names(page, "lock", q.get("lock", ""), problems) if n not in hide)
    present = False
    if "present" in q:
        text = q["present"].strip().lower()
        if text in ("1", "true", "yes", "on"):
            present = True
        elif text not in ("0", "false", "no", "off"):
            problems.append(f"'present': {q['present']!r} is not a switch (allowed: 1 or 0); "
                            "ignored")
    return Classroom(hide, lock, _text("title", q.get("title", ""), TITLE_MAX, problems),
                     _text("note", q.get("note", ""), NOTE_MAX, problems), present), problems


def to_query(room: Classroom) -> dict[str, str]:
    query = {"hide": ",".join(room.hide), "lock": ",".join(room.lock), "title": room.title,
             "note": room.note, "present": "1" if room.present else ""}
    return {k: v for k, v in query.items() if v}
