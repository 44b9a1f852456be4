"""Lessons: guided tours of the ideas, each with a live scene, a question and variations."""

import streamlit as st

from ui import lessons_page, page_state, sections

st.title("Lessons")
st.markdown("One idea at a time: read, answer the question, press **▶ Play** to see whether "
            "you were right, then try the variations. Every scene opens in Explore, with all "
            "its controls.")


def lessons() -> None:
    ps = page_state.load("lessons")
    sections.problems_note(ps.problems)
    ps.save(lessons_page.show(ps))


lessons()
