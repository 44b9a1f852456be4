"""The kernels' preparation, once per server process, in a thread of its own.

On an empty Numba cache (a fresh machine or container) compiling every kernel takes seconds
to minutes. ``optimizers.prepare`` does it in a background thread from the first page view
on, and every page waits for it behind its title and a progress bar that says how far it has
got (``wait``), instead of a blank page; once the kernels are ready (or loaded from the cache,
well under a second) nothing waits. This module imports only Streamlit: the thread imports the
core (Numba and the kernels' module-level work, ~0.4 s), so the first page's title shows before
the core, the figures, the tables and the player are imported.
"""

from __future__ import annotations

import importlib
import threading
from dataclasses import dataclass, field

import streamlit as st

PREPARING = "Preparing the optimizers (first start only)…"
POLL_S = 0.25
"""How often a waiting page redraws its progress bar."""


@dataclass
class Preparation:
    """How far ``optimizers.prepare`` has got: ``done`` of ``total`` steps, now ``what``."""

    done: int = 0
    total: int = 1
    what: str = "starting"
    finished: threading.Event = field(default_factory=threading.Event)

    def report(self, done: int, total: int, what: str) -> None:
        self.done, self.total, self.what = done, total, what

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / max(self.total, 1))


def _prepare(state: Preparation) -> None:
    try:
        state.report(0, 1, "loading the core")
        # imported here, not at the top: the page's title must not wait for Numba's import
        importlib.import_module("optimizers").prepare(state.report)
    finally:  # a failure is printed in the server's log; each kernel then compiles on first use
        state.finished.set()


@st.cache_resource(show_spinner=False)
def preparation() -> Preparation:
    """The process's one preparation, started in a daemon thread on first call."""
    state = Preparation()
    threading.Thread(target=_prepare, args=(state,), name="prepare-kernels", daemon=True).start()
    return state


def wait(title: str) -> None:
    """Return once the kernels are ready; until then show ``title`` (the page's), the words
    ``PREPARING`` and a progress bar of the preparation's steps, then clear them."""
    state = preparation()
    if state.finished.is_set():
        return
    shown = st.empty()
    with shown.container():
        st.title(title)
        bar = st.progress(state.fraction, text=f"{PREPARING} ({state.what})")
    while not state.finished.wait(POLL_S):
        bar.progress(state.fraction, text=f"{PREPARING} ({state.what})")
    shown.empty()
