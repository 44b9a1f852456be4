"""Keep each page's configuration in the URL, and in the session across page switches.

Streamlit clears the query string when the user moves to another page, so every rerun writes
the page's query back. A link (or an edited URL) is read once: it replaces the stored config
and starts a new generation of widget keys, so every control shows the link's values.

A rerun can also carry a query this page wrote itself a moment ago: a move sent before the
browser received the last write-back arrives with the previous query. Read as a link, it would
discard the move and set every control back. So on a page the visitor stays on, a query is a
new link only if the page never wrote it; on arriving at a page, any query is a link.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ui import classroom, course, query, settings

PAGES = {**query.PAGES, "lessons": course.PAGE}
"""Every page's record and its two query functions (the Lessons page's live in ui/course.py)."""


@dataclass
class PageState:
    page: str
    config: Any
    generation: int
    problems: list[str]
    room: classroom.Classroom = field(default_factory=classroom.Classroom)  # a teacher's link

    def key(self, name: str) -> str:
        """A widget key that is fresh whenever the config was replaced from outside."""
        return f"{self.page}.{self.generation}.{name}"

    def save(self, config: Any) -> None:
        """Store the config and write its query into the URL (only when it changed)."""
        _, to_query, _ = PAGES[self.page]
        ss = st.session_state
        if config != ss.get(f"_{self.page}.loaded"):
            ss[f"_{self.page}.problems"] = []  # the user moved on from the link
        ss[f"_{self.page}.config"] = config
        query = {**to_query(config), **classroom.to_query(self.room)}
        if st.query_params.to_dict() != query:
            st.query_params.from_dict(query)
        ss[f"_{self.page}.written"] = query
        history = ss.setdefault(f"_{self.page}.history", [])
        if _frozen(query) not in history:
            history.append(_frozen(query))
            del history[:-WRITTEN_KEPT]
        self.config = config


WRITTEN_KEPT = 64
"""How many of its own recent queries a page recognises when a late rerun brings one back."""


def _frozen(query: dict[str, str]) -> frozenset:
    return frozenset(query.items())


def _ensure_router() -> None:
    """Route deep links through app.py.

    A pages/ folder makes Streamlit start in its old multipage mode, in which the first request
    for e.g. /compare runs pages/compare.py directly, without app.py and its st.navigation.
    Leaving that mode and rerunning hands the request to the router.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def load(page: str) -> PageState:
    """The page's config: from a new link, else from this session, else the defaults."""
    _ensure_router()
    record, _, from_query = PAGES[page]
    ss = st.session_state
    query = st.query_params.to_dict()
    generation = ss.get(f"_{page}.generation", 0)
    arrived = ss.get("_page") != page
    ss["_page"] = page
    ours = _frozen(query) in ss.get(f"_{page}.history", [])
    if query and query != ss.get(f"_{page}.written") and (arrived or not ours):
        own, extra = classroom.split(query)
        room, room_problems = classroom.from_query(page, extra)
        config, problems = from_query(own)
        problems += room_problems
        ss[f"_{page}.room"] = room
        generation += 1
        ss[f"_{page}.generation"] = generation
        ss[f"_{page}.problems"] = problems
        ss[f"_{page}.loaded"] = config
        ss[f"_{page}.config"] = config
    config = ss.get(f"_{page}.config") or record()
    return PageState(page, config, generation, list(ss.get(f"_{page}.problems", [])),
                     ss.get(f"_{page}.room", classroom.Classroom()))


def set_room(page: str, room: classroom.Classroom) -> None:
    """Replace what the page's link adds (e.g. the Present and Leave buttons' callbacks)."""
    st.session_state[f"_{page}.room"] = room


def replace_config(page: str, config: Any) -> None:
    """Replace the page's config from a callback (e.g. a click on the map), refreshing widgets."""
    ss = st.session_state
    ss[f"_{page}.config"] = config
    ss[f"_{page}.generation"] = ss.get(f"_{page}.generation", 0) + 1


def start_from_click(page: str, key: str) -> None:
    """Callback of a clickable map: the clicked point becomes the start of every run."""
    click = st.session_state.get(key)
    config = st.session_state.get(f"_{page}.config")
    if not click or config is None or "x" not in click:
        return
    start = (round(float(click["x"]), 4), round(float(click["y"]), 4))
    replace_config(page, replace(config, start=start))


STEP_VIEW = "step_view"
"""The key of a page's step-by-step fragment (``ui.step_view``), which follows its player."""
LINKED_PLAYER = "linked_player"
"""The key of the fragment of a player whose step a step-by-step section follows."""


def current_step(page: str) -> int | None:
    """The step the page's player was last left at, by the visitor or by the page's own step
    controls; None at its end (where a player opens)."""
    return st.session_state.get(f"_{page}.step")


def step_request(page: str) -> dict | None:
    """What the page's step controls last asked the player for: ``{"step", "moves", "seq"}``
    (the step, None for the player's end; the visitor's moves of the player the page knew)."""
    return st.session_state.get(f"_{page}.step_request")


