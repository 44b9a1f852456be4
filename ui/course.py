"""Guided lessons, read from data: one TOML file per lesson in ``lessons/`` (see its README).

Pure (no streamlit). A lesson's scene is written in the link grammar of the page that can open
it (``ui/query.py``: Explore's, or Compare's when runs carry their own batch sizes), so every
value is checked by the same readers a tampered link meets, and "Open in Explore" is that
query. A lesson's answer makes claims (which run reaches the tolerance first, which diverge,
where a run ends …) that ``check`` decides from the runs themselves; ``tests/test_course.py``
holds every lesson's answer to them.
"""

from __future__ import annotations

import functools
import math
import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

import optimizers
from optimizers.api import IN_THE_WINDOW
from ui import settings
from ui.query import PAGES

FOLDER = Path(__file__).resolve().parent.parent / "lessons"
"""Where the lessons live, one ``NN_name.toml`` each, in the order of their numbers."""

SCENE_PAGES = ("explore", "compare")
"""The pages whose link grammar a lesson's scene may be written in."""

VARIATIONS = 2
"""Each lesson has exactly this many "try this" variations."""

_FILE_NAME = re.compile(r"^(\d+)_([a-z0-9_]+)\.toml$")


class LessonError(ValueError):
    """A lesson file that cannot be used, with the file and what is wrong in it."""


@dataclass(frozen=True)
class Claim:
    """One fact a lesson's answer states, as data ``check`` can decide (runs count from 1)."""

    kind: str
    values: tuple[tuple[str, Any], ...]

    def get(self, name: str) -> Any:
        return dict(self.values)[name]


@dataclass(frozen=True)
class Scene:
    """What a lesson shows: a page's link (its query) and, optionally, names for the runs."""

    page: str
    query: tuple[tuple[str, str], ...]
    names: tuple[str, ...] | None = None

    def link(self) -> dict[str, str]:
        return dict(self.query)

    def config(self):
        """The page's config this scene's link reads as (a checked lesson has no problems)."""
        _, _, from_query = PAGES[self.page]
        return from_query(self.link())[0]


@dataclass(frozen=True)
class Variation:
    label: str
    text: str
    scene: Scene
    claims: tuple[Claim, ...] = ()  # what its text states, if anything checkable


@dataclass(frozen=True)
class Lesson:
    name: str
    title: str
    text: str
    question: str
    choices: tuple[str, ...]
    correct: int  # index into choices
    answer: str
    scene: Scene
    claims: tuple[Claim, ...]
    variations: tuple[Variation, ...]


# --- the claims ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunResult:
    """A run as the claims read it: its path, its loss over all the data, how it ended."""

    name: str
    xy: np.ndarray
    loss: np.ndarray
    outcome: optimizers.Outcome
    evaluations: optimizers.Evaluations


def results(scene: Scene, paths: Sequence[optimizers.Trajectory], names: Sequence[str]
            ) -> list[RunResult]:
    """The runs of ``scene`` (their trajectories, in order) as the claims read them."""
    landscape = settings.landscape_of(scene.config().surface)
    return [RunResult(name, path.xy, landscape.f(path.xy[:, 0], path.xy[:, 1]),
                      optimizers.outcome(path, landscape), path.evaluations)
            for name, path in zip(names, paths, strict=True)]


def _steps_to(run: RunResult, floor: float, tolerance: float) -> int | None:
    """The first step whose loss is within ``tolerance`` of ``floor`` (None: never)."""
    if run.outcome.diverged:
        return None
    hits = np.nonzero(run.loss - floor <= tolerance)[0]
    return int(hits[0]) if hits.size else None


def _ended(run: RunResult) -> str:
    return run.outcome.text if run.outcome.kind != IN_THE_WINDOW else (
        f"ended at ({run.xy[-1, 0]:.3g}, {run.xy[-1, 1]:.3g})")


def _first_to_tolerance(claim: Claim, runs: list[RunResult], floor: float) -> tuple[bool, str]:
    tolerance = float(claim.get("tolerance"))
    steps = [_steps_to(r, floor, tolerance) for r in runs]
    winner = int(claim.get("run")) - 1
    others = [s for i, s in enumerate(steps) if i != winner and s is not None]
    ok = steps[winner] is not None and all(steps[winner] < s for s in others)
    words = "; ".join(f"{r.name}: " + (f"step {s}" if s is not None else
                                       "never" if not r.outcome.diverged else r.outcome.text)
                      for r, s in zip(runs, steps, strict=True))
    return ok, f"Steps to come within {tolerance:g} of the minimum: {words}."


