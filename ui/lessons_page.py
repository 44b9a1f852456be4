"""The Lessons page's parts: a lesson's scene as the app runs it, and how a lesson is shown.

The lessons themselves are data (``lessons/*.toml``, read by ``ui/course.py``).
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from ui import compute, course, inputs, page_state, player, presentation, sections, sharing

PAGE_FILES = {"explore": "pages/explore.py", "compare": "pages/compare.py"}
PAGE_TITLES = {"explore": "Explore", "compare": "Compare"}


def compute_scene(scene: course.Scene) -> compute.Scene:
    """The runs a lesson's scene names, as its page would run them."""
    c = scene.config()
    if scene.page == "compare":
        runs = tuple(r.with_values(lr=c.lr) for r in c.runs) if c.shared_lr else c.runs
        return compute.Scene(c.surface, runs, c.steps, c.start, seed=c.seed, names=scene.names)
    return compute.Scene(c.surface, c.runs, c.steps, c.start, c.schedule, c.gradient, c.seed,
                         names=scene.names, seeds=c.seeds, reference=True)


def run_results(scene: course.Scene) -> list[course.RunResult]:
    """The scene's runs, as its claims read them."""
    computed = compute_scene(scene)
    names = list(computed.names or compute.run_names(computed.runs))
    return course.results(scene, compute.trajectories(computed), names)


def _go(config: course.LessonsConfig) -> None:
    """Callback of the lesson buttons: open ``config`` (every widget re-keyed)."""
    page_state.replace_config("lessons", config)


def show(ps: page_state.PageState) -> course.LessonsConfig:
    """The open lesson: its place among the others, text, scene, question and variations.
    Returns the config to save."""
    lessons, problem = course.catalogue()
    if problem or not lessons:
        st.error(inputs.plain(f"The lessons cannot be read: {problem or 'there are none'}. "
                               f"A teacher can fix the file named (see {course.FOLDER.name}/"
                               "README.md)."))
        return ps.config
    config = ps.config
    names = [lesson.name for lesson in lessons]
    index = names.index(config.lesson) if config.lesson in names else 0
    lesson = lessons[index]
    config = course.LessonsConfig(lesson.name, config.variation)

    with sharing.control(ps, "navigation"):
        previous, picker, following = st.columns([1, 4, 1], vertical_alignment="bottom")
        previous.button("← Previous", key=ps.key("previous"), disabled=index == 0,
                        width="stretch", on_click=_go,
                        args=(course.LessonsConfig(names[max(index - 1, 0)]),))
        chosen = picker.selectbox(
            "lesson", range(len(lessons)), index=index, key=ps.key("pick"),
            format_func=lambda i: f"{i + 1}. {lessons[i].title}", label_visibility="collapsed")
        following.button("Next →", key=ps.key("next"), disabled=index == len(lessons) - 1,
                         width="stretch", on_click=_go,
                         args=(course.LessonsConfig(names[min(index + 1, len(names) - 1)]),))
        if chosen != index:
            _go(course.LessonsConfig(names[chosen]))
            st.rerun()

    st.header(f"Lesson {index + 1} of {len(lessons)}: {lesson.title}")
    st.markdown(lesson.text)
    caption: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    if config.variation == 0:
        _question(lesson, ps)
        caption = _presented_question(lesson, ps)
        scene = lesson.scene
    else:
        variation = lesson.variations[config.variation - 1]
        with st.container(border=True):
            st.markdown(f"**Try this: {variation.label}.** {variation.text}")
            with sharing.control(ps, "navigation", part=2):
                st.button("↩ Back to the lesson's scene", key=ps.key("back"), on_click=_go,
                          args=(replace(config, variation=0),))
        scene = variation.scene
    files = f"lesson-{lesson.name}" + (f"-try-{config.variation}" if config.variation else "")
    _scene(scene, ps, files, caption)
    with sharing.control(ps, "navigation", part=3):
        st.subheader("Try this")
        cells = st.columns(len(lesson.variations))
        for k, (cell, variation) in enumerate(zip(cells, lesson.variations, strict=True), start=1):
            with cell.container(border=True):
                st.markdown(f"**{variation.label}**  \n{variation.text}")
                st.button("Load this scene", key=ps.key(f"try{k}"), disabled=config.variation == k,
                          type="primary" if config.variation != k else "secondary",
                          on_click=_go, args=(replace(config, variation=k),))
    return config