def go_to_step(page: str, step: int | None) -> None:
    """Callback of a step control beside the player: the page's step becomes ``step`` and the
    player is asked to go there; only the step section and the player's fragment rerun."""
    ss = st.session_state
    seq = (step_request(page) or {"seq": 0})["seq"] + 1
    # "moves": how many moves of the visitor the page has heard of; a player moved since (a
    # key can reach it and this control at once) keeps its step, and reports it
    ss[f"_{page}.step_request"] = {"step": step, "moves": ss.get(f"_{page}.moves", 0),
                                   "seq": seq}
    ss[f"_{page}.step"] = step
    _rerun_only([STEP_VIEW, LINKED_PLAYER])


def _rerun_only(fragments: list[str]) -> None:
    """From a callback: rerun only these fragments, or only the first where the others were
    not drawn; with none drawn, the interaction's own rerun.

    Only when the interaction was itself a fragment's rerun: when the page reruns (another
    widget changed at the same time, e.g. a key that moved a sidebar slider and pressed a
    button's shortcut, or a move queued while the script ran), a keyed rerun would replace
    it, and the other widget's new value would be kept but not drawn: a lost move."""
    ctx = get_script_run_ctx()
    if ctx is None or not ctx.fragment_ids_this_run:
        return
    for scope in (fragments, fragments[:1]):
        try:
            st.rerun(scope)
        except StreamlitAPIException:  # a fragment the page did not draw
            continue


def player_event(page: str, key: str) -> None:
    """Callback of a player (``ui.player.show``): a click on the map moves the start of every
    run; a released slider sets that run's hyperparameter (``with_run_value``). The widgets
    are re-keyed, so the sidebar, the URL and every view follow: the whole page reruns, even
    from a player in a fragment. A reported step (``{"kind": "step"}``) becomes the page's
    step, and only the step section reruns."""
    event = st.session_state.get(key)
    if event and event.get("kind") == "step":
        try:
            step = None if event.get("end") else int(event["step"])
            moves = int(event.get("moves", 0))
        except (KeyError, TypeError, ValueError):  # not a value the player sends: ignore it
            return
        st.session_state[f"_{page}.step"] = step
        st.session_state[f"_{page}.moves"] = moves
        _rerun_only([STEP_VIEW])
        return
    _apply_event(page, key, event)
    st.rerun()


def _apply_event(page: str, key: str, event: dict | None) -> None:
    room = st.session_state.get(f"_{page}.room", classroom.Classroom())
    if not event or event.get("kind") != "commit":
        if not room.start_fixed:  # a teacher's link that fixes the start: no click moves it
            start_from_click(page, key)
        return
    if room.runs_fixed(page):
        return
    config = st.session_state.get(f"_{page}.config")
    if config is None:
        return
    try:
        changed = with_run_value(config, int(event["run"]), str(event["name"]),
                                 float(event["value"]))
    except (KeyError, TypeError, ValueError):  # not a value the player sends: ignore it
        return
    if changed is not None:
        replace_config(page, changed)


def with_run_value(config: Any, index: int, name: str, value: float) -> Any | None:
    """``config`` with run ``index`` (in the order the page runs them) at ``name=value``, or
    None when that is not a value the run can take. On Compare a run given its own lr leaves
    the shared rate (every other run keeps racing at it); on Schedules the page's one run is
    every map's run."""
    runs = getattr(config, "runs", None)
    if runs is None:  # Schedules: one run, raced with and without the schedule
        the_run = config.run.with_values(**{name: value})
        if settings.hyperparameter_problem(the_run.optimizer, the_run.kwargs()):
            return None
        return replace(config, run=the_run)
    if not 0 <= index < len(runs):
        return None
    shared = getattr(config, "shared_lr", False)
    raced = [r.with_values(lr=config.lr) for r in runs] if shared else list(runs)
    the_run = raced[index].with_values(**{name: value})
    if name not in the_run.kwargs() or settings.hyperparameter_problem(the_run.optimizer,
                                                                  the_run.kwargs()):
        return None
    if shared and name != "lr":
        changed = list(runs)
        changed[index] = runs[index].with_values(**{name: value})
        return replace(config, runs=tuple(changed))
    raced[index] = the_run
    return replace(config, runs=tuple(raced), **({"shared_lr": False} if shared else {}))


def edit_runs(page: str, index: int, action: str) -> None:
    """Callback of a run card's buttons: ``copy`` run ``index`` (inserted after it) or
    ``remove`` it. The widgets are re-keyed, so every card shows its run's values."""
    config = st.session_state.get(f"_{page}.config")
    if config is None or not 0 <= index < len(config.runs):
        return
    runs = list(config.runs)
    if action == "copy":
        runs.insert(index + 1, runs[index])
    elif len(runs) > 1:
        del runs[index]
    replace_config(page, replace(config, runs=tuple(runs)))