def _reach_tolerance(claim: Claim, runs: list[RunResult], floor: float) -> tuple[bool, str]:
    tolerance = float(claim.get("tolerance"))
    expected = {int(k) - 1 for k in claim.get("runs")}
    steps = [_steps_to(r, floor, tolerance) for r in runs]
    actual = {i for i, s in enumerate(steps) if s is not None}
    words = "; ".join(f"{r.name}: " + (f"step {s}" if s is not None else "never")
                      for r, s in zip(runs, steps, strict=True))
    return expected == actual, f"Steps to come within {tolerance:g} of the minimum: {words}."


def _evaluations(claim: Claim, runs: list[RunResult], floor: float) -> tuple[bool, str]:
    run = runs[int(claim.get("run")) - 1]
    ev = run.evaluations
    ok = ev.function == int(claim.get("function")) and ev.gradient == int(claim.get("gradient"))
    return ok, (f"{run.name} evaluated f {ev.function} times and its gradient "
                f"{ev.gradient} times.")


def _diverge(claim: Claim, runs: list[RunResult], floor: float) -> tuple[bool, str]:
    expected = {int(k) - 1 for k in claim.get("runs")}
    actual = {i for i, r in enumerate(runs) if r.outcome.diverged}
    words = "; ".join(f"{r.name}: {r.outcome.text if r.outcome.diverged else 'did not diverge'}"
                      for r in runs)
    return expected == actual, f"{words}."


def _lowest_final_loss(claim: Claim, runs: list[RunResult], floor: float) -> tuple[bool, str]:
    best = int(claim.get("run")) - 1
    finals = [math.inf if r.outcome.diverged else float(r.loss[-1]) for r in runs]
    ok = all(finals[best] < f for i, f in enumerate(finals) if i != best)
    words = "; ".join(f"{r.name}: {'diverged' if math.isinf(f) else f'{f:.3g}'}"
                      for r, f in zip(runs, finals, strict=True))
    return ok, f"Final loss: {words}."


def _ends_near(claim: Claim, runs: list[RunResult], floor: float) -> tuple[bool, str]:
    run = runs[int(claim.get("run")) - 1]
    x, y = (float(v) for v in claim.get("point"))
    radius = float(claim.get("radius"))
    distance = float(np.hypot(run.xy[-1, 0] - x, run.xy[-1, 1] - y))
    ok = not run.outcome.diverged and distance <= radius
    return ok, (f"{run.name} {_ended(run)}, {distance:.3g} from ({x:g}, {y:g}).")


def _first_step(claim: Claim, runs: list[RunResult], floor: float) -> tuple[bool, str]:
    run = runs[int(claim.get("run")) - 1]
    length = float(np.hypot(*(run.xy[1] - run.xy[0])))
    expected, within = float(claim.get("length")), float(claim.get("within"))
    ok = abs(length - expected) <= within * expected
    return ok, f"{run.name}'s first step is {length:.4g} long."


def _loss_falls(claim: Claim, runs: list[RunResult], floor: float) -> tuple[bool, str]:
    run = runs[int(claim.get("run")) - 1]
    (a, b), (c, d) = claim.get("before"), claim.get("after")
    before = float(np.mean(run.loss[a:b] - floor))
    after = float(np.mean(run.loss[c:d] - floor))
    factor = float(claim.get("factor"))
    ok = not run.outcome.diverged and after * factor <= before
    return ok, (f"{run.name}'s mean loss above the minimum: {before:.3g} over steps {a} to "
                f"{b - 1}, {after:.3g} over steps {c} to {d - 1} ({before / after:.3g} times "
                "lower)." if after > 0 else f"{run.name}'s loss reached the minimum exactly.")


@dataclass(frozen=True)
class ClaimKind:
    fields: tuple[str, ...]
    check: Callable[[Claim, list[RunResult], float], tuple[bool, str]]
    help: str


CLAIM_KINDS: dict[str, ClaimKind] = {
    "first_to_tolerance": ClaimKind(("run", "tolerance"), _first_to_tolerance,
                                    "run `run` is the first to come within `tolerance` of the "
                                    "minimum value"),
    "reach_tolerance": ClaimKind(("runs", "tolerance"), _reach_tolerance,
                                 "exactly the runs listed in `runs` come within `tolerance` of "
                                 "the minimum value"),
    "evaluations": ClaimKind(("run", "function", "gradient"), _evaluations,
                             "run `run` evaluates f `function` times and its gradient "
                             "`gradient` times"),
    "diverge": ClaimKind(("runs",), _diverge,
                         "exactly the runs listed in `runs` diverge (`runs = []`: none does)"),
    "lowest_final_loss": ClaimKind(("run",), _lowest_final_loss,
                                   "run `run` ends with the lowest loss"),
    "ends_near": ClaimKind(("run", "point", "radius"), _ends_near,
                           "run `run` ends within `radius` of `point = [x, y]`"),
    "first_step": ClaimKind(("run", "length", "within"), _first_step,
                            "run `run`'s first step is `length` long, to a fraction `within`"),
    "loss_falls": ClaimKind(("run", "before", "after", "factor"), _loss_falls,
                            "run `run`'s mean loss over the steps `after = [c, d]` is at least "
                            "`factor` times lower than over `before = [a, b]`"),
}