def _question(lesson: course.Lesson, ps: page_state.PageState) -> None:
    """The question to answer before pressing Play; the answer once revealed, with what the
    runs measured (the claims the answer makes, decided by the core)."""
    revealed = f"lessons.revealed.{lesson.name}"
    with sharing.control(ps, "question"), st.container(border=True,
                                                       key=f"lesson-question-{lesson.name}"):
        st.markdown(f"**Before you press ▶ Play:** {lesson.question}")
        picked = st.radio("your answer", range(len(lesson.choices)), index=None,
                          format_func=lambda i: lesson.choices[i], key=ps.key(f"q.{lesson.name}"))
        if not st.session_state.get(revealed):
            st.button("Reveal the answer", key=ps.key(f"reveal.{lesson.name}"),
                      on_click=st.session_state.__setitem__, args=(revealed, True))
            return
        if picked is not None:
            if picked == lesson.correct:
                st.success("Your answer is right.")
            else:
                st.warning(f"Not quite: the answer is “{lesson.choices[lesson.correct]}”.")
        st.markdown(lesson.answer)
        try:
            measured = course.check(lesson.claims, lesson.scene, run_results(lesson.scene))
        except ValueError as error:
            st.error(inputs.plain(f"This scene cannot be run: {error}"))
            return
        st.caption("What the runs measured: " + " ".join(words for _, words in measured))
        st.button("Hide the answer", key=ps.key(f"hide.{lesson.name}"),
                  on_click=st.session_state.__setitem__, args=(revealed, False))


def _presented_question(lesson: course.Lesson,
                        ps: page_state.PageState) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """In presentation mode (where the question's box hides with the page's controls), what
    the player shows above its map: the question and its choices, and the question and the
    answer that take their place once revealed (in the browser: the A key, PageDown at the
    run's last step, or the player's bar). Nothing where the teacher's link hides the
    question, and no answer where it locks it."""
    if not presentation.presenting() or ps.room.state("question") == "hidden":
        return (), ()
    question = f"**Before you press ▶ Play:** {lesson.question}"
    letters = "ABCDEFGHIJ"
    choices = " · ".join(f"**{letters[i]}** {choice}" for i, choice in enumerate(lesson.choices))
    if ps.room.state("question") != "free":
        return (question, choices), ()
    return (question, choices), (question, "**Answer:** " + " ".join(lesson.answer.split()))


def _scene(scene: course.Scene, ps: page_state.PageState, name: str,
           caption: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())) -> None:
    """The scene's animated map and curves (in presentation mode ``caption``'s question above
    them, and its answer once revealed), a button that opens it on its page, and its
    downloads as on every page (CSV, HTML, GIF, MP4, PNG: files called
    descent-lab-``name``)."""
    computed = compute_scene(scene)
    try:  # the lesson's scene as it is: no start to click, no slider to commit
        player.show(computed, key=ps.key("map"), clickable=False, sliders=False,
                    caption=caption[0], answer=caption[1], opens_at_start=True)
    except ValueError as error:
        st.error(inputs.plain(f"This scene cannot be run: {error}"))
        return
    if st.button(f"Open in {PAGE_TITLES[scene.page]}", key=ps.key("open"),
                 help=f"This scene with every control of {PAGE_TITLES[scene.page]}, to change "
                      "anything."):
        st.switch_page(PAGE_FILES[scene.page], query_params=scene.link())
    sections.downloads(computed, name)
