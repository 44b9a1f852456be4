"""Descent Lab: watch gradient-descent optimizers move across 2-D loss surfaces.

The entry point and router: ``streamlit run app.py``. Each page lives in ``pages/``. Until the
kernels are ready (compiling them on a fresh machine's first start takes a while) a page shows
its title and how far their preparation has got (``ui/preparation.py``), then itself.
"""

import streamlit as st

from ui import preparation

st.set_page_config(page_title="Descent Lab", page_icon=":material/landscape:", layout="wide")
# Streamlit pads the page ~6 rem below its header; with the navigation in the header that left
# ~110 px blank above every title. Keep just the header's height and a line.
st.html("<style>[data-testid='stMainBlockContainer'] { padding-top: 5rem; }</style>")

PAGES = [
    st.Page("pages/explore.py", title="Explore", icon=":material/explore:", default=True),
    st.Page("pages/compare.py", title="Compare", icon=":material/sports_score:"),
    st.Page("pages/schedules.py", title="Schedules", icon=":material/trending_down:"),
    st.Page("pages/sensitivity.py", title="Sensitivity", icon=":material/grid_on:"),
    st.Page("pages/learn.py", title="Learn", icon=":material/school:"),
    st.Page("pages/lessons.py", title="Lessons", icon=":material/cast_for_education:"),
]

page = st.navigation(PAGES, position="top")
preparation.wait(page.title)
page.run()