def check(claims: Sequence[Claim], scene: Scene, runs: list[RunResult]
          ) -> list[tuple[bool, str]]:
    """Each of ``claims`` decided from ``scene``'s ``runs``: (holds, what the runs measured,
    in words)."""
    floor = settings.landscape_of(scene.config().surface).minimum_value
    return [CLAIM_KINDS[c.kind].check(c, runs, floor) for c in claims]


# --- reading and checking the files ---------------------------------------------------------------


def _text(table: dict, key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise LessonError(f"{where}: '{key}' must be a non-empty text")
    return value.strip()


def _scene(table: Any, where: str, base: Scene | None = None) -> Scene:
    """A scene table: ``page`` (default explore), ``names`` and the page's link fields; a
    variation's scene changes only the fields it gives (``page`` must stay)."""
    if not isinstance(table, dict):
        raise LessonError(f"{where}: 'scene' must be a table of the page's link fields")
    fields = dict(table)
    page = fields.pop("page", base.page if base else "explore")
    if page not in SCENE_PAGES:
        raise LessonError(f"{where}: page {page!r} is not one of {', '.join(SCENE_PAGES)}")
    if base is not None and page != base.page:
        raise LessonError(f"{where}: a variation's scene stays on the lesson's page "
                          f"({base.page})")
    names = fields.pop("names", None if base is None or base.names is None else list(base.names))
    query = {**(base.link() if base else {}), **{k: _link_value(v) for k, v in fields.items()}}
    query = {k: v for k, v in query.items() if v != ""}  # "" removes a field of the lesson's
    _, _, from_query = PAGES[page]
    config, problems = from_query(query)
    if problems:
        raise LessonError(f"{where}: " + "; ".join(  # the link's fallback does not apply here
            p.removesuffix("; ignored, using the default") for p in problems))
    if names is not None:
        if not (isinstance(names, list) and all(isinstance(n, str) and n for n in names)):
            raise LessonError(f"{where}: 'names' must be a list of texts, one per run")
        if len(names) != len(config.runs):
            raise LessonError(f"{where}: {len(names)} names for {len(config.runs)} runs")
        names = tuple(names)
    return Scene(page, tuple(sorted(query.items())), names)


def _link_value(value: Any) -> str:
    """A TOML value as the link's text: numbers as typed, [x, y] pairs joined by commas."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list):
        return ",".join(_link_value(v) for v in value)
    return str(value)


def _claims(items: Any, runs: int, where: str, *, optional: bool = False
            ) -> tuple[Claim, ...]:
    if optional and items is None:
        return ()
    if not isinstance(items, list) or not items:
        raise LessonError(f"{where}: at least one [[claims]] table is needed: what the "
                          "answer states, for the tests to check")
    claims = []
    for i, item in enumerate(items, start=1):
        at = f"{where}, claim {i}"
        kind = item.get("kind") if isinstance(item, dict) else None
        if kind not in CLAIM_KINDS:
            raise LessonError(f"{at}: kind {kind!r} is not one of {', '.join(CLAIM_KINDS)}")
        fields = {k: v for k, v in item.items() if k != "kind"}
        wanted = CLAIM_KINDS[kind].fields
        if set(fields) != set(wanted):
            raise LessonError(f"{at}: '{kind}' takes {', '.join(wanted)} "
                              f"({CLAIM_KINDS[kind].help}); got {', '.join(fields) or 'none'}")
        named = [fields["run"]] if "run" in fields else list(fields.get("runs", []))
        for k in named:
            if not (isinstance(k, int) and 1 <= k <= runs):
                raise LessonError(f"{at}: run {k!r} is not a run of the scene (1 to {runs})")
        claims.append(Claim(kind, tuple((k, _frozen(v)) for k, v in sorted(fields.items()))))
    return tuple(claims)


def _frozen(value: Any) -> Any:
    return tuple(_frozen(v) for v in value) if isinstance(value, list) else value


KEYS = {"title", "text", "question", "choices", "correct", "answer", "scene", "claims", "try"}


def read(path: Path) -> Lesson:
    """One lesson file, checked against the registries and the page's link readers; raises
    ``LessonError`` naming the file and what is wrong."""
    match = _FILE_NAME.match(path.name)
    if not match:
        raise LessonError(f"{path.name}: a lesson file is named NN_name.toml (a number for "
                          "its place, then lowercase letters, digits and _)")
    where = path.name
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise LessonError(f"{where}: not valid TOML ({error})") from None
    unknown = sorted(set(table) - KEYS)
    if unknown:
        raise LessonError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(KEYS))})")
    scene = _scene(table.get("scene"), f"{where}, scene")
    choices = table.get("choices")
    if not (isinstance(choices, list) and len(choices) >= 2
            and all(isinstance(c, str) and c.strip() for c in choices)):
        raise LessonError(f"{where}: 'choices' must list at least two answers to pick from")
    correct = table.get("correct")
    if not (isinstance(correct, int) and 1 <= correct <= len(choices)):
        raise LessonError(f"{where}: 'correct' must be the number of the right choice "
                          f"(1 to {len(choices)})")
    tries = table.get("try")
    if not (isinstance(tries, list) and len(tries) == VARIATIONS):
        raise LessonError(f"{where}: exactly {VARIATIONS} [[try]] variations are needed")
    variations = []
    for i, item in enumerate(tries, start=1):
        at = f"{where}, try {i}"
        if not isinstance(item, dict):
            raise LessonError(f"{at}: a [[try]] is a table with label, text and scene")
        unknown = sorted(set(item) - {"label", "text", "scene", "claims"})
        if unknown:
            raise LessonError(f"{at}: unknown key {unknown[0]!r} (known: claims, label, scene, "
                              "text)")
        variant = _scene(item.get("scene"), f"{at}, scene", base=scene)
        variations.append(Variation(
            _text(item, "label", at), _text(item, "text", at), variant,
            _claims(item.get("claims"), len(variant.config().runs), at, optional=True)))
    return Lesson(
        name=match.group(2), title=_text(table, "title", where),
        text=_text(table, "text", where), question=_text(table, "question", where),
        choices=tuple(c.strip() for c in choices), correct=correct - 1,
        answer=_text(table, "answer", where), scene=scene,
        claims=_claims(table.get("claims"), len(scene.config().runs), where),
        variations=tuple(variations),
    )


def read_all(folder: Path = FOLDER) -> tuple[Lesson, ...]:
    """Every lesson in ``folder``, in the order of the numbers their files start with."""
    paths = sorted(folder.glob("*.toml"), key=lambda p: (_order(p), p.name))
    lessons = tuple(read(p) for p in paths)
    seen: dict[str, str] = {}
    for path, lesson in zip(paths, lessons, strict=True):
        if lesson.name in seen:
            raise LessonError(f"{path.name}: the lesson name {lesson.name!r} is taken by "
                              f"{seen[lesson.name]}")
        seen[lesson.name] = path.name
    return lessons


def _order(path: Path) -> int:
    match = _FILE_NAME.match(path.name)
    return int(match.group(1)) if match else -1


@functools.cache
def catalogue() -> tuple[tuple[Lesson, ...], str | None]:
    """Every lesson of ``FOLDER``, read once per process, or none and why (a broken file)."""
    try:
        return read_all(), None
    except LessonError as error:
        return (), str(error)


def lesson_names() -> list[str]:
    return [lesson.name for lesson in catalogue()[0]]


# --- the page's config and link -------------------------------------------------------------------


@dataclass(frozen=True)
class LessonsConfig:
    """Which lesson is open (its name; "" for the first) and which of its scenes: 0 the
    lesson's own, k its k-th "try this" variation."""

    lesson: str = ""
    variation: int = 0


LESSONS_FIELDS = ("lesson", "try")


def lessons_to_query(config: LessonsConfig) -> dict[str, str]:
    query = {"lesson": config.lesson or (lesson_names() or [""])[0]}
    if config.variation:
        query["try"] = str(config.variation)
    return {k: v for k, v in query.items() if v}


def lessons_from_query(query: dict[str, str]) -> tuple[LessonsConfig, list[str]]:
    known = {k: (v[-1] if isinstance(v, list) else v) for k, v in query.items()}
    problems = [f"'{k}': unknown field, ignored (known fields: {', '.join(LESSONS_FIELDS)})"
                for k in known if k not in LESSONS_FIELDS]
    names = lesson_names()
    lesson = known.get("lesson", "")
    if lesson and lesson not in names:
        problems.append(f"'lesson': there is no lesson {lesson!r}; showing the first "
                        f"(lessons: {', '.join(names)})")
        lesson = ""
    variation = 0
    if "try" in known:
        text = known["try"].strip()
        if text.isdigit() and 0 <= int(text) <= VARIATIONS:
            variation = int(text)
        else:
            problems.append(f"'try': {known['try']!r} is not a variation (allowed: 0 for the "
                            f"lesson's scene, 1 to {VARIATIONS}); showing the lesson's scene")
    return LessonsConfig(lesson, variation), problems


PAGE = (LessonsConfig, lessons_to_query, lessons_from_query)
"""The Lessons page's record and its two query functions, as ``ui.query.PAGES`` has them."""
