"""Lessons: guided tours of the ideas, each with a live scene, a question and variations."""

import streamlit as st

from ui import lessons_page, sections, sharing

st.title("Lessons")
st.markdown("One idea at a time: read, answer the question, press **▶ Play** to see whether "
            "you were right, then try the variations. Every scene opens in Explore, with all "
            "its controls.")


def lessons() -> None:
    ps = sections.page_start("lessons")
    ps.save(lessons_page.show(ps))
    with st.sidebar:
        sharing.share_panel(ps)


lessons()
